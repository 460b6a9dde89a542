//! Bit syntax: building binaries from segments and matching them.
//!
//! A match context is `[header(3), binary, offset in bits (raw), size in
//! bits (raw)]`; matching a segment advances the offset in place (each
//! match starts from a fresh context).

use crate::atom;
use crate::binary;
use crate::heap::{to_bigint, Heap};
use crate::term::{header, Subtag, Term};
use compiler::bytecode::{BinFlags, BinMatchSpec, BinSegment, BinType};
use num_bigint::{BigInt, Sign};

/// A growable bit buffer.
#[derive(Default)]
pub struct BitWriter {
    pub bytes: Vec<u8>,
    pub bits: usize,
}

impl BitWriter {
    pub fn push_bits(&mut self, data: &[u8], nbits: usize) {
        if self.bits.is_multiple_of(8) {
            self.bytes.extend_from_slice(&data[..nbits.div_ceil(8)]);
            self.bits += nbits;
            if !nbits.is_multiple_of(8) {
                let last = self.bytes.len() - 1;
                self.bytes[last] &= 0xffu8 << (8 - nbits % 8);
            }
            return;
        }
        for i in 0..nbits {
            let bit = (data[i / 8] >> (7 - i % 8)) & 1;
            self.push_bit(bit);
        }
    }

    fn push_bit(&mut self, bit: u8) {
        if self.bits.is_multiple_of(8) {
            self.bytes.push(0);
        }
        let last = self.bytes.len() - 1;
        self.bytes[last] |= bit << (7 - self.bits % 8);
        self.bits += 1;
    }

    /// A small integer in at most 64 bits (two's complement; little endian
    /// only in whole bytes): the common case, without a big integer.
    pub fn push_small(&mut self, v: i64, nbits: usize, little: bool) {
        if nbits == 0 {
            return;
        }
        let u = v as u64;
        let nbytes = nbits.div_ceil(8);
        if little {
            let le = u.to_le_bytes();
            self.push_bits(&le[..nbytes], nbits);
        } else {
            // The low nbits, most significant first, left-aligned.
            let x = if nbits == 64 { u } else { u << (64 - nbits) };
            let be = x.to_be_bytes();
            self.push_bits(&be[..nbytes], nbits);
        }
    }

    /// An integer in `nbits` bits (two's complement), big or little endian.
    pub fn push_int(&mut self, v: &BigInt, nbits: usize, little: bool) {
        if nbits == 0 {
            return;
        }
        let nbytes = nbits.div_ceil(8);
        // Two's complement bytes, little endian, extended to nbytes.
        let mut le = v.to_signed_bytes_le();
        let fill = if v.sign() == Sign::Minus { 0xff } else { 0 };
        le.resize(nbytes.max(le.len()), fill);
        le.truncate(nbytes);
        if little {
            // Little endian: whole bytes in LE order; a partial size keeps
            // the low bits of the last byte, as BEAM does.
            let mut out = le.clone();
            if !nbits.is_multiple_of(8) {
                let last = nbytes - 1;
                out[last] <<= 8 - nbits % 8;
            }
            self.push_bits(&out, nbits);
        } else {
            // Big endian: the low nbits of the value, most significant first.
            let mut be: Vec<u8> = le.iter().rev().copied().collect();
            let shift = nbytes * 8 - nbits;
            if shift > 0 {
                // Shift left by `shift` bits across the bytes.
                let mut carry = 0u8;
                for b in be.iter_mut().rev() {
                    let nb = (*b << shift) | carry;
                    carry = *b >> (8 - shift);
                    *b = nb;
                }
            }
            self.push_bits(&be, nbits);
        }
    }
}

fn badarg() -> Term {
    atom::BADARG
}

fn size_value(t: Option<Term>) -> Result<Option<usize>, Term> {
    match t {
        None => Ok(None),
        Some(s) if s.is_small() && s.small_value() >= 0 => Ok(Some(s.small_value() as usize)),
        Some(a) if a == atom::atom("all") => Ok(None),
        Some(_) => Err(badarg()),
    }
}

