//! The per-process generational copying collector (Cheney's algorithm).
//!
//! Minor collections copy the live objects of the young block and the
//! fragments: those that already survived one collection (below the high
//! water mark) are promoted to the old heap, the rest go to a new young
//! block. Major collections copy everything live, old heap included, into
//! one new young block. Erlang data is immutable, so old objects never point
//! at young ones and the old heap needs no scanning in a minor collection.
//!
//! Terms outside the collected blocks (module literals, other generations)
//! are left where they are.

use crate::heap::{Heap, MIN_HEAP_WORDS};
use crate::term::{header_arity, header_subtag, Term};

/// Minor collections between major ones at most (BEAM's default).
const FULLSWEEP_AFTER: u32 = 65535;

/// Marks a forwarded cons cell (its head; the tail holds the new cell).
/// A header-kind word never appears as a cons head.
const MOVED_CONS: u64 = 0;

/// A region of memory being collected.
#[derive(Clone, Copy)]
struct Range {
    lo: usize,
    hi: usize,
}

/// Calls the visitor it is given on every root slot of a process.
pub type RootWalker<'a> = dyn FnMut(&mut dyn FnMut(&mut Term)) + 'a;

impl Range {
    /// The addresses of a block of words (initialised or not).
    fn of<W>(block: &[W]) -> Range {
        const { assert!(std::mem::size_of::<W>() == 8) };
        let lo = block.as_ptr() as usize;
        Range {
            lo,
            hi: lo + block.len() * 8,
        }
    }
    #[inline]
    fn contains(self, p: usize) -> bool {
        p >= self.lo && p < self.hi
    }
}

struct Collector<'h> {
    from: Vec<Range>,
    /// In a minor collection, the part of the young block to promote.
    promote: Option<Range>,
    /// Written from the start; only what is written is read.
    to: &'h mut [std::mem::MaybeUninit<u64>],
    to_top: usize,
    old: &'h mut [u64],
    old_top: usize,
}

impl<'h> Collector<'h> {
    /// Is `p` in a block being collected? `from` is sorted by address (a
    /// process that received many messages has many fragments).
    #[inline]
    fn in_from(&self, p: usize) -> bool {
        let i = self.from.partition_point(|r| r.lo <= p);
        i > 0 && self.from[i - 1].contains(p)
    }

    fn alloc(&mut self, n: usize, promote: bool) -> *mut u64 {
        if promote {
            assert!(self.old_top + n <= self.old.len(), "old heap sized for promotion");
            // SAFETY: within the old block (checked above).
            let p = unsafe { self.old.as_mut_ptr().add(self.old_top) };
            self.old_top += n;
            p
        } else {
            assert!(
                self.to_top + n <= self.to.len(),
                "to-space sized for the worst case"
            );
            // SAFETY: within the to-space block (checked above).
            let p = unsafe { (self.to.as_mut_ptr() as *mut u64).add(self.to_top) };
            self.to_top += n;
            p
        }
    }

    /// Copy the object a term points to (if it is being collected) and
    /// return the term's new value.
    fn evacuate(&mut self, t: Term) -> Term {
        if t.is_cons() {
            let p = t.cons_ptr() as *mut u64;
            let addr = p as usize;
            if !self.in_from(addr) {
                return t;
            }
            // SAFETY: p points at a cons cell in a block being collected.
            unsafe {
                if *p == MOVED_CONS {
                    return Term(*p.add(1));
                }
                let promote = self.promote.is_some_and(|r| r.contains(addr));
                let d = self.alloc(2, promote);
                *d = *p;
                *d.add(1) = *p.add(1);
                let nt = Term::from_cons_ptr(d as *const Term);
                *p = MOVED_CONS;
                *p.add(1) = nt.0;
                nt
            }
        } else if t.is_boxed() {
            let p = t.boxed_ptr() as *mut u64;
            let addr = p as usize;
            if !self.in_from(addr) {
                return t;
            }
            // SAFETY: p points at a boxed object in a block being collected.
            unsafe {
                let h = *p;
                if Term(h).is_boxed() {
                    // Already moved: the header was replaced by the new term.
                    return Term(h);
                }
                let n = 1 + header_arity(h);
                let promote = self.promote.is_some_and(|r| r.contains(addr));
                let d = self.alloc(n, promote);
                std::ptr::copy_nonoverlapping(p, d, n);
                let nt = Term::from_boxed_ptr(d);
                *p = nt.0;
                nt
            }
        } else {
            t
        }
    }

