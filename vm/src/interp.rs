//! The interpreter: a dispatch loop over loaded instructions.
//!
//! Registers: `x` is the executor's register file; `y(i)` is
//! `stack[len - 1 - i]` in the current frame; `cp` is the continuation.
//! Frames are `[cp, y(n-1) .. y0]`, pushed by Allocate and popped by
//! Deallocate, so the collector and the exception unwinder can walk them:
//! continuation words have the header tag, catch markers are immediates.

use crate::atom;
use crate::bif::{self, Ctx};
use crate::code::{bif_ref, export_ref, lambda_ref, table, CodeServer, Export, LoadedTable, MatchStep};
use crate::fun;
use crate::map;
use crate::order;
use crate::process::{Class, Exc, Process, TraceKind};
use crate::signal::Inbox;
use crate::term::Term;
use crate::vm::Vm;
use compiler::bytecode::{Dst, Instr, Ref, Src};

/// Number of x registers.
pub const X_REGS: usize = 1024;
/// Reductions per time slice.
pub const SLICE: i64 = 4000;
/// Frames kept in a stack trace (OTP's default backtrace depth).
const TRACE_DEPTH: usize = 8;

/// The continuation of a process's first call.
pub static EXIT_CODE: [Instr; 1] = [Instr::Exit {}];

pub fn exit_ptr() -> *const Instr {
    EXIT_CODE.as_ptr()
}

/// How a time slice ended.
pub enum Outcome {
    /// The process's first call returned this value (a normal exit).
    Returned(Term),
    /// An exception was not caught: class, reason, stack trace.
    Raised(Class, Term, Term),
    /// The slice's reductions are used up; the state is saved in the process.
    Yielded,
    /// In a receive with nothing to match; the state is saved.
    Waiting,
    /// An exit signal ends the process with this reason.
    Exited(Term),
}

/// Why `step` stopped without an exception.
pub(crate) enum Stop {
    /// (`step_one` only) the instruction is done; go on at `Regs::ip`.
    Continue,
    /// A call of a function the JIT counts or has compiled: `State::ip`
    /// is its entry.
    Jit,
    Returned(Term),
    Yield,
    Wait,
    Exit(Term),
}

/// Where the interpreter is: for resuming and for stack traces.
pub(crate) struct State {
    ip: *const Instr,
    cp: *const Instr,
    /// Reductions left in the time slice as of the last `sync!()`: the
    /// budget survives out-of-line instructions, BIF calls and caught
    /// exceptions (a loop that sends, or that throws and catches, on every
    /// turn must still be preempted after its 4000 reductions).
    reds: i64,
}

const Y_FLAG: u32 = 1 << 31;
/// The tag bits of a small integer.
const SMALL_TAG: i64 = compiler::bytecode::tag::IMMED1_SMALL as i64;

/// Run a process for one time slice, from where it stopped last.
pub fn execute(vm: &Vm, inbox: &Inbox, p: &mut Process, x: &mut [Term]) -> Outcome {
    debug_assert!(x.len() >= X_REGS);
    let mut st = State {
        ip: p.resume_ip as *const Instr,
        cp: p.resume_cp as *const Instr,
        reds: SLICE,
    };
    x[..p.saved_x.len()].copy_from_slice(&p.saved_x);
    p.saved_x.clear();
    loop {
        let mut r = step(vm, inbox, p, &mut st, x);
        if let Ok(Stop::Jit) = r {
            // SAFETY: `enter!` stopped at a call of this entry with these
            // registers.
            let Some(e) = (unsafe { vm.jit.call(vm, inbox, p, x.as_mut_ptr(), st.ip, st.cp, st.reds) })
            else {
                // Not compiled: interpret it.
                continue;
            };
            p.reductions += (st.reds - e.reds) as u64;
            st = State {
                ip: e.ip,
                cp: e.cp,
                reds: e.reds,
            };
            match e.pending {
                None => continue,
                // An instruction native code had the interpreter run
                // stopped the slice or raised.
                Some(Pending(pr)) => r = pr,
            }
        }
        p.resume_ip = st.ip as usize;
        p.resume_cp = st.cp as usize;
        match r {
            Ok(Stop::Continue) => unreachable!("step runs until it stops"),
            Ok(Stop::Jit) => unreachable!("handled above"),
            Ok(Stop::Returned(v)) => return Outcome::Returned(v),
            Ok(Stop::Yield) => return Outcome::Yielded,
            Ok(Stop::Wait) => return Outcome::Waiting,
            Ok(Stop::Exit(reason)) => return Outcome::Exited(reason),
            Err(Unwind::Exception(class, reason, trace)) => {
                if let Some(()) = unwind(vm, p, &mut st, x, class, reason, trace) {
                    continue;
                }
                return Outcome::Raised(class, reason, trace);
            }
        }
    }
}

pub(crate) enum Unwind {
    /// Class, reason, trace (already built).
    Exception(Class, Term, Term),
}

/// Find the innermost catch on the stack and resume at its handler.
fn unwind(
    vm: &Vm,
    p: &mut Process,
    st: &mut State,
    x: &mut [Term],
    class: Class,
    reason: Term,
    trace: Term,
) -> Option<()> {
    if p.catches == 0 {
        return None;
    }
    // Scan frames from the top; a frame is [cp, y(n-1), ..., y0].
    let mut frame_top = p.stack.len();
    let mut i = p.stack.len();
    while i > 0 {
        i -= 1;
        let w = p.stack[i];
        if w.is_catch() {
            let handler = vm.code.catch_handler(w.catch_index());
            p.stack.truncate(frame_top);
            p.stack[i] = Term::NIL;
            p.catches -= 1;
            st.ip = handler;
            st.cp = std::ptr::null();
            // SAFETY: handler points at a TryCase or CatchEnd instruction.
            match unsafe { &*handler } {
                Instr::TryCase { .. } => {
                    x[0] = class.atom();
                    x[1] = reason;
                    x[2] = trace;
                    // TryCase itself clears the slot (already done) and goes on.
                    st.ip = unsafe { handler.add(1) };
                }
                _ => {
                    // `catch`: the value of the expression.
                    x[0] = match class {
                        Class::Throw => reason,
                        Class::Exit => p.heap.tuple(&[atom::EXIT_UPPER, reason]),
                        Class::Error => {
                            let inner = p.heap.tuple(&[reason, trace]);
                            p.heap.tuple(&[atom::EXIT_UPPER, inner])
                        }
                    };
                    st.ip = unsafe { handler.add(1) };
                }
            }
            return Some(());
        }
        if w.is_header_word() && w != Term::NONE {
            // A continuation: the frame below ends here.
            frame_top = i;
        }
    }
    None
}

/// Build a stack trace: optional first frame, then the current function
/// and the continuations on the stack.
fn build_trace(
    vm: &Vm,
    p: &mut Process,
    ip: *const Instr,
    cp: *const Instr,
    first: Option<Term>,
    here_args: Option<Term>,
) -> Term {
    let mut frames: Vec<Term> = Vec::new();
    if let Some(f) = first {
        frames.push(f);
    }
    let push_code = |vm: &Vm,
                     heap: &mut crate::heap::Heap,
                     at: *const Instr,
                     args: Option<Term>,
                     frames: &mut Vec<Term>| {
        if at.is_null() || at == exit_ptr() || frames.len() >= TRACE_DEPTH {
            return;
        }
        if let Some(m) = vm.code.module_of(at) {
            let idx = m.index_of(at);
            if let Some((f, a)) = m.function_at(idx) {
                let loc = location(heap, &m.file, m.line_at(idx));
                let arity_or_args = args.unwrap_or(Term::small(a as i64));
                frames.push(heap.tuple(&[m.name, f, arity_or_args, loc]));
            }
        }
    };
    push_code(vm, &mut p.heap, ip, here_args, &mut frames);
    // The continuation register, then the frames on the stack. Return
    // addresses point after the call; step back one to name the caller.
    let back = |c: *const Instr| {
        if c.is_null() || c == exit_ptr() {
            c
        } else {
            unsafe { c.sub(1) }
        }
    };
    push_code(vm, &mut p.heap, back(cp), None, &mut frames);
    let stack: Vec<Term> = p.stack.iter().rev().copied().collect();
    for w in stack {
        if frames.len() >= TRACE_DEPTH {
            break;
        }
        if w.is_header_word() && w != Term::NONE {
            let c = w.0 as *const Instr;
            push_code(vm, &mut p.heap, back(c), None, &mut frames);
        }
    }
    p.heap.list(&frames)
}

fn location(heap: &mut crate::heap::Heap, file: &str, line: Option<u32>) -> Term {
    let mut items = Vec::new();
    if !file.is_empty() {
        let f = heap.string(file);
        items.push(heap.tuple(&[atom::FILE, f]));
    }
    if let Some(l) = line {
        items.push(heap.tuple(&[atom::LINE, Term::small(l as i64)]));
    }
    heap.list(&items)
}

fn bif_frame(p: &mut Process, name: &str, args: &[Term]) -> Term {
    module_bif_frame(p, atom::ERLANG, name, args)
}

/// `{Module, Name, Args, [{error_info, ...}]}`: the frame OTP puts on top
/// of a trace when a BIF fails (erlang's explained by erl_erts_errors, the
/// others by erl_stdlib_errors).
fn module_bif_frame(p: &mut Process, module: Term, name: &str, args: &[Term]) -> Term {
    let a = p.heap.list(args);
    let explainer = if module == atom::ERLANG {
        "erl_erts_errors"
    } else {
        "erl_stdlib_errors"
    };
    let info = {
        let m = map::from_pairs(&mut p.heap, &[(atom::MODULE, atom::atom(explainer))]);
        let t = p.heap.tuple(&[atom::ERROR_INFO, m]);
        p.heap.list(&[t])
    };
    p.heap.tuple(&[module, atom::atom(name), a, info])
}

/// Turn a BIF exception from an instruction into an unwind. `traced`:
/// whether OTP's code for this operation records `{erlang, Op, Args}` on
/// top of the trace (float arithmetic and increments do not).
fn instr_bif_exception(
    vm: &Vm,
    p: &mut Process,
    st: &State,
    e: Exc,
    name: &str,
    args: &[Term],
    traced: bool,
) -> Unwind {
    if !traced {
        if let Exc::Raise {
            class,
            reason,
            trace: TraceKind::Bif,
        } = e
        {
            return bif_exception(
                vm,
                p,
                st,
                Exc::Raise {
                    class,
                    reason,
                    trace: TraceKind::Here,
                },
                None,
            );
        }
    }
    bif_exception(vm, p, st, e, Some((name, args)))
}

/// Operators whose failures OTP never records on the trace: `/` always
/// uses float instructions, and unary `+` only checks its operand.
fn untraced_bif(name: &str, arity: usize) -> bool {
    name == "/" || (name == "+" && arity == 1)
}

