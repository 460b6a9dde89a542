//! Terms: one 64-bit tagged word each, in BEAM's style.
//!
//! ```text
//!  ....00  header word (first word of a boxed object; never a term value)
//!  ....01  list: pointer to a cons cell [head, tail]
//!  ....10  boxed: pointer to an object that starts with a header word
//!  ..0011  local pid          ..0111  local port
//!  ..1111  small integer (60 bits, value << 4)
//!  001011  atom (index << 6)  011011  catch marker (stack only)
//!  111011  []                 101011  special values
//! ```
//!
//! Invariant (DESIGN §3): a term is never an owning Rust value. Boxed
//! objects and cons cells live in a process heap, a message fragment or a
//! module's literal area, and refer to each other by pointer.

pub use compiler::bytecode::tag;

#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Term(pub u64);

/// Kinds of boxed objects (the header's subtag, bits 2..6).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Subtag {
    Tuple = 0,
    PosBig = 1,
    NegBig = 2,
    Float = 3,
    Ref = 4,
    /// A closure: [header, fun entry pointer (raw), free variables...]
    Fun = 5,
    /// `fun M:F/A`: [header, export pointer (raw)]
    Export = 6,
    /// A small map: [header(n), keys tuple, v1..vn]
    FlatMap = 7,
    /// A node of a hash trie map: [header(n+1), bitmap (raw), entries...]
    HashMap = 8,
    /// A binary on the heap: [header(words), byte size (raw), data...]
    HeapBin = 9,
    /// An off-heap, reference-counted binary (reserved).
    RefcBin = 10,
    /// A slice of another binary: [header, orig (term), offset, bit size] (raw after orig)
    SubBin = 11,
    /// A binary match context.
    MatchCtx = 12,
    ExternalPid = 13,
    ExternalPort = 14,
    ExternalRef = 15,
}

impl Subtag {
    pub fn from_bits(b: u64) -> Subtag {
        match b & 0xf {
            0 => Subtag::Tuple,
            1 => Subtag::PosBig,
            2 => Subtag::NegBig,
            3 => Subtag::Float,
            4 => Subtag::Ref,
            5 => Subtag::Fun,
            6 => Subtag::Export,
            7 => Subtag::FlatMap,
            8 => Subtag::HashMap,
            9 => Subtag::HeapBin,
            10 => Subtag::RefcBin,
            11 => Subtag::SubBin,
            12 => Subtag::MatchCtx,
            13 => Subtag::ExternalPid,
            14 => Subtag::ExternalPort,
            _ => Subtag::ExternalRef,
        }
    }

    /// The payload words (after the header) that hold terms, as a range
    /// of offsets; every other payload word is raw data the collector must
    /// not interpret.
    pub fn term_range(self, arity: usize) -> std::ops::Range<usize> {
        match self {
            Subtag::Tuple | Subtag::FlatMap => 0..arity,
            // [raw pointer or bitmap, terms...]
            Subtag::Fun | Subtag::HashMap => 1..arity,
            // [original binary, raw offset and size...]
            Subtag::SubBin | Subtag::MatchCtx => 0..1,
            _ => 0..0,
        }
    }
}

/// Build a header word.
pub const fn header(subtag: Subtag, arity: usize) -> u64 {
    ((arity as u64) << 6) | ((subtag as u64) << 2)
}

pub fn header_arity(h: u64) -> usize {
    (h >> 6) as usize
}

pub fn header_subtag(h: u64) -> Subtag {
    Subtag::from_bits(h >> 2)
}

impl Term {
    pub const NIL: Term = Term(tag::NIL);
    /// "No value": never a valid term (BEAM's THE_NON_VALUE).
    pub const NONE: Term = Term(0);

    #[inline]
    pub fn raw(self) -> u64 {
        self.0
    }

    // ---- small integers

    #[inline]
    pub fn fits_small(i: i64) -> bool {
        (tag::MIN_SMALL..=tag::MAX_SMALL).contains(&i)
    }

    #[inline]
    pub fn small(i: i64) -> Term {
        debug_assert!(Term::fits_small(i));
        Term(tag::small(i))
    }

