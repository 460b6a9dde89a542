//! Loaded code: modules, the export table, fun entries, catch handlers, and
//! the loader that turns a compiled module into executable code.
//!
//! The loader patches each instruction's module-relative operands into
//! direct references: literal indices become terms in the module's literal
//! area, imports become pointers to export entries, BIF references become
//! native function pointers, lambda and table indices become pointers. The
//! interpreter then never looks anything up by name on the fast path.
//!
//! Export entries, fun entries and loaded code are never freed, so the raw
//! pointers to them that code and terms hold stay valid.

use crate::atom;
use crate::bif::{self, BifFn};
use crate::heap::Heap;
use crate::term::Term;
use compiler::bytecode::{
    self, BinMatchSpec, BinSegment, Dst, Instr, Literal, Operand, Ref, RefKind, Src, Table,
};
use std::collections::HashMap;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// An entry of the export table: where `Module:Function/Arity` is.
pub struct Export {
    pub module: Term,
    pub function: Term,
    pub arity: u32,
    /// Erlang code, or null when the module is not loaded.
    code: AtomicPtr<Instr>,
    /// A native implementation (BIF), or 0.
    native: AtomicUsize,
}

impl Export {
    /// Where native code finds the code and native pointers (`jit`).
    pub(crate) const CODE_OFFSET: usize = std::mem::offset_of!(Export, code);
    pub(crate) const NATIVE_OFFSET: usize = std::mem::offset_of!(Export, native);

    pub fn code(&self) -> *const Instr {
        self.code.load(Ordering::Acquire)
    }
    pub fn native(&self) -> Option<BifFn> {
        let p = self.native.load(Ordering::Acquire);
        if p == 0 {
            None
        } else {
            // SAFETY: only BifFn pointers are stored in `native`.
            Some(unsafe { std::mem::transmute::<usize, BifFn>(p) })
        }
    }
}

/// A fun defined by a module (one per lambda).
pub struct FunEntry {
    pub module: Term,
    /// The name of the function that implements it.
    pub function: Term,
    pub arity: u32,
    pub free: u32,
    pub index: u32,
    pub uniq: u32,
    code: AtomicPtr<Instr>,
}

impl FunEntry {
    pub fn code(&self) -> *const Instr {
        self.code.load(Ordering::Acquire)
    }
}

/// Side tables, with their labels turned into code pointers.
pub enum LoadedTable {
    Srcs(Box<[Src]>),
    Jumps(Box<[(Term, *const Instr)]>),
    Pairs(Box<[(Src, Src)]>),
    Gets(Box<[(Src, Dst)]>),
    /// A construction's segments, and its shape when it is the common
    /// `<<Acc/binary, V:N>>` (see `AppendInt`).
    Segments(Box<[BinSegment]>, Option<AppendInt>),
    Match(BinMatchSpec),
    MatchRun(Box<[MatchStep]>),
}

/// `<<Acc/binary, V:N>>` with N a whole number of bytes (1 to 8) known
/// at load time: `step` appends `V` in place without walking segments
/// (`binary::append_int`), and falls back to the general construction when
/// that cannot be done.
#[derive(Clone, Copy, Debug)]
pub struct AppendInt {
    pub acc: Src,
    pub value: Src,
    pub bytes: u8,
    pub little: bool,
}

impl AppendInt {
    fn of(segs: &[BinSegment]) -> Option<AppendInt> {
        use compiler::bytecode::BinType;
        let [acc, int] = segs else { return None };
        if acc.ty != BinType::Binary || acc.size.is_some() || acc.unit != 8 {
            return None;
        }
        if int.ty != BinType::Integer || int.flags.native {
            return None;
        }
        let bits = int.size?.as_small()? * int.unit as i64;
        if bits % 8 != 0 || !(8..=64).contains(&bits) {
            return None;
        }
        Some(AppendInt {
            acc: acc.value,
            value: int.value,
            bytes: (bits / 8) as u8,
            little: int.flags.little,
        })
    }
}

/// One step of a `BsMatchRun`.
pub enum MatchStep {
    /// `BsStartMatch` (only first): the new context goes to `Dst`, which
    /// is the run's context.
    Start(Src, Dst),
    Get(BinMatchSpec, Dst),
    /// A `Get` of a big-endian integer of a fixed 1 to 7 whole bytes
    /// (always a small integer): read in place, no generic segment walk.
    GetIntBytes {
        bytes: u8,
        signed: bool,
        dst: Dst,
    },
    /// A `Get` of a `Size/binary` (unit 8) segment.
    GetBinaryBytes(Src, Dst),
    Skip(BinMatchSpec),
    Unit(u32),
    /// `BsTailCtx` (only last).
    TailCtx(Dst),
    /// `BsTailCtx` where nothing can look at the clause's context again
    /// (see `tail_ctx_is_last_use`): the context itself becomes the rest,
    /// instead of a copy.
    TailCtxInPlace(Dst),
}

