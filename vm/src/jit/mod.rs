//! The JIT: hot functions compiled to native code with Cranelift.
//!
//! A function's `FuncInfo` carries a slot (`RuntimeSlot`): the interpreter
//! counts calls in it and, at `HOT_CALLS`, `translate` compiles the whole
//! function, from its entry to the next function's `FuncInfo`, and stores
//! the native entry there. From then on a call the interpreter makes to the
//! function runs the native code (`enter`).
//!
//! Native code is a faithful replacement for the bytecode, not a different
//! machine: x registers stay in the interpreter's register file, y
//! registers and continuations stay on the process stack (continuations are
//! bytecode addresses), and the heap is the process's young generation. So
//! at every instruction boundary the process is in exactly the state the
//! interpreter would have it in, and native code can hand over to the
//! interpreter at any instruction ("bail out"): it stores the address of
//! the instruction it has not run and returns. It does that for every
//! instruction it does not translate and for the slow paths of those it
//! does (bignum arithmetic, comparisons of boxed terms, a full heap, a
//! used-up slice, a callee without native code). The interpreter then runs
//! that instruction and everything after it, exceptions included; the
//! native frames of the abandoned calls are simply gone, since the process
//! stack holds everything they stood for.
//!
//! Native calls between compiled functions are machine calls: the caller
//! pushes nothing on the machine stack that the process needs, and a return
//! in the callee is a machine return to the instruction after the call
//! (which is the continuation the stack holds). `JitCtx::sp_limit` bounds
//! the machine stack: a call below it bails out and the interpreter goes
//! on. A self tail call is a jump.
//!
//! Invariants native code relies on:
//! - it is entered only from the interpreter's calls, after their safe
//!   point, so the heap does not want a collection; native code allocates
//!   only within the young generation's limit (otherwise it bails out), so
//!   it never needs one and never collects;
//! - nothing else touches the process while native code runs (it runs on
//!   the scheduler thread that owns the process's turn).

mod translate;

use crate::interp::Pending;
use crate::process::Process;
use crate::signal::Inbox;
use crate::term::Term;
use crate::vm::Vm;
use compiler::bytecode::{Instr, RuntimeSlot};
use std::sync::atomic::Ordering;
use std::sync::Mutex;

/// Calls of a function before it is compiled.
pub const HOT_CALLS: usize = 1000;

/// A slot that is not counted any more: the function is not compiled.
pub const DISABLED: usize = usize::MAX;

/// Whether a slot value is a native entry. Slot values: 0 (never called),
/// `count << 1 | 1` while counting, `DISABLED`, or the entry's address
/// (even: Cranelift aligns functions).
#[inline]
pub fn is_native(slot: usize) -> bool {
    slot & 1 == 0 && slot != 0
}

/// When functions are compiled (`BERYL_JIT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JitMode {
    /// Never: everything is interpreted.
    Off,
    /// After `HOT_CALLS` calls (the default).
    Hot,
    /// At the first call (for testing the JIT on every function).
    Eager,
}

impl JitMode {
    /// `BERYL_JIT=off|hot|eager`; anything else is the default.
    pub fn from_env() -> JitMode {
        match std::env::var("BERYL_JIT").as_deref() {
            Ok("off") | Ok("0") => JitMode::Off,
            Ok("eager") => JitMode::Eager,
            _ => JitMode::Hot,
        }
    }
}

/// What native code and the interpreter hand each other. The hot state
/// (the stack's buffer and length, the continuation, the reductions left
/// and the heap's free pointer) travels in registers, as the arguments of a
/// native function; this holds the rest, and all of it after a bail-out.
/// Native code reads and writes the fields at their offsets (`translate`
/// uses `offset_of!`).
#[repr(C)]
pub(crate) struct JitCtx {
    /// The x register file.
    pub x: *mut Term,
    /// The process stack's buffer and capacity (`grow_stack` updates them).
    pub stack: *mut Term,
    pub cap: usize,
    /// Out: the instruction where the interpreter goes on.
    pub ip: usize,
    /// After a bail-out: the stack's length, the continuation register,
    /// reductions left, the heap's next free word (`len`, `cp`, `reds` and
    /// `htop` also after `interp::jit_run_one`, `htop` after the other
    /// helpers).
    pub len: usize,
    pub cp: usize,
    pub reds: i64,
    pub htop: *mut u64,
    /// The young generation's end (helpers that allocate update it).
    pub hlim: *mut u64,
    /// A native call with the machine stack pointer below this bails out.
    pub sp_limit: usize,
    /// The heap's "collect at the next safe point" flag: a helper that
    /// allocated may have set it, and then native code hands over.
    pub need_gc: *const bool,
    /// For the interpreter's code native code calls (`interp::jit_run_one`
    /// and the other `jit_*` helpers).
    pub vm: *const Vm,
    pub inbox: *const Inbox,
    pub proc: *mut Process,
    /// A stop or exception to act on, after a hand-over.
    pub pending: Option<Pending>,
}

