//! Copying terms between heaps (messages, and later ETS): the whole term,
//! structure and all, so the copy shares nothing with the source.

use crate::heap::Heap;
use crate::term::{header_arity, Subtag, Term};

/// Words a copy of `t` needs.
pub fn size_of(t: Term) -> usize {
    let mut n = 0;
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if t.is_cons() {
            let mut cur = t;
            while cur.is_cons() {
                let (h, tl) = cur.cons_parts();
                n += 2;
                stack.push(h);
                cur = tl;
            }
            stack.push(cur);
        } else if t.is_boxed() {
            let h = t.header();
            let arity = header_arity(h);
            n += 1 + arity;
            let st = crate::term::header_subtag(h);
            for i in st.term_range(arity) {
                stack.push(Term(t.boxed_word(i)));
            }
        }
    }
    n
}

/// Copy `t` into `heap`.
pub fn copy(heap: &mut Heap, t: Term) -> Term {
    if t.is_immediate() {
        return t;
    }
    if t.is_cons() {
        // Copy the spine iteratively, the elements recursively.
        let mut items = Vec::new();
        let mut cur = t;
        while cur.is_cons() {
            let (h, tl) = cur.cons_parts();
            items.push(copy(heap, h));
            cur = tl;
        }
        let tail = copy(heap, cur);
        return heap.list_with_tail(&items, tail);
    }
    let h = t.header();
    let arity = header_arity(h);
    let st = crate::term::header_subtag(h);
    let range = st.term_range(arity);
    let children: Vec<(usize, Term)> = range.map(|i| (i, copy(heap, Term(t.boxed_word(i))))).collect();
    let p = heap.alloc(1 + arity);
    // SAFETY: 1 + arity fresh words; the source object has the same size.
    unsafe {
        std::ptr::copy_nonoverlapping(t.boxed_ptr(), p, 1 + arity);
        for (i, c) in children {
            *p.add(1 + i) = c.0;
        }
    }
    if st == Subtag::RefcBin {
        // The copy holds its own reference to the off-heap bytes.
        // SAFETY: the source ProcBin holds a reference, so the block lives.
        unsafe { crate::offheap::OffHeap::retain(t.boxed_word(1) as *const crate::offheap::OffHeap) };
        heap.add_offheap(p);
    }
    Term::from_boxed_ptr(p)
}