/// A loaded module.
pub struct LoadedModule {
    pub name: Term,
    pub file: String,
    pub code: Box<[Instr]>,
    /// (name, arity, index of FuncInfo, index of entry).
    pub functions: Vec<(Term, u32, usize, usize)>,
    pub exports: Vec<(Term, u32)>,
    pub lambdas: Vec<&'static FunEntry>,
    pub attributes: Term,
    pub lines: Vec<(u32, u32)>,
    // Kept alive for the pointers into them: boxed so the addresses that
    // loaded code holds stay put when the vector grows.
    #[allow(clippy::vec_box)]
    _tables: Vec<Box<LoadedTable>>,
    _literals: Heap,
}

// SAFETY: after loading, a module is immutable; the raw pointers it holds
// point into its own boxed code and tables or to leaked entries.
unsafe impl Send for LoadedModule {}
unsafe impl Sync for LoadedModule {}
unsafe impl Send for LoadedTable {}
unsafe impl Sync for LoadedTable {}

impl LoadedModule {
    pub fn contains(&self, ip: *const Instr) -> bool {
        let start = self.code.as_ptr() as usize;
        let end = start + self.code.len() * std::mem::size_of::<Instr>();
        (start..end).contains(&(ip as usize))
    }

    pub fn index_of(&self, ip: *const Instr) -> usize {
        (ip as usize - self.code.as_ptr() as usize) / std::mem::size_of::<Instr>()
    }

    /// The function containing instruction `i`: (name, arity).
    pub fn function_at(&self, i: usize) -> Option<(Term, u32)> {
        let pos = self.functions.partition_point(|f| f.2 <= i);
        if pos == 0 {
            return None;
        }
        let f = &self.functions[pos - 1];
        Some((f.0, f.1))
    }

    /// The source line of instruction `i`, if known.
    pub fn line_at(&self, i: usize) -> Option<u32> {
        let pos = self.lines.partition_point(|l| l.0 as usize <= i);
        if pos == 0 {
            None
        } else {
            Some(self.lines[pos - 1].1)
        }
    }
}

/// All loaded code of a VM.
#[derive(Default)]
pub struct CodeServer {
    modules: RwLock<HashMap<u32, Arc<LoadedModule>>>,
    exports: RwLock<HashMap<(u32, u32, u32), &'static Export>>,
    /// Every module ever loaded (old versions too), for mapping code
    /// pointers back to functions.
    all: RwLock<Vec<Arc<LoadedModule>>>,
    catches: RwLock<Vec<usize>>,
    /// Serialises loading.
    loading: Mutex<()>,
}

/// A reason loading failed.
#[derive(Debug)]
pub struct LoadError(pub String);