/// What the interpreter's call of native code comes back with: where to go
/// on, and what to act on first.
pub(crate) struct Entered {
    pub ip: *const Instr,
    pub cp: *const Instr,
    pub reds: i64,
    pub(crate) pending: Option<Pending>,
}

/// Native code calls a fun of arity `n` (`interp::fun_entry_native`):
/// its code, or 0. A fun's body is counted here as a function called, so
/// hot funs get compiled too.
///
/// # Safety
/// As for `interp::jit_run_one`.
pub(crate) unsafe extern "C" fn fun_entry(ctx: *mut JitCtx, n: u64) -> *const Instr {
    // SAFETY: the caller's contract.
    let ctx = unsafe { &mut *ctx };
    // SAFETY: as said.
    let code = unsafe { crate::interp::fun_entry_native(ctx, n as usize) };
    if !code.is_null() {
        // SAFETY: a fun's code is a function entry, after its FuncInfo;
        // the VM outlives native code.
        if let (Instr::FuncInfo { jit: slot, .. }, vm) = unsafe { (&*code.sub(1), &*ctx.vm) } {
            let s = slot.0.load(Ordering::Relaxed);
            if !is_native(s) && s != DISABLED {
                vm.jit.note_call(vm, slot, code);
            }
        }
    }
    code
}

/// `byte_size`, `bit_size`, `tuple_size` (`op`) of `t`, or 0 for the
/// interpreter to do (and raise).
pub(crate) extern "C" fn size_op(op: u32, t: u64) -> u64 {
    crate::bif::SizeOp::from_code(op)
        .and_then(|op| crate::bif::size_op(op, Term(t)))
        .map_or(0, |v| v.0)
}

/// An integer operator (`op`) of two small integers, or 0 for the
/// interpreter to do (bignums, errors).
pub(crate) extern "C" fn int_op(op: u32, a: u64, b: u64) -> u64 {
    let (a, b) = (Term(a), Term(b));
    if !(a.is_small() && b.is_small()) {
        return 0;
    }
    crate::bif::IntOp::from_code(op)
        .and_then(|op| crate::bif::int_op_small(op, a.small_value(), b.small_value()))
        .map_or(0, |v| v.0)
}

/// What a native function returns: the reductions left and the heap's next
/// free word after a return (to `JitCtx::ip`); a null `htop` after a
/// bail-out (the state is in the `JitCtx`). Two words, returned in
/// registers.
#[repr(C)]
pub struct NativeResult {
    pub reds: i64,
    pub htop: *mut u64,
}

/// A compiled function: `f(ctx, stack, len, cp, reds, htop)`.
pub(crate) type NativeFn =
    unsafe extern "C" fn(*mut JitCtx, *mut Term, usize, usize, i64, *mut u64) -> NativeResult;

/// Machine stack native code may use below the interpreter's call into it
/// (a native frame takes well under 128 bytes: some 2,000 nested calls).
/// Scheduler threads have 4 MiB (`sched::SCHEDULER_STACK_BYTES`).
const NATIVE_STACK_BYTES: usize = 256 * 1024;

/// The stack helper native code calls when a frame does not fit: make room
/// for `need` more words above `len`; returns the buffer.
///
/// # Safety
/// `ctx` is the context `enter` made; `len` words of the stack are
/// initialised.
pub(crate) unsafe extern "C" fn grow_stack(ctx: *mut JitCtx, len: usize, need: usize) -> *mut Term {
    // SAFETY: the caller's contract; nothing else uses the process's stack
    // while native code runs.
    unsafe {
        let ctx = &mut *ctx;
        let v = &mut (*ctx.proc).stack;
        v.set_len(len);
        v.reserve(need);
        ctx.stack = v.as_mut_ptr();
        ctx.cap = v.capacity();
        ctx.stack
    }
}

