//! List BIFs: the erlang ones, and the few `lists` functions that are BIFs
//! in OTP too.

use super::{list_arg, BifFn, Ctx};
use crate::order;
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("erlang", "hd", 1, hd as BifFn),
        ("erlang", "tl", 1, tl),
        ("erlang", "length", 1, length),
        ("erlang", "++", 2, append),
        ("erlang", "--", 2, subtract),
        ("lists", "reverse", 1, reverse1),
        ("lists", "reverse", 2, reverse2),
        ("lists", "member", 2, member),
        ("lists", "keyfind", 3, keyfind),
        ("lists", "keymember", 3, keymember),
        ("lists", "keysearch", 3, keysearch),
    ] {
        t.push((m, n, a, f));
    }
}

fn hd(_: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_cons() {
        Ok(a[0].head())
    } else {
        Err(Exc::badarg())
    }
}

fn tl(_: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_cons() {
        Ok(a[0].tail())
    } else {
        Err(Exc::badarg())
    }
}

fn length(c: &mut Ctx, a: &[Term]) -> BifResult {
    let n = a[0].list_length().ok_or_else(Exc::badarg)?;
    c.proc.reductions += (n / 16) as u64;
    Ok(Term::small(n as i64))
}

fn append(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_nil() {
        return Ok(a[1]);
    }
    let v = list_arg(a[0])?;
    Ok(c.proc.heap.list_with_tail(&v, a[1]))
}

fn subtract(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut xs = list_arg(a[0])?;
    let ys = list_arg(a[1])?;
    for y in ys {
        if let Some(i) = xs.iter().position(|x| order::exact_equal(*x, y)) {
            xs.remove(i);
        }
    }
    Ok(c.proc.heap.list(&xs))
}

/// OTP's reverse/1 is Erlang: clauses for [], [_], [A, B] and [A, B | L]
/// (which calls reverse/2). Anything else is a function_clause.
fn reverse1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let l = a[0];
    let shaped = l.is_nil() || (l.is_cons() && (l.tail().is_nil() || l.tail().is_cons()));
    if !shaped {
        return Err(Exc::error(crate::atom::FUNCTION_CLAUSE));
    }
    reverse2(c, &[l, Term::NIL])
}

fn reverse2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut acc = a[1];
    let mut cur = a[0];
    let mut n = 0u64;
    while cur.is_cons() {
        let (h, t) = cur.cons_parts();
        acc = c.proc.heap.cons(h, acc);
        cur = t;
        n += 1;
    }
    if !cur.is_nil() {
        return Err(Exc::badarg());
    }
    c.proc.reductions += n / 16;
    Ok(acc)
}

fn member(_: &mut Ctx, a: &[Term]) -> BifResult {
    let mut cur = a[1];
    while cur.is_cons() {
        let (h, t) = cur.cons_parts();
        if order::exact_equal(h, a[0]) {
            return Ok(crate::atom::TRUE);
        }
        cur = t;
    }
    if cur.is_nil() {
        Ok(crate::atom::FALSE)
    } else {
        Err(Exc::badarg())
    }
}

/// The first tuple whose N-th element == Key (keys compare with ==).
fn keyfind_tuple(a: &[Term]) -> Result<Option<Term>, Exc> {
    let n = a[1];
    if !(n.is_small() && n.small_value() >= 1) {
        return Err(Exc::badarg());
    }
    let n = n.small_value() as usize;
    let mut cur = a[2];
    while cur.is_cons() {
        let (h, t) = cur.cons_parts();
        if let Some(e) = h.as_tuple() {
            if e.len() >= n && order::equal(e[n - 1], a[0]) {
                return Ok(Some(h));
            }
        }
        cur = t;
    }
    if cur.is_nil() {
        Ok(None)
    } else {
        Err(Exc::badarg())
    }
}

fn keyfind(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(keyfind_tuple(a)?.unwrap_or(crate::atom::FALSE))
}

fn keymember(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::boolean(keyfind_tuple(a)?.is_some()))
}

fn keysearch(c: &mut Ctx, a: &[Term]) -> BifResult {
    match keyfind_tuple(a)? {
        Some(t) => Ok(c.proc.heap.tuple(&[crate::atom::atom("value"), t])),
        None => Ok(crate::atom::FALSE),
    }
}
