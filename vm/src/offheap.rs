//! Off-heap, reference-counted binaries (BEAM's "refc binaries") and the
//! per-heap list of the ones a heap references (BEAM's MSO list).
//!
//! A binary of more than `binary::HEAP_BIN_LIMIT` bytes keeps its bytes in
//! an [`OffHeap`] block, shared by every process that holds it: sending it
//! copies only the small on-heap handle (a "ProcBin", subtag `RefcBin`),
//! which holds one reference.
//!
//! Invariants:
//! - Every ProcBin in a process heap (young, old, fragments, absorbed
//!   message blocks) is listed in that heap's [`Mso`], and each one owns
//!   one reference to its block.
//! - After each collection [`Mso::sweep`] keeps the ProcBins that were
//!   copied (their old header is a forwarding term) and releases the
//!   others; those outside the collected area (the old generation in a
//!   minor collection) are kept as they are. The block is freed when its
//!   last reference goes.
//! - A message fragment's ProcBins are not in any list while in flight;
//!   `Mso::adopt_block` lists them when the receiver absorbs the block.
//! - Bytes below `len` never change; only the holder of a ProcBin whose
//!   size equals `len` may append, after moving `len` forward with a
//!   compare-and-swap (the append optimisation in `bits::create`).

use crate::term::{header_arity, header_subtag, Subtag, Term};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of capacity of every live off-heap block (erlang:memory(binary)).
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

pub fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// The shared bytes of a large binary.
pub struct OffHeap {
    refc: AtomicUsize,
    /// Bytes written so far.
    len: AtomicUsize,
    cap: usize,
    data: *mut u8,
    backing: Backing,
}

/// What owns a block's bytes.
enum Backing {
    /// A `Vec<u8>` of capacity `cap`, leaked into `data`.
    Vec,
    /// A read-only memory mapping of a file (`file:read_file` of a large
    /// file, see `filemap.rs`); `data` is its start, `cap` its length,
    /// and nothing can be appended in place.
    Map(memmap2::Mmap),
}

impl OffHeap {
    /// A new block holding `bytes`, with room for `cap` bytes in all; one
    /// reference.
    pub fn new(bytes: &[u8], cap: usize) -> *mut OffHeap {
        OffHeap::concat(&[bytes], cap)
    }

    /// A block holding `parts` one after the other, with room for `cap`
    /// bytes (an append that outgrew its block copies straight into the
    /// next one).
    pub fn concat(parts: &[&[u8]], cap: usize) -> *mut OffHeap {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let cap = cap.max(len).max(1);
        let mut v: Vec<u8> = Vec::with_capacity(cap);
        for part in parts {
            v.extend_from_slice(part);
        }
        let mut v = std::mem::ManuallyDrop::new(v);
        let cap = v.capacity();
        LIVE_BYTES.fetch_add(cap, Ordering::Relaxed);
        Box::into_raw(Box::new(OffHeap {
            refc: AtomicUsize::new(1),
            len: AtomicUsize::new(len),
            cap,
            data: v.as_mut_ptr(),
            backing: Backing::Vec,
        }))
    }

    /// A block over a whole memory-mapped file, with one reference. Its
    /// bytes count as binary memory like any other block's.
    pub fn from_map(map: memmap2::Mmap) -> *mut OffHeap {
        let len = map.len();
        LIVE_BYTES.fetch_add(len, Ordering::Relaxed);
        Box::into_raw(Box::new(OffHeap {
            refc: AtomicUsize::new(1),
            len: AtomicUsize::new(len),
            cap: len,
            data: map.as_ptr() as *mut u8,
            backing: Backing::Map(map),
        }))
    }

    pub fn data(&self) -> *const u8 {
        self.data
    }

    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Append `bytes` if the caller's binary ends where the block does
    /// (`at == len`) and they fit; false if someone else appended first or
    /// there is no room.
    pub fn try_append(&self, at: usize, bytes: &[u8]) -> bool {
        let end = at + bytes.len();
        if end > self.cap {
            return false;
        }
        // One reference: the caller's ProcBin is the only one anywhere (a
        // copy in another heap, a message or a table would hold another, and
        // only the caller's thread could make one), so no one else can
        // append: plain loads and stores, no locked instruction (which
        // would also wait for every buffered store to drain).
        if self.refc.load(Ordering::Acquire) == 1 {
            if self.len.load(Ordering::Relaxed) != at {
                return false;
            }
            // SAFETY: [at, end) is within the capacity, beyond every
            // binary's bytes, and no one else can write to this block.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.data.add(at), bytes.len()) };
            self.len.store(end, Ordering::Release);
            return true;
        }
        if self
            .len
            .compare_exchange(at, end, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return false;
        }
        // SAFETY: [at, end) is within the capacity and now reserved for this
        // caller alone (the CAS above); no binary covers those bytes yet.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.data.add(at), bytes.len()) };
        true
    }

