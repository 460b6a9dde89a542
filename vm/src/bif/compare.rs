//! Comparison and boolean operators.

use super::{BifFn, Ctx};
use crate::atom;
use crate::order;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use std::cmp::Ordering;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("==", 2, eq as BifFn),
        ("/=", 2, ne),
        ("=:=", 2, eq_exact),
        ("=/=", 2, ne_exact),
        ("<", 2, lt),
        (">", 2, gt),
        ("=<", 2, le),
        (">=", 2, ge),
        ("and", 2, and),
        ("or", 2, or),
        ("xor", 2, xor),
        ("not", 1, not),
    ] {
        t.push(("erlang", n, a, f));
    }
}

pub fn eq(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(order::equal(a[0], a[1])))
}
pub fn ne(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(!order::equal(a[0], a[1])))
}
pub fn eq_exact(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(order::exact_equal(a[0], a[1])))
}
pub fn ne_exact(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(!order::exact_equal(a[0], a[1])))
}
pub fn lt(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(order::compare(a[0], a[1], false) == Ordering::Less))
}
pub fn gt(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(
        order::compare(a[0], a[1], false) == Ordering::Greater,
    ))
}
pub fn le(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(
        order::compare(a[0], a[1], false) != Ordering::Greater,
    ))
}
pub fn ge(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(order::compare(a[0], a[1], false) != Ordering::Less))
}

fn bools(a: &[Term]) -> Result<(bool, bool), Exc> {
    let b = |t: Term| match t {
        atom::TRUE => Ok(true),
        atom::FALSE => Ok(false),
        _ => Err(Exc::badarg()),
    };
    Ok((b(a[0])?, b(a[1])?))
}

pub fn and(_: &mut Ctx, a: &[Term]) -> BifResult {
    let (x, y) = bools(a)?;
    Ok(Term::boolean(x && y))
}
pub fn or(_: &mut Ctx, a: &[Term]) -> BifResult {
    let (x, y) = bools(a)?;
    Ok(Term::boolean(x || y))
}
pub fn xor(_: &mut Ctx, a: &[Term]) -> BifResult {
    let (x, y) = bools(a)?;
    Ok(Term::boolean(x ^ y))
}
pub fn not(_: &mut Ctx, a: &[Term]) -> BifResult {
    match a[0] {
        atom::TRUE => Ok(atom::FALSE),
        atom::FALSE => Ok(atom::TRUE),
        _ => Err(Exc::badarg()),
    }
}
