//! Binaries and bitstrings.
//!
//! Heap binary: `[header(1 + words), bit size (raw), data words...]`, the
//! data packed big-endian bytes, padded to whole words. Binaries of any size
//! live on the heap for now; the off-heap reference-counted kind and
//! sub-binaries (a slice of another binary) share the tag space reserved
//! for them in `term.rs`.

use crate::heap::Heap;
use crate::term::{header, header_arity, Subtag, Term};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Build a binary (or bitstring of `bits` bits) from bytes.
pub fn bitstring(heap: &mut Heap, bytes: &[u8], bits: usize) -> Term {
    let nbytes = bits.div_ceil(8);
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

pub fn binary(heap: &mut Heap, bytes: &[u8]) -> Term {
    bitstring(heap, bytes, bytes.len() * 8)
}

/// A sub-binary: `bits` bits of `orig` from bit `offset`.
pub fn sub(heap: &mut Heap, orig: Term, offset: usize, bits: usize) -> Term {
    // Copying is simpler and keeps every binary a heap binary for now;
    // matching contexts avoid most copies.
    let (data, _) = bits_of(orig);
    let out = extract_bits(&data, offset, bits);
    bitstring(heap, &out, bits)
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
    t.subtag() == Some(Subtag::HeapBin) && bit_size(t).is_multiple_of(8)
}

pub fn is_bitstring(t: Term) -> bool {
    t.subtag() == Some(Subtag::HeapBin)
}

pub fn bit_size(t: Term) -> usize {
    t.boxed_word(0) as usize
}

/// The bytes of a binary (the last byte partial for bitstrings) and its
/// size in bits.
pub fn bits_of<'a>(t: Term) -> (Cow<'a, [u8]>, usize) {
    let bits = bit_size(t);
    let n = bits.div_ceil(8);
    // SAFETY: a heap binary holds its bytes after the size word.
    let data = unsafe { std::slice::from_raw_parts(t.boxed_ptr().add(2) as *const u8, n) };
    (Cow::Borrowed(data), bits)
}

/// The bytes of a binary (whole bytes only).
pub fn bytes_of<'a>(t: Term) -> Option<&'a [u8]> {
    if !is_binary(t) {
        return None;
    }
    let n = bit_size(t) / 8;
    // SAFETY: as in bits_of.
    Some(unsafe { std::slice::from_raw_parts(t.boxed_ptr().add(2) as *const u8, n) })
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