/// Turn a BIF exception into an unwind with its stack trace.
fn bif_exception(vm: &Vm, p: &mut Process, st: &State, e: Exc, name: Option<(&str, &[Term])>) -> Unwind {
    match e {
        Exc::Raise { class, reason, trace } => {
            let t = match trace {
                TraceKind::Given(t) => t,
                TraceKind::Bif => {
                    let first = name.map(|(n, args)| bif_frame(p, n, args));
                    build_trace(vm, p, st.ip, st.cp, first, None)
                }
                TraceKind::Here => build_trace(vm, p, st.ip, st.cp, None, None),
                TraceKind::Args(a) => build_trace(vm, p, st.ip, st.cp, None, Some(a)),
            };
            Unwind::Exception(class, reason, t)
        }
        // Traps are handled by the callers before this point.
        Exc::Apply { .. } | Exc::ApplyFun { .. } => Unwind::Exception(Class::Error, atom::BADARG, Term::NIL),
    }
}

fn error_here(vm: &Vm, p: &mut Process, st: &State, reason: Term) -> Unwind {
    let t = build_trace(vm, p, st.ip, st.cp, None, None);
    Unwind::Exception(Class::Error, reason, t)
}

/// What a call resolves to.
enum Target {
    Code(*const Instr),
    /// A native function, with the export (for its name in traces).
    Native(crate::bif::BifFn, &'static Export),
    Undef,
}

fn resolve_export(vm: &Vm, e: &'static Export) -> Target {
    if let Some(n) = e.native() {
        return Target::Native(n, e);
    }
    let c = e.code();
    if !c.is_null() {
        return Target::Code(c);
    }
    // Not loaded: try to load the module on demand.
    if vm.ensure_loaded(e.module) {
        if let Some(n) = e.native() {
            return Target::Native(n, e);
        }
        let c = e.code();
        if !c.is_null() {
            return Target::Code(c);
        }
    }
    Target::Undef
}

fn undef(vm: &Vm, p: &mut Process, st: &State, m: Term, f: Term, args: &[Term]) -> Unwind {
    let a = p.heap.list(args);
    let first = p.heap.tuple(&[m, f, a, Term::NIL]);
    let t = build_trace(vm, p, st.ip, st.cp, Some(first), None);
    Unwind::Exception(Class::Error, atom::UNDEF, t)
}

/// Call a native function with x0..x(n-1); traps re-dispatch to Erlang.
/// Returns Ok(Some(ip)) to jump, Ok(None) when the result is in x0.
fn call_native(
    vm: &Vm,
    p: &mut Process,
    st: &mut State,
    x: &mut [Term],
    f: crate::bif::BifFn,
    e: &'static Export,
    n: usize,
) -> Result<Option<*const Instr>, Unwind> {
    // The arguments are read in place: a native runs no collection and
    // does not touch the x registers.
    let r = {
        let mut ctx = Ctx { proc: p, vm };
        f(&mut ctx, &x[..n])
    };
    match r {
        Ok(v) => {
            x[0] = v;
            Ok(None)
        }
        Err(Exc::Apply {
            module,
            function,
            args,
        }) => {
            for (i, a) in args.iter().enumerate() {
                x[i] = *a;
            }
            apply_target(vm, p, st, x, module, function, args.len())
        }
        Err(Exc::ApplyFun { fun, args }) => {
            for (i, a) in args.iter().enumerate() {
                x[i] = *a;
            }
            x[args.len()] = fun;
            call_fun_target(vm, p, st, x, args.len())
        }
        Err(
            exc @ Exc::Raise {
                trace: TraceKind::Bif,
                ..
            },
        ) if e.module != atom::ERLANG => {
            let Exc::Raise { class, reason, .. } = exc else {
                unreachable!()
            };
            let first = module_bif_frame(p, e.module, atom::name(e.function), &x[..n]);
            let t = build_trace(vm, p, st.ip, st.cp, Some(first), None);
            Err(Unwind::Exception(class, reason, t))
        }
        Err(exc) => {
            let name = atom::name(e.function);
            Err(bif_exception(vm, p, st, exc, Some((name, &x[..n]))))
        }
    }
}

/// Resolve `apply(M, F, x0..x(n-1))`.
fn apply_target(
    vm: &Vm,
    p: &mut Process,
    st: &mut State,
    x: &mut [Term],
    m: Term,
    f: Term,
    n: usize,
) -> Result<Option<*const Instr>, Unwind> {
    if !m.is_atom() || !f.is_atom() {
        // As on OTP, the culprit is erlang:apply/3 with all its arguments.
        let args: Vec<Term> = x[..n].to_vec();
        let a = p.heap.list(&args);
        let first = bif_frame(p, "apply", &[m, f, a]);
        let t = build_trace(vm, p, st.ip, st.cp, Some(first), None);
        return Err(Unwind::Exception(Class::Error, atom::BADARG, t));
    }
    let e = vm.code.export(m, f, n as u32);
    match resolve_export(vm, e) {
        Target::Code(c) => Ok(Some(c)),
        Target::Native(nf, e) => call_native(vm, p, st, x, nf, e, n),
        Target::Undef => {
            let args: Vec<Term> = x[..n].to_vec();
            Err(undef(vm, p, st, m, f, &args))
        }
    }
}

/// Resolve a call of the fun in x(n) with x0..x(n-1).
fn call_fun_target(
    vm: &Vm,
    p: &mut Process,
    st: &mut State,
    x: &mut [Term],
    n: usize,
) -> Result<Option<*const Instr>, Unwind> {
    let f = x[n];
    if fun::is_closure(f) && f.is_boxed() {
        let entry = fun::entry(f);
        if entry.arity as usize != n {
            let args: Vec<Term> = x[..n].to_vec();
            let a = p.heap.list(&args);
            let inner = p.heap.tuple(&[f, a]);
            let reason = p.heap.tuple(&[atom::BADARITY, inner]);
            return Err(error_here(vm, p, st, reason));
        }
        for (i, v) in fun::free_vars(f).iter().enumerate() {
            x[n + i] = *v;
        }
        let code = entry.code();
        if code.is_null() {
            return Err(error_here(vm, p, st, atom::UNDEF));
        }
        return Ok(Some(code));
    }
    if f.is_fun() {
        let e = fun::export(f);
        if e.arity as usize != n {
            let args: Vec<Term> = x[..n].to_vec();
            let a = p.heap.list(&args);
            let inner = p.heap.tuple(&[f, a]);
            let reason = p.heap.tuple(&[atom::BADARITY, inner]);
            return Err(error_here(vm, p, st, reason));
        }
        return match resolve_export(vm, e) {
            Target::Code(c) => Ok(Some(c)),
            Target::Native(nf, e) => call_native(vm, p, st, x, nf, e, n),
            Target::Undef => {
                let args: Vec<Term> = x[..n].to_vec();
                Err(undef(vm, p, st, e.module, e.function, &args))
            }
        };
    }
    let reason = p.heap.tuple(&[atom::BADFUN, f]);
    Err(error_here(vm, p, st, reason))
}

/// Collect garbage with x0..x(live-1), the stack and the dictionary as roots.
pub fn gc(p: &mut Process, x: &mut [Term], live: usize, major: bool) {
    let Process {
        heap,
        stack,
        dict,
        mailbox,
        heap_messages,
        ..
    } = p;
    heap.root_words = stack.len() + 2 * dict.entries.len() + *heap_messages as usize;
    heap.collect(major, &mut |visit| {
        for t in x[..live].iter_mut() {
            visit(t);
        }
        // Continuations and catch markers are not pointers; the collector
        // leaves such words alone.
        for t in stack.iter_mut() {
            visit(t);
        }
        for t in dict.terms_mut() {
            visit(t);
        }
        Process::visit_heap_messages(mailbox, *heap_messages, visit);
    });
}

/// The product of two small integers, when it is small.
#[inline(always)]
fn mul_small(a: Term, b: Term) -> Option<Term> {
    if !(a.is_small() && b.is_small()) {
        return None;
    }
    let r = a.small_value().checked_mul(b.small_value())?;
    Term::fits_small(r).then(|| Term::small(r))
}

/// Defines the register macros `step` and `step_one` share, over the
/// registers of the function it is expanded in: `reload_y!()` (y0 after the
/// frame changed), `sync!()` (registers and reductions back into the state),
/// `next!()`, `jump!(offset)`, `test!(fail, cond)` and `count_call!(live)`
/// (every call is a safe point with its arguments live; at the end of the
/// slice the state is saved at the call, which runs again on resumption).
/// The first argument is `$`, for the inner macros' own parameters.
// rustfmt re-indents the `$d`-escaped inner macros on every run.
#[rustfmt::skip]
macro_rules! register_macros {
    ($d:tt, $p:ident, $st:ident, $x:ident, $ip:ident, $cp:ident, $reds:ident, $y0:ident) => {
        #[allow(unused_macros)]
        macro_rules! reload_y {
            () => {
                $y0 = $p.stack.as_mut_ptr().wrapping_add($p.stack.len()).wrapping_sub(1);
            };
        }
        #[allow(unused_macros)]
        macro_rules! sync {
            () => {
                $st.ip = $ip;
                $st.cp = $cp;
                $p.reductions += ($st.reds - $reds) as u64;
                $st.reds = $reds;
            };
        }
        macro_rules! next {
            () => {
                // SAFETY: code always ends with a control transfer, so the
                // next instruction exists.
                $ip = unsafe { $ip.add(1) };
                continue
            };
        }
        macro_rules! jump {
            ($d off:expr) => {
                // SAFETY: labels were resolved within the module's code.
                $ip = unsafe { $ip.byte_offset($d off as isize) };
                continue
            };
        }
        macro_rules! test {
            ($d fail:expr, $d cond:expr) => {
                if $d cond {
                    next!();
                } else {
                    jump!($d fail);
                }
            };
        }
        macro_rules! count_call {
            ($d live:expr) => {
                if $p.heap.wants_gc() {
                    gc($p, $x, $d live as usize, false);
                }
                $reds -= 1;
                if $reds <= 0 {
                    sync!();
                    $p.saved_x.extend_from_slice(&$x[..$d live as usize]);
                    return Ok(Stop::Yield);
                }
            };
        }
    };
}

/// The interpreter registers `step_one` takes over and hands back.
pub(crate) struct Regs {
    ip: *const Instr,
    cp: *const Instr,
    reds: i64,
}

/// Execute until the first call returns (Ok) or an exception needs
/// unwinding (Err). The hot instructions run here, in a loop small enough
/// for the compiler to keep the registers in machine registers; everything
/// else (and the slow paths of the hot ones: bignums, errors, natives)
/// runs one instruction at a time in `step_one`.
fn step(vm: &Vm, inbox: &Inbox, p: &mut Process, st: &mut State, x: &mut [Term]) -> Result<Stop, Unwind> {
    let mut ip = st.ip;
    let mut cp = st.cp;
    let xp = x.as_mut_ptr();
    let mut reds: i64 = st.reds;
    // y0 of the current frame, as in `step_one`.
    let mut y0: *mut Term = p.stack.as_mut_ptr().wrapping_add(p.stack.len()).wrapping_sub(1);

    register_macros!($, p, st, x, ip, cp, reds, y0);

    // Operands are read and written without branches (selects the
    // compiler turns into conditional moves): the kind of an operand is
    // fixed per instruction, but the handlers are shared by all of them.
    macro_rules! src {
        ($s:expr) => {{
            let w = ($s as Src).0;
            let idx = (w >> 4) as usize;
            debug_assert!(w & 3 != 0 || w & 4 == 0 || idx < p.stack.len());
            let reg = if w & 4 == 0 {
                xp.wrapping_add(idx)
            } else {
                y0.wrapping_sub(idx)
            };
            // An immediate reads x0 (harmlessly) and keeps its own word.
            let at = if w & 3 != 0 { xp } else { reg };
            // SAFETY: `at` is x0, an x register (indices are below X_REGS)
            // or a y register of the current frame (the compiler only
            // names those).
            #[allow(unused_unsafe)]
            let v = unsafe { *at };
            if w & 3 != 0 {
                Term(w)
            } else {
                v
            }
        }};
    }
    macro_rules! dst {
        ($d:expr, $v:expr) => {{
            let v: Term = $v;
            let d = ($d as Dst).0;
            let idx = (d & !Y_FLAG) as usize;
            debug_assert!(d & Y_FLAG == 0 || idx < p.stack.len());
            let at = if d & Y_FLAG == 0 {
                xp.wrapping_add(idx)
            } else {
                y0.wrapping_sub(idx)
            };
            // SAFETY: as for src!.
            #[allow(unused_unsafe)]
            unsafe {
                *at = v
            };
        }};
    }
    macro_rules! skip {
        ($n:expr) => {
            // SAFETY: a superinstruction is followed by the instructions it
            // covers, and those by more code.
            ip = unsafe { ip.add($n) };
            continue
        };
    }
    macro_rules! dealloc {
        ($n:expr) => {{
            let n = $n as usize;
            let len = p.stack.len();
            debug_assert!(len > n);
            // SAFETY: the compiler drops exactly the frame it allocated:
            // `n` y slots above the continuation word.
            cp = unsafe { (*p.stack.as_ptr().add(len - n - 1)).0 } as *const Instr;
            // SAFETY: shrinking; every word is a plain term.
            unsafe { p.stack.set_len(len - n - 1) };
            reload_y!();
        }};
    }
    macro_rules! allocate {
        ($slots:expr) => {{
            let n = $slots as usize;
            let len = p.stack.len();
            p.stack.reserve(n + 1);
            // SAFETY: reserved n + 1 slots above len; all are written
            // before the length covers them.
            unsafe {
                let base = p.stack.as_mut_ptr().add(len);
                *base = Term(cp as u64);
                y0 = base.add(n);
                let mut q = base.add(1);
                while q <= y0 {
                    *q = Term::NIL;
                    q = q.add(1);
                }
                p.stack.set_len(len + n + 1);
            }
            cp = std::ptr::null();
        }};
    }
    macro_rules! ret {
        () => {
            ip = cp;
            // The caller has a frame of its own (or is the exit): the register
            // no longer names a live continuation.
            cp = std::ptr::null();
            continue
        };
    }

    // Go to the function entry `t` (the call is counted, `cp` set). A
    // function whose JIT slot is live (counting calls, or native) is
    // entered by `execute`, out of this loop (see `jit`).
    macro_rules! enter {
        ($t:expr) => {{
            let t: *const Instr = $t;
            ip = t;
            // SAFETY: call targets are function entries, and an entry
            // follows its function's FuncInfo (the compiler emits them so).
            if let Instr::FuncInfo { jit, .. } = unsafe { &*t.sub(1) } {
                if jit.0.load(std::sync::atomic::Ordering::Relaxed) != crate::jit::DISABLED {
                    sync!();
                    return Ok(Stop::Jit);
                }
            }
            continue;
        }};
    }
    macro_rules! enter_label {
        ($off:expr) => {
            // SAFETY: labels were resolved within the module's code.
            enter!(unsafe { ip.byte_offset($off as isize) })
        };
    }

    loop {
        // SAFETY: ip always points at a loaded instruction (or EXIT_CODE).
        let instr = unsafe { &*ip };
        match *instr {
            Instr::Move { src, dst } => {
                dst!(dst, src!(src));
                next!();
            }
            Instr::Move2 { a, b, c, d } => {
                dst!(b, src!(a));
                dst!(d, src!(c));
                skip!(2);
            }
            Instr::IsNonemptyGetList {
                fail,
                src,
                head,
                tail,
            } => {
                let l = src!(src);
                if !l.is_cons() {
                    jump!(fail);
                }
                let (h, t) = l.cons_parts();
                dst!(head, h);
                dst!(tail, t);
                skip!(2);
            }
            // A move fused with the call after it: from here on `ip` is the
            // call's (where a yield resumes, and what the trace names).
            Instr::MoveCall {
                src,
                dst,
                arity,
                target,
            } => {
                dst!(dst, src!(src));
                // SAFETY: the call follows.
                ip = unsafe { ip.add(1) };
                count_call!(arity);
                // SAFETY: the call is followed by more code.
                cp = unsafe { ip.add(1) };
                enter_label!(target);
            }
            Instr::MoveCallLast {
                src,
                dst,
                arity,
                target,
                dealloc,
            } => {
                dst!(dst, src!(src));
                // SAFETY: the call follows.
                ip = unsafe { ip.add(1) };
                count_call!(arity);
                dealloc!(dealloc);
                enter_label!(target);
            }
            Instr::MoveCallOnly {
                src,
                dst,
                arity,
                target,
            } => {
                dst!(dst, src!(src));
                // SAFETY: the call follows.
                ip = unsafe { ip.add(1) };
                count_call!(arity);
                enter_label!(target);
            }
            Instr::Call { target, arity } => {
                count_call!(arity);
                // SAFETY: a call is followed by more code.
                cp = unsafe { ip.add(1) };
                enter_label!(target);
            }
            Instr::CallLast {
                target,
                dealloc,
                arity,
            } => {
                count_call!(arity);
                dealloc!(dealloc);
                enter_label!(target);
            }
            Instr::CallOnly { target, arity } => {
                count_call!(arity);
                enter_label!(target);
            }
            Instr::CallExt { arity, import } => {
                // Erlang code already loaded: here; natives, loading and
                // undefined functions in step_one.
                let e = export_ref(import);
                if e.native().is_none() {
                    let c = e.code();
                    if !c.is_null() {
                        count_call!(arity);
                        // SAFETY: a call is followed by more code.
                        cp = unsafe { ip.add(1) };
                        enter!(c);
                    }
                }
            }
            Instr::CallExtLast {
                arity,
                import,
                dealloc,
            } => {
                let e = export_ref(import);
                if e.native().is_none() {
                    let c = e.code();
                    if !c.is_null() {
                        count_call!(arity);
                        dealloc!(dealloc);
                        enter!(c);
                    }
                }
            }
            Instr::CallExtOnly { arity, import } => {
                let e = export_ref(import);
                if e.native().is_none() {
                    let c = e.code();
                    if !c.is_null() {
                        count_call!(arity);
                        enter!(c);
                    }
                }
            }
            Instr::Return {} => {
                ret!();
            }
            Instr::DeallocReturn { slots } => {
                dealloc!(slots);
                ret!();
            }
            Instr::MoveReturn { src } => {
                // SAFETY: x0 exists.
                unsafe { *xp = src!(src) };
                ret!();
            }
            Instr::MoveDeallocReturn { src, slots } => {
                // SAFETY: x0 exists.
                unsafe { *xp = src!(src) };
                dealloc!(slots);
                ret!();
            }
            Instr::Allocate { slots } => {
                allocate!(slots);
                next!();
            }
            Instr::AllocateMove { slots, src, dst } => {
                allocate!(slots);
                dst!(dst, src!(src));
                skip!(2);
            }
            Instr::PutListDeallocReturn {
                head,
                tail,
                dst,
                slots,
            } => {
                let (h, t) = (src!(head), src!(tail));
                let c = p.heap.cons(h, t);
                dst!(dst, c);
                dealloc!(slots);
                ret!();
            }
            Instr::Deallocate { slots } => {
                dealloc!(slots);
                next!();
            }
            Instr::TestHeap { live, .. } => {
                if p.heap.wants_gc() {
                    gc(p, x, live as usize, false);
                }
                next!();
            }
            Instr::Add { a, b, dst, .. } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    // (a<<4|15) - 15 + (b<<4|15) = (a+b)<<4|15, and the
                    // i64 addition overflows exactly when a+b is no small.
                    if let Some(r) = (va.0 as i64 - SMALL_TAG).checked_add(vb.0 as i64) {
                        dst!(dst, Term(r as u64));
                        next!();
                    }
                }
            }
            Instr::Sub { a, b, dst, .. } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    // (a<<4|15) - (b<<4|15) = (a-b)<<4; overflow as for Add.
                    if let Some(r) = (va.0 as i64).checked_sub(vb.0 as i64) {
                        dst!(dst, Term((r + SMALL_TAG) as u64));
                        next!();
                    }
                }
            }
            Instr::Mul { a, b, dst, .. } => {
                if let Some(r) = mul_small(src!(a), src!(b)) {
                    dst!(dst, r);
                    next!();
                }
            }
            Instr::IntBif2 { op, a, b, dst, .. } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    if let Some(op) = bif::IntOp::from_code(op) {
                        if let Some(v) = bif::int_op_small(op, va.small_value(), vb.small_value()) {
                            dst!(dst, v);
                            next!();
                        }
                    }
                }
            }
            Instr::SizeBif1 { op, a, dst, .. } => {
                if let Some(op) = bif::SizeOp::from_code(op) {
                    if let Some(v) = bif::size_op(op, src!(a)) {
                        dst!(dst, v);
                        next!();
                    }
                }
            }
            Instr::GetList { src, head, tail } => {
                let (h, t) = src!(src).cons_parts();
                dst!(head, h);
                dst!(tail, t);
                next!();
            }
            Instr::GetHd { src, dst } => {
                dst!(dst, src!(src).head());
                next!();
            }
            Instr::GetTl { src, dst } => {
                dst!(dst, src!(src).tail());
                next!();
            }
            Instr::GetTupleElement { src, index, dst } => {
                let t = src!(src);
                dst!(dst, Term(t.boxed_word(index as usize)));
                next!();
            }
            Instr::PutList { head, tail, dst } => {
                let (h, t) = (src!(head), src!(tail));
                let c = p.heap.cons(h, t);
                dst!(dst, c);
                next!();
            }
            Instr::IsNil { fail, arg } => test!(fail, src!(arg).is_nil()),
            Instr::IsNonemptyList { fail, arg } => test!(fail, src!(arg).is_cons()),
            Instr::IsList { fail, arg } => test!(fail, src!(arg).is_list()),
            Instr::IsAtom { fail, arg } => test!(fail, src!(arg).is_atom()),
            Instr::IsTuple { fail, arg } => test!(fail, src!(arg).is_tuple()),
            Instr::IsInteger { fail, arg } => test!(fail, src!(arg).is_integer()),
            Instr::TestArity { fail, arg, arity } => {
                let t = src!(arg);
                test!(fail, t.is_tuple() && t.tuple_elems().len() == arity as usize)
            }
            Instr::IsTaggedTuple {
                fail,
                arg,
                arity,
                tag,
            } => {
                let t = src!(arg);
                test!(
                    fail,
                    t.is_tuple() && {
                        let e = t.tuple_elems();
                        e.len() == arity as usize && e[0] == src!(tag)
                    }
                )
            }
            Instr::IsEqExact { fail, a, b } => {
                let (va, vb) = (src!(a), src!(b));
                // Identical words are equal; two immediates are equal only
                // when identical.
                let eq =
                    va == vb || (!(va.is_immediate() && vb.is_immediate()) && order::exact_equal(va, vb));
                test!(fail, eq)
            }
            Instr::IsNeExact { fail, a, b } => {
                let (va, vb) = (src!(a), src!(b));
                let eq =
                    va == vb || (!(va.is_immediate() && vb.is_immediate()) && order::exact_equal(va, vb));
                test!(fail, !eq)
            }
            Instr::IsLt { fail, a, b } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    test!(fail, va.small_value() < vb.small_value());
                }
            }
            Instr::IsGe { fail, a, b } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    test!(fail, va.small_value() >= vb.small_value());
                }
            }
            Instr::IsLtRet { fail, a, b, ret } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    if va.small_value() < vb.small_value() {
                        // SAFETY: x0 exists.
                        unsafe { *xp = src!(ret) };
                        ret!();
                    }
                    jump!(fail);
                }
            }
            Instr::IsGeRet { fail, a, b, ret } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    if va.small_value() >= vb.small_value() {
                        // SAFETY: x0 exists.
                        unsafe { *xp = src!(ret) };
                        ret!();
                    }
                    jump!(fail);
                }
            }
            Instr::IsEqExactRet { fail, a, b, ret } | Instr::IsNeExactRet { fail, a, b, ret } => {
                let (va, vb) = (src!(a), src!(b));
                let eq =
                    va == vb || (!(va.is_immediate() && vb.is_immediate()) && order::exact_equal(va, vb));
                if eq == matches!(*instr, Instr::IsEqExactRet { .. }) {
                    // SAFETY: x0 exists.
                    unsafe { *xp = src!(ret) };
                    ret!();
                }
                jump!(fail);
            }
            Instr::MoveSub {
                src, dst, a, b, sdst, ..
            } => {
                dst!(dst, src!(src));
                // From here on this is the Sub (its slow path runs in step_one).
                // SAFETY: the Sub follows.
                ip = unsafe { ip.add(1) };
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    if let Some(r) = (va.0 as i64).checked_sub(vb.0 as i64) {
                        dst!(sdst, Term((r + SMALL_TAG) as u64));
                        next!();
                    }
                }
            }
            Instr::SelectVal { arg, fail, table: t } => {
                let v = src!(arg);
                let LoadedTable::Jumps(js) = table(t) else {
                    unreachable!("SelectVal table")
                };
                let hit = if v.is_immediate() {
                    js.iter().find(|(k, _)| *k == v)
                } else {
                    js.iter().find(|(k, _)| order::exact_equal(*k, v))
                };
                match hit {
                    Some((_, target)) => {
                        ip = *target;
                        continue;
                    }
                    None => {
                        jump!(fail);
                    }
                }
            }
            Instr::BsCreateBin { segs, dst, .. } => {
                if let Some(b) = append_int_tail(&mut p.heap, xp, y0, segs) {
                    dst!(dst, b);
                    next!();
                }
                // Any other construction: step_one.
            }
            Instr::BsMatchRun {
                fail,
                ctx,
                steps,
                covers,
            } => match match_run(&mut p.heap, xp, y0, ctx, steps) {
                Some(true) => {
                    skip!(covers as usize);
                }
                Some(false) => {
                    jump!(fail);
                }
                // Not a match context: step_one raises.
                None => {}
            },
            Instr::PutTuple { elems, dst } => {
                let LoadedTable::Srcs(srcs) = table(elems) else {
                    unreachable!("PutTuple table")
                };
                let (t, ptr) = p.heap.tuple_uninit(srcs.len(), Term::NIL);
                for (i, s) in srcs.iter().enumerate() {
                    // SAFETY: ptr has srcs.len() slots.
                    unsafe { *ptr.add(i) = src!(*s) };
                }
                dst!(dst, t);
                next!();
            }
            Instr::Jump { target } => {
                jump!(target);
            }
            // Slow paths and the rest: step_one.
            Instr::FuncInfo { .. }
            | Instr::CallFun { .. }
            | Instr::CallFunLast { .. }
            | Instr::CallFunOnly { .. }
            | Instr::ApplyOnly { .. }
            | Instr::Apply { .. }
            | Instr::ApplyLast { .. }
            | Instr::MakeFun { .. }
            | Instr::IsFloat { .. }
            | Instr::IsNumber { .. }
            | Instr::IsPid { .. }
            | Instr::IsReference { .. }
            | Instr::IsPort { .. }
            | Instr::IsBinary { .. }
            | Instr::IsBitstring { .. }
            | Instr::IsFunction { .. }
            | Instr::IsFunction2 { .. }
            | Instr::IsBoolean { .. }
            | Instr::IsMap { .. }
            | Instr::IsEq { .. }
            | Instr::IsNe { .. }
            | Instr::SelectTupleArity { .. }
            | Instr::Bif0 { .. }
            | Instr::Bif1 { .. }
            | Instr::Bif2 { .. }
            | Instr::GcBif1 { .. }
            | Instr::GcBif2 { .. }
            | Instr::GcBif3 { .. }
            | Instr::Badmatch { .. }
            | Instr::CaseEnd { .. }
            | Instr::IfEnd { .. }
            | Instr::TryCaseEnd { .. }
            | Instr::Badrecord { .. }
            | Instr::Raise { .. }
            | Instr::Try { .. }
            | Instr::TryEnd { .. }
            | Instr::TryCase { .. }
            | Instr::Catch { .. }
            | Instr::CatchEnd { .. }
            | Instr::BuildStacktrace { .. }
            | Instr::PutMapAssoc { .. }
            | Instr::PutMapExact { .. }
            | Instr::GetMapElements { .. }
            | Instr::HasMapFields { .. }
            | Instr::BsStartMatch { .. }
            | Instr::BsGet { .. }
            | Instr::BsSkip { .. }
            | Instr::BsGetTail { .. }
            | Instr::BsTestTail { .. }
            | Instr::BsTestUnit { .. }
            | Instr::BsMatchString { .. }
            | Instr::BsSave { .. }
            | Instr::BsRestore { .. }
            | Instr::BsTailCtx { .. }
            | Instr::Send { .. }
            | Instr::LoopRec { .. }
            | Instr::LoopRecEnd { .. }
            | Instr::RemoveMessage { .. }
            | Instr::Wait { .. }
            | Instr::WaitTimeout { .. }
            | Instr::Timeout { .. }
            | Instr::RecvMarkerUse { .. }
            | Instr::Yield { .. }
            | Instr::Exit { .. } => {}
        }
        // Not handled above: one instruction out of line.
        let mut regs = Regs { ip, cp, reds };
        let r = step_one(vm, inbox, p, st, x, &mut regs);
        match r {
            Ok(Stop::Continue) => {
                ip = regs.ip;
                cp = regs.cp;
                reds = regs.reds;
                reload_y!();
            }
            r => return r,
        }
    }
}

