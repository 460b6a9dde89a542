//! ETS: term storage outside process heaps (DESIGN §7).
//!
//! - `mod.rs` (this file): stored objects, tables (options, access, owner
//!   and heir), the registry of tables and names, and process exit.
//! - `hash.rs`: `set`, `bag` and `duplicate_bag` — a hash table split into
//!   lock stripes (`write_concurrency`).
//! - `ordered.rs`: `ordered_set` — a B-tree ordered by the term order, or
//!   (`write_concurrency`) a contention-adapting tree of B-trees.
//! - `lock.rs`: the plain and the reader-optimised lock.
//! - `matchspec.rs`: match specifications, compiled and evaluated.
//! - `bif/ets.rs`: the BIFs, and `stdlib/erl/ets.erl` the Erlang parts
//!   (folds and the loops that let long operations yield).
//!
//! Invariants:
//! - Every stored object is a tuple copied into a block of its own
//!   ([`Obj`]); no stored term points outside its block, and nothing
//!   outside the table points into one (results are copied out while the
//!   lock is held).
//! - A table is reached through the registry under an epoch guard
//!   (crossbeam-epoch): deleting it unlinks it at once and frees it when no
//!   scheduler can still be looking at it.
//! - Keys are compared with `=:=` in hash tables and `==` in ordered sets.

pub mod hash;
pub mod index;
pub mod lock;
pub mod matchspec;
#[cfg(test)]
mod model_tests;
pub mod ordered;

use crate::atom;
use crate::heap::Heap;
use crate::signal::Payload;
use crate::term::Term;
use crossbeam_epoch::{self as epoch, Atomic, Owned};
use crossbeam_utils::CachePadded;
use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};

/// Schedulers of the running VM (per-scheduler counters and indicators).
static SCHEDULER_SLOTS: AtomicUsize = AtomicUsize::new(1);

pub fn scheduler_slots() -> usize {
    SCHEDULER_SLOTS.load(Ordering::Relaxed).max(1)
}

/// The creator word that marks a table reference.
pub const TABLE_MARK: u64 = u64::MAX >> 5;

// ------------------------------------------------------------------ objects

/// A stored object: a tuple copied into a block of its own, laid out as
/// `[n, term, payload of n words]`, where `term` (the tuple) points into
/// the payload. One pointer wide, so that a hash table's compact index can
/// name an object and a lookup can reach it without reading the bucket
/// that owns it (`hash.rs`).
pub struct Obj {
    block: NonNull<u64>,
}

// SAFETY: an Obj owns its block, which is never written after `new`; the
// off-heap binaries it references are reference-counted atomically.
unsafe impl Send for Obj {}
// SAFETY: as above; shared access only reads.
unsafe impl Sync for Obj {}

/// Words before the payload: its size and the tuple.
const OBJ_HEADER: usize = 2;

impl Obj {
    /// Copy a tuple in.
    pub fn new(t: Term) -> Obj {
        let n = crate::copy::size_of(t);
        let (term, base) = match crate::copy::copy_to_raw_block(t, n, OBJ_HEADER) {
            Some(done) => done,
            None => {
                // Never expected (see `copy_to_block`): copy through a
                // fragment, then move it into place.
                let (term, frag) = Heap::fragment_of(t);
                let (m, base) = (frag.len(), Self::alloc(frag.len()));
                // SAFETY: the payload of `base` has m words; the fragment's
                // references to off-heap binaries move with its words (the
                // fragment is freed without releasing them).
                let term = unsafe {
                    let dst = base.add(OBJ_HEADER);
                    std::ptr::copy_nonoverlapping(frag.as_ptr(), dst, m);
                    let start = frag.as_ptr() as u64;
                    relocate(
                        dst,
                        m,
                        start,
                        start + m as u64 * 8,
                        (dst as u64).wrapping_sub(start),
                        &mut |_| {},
                    );
                    Term(move_word(
                        term.0,
                        start,
                        start + m as u64 * 8,
                        (dst as u64).wrapping_sub(start),
                    ))
                };
                // SAFETY: the header words were reserved by `alloc`.
                unsafe { *base = m as u64 };
                return Obj::from_parts(base, term);
            }
        };
        // SAFETY: copy_to_raw_block reserved OBJ_HEADER words at `base`.
        unsafe { *base = n as u64 };
        Obj::from_parts(base, term)
    }

