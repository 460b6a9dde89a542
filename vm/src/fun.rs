//! Funs: closures of the module's lambdas, and `fun M:F/A` exports.
//!
//! Closure: `[header(1 + free), entry pointer (raw), free variables...]`.
//! Export fun: `[header(1), export pointer (raw)]`.

use crate::code::{Export, FunEntry};
use crate::heap::Heap;
use crate::order;
use crate::term::{header, header_arity, Subtag, Term};
use std::cmp::Ordering;

pub fn closure(heap: &mut Heap, entry: &'static FunEntry, free: &[Term]) -> Term {
    let n = free.len();
    let p = heap.alloc(2 + n);
    // SAFETY: 2 + n fresh words.
    unsafe {
        *p = header(Subtag::Fun, 1 + n);
        *p.add(1) = entry as *const FunEntry as u64;
        for (i, f) in free.iter().enumerate() {
            *p.add(2 + i) = f.0;
        }
    }
    Term::from_boxed_ptr(p)
}

pub fn export_fun(heap: &mut Heap, export: &'static Export) -> Term {
    let p = heap.alloc(2);
    // SAFETY: two fresh words.
    unsafe {
        *p = header(Subtag::Export, 1);
        *p.add(1) = export as *const Export as u64;
    }
    Term::from_boxed_ptr(p)
}

/// The entry of a closure.
pub fn entry(f: Term) -> &'static FunEntry {
    // SAFETY: word 0 of a Fun object is a pointer to a leaked FunEntry.
    unsafe { &*(f.boxed_word(0) as *const FunEntry) }
}

/// The export of an export fun.
pub fn export(f: Term) -> &'static Export {
    // SAFETY: word 0 of an Export object is a pointer to a leaked Export.
    unsafe { &*(f.boxed_word(0) as *const Export) }
}

pub fn free_vars<'a>(f: Term) -> &'a [Term] {
    let n = header_arity(f.header()) - 1;
    // SAFETY: the free variables follow the entry pointer.
    unsafe { std::slice::from_raw_parts(f.boxed_ptr().add(2) as *const Term, n) }
}

pub fn is_closure(f: Term) -> bool {
    f.subtag() == Some(Subtag::Fun)
}

pub fn arity(f: Term) -> u32 {
    if is_closure(f) {
        entry(f).arity
    } else {
        export(f).arity
    }
}

/// Funs order: closures by module, index, uniq and free variables;
/// exports by module, function and arity; closures before exports.
pub fn compare(a: Term, b: Term, exact: bool) -> Ordering {
    match (is_closure(a), is_closure(b)) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (true, true) => {
            let (ea, eb) = (entry(a), entry(b));
            order::compare(ea.module, eb.module, true)
                .then(ea.index.cmp(&eb.index))
                .then(ea.uniq.cmp(&eb.uniq))
                .then_with(|| {
                    let (fa, fb) = (free_vars(a), free_vars(b));
                    fa.len().cmp(&fb.len()).then_with(|| {
                        fa.iter()
                            .zip(fb)
                            .map(|(x, y)| order::compare(*x, *y, exact))
                            .find(|o| *o != Ordering::Equal)
                            .unwrap_or(Ordering::Equal)
                    })
                })
        }
        (false, false) => {
            let (ea, eb) = (export(a), export(b));
            order::compare(ea.module, eb.module, true)
                .then(order::compare(ea.function, eb.function, true))
                .then(ea.arity.cmp(&eb.arity))
        }
    }
}