    /// Scan objects in `block[from..]` until the scan catches up with the
    /// allocation pointer; returns the new scan position.
    fn scan(&mut self, in_old: bool, mut i: usize) -> usize {
        loop {
            let top = if in_old { self.old_top } else { self.to_top };
            if i >= top {
                return i;
            }
            let base = if in_old {
                self.old.as_mut_ptr()
            } else {
                self.to.as_mut_ptr() as *mut u64
            };
            // SAFETY: i < top, within the block.
            let w = unsafe { *base.add(i) };
            if Term(w).is_header_word() {
                let n = header_arity(w);
                let range = header_subtag(w).term_range(n);
                for k in range {
                    // SAFETY: payload word within the object.
                    unsafe {
                        let slot = base.add(i + 1 + k);
                        let nt = self.evacuate(Term(*slot));
                        let base2 = if in_old {
                            self.old.as_mut_ptr()
                        } else {
                            self.to.as_mut_ptr() as *mut u64
                        };
                        *base2.add(i + 1 + k) = nt.0;
                    }
                }
                i += 1 + n;
            } else {
                // A cons cell: two terms.
                for k in 0..2 {
                    // SAFETY: both words of the cell are within the block.
                    unsafe {
                        let nt = self.evacuate(Term(*base.add(i + k)));
                        let base2 = if in_old {
                            self.old.as_mut_ptr()
                        } else {
                            self.to.as_mut_ptr() as *mut u64
                        };
                        *base2.add(i + k) = nt.0;
                    }
                }
                i += 2;
            }
        }
    }
}

/// The young generation of a process whose collections find little alive
/// grows up to this many words (16 KB).
const YOUNG_GROW_MAX: usize = 2048;

/// Collections a process goes through before its young generation may
/// grow (see `collect`).
const GROW_AFTER_GCS: u64 = 32;

/// The largest young block kept as the next collection's to-space.
const SPARE_MAX_WORDS: usize = 1 << 16;

/// A size from BEAM's growth sequence, at least `words`.
fn heap_size_for(words: usize) -> usize {
    let (mut a, mut b) = (MIN_HEAP_WORDS, MIN_HEAP_WORDS * 2);
    while a < words {
        let c = a + b;
        a = b;
        b = c;
        if a > 1 << 22 {
            // Past a few million words grow by 20% steps instead.
            return words + words / 5;
        }
    }
    a
}