    fn alloc(n: usize) -> *mut u64 {
        let layout = std::alloc::Layout::array::<u64>(OBJ_HEADER + n).expect("block size");
        // SAFETY: the layout has a non-zero size.
        let base = unsafe { std::alloc::alloc(layout) } as *mut u64;
        if base.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        base
    }

    fn from_parts(base: *mut u64, term: Term) -> Obj {
        // SAFETY: word 1 of the header is reserved for the tuple.
        unsafe { *base.add(1) = term.0 };
        Obj {
            block: NonNull::new(base).expect("allocated"),
        }
    }

    /// The object whose block starts at `block`, borrowed: never dropped.
    ///
    /// # Safety
    /// `block` is [`Obj::as_ptr`] of an object that stays alive (its table
    /// lock held) while the result is used.
    #[inline]
    pub unsafe fn borrow_raw(block: *mut u64) -> std::mem::ManuallyDrop<Obj> {
        std::mem::ManuallyDrop::new(Obj {
            // SAFETY: the caller passes the block of a live object.
            block: unsafe { NonNull::new_unchecked(block) },
        })
    }

    /// The start of the block (for indexes that name the object).
    #[inline]
    pub fn as_ptr(&self) -> *mut u64 {
        self.block.as_ptr()
    }

    /// The tuple.
    #[inline]
    pub fn term(&self) -> Term {
        // SAFETY: the header's second word is the tuple.
        Term(unsafe { *self.block.as_ptr().add(1) })
    }

    #[inline]
    pub fn key(&self, keypos: usize) -> Term {
        self.term().tuple_elems()[keypos - 1]
    }

    /// Words of the payload.
    #[inline]
    pub fn words(&self) -> usize {
        // SAFETY: the header's first word is the payload's size.
        unsafe { *self.block.as_ptr() as usize }
    }

    #[inline]
    fn payload(&self) -> *const u64 {
        // SAFETY: the payload follows the header.
        unsafe { self.block.as_ptr().add(OBJ_HEADER) }
    }

    /// Copy the object into `heap`: one block copy, then the pointers in
    /// it moved by the distance between the blocks (no allocation besides
    /// the heap's, no recursion).
    pub fn copy_to(&self, heap: &mut Heap) -> Term {
        let n = self.words();
        let src = self.payload();
        let dst = heap.alloc(n);
        let start = src as u64;
        let end = start + n as u64 * 8;
        let delta = (dst as u64).wrapping_sub(start);
        // SAFETY: `dst` is n fresh words and the payload n words laid out
        // by `copy::copy` (see `relocate`).
        unsafe {
            std::ptr::copy_nonoverlapping(src, dst, n);
            relocate(dst, n, start, end, delta, &mut |bin| {
                // The copy holds its own reference to the bytes.
                crate::offheap::OffHeap::retain(*bin.add(2) as *const crate::offheap::OffHeap);
                heap.add_offheap(bin);
            });
        }
        Term(move_word(self.term().0, start, end, delta))
    }

    /// Does `t` point into this object's payload?
    pub fn contains(&self, t: Term) -> bool {
        if !(t.is_boxed() || t.is_cons()) {
            return false;
        }
        let p = (t.0 & !3) as usize;
        let start = self.payload() as usize;
        p >= start && p < start + self.words() * 8
    }
}

/// A term word moved by `delta` if it points into `[start, end)`.
#[inline]
fn move_word(w: u64, start: u64, end: u64, delta: u64) -> u64 {
    let t = Term(w);
    if (t.is_boxed() || t.is_cons()) && (w & !3) >= start && (w & !3) < end {
        w.wrapping_add(delta)
    } else {
        w
    }
}