/// Execute the instruction at `regs.ip` (the hot ones too, for their slow
/// paths) and return `Stop::Continue`, or stop as `step` does.
#[inline(never)]
#[allow(clippy::cognitive_complexity)]
fn step_one(
    vm: &Vm,
    inbox: &Inbox,
    p: &mut Process,
    st: &mut State,
    x: &mut [Term],
    regs: &mut Regs,
) -> Result<Stop, Unwind> {
    let mut ip = regs.ip;
    let mut cp = regs.cp;
    let xp = x.as_mut_ptr();
    let mut reds: i64 = regs.reds;
    let mut first = true;
    // y0 of the current frame: `stack[len - 1]`. Only Allocate and frame
    // drops change the stack's length, and they recompute it (the vector
    // moves only when Allocate grows it).
    // Wrapping arithmetic: y0 is only dereferenced when the current
    // function has a frame, and then len >= 1.
    let mut y0: *mut Term = p.stack.as_mut_ptr().wrapping_add(p.stack.len()).wrapping_sub(1);

    register_macros!($, p, st, x, ip, cp, reds, y0);

    macro_rules! yreg {
        ($i:expr) => {{
            debug_assert!(($i as usize) < p.stack.len());
            // SAFETY: the compiler only names y registers of the current
            // frame, which lies below y0 on the stack.
            #[allow(unused_unsafe)]
            unsafe {
                *y0.sub($i as usize)
            }
        }};
    }
    macro_rules! set_y {
        ($i:expr, $v:expr) => {{
            let v = $v;
            debug_assert!(($i as usize) < p.stack.len());
            // SAFETY: as for yreg!.
            unsafe { *y0.sub($i as usize) = v };
        }};
    }
    macro_rules! src {
        ($s:expr) => {{
            let w = ($s as Src).0;
            if w & 3 != 0 {
                Term(w)
            } else if w & 4 == 0 {
                // SAFETY: register indices are below X_REGS (the compiler
                // uses at most 1024 registers).
                #[allow(unused_unsafe)]
                unsafe {
                    *xp.add((w >> 4) as usize)
                }
            } else {
                yreg!(w >> 4)
            }
        }};
    }
    macro_rules! dst {
        ($d:expr, $v:expr) => {{
            let v: Term = $v;
            let d = ($d as Dst).0;
            if d & Y_FLAG == 0 {
                // SAFETY: as for src!.
                #[allow(unused_unsafe)]
                unsafe {
                    *xp.add(d as usize) = v
                }
            } else {
                set_y!(d & !Y_FLAG, v)
            }
        }};
    }
    macro_rules! raise_here {
        ($reason:expr) => {{
            sync!();
            let r = $reason;
            return Err(error_here(vm, p, st, r));
        }};
    }
    // A match context operand, checked: the bit-syntax readers take it
    // apart without looking, so a compiler mistake must stop here as an
    // exception rather than read arbitrary memory.
    macro_rules! match_ctx {
        ($ctx:expr) => {{
            let c = src!($ctx);
            if c.subtag() != Some(crate::term::Subtag::MatchCtx) {
                raise_here!(atom::BADARG);
            }
            c
        }};
    }
    // erlang:yield/0 (and BIFs like it) end the slice at the next call.
    macro_rules! native {
        ($call:expr) => {{
            let r = $call;
            if p.force_yield {
                p.force_yield = false;
                reds = 0;
            }
            r
        }};
    }
    macro_rules! dealloc {
        ($n:expr) => {{
            let n = $n as usize;
            let len = p.stack.len();
            cp = p.stack[len - n - 1].0 as *const Instr;
            p.stack.truncate(len - n - 1);
            reload_y!();
        }};
    }
    macro_rules! arith_slow {
        ($f:path, $name:expr, $fail:expr, $trace:expr, $dst:expr, $a:expr, $b:expr) => {{
            let args = [$a, $b];
            match $f(&mut Ctx { proc: p, vm }, &args) {
                Ok(v) => {
                    dst!($dst, v);
                    next!();
                }
                Err(e) => {
                    if $fail != 0 {
                        jump!($fail);
                    }
                    sync!();
                    return Err(instr_bif_exception(vm, p, st, e, $name, &args, $trace != 0));
                }
            }
        }};
    }
    macro_rules! goto_target {
        ($t:expr) => {
            match $t {
                Ok(Some(code)) => {
                    ip = code;
                    continue;
                }
                Ok(None) => {
                    // A native result is in x0: return to the continuation.
                    ip = cp;
                    // The caller has a frame of its own (or is the exit): the register
                    // no longer names a live continuation.
                    cp = std::ptr::null();
                    continue;
                }
                Err(u) => return Err(u),
            }
        };
    }

    loop {
        if !first {
            // One instruction done: back to the main loop.
            regs.ip = ip;
            regs.cp = cp;
            regs.reds = reds;
            return Ok(Stop::Continue);
        }
        first = false;
        // SAFETY: ip always points at a loaded instruction (or EXIT_CODE).
        let instr = unsafe { &*ip };
        match *instr {
            // Always completed by the hot loop (`step`): never handed over.
            // Should one arrive, returning without executing it gives it back
            // to the hot loop, which runs it.
            Instr::Allocate { .. }
            | Instr::AllocateMove { .. }
            | Instr::Call { .. }
            | Instr::CallLast { .. }
            | Instr::CallOnly { .. }
            | Instr::DeallocReturn { .. }
            | Instr::Deallocate { .. }
            | Instr::GetHd { .. }
            | Instr::GetList { .. }
            | Instr::GetTl { .. }
            | Instr::GetTupleElement { .. }
            | Instr::IsAtom { .. }
            | Instr::IsEqExact { .. }
            | Instr::IsEqExactRet { .. }
            | Instr::IsInteger { .. }
            | Instr::IsList { .. }
            | Instr::IsNeExact { .. }
            | Instr::IsNeExactRet { .. }
            | Instr::IsNil { .. }
            | Instr::IsNonemptyGetList { .. }
            | Instr::IsNonemptyList { .. }
            | Instr::IsTaggedTuple { .. }
            | Instr::IsTuple { .. }
            | Instr::Jump { .. }
            | Instr::Move { .. }
            | Instr::Move2 { .. }
            | Instr::MoveCall { .. }
            | Instr::MoveCallLast { .. }
            | Instr::MoveCallOnly { .. }
            | Instr::MoveDeallocReturn { .. }
            | Instr::MoveReturn { .. }
            | Instr::MoveSub { .. }
            | Instr::PutList { .. }
            | Instr::PutListDeallocReturn { .. }
            | Instr::PutTuple { .. }
            | Instr::Return { .. }
            | Instr::SelectVal { .. }
            | Instr::TestArity { .. }
            | Instr::TestHeap { .. } => {
                regs.ip = ip;
                regs.cp = cp;
                regs.reds = reds;
                return Ok(Stop::Continue);
            }
            Instr::Exit {} => {
                sync!();
                return Ok(Stop::Returned(x[0]));
            }
            Instr::IsLtRet { fail, a, b, ret } | Instr::IsGeRet { fail, a, b, ret } => {
                let lt = order::compare(src!(a), src!(b), false) == std::cmp::Ordering::Less;
                if lt == matches!(*instr, Instr::IsLtRet { .. }) {
                    x[0] = src!(ret);
                    ip = cp;
                    cp = std::ptr::null();
                    continue;
                }
                jump!(fail);
            }
            Instr::Add {
                fail,
                a,
                b,
                dst,
                trace,
            } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    // (a<<4|15) - 15 + (b<<4|15) = (a+b)<<4|15, and the
                    // i64 addition overflows exactly when a+b is no small.
                    if let Some(r) = (va.0 as i64 - SMALL_TAG).checked_add(vb.0 as i64) {
                        dst!(dst, Term(r as u64));
                        next!();
                    }
                }
                arith_slow!(bif::arith::add, "+", fail, trace, dst, va, vb)
            }
            Instr::Sub {
                fail,
                a,
                b,
                dst,
                trace,
            } => {
                let (va, vb) = (src!(a), src!(b));
                if va.is_small() && vb.is_small() {
                    // (a<<4|15) - (b<<4|15) = (a-b)<<4; overflow as for Add.
                    if let Some(r) = (va.0 as i64).checked_sub(vb.0 as i64) {
                        dst!(dst, Term((r + SMALL_TAG) as u64));
                        next!();
                    }
                }
                arith_slow!(bif::arith::sub, "-", fail, trace, dst, va, vb)
            }
            Instr::Mul {
                fail,
                a,
                b,
                dst,
                trace,
            } => {
                let (va, vb) = (src!(a), src!(b));
                if let Some(r) = mul_small(va, vb) {
                    dst!(dst, r);
                    next!();
                }
                arith_slow!(bif::arith::mul, "*", fail, trace, dst, va, vb)
            }
            Instr::MakeFun { lambda, env, dst } => {
                let LoadedTable::Srcs(srcs) = table(env) else {
                    unreachable!("MakeFun table")
                };
                let free: Vec<Term> = srcs.iter().map(|s| src!(*s)).collect();
                let f = fun::closure(&mut p.heap, lambda_ref(lambda), &free);
                dst!(dst, f);
                next!();
            }
            Instr::IsFloat { fail, arg } => test!(fail, src!(arg).is_float()),
            Instr::IsNumber { fail, arg } => test!(fail, src!(arg).is_number()),
            Instr::IsPid { fail, arg } => test!(fail, src!(arg).is_pid()),
            Instr::IsReference { fail, arg } => test!(fail, src!(arg).is_reference()),
            Instr::IsPort { fail, arg } => test!(fail, src!(arg).is_port()),
            Instr::IsBinary { fail, arg } => test!(fail, crate::binary::is_binary(src!(arg))),
            Instr::IsBitstring { fail, arg } => test!(fail, crate::binary::is_bitstring(src!(arg))),
            Instr::IsFunction { fail, arg } => test!(fail, src!(arg).is_fun()),
            Instr::IsFunction2 { fail, arg, arity } => {
                let (f, a) = (src!(arg), src!(arity));
                test!(
                    fail,
                    f.is_fun() && a.is_small() && fun::arity(f) as i64 == a.small_value()
                )
            }
            Instr::IsBoolean { fail, arg } => test!(fail, src!(arg).is_boolean()),
            Instr::IsMap { fail, arg } => test!(fail, src!(arg).is_map()),
            Instr::IsEq { fail, a, b } => test!(fail, order::equal(src!(a), src!(b))),
            Instr::IsNe { fail, a, b } => test!(fail, !order::equal(src!(a), src!(b))),
            Instr::IsLt { fail, a, b } => {
                let (x1, y1) = (src!(a), src!(b));
                let lt = if x1.is_small() && y1.is_small() {
                    x1.small_value() < y1.small_value()
                } else {
                    order::compare(x1, y1, false) == std::cmp::Ordering::Less
                };
                test!(fail, lt)
            }
            Instr::IsGe { fail, a, b } => {
                let (x1, y1) = (src!(a), src!(b));
                let ge = if x1.is_small() && y1.is_small() {
                    x1.small_value() >= y1.small_value()
                } else {
                    order::compare(x1, y1, false) != std::cmp::Ordering::Less
                };
                test!(fail, ge)
            }
            Instr::SelectTupleArity { arg, fail, table: t } => {
                let v = src!(arg);
                let LoadedTable::Jumps(js) = table(t) else {
                    unreachable!("SelectTupleArity table")
                };
                if v.is_tuple() {
                    let n = Term::small(v.tuple_elems().len() as i64);
                    if let Some((_, target)) = js.iter().find(|(k, _)| *k == n) {
                        ip = *target;
                        continue;
                    }
                }
                jump!(fail);
            }
            Instr::Bif0 { bif, dst } => {
                let f = bif_ref(bif);
                let r = f(&mut Ctx { proc: p, vm }, &[]);
                match r {
                    Ok(v) => {
                        dst!(dst, v);
                        next!();
                    }
                    Err(e) => {
                        sync!();
                        return Err(bif_exception(vm, p, st, e, None));
                    }
                }
            }
            Instr::Bif1 { bif, fail, a, dst }
            | Instr::SizeBif1 {
                bif, fail, a, dst, ..
            }
            | Instr::GcBif1 {
                bif, fail, a, dst, ..
            } => {
                let args = [src!(a)];
                let f = bif_ref(bif);
                match f(&mut Ctx { proc: p, vm }, &args) {
                    Ok(v) => {
                        dst!(dst, v);
                        next!();
                    }
                    Err(e) => {
                        if fail != 0 {
                            jump!(fail);
                        }
                        sync!();
                        let name = bif::name_of(f);
                        return Err(instr_bif_exception(
                            vm,
                            p,
                            st,
                            e,
                            name,
                            &args,
                            !untraced_bif(name, args.len()),
                        ));
                    }
                }
            }
            Instr::Bif2 { bif, fail, a, b, dst }
            | Instr::IntBif2 {
                bif, fail, a, b, dst, ..
            }
            | Instr::GcBif2 {
                bif, fail, a, b, dst, ..
            } => {
                let (va, vb) = (src!(a), src!(b));
                let f = bif_ref(bif);
                // The hottest arithmetic on small integers, inline.
                if va.is_small() && vb.is_small() {
                    if let Some(v) = bif::fast_small(f, va.small_value(), vb.small_value()) {
                        dst!(dst, v);
                        next!();
                    }
                }
                let args = [va, vb];
                match f(&mut Ctx { proc: p, vm }, &args) {
                    Ok(v) => {
                        dst!(dst, v);
                        next!();
                    }
                    Err(e) => {
                        if fail != 0 {
                            jump!(fail);
                        }
                        sync!();
                        let name = bif::name_of(f);
                        return Err(instr_bif_exception(
                            vm,
                            p,
                            st,
                            e,
                            name,
                            &args,
                            !untraced_bif(name, args.len()),
                        ));
                    }
                }
            }
            Instr::GcBif3 {
                bif,
                fail,
                a,
                b,
                c,
                dst,
                ..
            } => {
                let args = [src!(a), src!(b), src!(c)];
                let f = bif_ref(bif);
                match f(&mut Ctx { proc: p, vm }, &args) {
                    Ok(v) => {
                        dst!(dst, v);
                        next!();
                    }
                    Err(e) => {
                        if fail != 0 {
                            jump!(fail);
                        }
                        sync!();
                        let name = bif::name_of(f);
                        return Err(instr_bif_exception(
                            vm,
                            p,
                            st,
                            e,
                            name,
                            &args,
                            !untraced_bif(name, args.len()),
                        ));
                    }
                }
            }
            Instr::CallExt { arity, import } => {
                count_call!(arity);
                let e = export_ref(import);
                let n = arity as usize;
                match resolve_export(vm, e) {
                    Target::Code(c) => {
                        cp = unsafe { ip.add(1) };
                        ip = c;
                        continue;
                    }
                    Target::Native(f, e) => {
                        sync!();
                        let saved_cp = cp;
                        cp = unsafe { ip.add(1) };
                        st.cp = saved_cp;
                        match native!(call_native(vm, p, st, x, f, e, n)) {
                            Ok(None) => {
                                cp = saved_cp;
                                next!();
                            }
                            Ok(Some(code)) => {
                                ip = code;
                                continue;
                            }
                            Err(u) => return Err(u),
                        }
                    }
                    Target::Undef => {
                        sync!();
                        let args: Vec<Term> = x[..n].to_vec();
                        return Err(undef(vm, p, st, e.module, e.function, &args));
                    }
                }
            }
            Instr::CallExtLast {
                arity,
                import,
                dealloc,
            } => {
                count_call!(arity);
                dealloc!(dealloc);
                let e = export_ref(import);
                match resolve_export(vm, e) {
                    Target::Code(c) => {
                        ip = c;
                        continue;
                    }
                    Target::Native(f, e) => {
                        sync!();
                        goto_target!(native!(call_native(vm, p, st, x, f, e, arity as usize)));
                    }
                    Target::Undef => {
                        sync!();
                        let args: Vec<Term> = x[..arity as usize].to_vec();
                        return Err(undef(vm, p, st, e.module, e.function, &args));
                    }
                }
            }
            Instr::CallExtOnly { arity, import } => {
                count_call!(arity);
                let e = export_ref(import);
                match resolve_export(vm, e) {
                    Target::Code(c) => {
                        ip = c;
                        continue;
                    }
                    Target::Native(f, e) => {
                        sync!();
                        goto_target!(native!(call_native(vm, p, st, x, f, e, arity as usize)));
                    }
                    Target::Undef => {
                        sync!();
                        let args: Vec<Term> = x[..arity as usize].to_vec();
                        return Err(undef(vm, p, st, e.module, e.function, &args));
                    }
                }
            }
            Instr::CallFun { arity } => {
                count_call!(arity + 1);
                sync!();
                let ret = unsafe { ip.add(1) };
                match native!(call_fun_target(vm, p, st, x, arity as usize)) {
                    Ok(Some(code)) => {
                        cp = ret;
                        ip = code;
                        continue;
                    }
                    Ok(None) => {
                        next!();
                    }
                    Err(u) => return Err(u),
                }
            }
            Instr::CallFunLast { arity, dealloc } => {
                count_call!(arity + 1);
                sync!();
                match native!(call_fun_target(vm, p, st, x, arity as usize)) {
                    Ok(Some(code)) => {
                        dealloc!(dealloc);
                        ip = code;
                        continue;
                    }
                    Ok(None) => {
                        dealloc!(dealloc);
                        ip = cp;
                        // The caller has a frame of its own (or is the exit): the register
                        // no longer names a live continuation.
                        cp = std::ptr::null();
                        continue;
                    }
                    Err(u) => return Err(u),
                }
            }
            Instr::CallFunOnly { arity } => {
                count_call!(arity + 1);
                sync!();
                match native!(call_fun_target(vm, p, st, x, arity as usize)) {
                    Ok(Some(code)) => {
                        ip = code;
                        continue;
                    }
                    Ok(None) => {
                        ip = cp;
                        // The caller has a frame of its own (or is the exit): the register
                        // no longer names a live continuation.
                        cp = std::ptr::null();
                        continue;
                    }
                    Err(u) => return Err(u),
                }
            }
            Instr::ApplyOnly { arity } => {
                count_call!(arity + 2);
                sync!();
                let n = arity as usize;
                let (m, f) = (x[n], x[n + 1]);
                match native!(apply_target(vm, p, st, x, m, f, n)) {
                    Ok(Some(code)) => {
                        ip = code;
                        continue;
                    }
                    Ok(None) => {
                        ip = cp;
                        // The caller has a frame of its own (or is the exit): the register
                        // no longer names a live continuation.
                        cp = std::ptr::null();
                        continue;
                    }
                    Err(u) => return Err(u),
                }
            }
            Instr::Apply { arity } => {
                count_call!(arity + 2);
                sync!();
                let n = arity as usize;
                let (m, f) = (x[n], x[n + 1]);
                let ret = unsafe { ip.add(1) };
                match native!(apply_target(vm, p, st, x, m, f, n)) {
                    Ok(Some(code)) => {
                        cp = ret;
                        ip = code;
                        continue;
                    }
                    Ok(None) => {
                        next!();
                    }
                    Err(u) => return Err(u),
                }
            }
            Instr::ApplyLast { arity, dealloc } => {
                count_call!(arity + 2);
                sync!();
                let n = arity as usize;
                let (m, f) = (x[n], x[n + 1]);
                match native!(apply_target(vm, p, st, x, m, f, n)) {
                    Ok(Some(code)) => {
                        dealloc!(dealloc);
                        ip = code;
                        continue;
                    }
                    Ok(None) => {
                        dealloc!(dealloc);
                        ip = cp;
                        // The caller has a frame of its own (or is the exit): the register
                        // no longer names a live continuation.
                        cp = std::ptr::null();
                        continue;
                    }
                    Err(u) => return Err(u),
                }
            }
            Instr::FuncInfo {
                module,
                function,
                arity,
                ..
            } => {
                sync!();
                let n = arity as usize;
                // A match context passed on by BsTailCtx shows as the
                // bitstring it stands for.
                let args: Vec<Term> = x[..n]
                    .iter()
                    .map(|&t| match t.subtag() {
                        Some(crate::term::Subtag::MatchCtx) => crate::bits::as_bitstring(&mut p.heap, t),
                        _ => t,
                    })
                    .collect();
                let a = p.heap.list(&args);
                let m = src!(module);
                let f = src!(function);
                // The first frame is this function, with its arguments.
                let entry = unsafe { ip.add(1) };
                let loc = match vm.code.module_of(entry) {
                    Some(md) => {
                        let file = md.file.clone();
                        location(&mut p.heap, &file, md.line_at(md.index_of(entry)))
                    }
                    None => Term::NIL,
                };
                let first = p.heap.tuple(&[m, f, a, loc]);
                let t = build_trace(vm, p, std::ptr::null(), cp, Some(first), None);
                return Err(Unwind::Exception(Class::Error, atom::FUNCTION_CLAUSE, t));
            }
            Instr::Badmatch { arg } => raise_here!(p.heap.tuple(&[atom::BADMATCH, src!(arg)])),
            Instr::CaseEnd { arg } => raise_here!(p.heap.tuple(&[atom::CASE_CLAUSE, src!(arg)])),
            Instr::IfEnd {} => raise_here!(atom::IF_CLAUSE),
            Instr::TryCaseEnd { arg } => raise_here!(p.heap.tuple(&[atom::TRY_CLAUSE, src!(arg)])),
            Instr::Badrecord { arg } => raise_here!(p.heap.tuple(&[atom::BADRECORD, src!(arg)])),
            Instr::Raise {} => {
                sync!();
                let class = Class::from_atom(x[0]).unwrap_or(Class::Error);
                return Err(Unwind::Exception(class, x[1], x[2]));
            }
            Instr::Try { y, handler } | Instr::Catch { y, handler } => {
                set_y!(y, Term::catch_marker(handler as u32));
                p.catches += 1;
                next!();
            }
            Instr::TryEnd { y } | Instr::CatchEnd { y } => {
                if yreg!(y).is_catch() {
                    p.catches -= 1;
                }
                set_y!(y, Term::NIL);
                next!();
            }
            Instr::TryCase { y } => {
                set_y!(y, Term::NIL);
                next!();
            }
            Instr::BuildStacktrace { src, dst } => {
                dst!(dst, src!(src));
                next!();
            }
            Instr::PutMapAssoc { src, dst, pairs, .. } => {
                let base = src!(src);
                if !base.is_map() {
                    raise_here!(p.heap.tuple(&[atom::BADMAP, base]));
                }
                let LoadedTable::Pairs(ps) = table(pairs) else {
                    unreachable!("PutMapAssoc table")
                };
                let kvs: Vec<(Term, Term)> = ps.iter().map(|(k, v)| (src!(*k), src!(*v))).collect();
                let mut m = base;
                if map::size(m) == 0 && kvs.len() > 1 {
                    m = map::from_pairs(&mut p.heap, &kvs);
                } else {
                    for (k, v) in kvs {
                        m = map::put(&mut p.heap, m, k, v);
                    }
                }
                dst!(dst, m);
                next!();
            }
            Instr::PutMapExact {
                fail,
                src,
                dst,
                pairs,
                ..
            } => {
                let base = src!(src);
                if !base.is_map() {
                    if fail != 0 {
                        jump!(fail);
                    }
                    raise_here!(p.heap.tuple(&[atom::BADMAP, base]));
                }
                let LoadedTable::Pairs(ps) = table(pairs) else {
                    unreachable!("PutMapExact table")
                };
                let kvs: Vec<(Term, Term)> = ps.iter().map(|(k, v)| (src!(*k), src!(*v))).collect();
                let mut m = base;
                let mut missing = None;
                for (k, v) in kvs {
                    match map::update(&mut p.heap, m, k, v) {
                        Some(n) => m = n,
                        None => {
                            missing = Some(k);
                            break;
                        }
                    }
                }
                if let Some(k) = missing {
                    if fail != 0 {
                        jump!(fail);
                    }
                    raise_here!(p.heap.tuple(&[atom::BADKEY, k]));
                }
                dst!(dst, m);
                next!();
            }
            Instr::GetMapElements { fail, src, pairs } => {
                let m = src!(src);
                let LoadedTable::Gets(gs) = table(pairs) else {
                    unreachable!("GetMapElements table")
                };
                let mut ok = true;
                let mut found = Vec::with_capacity(gs.len());
                for (k, d) in gs.iter() {
                    match map::get(m, src!(*k)) {
                        Some(v) => found.push((*d, v)),
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                if !ok {
                    jump!(fail);
                }
                for (d, v) in found {
                    dst!(d, v);
                }
                next!();
            }
            Instr::HasMapFields { fail, src, keys } => {
                let m = src!(src);
                let LoadedTable::Srcs(ks) = table(keys) else {
                    unreachable!("HasMapFields table")
                };
                let ok = ks.iter().all(|k| map::get(m, src!(*k)).is_some());
                test!(fail, ok)
            }
            Instr::BsCreateBin { fail, segs, dst, .. } => {
                let LoadedTable::Segments(ss, _) = table(segs) else {
                    unreachable!("BsCreateBin table")
                };
                // The segments' values: on the stack for the usual few.
                let mut few = [(Term::NIL, None); 8];
                let mut many = Vec::new();
                let vals: &[(Term, Option<Term>)] = if ss.len() <= few.len() {
                    for (slot, s) in few.iter_mut().zip(ss.iter()) {
                        *slot = (src!(s.value), s.size.map(|z| src!(z)));
                    }
                    &few[..ss.len()]
                } else {
                    many.extend(ss.iter().map(|s| (src!(s.value), s.size.map(|z| src!(z)))));
                    &many
                };
                match crate::bits::create(&mut p.heap, ss, vals) {
                    Ok(b) => {
                        dst!(dst, b);
                        next!();
                    }
                    Err(reason) => {
                        if fail != 0 {
                            jump!(fail);
                        }
                        sync!();
                        return Err(bif_exception(vm, p, st, Exc::error(reason), None));
                    }
                }
            }
            Instr::BsStartMatch { fail, src, dst, .. } => {
                match crate::bits::start_or_restart(&mut p.heap, src!(src)) {
                    Some(ctx) => {
                        dst!(dst, ctx);
                        next!();
                    }
                    None => {
                        jump!(fail);
                    }
                }
            }
            Instr::BsGet { fail, ctx, seg, dst } => {
                let LoadedTable::Match(spec) = table(seg) else {
                    unreachable!("BsGet table")
                };
                let size = spec.size.map(|s| src!(s));
                match crate::bits::get(&mut p.heap, match_ctx!(ctx), spec, size) {
                    Some(v) => {
                        dst!(dst, v);
                        next!();
                    }
                    None => {
                        jump!(fail);
                    }
                }
            }
            Instr::BsSkip { fail, ctx, seg } => {
                let LoadedTable::Match(spec) = table(seg) else {
                    unreachable!("BsSkip table")
                };
                let size = spec.size.map(|s| src!(s));
                if crate::bits::get(&mut p.heap, match_ctx!(ctx), spec, size).is_some() {
                    next!();
                }
                jump!(fail);
            }
            Instr::BsGetTail { ctx, dst } => {
                let t = crate::bits::tail(&mut p.heap, match_ctx!(ctx));
                dst!(dst, t);
                next!();
            }
            Instr::BsTailCtx { ctx, dst } => {
                let c = crate::bits::pass_on(&mut p.heap, match_ctx!(ctx));
                dst!(dst, c);
                next!();
            }
            Instr::BsTestTail { fail, ctx, bits } => {
                test!(fail, crate::bits::remaining(match_ctx!(ctx)) == bits as usize)
            }
            Instr::BsTestUnit { fail, ctx, unit } => {
                test!(fail, crate::bits::has_unit(match_ctx!(ctx), unit))
            }
            // `step` runs every BsMatchRun and hands one over only when its
            // context operand is not a match context.
            Instr::BsMatchRun { .. }
            | Instr::BsMatchString { .. }
            | Instr::BsSave { .. }
            | Instr::BsRestore { .. } => {
                raise_here!(atom::BADARG);
            }
            Instr::Send { dest, msg, dst } => {
                let (to, m) = (src!(dest), src!(msg));
                sync!();
                match vm.send(p, to, m) {
                    Ok(()) => {
                        dst!(dst, m);
                        next!();
                    }
                    Err(e) => {
                        let args = [to, m];
                        return Err(bif_exception(vm, p, st, e, Some(("!", &args))));
                    }
                }
            }
            Instr::LoopRec { fail, dst } => {
                if p.recv_pos >= p.mailbox.len() {
                    // Take what has arrived (and act on exit signals).
                    sync!();
                    if let Some(reason) = crate::sched::signals::handle(vm, inbox, p) {
                        return Ok(Stop::Exit(reason));
                    }
                }
                match p.scan_message(p.recv_pos) {
                    Some(t) => {
                        dst!(dst, t);
                        next!();
                    }
                    None => {
                        jump!(fail);
                    }
                }
            }
            Instr::LoopRecEnd { target } => {
                p.recv_pos += 1;
                jump!(target);
            }
            Instr::RemoveMessage {} => {
                p.remove_message(p.recv_pos);
                p.recv_pos = 0;
                if let Some(t) = p.timer.take() {
                    vm.scheds.cancel_receive_timer(t);
                }
                p.timeout_fired = false;
                p.in_receive = false;
                next!();
            }
            Instr::Wait { target } => {
                // Resume at the receive loop when a signal arrives.
                // SAFETY: labels were resolved within the module's code.
                ip = unsafe { ip.byte_offset(target as isize) };
                sync!();
                p.in_receive = true;
                return Ok(Stop::Wait);
            }
            Instr::WaitTimeout { target, timeout } => {
                let t = src!(timeout);
                let ms = if t == atom::INFINITY {
                    None
                } else if t.is_small() && (0..=u32::MAX as i64).contains(&t.small_value()) {
                    Some(t.small_value() as u64)
                } else {
                    raise_here!(atom::atom("timeout_value"));
                };
                if p.timeout_fired {
                    // The timer fired and nothing matched: the after branch.
                    p.timeout_fired = false;
                    next!();
                }
                if ms == Some(0) {
                    next!();
                }
                if let (Some(ms), None) = (ms, p.timer) {
                    p.timer = Some(vm.scheds.start_receive_timer(p.pid(), ms));
                }
                // SAFETY: labels were resolved within the module's code.
                ip = unsafe { ip.byte_offset(target as isize) };
                sync!();
                p.in_receive = true;
                return Ok(Stop::Wait);
            }
            Instr::Timeout {} => {
                p.recv_pos = 0;
                p.in_receive = false;
                next!();
            }
            Instr::RecvMarkerUse { reference } => {
                if let Some(pos) = p.ref_mark(src!(reference)) {
                    p.recv_pos = p.recv_pos.max(pos);
                }
                next!();
            }
            Instr::Yield { live } => {
                count_call!(live);
                next!();
            }
        }
    }
}