impl CodeServer {
    /// The export entry for M:F/A, created (empty) if needed.
    pub fn export(&self, m: Term, f: Term, a: u32) -> &'static Export {
        let key = (m.atom_index(), f.atom_index(), a);
        if let Some(e) = self.exports.read().expect("exports").get(&key) {
            return e;
        }
        let mut w = self.exports.write().expect("exports");
        w.entry(key).or_insert_with(|| {
            Box::leak(Box::new(Export {
                module: m,
                function: f,
                arity: a,
                code: AtomicPtr::new(std::ptr::null_mut()),
                native: AtomicUsize::new(0),
            }))
        })
    }

    pub fn find_export(&self, m: Term, f: Term, a: u32) -> Option<&'static Export> {
        self.exports
            .read()
            .expect("exports")
            .get(&(m.atom_index(), f.atom_index(), a))
            .copied()
    }

    /// Register a native function as M:F/A.
    pub fn register_native(&self, m: &str, f: &str, a: u32, fun: BifFn) {
        let e = self.export(atom::atom(m), atom::atom(f), a);
        e.native.store(fun as usize, Ordering::Release);
    }

    pub fn module(&self, m: Term) -> Option<Arc<LoadedModule>> {
        self.modules
            .read()
            .expect("modules")
            .get(&m.atom_index())
            .cloned()
    }

    /// Bytes of loaded code: instructions and literals.
    pub fn code_bytes(&self) -> usize {
        self.loaded_modules()
            .into_iter()
            .filter_map(|m| self.module(m))
            .map(|m| std::mem::size_of_val(&*m.code) + m._literals.reserved_words() * 8)
            .sum()
    }

    pub fn loaded_modules(&self) -> Vec<Term> {
        self.modules
            .read()
            .expect("modules")
            .values()
            .map(|m| m.name)
            .collect()
    }

    /// The module containing a code pointer (current or old version).
    pub fn module_of(&self, ip: *const Instr) -> Option<Arc<LoadedModule>> {
        self.all
            .read()
            .expect("modules")
            .iter()
            .rev()
            .find(|m| m.contains(ip))
            .cloned()
    }

    pub fn catch_handler(&self, index: u32) -> *const Instr {
        self.catches.read().expect("catches")[index as usize] as *const Instr
    }

    /// Is an export callable (Erlang code or native)?
    pub fn is_defined(e: &Export) -> bool {
        !e.code().is_null() || e.native().is_some()
    }

    /// Load a compiled module, replacing any previous version.
    pub fn load(&self, m: &bytecode::Module) -> Result<Arc<LoadedModule>, LoadError> {
        let _guard = self.loading.lock().expect("loader");
        let name = atom::intern(&m.name).ok_or_else(|| LoadError("atom table full".into()))?;
        let mut lits = Heap::new(1024);
        let mut literals = Vec::with_capacity(m.literals.len());
        for l in &m.literals {
            literals.push(self.build_literal(&mut lits, l)?);
        }
        let imports: Vec<(&'static Export, &str, u32, bool)> = m
            .imports
            .iter()
            .map(|(im, f, a)| {
                let e = self.export(atom::atom(im), atom::atom(f), *a);
                (e, f.as_str(), *a, im == "erlang")
            })
            .collect();
        let lambdas: Vec<&'static FunEntry> = m
            .lambdas
            .iter()
            .map(|l| {
                let f = &m.functions[l.function as usize];
                &*Box::leak(Box::new(FunEntry {
                    module: name,
                    function: atom::atom(&f.name),
                    arity: l.arity,
                    free: l.free,
                    index: l.index,
                    uniq: l.uniq,
                    code: AtomicPtr::new(std::ptr::null_mut()),
                }))
            })
            .collect();
        let mut code: Box<[Instr]> = m.code.clone().into_boxed_slice();
        let code_base = code.as_ptr();
        let mut tables: Vec<Box<LoadedTable>> = Vec::with_capacity(m.tables.len());
        for t in &m.tables {
            let lt = match t {
                Table::Srcs(v) => LoadedTable::Srcs(
                    v.iter()
                        .map(|s| patch_src(*s, &literals))
                        .collect::<Result<_, _>>()?,
                ),
                Table::Jumps(v) => LoadedTable::Jumps(
                    v.iter()
                        .map(|(s, l)| {
                            let term = Term(patch_src(*s, &literals)?.0);
                            // SAFETY: the assembler resolved `l` to an index within the code.
                            Ok((term, unsafe { code_base.add(*l as usize) }))
                        })
                        .collect::<Result<_, LoadError>>()?,
                ),
                Table::Pairs(v) => LoadedTable::Pairs(
                    v.iter()
                        .map(|(a, b)| Ok((patch_src(*a, &literals)?, patch_src(*b, &literals)?)))
                        .collect::<Result<_, LoadError>>()?,
                ),
                Table::Gets(v) => LoadedTable::Gets(
                    v.iter()
                        .map(|(a, d)| Ok((patch_src(*a, &literals)?, *d)))
                        .collect::<Result<_, LoadError>>()?,
                ),
                Table::Segments(v) => {
                    let segs: Box<[BinSegment]> = v
                        .iter()
                        .map(|s| {
                            Ok(BinSegment {
                                value: patch_src(s.value, &literals)?,
                                size: s.size.map(|x| patch_src(x, &literals)).transpose()?,
                                ..s.clone()
                            })
                        })
                        .collect::<Result<_, LoadError>>()?;
                    let append = AppendInt::of(&segs);
                    LoadedTable::Segments(segs, append)
                }
                Table::Match(s) => LoadedTable::Match(BinMatchSpec {
                    size: s.size.map(|x| patch_src(x, &literals)).transpose()?,
                    ..s.clone()
                }),
            };
            tables.push(Box::new(lt));
        }
        let mut error = None;
        let mut catches_to_add: Vec<(usize, usize)> = Vec::new();
        for (i, instr) in code.iter_mut().enumerate() {
            let is_catch = matches!(instr, Instr::Try { .. } | Instr::Catch { .. });
            instr.operands_mut(|op| match op {
                Operand::Src(s) => match patch_src(*s, &literals) {
                    Ok(p) => *s = p,
                    Err(e) => error = Some(e),
                },
                Operand::Ref(kind, r) => match kind {
                    RefKind::Import => {
                        *r = Ref(imports[r.0 as usize].0 as *const Export as u64);
                    }
                    RefKind::Bif => {
                        let (_, f, a, is_erlang) = imports[r.0 as usize];
                        match bif::lookup(f, a).filter(|_| is_erlang) {
                            Some(fun) => *r = Ref(fun as usize as u64),
                            None => error = Some(LoadError(format!("unknown BIF erlang:{f}/{a}"))),
                        }
                    }
                    RefKind::Lambda => *r = Ref(lambdas[r.0 as usize] as *const FunEntry as u64),
                    RefKind::Table => *r = Ref(&*tables[r.0 as usize] as *const LoadedTable as u64),
                },
                Operand::Label(l) if is_catch => {
                    // Try/Catch handlers become catch-table indices.
                    let target = (i as i64 + *l as i64) as usize;
                    catches_to_add.push((i, target));
                }
                _ => {}
            });
        }
        if let Some(e) = error {
            return Err(e);
        }
        fuse(&mut code, &mut tables);
        {
            let mut catches = self.catches.write().expect("catches");
            for (i, target) in catches_to_add {
                let idx = catches.len() as i32;
                // SAFETY: `target` is a resolved label within the code.
                catches.push(unsafe { code_base.add(target) } as usize);
                match &mut code[i] {
                    Instr::Try { handler, .. } | Instr::Catch { handler, .. } => *handler = idx,
                    _ => unreachable!("only try/catch were recorded"),
                }
            }
        }
        labels_to_bytes(&mut code)?;
        let functions: Vec<(Term, u32, usize, usize)> = m
            .functions
            .iter()
            .map(|f| (atom::atom(&f.name), f.arity, f.info as usize, f.entry as usize))
            .collect();
        for (l, e) in m.lambdas.iter().zip(&lambdas) {
            let f = &functions[l.function as usize];
            // SAFETY: the entry index is within the code.
            e.code
                .store(unsafe { code_base.add(f.3) } as *mut Instr, Ordering::Release);
        }
        let exports: Vec<(Term, u32)> = m.exports.iter().map(|(f, a)| (atom::atom(f), *a)).collect();
        let attributes = {
            let mut items = Vec::new();
            for (k, v) in &m.attributes {
                let val = self.build_literal(&mut lits, v)?;
                // Attribute values are lists, as module_info(attributes) shows.
                let val = if val.is_list() { val } else { lits.list(&[val]) };
                let t = lits.tuple(&[atom::atom(k), val]);
                items.push(t);
            }
            lits.list(&items)
        };
        let loaded = Arc::new(LoadedModule {
            name,
            file: m.file.clone(),
            code,
            functions,
            exports,
            lambdas,
            attributes,
            lines: m.lines.clone(),
            _tables: tables,
            _literals: lits,
        });
        // Point the exports at the new code; drop exports that vanished.
        let old = self.module(name);
        if let Some(old) = &old {
            for (f, a) in &old.exports {
                if !loaded.exports.contains(&(*f, *a)) {
                    self.export(name, *f, *a)
                        .code
                        .store(std::ptr::null_mut(), Ordering::Release);
                }
            }
        }
        for (f, a) in &loaded.exports {
            if let Some(fi) = loaded.functions.iter().find(|x| x.0 == *f && x.1 == *a) {
                let p = &loaded.code[fi.3] as *const Instr as *mut Instr;
                self.export(name, *f, *a).code.store(p, Ordering::Release);
            }
        }
        self.all.write().expect("modules").push(loaded.clone());
        self.modules
            .write()
            .expect("modules")
            .insert(name.atom_index(), loaded.clone());
        Ok(loaded)
    }

    fn build_literal(&self, heap: &mut Heap, l: &Literal) -> Result<Term, LoadError> {
        Ok(match l {
            Literal::Integer(i) => heap.bigint(&i.to_big()),
            Literal::Float(f) => heap.float(*f),
            Literal::Atom(a) => atom::intern(a).ok_or_else(|| LoadError("atom table full".into()))?,
            Literal::Nil => Term::NIL,
            Literal::Cons(h, t) => {
                // Build long lists iteratively.
                let mut items = vec![self.build_literal(heap, h)?];
                let mut tail = &**t;
                while let Literal::Cons(h2, t2) = tail {
                    items.push(self.build_literal(heap, h2)?);
                    tail = t2;
                }
                let t = self.build_literal(heap, tail)?;
                heap.list_with_tail(&items, t)
            }
            Literal::Tuple(es) if es.len() == 4 && es[0] == Literal::atom("$export_fun") => {
                let (Literal::Atom(m), Literal::Atom(f), Literal::Integer(a)) = (&es[1], &es[2], &es[3])
                else {
                    return Err(LoadError("bad export fun literal".into()));
                };
                let a = a.as_i64().unwrap_or(0) as u32;
                let e = self.export(atom::atom(m), atom::atom(f), a);
                crate::fun::export_fun(heap, e)
            }
            Literal::Tuple(es) => {
                let ts: Vec<Term> = es
                    .iter()
                    .map(|e| self.build_literal(heap, e))
                    .collect::<Result<_, _>>()?;
                heap.tuple(&ts)
            }
            Literal::Binary(b) => crate::binary::binary(heap, b),
            Literal::Bitstring(b, bits) => crate::binary::bitstring(heap, b, *bits as usize),
            Literal::Map(pairs) => {
                let ps: Vec<(Term, Term)> = pairs
                    .iter()
                    .map(|(k, v)| Ok((self.build_literal(heap, k)?, self.build_literal(heap, v)?)))
                    .collect::<Result<_, LoadError>>()?;
                crate::map::from_pairs(heap, &ps)
            }
        })
    }
}