/// Move the pointers in the `n` words at `dst`, copied from `[start,
/// end)`, by `delta`; `on_refc` sees each ProcBin header.
///
/// # Safety
/// The words are laid out by `copy::copy` as a sequence of objects: boxed
/// objects start with a header word (which no term value looks like) and
/// hold terms only in their subtag's term range; everything else is a cons
/// cell of two terms. So the walk visits exactly the term words and stays
/// within the n words.
unsafe fn relocate(
    dst: *mut u64,
    n: usize,
    start: u64,
    end: u64,
    delta: u64,
    on_refc: &mut dyn FnMut(*mut u64),
) {
    let mut i = 0;
    while i < n {
        // SAFETY: i < n (see above).
        let w = unsafe { *dst.add(i) };
        if Term(w).is_header_word() {
            let arity = crate::term::header_arity(w);
            let st = crate::term::header_subtag(w);
            for j in st.term_range(arity) {
                // SAFETY: term words of the object, inside the n words.
                unsafe {
                    let p = dst.add(i + 1 + j);
                    *p = move_word(*p, start, end, delta);
                }
            }
            if st == crate::term::Subtag::RefcBin {
                // SAFETY: a ProcBin header inside the n words.
                on_refc(unsafe { dst.add(i) });
            }
            i += 1 + arity;
        } else {
            // SAFETY: a cons cell: two term words.
            unsafe {
                *dst.add(i) = move_word(w, start, end, delta);
                *dst.add(i + 1) = move_word(*dst.add(i + 1), start, end, delta);
            }
            i += 2;
        }
    }
}

impl Drop for Obj {
    /// The block holds references to the off-heap binaries in the object.
    fn drop(&mut self) {
        let n = self.words();
        // SAFETY: the payload is n initialised words.
        crate::offheap::release_block(unsafe { std::slice::from_raw_parts(self.payload(), n) });
        let layout = std::alloc::Layout::array::<u64>(OBJ_HEADER + n).expect("block size");
        // SAFETY: allocated in `new` with this layout.
        unsafe { std::alloc::dealloc(self.block.as_ptr() as *mut u8, layout) };
    }
}

/// Sizes and memory changes of a mutation.
#[derive(Default, Clone, Copy, Debug)]
pub struct Delta {
    pub objs: i64,
    pub words: i64,
}

impl Delta {
    pub fn add(&mut self, o: &Obj) {
        self.objs += 1;
        self.words += o.words() as i64;
    }
    pub fn remove(&mut self, o: &Obj) {
        self.objs -= 1;
        self.words -= o.words() as i64;
    }
}

/// An update of one object: the new object and a result, or a refusal.
pub type UpdateFn<'a, R> = dyn FnMut(&Obj) -> Result<(Obj, R), R> + 'a;

/// What a traversal does with the object it visits.
pub enum Visit {
    Keep,
    Delete,
    Replace(Obj),
}

/// Where a chunked traversal stands.
pub enum Cursor {
    Start,
    /// Hash tables: the next bucket to visit.
    Slot(usize, usize),
    /// Ordered sets: the last key visited (a copy of its own).
    After(Payload),
    Done,
}

// ------------------------------------------------------------------ tables

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Set,
    OrderedSet,
    Bag,
    DuplicateBag,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Set => "set",
            Kind::OrderedSet => "ordered_set",
            Kind::Bag => "bag",
            Kind::DuplicateBag => "duplicate_bag",
        }
    }
    pub fn is_bag(self) -> bool {
        matches!(self, Kind::Bag | Kind::DuplicateBag)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    Protected,
    Private,
}

impl Access {
    pub fn name(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Protected => "protected",
            Access::Private => "private",
        }
    }
}