    /// Take one more reference.
    ///
    /// # Safety
    /// `p` is a live block and the caller holds a reference to it.
    pub unsafe fn retain(p: *const OffHeap) {
        // SAFETY: the caller holds a reference, so the block is alive.
        unsafe { (*p).refc.fetch_add(1, Ordering::Relaxed) };
    }

    /// Drop one reference; the last one frees the block.
    ///
    /// # Safety
    /// `p` is a live block and the caller gives up a reference it owns.
    pub unsafe fn release(p: *mut OffHeap) {
        // SAFETY: the caller owns a reference, so the block is alive.
        let last = unsafe { (*p).refc.fetch_sub(1, Ordering::AcqRel) } == 1;
        if last {
            // SAFETY: no other reference exists: rebuild the Box that
            // `new` or `from_map` leaked.
            let b = unsafe { Box::from_raw(p) };
            LIVE_BYTES.fetch_sub(b.cap, Ordering::Relaxed);
            match b.backing {
                // SAFETY: the Vec (length 0: u8 needs no drop) that `new`
                // leaked, given back once.
                Backing::Vec => drop(unsafe { Vec::from_raw_parts(b.data, 0, b.cap) }),
                Backing::Map(map) => crate::filemap::unmap(p as usize, map),
            }
        }
    }
}

/// A new block with the one reference it was made with, handed to a heap
/// as a binary by `binary::of_block` (and released if never handed).
pub struct Block(*mut OffHeap);

// SAFETY: blocks are shared between threads by design (atomic counts,
// immutable bytes); a Block is one owned reference.
unsafe impl Send for Block {}

impl Block {
    /// Own the (single, fresh) reference of `p`.
    pub fn new(p: *mut OffHeap) -> Block {
        Block(p)
    }

    /// Give the reference to the caller.
    pub fn into_raw(self) -> *mut OffHeap {
        let p = self.0;
        std::mem::forget(self);
        p
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        // SAFETY: the Block owns one reference.
        unsafe { OffHeap::release(self.0) };
    }
}

/// The ProcBin at `obj`'s block pointer.
fn block_of(obj: *const u64) -> *mut OffHeap {
    // SAFETY: `obj` is a ProcBin: [header, bits, block pointer, flags].
    unsafe { *obj.add(2) as *mut OffHeap }
}

/// The bytes a ProcBin keeps alive: its block's, which appends in place
/// grow past the ProcBin's own size (see `binary::append`).
fn bytes_of(obj: *const u64) -> usize {
    // SAFETY: as above; word 1 is the size in bits, and a listed ProcBin
    // holds a reference to its block.
    unsafe { (*obj.add(1) as usize).div_ceil(8).max((*block_of(obj)).len()) }
}

/// Release the references of the ProcBins in a message block that no heap
/// absorbed (dense heap data, as `Heap::fragment_of` makes it).
pub fn release_block(block: &[u64]) {
    let mut m = Mso::default();
    m.adopt_block(block);
    m.release_all();
}

/// Off-heap bytes a heap may gain between collections before one is due
/// (BEAM's initial binary virtual heap is about this size).
const MIN_LIMIT: usize = 1 << 18;

/// The ProcBins of one heap (addresses of their headers).
pub struct Mso {
    entries: Vec<usize>,
    /// Off-heap bytes they reference.
    pub bytes: usize,
    limit: usize,
}

impl Default for Mso {
    fn default() -> Self {
        Mso {
            entries: Vec::new(),
            bytes: 0,
            limit: MIN_LIMIT,
        }
    }
}

impl Mso {
    /// List a ProcBin allocated in this heap; true when the off-heap bytes
    /// now call for a collection.
    pub fn add(&mut self, obj: *const u64) -> bool {
        self.entries.push(obj as usize);
        self.count(bytes_of(obj))
    }