fn patch_src(s: Src, literals: &[Term]) -> Result<Src, LoadError> {
    match s.as_literal() {
        Some(i) => literals
            .get(i as usize)
            .map(|t| Src::term(t.0))
            .ok_or_else(|| LoadError(format!("literal {i} out of range"))),
        None => Ok(s),
    }
}

/// A table pointer in an instruction operand.
#[inline]
pub fn table<'a>(r: Ref) -> &'a LoadedTable {
    // SAFETY: the loader replaced table operands by pointers to boxed
    // tables that live as long as the module, which is never unloaded.
    unsafe { &*(r.0 as *const LoadedTable) }
}

#[inline]
pub fn export_ref(r: Ref) -> &'static Export {
    // SAFETY: the loader replaced import operands by leaked export pointers.
    unsafe { &*(r.0 as *const Export) }
}

#[inline]
pub fn lambda_ref(r: Ref) -> &'static FunEntry {
    // SAFETY: the loader replaced lambda operands by leaked entry pointers.
    unsafe { &*(r.0 as *const FunEntry) }
}

#[inline]
pub fn bif_ref(r: Ref) -> BifFn {
    // SAFETY: the loader replaced BIF operands by BifFn pointers.
    unsafe { std::mem::transmute::<usize, BifFn>(r.0 as usize) }
}

