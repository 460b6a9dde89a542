//! Map BIFs: the erlang guard BIFs and the native functions of `maps`.

use super::{BifFn, Ctx};
use crate::atom;
use crate::map;
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("erlang", "map_size", 1, map_size as BifFn),
        ("erlang", "map_get", 2, map_get),
        ("erlang", "is_map_key", 2, is_map_key),
        ("maps", "get", 2, map_get),
        ("maps", "get", 3, get3),
        ("maps", "find", 2, find),
        ("maps", "is_key", 2, is_map_key),
        ("maps", "put", 3, put),
        ("maps", "update", 3, update),
        ("maps", "remove", 2, remove),
        ("maps", "keys", 1, keys),
        ("maps", "values", 1, values),
        ("maps", "to_list", 1, to_list),
        ("maps", "from_list", 1, from_list),
        ("maps", "from_keys", 2, from_keys),
        ("maps", "new", 0, new),
        ("maps", "size", 1, map_size),
        ("maps", "merge", 2, merge),
        ("maps", "take", 2, take),
        ("erts_internal", "map_next", 3, map_next),
    ] {
        t.push((m, n, a, f));
    }
}

fn need_map(c: &mut Ctx, m: Term) -> Result<(), Exc> {
    if m.is_map() {
        Ok(())
    } else {
        Err(Exc::error(c.proc.heap.tuple(&[atom::BADMAP, m])))
    }
}

fn map_size(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[0])?;
    Ok(Term::small(map::size(a[0]) as i64))
}

fn map_get(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[1])?;
    match map::get(a[1], a[0]) {
        Some(v) => Ok(v),
        None => Err(Exc::error(c.proc.heap.tuple(&[atom::BADKEY, a[0]]))),
    }
}

fn get3(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[1])?;
    Ok(map::get(a[1], a[0]).unwrap_or(a[2]))
}

fn is_map_key(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[1])?;
    Ok(Term::boolean(map::get(a[1], a[0]).is_some()))
}

fn find(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[1])?;
    match map::get(a[1], a[0]) {
        Some(v) => Ok(c.proc.heap.tuple(&[atom::OK, v])),
        None => Ok(atom::atom("error")),
    }
}

fn put(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[2])?;
    Ok(map::put(&mut c.proc.heap, a[2], a[0], a[1]))
}

fn update(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[2])?;
    match map::update(&mut c.proc.heap, a[2], a[0], a[1]) {
        Some(m) => Ok(m),
        None => Err(Exc::error(c.proc.heap.tuple(&[atom::BADKEY, a[0]]))),
    }
}

fn remove(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[1])?;
    Ok(map::remove(&mut c.proc.heap, a[1], a[0]))
}

fn keys(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[0])?;
    let ks: Vec<Term> = map::to_vec(a[0]).into_iter().map(|(k, _)| k).collect();
    Ok(c.proc.heap.list(&ks))
}

fn values(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[0])?;
    let vs: Vec<Term> = map::to_vec(a[0]).into_iter().map(|(_, v)| v).collect();
    Ok(c.proc.heap.list(&vs))
}

fn to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[0])?;
    let items: Vec<Term> = map::to_vec(a[0])
        .into_iter()
        .map(|(k, v)| c.proc.heap.tuple(&[k, v]))
        .collect();
    Ok(c.proc.heap.list(&items))
}

fn from_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    let items = a[0].list_to_vec().ok_or_else(Exc::badarg)?;
    let mut pairs = Vec::with_capacity(items.len());
    for i in items {
        let e = i.as_tuple().filter(|e| e.len() == 2).ok_or_else(Exc::badarg)?;
        pairs.push((e[0], e[1]));
    }
    Ok(map::from_pairs(&mut c.proc.heap, &pairs))
}

fn from_keys(c: &mut Ctx, a: &[Term]) -> BifResult {
    let items = a[0].list_to_vec().ok_or_else(Exc::badarg)?;
    let pairs: Vec<(Term, Term)> = items.into_iter().map(|k| (k, a[1])).collect();
    Ok(map::from_pairs(&mut c.proc.heap, &pairs))
}

fn new(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(map::empty(&mut c.proc.heap))
}

fn merge(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[0])?;
    need_map(c, a[1])?;
    let mut pairs = map::to_vec(a[0]);
    pairs.extend(map::to_vec(a[1]));
    Ok(map::from_pairs(&mut c.proc.heap, &pairs))
}

fn take(c: &mut Ctx, a: &[Term]) -> BifResult {
    need_map(c, a[1])?;
    match map::get(a[1], a[0]) {
        Some(v) => {
            let m = map::remove(&mut c.proc.heap, a[1], a[0]);
            Ok(c.proc.heap.tuple(&[v, m]))
        }
        None => Ok(atom::atom("error")),
    }
}

/// `erts_internal:map_next(Path, Map, iterator | Acc)`, the primitive
/// under maps:iterator/next and maps:to_list. OTP hands out a flat map
/// (up to 32 keys) in one batch whatever the (in-range) path: a chain
/// `{K1, V1, {K2, V2, ... none}}`, or `[{K1, V1}, ... | Acc]`. Larger
/// maps are handed out in one batch too, in this VM's order.
fn map_next(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (path, m, mode) = (a[0], a[1], a[2]);
    if !m.is_map() {
        return Err(Exc::badarg());
    }
    let as_iterator = mode == atom::atom("iterator");
    if !as_iterator && !mode.is_list() {
        return Err(Exc::badarg());
    }
    let in_range = path.is_small()
        && path.small_value() >= 0
        && (!map::is_flat(m) || path.small_value() as usize <= map::size(m));
    if !in_range {
        return Err(Exc::badarg());
    }
    let pairs = map::to_vec(m);
    let mut res = if as_iterator { atom::atom("none") } else { mode };
    for (k, v) in pairs.into_iter().rev() {
        res = if as_iterator {
            c.proc.heap.tuple(&[k, v, res])
        } else {
            let t = c.proc.heap.tuple(&[k, v]);
            c.proc.heap.cons(t, res)
        };
    }
    Ok(res)
}
