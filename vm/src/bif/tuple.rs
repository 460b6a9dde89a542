//! Tuple BIFs.

use super::{list_arg, BifFn, Ctx};
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("element", 2, element as BifFn),
        ("setelement", 3, setelement),
        ("tuple_size", 1, tuple_size),
        ("size", 1, size),
        ("make_tuple", 2, make_tuple),
        ("make_tuple", 3, make_tuple3),
        ("tuple_to_list", 1, tuple_to_list),
        ("list_to_tuple", 1, list_to_tuple),
        ("append_element", 2, append_element),
        ("delete_element", 2, delete_element),
        ("insert_element", 3, insert_element),
    ] {
        t.push(("erlang", n, a, f));
    }
}

fn index(t: Term, len: usize) -> Result<usize, Exc> {
    if t.is_small() && t.small_value() >= 1 && t.small_value() as usize <= len {
        Ok(t.small_value() as usize - 1)
    } else {
        Err(Exc::badarg())
    }
}

pub fn element(_: &mut Ctx, a: &[Term]) -> BifResult {
    let e = a[1].as_tuple().ok_or_else(Exc::badarg)?;
    Ok(e[index(a[0], e.len())?])
}

fn setelement(c: &mut Ctx, a: &[Term]) -> BifResult {
    let e = a[1].as_tuple().ok_or_else(Exc::badarg)?;
    let i = index(a[0], e.len())?;
    let mut v = e.to_vec();
    v[i] = a[2];
    Ok(c.proc.heap.tuple(&v))
}

pub(crate) fn tuple_size(_: &mut Ctx, a: &[Term]) -> BifResult {
    let e = a[0].as_tuple().ok_or_else(Exc::badarg)?;
    Ok(Term::small(e.len() as i64))
}

fn size(_: &mut Ctx, a: &[Term]) -> BifResult {
    if let Some(e) = a[0].as_tuple() {
        return Ok(Term::small(e.len() as i64));
    }
    if crate::binary::is_bitstring(a[0]) {
        return Ok(Term::small((crate::binary::bit_size(a[0]) / 8) as i64));
    }
    Err(Exc::badarg())
}

fn count(t: Term) -> Result<usize, Exc> {
    if t.is_small() && t.small_value() >= 0 && t.small_value() < (1 << 24) {
        Ok(t.small_value() as usize)
    } else {
        Err(Exc::badarg())
    }
}

fn make_tuple(c: &mut Ctx, a: &[Term]) -> BifResult {
    let n = count(a[0])?;
    Ok(c.proc.heap.tuple_uninit(n, a[1]).0)
}

fn make_tuple3(c: &mut Ctx, a: &[Term]) -> BifResult {
    let n = count(a[0])?;
    let inits = list_arg(a[2])?;
    let (t, p) = c.proc.heap.tuple_uninit(n, a[1]);
    for i in inits {
        let pair = i.as_tuple().filter(|e| e.len() == 2).ok_or_else(Exc::badarg)?;
        let k = index(pair[0], n)?;
        // SAFETY: k < n, within the fresh tuple.
        unsafe { *p.add(k) = pair[1] };
    }
    Ok(t)
}

fn tuple_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    let e = a[0].as_tuple().ok_or_else(Exc::badarg)?.to_vec();
    Ok(c.proc.heap.list(&e))
}

fn list_to_tuple(c: &mut Ctx, a: &[Term]) -> BifResult {
    let v = list_arg(a[0])?;
    Ok(c.proc.heap.tuple(&v))
}

fn append_element(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut v = a[0].as_tuple().ok_or_else(Exc::badarg)?.to_vec();
    v.push(a[1]);
    Ok(c.proc.heap.tuple(&v))
}

fn delete_element(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut v = a[1].as_tuple().ok_or_else(Exc::badarg)?.to_vec();
    let i = index(a[0], v.len())?;
    v.remove(i);
    Ok(c.proc.heap.tuple(&v))
}

fn insert_element(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut v = a[1].as_tuple().ok_or_else(Exc::badarg)?.to_vec();
    let i = index(a[0], v.len() + 1)?;
    v.insert(i, a[2]);
    Ok(c.proc.heap.tuple(&v))
}