/// Run native code from the interpreter's call to `entry`: hand over the
/// registers and take them back.
#[inline(never)]
pub(crate) fn enter(
    entry: usize,
    vm: &Vm,
    inbox: &Inbox,
    p: &mut Process,
    x: *mut Term,
    cp: *const Instr,
    reds: i64,
) -> Entered {
    let (htop, hlim) = p.heap.jit_window();
    let len = p.stack.len();
    let stack = p.stack.as_mut_ptr();
    let cap = p.stack.capacity();
    let here = 0u8;
    // Native code and its helpers reach the process through this one
    // pointer (and pointers made from it) until it returns.
    let proc: *mut Process = p;
    let mut ctx = JitCtx {
        x,
        stack,
        cap,
        ip: 0,
        len,
        cp: cp as usize,
        reds,
        htop,
        hlim,
        sp_limit: (&here as *const u8 as usize).saturating_sub(NATIVE_STACK_BYTES),
        // SAFETY: as above.
        need_gc: unsafe { (*proc).heap.need_gc_flag() },
        vm,
        inbox,
        proc,
        pending: None,
    };
    // SAFETY: `entry` came from a slot, where only `Jit::compile` stores
    // native entries; the context and arguments describe this process,
    // whose state is the interpreter's at the call (see the module's
    // invariants). `p` is not used until native code returns.
    let r = unsafe {
        let f = std::mem::transmute::<usize, NativeFn>(entry);
        f(&mut ctx, stack, len, cp as usize, reds, htop)
    };
    if r.htop.is_null() {
        // Handed over: native code kept the words below `ctx.len`
        // initialised.
        // SAFETY: as said.
        unsafe { p.stack.set_len(ctx.len) };
        p.heap.jit_set_top(ctx.htop);
        Entered {
            ip: ctx.ip as *const Instr,
            cp: ctx.cp as *const Instr,
            reds: ctx.reds,
            pending: ctx.pending,
        }
    } else {
        // Returned: a function leaves the stack as long as it found it.
        // SAFETY: those words were initialised before the call.
        unsafe { p.stack.set_len(len) };
        p.heap.jit_set_top(r.htop);
        Entered {
            ip: ctx.ip as *const Instr,
            cp: std::ptr::null(),
            reds: r.reds,
            pending: None,
        }
    }
}

/// A VM's JIT: its mode and the compiler (one at a time).
pub struct Jit {
    mode: JitMode,
    compiler: Mutex<Option<translate::Compiler>>,
}

impl Jit {
    pub fn new(mode: JitMode) -> Jit {
        Jit {
            mode,
            compiler: Mutex::new(None),
        }
    }

    pub fn mode(&self) -> JitMode {
        self.mode
    }

    /// The interpreter calls the function at `entry` (its registers are
    /// `cp` and `reds`), whose slot is live: run its native code, counting
    /// the call and compiling the function first if it is hot by now.
    /// Returns where the interpreter goes on, or None when the function
    /// has no native code (go on at `entry`).
    ///
    /// # Safety
    /// `entry` is the entry of a loaded function (it follows the
    /// function's `FuncInfo`); `x` is the process's register file, and
    /// `cp` and `reds` are the interpreter's registers at the call.
    #[allow(clippy::too_many_arguments)]
    // Out of line: inlined, it (and the compiler behind it) filled the
    // interpreter's `execute` and slowed its loop by a quarter.
    #[inline(never)]
    pub(crate) unsafe fn call(
        &self,
        vm: &Vm,
        inbox: &Inbox,
        p: &mut Process,
        x: *mut Term,
        entry: *const Instr,
        cp: *const Instr,
        reds: i64,
    ) -> Option<Entered> {
        // SAFETY: the caller's contract.
        let Instr::FuncInfo { jit: slot, .. } = (unsafe { &*entry.sub(1) }) else {
            return None;
        };
        let mut s = slot.0.load(Ordering::Acquire);
        if !is_native(s) {
            self.note_call(vm, slot, entry);
            s = slot.0.load(Ordering::Acquire);
            if !is_native(s) {
                return None;
            }
        }
        Some(enter(s, vm, inbox, p, x, cp, reds))
    }

    /// Count a call of the function at `entry`, whose slot is not native,
    /// and compile the function when it is hot.
    fn note_call(&self, vm: &Vm, slot: &RuntimeSlot, entry: *const Instr) {
        let s = slot.0.load(Ordering::Relaxed);
        if s == DISABLED || is_native(s) {
            return;
        }
        let threshold = match self.mode {
            JitMode::Off => {
                slot.0.store(DISABLED, Ordering::Relaxed);
                return;
            }
            JitMode::Hot => HOT_CALLS,
            JitMode::Eager => 1,
        };
        let n = (s >> 1) + 1;
        if n < threshold {
            // Racing schedulers may lose a count: it only delays compiling.
            slot.0.store((n << 1) | 1, Ordering::Relaxed);
            return;
        }
        self.compile(vm, slot, entry);
    }