/// Build a bitstring from segments.
pub fn create(heap: &mut Heap, segs: &[BinSegment], vals: &[(Term, Option<Term>)]) -> Result<Term, Term> {
    if let Some(t) = append(heap, segs, vals)? {
        return Ok(t);
    }
    let mut w = BitWriter::default();
    write_segments(&mut w, segs, vals)?;
    Ok(binary::bitstring(heap, &w.bytes, w.bits))
}

/// `<<Acc/binary, ...>>` (BEAM's bs_append): when the result is a large
/// binary, it goes into an off-heap block with room to spare, and the next
/// append to it writes in place (see `binary::append`), so building a
/// binary by appending in a loop takes linear time.
/// (A tail of whole-byte small integers was tried by `step` already, with
/// `append_int_tail`.)
fn append(heap: &mut Heap, segs: &[BinSegment], vals: &[(Term, Option<Term>)]) -> Result<Option<Term>, Term> {
    let Some(acc) = append_acc(segs, vals) else {
        return Ok(None);
    };
    // The appended part is usually a few bytes: write it into a buffer
    // kept for the purpose rather than a fresh allocation.
    thread_local! {
        static SCRATCH: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut w = BitWriter {
        bytes: SCRATCH.with(|c| c.take()),
        bits: 0,
    };
    w.bytes.clear();
    let r = append_with(heap, acc, segs, vals, &mut w);
    SCRATCH.with(|c| c.set(std::mem::take(&mut w.bytes)));
    r
}

/// The accumulator of `<<Acc/binary, ...>>` when this is an append to a
/// large binary (see `append`).
fn append_acc(segs: &[BinSegment], vals: &[(Term, Option<Term>)]) -> Option<Term> {
    let (Some(first), Some(&(acc, None))) = (segs.first(), vals.first()) else {
        return None;
    };
    if first.ty != BinType::Binary || segs.len() < 2 || !binary::is_binary(acc) {
        return None;
    }
    let acc_bits = binary::bit_size(acc);
    if !multiple_of(acc_bits, first.unit) || acc_bits / 8 + 16 <= binary::HEAP_BIN_LIMIT {
        return None;
    }
    Some(acc)
}

/// `append` with a tail of whole-byte small integers (`<<Acc/binary,
/// I:32>>`), written on the stack; `None`, having done nothing, for any
/// other construction.
pub fn append_int_tail(heap: &mut Heap, segs: &[BinSegment], vals: &[(Term, Option<Term>)]) -> Option<Term> {
    let acc = append_acc(segs, vals)?;
    let mut buf = [0u8; 32];
    let n = small_int_tail(&segs[1..], &vals[1..], &mut buf)?;
    Some(append_bytes(heap, acc, &buf[..n]))
}

/// `acc` followed by `tail`: in place when `acc`'s block allows, else in
/// a new block with room to grow.
fn append_bytes(heap: &mut Heap, acc: Term, tail: &[u8]) -> Term {
    if let Some(t) = binary::append(heap, acc, tail) {
        return t;
    }
    let head = binary::bytes_of(acc).unwrap_or(&[]);
    binary::growable(heap, head, tail)
}

/// Write segments that are all small integers of whole bytes (32 bytes at
/// most) into `buf`; their length, or `None`.
fn small_int_tail(segs: &[BinSegment], vals: &[(Term, Option<Term>)], buf: &mut [u8; 32]) -> Option<usize> {
    let mut n = 0;
    for (seg, (v, size)) in segs.iter().zip(vals) {
        if seg.ty != BinType::Integer || !v.is_small() {
            return None;
        }
        let bits = match size {
            None => 8 * seg.unit as usize,
            Some(s) if s.is_small() && (0..=64).contains(&s.small_value()) => {
                s.small_value() as usize * seg.unit as usize
            }
            Some(_) => return None,
        };
        let bytes = bits / 8;
        if bits % 8 != 0 || bits > 64 || n + bytes > buf.len() {
            return None;
        }
        let u = v.small_value() as u64;
        let out = &mut buf[n..n + bytes];
        if seg.flags.little {
            out.copy_from_slice(&u.to_le_bytes()[..bytes]);
        } else {
            out.copy_from_slice(&u.to_be_bytes()[8 - bytes..]);
        }
        n += bytes;
    }
    Some(n)
}

fn append_with(
    heap: &mut Heap,
    acc: Term,
    segs: &[BinSegment],
    vals: &[(Term, Option<Term>)],
    w: &mut BitWriter,
) -> Result<Option<Term>, Term> {
    write_segments(w, &segs[1..], &vals[1..])?;
    if !w.bits.is_multiple_of(8) {
        return Ok(None);
    }
    Ok(Some(append_bytes(heap, acc, &w.bytes)))
}

fn write_segments(w: &mut BitWriter, segs: &[BinSegment], vals: &[(Term, Option<Term>)]) -> Result<(), Term> {
    for (seg, (v, size)) in segs.iter().zip(vals) {
        let size = size_value(*size)?;
        match seg.ty {
            BinType::Integer => {
                let bits = size.unwrap_or(8) * seg.unit as usize;
                if v.is_small() && bits <= 64 && (!seg.flags.little || bits.is_multiple_of(8)) {
                    w.push_small(v.small_value(), bits, seg.flags.little);
                    continue;
                }
                let i = to_bigint(*v).ok_or_else(badarg)?;
                w.push_int(&i, bits, seg.flags.little);
            }
            BinType::Float => {
                let f = if v.is_float() {
                    v.float_value()
                } else {
                    let i = to_bigint(*v).ok_or_else(badarg)?;
                    num_traits::ToPrimitive::to_f64(&i).ok_or_else(badarg)?
                };
                let bits = size.unwrap_or(64) * seg.unit as usize;
                let bytes: Vec<u8> = match bits {
                    64 => {
                        if seg.flags.little {
                            f.to_le_bytes().to_vec()
                        } else {
                            f.to_be_bytes().to_vec()
                        }
                    }
                    32 => {
                        // Out of range becomes infinity, as in OTP.
                        let g = f as f32;
                        if seg.flags.little {
                            g.to_le_bytes().to_vec()
                        } else {
                            g.to_be_bytes().to_vec()
                        }
                    }
                    16 => {
                        let h = f64_to_f16(f).ok_or_else(badarg)?;
                        if seg.flags.little {
                            h.to_le_bytes().to_vec()
                        } else {
                            h.to_be_bytes().to_vec()
                        }
                    }
                    _ => return Err(badarg()),
                };
                w.push_bits(&bytes, bits);
            }
            BinType::Binary => {
                if !binary::is_bitstring(*v) {
                    return Err(badarg());
                }
                let (data, bits) = binary::bits_of(*v);
                let want = match size {
                    Some(s) => s * seg.unit as usize,
                    None => {
                        if bits % seg.unit as usize != 0 {
                            return Err(badarg());
                        }
                        bits
                    }
                };
                if want > bits {
                    return Err(badarg());
                }
                w.push_bits(&data, want);
            }
            BinType::Utf8 | BinType::Utf16 | BinType::Utf32 => {
                let c = v.is_small().then(|| v.small_value()).ok_or_else(badarg)?;
                let ch = u32::try_from(c)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(badarg)?;
                let bytes: Vec<u8> = match seg.ty {
                    BinType::Utf8 => ch.to_string().into_bytes(),
                    BinType::Utf16 => {
                        let mut units = [0u16; 2];
                        let us = ch.encode_utf16(&mut units);
                        us.iter()
                            .flat_map(|u| {
                                if seg.flags.little {
                                    u.to_le_bytes()
                                } else {
                                    u.to_be_bytes()
                                }
                            })
                            .collect()
                    }
                    _ => {
                        let u = ch as u32;
                        if seg.flags.little {
                            u.to_le_bytes().to_vec()
                        } else {
                            u.to_be_bytes().to_vec()
                        }
                    }
                };
                w.push_bits(&bytes, bytes.len() * 8);
            }
        }
    }
    Ok(())
}

/// A double as a half-precision float, rounded to nearest, ties to even
/// (as OTP does); too large becomes infinity.
fn f64_to_f16(f: f64) -> Option<u16> {
    let bits = f.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mant = bits & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        return None;
    }
    let round = |m: u64, shift: u32| -> u64 {
        let q = m >> shift;
        let rem = m & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if rem > half || (rem == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    let e = exp - 1023 + 15;
    if e >= 31 {
        return Some(sign | 0x7c00);
    }
    if e <= 0 {
        if e < -10 || exp == 0 {
            return Some(sign);
        }
        // Subnormal: the implicit bit joins the mantissa.
        let v = round(mant | (1u64 << 52), (43 - e) as u32) as u16;
        return Some(sign | v);
    }
    let v = ((e as u64) << 10) + round(mant, 42);
    Some(sign | v.min(0x7c00) as u16)
}

fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let mant = (h & 0x3ff) as u32;
    let bits = if exp == 0 {
        if mant == 0 {
            sign
        } else {
            let mut e = -1i32;
            let mut m = mant;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (((127 - 15 + 1 + e) as u32) << 23) | ((m & 0x3ff) << 13)
        }
    } else if exp == 31 {
        sign | 0x7f80_0000 | (mant << 13)
    } else {
        sign | ((exp + 127 - 15) << 23) | (mant << 13)
    };
    f32::from_bits(bits)
}

/// A match context over a bitstring: a sub-binary's original and its
/// range, so that matching reads the original's bytes in place. Words:
/// original, offset, end, and the offset where the current match started
/// (see `restart` and `pass_on`).
pub fn start_match(heap: &mut Heap, bin: Term) -> Term {
    let bits = binary::bit_size(bin);
    let (base, off) = binary::underlying(bin);
    let p = heap.alloc(5);
    // SAFETY: five fresh words.
    unsafe {
        *p = header(Subtag::MatchCtx, 4);
        *p.add(1) = base.0;
        *p.add(2) = off as u64;
        *p.add(3) = (off + bits) as u64;
        *p.add(4) = off as u64;
    }
    Term::from_boxed_ptr(p)
}

/// A context passed on as the rest of a match (`pass_on`) is matched
/// again: each match of it starts where the rest began.
pub fn restart(ctx: Term) {
    set_offset(ctx, ctx.boxed_word(3) as usize);
}

/// `BsStartMatch`: a new context for bitstring `b`, or `b` itself
/// restarted when it is a context passed on by `BsTailCtx`; `None` when
/// `b` is not a bitstring.
#[inline]
pub fn start_or_restart(heap: &mut Heap, b: Term) -> Option<Term> {
    if b.subtag() == Some(crate::term::Subtag::MatchCtx) {
        restart(b);
        return Some(b);
    }
    if !binary::is_bitstring(b) {
        return None;
    }
    Some(start_match(heap, b))
}

/// The rest of the match as a context of its own, starting at the current
/// offset (BEAM's match-context reuse, for a function that matches the
/// rest of its argument and calls itself with it: no sub-binary, and the
/// callee's `BsStartMatch` allocates nothing). A copy, not the context
/// itself: a guard may still fail and send the caller to its next clause,
/// which matches again from the context's own start.
pub fn pass_on(heap: &mut Heap, ctx: Term) -> Term {
    let (base, off, total) = ctx_parts(ctx);
    let p = heap.alloc(5);
    // SAFETY: five fresh words.
    unsafe {
        *p = header(Subtag::MatchCtx, 4);
        *p.add(1) = base.0;
        *p.add(2) = off as u64;
        *p.add(3) = total as u64;
        *p.add(4) = off as u64;
    }
    Term::from_boxed_ptr(p)
}

/// `pass_on` when the context is not used again (the loader proved it,
/// `code::tail_ctx_is_last_use`): the context itself, restarting from its
/// current offset from now on. No allocation.
#[inline]
pub fn pass_on_in_place(ctx: Term) -> Term {
    let off = ctx.boxed_word(1);
    // SAFETY: a match context is a fresh, unshared object; word 4 (payload
    // word 3) is where a restart starts.
    unsafe { *(ctx.boxed_ptr() as *mut u64).add(4) = off };
    ctx
}

/// What a passed-on context stands for, as a bitstring (for an error
/// that shows the argument): its bits from the start of the current
/// match. The context is left as it is.
pub fn as_bitstring(heap: &mut Heap, ctx: Term) -> Term {
    let (bin, _, total) = ctx_parts(ctx);
    let start = ctx.boxed_word(3) as usize;
    binary::sub(heap, bin, start, total - start)
}

fn ctx_parts(ctx: Term) -> (Term, usize, usize) {
    (
        Term(ctx.boxed_word(0)),
        ctx.boxed_word(1) as usize,
        ctx.boxed_word(2) as usize,
    )
}

fn set_offset(ctx: Term, off: usize) {
    // SAFETY: a match context is a fresh, unshared object; word 2 is its
    // offset.
    unsafe { *(ctx.boxed_ptr() as *mut u64).add(2) = off as u64 };
}

/// Whether the bits left are a multiple of `unit` (0 counts as 1); a
/// shift for the usual powers of two, where `%` would divide.
#[inline]
pub fn has_unit(ctx: Term, unit: u32) -> bool {
    multiple_of(remaining(ctx), unit)
}

#[inline]
fn multiple_of(bits: usize, unit: u32) -> bool {
    match unit {
        0 | 1 => true,
        u if u.is_power_of_two() => bits & (u as usize - 1) == 0,
        u => bits.is_multiple_of(u as usize),
    }
}

pub fn remaining(ctx: Term) -> usize {
    let (_, off, size) = ctx_parts(ctx);
    size - off
}

/// Read at most 64 bits (little endian only in whole bytes) without a big
/// integer: `Ok` when the value fits an i64, else `Err` with the unsigned
/// value.
fn read_small(data: &[u8], off: usize, nbits: usize, flags: BinFlags) -> Result<i64, u64> {
    if nbits == 0 {
        return Ok(0);
    }
    // Whole bytes at a byte boundary (most segments): no window.
    if (off | nbits).is_multiple_of(8) && !flags.little {
        let u = data[off / 8..(off + nbits) / 8]
            .iter()
            .fold(0u64, |v, &b| v << 8 | b as u64);
        return finish_small(u, nbits, flags);
    }
    // Up to 72 bits starting at the byte that holds bit `off`.
    let first = off / 8;
    let last = (off + nbits).div_ceil(8);
    let mut window: u128 = 0;
    for b in &data[first..last] {
        window = (window << 8) | *b as u128;
    }
    let span = (last - first) * 8;
    let shift = span - (off - first * 8) - nbits;
    let mask: u128 = (1u128 << nbits) - 1;
    let mut u = ((window >> shift) & mask) as u64;
    if flags.little {
        u = u.swap_bytes() >> (64 - nbits);
    }
    finish_small(u, nbits, flags)
}

/// The value of `nbits` (1..=64) unsigned bits `u` as `read_small` gives it.
#[inline]
fn finish_small(u: u64, nbits: usize, flags: BinFlags) -> Result<i64, u64> {
    if flags.signed && nbits < 64 && u >> (nbits - 1) & 1 == 1 {
        return Ok((u | (!0u64 << nbits)) as i64);
    }
    if flags.signed && nbits == 64 {
        return Ok(u as i64);
    }
    i64::try_from(u).map_err(|_| u)
}

/// Read `nbits` bits at the context's offset as an unsigned big integer,
/// big-endian, or little-endian when asked.
fn read_int(data: &[u8], off: usize, nbits: usize, flags: BinFlags) -> BigInt {
    let bytes = binary::extract_bits(data, off, nbits);
    let nbytes = bytes.len();
    let mut mag: BigInt;
    if flags.little {
        let mut le = bytes.clone();
        if !nbits.is_multiple_of(8) {
            let last = nbytes - 1;
            le[last] >>= 8 - nbits % 8;
        }
        mag = BigInt::from_bytes_le(Sign::Plus, &le);
    } else {
        mag = BigInt::from_bytes_be(Sign::Plus, &bytes);
        if !nbits.is_multiple_of(8) {
            mag >>= 8 - nbits % 8;
        }
    }
    if flags.signed && nbits > 0 && mag.bit(nbits as u64 - 1) {
        mag -= BigInt::from(1) << nbits;
    }
    mag
}

/// `get` of a big-endian integer of `bytes` (1..=7) whole bytes: a small
/// integer read in place at a byte boundary, bit by bit elsewhere. (Its
/// own reader rather than `read_small`: going through the slice there
/// made `bin_match` 7% slower.)
#[inline]
pub fn get_int_bytes(ctx: Term, bytes: u8, signed: bool) -> Option<Term> {
    debug_assert!((1..=7).contains(&bytes));
    let (bin, off, total) = ctx_parts(ctx);
    let n = bytes as usize * 8;
    if n > total - off {
        return None;
    }
    let u = if off.is_multiple_of(8) {
        // SAFETY: bytes [off/8, off/8 + bytes) lie within the context's
        // bits (checked above), which its binary's data holds.
        let p = unsafe { binary::data_ptr(bin).add(off / 8) };
        if total / 8 - off / 8 >= 8 {
            // Eight whole bytes are there: one unaligned load instead of a
            // loop over the bytes (a fifth of a match run's time).
            // SAFETY: as above, for the eight bytes just checked.
            let w = unsafe { std::ptr::read_unaligned(p as *const [u8; 8]) };
            u64::from_be_bytes(w) >> (64 - n)
        } else {
            let mut u = 0u64;
            for i in 0..bytes as usize {
                // SAFETY: as above.
                u = u << 8 | unsafe { *p.add(i) } as u64;
            }
            u
        }
    } else {
        let data = binary::base_bytes(bin, total);
        match read_small(
            data,
            off,
            n,
            BinFlags {
                signed: false,
                little: false,
                native: false,
            },
        ) {
            Ok(v) => v as u64,
            Err(v) => v,
        }
    };
    let v = if signed && u >> (n - 1) & 1 == 1 {
        (u | (!0u64 << n)) as i64
    } else {
        u as i64
    };
    set_offset(ctx, off + n);
    Some(Term::small(v))
}

/// `get` of a `Size/binary` segment (unit 8), `size` the term.
#[inline]
pub fn get_binary_bytes(heap: &mut Heap, ctx: Term, size: Term) -> Option<Term> {
    if !size.is_small() || size.small_value() < 0 {
        return None;
    }
    let (bin, off, total) = ctx_parts(ctx);
    let n = (size.small_value() as usize).checked_mul(8)?;
    if n > total - off {
        return None;
    }
    set_offset(ctx, off + n);
    Some(binary::sub(heap, bin, off, n))
}

/// Match one segment; `None` when it does not match.
pub fn get(heap: &mut Heap, ctx: Term, spec: &BinMatchSpec, size: Option<Term>) -> Option<Term> {
    let (bin, off, total) = ctx_parts(ctx);
    let left = total - off;
    let data = binary::base_bytes(bin, total);
    let size = size_value(size).ok()?;
    match spec.ty {
        BinType::Integer => {
            let n = size.unwrap_or(8) * spec.unit as usize;
            if n > left {
                return None;
            }
            if n <= 64 && (!spec.flags.little || n.is_multiple_of(8)) {
                let v = read_small(data, off, n, spec.flags);
                set_offset(ctx, off + n);
                return Some(match v {
                    Ok(i) => heap.int(i),
                    Err(u) => heap.bigint(&BigInt::from(u)),
                });
            }
            let v = read_int(data, off, n, spec.flags);
            set_offset(ctx, off + n);
            Some(heap.bigint(&v))
        }
        BinType::Float => {
            let n = size.unwrap_or(64) * spec.unit as usize;
            if n > left || !matches!(n, 16 | 32 | 64) {
                return None;
            }
            let raw = read_int(
                data,
                off,
                n,
                BinFlags {
                    signed: false,
                    ..spec.flags
                },
            );
            let (_, le) = raw.to_u64_digits();
            let u = le.first().copied().unwrap_or(0);
            let f = match n {
                64 => f64::from_bits(u),
                32 => f32::from_bits(u as u32) as f64,
                _ => f16_to_f32(u as u16) as f64,
            };
            if !f.is_finite() {
                return None;
            }
            set_offset(ctx, off + n);
            Some(heap.float(f))
        }
        BinType::Binary => {
            let n = match size {
                Some(s) => s * spec.unit as usize,
                None => {
                    if !multiple_of(left, spec.unit) {
                        return None;
                    }
                    left
                }
            };
            if n > left {
                return None;
            }
            set_offset(ctx, off + n);
            Some(binary::sub(heap, bin, off, n))
        }
        BinType::Utf8 => {
            if left < 8 || off % 8 != 0 {
                return None;
            }
            let rest = &data[off / 8..(off + left) / 8];
            let len = match rest.first()? {
                b if b & 0x80 == 0 => 1,
                b if b & 0xe0 == 0xc0 => 2,
                b if b & 0xf0 == 0xe0 => 3,
                b if b & 0xf8 == 0xf0 => 4,
                _ => return None,
            };
            let s = std::str::from_utf8(rest.get(..len)?).ok()?;
            let c = s.chars().next()?;
            set_offset(ctx, off + len * 8);
            Some(Term::small(c as i64))
        }
        BinType::Utf16 => {
            if left < 16 {
                return None;
            }
            let flags = BinFlags {
                signed: false,
                ..spec.flags
            };
            let u1 = read_int(data, off, 16, flags);
            let u1: u32 = u1.try_into().ok()?;
            if (0xd800..0xdc00).contains(&u1) {
                if left < 32 {
                    return None;
                }
                let u2: u32 = read_int(data, off + 16, 16, flags).try_into().ok()?;
                if !(0xdc00..0xe000).contains(&u2) {
                    return None;
                }
                let c = 0x10000 + ((u1 - 0xd800) << 10) + (u2 - 0xdc00);
                set_offset(ctx, off + 32);
                return Some(Term::small(c as i64));
            }
            if (0xdc00..0xe000).contains(&u1) {
                return None;
            }
            set_offset(ctx, off + 16);
            Some(Term::small(u1 as i64))
        }
        BinType::Utf32 => {
            if left < 32 {
                return None;
            }
            let flags = BinFlags {
                signed: false,
                ..spec.flags
            };
            let u: u32 = read_int(data, off, 32, flags).try_into().ok()?;
            char::from_u32(u)?;
            set_offset(ctx, off + 32);
            Some(Term::small(u as i64))
        }
    }
}

/// The rest of the context as a bitstring.
pub fn tail(heap: &mut Heap, ctx: Term) -> Term {
    let (bin, off, total) = ctx_parts(ctx);
    let n = total - off;
    set_offset(ctx, total);
    binary::sub(heap, bin, off, n)
}