    #[inline]
    pub fn is_small(self) -> bool {
        self.0 & tag::IMMED1_MASK == tag::IMMED1_SMALL
    }

    #[inline]
    pub fn small_value(self) -> i64 {
        (self.0 as i64) >> 4
    }

    // ---- atoms

    #[inline]
    pub const fn atom(index: u32) -> Term {
        Term(((index as u64) << 6) | tag::IMMED2_ATOM)
    }

    #[inline]
    pub fn is_atom(self) -> bool {
        self.0 & tag::IMMED2_MASK == tag::IMMED2_ATOM
    }

    #[inline]
    pub fn atom_index(self) -> u32 {
        (self.0 >> 6) as u32
    }

    #[inline]
    pub fn boolean(b: bool) -> Term {
        if b {
            crate::atom::TRUE
        } else {
            crate::atom::FALSE
        }
    }

    // ---- pids and catch markers

    pub fn pid(index: u64) -> Term {
        Term((index << 4) | tag::IMMED1_PID)
    }

    pub fn is_local_pid(self) -> bool {
        self.0 & tag::IMMED1_MASK == tag::IMMED1_PID
    }

    pub fn pid_index(self) -> u64 {
        self.0 >> 4
    }

    pub fn port(index: u64) -> Term {
        Term((index << 4) | tag::IMMED1_PORT)
    }

    pub fn is_local_port(self) -> bool {
        self.0 & tag::IMMED1_MASK == tag::IMMED1_PORT
    }

    pub fn catch_marker(index: u32) -> Term {
        Term(((index as u64) << 6) | tag::IMMED2_CATCH)
    }

    pub fn is_catch(self) -> bool {
        self.0 & tag::IMMED2_MASK == tag::IMMED2_CATCH
    }

    pub fn catch_index(self) -> u32 {
        (self.0 >> 6) as u32
    }

    // ---- structure

    #[inline]
    pub fn is_nil(self) -> bool {
        self.0 == tag::NIL
    }

    #[inline]
    pub fn is_cons(self) -> bool {
        self.0 & tag::PRIMARY_MASK == tag::PRIMARY_LIST
    }

    #[inline]
    pub fn is_boxed(self) -> bool {
        self.0 & tag::PRIMARY_MASK == tag::PRIMARY_BOXED
    }

    #[inline]
    pub fn is_immediate(self) -> bool {
        self.0 & tag::PRIMARY_MASK == tag::PRIMARY_IMMED1
    }

    /// Is this a word of the header kind (stack continuation pointers and
    /// heap headers are; term values never are)?
    #[inline]
    pub fn is_header_word(self) -> bool {
        self.0 & tag::PRIMARY_MASK == tag::PRIMARY_HEADER
    }

    #[inline]
    pub fn cons_ptr(self) -> *const Term {
        (self.0 & !tag::PRIMARY_MASK) as *const Term
    }

    #[inline]
    pub fn boxed_ptr(self) -> *const u64 {
        (self.0 & !tag::PRIMARY_MASK) as *const u64
    }

    #[inline]
    pub fn from_cons_ptr(p: *const Term) -> Term {
        Term(p as u64 | tag::PRIMARY_LIST)
    }

    #[inline]
    pub fn from_boxed_ptr(p: *const u64) -> Term {
        Term(p as u64 | tag::PRIMARY_BOXED)
    }

    /// Head and tail of a cons cell.
    #[inline]
    pub fn cons_parts(self) -> (Term, Term) {
        debug_assert!(self.is_cons());
        // SAFETY: a list term points at a live two-word cons cell in a heap,
        // fragment or literal area (terms are only made by the allocators).
        unsafe {
            let p = self.cons_ptr();
            (*p, *p.add(1))
        }
    }

    #[inline]
    pub fn head(self) -> Term {
        self.cons_parts().0
    }

    #[inline]
    pub fn tail(self) -> Term {
        self.cons_parts().1
    }

    /// The header word of a boxed term.
    #[inline]
    pub fn header(self) -> u64 {
        debug_assert!(self.is_boxed());
        // SAFETY: a boxed term points at an object starting with a header.
        unsafe { *self.boxed_ptr() }
    }

