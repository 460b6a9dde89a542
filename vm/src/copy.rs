//! Copying terms between heaps (messages, and later ETS): the whole term,
//! structure and all, so the copy shares nothing with the source.
//!
//! Both walks are iterative over an explicit work stack that lives on the
//! native stack while it is small: a message such as `{token, 42}` is sized
//! and copied without touching the allocator, and a deeply nested term
//! cannot overflow the native stack.

use crate::heap::Heap;
use crate::term::{header_arity, header_subtag, Subtag, Term};

/// Entries kept inline before the work stack spills to the allocator.
const INLINE: usize = 32;

/// A LIFO of pending items: a fixed array first, then a vector. The array
/// is left uninitialised (filling it would cost more than copying a small
/// message).
pub(crate) struct WorkStack<T: Copy> {
    inline: [std::mem::MaybeUninit<T>; INLINE],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy> WorkStack<T> {
    #[inline]
    pub(crate) fn new() -> Self {
        WorkStack {
            inline: [const { std::mem::MaybeUninit::uninit() }; INLINE],
            len: 0,
            spill: Vec::new(),
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, x: T) {
        if self.len < INLINE {
            self.inline[self.len].write(x);
            self.len += 1;
        } else {
            self.spill.push(x);
        }
    }

    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        if let Some(x) = self.spill.pop() {
            return Some(x);
        }
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: entries below `len` were written by `push`.
        Some(unsafe { self.inline[self.len].assume_init() })
    }
}

/// Words a copy of `t` needs.
pub fn size_of(t: Term) -> usize {
    let mut n = 0;
    let mut stack = WorkStack::new();
    stack.push(t);
    while let Some(t) = stack.pop() {
        if t.is_cons() {
            let mut cur = t;
            while cur.is_cons() {
                let (h, tl) = cur.cons_parts();
                n += 2;
                if !h.is_immediate() {
                    stack.push(h);
                }
                cur = tl;
            }
            if !cur.is_immediate() {
                stack.push(cur);
            }
        } else if t.is_boxed() {
            let h = t.header();
            let arity = header_arity(h);
            n += 1 + arity;
            for i in header_subtag(h).term_range(arity) {
                let e = Term(t.boxed_word(i));
                if !e.is_immediate() {
                    stack.push(e);
                }
            }
        }
    }
    n
}

/// Where a copy allocates: a process heap, or a message block.
pub trait Alloc {
    fn alloc(&mut self, n: usize) -> *mut u64;
    /// A reference to an off-heap binary (a ProcBin at `obj`) was copied in.
    fn add_offheap(&mut self, obj: *const u64);
}

impl Alloc for Heap {
    #[inline]
    fn alloc(&mut self, n: usize) -> *mut u64 {
        Heap::alloc(self, n)
    }

    fn add_offheap(&mut self, obj: *const u64) {
        Heap::add_offheap(self, obj)
    }
}

/// Bump allocation in an uninitialised block of known size; should the
/// block run short (size_of and copy disagreeing: a bug), the rest goes to
/// `spill` and the caller starts over on a heap.
struct Bump {
    next: *mut u64,
    left: usize,
    spill: Option<Heap>,
}

impl Alloc for Bump {
    #[inline]
    fn alloc(&mut self, n: usize) -> *mut u64 {
        if n <= self.left {
            let p = self.next;
            // SAFETY: n words remain in the block from `next`.
            self.next = unsafe { self.next.add(n) };
            self.left -= n;
            return p;
        }
        self.spill.get_or_insert_with(|| Heap::new(n)).alloc(n)
    }

