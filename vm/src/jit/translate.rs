//! Bytecode → Cranelift IR, one function at a time (see `jit` for the
//! contract native code keeps with the interpreter).
//!
//! Each instruction reached from the entry gets a block. The process's
//! stack, the continuation, the reduction count and the heap's free pointer
//! live in Cranelift variables while native code runs, and go to the
//! `JitCtx` before anything that can leave the function (a call, a return,
//! a bail-out); x registers are read and written in the register file.

use super::{fun_entry, grow_stack, int_op, size_op, JitCtx};
use crate::code::LoadedModule;
use crate::code::{export_ref, table, Export, LoadedTable};
use crate::interp::{jit_append, jit_map_get, jit_map_update, jit_match_run, jit_run_one};
use crate::term::{header, Subtag};
use compiler::bytecode::{tag, Dst, Instr, Label, Src};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{
    AbiParam, Block, FuncRef, InstBuilder, MemFlagsData, SigRef, Signature, UserFuncName, Value,
};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};
use std::collections::{HashMap, VecDeque};
use std::mem::offset_of;

const INSTR_BYTES: i64 = std::mem::size_of::<Instr>() as i64;

/// Cranelift's JIT module and the contexts reused from one function to the
/// next.
pub(super) struct Compiler {
    module: JITModule,
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
    functions: u32,
}

// SAFETY: the JIT module owns the memory of the code it made and holds raw
// pointers into it; the `Jit` keeps the compiler behind a mutex, so one
// thread at a time uses it.
unsafe impl Send for Compiler {}

impl Compiler {
    /// A compiler for the host, or None where Cranelift has no backend.
    pub(super) fn new() -> Option<Compiler> {
        let mut flags = settings::builder();
        flags.set("opt_level", "speed").ok()?;
        flags.set("use_colocated_libcalls", "false").ok()?;
        flags.set("is_pic", "false").ok()?;
        let isa = cranelift_native::builder()
            .ok()?
            .finish(settings::Flags::new(flags))
            .ok()?;
        let module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
        Some(Compiler {
            ctx: module.make_context(),
            module,
            fctx: FunctionBuilderContext::new(),
            functions: 0,
        })
    }

    /// Compile the function whose entry is instruction `entry` of `m`:
    /// the native entry's address, or None if it cannot be compiled.
    pub(super) fn compile(&mut self, m: &LoadedModule, entry: usize) -> Option<usize> {
        let code: &[Instr] = &m.code;
        if entry == 0 || entry >= code.len() || !matches!(code[entry - 1], Instr::FuncInfo { .. }) {
            return None;
        }
        let end = code[entry..]
            .iter()
            .position(|i| matches!(i, Instr::FuncInfo { .. }))
            .map_or(code.len(), |k| entry + k);
        // A function that waits for messages leaves native code at every
        // wait (the process stops), and comes back through the interpreter:
        // it runs faster interpreted throughout.
        if code[entry..end]
            .iter()
            .any(|i| matches!(i, Instr::Wait { .. } | Instr::WaitTimeout { .. }))
        {
            return None;
        }
        let sig = native_signature(&self.module);
        self.functions += 1;
        let name = format!("beryl_jit_{}", self.functions);
        let id = self.module.declare_function(&name, Linkage::Local, &sig).ok()?;
        self.ctx.func.signature = sig.clone();
        self.ctx.func.name = UserFuncName::user(0, id.as_u32());
        let self_ref = self.module.declare_func_in_func(id, &mut self.ctx.func);
        let config = self.module.target_config();
        {
            let b = FunctionBuilder::new(&mut self.ctx.func, &mut self.fctx);
            Translator::new(b, code, entry, end, self_ref, sig).run(config);
        }
        let dump = std::env::var_os("BERYL_JIT_DUMP").is_some();
        self.ctx.set_disasm(dump);
        let defined = self.module.define_function(id, &mut self.ctx);
        if dump {
            // For developers: the machine code of each compiled function.
            let f = m
                .function_at(entry)
                .map(|(f, a)| format!("{}:{}/{a}", crate::atom::name(m.name), crate::atom::name(f)));
            let asm = self
                .ctx
                .compiled_code()
                .and_then(|c| c.vcode.clone())
                .unwrap_or_default();
            eprintln!("== {name} = {}\n{asm}", f.unwrap_or_default());
        }
        self.module.clear_context(&mut self.ctx);
        if let Err(e) = defined.as_ref() {
            // Cranelift refused what `Translator` made (its verifier is
            // on): a bug here. The function stays interpreted; with
            // BERYL_JIT_STRICT the VM stops, so that tests see it.
            if std::env::var_os("BERYL_JIT_STRICT").is_some() {
                eprintln!(
                    "beryl: JIT: cannot compile a function of {}: {e:?}",
                    crate::atom::name(m.name)
                );
                std::process::exit(70);
            }
        }
        defined.ok()?;
        self.module.finalize_definitions().ok()?;
        Some(self.module.get_finalized_function(id) as usize)
    }
}

/// `NativeFn`: (ctx, stack, len, cp, reds, htop) -> (reds, htop).
fn native_signature(module: &JITModule) -> Signature {
    let mut sig = module.make_signature();
    for _ in 0..6 {
        sig.params.push(AbiParam::new(I64));
    }
    sig.returns.push(AbiParam::new(I64));
    sig.returns.push(AbiParam::new(I64));
    sig
}

/// A `JitCtx` field offset as a load/store offset.
fn ctx_offset(field: usize) -> i32 {
    field as i32
}

/// Whom a call calls.
#[derive(Clone, Copy)]
enum Callee {
    /// The function being compiled.
    Itself,
    /// Another function of the module, at this entry.
    Local(usize),
    /// Through this export (`CallExt`).
    Remote(*const Export),
}

/// Where the `jit` slot of a `FuncInfo` lies in the instruction (the
/// layout of an enum variant is the compiler's, so it is measured).
pub(super) fn slot_offset() -> i64 {
    let info = Instr::FuncInfo {
        module: Src(0),
        function: Src(0),
        arity: 0,
        jit: compiler::bytecode::RuntimeSlot::default(),
    };
    let Instr::FuncInfo { jit, .. } = &info else {
        unreachable!("made above")
    };
    jit as *const _ as i64 - &info as *const Instr as i64
}

