//! A process heap: bump allocation in a young block, overflow into heap
//! fragments, and a generational copying collector (see `gc.rs`) run only
//! at the owning process's safe points.
//!
//! Blocks are fixed-size boxed slices that never move while terms point
//! into them; a collection copies live data into fresh blocks and drops
//! the old ones.

use crate::block::Block;
use crate::term::{header, Subtag, Term};
use num_bigint::{BigInt, Sign};
use num_traits::{ToPrimitive, Zero};

/// Words of the smallest young heap.
pub const MIN_HEAP_WORDS: usize = 233;

pub struct Heap {
    /// The young generation. Words below `top` are initialised; the rest
    /// are not (a block comes from the allocator unzeroed, see
    /// `Heap::words`) and are written before they are read.
    pub(crate) young: Words,
    pub(crate) top: usize,
    /// Allocation stops here (at most the block's length): the collector
    /// sizes the young generation by what survives, not by the block it
    /// happened to copy into. In stress mode it is kept at `top`, so every
    /// allocation makes the next safe point collect.
    pub(crate) limit: usize,
    pub(crate) stress: bool,
    /// Set when the young block overflowed into a fragment, or absorbed
    /// message data has grown large: the next safe point collects.
    pub(crate) need_gc: bool,
    /// The next collection is a major one (erlang:garbage_collect/0).
    pub(crate) need_major: bool,
    /// Words of roots outside the heap (stack, dictionary) at the last
    /// collection request: the collector sizes the young generation by it.
    pub root_words: usize,
    /// Objects below this index survived one collection; the next minor
    /// collection promotes them to the old heap.
    pub(crate) hwm: usize,
    pub(crate) old: Box<[u64]>,
    pub(crate) old_top: usize,
    /// The young block of the last collection but one, kept for the next
    /// collection to copy into (no allocation, no zeroing): nothing points
    /// into it once a collection is over. Boxed twice so that it costs an
    /// idle process one word.
    pub(crate) spare: Option<Box<Words>>,
    /// Overflow blocks, absorbed by the next collection.
    pub(crate) frags: Vec<Box<[u64]>>,
    /// Blocks of received messages, collected with the young generation.
    pub(crate) absorbed: Vec<Block>,
    pub(crate) absorbed_words: usize,
    pub(crate) frag_top: usize,
    pub(crate) frag_words: usize,
    pub(crate) min_words: usize,
    /// Number of collections, minor and major.
    pub minor_gcs: u64,
    pub major_gcs: u64,
    /// Minor collections since the last major one.
    pub(crate) since_major: u32,
    /// The off-heap binaries this heap references (see `offheap.rs`).
    pub(crate) mso: crate::offheap::Mso,
}

impl Drop for Heap {
    fn drop(&mut self) {
        self.mso.release_all();
    }
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new(MIN_HEAP_WORDS)
    }
}

/// What `Heap::words` fills a block with in tests: a boxed term whose
/// address is unmapped (and odd-aligned), so following it crashes.
#[cfg(any(test, debug_assertions))]
const POISON: u64 = 0xdead_beef_dead_bee2;

/// A heap block whose words are written before they are read: the young
/// generation and the collector's to-space. Unzeroed, because zeroing a
/// to-space that the collector then overwrites was a tenth of a run that
/// collects a large heap (`etf_roundtrip`: `memset` 10%).
pub type Words = Box<[std::mem::MaybeUninit<u64>]>;

impl Heap {
    /// An unzeroed block of `n` words. In tests and debug builds it is
    /// filled with a poison word instead (a boxed pointer to nowhere), so
    /// that reading a word nobody wrote fails loudly rather than finding a
    /// stale term.
    pub fn words(n: usize) -> Words {
        #[allow(unused_mut)]
        let mut b = Box::new_uninit_slice(n);
        #[cfg(any(test, debug_assertions))]
        for w in b.iter_mut() {
            w.write(POISON);
        }
        b
    }

    pub fn new(words: usize) -> Heap {
        Heap::with_block(words.max(16))
    }

    /// A heap whose young block is allocated by its first allocation: a
    /// process that only waits (a million idle processes) costs no heap.
    pub fn lazy(words: usize) -> Heap {
        let mut h = Heap::with_block(0);
        h.min_words = words.max(16);
        h
    }