/// An instruction's source operand, for the out-of-line helpers of `step`
/// (the registers as `step` holds them).
#[inline(always)]
fn operand(xp: *mut Term, y0: *mut Term, s: Src) -> Term {
    let w = s.0;
    if w & 3 != 0 {
        Term(w)
    } else if w & 4 == 0 {
        // SAFETY: an x register, below X_REGS.
        unsafe { *xp.add((w >> 4) as usize) }
    } else {
        // SAFETY: a y register of the current frame, which ends at y0.
        unsafe { *y0.sub((w >> 4) as usize) }
    }
}

/// Write an instruction's destination operand (as `operand` reads).
#[inline(always)]
fn set_operand(xp: *mut Term, y0: *mut Term, d: Dst, v: Term) {
    let i = d.0 & !Y_FLAG;
    if d.0 & Y_FLAG == 0 {
        // SAFETY: an x register, below X_REGS.
        unsafe { *xp.add(i as usize) = v }
    } else {
        // SAFETY: a y register of the current frame, which ends at y0.
        unsafe { *y0.sub(i as usize) = v }
    }
}

/// `<<Acc/binary, I:32, ...>>` with whole-byte small integers after the
/// accumulator, for `step`: the new binary, or `None` (nothing done) for
/// any other construction, which `step_one` builds.
#[inline(never)]
fn append_int_tail(heap: &mut crate::heap::Heap, xp: *mut Term, y0: *mut Term, segs: Ref) -> Option<Term> {
    let LoadedTable::Segments(ss, shape) = table(segs) else {
        unreachable!("BsCreateBin table")
    };
    if let Some(a) = shape {
        let (acc, v) = (operand(xp, y0, a.acc), operand(xp, y0, a.value));
        if let Some(t) = crate::binary::append_int(heap, acc, v, a.bytes as usize, a.little) {
            return Some(t);
        }
    }
    let mut vals = [(Term::NIL, None); 4];
    // Not `<<Acc/binary, ...>>`: leave it before reading any operand.
    if !(2..=vals.len()).contains(&ss.len()) || ss[0].ty != compiler::bytecode::BinType::Binary {
        return None;
    }
    for (slot, s) in vals.iter_mut().zip(ss.iter()) {
        *slot = (operand(xp, y0, s.value), s.size.map(|z| operand(xp, y0, z)));
    }
    crate::bits::append_int_tail(heap, ss, &vals[..ss.len()])
}

