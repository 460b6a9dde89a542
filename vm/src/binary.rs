//! Binaries and bitstrings.
//!
//! Three kinds share the bitstring type:
//! - heap binary, up to `HEAP_BIN_LIMIT` bytes: `[header(1 + words), bit
//!   size (raw), data words...]`, the data packed big-endian bytes, padded
//!   to whole words;
//! - ProcBin (subtag `RefcBin`), for larger ones: `[header(3), bit size,
//!   pointer to an `offheap::OffHeap` block, 0]` (all raw); the bytes are
//!   shared between processes and counted by reference (see `offheap.rs`);
//! - sub-binary: `[header(3), original (term), bit offset, bit size]`, a
//!   slice of a ProcBin made by matching, `binary:part` and appends,
//!   without copying. Its original is always a ProcBin, never another
//!   sub-binary, and its offset is a whole number of bytes (unaligned
//!   slices are copied). One made by an append may end past the ProcBin's
//!   own size (within the bytes appended to the block): read a base's data
//!   through `base_bytes`, sized by the bitstring being read.
//!
//! The unused low bits of a partial last byte are zero in heap binaries and
//! ProcBins; `bits_of` masks them for sub-binaries.
use crate::heap::Heap;
use crate::offheap::OffHeap;
use crate::term::{header, header_arity, Subtag, Term};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Binaries of more bytes than this live off the heap.
pub const HEAP_BIN_LIMIT: usize = 64;

/// Build a binary (or bitstring of `bits` bits) from bytes.
pub fn bitstring(heap: &mut Heap, bytes: &[u8], bits: usize) -> Term {
    let nbytes = bits.div_ceil(8);
    if nbytes > HEAP_BIN_LIMIT {
        return off_heap(heap, &bytes[..nbytes], bits, nbytes);
    }
    let words = nbytes.div_ceil(8);
    let p = heap.alloc(2 + words);
    // SAFETY: 2 + words fresh words.
    unsafe {
        *p = header(Subtag::HeapBin, 1 + words);
        *p.add(1) = bits as u64;
        let data = p.add(2) as *mut u8;
        std::ptr::write_bytes(data, 0, words * 8);
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), data, nbytes.min(bytes.len()));
        // Clear the unused low bits of a partial last byte.
        if !bits.is_multiple_of(8) {
            let last = data.add(nbytes - 1);
            *last &= 0xffu8 << (8 - bits % 8);
        }
    }
    Term::from_boxed_ptr(p)
}

/// A ProcBin for a new off-heap block holding `bytes` (`bits` of them
/// used), with room for `cap` bytes.
pub fn off_heap(heap: &mut Heap, bytes: &[u8], bits: usize, cap: usize) -> Term {
    let mut v;
    let bytes = if !bits.is_multiple_of(8) {
        v = bytes.to_vec();
        let last = v.len() - 1;
        v[last] &= 0xffu8 << (8 - bits % 8);
        &v[..]
    } else {
        bytes
    };
    let block = OffHeap::new(bytes, cap);
    procbin(heap, block, bits)
}

/// A binary of all the bytes of `block`, taking over its reference.
pub fn of_block(heap: &mut Heap, block: crate::offheap::Block) -> Term {
    let p = block.into_raw();
    // SAFETY: the reference just taken keeps the block alive.
    let len = unsafe { (*p).len() };
    procbin(heap, p, len * 8)
}

/// A ProcBin of `bits` bits of `block`, owning one reference (the
/// caller's).
fn procbin(heap: &mut Heap, block: *mut OffHeap, bits: usize) -> Term {
    let p = procbin_words(heap, block, bits);
    heap.add_offheap(p);
    Term::from_boxed_ptr(p)
}

fn procbin_words(heap: &mut Heap, block: *mut OffHeap, bits: usize) -> *mut u64 {
    let p = heap.alloc(4);
    // SAFETY: four fresh words.
    unsafe {
        *p = header(Subtag::RefcBin, 3);
        *p.add(1) = bits as u64;
        *p.add(2) = block as u64;
        *p.add(3) = 0;
    }
    p
}

fn block(t: Term) -> *mut OffHeap {
    t.boxed_word(1) as *mut OffHeap
}

pub fn binary(heap: &mut Heap, bytes: &[u8]) -> Term {
    bitstring(heap, bytes, bytes.len() * 8)
}