/// Options of `ets:new/2`.
#[derive(Clone, Debug)]
pub struct Options {
    pub kind: Kind,
    pub access: Access,
    pub named: bool,
    pub keypos: usize,
    pub heir: Option<(Term, Term)>,
    pub write_concurrency: bool,
    /// Lock stripes asked for with `{write_concurrency, N}` (Beryl).
    pub locks: Option<usize>,
    /// `{write_concurrency, auto}`.
    pub auto: bool,
    pub read_concurrency: bool,
    pub decentralized: Option<bool>,
    pub compressed: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            kind: Kind::Set,
            access: Access::Protected,
            named: false,
            keypos: 1,
            heir: None,
            write_concurrency: false,
            locks: None,
            auto: false,
            read_concurrency: false,
            decentralized: None,
            compressed: false,
        }
    }
}

/// Size and memory counters: one pair, or one per scheduler on a cache
/// line of its own (`decentralized_counters`), summed when read.
pub struct Counters {
    slots: Box<[CachePadded<[AtomicI64; 2]>]>,
}

impl Counters {
    fn new(decentralized: bool) -> Counters {
        let n = if decentralized { scheduler_slots() } else { 1 };
        Counters {
            slots: (0..n)
                .map(|_| CachePadded::new([AtomicI64::new(0), AtomicI64::new(0)]))
                .collect(),
        }
    }

    #[inline]
    pub fn apply(&self, d: Delta) {
        let s = if self.slots.len() == 1 {
            &self.slots[0]
        } else {
            &self.slots[crate::sched::current_scheduler() % self.slots.len()]
        };
        if d.objs != 0 {
            s[0].fetch_add(d.objs, Ordering::Relaxed);
        }
        if d.words != 0 {
            s[1].fetch_add(d.words, Ordering::Relaxed);
        }
    }

    pub fn size(&self) -> i64 {
        self.slots
            .iter()
            .map(|s| s[0].load(Ordering::Relaxed))
            .sum::<i64>()
            .max(0)
    }

    pub fn words(&self) -> i64 {
        self.slots
            .iter()
            .map(|s| s[1].load(Ordering::Relaxed))
            .sum::<i64>()
            .max(0)
    }
}

pub enum Store {
    Hash(hash::HashStore),
    Ordered(ordered::OrderedStore),
}

pub struct Table {
    /// The number in the table's reference.
    pub tid: u64,
    pub name: AtomicU64,
    pub named: bool,
    pub kind: Kind,
    pub access: Access,
    pub keypos: usize,
    pub owner: AtomicU64,
    pub heir: Mutex<Option<(Term, Payload)>>,
    pub read_concurrency: bool,
    pub write_concurrency: bool,
    pub auto: bool,
    pub decentralized: bool,
    pub compressed: bool,
    pub store: Store,
    pub counters: Counters,
    pub deleted: AtomicBool,
    /// Traversals in progress that need a stable order (no rehash).
    pub fixed: AtomicUsize,
}

/// Words counted for a table beyond its objects (for `info(T, memory)`).
const TABLE_OVERHEAD_WORDS: i64 = 300;

impl Table {
    pub fn name(&self) -> Term {
        Term(self.name.load(Ordering::Relaxed))
    }

    pub fn owner(&self) -> Term {
        Term(self.owner.load(Ordering::Acquire))
    }

    pub fn is_alive(&self) -> bool {
        !self.deleted.load(Ordering::Acquire)
    }

    pub fn can_read(&self, pid: Term) -> bool {
        self.access != Access::Private || self.owner() == pid
    }

    pub fn can_write(&self, pid: Term) -> bool {
        self.access == Access::Public || self.owner() == pid
    }

    pub fn size(&self) -> i64 {
        self.counters.size()
    }

    pub fn memory_words(&self) -> i64 {
        TABLE_OVERHEAD_WORDS + self.counters.words() + self.size() * 4
    }

    /// Lock stripes of a hash table, base nodes of a CA tree.
    pub fn locks(&self) -> usize {
        match &self.store {
            Store::Hash(h) => h.stripes(),
            Store::Ordered(o) => o.locks(),
        }
    }

    /// Remove every object; the objects are freed by the caller (off the
    /// lock, and for big tables off the scheduler).
    pub fn clear(&self) -> Vec<Obj> {
        let out = match &self.store {
            Store::Hash(h) => h.clear(),
            Store::Ordered(o) => o.clear(),
        };
        let mut d = Delta::default();
        for o in &out {
            d.remove(o);
        }
        self.counters.apply(d);
        out
    }
}