/// `BsMatchRun`: its steps in order, segment values written to their
/// registers as they match; whether all matched, or `None` (before doing
/// anything) when `ctx` is not a match context. Out of line so that `step`
/// runs it without growing its loop.
#[inline(never)]
fn match_run(
    heap: &mut crate::heap::Heap,
    xp: *mut Term,
    y0: *mut Term,
    ctx: Src,
    steps: Ref,
) -> Option<bool> {
    let LoadedTable::MatchRun(steps) = table(steps) else {
        unreachable!("BsMatchRun table")
    };
    let read = |s: Src| operand(xp, y0, s);
    let write = |d: Dst, v: Term| set_operand(xp, y0, d, v);
    let mut c = match steps.first() {
        Some(MatchStep::Start(..)) => Term::NIL,
        _ => {
            let c = read(ctx);
            if c.subtag() != Some(crate::term::Subtag::MatchCtx) {
                return None;
            }
            c
        }
    };
    for step in steps.iter() {
        let matched = match step {
            MatchStep::Start(src, dst) => match crate::bits::start_or_restart(heap, read(*src)) {
                Some(m) => {
                    write(*dst, m);
                    c = m;
                    true
                }
                None => false,
            },
            MatchStep::Get(spec, dst) => match crate::bits::get(heap, c, spec, spec.size.map(read)) {
                Some(v) => {
                    write(*dst, v);
                    true
                }
                None => false,
            },
            MatchStep::GetIntBytes { bytes, signed, dst } => {
                match crate::bits::get_int_bytes(c, *bytes, *signed) {
                    Some(v) => {
                        write(*dst, v);
                        true
                    }
                    None => false,
                }
            }
            MatchStep::GetBinaryBytes(size, dst) => match crate::bits::get_binary_bytes(heap, c, read(*size))
            {
                Some(v) => {
                    write(*dst, v);
                    true
                }
                None => false,
            },
            MatchStep::Skip(spec) => crate::bits::get(heap, c, spec, spec.size.map(read)).is_some(),
            MatchStep::Unit(unit) => crate::bits::has_unit(c, *unit),
            MatchStep::TailCtx(dst) => {
                write(*dst, crate::bits::pass_on(heap, c));
                true
            }
            MatchStep::TailCtxInPlace(dst) => {
                write(*dst, crate::bits::pass_on_in_place(c));
                true
            }
        };
        if !matched {
            return Some(false);
        }
    }
    Some(true)
}

