//! Arithmetic and bitwise operators, and the numeric BIFs.

use super::{BifFn, Ctx};
use crate::heap::{to_bigint, Heap};
use crate::process::{BifResult, Exc};
use crate::term::Term;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("+", 2, add as BifFn),
        ("-", 2, sub),
        ("*", 2, mul),
        ("/", 2, fdiv),
        ("div", 2, int_div),
        ("rem", 2, rem),
        ("band", 2, band),
        ("bor", 2, bor),
        ("bxor", 2, bxor),
        ("bsl", 2, bsl),
        ("bsr", 2, bsr),
        ("bnot", 1, bnot),
        ("-", 1, neg),
        ("+", 1, plus),
        ("abs", 1, abs),
        ("float", 1, float),
        ("trunc", 1, trunc),
        ("round", 1, round),
        ("floor", 1, floor),
        ("ceil", 1, ceil),
        ("min", 2, min),
        ("max", 2, max),
    ] {
        t.push(("erlang", n, a, f));
    }
}

/// A number as the arithmetic sees it.
enum Num {
    Int(BigInt),
    Float(f64),
}

fn num(t: Term) -> Option<Num> {
    if t.is_float() {
        Some(Num::Float(t.float_value()))
    } else {
        to_bigint(t).map(Num::Int)
    }
}

fn to_f(n: &Num) -> Option<f64> {
    match n {
        Num::Float(f) => Some(*f),
        Num::Int(i) => {
            let f = i.to_f64()?;
            f.is_finite().then_some(f)
        }
    }
}

pub fn float_result(h: &mut Heap, f: f64) -> BifResult {
    if f.is_finite() {
        Ok(h.float(f))
    } else {
        Err(Exc::badarith())
    }
}

fn arith(
    c: &mut Ctx,
    a: Term,
    b: Term,
    ii: fn(BigInt, BigInt) -> BigInt,
    ff: fn(f64, f64) -> f64,
) -> BifResult {
    let (x, y) = (
        num(a).ok_or_else(Exc::badarith)?,
        num(b).ok_or_else(Exc::badarith)?,
    );
    match (x, y) {
        (Num::Int(i), Num::Int(j)) => Ok(c.proc.heap.bigint(&ii(i, j))),
        (x, y) => {
            let (p, q) = (
                to_f(&x).ok_or_else(Exc::badarith)?,
                to_f(&y).ok_or_else(Exc::badarith)?,
            );
            float_result(&mut c.proc.heap, ff(p, q))
        }
    }
}

pub fn add(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_small() && a[1].is_small() {
        return Ok(c.proc.heap.int(a[0].small_value() + a[1].small_value()));
    }
    arith(c, a[0], a[1], |i, j| i + j, |p, q| p + q)
}

pub fn sub(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_small() && a[1].is_small() {
        return Ok(c.proc.heap.int(a[0].small_value() - a[1].small_value()));
    }
    arith(c, a[0], a[1], |i, j| i - j, |p, q| p - q)
}

pub fn mul(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_small() && a[1].is_small() {
        let r = a[0].small_value() as i128 * a[1].small_value() as i128;
        return Ok(c.proc.heap.i128(r));
    }
    arith(c, a[0], a[1], |i, j| i * j, |p, q| p * q)
}

pub fn fdiv(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (x, y) = (
        num(a[0]).ok_or_else(Exc::badarith)?,
        num(a[1]).ok_or_else(Exc::badarith)?,
    );
    let (p, q) = (
        to_f(&x).ok_or_else(Exc::badarith)?,
        to_f(&y).ok_or_else(Exc::badarith)?,
    );
    if q == 0.0 {
        return Err(Exc::badarith());
    }
    float_result(&mut c.proc.heap, p / q)
}

fn ints(a: &[Term]) -> Result<(BigInt, BigInt), Exc> {
    match (to_bigint(a[0]), to_bigint(a[1])) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(Exc::badarith()),
    }
}

pub fn int_div(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_small() && a[1].is_small() && a[1].small_value() != 0 {
        return Ok(c.proc.heap.int(a[0].small_value() / a[1].small_value()));
    }
    let (x, y) = ints(a)?;
    if y.is_zero() {
        return Err(Exc::badarith());
    }
    Ok(c.proc.heap.bigint(&(x / y)))
}

pub fn rem(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_small() && a[1].is_small() && a[1].small_value() != 0 {
        return Ok(Term::small(a[0].small_value() % a[1].small_value()));
    }
    let (x, y) = ints(a)?;
    if y.is_zero() {
        return Err(Exc::badarith());
    }
    Ok(c.proc.heap.bigint(&(x % y)))
}

pub fn band(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (x, y) = ints(a)?;
    Ok(c.proc.heap.bigint(&(x & y)))
}