/// `bits` bits of `orig` from bit `offset`: a sub-binary when the
/// original lives off the heap, else a copy. Small slices too: four words
/// and no copy, as OTP's `bs_get_binary` (a 10-byte heap binary is four
/// words as well, and matching records out of a big binary copied each).
pub fn sub(heap: &mut Heap, orig: Term, offset: usize, bits: usize) -> Term {
    let (base, base_off) = underlying(orig);
    let start = base_off + offset;
    if base.subtag() == Some(Subtag::RefcBin) && start.is_multiple_of(8) {
        return sub_binary(heap, base, start, bits);
    }
    let data = base_bytes(base, start + bits);
    if start.is_multiple_of(8) && bits.is_multiple_of(8) {
        let from = start / 8;
        return binary(heap, &data[from..from + bits / 8]);
    }
    let out = extract_bits(data, start, bits);
    bitstring(heap, &out, bits)
}

/// A sub-binary of ProcBin `base`: `bits` bits from byte-aligned bit
/// `start`.
fn sub_binary(heap: &mut Heap, base: Term, start: usize, bits: usize) -> Term {
    let p = heap.alloc(4);
    // SAFETY: four fresh words.
    unsafe {
        *p = header(Subtag::SubBin, 3);
        *p.add(1) = base.0;
        *p.add(2) = start as u64;
        *p.add(3) = bits as u64;
    }
    Term::from_boxed_ptr(p)
}

/// The first `end_bit` bits of a heap binary's or ProcBin's data, as
/// bytes. A sub-binary made by an append may reach past its ProcBin's own
/// size (see `append`), so readers size the data by what they read, which
/// the block always holds.
pub(crate) fn base_bytes<'a>(base: Term, end_bit: usize) -> &'a [u8] {
    // SAFETY: [0, end_bit) lies within the bits of a bitstring over `base`
    // (the caller's), which the base's data holds while it is reachable.
    unsafe { std::slice::from_raw_parts(data_ptr(base), end_bit.div_ceil(8)) }
}

/// The heap binary or ProcBin that holds a bitstring's bits, and the bit
/// offset of the bitstring in it.
pub fn underlying(t: Term) -> (Term, usize) {
    if t.subtag() == Some(Subtag::SubBin) {
        (Term(t.boxed_word(0)), t.boxed_word(1) as usize)
    } else {
        (t, 0)
    }
}

/// A new reference to the off-heap block holding binary `t`'s bytes, when
/// it has one (a ProcBin or a sub-binary of one).
pub fn retain_block(t: Term) -> Option<crate::offheap::Block> {
    let (base, _) = underlying(t);
    if base.subtag() != Some(Subtag::RefcBin) {
        return None;
    }
    let b = block(base);
    // SAFETY: `t` holds a reference, so the block is alive; the Block
    // owns the new one.
    unsafe { OffHeap::retain(b) };
    Some(crate::offheap::Block::new(b))
}

/// `<<Acc/binary, Tail/binary>>` in place when `acc` is the latest ProcBin
/// of its block and the block has room; otherwise a new block with room
/// to grow, so that a loop of appends costs linear time in all.
///
/// The result is a sub-binary of `acc`'s ProcBin (as OTP's): no new
/// reference to count and no ProcBin for the collector to sweep per
/// append. It may reach past the ProcBin's own size, up to the bytes
/// appended to the block; readers size the data by the bitstring they
/// read (`base_bytes`), never by the ProcBin.
pub fn append(heap: &mut Heap, acc: Term, tail: &[u8]) -> Option<Term> {
    let (base, off) = underlying(acc);
    if base.subtag() != Some(Subtag::RefcBin) {
        return None;
    }
    let bits = bit_size(acc);
    if !bits.is_multiple_of(8) || !off.is_multiple_of(8) {
        return None;
    }
    let end = (off + bits) / 8;
    // SAFETY: `acc` keeps its ProcBin, and so the block, alive.
    if unsafe { (*block(base)).try_append(end, tail) } {
        heap.count_offheap_appended(tail.len());
        return Some(sub_binary(heap, base, off, bits + tail.len() * 8));
    }
    None
}