/// Write superinstructions over the first instruction of common sequences
/// (see the end of the instruction table). The instructions they cover stay
/// in place, so indices, labels, line numbers and jumps into the middle of
/// a sequence are unaffected.
#[allow(clippy::vec_box)]
fn fuse(code: &mut [Instr], tables: &mut Vec<Box<LoadedTable>>) {
    fuse_match_runs(code, tables);
    for instr in code.iter_mut() {
        if let Instr::Bif2 { bif, fail, a, b, dst }
        | Instr::GcBif2 {
            bif, fail, a, b, dst, ..
        } = *instr
        {
            if let Some(op) = crate::bif::int_op_of(bif_ref(bif)) {
                *instr = Instr::IntBif2 {
                    op: op as u32,
                    bif,
                    fail,
                    a,
                    b,
                    dst,
                };
            }
        }
        if let Instr::Bif1 { bif, fail, a, dst }
        | Instr::GcBif1 {
            bif, fail, a, dst, ..
        } = *instr
        {
            if let Some(op) = crate::bif::size_op_of(bif_ref(bif)) {
                *instr = Instr::SizeBif1 {
                    op: op as u32,
                    bif,
                    fail,
                    a,
                    dst,
                };
            }
        }
    }
    for i in 0..code.len().saturating_sub(1) {
        let fused = match (&code[i], &code[i + 1]) {
            (&Instr::Move { src, dst }, &Instr::Call { arity, target }) => Instr::MoveCall {
                src,
                dst,
                arity,
                target,
            },
            (
                &Instr::Move { src, dst },
                &Instr::CallLast {
                    arity,
                    target,
                    dealloc,
                },
            ) => Instr::MoveCallLast {
                src,
                dst,
                arity,
                target,
                dealloc,
            },
            (&Instr::Move { src, dst }, &Instr::CallOnly { arity, target }) => Instr::MoveCallOnly {
                src,
                dst,
                arity,
                target,
            },
            (&Instr::Move { src: a, dst: b }, &Instr::Move { src: c, dst: d }) => Instr::Move2 { a, b, c, d },
            (&Instr::Allocate { slots }, &Instr::Move { src, dst }) => {
                Instr::AllocateMove { slots, src, dst }
            }
            (&Instr::PutList { head, tail, dst }, &Instr::DeallocReturn { slots }) => {
                Instr::PutListDeallocReturn {
                    head,
                    tail,
                    dst,
                    slots,
                }
            }
            (&Instr::IsNonemptyList { fail, arg }, &Instr::GetList { src, head, tail }) if arg == src => {
                Instr::IsNonemptyGetList {
                    fail,
                    src,
                    head,
                    tail,
                }
            }
            (
                &Instr::Move { src, dst },
                &Instr::Sub {
                    fail,
                    a,
                    b,
                    dst: sdst,
                    trace,
                },
            ) => Instr::MoveSub {
                src,
                dst,
                // The Sub's label is relative to the Sub.
                fail,
                a,
                b,
                sdst,
                trace,
            },
            (test, &Instr::Return {}) => match test_ret(test, Src::x(0)) {
                Some(f) => f,
                None => continue,
            },
            (test, &Instr::MoveReturn { src }) => match test_ret(test, src) {
                Some(f) => f,
                None => continue,
            },
            _ => continue,
        };
        code[i] = fused;
    }
}

