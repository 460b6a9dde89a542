//! Built-in functions, one file per family. Every native function is
//! registered here once: as an export (so calls, `apply` and `fun M:F/A`
//! reach it) and, for `erlang` functions, as a BIF the loader can bind
//! instructions to directly.

pub mod arith;
pub mod atoms;
pub mod binary;
pub mod code;
pub mod compare;
pub mod convert;
pub mod dict;
pub mod digest;
pub mod etf;
pub mod ets;
pub mod file;
pub mod format;
pub mod hash;
pub mod init;
pub mod io;
pub mod lists;
pub mod maps;
pub mod math;
pub mod misc;
pub mod os;
pub mod proc;
pub mod system;
pub mod time;
pub mod timer;
pub mod tuple;
pub mod types;

use crate::code::CodeServer;
use crate::process::{BifResult, Process};
use crate::term::Term;
use crate::vm::Vm;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a BIF sees: its process (heap, dictionary...) and the VM.
pub struct Ctx<'a> {
    pub proc: &'a mut Process,
    pub vm: &'a Vm,
}

pub type BifFn = fn(&mut Ctx, &[Term]) -> BifResult;

/// Every native function: (module, name, arity, implementation).
fn table() -> Vec<(&'static str, &'static str, u32, BifFn)> {
    let mut t: Vec<(&'static str, &'static str, u32, BifFn)> = Vec::new();
    arith::register(&mut t);
    compare::register(&mut t);
    types::register(&mut t);
    tuple::register(&mut t);
    lists::register(&mut t);
    atoms::register(&mut t);
    convert::register(&mut t);
    dict::register(&mut t);
    misc::register(&mut t);
    proc::register(&mut t);
    maps::register(&mut t);
    math::register(&mut t);
    hash::register(&mut t);
    io::register(&mut t);
    system::register(&mut t);
    time::register(&mut t);
    timer::register(&mut t);
    etf::register(&mut t);
    digest::register(&mut t);
    binary::register(&mut t);
    ets::register(&mut t);
    file::register(&mut t);
    os::register(&mut t);
    code::register(&mut t);
    init::register(&mut t);
    t
}

struct Registry {
    erlang: HashMap<(&'static str, u32), BifFn>,
    names: HashMap<usize, &'static str>,
    all: Vec<(&'static str, &'static str, u32, BifFn)>,
}

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| {
        let all = table();
        let mut erlang = HashMap::new();
        let mut names = HashMap::new();
        for (m, f, a, fun) in &all {
            if *m == "erlang" {
                erlang.insert((*f, *a), *fun);
            }
            names.entry(*fun as usize).or_insert(*f);
        }
        Registry { erlang, names, all }
    })
}

/// The native implementation of erlang:Name/Arity.
pub fn lookup(name: &str, arity: u32) -> Option<BifFn> {
    registry().erlang.get(&(name, arity)).copied()
}

/// Is `m` a module with native functions?
pub fn is_native_module(m: &str) -> bool {
    registry().all.iter().any(|(n, ..)| *n == m)
}

/// The name of a BIF (for stack traces).
pub fn name_of(f: BifFn) -> &'static str {
    registry().names.get(&(f as usize)).copied().unwrap_or("?")
}

/// Register every native function as an export.
pub fn register_all(code: &CodeServer) {
    for (m, f, a, fun) in &registry().all {
        code.register_native(m, f, *a, *fun);
    }
}

/// Arithmetic and comparisons on two small integers, without a call.
/// `None` when the general BIF must run (overflow, division by zero...).
#[inline]
pub fn fast_small(f: BifFn, a: i64, b: i64) -> Option<Term> {
    let fp = f as usize;
    let small = |v: i64| {
        if Term::fits_small(v) {
            Some(Term::small(v))
        } else {
            None
        }
    };
    if fp == arith::add as BifFn as usize {
        small(a + b)
    } else if fp == arith::sub as BifFn as usize {
        small(a - b)
    } else if fp == arith::mul as BifFn as usize {
        a.checked_mul(b).and_then(small)
    } else if fp == compare::lt as BifFn as usize {
        Some(Term::boolean(a < b))
    } else if fp == compare::gt as BifFn as usize {
        Some(Term::boolean(a > b))
    } else if fp == compare::le as BifFn as usize {
        Some(Term::boolean(a <= b))
    } else if fp == compare::ge as BifFn as usize {
        Some(Term::boolean(a >= b))
    } else if fp == compare::eq_exact as BifFn as usize || fp == compare::eq as BifFn as usize {
        Some(Term::boolean(a == b))
    } else if fp == compare::ne_exact as BifFn as usize || fp == compare::ne as BifFn as usize {
        Some(Term::boolean(a != b))
    } else {
        int_op_small(int_op_of(f)?, a, b)
    }
}

/// The integer operators whose small-integer case the interpreter runs
/// inline: the loader turns their `Bif2`/`GcBif2` into `IntBif2` with the
/// operator's number, so the hot path is one `match` instead of a search
/// by function pointer and a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum IntOp {
    Band = 0,
    Bor = 1,
    Bxor = 2,
    Bsl = 3,
    Bsr = 4,
    Div = 5,
    Rem = 6,
}