/// Free objects; many of them on a thread of their own, so that the
/// scheduler is not held up (`delete/1` of a big table).
pub fn free_objects(objs: Vec<Obj>) {
    if objs.len() > 20_000 {
        let _ = std::thread::Builder::new()
            .name("beryl-ets-free".into())
            .spawn(move || drop(objs));
    } else {
        drop(objs);
    }
}

// ---------------------------------------------------------------- registry

const CHUNK: usize = 1024;
const MAX_CHUNKS: usize = 1024;
const SLOT_BITS: u32 = 20;

struct Slot {
    table: Atomic<Table>,
    serial: AtomicU32,
}

/// All tables of a VM: by number (the reference's) and by name.
pub struct Registry {
    chunks: Box<[OnceLock<Box<[Slot]>>]>,
    free: Mutex<Vec<u32>>,
    next: AtomicU32,
    names: RwLock<HashMap<Term, u64>>,
    /// Tables by owner pid.
    owned: Mutex<HashMap<Term, Vec<u64>>>,
    owners: AtomicUsize,
}

impl Registry {
    pub fn new(schedulers: usize) -> Registry {
        SCHEDULER_SLOTS.fetch_max(schedulers, Ordering::Relaxed);
        Registry {
            chunks: (0..MAX_CHUNKS).map(|_| OnceLock::new()).collect(),
            free: Mutex::new(Vec::new()),
            next: AtomicU32::new(0),
            names: RwLock::new(HashMap::new()),
            owned: Mutex::new(HashMap::new()),
            owners: AtomicUsize::new(0),
        }
    }

    fn slot(&self, index: usize) -> Option<&Slot> {
        let c = self.chunks.get(index / CHUNK)?.get_or_init(|| {
            (0..CHUNK)
                .map(|_| Slot {
                    table: Atomic::null(),
                    serial: AtomicU32::new(0),
                })
                .collect()
        });
        Some(&c[index % CHUNK])
    }

    /// Run `f` on the live table numbered `tid`.
    #[inline]
    pub fn with<R>(&self, tid: u64, f: impl FnOnce(&Table) -> R) -> Option<R> {
        let index = (tid & ((1 << SLOT_BITS) - 1)) as usize;
        let slot = self.slot(index)?;
        let guard = epoch::pin();
        let p = slot.table.load(Ordering::Acquire, &guard);
        // SAFETY: the pointer was loaded under the guard; a table unlinked
        // since is destroyed only after every guard pinned before that has
        // gone, so it stays valid while `guard` lives.
        let t = unsafe { p.as_ref() }?;
        if t.tid != tid || !t.is_alive() {
            return None;
        }
        Some(f(t))
    }