/// `<<Acc/binary, V:N>>` (N = `bytes` × 8) appended in place, as
/// `bits::append_int_tail` would do it, for the usual case only: `acc` a
/// ProcBin or a byte-aligned sub-binary of one, past the heap-binary size,
/// whose block has room; `v` a small integer. None otherwise, having done
/// nothing (the general construction then decides). Its own reading of
/// `acc` rather than a call to `append` (which reads the header three
/// times): `bin_build` was 9% slower through `append`.
#[inline]
pub fn append_int(heap: &mut Heap, acc: Term, v: Term, bytes: usize, little: bool) -> Option<Term> {
    debug_assert!((1..=8).contains(&bytes));
    if !v.is_small() {
        return None;
    }
    let (base, off, bits) = match acc.subtag()? {
        Subtag::SubBin => (
            Term(acc.boxed_word(0)),
            acc.boxed_word(1) as usize,
            acc.boxed_word(2) as usize,
        ),
        Subtag::RefcBin => (acc, 0, acc.boxed_word(0) as usize),
        _ => return None,
    };
    if base.subtag() != Some(Subtag::RefcBin)
        || !(off | bits).is_multiple_of(8)
        || bits / 8 + 16 <= HEAP_BIN_LIMIT
    {
        return None;
    }
    let u = v.small_value() as u64;
    let buf = if little {
        u.to_le_bytes()
    } else {
        (u << (64 - 8 * bytes)).to_be_bytes()
    };
    let tail = &buf[..bytes];
    // SAFETY: `acc` keeps its ProcBin, and so the block, alive.
    if unsafe { (*block(base)).try_append((off + bits) / 8, tail) } {
        heap.count_offheap_appended(bytes);
        return Some(sub_binary(heap, base, off, bits + bytes * 8));
    }
    None
}

/// A fresh ProcBin for the result of an append that could not be done in
/// place, with spare room for the next ones.
pub fn growable(heap: &mut Heap, head: &[u8], tail: &[u8]) -> Term {
    let len = head.len() + tail.len();
    if len <= HEAP_BIN_LIMIT {
        let mut bytes = [0u8; HEAP_BIN_LIMIT];
        bytes[..head.len()].copy_from_slice(head);
        bytes[head.len()..len].copy_from_slice(tail);
        return binary(heap, &bytes[..len]);
    }
    procbin(heap, OffHeap::concat(&[head, tail], 2 * len.max(128)), len * 8)
}

/// Copy `bits` bits starting at bit `offset` into fresh bytes.
pub fn extract_bits(data: &[u8], offset: usize, bits: usize) -> Vec<u8> {
    if offset.is_multiple_of(8) {
        let start = offset / 8;
        let mut v = data[start..start + bits.div_ceil(8)].to_vec();
        if !bits.is_multiple_of(8) {
            let last = v.len() - 1;
            v[last] &= 0xffu8 << (8 - bits % 8);
        }
        return v;
    }
    let mut out = vec![0u8; bits.div_ceil(8)];
    for i in 0..bits {
        let src = offset + i;
        let bit = (data[src / 8] >> (7 - src % 8)) & 1;
        out[i / 8] |= bit << (7 - i % 8);
    }
    out
}

pub fn is_binary(t: Term) -> bool {
    is_bitstring(t) && bit_size(t).is_multiple_of(8)
}

pub fn is_bitstring(t: Term) -> bool {
    matches!(
        t.subtag(),
        Some(Subtag::HeapBin | Subtag::RefcBin | Subtag::SubBin)
    )
}

pub fn bit_size(t: Term) -> usize {
    match t.subtag() {
        Some(Subtag::SubBin) => t.boxed_word(2) as usize,
        _ => t.boxed_word(0) as usize,
    }
}

/// The first byte of a heap binary's or ProcBin's data.
pub(crate) fn data_ptr(t: Term) -> *const u8 {
    if t.subtag() == Some(Subtag::RefcBin) {
        // SAFETY: a ProcBin holds a reference to its block.
        unsafe { (*block(t)).data() }
    } else {
        // SAFETY: a heap binary holds its bytes after the size word.
        unsafe { t.boxed_ptr().add(2) as *const u8 }
    }
}

/// The bytes of a binary (the last byte partial for bitstrings, its
/// unused bits zero) and its size in bits.
pub fn bits_of<'a>(t: Term) -> (Cow<'a, [u8]>, usize) {
    let bits = bit_size(t);
    let (base, off) = underlying(t);
    if off.is_multiple_of(8) && (bits.is_multiple_of(8) || base == t) {
        let n = bits.div_ceil(8);
        // SAFETY: the binary's bytes [off/8, off/8 + n) are within its
        // original's data, which lives as long as the term is reachable.
        let data = unsafe { std::slice::from_raw_parts(data_ptr(base).add(off / 8), n) };
        return (Cow::Borrowed(data), bits);
    }
    // An unaligned or partial slice: copy (and mask) its bits.
    (
        Cow::Owned(extract_bits(base_bytes(base, off + bits), off, bits)),
        bits,
    )
}

/// The bytes of a binary (whole bytes only).
pub fn bytes_of<'a>(t: Term) -> Option<&'a [u8]> {
    if !is_binary(t) {
        return None;
    }
    let (base, off) = underlying(t);
    let n = bit_size(t) / 8;
    // SAFETY: as in bits_of.
    Some(unsafe { std::slice::from_raw_parts(data_ptr(base).add(off / 8), n) })
}