    /// Count bytes appended in place to a block a listed ProcBin holds;
    /// true when a collection is due.
    pub fn count(&mut self, new_bytes: usize) -> bool {
        self.bytes += new_bytes;
        self.bytes > self.limit
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forget every entry without releasing (their references moved into
    /// a message fragment).
    pub fn disown(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// List the ProcBins of an absorbed message block (dense heap data, as
    /// `Heap::fragment_of` makes it); true when a collection is due.
    pub fn adopt_block(&mut self, block: &[u64]) -> bool {
        let mut i = 0;
        let mut due = false;
        while i < block.len() {
            let w = block[i];
            if Term(w).is_header_word() {
                let n = header_arity(w);
                if header_subtag(w) == Subtag::RefcBin {
                    due |= self.add(&block[i] as *const u64);
                }
                i += 1 + n;
            } else {
                // A cons cell.
                i += 2;
            }
        }
        due
    }

    /// After a collection: `collected(addr)` tells whether an address was
    /// in the collected area. Copied ProcBins are kept at their new
    /// address, uncopied ones released.
    pub fn sweep(&mut self, collected: impl Fn(usize) -> bool) {
        let mut bytes = 0;
        self.entries.retain_mut(|e| {
            let p = *e as *mut u64;
            if !collected(*e) {
                bytes += bytes_of(p);
                return true;
            }
            // SAFETY: the from-space blocks are still alive during the
            // sweep; a moved object's header is its new (boxed) term.
            let h = unsafe { *p };
            if Term(h).is_boxed() {
                let np = Term(h).boxed_ptr();
                *e = np as usize;
                bytes += bytes_of(np);
                true
            } else {
                // SAFETY: a listed ProcBin owns one reference to its block.
                unsafe { OffHeap::release(block_of(p)) };
                false
            }
        });
        self.bytes = bytes;
        self.limit = MIN_LIMIT.max(2 * bytes);
    }

    /// Release every reference (the heap is going away).
    pub fn release_all(&mut self) {
        for e in self.entries.drain(..) {
            // SAFETY: a listed ProcBin owns one reference to its block.
            unsafe { OffHeap::release(block_of(e as *const u64)) };
        }
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(p: *mut OffHeap) -> Vec<u8> {
        // SAFETY: the test holds a reference; [0, len) is written.
        unsafe { std::slice::from_raw_parts((*p).data(), (*p).len()).to_vec() }
    }

    #[test]
    fn appends_only_at_the_end_with_one_reference_or_many() {
        let p = OffHeap::new(b"ab", 16);
        // SAFETY: `p` is live; the test owns its reference(s).
        unsafe {
            assert!((*p).try_append(2, b"cd"), "sole owner, at the end");
            assert!(!(*p).try_append(2, b"xx"), "not at the end any more");
            OffHeap::retain(p);
            assert!((*p).try_append(4, b"ef"), "shared, at the end");
            assert!(!(*p).try_append(4, b"yy"));
            assert!(!(*p).try_append(6, &[0; 11]), "beyond the capacity");
            assert_eq!(bytes(p), b"abcdef");
            OffHeap::release(p);
            OffHeap::release(p);
        }
    }

    #[test]
    fn racing_appenders_of_a_shared_block_never_both_win() {
        for _ in 0..200 {
            let p = OffHeap::new(b"x", 64) as usize;
            // SAFETY: a second reference for the other thread.
            unsafe { OffHeap::retain(p as *mut OffHeap) };
            let wins: Vec<bool> = (0..2u8)
                .map(|i| {
                    std::thread::spawn(move || {
                        // SAFETY: each thread owns one reference.
                        unsafe { (*(p as *mut OffHeap)).try_append(1, &[i; 8]) }
                    })
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|t| t.join().expect("appender"))
                .collect();
            assert_eq!(wins.iter().filter(|w| **w).count(), 1, "{wins:?}");
            let p = p as *mut OffHeap;
            let b = bytes(p);
            assert_eq!(b.len(), 9);
            assert!(b[1..].iter().all(|&c| c == b[1]), "one appender's bytes: {b:?}");
            // SAFETY: the two references.
            unsafe {
                OffHeap::release(p);
                OffHeap::release(p);
            }
        }
    }
}