    #[cold]
    #[inline(never)]
    fn compile(&self, vm: &Vm, slot: &RuntimeSlot, entry: *const Instr) {
        let Some(module) = vm.code.module_of(entry) else {
            slot.0.store(DISABLED, Ordering::Relaxed);
            return;
        };
        let mut guard = self.compiler.lock().unwrap_or_else(|e| e.into_inner());
        // Another scheduler may have compiled it meanwhile.
        if is_native(slot.0.load(Ordering::Acquire)) {
            return;
        }
        if guard.is_none() {
            *guard = translate::Compiler::new();
        }
        let result = match guard.as_mut() {
            Some(c) => c.compile(&module, module.index_of(entry)),
            None => None,
        };
        match result {
            Some(native) => slot.0.store(native, Ordering::Release),
            None => slot.0.store(DISABLED, Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::test_support::load;

    /// Native code finds a remote callee's slot from its entry address.
    #[test]
    fn the_slot_is_found_from_an_entry() {
        let m = load("-module(m).\n-export([a/1]).\na(N) -> N.\n");
        let (_, _, info, entry) = m.functions[0];
        let Instr::FuncInfo { jit, .. } = &m.code[info] else {
            panic!("no FuncInfo")
        };
        let entry = &m.code[entry] as *const Instr as i64;
        let found = entry - std::mem::size_of::<Instr>() as i64 + translate::slot_offset();
        assert_eq!(found, &jit.0 as *const _ as i64);
    }

    #[test]
    fn slot_values() {
        assert!(!is_native(0));
        assert!(!is_native((5 << 1) | 1));
        assert!(!is_native(DISABLED));
        assert!(is_native(0x7f00_1234_5670));
    }

    /// Every function of a module with most instruction kinds compiles (a
    /// Cranelift verifier error would make `compile` refuse it), except
    /// the one that waits for messages.
    #[test]
    fn functions_compile_and_receive_loops_do_not() {
        let m = load(
            "-module(m).\n-export([a/1, b/2, c/1, d/1, e/2, f/1, g/1, h/2]).\n\
             a(N) when N < 2 -> N;\n\
             a(N) -> a(N - 1) + a(N - 2).\n\
             b([H | T], L) -> [H | b(T, L)];\n\
             b([], L) -> L.\n\
             c(X) -> case X of 1.5 -> f; a -> a; {p, Y} -> Y * 2; [_ | _] -> length(X); _ -> element(1, X) end.\n\
             d(M) -> #{k := V} = M, M#{k := V + 1, j => <<V:32>>}.\n\
             e(<<T, L:16, P:L/binary, R/binary>>, A) -> e(R, A + T + byte_size(P));\n\
             e(<<>>, A) -> {A, self()}.\n\
             f(L) -> try lists:sum(L) catch error:R -> {error, R} after ok end.\n\
             g(N) -> receive {x, M} -> g(N + M); stop -> N end.\n\
             h(F, L) -> F(hd(L)) + lists:foldl(fun(X, A) -> X + A end, 0, L) + ?MODULE:a(3).\n",
        );
        let mut c = translate::Compiler::new().expect("a host backend");
        for &(f, a, _, entry) in &m.functions {
            let name = format!("{}/{a}", crate::atom::name(f));
            let compiled = c.compile(&m, entry);
            if name == "g/1" {
                assert!(compiled.is_none(), "{name} waits for messages");
            } else {
                assert!(compiled.is_some_and(is_native), "{name} did not compile");
            }
        }
    }

    #[test]
    fn hot_mode_counts_calls_and_off_mode_disables() {
        let m = load("-module(m).\n-export([a/1]).\na(N) -> N + 1.\n");
        let vm = crate::vm::Vm::new(crate::vm::Config {
            jit: JitMode::Hot,
            ..Default::default()
        });
        let (_, _, info, entry) = m.functions[0];
        let Instr::FuncInfo { jit: slot, .. } = &m.code[info] else {
            panic!("no FuncInfo")
        };
        let at = &m.code[entry] as *const Instr;
        for _ in 0..HOT_CALLS - 1 {
            vm.jit.note_call(&vm, slot, at);
        }
        assert!(!is_native(slot.0.load(Ordering::Relaxed)));
        assert_eq!(slot.0.load(Ordering::Relaxed), ((HOT_CALLS - 1) << 1) | 1);
        let off = Jit::new(JitMode::Off);
        off.note_call(&vm, slot, at);
        assert_eq!(slot.0.load(Ordering::Relaxed), DISABLED);
    }
}