impl IntOp {
    pub fn from_code(c: u32) -> Option<IntOp> {
        use IntOp::*;
        [Band, Bor, Bxor, Bsl, Bsr, Div, Rem].get(c as usize).copied()
    }
}

/// The operation `f` stands for in `table` (the BIFs the loader writes as
/// specialised instructions), found by function address.
fn op_of<T: Copy>(f: BifFn, table: &[(BifFn, T)]) -> Option<T> {
    table
        .iter()
        .find(|(g, _)| *g as usize == f as usize)
        .map(|&(_, op)| op)
}

/// Which integer operator `f` implements, if any.
pub fn int_op_of(f: BifFn) -> Option<IntOp> {
    let table: [(BifFn, IntOp); 7] = [
        (arith::band, IntOp::Band),
        (arith::bor, IntOp::Bor),
        (arith::bxor, IntOp::Bxor),
        (arith::bsl, IntOp::Bsl),
        (arith::bsr, IntOp::Bsr),
        (arith::int_div, IntOp::Div),
        (arith::rem, IntOp::Rem),
    ];
    op_of(f, &table)
}

/// The size BIFs the loader writes as `SizeBif1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeOp {
    ByteSize = 0,
    BitSize = 1,
    TupleSize = 2,
}

impl SizeOp {
    pub fn from_code(c: u32) -> Option<SizeOp> {
        [SizeOp::ByteSize, SizeOp::BitSize, SizeOp::TupleSize]
            .get(c as usize)
            .copied()
    }
}

/// The `SizeOp` a BIF computes, if it is one of them.
pub fn size_op_of(f: BifFn) -> Option<SizeOp> {
    let table: [(BifFn, SizeOp); 3] = [
        (convert::byte_size, SizeOp::ByteSize),
        (convert::bit_size, SizeOp::BitSize),
        (tuple::tuple_size, SizeOp::TupleSize),
    ];
    op_of(f, &table)
}

/// `op` of `t` when `t` has the right type (a bitstring, a tuple); `None`
/// sends it to the BIF, which raises.
#[inline(always)]
pub fn size_op(op: SizeOp, t: Term) -> Option<Term> {
    match op {
        SizeOp::TupleSize => {
            let h = t.is_boxed().then(|| t.header())?;
            (crate::term::header_subtag(h) == crate::term::Subtag::Tuple)
                .then(|| Term::small(crate::term::header_arity(h) as i64))
        }
        SizeOp::ByteSize | SizeOp::BitSize => {
            if !crate::binary::is_bitstring(t) {
                return None;
            }
            let bits = crate::binary::bit_size(t);
            Some(Term::small(if op == SizeOp::ByteSize {
                bits.div_ceil(8)
            } else {
                bits
            } as i64))
        }
    }
}

/// `op` on two small integers, when the result is small; `None` sends it
/// to the BIF (bignums, division by zero).
#[inline(always)]
pub fn int_op_small(op: IntOp, a: i64, b: i64) -> Option<Term> {
    match op {
        IntOp::Band => Some(Term::small(a & b)),
        IntOp::Bor => Some(Term::small(a | b)),
        IntOp::Bxor => Some(Term::small(a ^ b)),
        IntOp::Bsl => shift_small(a, b),
        IntOp::Bsr => shift_small(a, b.checked_neg()?),
        // Smalls have 60 bits: the quotient of two is small but for
        // MIN_SMALL div -1.
        IntOp::Div if b != 0 => {
            let q = a / b;
            Term::fits_small(q).then(|| Term::small(q))
        }
        IntOp::Rem if b != 0 => Some(Term::small(a % b)),
        IntOp::Div | IntOp::Rem => None,
    }
}

/// `a bsl s` (a right shift when `s` is negative) on a small integer, when
/// the result is small; None sends it to the bignum BIF.
#[inline]
fn shift_small(a: i64, s: i64) -> Option<Term> {
    if s <= 0 {
        // Arithmetic shift right: floor division by 2^-s.
        return Some(Term::small(a >> s.unsigned_abs().min(63)));
    }
    if s >= 63 {
        return (a == 0).then(|| Term::small(0));
    }
    let r = a << s;
    (r >> s == a && Term::fits_small(r)).then(|| Term::small(r))
}

/// A proper list's elements, or badarg.
pub fn list_arg(t: Term) -> Result<Vec<Term>, crate::process::Exc> {
    t.list_to_vec().ok_or_else(crate::process::Exc::badarg)
}

/// A list of character codes as a String, or None.
pub fn char_list(t: Term) -> Option<String> {
    let mut s = String::new();
    let mut cur = t;
    while cur.is_cons() {
        let (h, tl) = cur.cons_parts();
        if !h.is_small() {
            return None;
        }
        s.push(char::from_u32(u32::try_from(h.small_value()).ok()?)?);
        cur = tl;
    }
    cur.is_nil().then_some(s)
}