    fn with_block(words: usize) -> Heap {
        Heap {
            young: Heap::words(words),
            top: 0,
            limit: words,
            stress: false,
            need_gc: false,
            need_major: false,
            root_words: 0,
            hwm: 0,
            old: Box::new([]),
            old_top: 0,
            spare: None,
            frags: Vec::new(),
            absorbed: Vec::new(),
            absorbed_words: 0,
            frag_top: 0,
            frag_words: 0,
            min_words: words,
            minor_gcs: 0,
            major_gcs: 0,
            since_major: 0,
            mso: Default::default(),
        }
    }

    /// Words in use (young, old and fragments).
    pub fn used_words(&self) -> usize {
        self.top + self.old_top + self.frag_words + self.absorbed_words
    }

    /// Words of every block this heap holds (young, old, fragments and
    /// absorbed messages): its share of erlang:memory(processes).
    pub fn reserved_words(&self) -> usize {
        self.young.len()
            + self.spare.as_ref().map_or(0, |b| b.len())
            + self.old.len()
            + self.frags.iter().map(|f| f.len()).sum::<usize>()
            + self.absorbed_words
    }

    /// Words reserved (the heap size process_info reports).
    pub fn size_words(&self) -> usize {
        if self.young.is_empty() {
            self.min_words
        } else {
            self.limit
        }
    }

    /// Stress mode: collect at every safe point where anything was
    /// allocated since the last collection.
    pub fn set_stress(&mut self, on: bool) {
        self.stress = on;
        self.limit = if on { self.top } else { self.young.len() };
    }

    pub fn old_size_words(&self) -> usize {
        self.old.len()
    }

    /// Has anything been allocated since the last collection?
    #[inline]
    pub fn allocated_since_gc(&self) -> bool {
        self.top > self.hwm || !self.frags.is_empty() || !self.absorbed.is_empty()
    }

    /// A full collection at the next safe point (erlang:garbage_collect/0).
    pub fn request_gc(&mut self) {
        self.need_gc = true;
        self.need_major = true;
    }

    /// Does the heap want a collection at the next safe point?
    #[inline]
    pub fn wants_gc(&self) -> bool {
        self.need_gc
    }

    /// The young generation's free words, [next, end), for native code to
    /// allocate in (see `jit`); `jit_set_top` takes the new next back.
    pub fn jit_window(&mut self) -> (*mut u64, *mut u64) {
        let base = self.young.as_mut_ptr() as *mut u64;
        // SAFETY: top <= limit <= the block's length.
        unsafe { (base.add(self.top), base.add(self.limit)) }
    }

    /// Where the "collect at the next safe point" flag is, for native code
    /// to look at after a helper allocated.
    pub fn need_gc_flag(&self) -> *const bool {
        &self.need_gc
    }

    /// The next free word after native code allocated from `jit_window`.
    pub fn jit_set_top(&mut self, next: *mut u64) {
        let base = self.young.as_ptr() as usize;
        let top = (next as usize - base) / 8;
        debug_assert!(top >= self.top && top <= self.limit);
        self.top = top;
    }

    /// Allocate `n` words. Never collects: when the young block is full the
    /// words come from a fragment, and the next safe point collects.
    #[inline]
    pub fn alloc(&mut self, n: usize) -> *mut u64 {
        if self.top + n <= self.limit {
            // SAFETY: top + n is within the block (limit <= its length).
            let p = unsafe { (self.young.as_mut_ptr() as *mut u64).add(self.top) };
            self.top += n;
            return p;
        }
        self.alloc_frag(n)
    }