pub fn bor(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (x, y) = ints(a)?;
    Ok(c.proc.heap.bigint(&(x | y)))
}

pub fn bxor(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (x, y) = ints(a)?;
    Ok(c.proc.heap.bigint(&(x ^ y)))
}

fn shift(c: &mut Ctx, a: &[Term], left: bool) -> BifResult {
    let (x, y) = ints(a)?;
    let s = y.to_i64().ok_or_else(|| {
        if (y.is_negative()) == left {
            Exc::badarith()
        } else {
            Exc::system_limit()
        }
    });
    let s = match s {
        Ok(s) => s,
        Err(_) if x.is_zero() => return Ok(Term::small(0)),
        Err(_) if (y.is_negative()) == left => {
            // A huge shift towards zero.
            return Ok(Term::small(if x.is_negative() { -1 } else { 0 }));
        }
        Err(e) => return Err(e),
    };
    let s = if left { s } else { -s };
    if s >= 0 {
        if s > 1 << 26 && !x.is_zero() {
            return Err(Exc::system_limit());
        }
        Ok(c.proc.heap.bigint(&(x << s as usize)))
    } else {
        let r = -s;
        if r > 1 << 32 {
            return Ok(Term::small(if x.is_negative() { -1 } else { 0 }));
        }
        // Arithmetic shift: floor division by 2^r.
        Ok(c.proc.heap.bigint(&(x >> r as usize)))
    }
}

pub fn bsl(c: &mut Ctx, a: &[Term]) -> BifResult {
    shift(c, a, true)
}

pub fn bsr(c: &mut Ctx, a: &[Term]) -> BifResult {
    shift(c, a, false)
}

pub fn bnot(c: &mut Ctx, a: &[Term]) -> BifResult {
    let x = to_bigint(a[0]).ok_or_else(Exc::badarith)?;
    Ok(c.proc.heap.bigint(&(-x - 1)))
}

pub fn neg(c: &mut Ctx, a: &[Term]) -> BifResult {
    match num(a[0]).ok_or_else(Exc::badarith)? {
        Num::Int(i) => Ok(c.proc.heap.bigint(&(-i))),
        Num::Float(f) => Ok(c.proc.heap.float(-f)),
    }
}

/// Unary plus is `0 + X` (so `+(-0.0)` is `0.0`, as in OTP).
pub fn plus(c: &mut Ctx, a: &[Term]) -> BifResult {
    add(c, &[Term::small(0), a[0]])
}

pub fn abs(c: &mut Ctx, a: &[Term]) -> BifResult {
    match num(a[0]).ok_or_else(Exc::badarg)? {
        Num::Int(i) => Ok(c.proc.heap.bigint(&i.abs())),
        // As OTP: only negative values are negated, so abs(-0.0) is -0.0.
        Num::Float(f) => Ok(c.proc.heap.float(if f < 0.0 { -f } else { f })),
    }
}

pub fn float(c: &mut Ctx, a: &[Term]) -> BifResult {
    match num(a[0]).ok_or_else(Exc::badarg)? {
        Num::Float(_) => Ok(a[0]),
        n @ Num::Int(_) => {
            let f = to_f(&n).ok_or_else(Exc::badarg)?;
            Ok(c.proc.heap.float(f))
        }
    }
}

fn float_to_int(c: &mut Ctx, f: f64) -> BifResult {
    if let Some(i) = f.to_i64().filter(|i| (*i as f64) == f) {
        return Ok(c.proc.heap.int(i));
    }
    Ok(c.proc.heap.bigint(&crate::order::float_to_bigint(f)))
}

fn rounding(c: &mut Ctx, t: Term, op: fn(f64) -> f64) -> BifResult {
    match num(t).ok_or_else(Exc::badarg)? {
        Num::Int(_) => Ok(t),
        Num::Float(f) => float_to_int(c, op(f)),
    }
}

pub fn trunc(c: &mut Ctx, a: &[Term]) -> BifResult {
    rounding(c, a[0], f64::trunc)
}

pub fn round(c: &mut Ctx, a: &[Term]) -> BifResult {
    // Halves round away from zero, as in C's round().
    rounding(c, a[0], f64::round)
}

pub fn floor(c: &mut Ctx, a: &[Term]) -> BifResult {
    rounding(c, a[0], f64::floor)
}

pub fn ceil(c: &mut Ctx, a: &[Term]) -> BifResult {
    rounding(c, a[0], f64::ceil)
}

pub fn min(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(
        if crate::order::compare(a[1], a[0], false) == std::cmp::Ordering::Less {
            a[1]
        } else {
            a[0]
        },
    )
}

pub fn max(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(
        if crate::order::compare(a[1], a[0], false) == std::cmp::Ordering::Greater {
            a[1]
        } else {
            a[0]
        },
    )
}