impl Heap {
    /// Collect garbage. `roots` is called with a visitor that must be
    /// applied to every root term (x registers, stack slots, dictionary...).
    /// `major` forces a full collection.
    pub fn collect(&mut self, major: bool, roots: &mut RootWalker<'_>) {
        let old_free = self.old.len() - self.old_top;
        // A minor collection promotes everything below the high water mark;
        // if that might not fit, or minors have piled up (BEAM's
        // fullsweep_after), do a major one.
        let do_major = major || self.need_major || self.hwm > old_free || self.since_major >= FULLSWEEP_AFTER;
        self.need_major = false;
        let young_used = self.top;
        let frag_used = self.frag_words + self.absorbed_words;
        let mut from = vec![Range::of(&self.young)];
        from.extend(self.frags.iter().map(|f| Range::of(f)));
        from.extend(self.absorbed.iter().map(|f| Range::of(f)));
        let (to_words, new_old): (usize, Option<Box<[u64]>>) = if do_major {
            from.push(Range::of(&self.old));
            let worst = young_used + frag_used + self.old_top;
            (heap_size_for((worst + worst / 2).max(self.min_words)), None)
        } else {
            let worst = young_used - self.hwm + frag_used;
            (heap_size_for((worst + worst / 2).max(self.min_words)), None)
        };
        let _ = new_old;
        // Every collection scans the roots (the stack above all): keep the
        // young generation at least twice their size, so a deep stack does
        // not make collections run back to back.
        let for_roots = heap_size_for((2 * self.root_words).max(self.min_words));
        let to_words = to_words.max(for_roots);
        // The spare block if it fits (its old contents are never read: the
        // collector reads only what it copied), else a new one.
        let mut to = match &mut self.spare {
            Some(b) if (to_words..=2 * to_words).contains(&b.len()) => std::mem::take(&mut **b),
            _ => Heap::words(to_words),
        };
        let (mut old_block, old_start) = if do_major {
            (Vec::new().into_boxed_slice(), 0)
        } else {
            (std::mem::take(&mut self.old), self.old_top)
        };
        let promote = if do_major {
            None
        } else {
            let lo = self.young.as_ptr() as usize;
            Some(Range {
                lo,
                hi: lo + self.hwm * 8,
            })
        };
        from.sort_unstable_by_key(|r| r.lo);
        let mut c = Collector {
            from,
            promote,
            to: &mut to,
            to_top: 0,
            old: &mut old_block,
            old_top: old_start,
        };
        roots(&mut |t: &mut Term| *t = c.evacuate(*t));
        let (mut si, mut so) = (0, old_start);
        loop {
            let a = c.scan(false, si);
            let b = c.scan(true, so);
            if a == si && b == so {
                break;
            }
            si = a;
            so = b;
        }
        // Off-heap binaries: keep those whose ProcBin was copied.
        self.mso.sweep(|a| c.in_from(a));
        let (to_top, old_top) = (c.to_top, c.old_top);
        if do_major {
            // Survivors of a major collection start the new old generation
            // at the next minor one.
            self.old = Box::new([]);
            self.old_top = 0;
            self.major_gcs += 1;
            self.since_major = 0;
        } else {
            self.old = old_block;
            self.old_top = old_top;
            self.minor_gcs += 1;
            self.since_major += 1;
        }
        // The next young generation: room for a few times what survived,
        // within the block the survivors were copied into.
        // A process that fills its young generation with garbage only
        // (little survives) collects often for nothing: let it double, up
        // to YOUNG_GROW_MAX words, so the fixed cost of a collection is
        // spread over more allocation.
        // Only a process that has collected many times already (a long
        // computation, not one of a thousand processes that each run a
        // little: their larger blocks would cost memory and cache for no
        // gain), and only for its own allocation, not received messages.
        let grown =
            if self.minor_gcs >= GROW_AFTER_GCS && to_top * 8 <= young_used && 2 * young_used >= self.limit {
                (2 * self.limit).min(YOUNG_GROW_MAX)
            } else {
                0
            };
        self.limit = if self.stress {
            to_top
        } else {
            to.len().min(
                heap_size_for((4 * to_top).max(self.min_words))
                    .max(for_roots)
                    .max(grown),
            )
        };
        let from = std::mem::replace(&mut self.young, to);
        // Keep the block just emptied for the next collection, unless it is
        // large (a big heap's collections are rare; its memory is not).
        match &mut self.spare {
            _ if from.len() > SPARE_MAX_WORDS => self.spare = None,
            Some(b) => **b = from,
            None => self.spare = Some(Box::new(from)),
        }
        self.top = to_top;
        self.hwm = to_top;
        self.frags.clear();
        self.absorbed.clear();
        self.absorbed_words = 0;
        self.need_gc = false;
        self.frag_top = 0;
        self.frag_words = 0;
        // Keep room in the old heap for the next promotion, growing it
        // geometrically so that major collections stay rare.
        if self.old.len() - self.old_top < self.hwm {
            let want = heap_size_for(2 * (self.old_top + self.hwm));
            if do_major || self.old_top == 0 {
                self.old = vec![0u64; want].into_boxed_slice();
                self.old_top = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::to_bigint;

    fn collect_with(heap: &mut Heap, roots: &mut [Term], major: bool) {
        heap.collect(major, &mut |visit| {
            for r in roots.iter_mut() {
                visit(r);
            }
        });
    }

    #[test]
    fn keeps_reachable_data_and_drops_garbage() {
        let mut h = Heap::new(32);
        let mut keep = Term::NIL;
        for i in 0..1000 {
            let _garbage = h.tuple(&[Term::small(i), Term::small(i)]);
            keep = h.cons(Term::small(i), keep);
        }
        let f = h.float(2.5);
        let big = h.bigint(&(num_bigint::BigInt::from(1u64) << 100));
        let mut roots = [keep, h.tuple(&[f, big])];
        collect_with(&mut h, &mut roots, false);
        assert!(h.used_words() < 3000 + 20);
        let v = roots[0].list_to_vec().unwrap();
        assert_eq!(v.len(), 1000);
        assert_eq!(v[0].small_value(), 999);
        let t = roots[1].tuple_elems();
        assert_eq!(t[0].float_value(), 2.5);
        assert_eq!(to_bigint(t[1]).unwrap(), num_bigint::BigInt::from(1u64) << 100);
    }

    #[test]
    fn minor_collections_promote_and_majors_compact() {
        let mut h = Heap::new(32);
        let mut roots = [h.string("survivor")];
        for round in 0..40 {
            for _ in 0..50 {
                h.cons(Term::small(round), Term::NIL);
            }
            collect_with(&mut h, &mut roots, round % 7 == 6);
            assert_eq!(crate::print::write(roots[0]), "[115,117,114,118,105,118,111,114]");
        }
        assert!(h.minor_gcs > 0 && h.major_gcs > 0);
    }

    #[test]
    fn shared_subterms_stay_shared() {
        let mut h = Heap::new(16);
        let shared = h.tuple(&[Term::small(1)]);
        let mut roots = [h.tuple(&[shared, shared])];
        collect_with(&mut h, &mut roots, true);
        let e = roots[0].tuple_elems();
        assert_eq!(e[0], e[1]);
        assert_eq!(h.top, 2 + 3);
    }
}