    #[cold]
    fn alloc_frag(&mut self, n: usize) -> *mut u64 {
        if self.young.is_empty() && self.top == 0 && !self.stress {
            // A lazy heap's first allocation.
            let words = self.min_words.max(n);
            self.young = Heap::words(words);
            self.limit = words;
            self.top = n;
            return self.young.as_mut_ptr() as *mut u64;
        }
        if let Some(f) = self.frags.last_mut() {
            if self.frag_top.checked_add(n).is_some_and(|e| e <= f.len()) {
                // SAFETY: within the fragment.
                let p = unsafe { f.as_mut_ptr().add(self.frag_top) };
                self.frag_top += n;
                self.frag_words += n;
                return p;
            }
        }
        self.need_gc = true;
        // Each fragment at least as large as all before it together: a BIF
        // that builds a large term (binary_to_term, a long list) before
        // the next safe point makes a logarithmic number of them.
        let size = n.max(self.limit / 2).max(256).max(self.frag_words);
        let mut f = vec![0u64; size].into_boxed_slice();
        let p = f.as_mut_ptr();
        self.frags.push(f);
        self.frag_top = n;
        self.frag_words += n;
        p
    }

    /// `t` copied into a block of exactly its size (a message fragment).
    /// The block owns the references of the off-heap binaries it holds
    /// until a heap absorbs it.
    pub fn fragment_of(t: Term) -> (Term, Block) {
        if let Some(done) = crate::copy::copy_to_block(t) {
            return done;
        }
        // Never expected (size_of is exact): a block with room to spare,
        // more until it fits.
        debug_assert!(false, "size_of is exact");
        let mut room = 2 * crate::copy::size_of(t) + 16;
        loop {
            if let Some(done) = crate::copy::copy_to_block_with_room(t, room) {
                return done;
            }
            room *= 2;
        }
    }

    /// List a ProcBin just allocated in this heap (`binary.rs`, `copy.rs`).
    pub fn add_offheap(&mut self, obj: *const u64) {
        if self.mso.add(obj) {
            self.need_gc = true;
        }
    }

    /// List the ProcBin of an in-place append, counting the appended bytes.
    /// Bytes appended in place to a block this heap references: they count
    /// towards the next collection like a new binary's.
    pub fn count_offheap_appended(&mut self, appended: usize) {
        if self.mso.count(appended) {
            self.need_gc = true;
        }
    }

    /// Off-heap binary bytes this heap references.
    pub fn offheap_bytes(&self) -> usize {
        self.mso.bytes
    }

    /// Take over a message fragment: its terms become part of this heap,
    /// and the next collection copies what is live.
    pub fn absorb_block(&mut self, block: Block) {
        if block.is_empty() {
            return;
        }
        if self.mso.adopt_block(&block) {
            self.need_gc = true;
        }
        self.absorbed_words += block.len();
        self.absorbed.push(block);
        // Received messages stay where they are until they add up to about
        // the young generation's size (a collection per message would cost
        // more than the memory it saves).
        if self.stress || self.absorbed_words > self.limit.max(1024) {
            self.need_gc = true;
        }
    }

    // ------------------------------------------------------------ builders

    /// A reference with number `id`, made by the process `creator`.
    pub fn make_ref(&mut self, id: u64, creator: u64) -> Term {
        let p = self.alloc(4);
        // SAFETY: four fresh words: a reference of three id words.
        unsafe {
            *p = header(Subtag::Ref, 3);
            *p.add(1) = id & 0x3ffff;
            *p.add(2) = id >> 18;
            *p.add(3) = creator;
        }
        Term::from_boxed_ptr(p)
    }

    #[inline]
    pub fn cons(&mut self, head: Term, tail: Term) -> Term {
        let p = self.alloc(2);
        // SAFETY: two fresh words.
        unsafe {
            *p = head.0;
            *p.add(1) = tail.0;
        }
        Term::from_cons_ptr(p as *const Term)
    }

    pub fn tuple(&mut self, elems: &[Term]) -> Term {
        let p = self.alloc(1 + elems.len());
        // SAFETY: 1 + n fresh words.
        unsafe {
            *p = header(Subtag::Tuple, elems.len());
            for (i, e) in elems.iter().enumerate() {
                *p.add(1 + i) = e.0;
            }
        }
        Term::from_boxed_ptr(p)
    }

    /// A tuple of `n` elements, all `fill`; returns the term and a pointer
    /// to its first element for filling in.
    pub fn tuple_uninit(&mut self, n: usize, fill: Term) -> (Term, *mut Term) {
        let p = self.alloc(1 + n);
        // SAFETY: 1 + n fresh words.
        unsafe {
            *p = header(Subtag::Tuple, n);
            for i in 0..n {
                *p.add(1 + i) = fill.0;
            }
        }
        (Term::from_boxed_ptr(p), unsafe { p.add(1) } as *mut Term)
    }