    /// A message block owns the references of its ProcBins until a heap
    /// absorbs it (`Heap::absorb_block` lists them then).
    fn add_offheap(&mut self, _: *const u64) {}
}

/// `t` copied into a fresh message block of exactly its size: no zeroing,
/// one allocation. None if the block ran short (see `Bump`).
pub fn copy_to_block(t: Term) -> Option<(Term, crate::block::Block)> {
    copy_to_block_with_room(t, size_of(t))
}

/// `t` copied into a fresh message block of `room` words (the rest
/// zeroed); None if it did not fit.
pub fn copy_to_block_with_room(t: Term, room: usize) -> Option<(Term, crate::block::Block)> {
    let mut block = crate::block::Block::uninit(room);
    if t.is_immediate() {
        block.fill(0);
        return Some((t, block));
    }
    // SAFETY: the block has `room` words.
    let c = unsafe { copy_into(t, block.as_mut_ptr(), room) }?;
    Some((c, block))
}

/// `t` (boxed) copied into a fresh block of exactly its size followed by
/// `tail` bytes in the same allocation (`Block::uninit_with_tail`).
pub fn copy_to_block_with_tail(t: Term, tail: usize) -> (Term, crate::block::Block, *mut u8) {
    debug_assert!(!t.is_immediate());
    let n = size_of(t);
    let (mut block, tail_ptr) = crate::block::Block::uninit_with_tail(n, tail);
    // SAFETY: the block has `n` words; size_of is exact, so the copy fits.
    let c = unsafe { copy_into(t, block.as_mut_ptr(), n) }.expect("size_of is exact");
    (c, block, tail_ptr)
}

/// `t` (of `size_of(t) == n` words; prefix + n > 0) copied into a fresh
/// allocation of the global allocator of `prefix + n` words (layout
/// `[u64; prefix + n]`), after `prefix` words left for the caller to fill
/// (ETS objects). None (and nothing allocated) if the block ran short.
pub fn copy_to_raw_block(t: Term, n: usize, prefix: usize) -> Option<(Term, *mut u64)> {
    let layout = std::alloc::Layout::array::<u64>(prefix + n).expect("block size");
    // SAFETY: the layout has a non-zero size (prefix + n > 0).
    let base = unsafe { std::alloc::alloc(layout) } as *mut u64;
    if base.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    // SAFETY: the allocation has prefix + n words.
    match unsafe { copy_into(t, base.add(prefix), n) } {
        Some(c) => Some((c, base)),
        None => {
            // SAFETY: allocated above with this layout.
            unsafe { std::alloc::dealloc(base as *mut u8, layout) };
            None
        }
    }
}

/// Copy `t` into the `n` words at `at` (`n >= size_of(t)`), every word
/// written (the unused end zeroed); None if they ran short.
///
/// # Safety
/// `at` is valid for writing `n` words.
unsafe fn copy_into(t: Term, at: *mut u64, n: usize) -> Option<Term> {
    let mut bump = Bump {
        next: at,
        left: n,
        spill: None,
    };
    let c = copy(&mut bump, t);
    if bump.spill.is_some() {
        return None;
    }
    // SAFETY: `left` words at `next` are the unwritten end of the block;
    // zero them so every word is initialised.
    unsafe { std::ptr::write_bytes(bump.next, 0, bump.left) };
    Some(c)
}

/// Copy `t` into `heap`.
///
/// Each object is allocated and filled with the source's words at once;
/// the slots of the new object that hold terms are then pushed on the work
/// stack and overwritten with the copies of what they point to.
pub fn copy<A: Alloc>(heap: &mut A, t: Term) -> Term {
    if t.is_immediate() {
        return t;
    }
    let mut root = t.0;
    let mut stack: WorkStack<*mut u64> = WorkStack::new();
    stack.push(&mut root);
    while let Some(slot) = stack.pop() {
        // SAFETY: `slot` is `root` or a word of an object allocated below
        // in `heap`, whose allocations never move earlier ones (GC only
        // runs at safe points, never inside this function).
        let src = Term(unsafe { *slot });
        if src.is_immediate() {
            continue;
        }
        if src.is_cons() {
            let (h, tl) = src.cons_parts();
            let p = heap.alloc(2);
            // SAFETY: two fresh words.
            unsafe {
                *p = h.0;
                *p.add(1) = tl.0;
                *slot = Term::from_cons_ptr(p as *const Term).0;
                // The tail first, so the head (popped next) is done before
                // the spine goes on: the stack grows with nesting only.
                if !tl.is_immediate() {
                    stack.push(p.add(1));
                }
                if !h.is_immediate() {
                    stack.push(p);
                }
            }
        } else {
            let h = src.header();
            let arity = header_arity(h);
            let p = heap.alloc(1 + arity);
            // SAFETY: 1 + arity fresh words; the source object has the same
            // size.
            unsafe {
                std::ptr::copy_nonoverlapping(src.boxed_ptr(), p, 1 + arity);
                *slot = Term::from_boxed_ptr(p).0;
                for i in header_subtag(h).term_range(arity) {
                    if !Term(*p.add(1 + i)).is_immediate() {
                        stack.push(p.add(1 + i));
                    }
                }
            }
            if header_subtag(h) == Subtag::RefcBin {
                // The copy holds its own reference to the off-heap bytes.
                // SAFETY: the source ProcBin holds a reference, so the
                // block is alive.
                unsafe {
                    crate::offheap::OffHeap::retain(src.boxed_word(1) as *const crate::offheap::OffHeap)
                };
                heap.add_offheap(p);
            }
        }
    }
    Term(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::compare;

    fn sample(h: &mut Heap) -> Term {
        let inner: Vec<Term> = (0..100).map(Term::small).collect();
        let l = h.list(&inner);
        let f = h.float(2.5);
        let t = h.tuple(&[crate::atom::OK, l, f]);
        let mut deep = Term::NIL;
        for i in 0..1000 {
            deep = h.tuple(&[Term::small(i), deep]);
        }
        let improper = h.cons(t, Term::small(7));
        h.list(&[improper, deep, t])
    }

    #[test]
    fn copies_are_equal_and_exactly_sized() {
        let mut src = Heap::new(64);
        let t = sample(&mut src);
        let n = size_of(t);
        let (c, block) = Heap::fragment_of(t);
        assert_eq!(compare(t, c, true), std::cmp::Ordering::Equal);
        assert_eq!(size_of(c), n);
        assert_eq!(block.len(), n, "the copy fits an exact-size block");
    }
}