    /// Payload word `i` (0-based, after the header) of a boxed term.
    #[inline]
    pub fn boxed_word(self, i: usize) -> u64 {
        // SAFETY: callers index within the object's arity.
        unsafe { *self.boxed_ptr().add(1 + i) }
    }

    #[inline]
    pub fn subtag(self) -> Option<Subtag> {
        if self.is_boxed() {
            Some(header_subtag(self.header()))
        } else {
            None
        }
    }

    #[inline]
    pub fn is_tuple(self) -> bool {
        self.subtag() == Some(Subtag::Tuple)
    }

    /// The elements of a tuple.
    #[inline]
    pub fn tuple_elems<'a>(self) -> &'a [Term] {
        let h = self.header();
        let n = header_arity(h);
        // SAFETY: a tuple's payload is `arity` terms after the header; the
        // object lives at least as long as the term is reachable.
        unsafe { std::slice::from_raw_parts(self.boxed_ptr().add(1) as *const Term, n) }
    }

    pub fn as_tuple<'a>(self) -> Option<&'a [Term]> {
        if self.is_tuple() {
            Some(self.tuple_elems())
        } else {
            None
        }
    }

    #[inline]
    pub fn is_float(self) -> bool {
        self.subtag() == Some(Subtag::Float)
    }

    #[inline]
    pub fn float_value(self) -> f64 {
        f64::from_bits(self.boxed_word(0))
    }

    pub fn is_bignum(self) -> bool {
        matches!(self.subtag(), Some(Subtag::PosBig | Subtag::NegBig))
    }

    pub fn is_integer(self) -> bool {
        self.is_small() || self.is_bignum()
    }

    pub fn is_number(self) -> bool {
        self.is_integer() || self.is_float()
    }

    pub fn is_list(self) -> bool {
        self.is_nil() || self.is_cons()
    }

    pub fn is_map(self) -> bool {
        matches!(self.subtag(), Some(Subtag::FlatMap | Subtag::HashMap))
    }

    pub fn is_fun(self) -> bool {
        matches!(self.subtag(), Some(Subtag::Fun | Subtag::Export))
    }

    pub fn is_binary_like(self) -> bool {
        matches!(
            self.subtag(),
            Some(Subtag::HeapBin | Subtag::RefcBin | Subtag::SubBin)
        )
    }

    pub fn is_reference(self) -> bool {
        matches!(self.subtag(), Some(Subtag::Ref | Subtag::ExternalRef))
    }

    pub fn is_pid(self) -> bool {
        self.is_local_pid() || self.subtag() == Some(Subtag::ExternalPid)
    }

    pub fn is_port(self) -> bool {
        self.is_local_port() || self.subtag() == Some(Subtag::ExternalPort)
    }

    pub fn is_boolean(self) -> bool {
        self == crate::atom::TRUE || self == crate::atom::FALSE
    }
}

impl std::fmt::Debug for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", crate::print::write(*self))
    }
}

/// Iterate over a list's elements; `rest` is left at the tail (nil for a
/// proper list).
pub struct ListIter {
    pub rest: Term,
}

impl Iterator for ListIter {
    type Item = Term;
    fn next(&mut self) -> Option<Term> {
        if self.rest.is_cons() {
            let (h, t) = self.rest.cons_parts();
            self.rest = t;
            Some(h)
        } else {
            None
        }
    }
}

impl Term {
    pub fn iter_list(self) -> ListIter {
        ListIter { rest: self }
    }

    /// The elements of a proper list, or None if it is improper.
    pub fn list_to_vec(self) -> Option<Vec<Term>> {
        let mut it = self.iter_list();
        let v: Vec<Term> = it.by_ref().collect();
        if it.rest.is_nil() {
            Some(v)
        } else {
            None
        }
    }

    /// Length of a proper list.
    pub fn list_length(self) -> Option<usize> {
        let mut n = 0;
        let mut t = self;
        while t.is_cons() {
            n += 1;
            t = t.tail();
        }
        if t.is_nil() {
            Some(n)
        } else {
            None
        }
    }
}