    pub fn float(&mut self, f: f64) -> Term {
        let p = self.alloc(2);
        // SAFETY: two fresh words.
        unsafe {
            *p = header(Subtag::Float, 1);
            *p.add(1) = f.to_bits();
        }
        Term::from_boxed_ptr(p)
    }

    /// An integer term: small when it fits, a bignum otherwise.
    pub fn int(&mut self, i: i64) -> Term {
        if Term::fits_small(i) {
            Term::small(i)
        } else {
            self.bigint(&BigInt::from(i))
        }
    }

    pub fn i128(&mut self, i: i128) -> Term {
        match i64::try_from(i) {
            Ok(v) => self.int(v),
            Err(_) => self.bigint(&BigInt::from(i)),
        }
    }

    pub fn bigint(&mut self, b: &BigInt) -> Term {
        if let Some(i) = b.to_i64() {
            if Term::fits_small(i) {
                return Term::small(i);
            }
        }
        let (sign, limbs) = b.to_u64_digits();
        let n = limbs.len().max(1);
        let p = self.alloc(1 + n);
        let st = if sign == Sign::Minus {
            Subtag::NegBig
        } else {
            Subtag::PosBig
        };
        // SAFETY: 1 + n fresh words.
        unsafe {
            *p = header(st, n);
            for i in 0..n {
                *p.add(1 + i) = limbs.get(i).copied().unwrap_or(0);
            }
        }
        Term::from_boxed_ptr(p)
    }

    /// A list of the given terms, with the given tail.
    pub fn list_with_tail(&mut self, items: &[Term], tail: Term) -> Term {
        let mut t = tail;
        for &x in items.iter().rev() {
            t = self.cons(x, t);
        }
        t
    }

    pub fn list(&mut self, items: &[Term]) -> Term {
        self.list_with_tail(items, Term::NIL)
    }

    /// A string as a list of character codes.
    pub fn string(&mut self, s: &str) -> Term {
        let chars: Vec<Term> = s.chars().map(|c| Term::small(c as i64)).collect();
        self.list(&chars)
    }

    /// A list of bytes.
    pub fn byte_list(&mut self, bytes: &[u8]) -> Term {
        let mut t = Term::NIL;
        for &b in bytes.iter().rev() {
            t = self.cons(Term::small(b as i64), t);
        }
        t
    }
}

/// The value of an integer term as a big integer.
pub fn to_bigint(t: Term) -> Option<BigInt> {
    if t.is_small() {
        return Some(BigInt::from(t.small_value()));
    }
    match t.subtag()? {
        st @ (Subtag::PosBig | Subtag::NegBig) => {
            let n = crate::term::header_arity(t.header());
            let limbs: Vec<u64> = (0..n).map(|i| t.boxed_word(i)).collect();
            let mut digits: Vec<u32> = Vec::with_capacity(n * 2);
            for l in limbs {
                digits.push(l as u32);
                digits.push((l >> 32) as u32);
            }
            let mag = num_bigint::BigUint::new(digits);
            let sign = if mag.is_zero() {
                Sign::NoSign
            } else if st == Subtag::NegBig {
                Sign::Minus
            } else {
                Sign::Plus
            };
            Some(BigInt::from_biguint(sign, mag))
        }
        _ => None,
    }
}

/// The value of an integer term if it fits in i64.
pub fn to_i64(t: Term) -> Option<i64> {
    if t.is_small() {
        Some(t.small_value())
    } else if t.is_bignum() {
        to_bigint(t)?.to_i64()
    } else {
        None
    }
}

/// The number and creator of a local reference made by `make_ref`.
pub fn ref_id(t: Term) -> Option<(u64, u64)> {
    if t.subtag() != Some(Subtag::Ref) {
        return None;
    }
    let (lo, hi, creator) = (t.boxed_word(0), t.boxed_word(1), t.boxed_word(2));
    Some(((hi << 18) | lo, creator))
}