/// The step for a segment match: the common shapes get steps of their own
/// (`match_run` reads them without the generic segment code).
fn specialised_get(spec: &BinMatchSpec, dst: Dst) -> MatchStep {
    use compiler::bytecode::BinType;
    match spec.ty {
        BinType::Integer if !spec.flags.little && !spec.flags.native => {
            let bits = match spec.size {
                None => Some(8 * spec.unit as i64),
                Some(s) => s.as_small().map(|n| n * spec.unit as i64),
            };
            match bits {
                Some(b) if b > 0 && b % 8 == 0 && b <= 56 => MatchStep::GetIntBytes {
                    bytes: (b / 8) as u8,
                    signed: spec.flags.signed,
                    dst,
                },
                _ => MatchStep::Get(spec.clone(), dst),
            }
        }
        BinType::Binary if spec.unit == 8 => match spec.size {
            Some(size) => MatchStep::GetBinaryBytes(size, dst),
            None => MatchStep::Get(spec.clone(), dst),
        },
        _ => MatchStep::Get(spec.clone(), dst),
    }
}

/// Whether the `BsTailCtx` at `at` is the last use of its context: the
/// code after it runs straight (no instruction with a jump label, so no
/// guard can send control to a later clause, which would restart the
/// context from its start) to a tail call or a return, and the function
/// has no try or catch (whose handler could match the parameter again).
/// Then the context can become the rest in place. (The compiler makes a
/// `BsTailCtx` only for a rest whose one use is a self tail call, and a
/// parameter used only by binary matches: `compiler/src/bsm.rs`.)
fn tail_ctx_is_last_use(code: &[Instr], at: usize) -> bool {
    let has_label = |instr: &Instr| {
        let mut copy = instr.clone();
        let mut found = false;
        copy.operands_mut(|op| {
            if let compiler::bytecode::Operand::Label(l) = op {
                found |= *l != 0;
            }
        });
        found
    };
    let start = code[..at]
        .iter()
        .rposition(|i| matches!(i, Instr::FuncInfo { .. }))
        .unwrap_or(0);
    let end = code[at + 1..]
        .iter()
        .position(|i| matches!(i, Instr::FuncInfo { .. }))
        .map_or(code.len(), |k| at + 1 + k);
    if code[start..end]
        .iter()
        .any(|i| matches!(i, Instr::Try { .. } | Instr::Catch { .. }))
    {
        return false;
    }
    for instr in code[at + 1..end].iter().take(64) {
        match instr {
            Instr::CallOnly { .. }
            | Instr::CallLast { .. }
            | Instr::CallExtOnly { .. }
            | Instr::CallExtLast { .. }
            | Instr::CallFunOnly { .. }
            | Instr::CallFunLast { .. }
            | Instr::ApplyOnly { .. }
            | Instr::ApplyLast { .. }
            | Instr::Return {}
            | Instr::DeallocReturn { .. }
            | Instr::MoveReturn { .. }
            | Instr::MoveDeallocReturn { .. } => return true,
            i if has_label(i) => return false,
            _ => {}
        }
    }
    false
}