    pub fn by_name(&self, name: Term) -> Option<u64> {
        self.names
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&name)
            .copied()
    }

    /// Create a table; None when the name is taken or there is no room.
    pub fn create(&self, name: Term, owner: Term, o: &Options) -> Result<u64, crate::process::Exc> {
        let index = match self.free.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            Some(i) => i as usize,
            None => {
                let i = self.next.fetch_add(1, Ordering::Relaxed) as usize;
                if i >= CHUNK * MAX_CHUNKS {
                    self.next.fetch_sub(1, Ordering::Relaxed);
                    return Err(crate::process::Exc::system_limit());
                }
                i
            }
        };
        let Some(slot) = self.slot(index) else {
            return Err(crate::process::Exc::system_limit());
        };
        let serial = slot.serial.fetch_add(1, Ordering::Relaxed) as u64 + 1;
        let tid = (serial << SLOT_BITS) | index as u64;
        // Only with write_concurrency, as in OTP 25.
        let decentralized = (o.write_concurrency || o.auto)
            && o.decentralized
                .unwrap_or(o.auto || (o.kind == Kind::OrderedSet && o.write_concurrency));
        let store = match o.kind {
            // write_concurrency: a contention-adapting tree.
            Kind::OrderedSet if o.write_concurrency || o.auto || o.locks.is_some() => Store::Ordered(
                ordered::OrderedStore::new_ca(o.keypos, ordered::CaConfig::default()),
            ),
            Kind::OrderedSet => Store::Ordered(ordered::OrderedStore::new(o.keypos, o.read_concurrency)),
            k => {
                let stripes = match o.locks {
                    Some(n) => n.clamp(1, 1 << 16),
                    None if o.write_concurrency || o.auto => 64,
                    None => 1,
                };
                Store::Hash(hash::HashStore::new(k, o.keypos, stripes, o.read_concurrency))
            }
        };
        let heir = o.heir.map(|(p, d)| (p, Payload::copy_of(d)));
        let t = Table {
            tid,
            name: AtomicU64::new(name.0),
            named: o.named,
            kind: o.kind,
            access: o.access,
            keypos: o.keypos,
            owner: AtomicU64::new(owner.0),
            heir: Mutex::new(heir),
            read_concurrency: o.read_concurrency,
            write_concurrency: o.write_concurrency || o.locks.is_some(),
            auto: o.auto,
            decentralized,
            compressed: o.compressed,
            store,
            counters: Counters::new(decentralized),
            deleted: AtomicBool::new(false),
            fixed: AtomicUsize::new(0),
        };
        if o.named {
            let mut names = self.names.write().unwrap_or_else(|e| e.into_inner());
            if names.contains_key(&name) {
                drop(names);
                self.free
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(index as u32);
                return Err(crate::process::Exc::badarg());
            }
            names.insert(name, tid);
            slot.table.store(Owned::new(t), Ordering::Release);
        } else {
            slot.table.store(Owned::new(t), Ordering::Release);
        }
        self.add_owned(owner, tid);
        Ok(tid)
    }

    fn add_owned(&self, owner: Term, tid: u64) {
        let mut m = self.owned.lock().unwrap_or_else(|e| e.into_inner());
        let v = m.entry(owner).or_default();
        v.push(tid);
        self.owners.store(m.len(), Ordering::Release);
    }

    fn remove_owned(&self, owner: Term, tid: u64) {
        let mut m = self.owned.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = m.get_mut(&owner) {
            v.retain(|&t| t != tid);
            if v.is_empty() {
                m.remove(&owner);
            }
        }
        self.owners.store(m.len(), Ordering::Release);
    }

    /// Hand a table to a new owner.
    pub fn set_owner(&self, t: &Table, new_owner: Term) {
        let old = t.owner();
        t.owner.store(new_owner.0, Ordering::Release);
        self.remove_owned(old, t.tid);
        self.add_owned(new_owner, t.tid);
    }

    /// Delete a table: unlink it, free its name and its objects.
    pub fn delete(&self, tid: u64) -> bool {
        let index = (tid & ((1 << SLOT_BITS) - 1)) as usize;
        let Some(slot) = self.slot(index) else {
            return false;
        };
        let guard = epoch::pin();
        let p = slot.table.load(Ordering::Acquire, &guard);
        // SAFETY: loaded under the guard (see `with`).
        let Some(t) = (unsafe { p.as_ref() }) else {
            return false;
        };
        if t.tid != tid || t.deleted.swap(true, Ordering::AcqRel) {
            return false;
        }
        if slot
            .table
            .compare_exchange(
                p,
                epoch::Shared::null(),
                Ordering::AcqRel,
                Ordering::Acquire,
                &guard,
            )
            .is_err()
        {
            return false;
        }
        if t.named {
            let mut names = self.names.write().unwrap_or_else(|e| e.into_inner());
            if names.get(&t.name()) == Some(&tid) {
                names.remove(&t.name());
            }
        }
        self.remove_owned(t.owner(), tid);
        free_objects(t.clear());
        // SAFETY: the table is unlinked from its slot; readers that still
        // hold it are pinned, and destruction waits for them.
        unsafe { guard.defer_destroy(p) };
        self.free
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(index as u32);
        true
    }

    /// `ets:rename/2`.
    pub fn rename(&self, t: &Table, new: Term) -> bool {
        let mut names = self.names.write().unwrap_or_else(|e| e.into_inner());
        if names.contains_key(&new) {
            return false;
        }
        names.remove(&t.name());
        names.insert(new, t.tid);
        t.name.store(new.0, Ordering::Relaxed);
        true
    }

    /// Every table, as `ets:all/0` lists it: (number, name if named).
    pub fn all(&self) -> Vec<(u64, Option<Term>)> {
        let n = (self.next.load(Ordering::Relaxed) as usize).min(CHUNK * MAX_CHUNKS);
        let guard = epoch::pin();
        let mut out = Vec::new();
        for i in 0..n {
            if let Some(slot) = self.slot(i) {
                let p = slot.table.load(Ordering::Acquire, &guard);
                // SAFETY: loaded under the guard (see `with`).
                if let Some(t) = unsafe { p.as_ref() } {
                    if t.is_alive() {
                        out.push((t.tid, t.named.then(|| t.name())));
                    }
                }
            }
        }
        out
    }

    /// A process exits: its tables go to their heirs or are deleted.
    /// Returns the transfers to announce: (heir, table term info, data).
    pub fn process_exited(&self, pid: Term) -> Vec<Transfer> {
        if self.owners.load(Ordering::Acquire) == 0 {
            return Vec::new();
        }
        let tids = {
            let mut m = self.owned.lock().unwrap_or_else(|e| e.into_inner());
            let v = m.remove(&pid);
            self.owners.store(m.len(), Ordering::Release);
            match v {
                Some(v) => v,
                None => return Vec::new(),
            }
        };
        let mut out = Vec::new();
        for tid in tids {
            let heir = self
                .with(tid, |t| {
                    // The heir stays set after the hand-over, as in OTP.
                    let h = t.heir.lock().unwrap_or_else(|e| e.into_inner());
                    h.as_ref()
                        .map(|(p, d)| (*p, Payload::copy_of(d.term), t.named.then(|| t.name())))
                })
                .flatten();
            out.push(Transfer { tid, heir });
        }
        out
    }

    /// Give a table to its heir (the old owner has exited).
    pub fn inherit(&self, tid: u64, heir: Term, old_owner: Term) {
        self.with(tid, |t| {
            if t.owner() == old_owner {
                t.owner.store(heir.0, Ordering::Release);
            }
        });
        self.add_owned(heir, tid);
    }
}