/// A stop or exception an instruction native code had the interpreter run
/// ended with: `execute` acts on it.
pub(crate) struct Pending(Result<Stop, Unwind>);

/// For native code: run the instruction at `ip` in the interpreter (with
/// the registers native code had), and return where to go on, or 0 when
/// native code must hand over: the slice stopped, an exception was raised
/// (both left in `ctx.pending`), or the heap wants a collection. The
/// registers after it are in `ctx`.
///
/// # Safety
/// `ctx` was made by `jit::enter` for the process running; `len`, `cp`,
/// `reds` and `htop` are native code's registers.
pub(crate) unsafe extern "C" fn jit_run_one(
    ctx: *mut crate::jit::JitCtx,
    len: usize,
    cp: usize,
    reds: i64,
    htop: *mut u64,
    ip: usize,
) -> usize {
    // SAFETY: the caller's contract: these point at the VM, the inbox, the
    // process and its register file, which native code does not touch
    // while this runs.
    let ctx = unsafe { &mut *ctx };
    // SAFETY: as said.
    let (vm, inbox, p, x) = unsafe {
        (
            &*ctx.vm,
            &*ctx.inbox,
            &mut *ctx.proc,
            std::slice::from_raw_parts_mut(ctx.x, X_REGS),
        )
    };
    // SAFETY: native code kept `len` words of the stack initialised.
    unsafe { p.stack.set_len(len) };
    p.heap.jit_set_top(htop);
    let (ip, cp) = (ip as *const Instr, cp as *const Instr);
    let mut st = State { ip, cp, reds };
    let mut regs = Regs { ip, cp, reds };
    // `execute` counts the reductions of the whole native run.
    let counted = p.reductions;
    let r = step_one(vm, inbox, p, &mut st, x, &mut regs);
    p.reductions = counted;
    ctx.stack = p.stack.as_mut_ptr();
    ctx.cap = p.stack.capacity();
    ctx.len = p.stack.len();
    (ctx.htop, ctx.hlim) = p.heap.jit_window();
    match r {
        Ok(Stop::Continue) => {
            ctx.ip = regs.ip as usize;
            ctx.cp = regs.cp as usize;
            ctx.reds = regs.reds;
            if p.heap.wants_gc() {
                0
            } else {
                regs.ip as usize
            }
        }
        r => {
            ctx.ip = st.ip as usize;
            ctx.cp = st.cp as usize;
            ctx.reds = st.reds;
            ctx.pending = Some(Pending(r));
            0
        }
    }
}

