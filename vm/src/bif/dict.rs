//! The process dictionary.

use super::{BifFn, Ctx};
use crate::atom;
use crate::order;
use crate::process::BifResult;
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("put", 2, put as BifFn),
        ("get", 1, get),
        ("get", 0, get_all),
        ("erase", 1, erase),
        ("erase", 0, erase_all),
        ("get_keys", 0, get_keys),
        ("get_keys", 1, get_keys_of),
    ] {
        t.push(("erlang", n, a, f));
    }
}

fn put(c: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(c.proc.dict.put(a[0], a[1]).unwrap_or(atom::UNDEFINED))
}

fn get(c: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(c.proc.dict.get(a[0]).unwrap_or(atom::UNDEFINED))
}

fn pairs(c: &mut Ctx, entries: &[(Term, Term)]) -> Term {
    let items: Vec<Term> = entries
        .iter()
        .map(|(k, v)| c.proc.heap.tuple(&[*k, *v]))
        .collect();
    c.proc.heap.list(&items)
}

fn get_all(c: &mut Ctx, _: &[Term]) -> BifResult {
    let entries = c.proc.dict.entries.clone();
    Ok(pairs(c, &entries))
}

fn erase(c: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(c.proc.dict.erase(a[0]).unwrap_or(atom::UNDEFINED))
}

fn erase_all(c: &mut Ctx, _: &[Term]) -> BifResult {
    let entries = c.proc.dict.clear();
    Ok(pairs(c, &entries))
}

fn get_keys(c: &mut Ctx, _: &[Term]) -> BifResult {
    let keys: Vec<Term> = c.proc.dict.entries.iter().map(|(k, _)| *k).collect();
    Ok(c.proc.heap.list(&keys))
}

fn get_keys_of(c: &mut Ctx, a: &[Term]) -> BifResult {
    let keys: Vec<Term> = c
        .proc
        .dict
        .entries
        .iter()
        .filter(|(_, v)| order::exact_equal(*v, a[0]))
        .map(|(k, _)| *k)
        .collect();
    Ok(c.proc.heap.list(&keys))
}