/// The `BsMatchRun`s: a clause head's `BsStartMatch`, its segment matches
/// and unit tests on the new context that fail to the same place (the next
/// clause), and a `BsTailCtx` that ends the head, as one dispatch; or, with
/// no `BsStartMatch`, any such run of two or more.
#[allow(clippy::vec_box)]
fn fuse_match_runs(code: &mut [Instr], tables: &mut Vec<Box<LoadedTable>>) {
    // (context, absolute failure target, step) of a segment instruction.
    fn step_at(code: &[Instr], i: usize) -> Option<(Src, i64, MatchStep)> {
        let (fail, ctx, step) = match code[i] {
            Instr::BsGet { fail, ctx, seg, dst } => match table(seg) {
                LoadedTable::Match(spec) => (fail, ctx, specialised_get(spec, dst)),
                _ => return None,
            },
            Instr::BsSkip { fail, ctx, seg } => match table(seg) {
                LoadedTable::Match(spec) => (fail, ctx, MatchStep::Skip(spec.clone())),
                _ => return None,
            },
            Instr::BsTestUnit { fail, ctx, unit } => (fail, ctx, MatchStep::Unit(unit)),
            _ => return None,
        };
        // A zero label raises instead of jumping; keep those apart.
        (fail != 0).then(|| (ctx, i as i64 + fail as i64, step))
    }
    // The run that starts at `i`: its context, failure target, steps and
    // end.
    fn run_from(code: &[Instr], i: usize) -> Option<(Src, i64, Vec<MatchStep>, usize)> {
        let (ctx, target, first) = match code[i] {
            Instr::BsStartMatch { fail, src, dst, .. } if fail != 0 => {
                (dst.as_src(), i as i64 + fail as i64, MatchStep::Start(src, dst))
            }
            _ => step_at(code, i)?,
        };
        let mut steps = vec![first];
        let mut j = i + 1;
        while j < code.len() {
            match step_at(code, j) {
                Some((c, t, step)) if c == ctx && t == target => steps.push(step),
                _ => break,
            }
            j += 1;
        }
        if let Some(&Instr::BsTailCtx { ctx: c, dst }) = code.get(j) {
            if c == ctx && steps.len() > 1 {
                steps.push(if tail_ctx_is_last_use(code, j) {
                    MatchStep::TailCtxInPlace(dst)
                } else {
                    MatchStep::TailCtx(dst)
                });
                j += 1;
            }
        }
        (steps.len() >= 2).then_some((ctx, target, steps, j))
    }
    let mut i = 0;
    while i < code.len() {
        let Some((ctx, target, steps, end)) = run_from(code, i) else {
            i += 1;
            continue;
        };
        let run = Box::new(LoadedTable::MatchRun(steps.into_boxed_slice()));
        let steps = Ref(&*run as *const LoadedTable as u64);
        tables.push(run);
        code[i] = Instr::BsMatchRun {
            fail: (target - i as i64) as i32,
            ctx,
            steps,
            covers: (end - i) as u32,
        };
        i = end;
    }
}

/// Jump labels count instructions; the interpreter wants them in bytes (one
/// addition to the instruction pointer). Try/Catch handlers are catch-table
/// indices by now and stay as they are.
fn labels_to_bytes(code: &mut [Instr]) -> Result<(), LoadError> {
    let size = std::mem::size_of::<Instr>() as i32;
    let mut overflow = false;
    for instr in code.iter_mut() {
        if matches!(instr, Instr::Try { .. } | Instr::Catch { .. }) {
            continue;
        }
        instr.operands_mut(|op| {
            if let Operand::Label(l) = op {
                match l.checked_mul(size) {
                    Some(b) => *l = b,
                    None => overflow = true,
                }
            }
        });
    }
    if overflow {
        return Err(LoadError("code too large".into()));
    }
    Ok(())
}

/// A comparison followed by a return, fused.
fn test_ret(test: &Instr, ret: Src) -> Option<Instr> {
    Some(match *test {
        Instr::IsLt { fail, a, b } => Instr::IsLtRet { fail, a, b, ret },
        Instr::IsGe { fail, a, b } => Instr::IsGeRet { fail, a, b, ret },
        Instr::IsEqExact { fail, a, b } => Instr::IsEqExactRet { fail, a, b, ret },
        Instr::IsNeExact { fail, a, b } => Instr::IsNeExactRet { fail, a, b, ret },
        _ => return None,
    })
}