/// Translation state of one function.
struct Translator<'a> {
    b: FunctionBuilder<'a>,
    code: &'a [Instr],
    base: i64,
    entry: usize,
    end: usize,
    blocks: HashMap<usize, Block>,
    bails: HashMap<usize, Block>,
    todo: VecDeque<usize>,
    self_ref: FuncRef,
    native_sig: SigRef,
    grow_sig: SigRef,
    run_one_sig: SigRef,
    /// `(ctx, len, htop, instr) -> word`: helpers that run one kind of
    /// instruction (match runs, appends, map reads and updates).
    instr_helper_sig: SigRef,
    /// Where a function's JIT slot is, from its entry (in its `FuncInfo`,
    /// the instruction before).
    slot_in_entry: i64,
    op1_sig: SigRef,
    op2_sig: SigRef,
    /// `(ctx, word) -> word`.
    ctx_word_sig: SigRef,
    ctx: Value,
    xbase: Value,
    stack: Variable,
    len: Variable,
    cp: Variable,
    reds: Variable,
    htop: Variable,
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

impl<'a> Translator<'a> {
    fn new(
        mut b: FunctionBuilder<'a>,
        code: &'a [Instr],
        entry: usize,
        end: usize,
        self_ref: FuncRef,
        sig: Signature,
    ) -> Translator<'a> {
        let mut grow = Signature::new(sig.call_conv);
        for _ in 0..3 {
            grow.params.push(AbiParam::new(I64));
        }
        grow.returns.push(AbiParam::new(I64));
        let grow_sig = b.import_signature(grow);
        let helper = |b: &mut FunctionBuilder<'a>, params: &[cranelift_codegen::ir::Type]| {
            let mut s = Signature::new(sig.call_conv);
            for &t in params {
                s.params.push(AbiParam::new(t));
            }
            s.returns.push(AbiParam::new(I64));
            b.import_signature(s)
        };
        let run_one_sig = helper(&mut b, &[I64; 6]);
        let instr_helper_sig = helper(&mut b, &[I64; 4]);
        let op1_sig = helper(&mut b, &[I32, I64]);
        let op2_sig = helper(&mut b, &[I32, I64, I64]);
        let ctx_word_sig = helper(&mut b, &[I64, I64]);
        let native_sig = b.import_signature(sig);
        let start = b.create_block();
        b.append_block_params_for_function_params(start);
        b.switch_to_block(start);
        let params = b.block_params(start).to_vec();
        let ctx = params[0];
        let xbase = b.ins().load(I64, flags(), ctx, ctx_offset(offset_of!(JitCtx, x)));
        let vars = [(); 5].map(|_| b.declare_var(I64));
        for (var, &v) in vars.iter().zip(&params[1..]) {
            b.def_var(*var, v);
        }
        let [stack, len, cp, reds, htop] = vars;
        Translator {
            b,
            code,
            base: code.as_ptr() as i64,
            entry,
            end,
            blocks: HashMap::new(),
            bails: HashMap::new(),
            todo: VecDeque::new(),
            self_ref,
            native_sig,
            grow_sig,
            run_one_sig,
            instr_helper_sig,
            slot_in_entry: slot_offset() - INSTR_BYTES,
            op1_sig,
            op2_sig,
            ctx_word_sig,
            ctx,
            xbase,
            stack,
            len,
            cp,
            reds,
            htop,
        }
    }

    fn run(mut self, config: cranelift_codegen::isa::TargetFrontendConfig) {
        let first = self.block_for(self.entry);
        self.b.ins().jump(first, &[]);
        while let Some(i) = self.todo.pop_front() {
            let block = self.blocks[&i];
            self.b.switch_to_block(block);
            self.instr(i);
        }
        let mut bails: Vec<(usize, Block)> = self.bails.iter().map(|(&at, &b)| (at, b)).collect();
        bails.sort_unstable_by_key(|&(at, _)| at);
        for (at, b) in bails {
            self.b.switch_to_block(b);
            self.bail(at);
        }
        self.b.seal_all_blocks();
        self.b.finalize(config);
    }

    // ---- plumbing -------------------------------------------------------

    fn addr_of(&self, i: usize) -> i64 {
        self.base + i as i64 * INSTR_BYTES
    }

    fn label(&self, i: usize, off: Label) -> usize {
        (i as i64 + off as i64 / INSTR_BYTES) as usize
    }

    /// The block of instruction `t`, or a bail-out to it when it is outside
    /// this function.
    fn block_for(&mut self, t: usize) -> Block {
        if t < self.entry || t >= self.end {
            return self.bail_block(t);
        }
        if let Some(&b) = self.blocks.get(&t) {
            return b;
        }
        let b = self.b.create_block();
        self.blocks.insert(t, b);
        self.todo.push_back(t);
        b
    }

    /// A block that hands over to the interpreter at instruction `at`
    /// (filled at the end: a block cannot be left half-built).
    fn bail_block(&mut self, at: usize) -> Block {
        if let Some(&b) = self.bails.get(&at) {
            return b;
        }
        let b = self.b.create_block();
        self.b.set_cold_block(b);
        self.bails.insert(at, b);
        b
    }

    /// Hand over to the interpreter at instruction `at` (ends the block):
    /// the state goes to the context, and the result says so.
    fn bail(&mut self, at: usize) {
        let addr = self.addr_of(at);
        let ip = self.b.ins().iconst(I64, addr);
        self.hand_over_at(ip);
    }

    fn goto(&mut self, t: usize) {
        let b = self.block_for(t);
        self.b.ins().jump(b, &[]);
    }

    /// Branch on `cond` (nonzero: `yes`).
    fn branch(&mut self, cond: Value, yes: Block, no: Block) {
        self.b.ins().brif(cond, yes, &[], no, &[]);
    }

    /// Go on in a fresh block (after a branch that left the current one).
    fn fresh(&mut self) -> Block {
        self.b.create_block()
    }

    fn ctx_load(&mut self, off: usize) -> Value {
        self.b.ins().load(I64, flags(), self.ctx, ctx_offset(off))
    }

    fn ctx_store(&mut self, v: Value, off: usize) {
        self.b.ins().store(flags(), v, self.ctx, ctx_offset(off));
    }

    /// The address just above the top of the stack (`y(i)` is 8·(i+1)
    /// bytes below it).
    fn stack_top(&mut self) -> Value {
        let s = self.b.use_var(self.stack);
        let l = self.b.use_var(self.len);
        let bytes = self.b.ins().ishl_imm_u(l, 3);
        self.b.ins().iadd(s, bytes)
    }

    fn src(&mut self, s: Src) -> Value {
        if let Some(x) = s.as_x() {
            self.b.ins().load(I64, flags(), self.xbase, (8 * x) as i32)
        } else if let Some(y) = s.as_y() {
            let top = self.stack_top();
            self.b.ins().load(I64, flags(), top, -8 * (y as i32 + 1))
        } else {
            self.b.ins().iconst(I64, s.0 as i64)
        }
    }

    fn dst(&mut self, d: Dst, v: Value) {
        if d.is_y() {
            let top = self.stack_top();
            self.b.ins().store(flags(), v, top, -8 * (d.index() as i32 + 1));
        } else {
            self.b.ins().store(flags(), v, self.xbase, (8 * d.index()) as i32);
        }
    }

    /// Drop a frame of `n` slots, restoring the continuation.
    fn dealloc(&mut self, n: u32) {
        let top = self.stack_top();
        let c = self.b.ins().load(I64, flags(), top, -8 * (n as i32 + 1));
        self.b.def_var(self.cp, c);
        let l = self.b.use_var(self.len);
        let l = self.b.ins().iadd_imm_s(l, -(n as i64 + 1));
        self.b.def_var(self.len, l);
    }

    /// Return to the continuation: the interpreter goes on there (a native
    /// caller knows where it is).
    fn ret(&mut self) {
        let c = self.b.use_var(self.cp);
        self.ctx_store(c, offset_of!(JitCtx, ip));
        let r = self.b.use_var(self.reds);
        let h = self.b.use_var(self.htop);
        self.b.ins().return_(&[r, h]);
    }

    /// Both words are small integers: a value that is nonzero when so.
    fn both_small(&mut self, a: Value, b: Value) -> Value {
        let both = self.b.ins().band(a, b);
        let t = self.b.ins().band_imm_s(both, tag::IMMED1_MASK as i64);
        self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::IMMED1_SMALL as i64)
    }

    /// Test `cond` and go to `i + 1` or to `fail`.
    fn test(&mut self, i: usize, fail: Label, cond: Value) {
        let yes = self.block_for(i + 1);
        let no = self.block_for(self.label(i, fail));
        self.branch(cond, yes, no);
    }

    // ---- instructions ---------------------------------------------------

    fn instr(&mut self, i: usize) {
        match self.code[i] {
            // Superinstructions: their first part, then the instruction
            // after them (which is still in place) runs the rest.
            Instr::Move { src, dst }
            | Instr::Move2 { a: src, b: dst, .. }
            | Instr::MoveCall { src, dst, .. }
            | Instr::MoveCallLast { src, dst, .. }
            | Instr::MoveCallOnly { src, dst, .. }
            | Instr::MoveSub { src, dst, .. } => {
                let v = self.src(src);
                self.dst(dst, v);
                self.goto(i + 1);
            }
            Instr::AllocateMove { slots, .. } | Instr::Allocate { slots } => {
                self.allocate(slots);
                self.goto(i + 1);
            }
            Instr::Deallocate { slots } => {
                self.dealloc(slots);
                self.goto(i + 1);
            }
            Instr::TestHeap { .. } => {
                // Native code never lets the heap want a collection (see
                // `jit`): nothing to do.
                self.goto(i + 1);
            }
            Instr::Return {} => self.ret(),
            Instr::DeallocReturn { slots } => {
                self.dealloc(slots);
                self.ret();
            }
            Instr::MoveReturn { src } => {
                let v = self.src(src);
                self.dst(Dst::x(0), v);
                self.ret();
            }
            Instr::MoveDeallocReturn { src, slots } => {
                let v = self.src(src);
                self.dst(Dst::x(0), v);
                self.dealloc(slots);
                self.ret();
            }
            Instr::Call { target, .. } => self.call(i, self.label(i, target), None, false),
            Instr::CallLast { target, dealloc, .. } => {
                self.call(i, self.label(i, target), Some(dealloc), true)
            }
            Instr::CallOnly { target, .. } => self.call(i, self.label(i, target), None, true),
            Instr::Jump { target } => self.goto(self.label(i, target)),
            Instr::CallExt { import, .. } => self.call_to(i, Callee::Remote(export_ref(import)), None, false),
            Instr::CallExtLast { import, dealloc, .. } => {
                self.call_to(i, Callee::Remote(export_ref(import)), Some(dealloc), true)
            }
            Instr::CallExtOnly { import, .. } => {
                self.call_to(i, Callee::Remote(export_ref(import)), None, true)
            }
            Instr::CallFun { arity } => self.call_fun(i, arity, None, false),
            Instr::CallFunLast { arity, dealloc } => self.call_fun(i, arity, Some(dealloc), true),
            Instr::CallFunOnly { arity } => self.call_fun(i, arity, None, true),
            Instr::Add { a, b, dst, .. } => self.add_sub(i, a, b, dst, true),
            Instr::Sub { a, b, dst, .. } => self.add_sub(i, a, b, dst, false),
            Instr::IsLt { fail, a, b } | Instr::IsLtRet { fail, a, b, .. } => {
                self.compare(i, fail, a, b, IntCC::SignedLessThan)
            }
            Instr::IsGe { fail, a, b } | Instr::IsGeRet { fail, a, b, .. } => {
                self.compare(i, fail, a, b, IntCC::SignedGreaterThanOrEqual)
            }
            Instr::IsEqExact { fail, a, b } | Instr::IsEqExactRet { fail, a, b, .. } => {
                self.exact_eq(i, fail, a, b, true)
            }
            Instr::IsNeExact { fail, a, b } | Instr::IsNeExactRet { fail, a, b, .. } => {
                self.exact_eq(i, fail, a, b, false)
            }
            Instr::IsNil { fail, arg } => {
                let v = self.src(arg);
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, v, tag::NIL as i64);
                self.test(i, fail, c);
            }
            Instr::IsNonemptyList { fail, arg } | Instr::IsNonemptyGetList { fail, src: arg, .. } => {
                let v = self.src(arg);
                let c = self.is_cons(v);
                self.test(i, fail, c);
            }
            Instr::IsList { fail, arg } => {
                let v = self.src(arg);
                let cons = self.is_cons(v);
                let nil = self.b.ins().icmp_imm_s(IntCC::Equal, v, tag::NIL as i64);
                let c = self.b.ins().bor(cons, nil);
                self.test(i, fail, c);
            }
            Instr::IsAtom { fail, arg } => {
                let v = self.src(arg);
                let t = self.b.ins().band_imm_s(v, tag::IMMED2_MASK as i64);
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::IMMED2_ATOM as i64);
                self.test(i, fail, c);
            }
            Instr::IsInteger { fail, arg } => {
                // Small: yes; another immediate: no; boxed: the
                // interpreter looks (a bignum?).
                let v = self.src(arg);
                let t = self.b.ins().band_imm_s(v, tag::IMMED1_MASK as i64);
                let small = self.b.ins().icmp_imm_s(IntCC::Equal, t, tag::IMMED1_SMALL as i64);
                let next = self.block_for(i + 1);
                let other = self.fresh();
                self.branch(small, next, other);
                self.b.switch_to_block(other);
                let p = self.b.ins().band_imm_s(v, tag::PRIMARY_MASK as i64);
                let imm = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::Equal, p, tag::PRIMARY_IMMED1 as i64);
                let fail_b = self.block_for(self.label(i, fail));
                let bail = self.bail_block(i);
                self.branch(imm, fail_b, bail);
            }
            Instr::GetList { src, head, tail } => {
                let v = self.src(src);
                let h = self.b.ins().load(I64, flags(), v, -(tag::PRIMARY_LIST as i32));
                let t = self.b.ins().load(I64, flags(), v, 8 - tag::PRIMARY_LIST as i32);
                self.dst(head, h);
                self.dst(tail, t);
                self.goto(i + 1);
            }
            Instr::GetHd { src, dst } => {
                let v = self.src(src);
                let h = self.b.ins().load(I64, flags(), v, -(tag::PRIMARY_LIST as i32));
                self.dst(dst, h);
                self.goto(i + 1);
            }
            Instr::GetTl { src, dst } => {
                let v = self.src(src);
                let t = self.b.ins().load(I64, flags(), v, 8 - tag::PRIMARY_LIST as i32);
                self.dst(dst, t);
                self.goto(i + 1);
            }
            Instr::PutList { head, tail, dst } | Instr::PutListDeallocReturn { head, tail, dst, .. } => {
                let h = self.src(head);
                let t = self.src(tail);
                let top = self.b.use_var(self.htop);
                let next = self.b.ins().iadd_imm_s(top, 16);
                let hlim = self.ctx_load(offset_of!(JitCtx, hlim));
                let full = self.b.ins().icmp(IntCC::UnsignedGreaterThan, next, hlim);
                let bail = self.bail_block(i);
                let fits = self.fresh();
                self.branch(full, bail, fits);
                self.b.switch_to_block(fits);
                self.b.ins().store(flags(), h, top, 0);
                self.b.ins().store(flags(), t, top, 8);
                self.b.def_var(self.htop, next);
                let cons = self.b.ins().bor_imm_s(top, tag::PRIMARY_LIST as i64);
                self.dst(dst, cons);
                self.goto(i + 1);
            }
            Instr::IsTuple { fail, arg } => {
                let h = self.boxed_header(i, fail, arg);
                let t = self.b.ins().band_imm_s(h, 0x3f);
                let c = self
                    .b
                    .ins()
                    .icmp_imm_s(IntCC::Equal, t, header(Subtag::Tuple, 0) as i64);
                self.test(i, fail, c);
            }
            Instr::TestArity { fail, arg, arity } => {
                let h = self.boxed_header(i, fail, arg);
                let c =
                    self.b
                        .ins()
                        .icmp_imm_s(IntCC::Equal, h, header(Subtag::Tuple, arity as usize) as i64);
                self.test(i, fail, c);
            }
            Instr::IsTaggedTuple {
                fail,
                arg,
                arity,
                tag,
            } => {
                let h = self.boxed_header(i, fail, arg);
                let c =
                    self.b
                        .ins()
                        .icmp_imm_s(IntCC::Equal, h, header(Subtag::Tuple, arity as usize) as i64);
                let first = self.fresh();
                let fail_b = self.block_for(self.label(i, fail));
                self.branch(c, first, fail_b);
                self.b.switch_to_block(first);
                let v = self.src(arg);
                let e = self.b.ins().load(I64, flags(), v, 8 - tag::PRIMARY_BOXED as i32);
                let want = self.src(tag);
                let c = self.b.ins().icmp(IntCC::Equal, e, want);
                self.test(i, fail, c);
            }
            Instr::GetTupleElement { src, index, dst } => {
                let v = self.src(src);
                let e = self.b.ins().load(
                    I64,
                    flags(),
                    v,
                    8 * (index as i32 + 1) - tag::PRIMARY_BOXED as i32,
                );
                self.dst(dst, e);
                self.goto(i + 1);
            }
            Instr::PutTuple { elems, dst } => {
                let LoadedTable::Srcs(srcs) = table(elems) else {
                    return self.bail(i);
                };
                let n = srcs.len();
                let top = self.b.use_var(self.htop);
                let next = self.b.ins().iadd_imm_s(top, 8 * (n as i64 + 1));
                let hlim = self.ctx_load(offset_of!(JitCtx, hlim));
                let full = self.b.ins().icmp(IntCC::UnsignedGreaterThan, next, hlim);
                let bail = self.bail_block(i);
                let fits = self.fresh();
                self.branch(full, bail, fits);
                self.b.switch_to_block(fits);
                let h = self.b.ins().iconst(I64, header(Subtag::Tuple, n) as i64);
                self.b.ins().store(flags(), h, top, 0);
                for (k, &s) in srcs.iter().enumerate() {
                    let v = self.src(s);
                    self.b.ins().store(flags(), v, top, 8 * (k as i32 + 1));
                }
                self.b.def_var(self.htop, next);
                let t = self.b.ins().bor_imm_s(top, tag::PRIMARY_BOXED as i64);
                self.dst(dst, t);
                self.goto(i + 1);
            }
            Instr::SelectVal { arg, fail, table: t } => self.select_val(i, arg, fail, t),
            Instr::SizeBif1 { op, a, dst, .. } => {
                let v = self.src(a);
                let f = self.b.ins().iconst(I64, size_op as *const () as i64);
                let op = self.b.ins().iconst(I32, op as i64);
                let call = self.b.ins().call_indirect(self.op1_sig, f, &[op, v]);
                let r = self.b.inst_results(call)[0];
                self.pure_result(i, dst, r);
            }
            Instr::IntBif2 { op, a, b, dst, .. } => {
                let va = self.src(a);
                let vb = self.src(b);
                let f = self.b.ins().iconst(I64, int_op as *const () as i64);
                let op = self.b.ins().iconst(I32, op as i64);
                let call = self.b.ins().call_indirect(self.op2_sig, f, &[op, va, vb]);
                let r = self.b.inst_results(call)[0];
                self.pure_result(i, dst, r);
            }
            Instr::BsMatchRun { fail, covers, .. } => self.match_run(i, fail, covers),
            Instr::BsCreateBin { dst, .. } => self.value_helper(i, dst, jit_append as *const () as usize),
            Instr::PutMapExact { dst, .. } => self.value_helper(i, dst, jit_map_update as *const () as usize),
            Instr::GetMapElements { fail, .. } => {
                let found = self.instr_helper(i, jit_map_get as *const () as usize);
                self.test(i, fail, found);
            }
            Instr::IsMap { fail, arg } => self.subtag_test(i, fail, arg, &[Subtag::FlatMap, Subtag::HashMap]),
            Instr::IsFunction { fail, arg } => self.subtag_test(i, fail, arg, &[Subtag::Fun, Subtag::Export]),
            Instr::IsFloat { fail, arg } => self.subtag_test(i, fail, arg, &[Subtag::Float]),
            // The interpreter's own loop finishes these (`step_one` hands
            // them back): the interpreter takes over.
            Instr::FuncInfo { .. } | Instr::Exit {} => self.bail(i),
            // Everything else: the interpreter runs the instruction, and
            // native code goes on where it leads.
            _ => self.via_interpreter(i),
        }
    }

    /// The header of boxed `arg` (read in a fresh block, where this
    /// leaves the builder); anything else goes to `fail`.
    fn boxed_header(&mut self, i: usize, fail: Label, arg: Src) -> Value {
        let v = self.src(arg);
        let p = self.b.ins().band_imm_s(v, tag::PRIMARY_MASK as i64);
        let boxed = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, p, tag::PRIMARY_BOXED as i64);
        let ok = self.fresh();
        let fail_b = self.block_for(self.label(i, fail));
        self.branch(boxed, ok, fail_b);
        self.b.switch_to_block(ok);
        self.b.ins().load(I64, flags(), v, -(tag::PRIMARY_BOXED as i32))
    }

    /// Is `arg` boxed with one of `subtags`?
    fn subtag_test(&mut self, i: usize, fail: Label, arg: Src, subtags: &[Subtag]) {
        let h = self.boxed_header(i, fail, arg);
        let t = self.b.ins().band_imm_s(h, 0x3c);
        let mut any = self.b.ins().iconst(cranelift_codegen::ir::types::I8, 0);
        for &s in subtags {
            let c = self.b.ins().icmp_imm_s(IntCC::Equal, t, header(s, 0) as i64);
            any = self.b.ins().bor(any, c);
        }
        self.test(i, fail, any);
    }

    /// A helper's result `r` to `dst`, or (0) the interpreter runs `i`.
    fn pure_result(&mut self, i: usize, dst: Dst, r: Value) {
        let done = self.fresh();
        let slow = self.fresh();
        self.branch(r, done, slow);
        self.b.switch_to_block(slow);
        self.via_interpreter(i);
        self.b.switch_to_block(done);
        self.dst(dst, r);
        self.goto(i + 1);
    }

    /// `SelectVal` over immediate values: compare in turn. A table with a
    /// boxed value goes to the interpreter.
    fn select_val(&mut self, i: usize, arg: Src, fail: Label, t: compiler::bytecode::Ref) {
        let LoadedTable::Jumps(js) = table(t) else {
            return self.bail(i);
        };
        if !js.iter().all(|(k, _)| k.is_immediate()) {
            return self.via_interpreter(i);
        }
        let v = self.src(arg);
        for &(k, target) in js.iter() {
            let at = (target as i64 - self.base) / INSTR_BYTES;
            let hit = self.b.ins().icmp_imm_s(IntCC::Equal, v, k.0 as i64);
            let target = self.block_for(at as usize);
            let next = self.fresh();
            self.branch(hit, target, next);
            self.b.switch_to_block(next);
        }
        // No immediate key equals it (and a boxed value equals none).
        self.goto(self.label(i, fail));
    }

    /// Call `helper(ctx, len, htop, instr)` for instruction `i` (an
    /// `interp::jit_*` helper that runs one instruction on the heap) and
    /// return its result; the heap's free pointer comes back in the context.
    fn instr_helper(&mut self, i: usize, helper: usize) -> Value {
        let f = self.b.ins().iconst(I64, helper as i64);
        let l = self.b.use_var(self.len);
        let h = self.b.use_var(self.htop);
        let at = self.addr_of(i);
        let instr = self.b.ins().iconst(I64, at);
        let call = self
            .b
            .ins()
            .call_indirect(self.instr_helper_sig, f, &[self.ctx, l, h, instr]);
        let r = self.b.inst_results(call)[0];
        let h = self.ctx_load(offset_of!(JitCtx, htop));
        self.b.def_var(self.htop, h);
        r
    }

    /// A `BsMatchRun` through `interp::jit_match_run`: 1 matched, 0 no
    /// match, 2 not a match context (the interpreter raises).
    fn match_run(&mut self, i: usize, fail: Label, covers: u32) {
        let r = self.instr_helper(i, jit_match_run as *const () as usize);
        let matched = self.fresh();
        let other = self.fresh();
        let one = self.b.ins().icmp_imm_s(IntCC::Equal, r, 1);
        self.branch(one, matched, other);
        self.b.switch_to_block(other);
        let no = self.block_for(self.label(i, fail));
        let raise = self.bail_block(i);
        self.branch(r, raise, no);
        self.b.switch_to_block(matched);
        self.unless_gc_due(i + covers as usize);
    }

    /// Go on at `t`, or let the interpreter go on there when a helper left
    /// the heap wanting a collection (it collects at its next safe point).
    fn unless_gc_due(&mut self, t: usize) {
        let flag = self.ctx_load(offset_of!(JitCtx, need_gc));
        let due = self.b.ins().uload8(I64, flags(), flag, 0);
        let go = self.block_for(t);
        let hand_over = self.bail_block(t);
        self.branch(due, hand_over, go);
    }

    /// Instruction `i` through `helper`, which returns the value for `dst`,
    /// or 0 for the interpreter to run it (`<<Acc/binary, ...>>` appended
    /// in place, a map updated).
    fn value_helper(&mut self, i: usize, dst: Dst, helper: usize) {
        let r = self.instr_helper(i, helper);
        let done = self.fresh();
        let slow = self.fresh();
        self.branch(r, done, slow);
        self.b.switch_to_block(slow);
        self.via_interpreter(i);
        self.b.switch_to_block(done);
        self.dst(dst, r);
        self.unless_gc_due(i + 1);
    }

    /// The interpreter runs instruction `i` (`interp::jit_run_one`); native code
    /// goes on at its successor when it is one of this function's, and
    /// hands over otherwise (a call, a stop, an exception, a collection
    /// due).
    fn via_interpreter(&mut self, i: usize) {
        let f = self.b.ins().iconst(I64, jit_run_one as *const () as i64);
        let l = self.b.use_var(self.len);
        let c = self.b.use_var(self.cp);
        let r = self.b.use_var(self.reds);
        let h = self.b.use_var(self.htop);
        let at = self.addr_of(i);
        let ip = self.b.ins().iconst(I64, at);
        let call = self
            .b
            .ins()
            .call_indirect(self.run_one_sig, f, &[self.ctx, l, c, r, h, ip]);
        let next = self.b.inst_results(call)[0];
        let go = self.fresh();
        let handed = self.fresh();
        self.branch(next, go, handed);
        self.b.switch_to_block(handed);
        // The state is in the context already.
        let zero = self.b.ins().iconst(I64, 0);
        self.b.ins().return_(&[zero, zero]);
        self.b.switch_to_block(go);
        for (var, off) in [
            (self.stack, offset_of!(JitCtx, stack)),
            (self.len, offset_of!(JitCtx, len)),
            (self.cp, offset_of!(JitCtx, cp)),
            (self.reds, offset_of!(JitCtx, reds)),
            (self.htop, offset_of!(JitCtx, htop)),
        ] {
            let v = self.ctx_load(off);
            self.b.def_var(var, v);
        }
        for t in self.successors(i) {
            let addr = self.addr_of(t);
            let hit = self.b.ins().icmp_imm_s(IntCC::Equal, next, addr);
            let target = self.block_for(t);
            let miss = self.fresh();
            self.branch(hit, target, miss);
            self.b.switch_to_block(miss);
        }
        // Anywhere else (a callee, a handler): the interpreter goes on there.
        let zero = self.b.ins().iconst(I64, 0);
        self.b.ins().return_(&[zero, zero]);
    }

    /// Where instruction `i` may go on within this function: the next
    /// instruction, its labels and its jump table's targets.
    fn successors(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i + 1];
        let mut instr = self.code[i].clone();
        if !matches!(instr, Instr::Try { .. } | Instr::Catch { .. }) {
            instr.operands_mut(|op| match op {
                compiler::bytecode::Operand::Label(l) if *l != 0 => out.push(self.label(i, *l)),
                compiler::bytecode::Operand::Ref(compiler::bytecode::RefKind::Table, r) => {
                    if let LoadedTable::Jumps(js) = table(*r) {
                        for &(_, t) in js.iter() {
                            out.push(((t as i64 - self.base) / INSTR_BYTES) as usize);
                        }
                    }
                }
                _ => {}
            });
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|&t| t != i && t >= self.entry && t < self.end);
        out
    }

    fn is_cons(&mut self, v: Value) -> Value {
        let p = self.b.ins().band_imm_s(v, tag::PRIMARY_MASK as i64);
        self.b.ins().icmp_imm_s(IntCC::Equal, p, tag::PRIMARY_LIST as i64)
    }

    /// Push a frame of `slots` y registers (set to []) and the continuation.
    fn allocate(&mut self, slots: u32) {
        let need = slots as i64 + 1;
        let l = self.b.use_var(self.len);
        let c = self.ctx_load(offset_of!(JitCtx, cap));
        let new_len = self.b.ins().iadd_imm_s(l, need);
        let over = self.b.ins().icmp(IntCC::UnsignedGreaterThan, new_len, c);
        let grow = self.fresh();
        let fits = self.fresh();
        self.b.set_cold_block(grow);
        self.branch(over, grow, fits);
        self.b.switch_to_block(grow);
        let f = self.b.ins().iconst(I64, grow_stack as *const () as i64);
        let n = self.b.ins().iconst(I64, need);
        let call = self.b.ins().call_indirect(self.grow_sig, f, &[self.ctx, l, n]);
        let s = self.b.inst_results(call)[0];
        self.b.def_var(self.stack, s);
        self.b.ins().jump(fits, &[]);
        self.b.switch_to_block(fits);
        let s = self.b.use_var(self.stack);
        let bytes = self.b.ins().ishl_imm_u(l, 3);
        let base = self.b.ins().iadd(s, bytes);
        let cp = self.b.use_var(self.cp);
        self.b.ins().store(flags(), cp, base, 0);
        let nil = self.b.ins().iconst(I64, tag::NIL as i64);
        for k in 1..=slots {
            self.b.ins().store(flags(), nil, base, 8 * k as i32);
        }
        self.b.def_var(self.len, new_len);
        let zero = self.b.ins().iconst(I64, 0);
        self.b.def_var(self.cp, zero);
    }

    fn add_sub(&mut self, i: usize, a: Src, b: Src, dst: Dst, add: bool) {
        let va = self.src(a);
        let vb = self.src(b);
        let small = self.both_small(va, vb);
        let bail = self.bail_block(i);
        let go = self.fresh();
        self.branch(small, go, bail);
        self.b.switch_to_block(go);
        // Tagged words: (a<<4|15) - 15 + (b<<4|15) = (a+b)<<4|15, and the
        // 64-bit operation overflows exactly when the result is no small.
        let (r, overflow) = if add {
            let a0 = self.b.ins().iadd_imm_s(va, -(tag::IMMED1_SMALL as i64));
            self.b.ins().sadd_overflow(a0, vb)
        } else {
            self.b.ins().ssub_overflow(va, vb)
        };
        let done = self.fresh();
        self.branch(overflow, bail, done);
        self.b.switch_to_block(done);
        let r = if add {
            r
        } else {
            self.b.ins().iadd_imm_s(r, tag::IMMED1_SMALL as i64)
        };
        self.dst(dst, r);
        self.goto(i + 1);
    }

    /// `IsLt`/`IsGe` of two small integers (tagged words order as their
    /// values); anything else in the interpreter.
    fn compare(&mut self, i: usize, fail: Label, a: Src, b: Src, cc: IntCC) {
        let va = self.src(a);
        let vb = self.src(b);
        let small = self.both_small(va, vb);
        let bail = self.bail_block(i);
        let go = self.fresh();
        self.branch(small, go, bail);
        self.b.switch_to_block(go);
        let c = self.b.ins().icmp(cc, va, vb);
        self.test(i, fail, c);
    }

    /// `IsEqExact` (`eq`) or `IsNeExact`: identical words are equal, two
    /// different immediates are not; anything else in the interpreter.
    fn exact_eq(&mut self, i: usize, fail: Label, a: Src, b: Src, eq: bool) {
        let va = self.src(a);
        let vb = self.src(b);
        let same = self.b.ins().icmp(IntCC::Equal, va, vb);
        let next = self.block_for(i + 1);
        let fail_b = self.block_for(self.label(i, fail));
        let (if_same, if_differ) = if eq { (next, fail_b) } else { (fail_b, next) };
        let other = self.fresh();
        self.branch(same, if_same, other);
        self.b.switch_to_block(other);
        let both = self.b.ins().band(va, vb);
        let t = self.b.ins().band_imm_s(both, tag::PRIMARY_MASK as i64);
        let imm = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, t, tag::PRIMARY_IMMED1 as i64);
        let bail = self.bail_block(i);
        self.branch(imm, if_differ, bail);
    }

    /// A local call of instruction `t` at instruction `i`: `dealloc` drops
    /// the frame first (`CallLast`), `tail` makes it the function's last act.
    fn call(&mut self, i: usize, t: usize, dealloc: Option<u32>, tail: bool) {
        let callee = if t == self.entry {
            Callee::Itself
        } else {
            Callee::Local(t)
        };
        self.call_to(i, callee, dealloc, tail);
    }

    /// A call at instruction `i` (`dealloc` drops the frame first, as in
    /// `CallLast`; `tail` makes it the function's last act).
    fn call_to(&mut self, i: usize, callee: Callee, dealloc: Option<u32>, tail: bool) {
        // The slice: the interpreter counts the call that uses it up.
        let r = self.b.use_var(self.reds);
        let left = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, r, 1);
        let bail = self.bail_block(i);
        let go = self.fresh();
        self.branch(left, go, bail);
        self.b.switch_to_block(go);
        let r = self.b.ins().iadd_imm_s(r, -1);
        if tail && matches!(callee, Callee::Itself) {
            // A self tail call is a loop.
            self.b.def_var(self.reds, r);
            if let Some(n) = dealloc {
                self.dealloc(n);
            }
            self.goto(self.entry);
            return;
        }
        // The callee's native entry (its slot is read at each call: it may
        // be compiled after this function).
        let slot_addr = match callee {
            Callee::Itself => None,
            Callee::Local(t) => {
                let Some(Instr::FuncInfo { jit, .. }) = t.checked_sub(1).and_then(|k| self.code.get(k))
                else {
                    self.bail(i);
                    return;
                };
                Some(self.b.ins().iconst(I64, &jit.0 as *const _ as i64))
            }
            Callee::Remote(export) => {
                // A BIF, or a module not loaded yet: the interpreter's
                // code for the call (after a BIF, native code goes on).
                let e = self.b.ins().iconst(I64, export as i64);
                let native = self.b.ins().load(I64, flags(), e, Export::NATIVE_OFFSET as i32);
                let code = self.b.ins().load(I64, flags(), e, Export::CODE_OFFSET as i32);
                let slow = self.fresh();
                let erlang = self.fresh();
                let loaded = self.fresh();
                self.branch(native, slow, erlang);
                self.b.switch_to_block(erlang);
                self.branch(code, loaded, slow);
                self.b.switch_to_block(slow);
                self.via_interpreter(i);
                self.b.switch_to_block(loaded);
                if tail {
                    // `?MODULE:f(...)` from f itself (still this code): a loop.
                    let entry = self.addr_of(self.entry);
                    let itself = self.b.ins().icmp_imm_s(IntCC::Equal, code, entry);
                    let again = self.fresh();
                    let other = self.fresh();
                    self.branch(itself, again, other);
                    self.b.switch_to_block(again);
                    self.b.def_var(self.reds, r);
                    if let Some(n) = dealloc {
                        self.dealloc(n);
                    }
                    self.goto(self.entry);
                    self.b.switch_to_block(other);
                }
                // An export's code is a function entry, right after its
                // FuncInfo.
                Some(self.b.ins().iadd_imm_s(code, self.slot_in_entry))
            }
        };
        let callee = match slot_addr {
            None => None,
            Some(slot) => {
                let s = self.b.ins().load(I64, flags(), slot, 0);
                let odd = self.b.ins().band_imm_s(s, 1);
                let even = self.fresh();
                self.branch(odd, bail, even);
                self.b.switch_to_block(even);
                let native = self.fresh();
                self.branch(s, native, bail);
                self.b.switch_to_block(native);
                Some(s)
            }
        };
        // The machine stack: deep recursion goes on in the interpreter.
        self.unless_deep(bail);
        self.commit_call(i, r, dealloc, tail);
        self.native_call(i, callee, tail);
    }

    /// `CallFun` (and its tail forms) at `i`: `jit::fun_entry` puts a
    /// closure's free variables in place and returns its code; compiled,
    /// it is called natively, else the interpreter goes on at its entry.
    /// Anything else (an export fun, a bad fun, a module not loaded) is the
    /// interpreter's, with nothing done yet.
    fn call_fun(&mut self, i: usize, arity: u32, dealloc: Option<u32>, tail: bool) {
        let r = self.b.use_var(self.reds);
        let left = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, r, 1);
        let bail = self.bail_block(i);
        let go = self.fresh();
        self.branch(left, go, bail);
        self.b.switch_to_block(go);
        self.unless_deep(bail);
        let f = self.b.ins().iconst(I64, fun_entry as *const () as i64);
        let n = self.b.ins().iconst(I64, arity as i64);
        let call = self.b.ins().call_indirect(self.ctx_word_sig, f, &[self.ctx, n]);
        let code = self.b.inst_results(call)[0];
        let found = self.fresh();
        let slow = self.fresh();
        self.branch(code, found, slow);
        self.b.switch_to_block(slow);
        self.via_interpreter(i);
        self.b.switch_to_block(found);
        let r = self.b.ins().iadd_imm_s(r, -1);
        self.commit_call(i, r, dealloc, tail);
        let slot = self.b.ins().load(I64, flags(), code, self.slot_in_entry as i32);
        let odd = self.b.ins().band_imm_s(slot, 1);
        let interpreted = self.fresh();
        let even = self.fresh();
        self.branch(odd, interpreted, even);
        self.b.switch_to_block(even);
        let native = self.fresh();
        self.branch(slot, native, interpreted);
        self.b.switch_to_block(interpreted);
        // The call is made: the interpreter runs the fun from its entry.
        self.hand_over_at(code);
        self.b.switch_to_block(native);
        self.native_call(i, Some(slot), tail);
    }

    /// Hand over to the interpreter at the instruction `ip` points to.
    fn hand_over_at(&mut self, ip: Value) {
        for (var, off) in [
            (self.len, offset_of!(JitCtx, len)),
            (self.cp, offset_of!(JitCtx, cp)),
            (self.reds, offset_of!(JitCtx, reds)),
            (self.htop, offset_of!(JitCtx, htop)),
        ] {
            let v = self.b.use_var(var);
            self.ctx_store(v, off);
        }
        self.ctx_store(ip, offset_of!(JitCtx, ip));
        let zero = self.b.ins().iconst(I64, 0);
        self.b.ins().return_(&[zero, zero]);
    }

    /// Go on in a fresh block unless the machine stack is below its limit
    /// (then to `bail`).
    fn unless_deep(&mut self, bail: Block) {
        let sp = self.b.ins().get_stack_pointer(I64);
        let limit = self.ctx_load(offset_of!(JitCtx, sp_limit));
        let deep = self.b.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
        let go = self.fresh();
        self.branch(deep, bail, go);
        self.b.switch_to_block(go);
    }

    /// The call at `i` is made: count it (`reds` is what is left after it)
    /// and set the continuation (drop the frame, for `dealloc`).
    fn commit_call(&mut self, i: usize, reds: Value, dealloc: Option<u32>, tail: bool) {
        self.b.def_var(self.reds, reds);
        match dealloc {
            Some(n) => self.dealloc(n),
            None if !tail => {
                let addr = self.addr_of(i + 1);
                let c = self.b.ins().iconst(I64, addr);
                self.b.def_var(self.cp, c);
            }
            None => {}
        }
    }

    /// Call native code (`callee`, or this function) for the call at `i`,
    /// and go on after it (or return, for a `tail` call).
    fn native_call(&mut self, i: usize, callee: Option<Value>, tail: bool) {
        let args = [
            self.ctx,
            self.b.use_var(self.stack),
            self.b.use_var(self.len),
            self.b.use_var(self.cp),
            self.b.use_var(self.reds),
            self.b.use_var(self.htop),
        ];
        let call = match callee {
            None => self.b.ins().call(self.self_ref, &args),
            Some(f) => self.b.ins().call_indirect(self.native_sig, f, &args),
        };
        let (reds, htop) = {
            let r = self.b.inst_results(call);
            (r[0], r[1])
        };
        if tail {
            // Its return is this function's.
            self.b.ins().return_(&[reds, htop]);
            return;
        }
        let pass_on = self.fresh();
        let after = self.fresh();
        self.branch(htop, after, pass_on);
        self.b.switch_to_block(pass_on);
        // The callee bailed out and left the state in the context.
        let zero = self.b.ins().iconst(I64, 0);
        self.b.ins().return_(&[zero, zero]);
        self.b.switch_to_block(after);
        // Back from a return: the stack is as long as before, the
        // continuation register is empty, the buffer may have moved.
        self.b.def_var(self.reds, reds);
        self.b.def_var(self.htop, htop);
        let zero = self.b.ins().iconst(I64, 0);
        self.b.def_var(self.cp, zero);
        let s = self.ctx_load(offset_of!(JitCtx, stack));
        self.b.def_var(self.stack, s);
        self.goto(i + 1);
    }
}