/// Binaries compare bytewise, then by length.
pub fn compare(a: Term, b: Term) -> Ordering {
    let (x, xb) = bits_of(a);
    let (y, yb) = bits_of(b);
    let full = xb.min(yb) / 8;
    match x[..full].cmp(&y[..full]) {
        Ordering::Equal => {}
        o => return o,
    }
    // Compare the remaining bits one by one.
    let common = xb.min(yb);
    for i in full * 8..common {
        let bx = (x[i / 8] >> (7 - i % 8)) & 1;
        let by = (y[i / 8] >> (7 - i % 8)) & 1;
        if bx != by {
            return bx.cmp(&by);
        }
    }
    xb.cmp(&yb)
}

pub fn words_for(t: Term) -> usize {
    header_arity(t.header())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The bits of `bytes`, most significant first, `n` of them.
    fn bits(bytes: &[u8], n: usize) -> Vec<bool> {
        (0..n).map(|i| bytes[i / 8] >> (7 - i % 8) & 1 == 1).collect()
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// `<<Pool[from]/binary, Bytes/binary>>` (when whole bytes).
        Append(usize, Vec<u8>),
        /// A slice of Pool[from]: offset and length as fractions of its
        /// bits; then whether the offset is rounded to a byte, and whether
        /// the slice runs to the end (so that it can be appended to).
        Slice(usize, u16, u16, bool, bool),
        /// Another holder of Pool[from]'s block (a copy elsewhere), so
        /// appends take the shared path.
        Share(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0usize..64, proptest::collection::vec(any::<u8>(), 1..12)).prop_map(|(f, b)| Op::Append(f, b)),
            3 => (0usize..64, any::<u16>(), any::<u16>(), any::<bool>(), any::<bool>())
                .prop_map(|(f, o, l, a, e)| Op::Slice(f, o, l, a, e)),
            1 => (0usize..64).prop_map(Op::Share),
        ]
    }

    #[test]
    fn a_partial_slice_past_the_procbins_size_reads_the_appended_bits() {
        let mut heap = Heap::default();
        let head = [7u8; 100];
        let a = growable(&mut heap, &head, b"x");
        let b = append(&mut heap, a, &[0b1010_1100, 0xff]).expect("in place");
        assert_eq!(underlying(b).0, a, "a sub-binary of the first ProcBin");
        assert!(bit_size(b) > bit_size(a));
        // Aligned start, 13 bits, all past `a`'s own size.
        let s = sub(&mut heap, b, 101 * 8, 13);
        let (data, n) = bits_of(s);
        assert_eq!((n, &data[..]), (13, &[0b1010_1100, 0b1111_1000][..]));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Appends (in place, branching from older values, into a new
        /// block), slices at any bit offset of them, and shared blocks:
        /// every value keeps exactly its bits.
        #[test]
        fn appended_and_sliced_binaries_keep_their_bits(ops in proptest::collection::vec(op(), 1..80)) {
            let mut heap = Heap::default();
            let start: Vec<u8> = (0..100u8).collect();
            let mut pool = vec![(binary(&mut heap, &start), bits(&start, 800))];
            let mut held = Vec::new();
            for op in ops {
                match op {
                    Op::Append(f, tail) => {
                        let (acc, model) = pool[f % pool.len()].clone();
                        if model.len() % 8 != 0 {
                            continue;
                        }
                        let t = match append(&mut heap, acc, &tail) {
                            Some(t) => t,
                            None => growable(&mut heap, bytes_of(acc).expect("a binary"), &tail),
                        };
                        let mut m = model;
                        m.extend(bits(&tail, tail.len() * 8));
                        pool.push((t, m));
                    }
                    Op::Slice(f, o, l, aligned, to_end) => {
                        let (t, model) = pool[f % pool.len()].clone();
                        let mut off = model.len() * o as usize / 65536;
                        if aligned {
                            off -= off % 8;
                        }
                        let rest = model.len() - off;
                        let len = if to_end { rest } else { rest * l as usize / 65536 };
                        pool.push((sub(&mut heap, t, off, len), model[off..off + len].to_vec()));
                    }
                    Op::Share(f) => held.extend(retain_block(pool[f % pool.len()].0)),
                }
                for (t, model) in &pool {
                    let (data, n) = bits_of(*t);
                    prop_assert_eq!(n, model.len());
                    prop_assert_eq!(&bits(&data, n), model);
                }
            }
        }
    }
}