/// What native code's one-instruction helpers (`jit_*` below, all with the
/// signature `(ctx, len, htop, instr) -> u64`) run in: the process's heap
/// with native code's free pointer `htop`, the register file and the frame
/// (the stack `len` long). The heap's next free word goes back to
/// `ctx.htop`, its end to `ctx.hlim`.
///
/// # Safety
/// `ctx` was made by `jit::enter` for the process running; `len` and
/// `htop` are native code's registers.
unsafe fn on_native_heap<R>(
    ctx: *mut crate::jit::JitCtx,
    len: usize,
    htop: *mut u64,
    f: impl FnOnce(&mut crate::heap::Heap, *mut Term, *mut Term) -> R,
) -> R {
    // SAFETY: the caller's contract: native code does not touch the
    // process while this runs.
    let (ctx, p) = unsafe { (&mut *ctx, &mut *(*ctx).proc) };
    p.heap.jit_set_top(htop);
    let y0 = ctx.stack.wrapping_add(len).wrapping_sub(1);
    let r = f(&mut p.heap, ctx.x, y0);
    (ctx.htop, ctx.hlim) = p.heap.jit_window();
    r
}

/// For native code: a `BsMatchRun` (`instr`). Returns 1 (matched), 0 (no
/// match) or 2 (not a match context: the interpreter raises).
///
/// # Safety
/// As for `on_native_heap`; `instr` is a loaded `BsMatchRun`.
pub(crate) unsafe extern "C" fn jit_match_run(
    ctx: *mut crate::jit::JitCtx,
    len: usize,
    htop: *mut u64,
    instr: *const Instr,
) -> u64 {
    // SAFETY: the caller's contract.
    let Instr::BsMatchRun { ctx: c, steps, .. } = (unsafe { &*instr }) else {
        return 2;
    };
    // SAFETY: the caller's contract.
    let r = unsafe { on_native_heap(ctx, len, htop, |heap, x, y0| match_run(heap, x, y0, *c, *steps)) };
    match r {
        Some(true) => 1,
        Some(false) => 0,
        None => 2,
    }
}