/// What becomes of a table whose owner exited.
pub struct Transfer {
    pub tid: u64,
    /// The heir, the data to send it and the table's name if named.
    pub heir: Option<(Term, Payload, Option<Term>)>,
}

/// The term that names a table in messages: its name if named, else a
/// reference.
pub fn table_term(h: &mut Heap, tid: u64, name: Option<Term>) -> Term {
    match name {
        Some(n) => n,
        None => h.make_ref(tid, TABLE_MARK),
    }
}

/// The reference of table `tid`.
pub fn table_ref(h: &mut Heap, tid: u64) -> Term {
    h.make_ref(tid, TABLE_MARK)
}

/// A process has exited: hand its tables to their heirs (when alive) or
/// delete them. Called from the process exit path.
pub fn on_exit(vm: &crate::vm::Vm, pid: Term) {
    for tr in vm.ets.process_exited(pid) {
        match tr.heir {
            Some((heir, data, name)) if heir != pid && vm.ptab.lookup(heir).is_some_and(|c| c.is_alive()) => {
                vm.ets.inherit(tr.tid, heir, pid);
                let msg = Payload::compose(|h| {
                    let tab = table_term(h, tr.tid, name);
                    h.tuple(&[atom::atom("ETS-TRANSFER"), tab, pid, data.term])
                });
                crate::sched::signals::send_signal(
                    vm,
                    heir,
                    crate::signal::Signal::Message(msg.into_message()),
                );
            }
            _ => {
                vm.ets.delete(tr.tid);
            }
        }
    }
}