/// For unit tests: modules compiled from source and loaded.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use compiler::pp::{FsResolver, Options};
    use compiler::source::{SourceFile, SourceMap};

    /// Compile `text` (the module `m`) and load it into a code server of
    /// its own, with the BIFs registered.
    pub(crate) fn load(text: &str) -> Arc<LoadedModule> {
        let mut sources = SourceMap::new();
        let main = sources.add(SourceFile::new("m.erl", text.to_string()));
        let resolver = FsResolver { lib_roots: vec![] };
        let (m, _) = compiler::compile(&mut sources, main, &resolver, &Options::default()).expect("compiles");
        let server = CodeServer::default();
        crate::bif::register_all(&server);
        server.load(&m).expect("loads")
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::load;
    use super::*;

    /// (index, covered instructions, steps) of each BsMatchRun.
    fn runs(m: &LoadedModule) -> Vec<(usize, u32, Vec<&'static str>)> {
        let mut out = Vec::new();
        for (i, instr) in m.code.iter().enumerate() {
            if let Instr::BsMatchRun { steps, covers, .. } = *instr {
                let LoadedTable::MatchRun(ss) = table(steps) else {
                    panic!("not a run table")
                };
                let names = ss
                    .iter()
                    .map(|s| match s {
                        MatchStep::Start(..) => "start",
                        MatchStep::Get(..) => "get",
                        MatchStep::GetIntBytes { .. } => "get_int_bytes",
                        MatchStep::GetBinaryBytes(..) => "get_binary_bytes",
                        MatchStep::Skip(..) => "skip",
                        MatchStep::Unit(..) => "unit",
                        MatchStep::TailCtx(..) => "tail_ctx",
                        MatchStep::TailCtxInPlace(..) => "tail_ctx_in_place",
                    })
                    .collect();
                out.push((i, covers, names));
            }
        }
        out
    }

    /// A guard after the match could send control to the next clause,
    /// which restarts the context: the rest is then a copy.
    #[test]
    fn a_guard_after_the_match_keeps_the_tail_a_copy() {
        let m = load(
            "-module(m).\n-export([p/2]).\n\
             p(<<T, R/binary>>, A) when T > 3 -> p(R, A + T);\n\
             p(<<_, R/binary>>, A) -> p(R, A);\n\
             p(<<>>, A) -> A.\n",
        );
        let names: Vec<Vec<&str>> = runs(&m).into_iter().map(|r| r.2).collect();
        assert!(names.iter().any(|n| n.last() == Some(&"tail_ctx")), "{names:?}");
        assert!(
            names.iter().any(|n| n.last() == Some(&"tail_ctx_in_place")),
            "{names:?}"
        );
    }

    /// A try in the function keeps every rest a copy.
    #[test]
    fn a_try_in_the_function_keeps_the_tail_a_copy() {
        let m = load(
            "-module(m).\n-export([p/2]).\n\
             p(<<T, R/binary>>, A) -> B = try 10 div T catch _:_ -> 0 end, p(R, A + B);\n\
             p(<<>>, A) -> A.\n",
        );
        let names: Vec<Vec<&str>> = runs(&m).into_iter().map(|r| r.2).collect();
        assert!(
            names.iter().all(|n| n.last() != Some(&"tail_ctx_in_place")),
            "{names:?}"
        );
    }

    /// Values computed for a tail call are computed into their argument
    /// registers (the compiler's `hint`): the loop below needs one move
    /// (fused with its call), not three.
    #[test]
    fn tail_call_arguments_are_computed_in_place() {
        let m = load(
            "-module(m).\n-export([p/3]).\n\
             p(<<T, L:16, P:L/binary, R/binary>>, Tags, Bytes) -> p(R, Tags + T, Bytes + byte_size(P));\n\
             p(<<>>, Tags, Bytes) -> {Tags, Bytes}.\n",
        );
        // p/3's code: from its FuncInfo to the next function's.
        let mut starts: Vec<usize> = m.functions.iter().map(|f| f.2).collect();
        starts.sort_unstable();
        let at = m.functions.iter().find(|f| f.1 == 3).expect("p/3").2;
        let end = starts.iter().copied().find(|&s| s > at).unwrap_or(m.code.len());
        let code = &m.code[at..end];
        let moves = code.iter().filter(|i| matches!(i, Instr::Move { .. })).count();
        let fused = code
            .iter()
            .filter(|i| matches!(i, Instr::MoveCallOnly { .. }))
            .count();
        assert_eq!((moves, fused), (0, 1));
    }

    /// The generic step stays for every other shape.
    #[test]
    fn only_common_segments_get_their_own_steps() {
        let m = load(
            "-module(m).\n-export([p/1]).\n\
             p(<<A:8/little, B:64, C:3, D/float, E:7/bytes, F:2/binary-unit:16, G:7/signed-unit:8, _/binary>>) -> \
             {A, B, C, D, E, F, G}.\n",
        );
        let rs = runs(&m);
        assert_eq!(
            rs.iter().map(|r| r.2.clone()).collect::<Vec<_>>(),
            vec![vec![
                "start",
                "get",
                "get",
                "get",
                "get",
                "get_binary_bytes",
                "get",
                "get_int_bytes",
                "unit"
            ]],
            "{rs:?}"
        );
    }

    #[test]
    fn a_clause_head_match_is_one_run_and_its_instructions_stay() {
        let m = load(
            "-module(m).\n-export([p/2]).\n\
             p(<<T, L:16, P:L/binary, _:8, R/binary>>, A) -> p(R, [{T, P} | A]);\n\
             p(<<>>, A) -> A.\n",
        );
        let rs = runs(&m);
        assert_eq!(
            rs.iter().map(|r| r.2.clone()).collect::<Vec<_>>(),
            vec![vec![
                "start",
                "get_int_bytes",
                "get_int_bytes",
                "get_binary_bytes",
                "skip",
                "unit",
                "tail_ctx_in_place"
            ]],
            "{rs:?}"
        );
        let (at, covers, _) = rs[0];
        // The covered instructions are still there, for jumps into them.
        assert!(matches!(m.code[at + 1], Instr::BsGet { .. }));
        assert!(matches!(
            m.code[at + covers as usize - 1],
            Instr::BsTailCtx { .. }
        ));
    }
}