/// For native code: `<<Acc/binary, ...>>` (the `BsCreateBin` `instr`) when
/// it appends in place, as `step` does; 0 when the interpreter must build
/// it.
///
/// # Safety
/// As for `on_native_heap`; `instr` is a loaded `BsCreateBin`.
pub(crate) unsafe extern "C" fn jit_append(
    ctx: *mut crate::jit::JitCtx,
    len: usize,
    htop: *mut u64,
    instr: *const Instr,
) -> u64 {
    // SAFETY: the caller's contract.
    let Instr::BsCreateBin { segs, .. } = (unsafe { &*instr }) else {
        return 0;
    };
    // SAFETY: the caller's contract.
    let r = unsafe { on_native_heap(ctx, len, htop, |heap, x, y0| append_int_tail(heap, x, y0, *segs)) };
    r.map_or(0, |t| t.0)
}

/// For native code: `GetMapElements` (`instr`): 1 when every key is in the
/// map (values written to their registers), 0 when one is missing or the
/// source is no map (nothing written: the failure label).
///
/// # Safety
/// As for `on_native_heap`; `instr` is a loaded `GetMapElements`.
pub(crate) unsafe extern "C" fn jit_map_get(
    ctx: *mut crate::jit::JitCtx,
    len: usize,
    htop: *mut u64,
    instr: *const Instr,
) -> u64 {
    // SAFETY: the caller's contract.
    let Instr::GetMapElements { src, pairs, .. } = (unsafe { &*instr }) else {
        return 0;
    };
    let LoadedTable::Gets(gs) = table(*pairs) else {
        return 0;
    };
    let found = |_: &mut crate::heap::Heap, x: *mut Term, y0: *mut Term| {
        let m = operand(x, y0, *src);
        if !m.is_map() {
            return 0;
        }
        // Every key is looked up before any register is written (a
        // destination may be another key's register); the values wait on
        // the stack, or in a vector beyond eight keys.
        let mut few = [Term::NIL; 8];
        let mut many = Vec::new();
        let values: &mut [Term] = if gs.len() <= few.len() {
            &mut few[..gs.len()]
        } else {
            many.resize(gs.len(), Term::NIL);
            &mut many
        };
        for ((k, _), v) in gs.iter().zip(values.iter_mut()) {
            match map::get(m, operand(x, y0, *k)) {
                Some(found) => *v = found,
                None => return 0,
            }
        }
        for ((_, d), v) in gs.iter().zip(values.iter()) {
            set_operand(x, y0, *d, *v);
        }
        1
    };
    // SAFETY: the caller's contract.
    unsafe { on_native_heap(ctx, len, htop, found) }
}

/// For native code: `PutMapExact` (`instr`) when the source is a map with
/// every key: the new map; 0 when the interpreter must do it (and jump or
/// raise).
///
/// # Safety
/// As for `on_native_heap`; `instr` is a loaded `PutMapExact`.
pub(crate) unsafe extern "C" fn jit_map_update(
    ctx: *mut crate::jit::JitCtx,
    len: usize,
    htop: *mut u64,
    instr: *const Instr,
) -> u64 {
    // SAFETY: the caller's contract.
    let Instr::PutMapExact { src, pairs, .. } = (unsafe { &*instr }) else {
        return 0;
    };
    let LoadedTable::Pairs(ps) = table(*pairs) else {
        return 0;
    };
    let update = |heap: &mut crate::heap::Heap, x: *mut Term, y0: *mut Term| {
        let mut m = operand(x, y0, *src);
        if !m.is_map() {
            return 0;
        }
        for (k, v) in ps.iter() {
            match map::update(heap, m, operand(x, y0, *k), operand(x, y0, *v)) {
                Some(n) => m = n,
                // A missing key: what was built is garbage, and the
                // interpreter does it again and fails.
                None => return 0,
            }
        }
        m.0
    };
    // SAFETY: the caller's contract.
    unsafe { on_native_heap(ctx, len, htop, update) }
}

/// For native code: the code `CallFun` of arity `n` goes to when x(n) is a
/// closure of that arity whose module is loaded, with its free variables
/// put in x(n)..; 0, having done nothing, otherwise (the interpreter's
/// `call_fun_target` handles export funs and raises).
///
/// # Safety
/// As for `jit_run_one`.
pub(crate) unsafe fn fun_entry_native(ctx: &mut crate::jit::JitCtx, n: usize) -> *const Instr {
    // SAFETY: the caller's contract: `x` is the register file.
    let x = unsafe { std::slice::from_raw_parts_mut(ctx.x, X_REGS) };
    let f = x[n];
    if !(fun::is_closure(f) && f.is_boxed()) {
        return std::ptr::null();
    }
    let entry = fun::entry(f);
    let code = entry.code();
    if entry.arity as usize != n || code.is_null() {
        return std::ptr::null();
    }
    for (i, v) in fun::free_vars(f).iter().enumerate() {
        x[n + i] = *v;
    }
    code
}

/// Is a code pointer the process-exit continuation?
pub fn is_exit(ip: *const Instr) -> bool {
    ip == exit_ptr()
}

/// The module code server (for callers outside the interpreter).
pub fn code_server(vm: &Vm) -> &CodeServer {
    &vm.code
}
