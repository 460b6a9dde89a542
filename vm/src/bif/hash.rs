//! Hashing BIFs: `erlang:phash2/1,2` and `erlang:phash/2`, returning the
//! values OTP 25 returns.
//!
//! `phash2` is OTP's `make_hash2`: Bob Jenkins' `mix` applied to 32-bit
//! words, each kind of term mixed with its own constant (multiples of the
//! golden ratio), binaries through Jenkins' block hash, atoms through the
//! `hashpjw` value of their text that OTP keeps in its atom table. `phash`
//! is the older `make_hash`: a byte-wise multiply-and-add with primes just
//! above 2^28 (a map inside it is hashed with `make_hash2`).
//!
//! Both are portable hashes: the value of a term depends only on the term,
//! never on its representation (a small integer and a bignum of one digit,
//! a flat map and a hash trie with the same pairs hash alike). Everything
//! is computed in wrapping 32-bit arithmetic; OTP's `make_hash` keeps its
//! state in a machine word but only adds and multiplies it, so its low 32
//! bits, which it returns, are the same.
//!
//! Pids, ports and references cannot have OTP's numbering. They are hashed
//! the way OTP hashes them, from the numbers Beryl gives them: a pid
//! `<0.N.0>` by N (as OTP hashes its pid number), a port by its index, a
//! reference by its first (lowest, fastest-changing) id word, as OTP hashes
//! `internal_ref_numbers(Ref)[0]`. A local fun is hashed from its module,
//! index, uniq and free variables as in OTP, but Beryl's compiler numbers
//! lambdas and computes `uniq` its own way, so those values differ from
//! OTP's for the same source.

use super::{BifFn, Ctx};
use crate::process::{BifResult, Exc};
use crate::term::{header_arity, Subtag, Term};
use crate::{atom, binary, fun, map};
use std::borrow::Cow;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    t.push(("erlang", "phash2", 1, phash2_1 as BifFn));
    t.push(("erlang", "phash2", 2, phash2_2));
    t.push(("erlang", "phash", 2, phash_2));
}

/// The range argument of phash/2 and phash2/2: an integer in 1..=2^32.
fn range_arg(t: Term) -> Result<u64, Exc> {
    // Bignums are all beyond 2^32 (smalls have 60 bits).
    if t.is_small() && (1..=1i64 << 32).contains(&t.small_value()) {
        Ok(t.small_value() as u64)
    } else {
        Err(Exc::badarg())
    }
}

/// erlang:phash2(Term): range 2^27.
fn phash2_1(_: &mut Ctx, a: &[Term]) -> BifResult {
    Ok(Term::small((make_hash2(a[0]) & ((1 << 27) - 1)) as i64))
}

/// erlang:phash2(Term, Range): 0..Range-1.
fn phash2_2(_: &mut Ctx, a: &[Term]) -> BifResult {
    let range = range_arg(a[1])?;
    let h = make_hash2(a[0]) as u64;
    Ok(Term::small(if range == 1 << 32 { h } else { h % range } as i64))
}

/// erlang:phash(Term, Range): 1..Range.
fn phash_2(_: &mut Ctx, a: &[Term]) -> BifResult {
    let range = range_arg(a[1])?;
    let h = make_hash(a[0]) as u64;
    Ok(Term::small(
        if range == 1 << 32 { h + 1 } else { 1 + h % range } as i64
    ))
}

// ------------------------------------------------------------ shared parts

/// The hash OTP's atom table keeps for an atom: `hashpjw` over the UTF-8
/// text, except that a two-byte sequence encoding a latin-1 character
/// (lead byte 0xC2 or 0xC3) counts as that one character's byte.
pub fn atom_hash(a: Term) -> u32 {
    let s = atom::name(a).as_bytes();
    let mut h: u32 = 0;
    let mut i = 0;
    while i < s.len() {
        let mut v = s[i];
        i += 1;
        if i < s.len() && v & 0xFE == 0xC2 && s[i] & 0xC0 == 0x80 {
            // The lead byte's low two bits land in the top of the byte.
            v = (v << 6) | (s[i] & 0x3F);
            i += 1;
        }
        h = (h << 4).wrapping_add(v as u32);
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
            h ^= g;
        }
    }
    h
}

/// The bytes of a bitstring (the last one partial, its bits at the top)
/// and its size in bits, or None for a term that is not one.
fn bitstring_parts<'a>(t: Term) -> Option<(Cow<'a, [u8]>, usize)> {
    binary::is_bitstring(t).then(|| binary::bits_of(t))
}

/// The magnitude of a bignum, least significant 64-bit digit first,
/// without leading zero digits (as OTP keeps it), and its sign.
fn big_digits(t: Term) -> (Vec<u64>, bool) {
    let n = header_arity(t.header());
    let mut d: Vec<u64> = (0..n).map(|i| t.boxed_word(i)).collect();
    while d.len() > 1 && d.last() == Some(&0) {
        d.pop();
    }
    if d.is_empty() {
        d.push(0);
    }
    (d, t.subtag() == Some(Subtag::NegBig))
}

/// A float's bits, with -0.0 hashed as 0.0 (they are =:= in OTP 25).
fn float_bits(t: Term) -> u64 {
    let f = t.float_value();
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

fn is_byte(t: Term) -> bool {
    t.is_small() && (0..256).contains(&t.small_value())
}

// ------------------------------------------------------------ make_hash2

const HCONST: u32 = 0x9e37_79b9; // the golden ratio
const HCONST_2: u32 = 0x3c6e_f372;
const HCONST_3: u32 = 0xdaa6_6d2b;
const HCONST_4: u32 = 0x78dd_e6e4;
const HCONST_5: u32 = 0x1715_609d;
const HCONST_6: u32 = 0xb54c_da56;
const HCONST_7: u32 = 0x5384_540f;
const HCONST_9: u32 = 0x8ff3_4781;
const HCONST_10: u32 = 0x2e2a_c13a;
const HCONST_11: u32 = 0xcc62_3af3;
const HCONST_12: u32 = 0x6a99_b4ac;
const HCONST_13: u32 = 0x08d1_2e65;
const HCONST_14: u32 = 0xa708_a81e;
const HCONST_15: u32 = 0x4540_21d7;
const HCONST_16: u32 = 0xe377_9b90;
const HCONST_19: u32 = 0xbe1e_08bb;

/// The hash of `[]` when it is the whole term (or the first thing hashed).
const NIL_HASH: u32 = 3_468_870_702;
/// OTP's tag code for `[]`, mixed in when `[]` is not first.
const NIL_DEF: u32 = 2;

/// Bob Jenkins' mix of three 32-bit words; the hash is the new `c`.
#[inline]
fn mix(a: u32, b: u32, c: u32) -> u32 {
    mix3(a, b, c).2
}

/// Mix two words, each offset by `k`, into the hash.
#[inline]
fn hash_2(hash: u32, x: u32, y: u32, k: u32) -> u32 {
    mix(k.wrapping_add(x), k.wrapping_add(y), hash)
}

#[inline]
fn hash_1(hash: u32, x: u32, k: u32) -> u32 {
    hash_2(hash, x, 0, k)
}

/// Jenkins' block hash of some bytes, starting from `init`.
fn block_hash(k: &[u8], init: u32) -> u32 {
    let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let (mut a, mut b, mut c) = (HCONST, HCONST, init);
    let mut blocks = k.chunks_exact(12);
    for blk in &mut blocks {
        a = a.wrapping_add(word(&blk[0..4]));
        b = b.wrapping_add(word(&blk[4..8]));
        c = c.wrapping_add(word(&blk[8..12]));
        (a, b, c) = mix3(a, b, c);
    }
    let rest = blocks.remainder();
    c = c.wrapping_add(k.len() as u32);
    for (i, &x) in rest.iter().enumerate() {
        let x = x as u32;
        match i {
            0..=3 => a = a.wrapping_add(x << (8 * i)),
            4..=7 => b = b.wrapping_add(x << (8 * (i - 4))),
            // The low byte of c holds the length.
            _ => c = c.wrapping_add(x << (8 * (i - 7))),
        }
    }
    mix(a, b, c)
}

/// Jenkins' mix, returning all three words (the block hash carries them
/// from block to block).
#[inline]
fn mix3(mut a: u32, mut b: u32, mut c: u32) -> (u32, u32, u32) {
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 13);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 8);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 13);
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 12);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 16);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 5);
    a = a.wrapping_sub(b).wrapping_sub(c) ^ (c >> 3);
    b = b.wrapping_sub(c).wrapping_sub(a) ^ (a << 10);
    c = c.wrapping_sub(a).wrapping_sub(b) ^ (b >> 15);
    (a, b, c)
}

/// An integer that fits in 64 bits: within 28 bits as a signed 32-bit
/// number, beyond that exactly like a one-digit bignum.
fn hash2_int(hash: u32, v: i64) -> u32 {
    if (-(1 << 27)..1 << 27).contains(&v) {
        let y = v as i32;
        // Negative numbers are mixed twice, as in OTP.
        let h = if y < 0 {
            hash_1(hash, y.wrapping_neg() as u32, HCONST)
        } else {
            hash
        };
        hash_1(h, y as u32, HCONST)
    } else {
        let m = v.unsigned_abs();
        let k = if v < 0 { HCONST_10 } else { HCONST_11 };
        hash_2(hash, m as u32, (m >> 32) as u32, k)
    }
}

/// Work left on make_hash2's stack.
enum Op2 {
    Term(Term),
    /// The end of a map's pairs: the hash and pair xor to restore.
    MapTail {
        hash: u32,
        xor: u32,
    },
    /// The end of one key-value pair.
    MapPair,
}

/// OTP's `make_hash2`: the 32-bit hash behind phash2.
pub fn make_hash2(term: Term) -> u32 {
    let mut hash: u32 = 0;
    // The xor of the hashes of the pairs of the map being hashed.
    let mut xor: u32 = 0;
    let mut stack: Vec<Op2> = Vec::new();
    let mut term = term;
    loop {
        // Hash `term`; `next` is a subterm to continue with directly.
        let mut next = None;
        if term.is_cons() {
            // Bytes at the head of a list are packed four to a word.
            let (mut c, mut sh) = (0, 0u32);
            let mut cell = term;
            loop {
                let (h, t) = cell.cons_parts();
                if !is_byte(h) {
                    // A cell with another head: its head, then its tail.
                    stack.push(Op2::Term(t));
                    next = Some(h);
                    break;
                }
                sh = (sh << 8).wrapping_add(h.small_value() as u32);
                if c == 3 {
                    hash = hash_1(hash, sh, HCONST_4);
                    c = 0;
                    sh = 0;
                } else {
                    c += 1;
                }
                if !t.is_cons() {
                    next = Some(t);
                    break;
                }
                cell = t;
            }
            if c > 0 {
                hash = hash_1(hash, sh, HCONST_4);
            }
        } else if term.is_nil() {
            hash = if hash == 0 {
                NIL_HASH
            } else {
                hash_1(hash, NIL_DEF, HCONST_2)
            };
        } else if term.is_atom() {
            let a = atom_hash(term);
            hash = if hash == 0 { a } else { hash_1(hash, a, HCONST_3) };
        } else if term.is_small() {
            hash = hash2_int(hash, term.small_value());
        } else if term.is_local_pid() {
            // OTP hashes the N of <0.N.S>.
            hash = hash_1(hash, term.pid_index() as u32, HCONST_5);
        } else if term.is_local_port() {
            let n = term.0 >> 4;
            hash = hash_2(hash, n as u32, (n >> 32) as u32, HCONST_6);
        } else if term.is_boxed() {
            match term.subtag() {
                Some(Subtag::Tuple) => {
                    let elems = term.tuple_elems();
                    hash = hash_1(hash, elems.len() as u32, HCONST_9);
                    if let Some((first, rest)) = elems.split_first() {
                        stack.extend(rest.iter().rev().map(|e| Op2::Term(*e)));
                        next = Some(*first);
                    }
                }
                Some(Subtag::FlatMap | Subtag::HashMap) => {
                    let pairs = map::to_vec(term);
                    hash = hash_1(hash, pairs.len() as u32, HCONST_16);
                    if !pairs.is_empty() {
                        // Each pair is hashed from 0 and the pair hashes
                        // are xor-ed: the order of the pairs is irrelevant.
                        stack.push(Op2::MapTail { hash, xor });
                        hash = 0;
                        xor = 0;
                        for (k, v) in pairs.into_iter().rev() {
                            stack.push(Op2::MapPair);
                            stack.push(Op2::Term(v));
                            stack.push(Op2::Term(k));
                        }
                    }
                }
                Some(Subtag::Export) => {
                    let e = fun::export(term);
                    hash = hash_2(hash, e.arity, atom_hash(e.module), HCONST);
                    hash = hash_1(hash, atom_hash(e.function), HCONST_14);
                }
                Some(Subtag::Fun) => {
                    let e = fun::entry(term);
                    let free = fun::free_vars(term);
                    hash = hash_2(hash, free.len() as u32, atom_hash(e.module), HCONST);
                    hash = hash_2(hash, e.index, e.uniq, HCONST);
                    if let Some((first, rest)) = free.split_first() {
                        stack.extend(rest.iter().rev().map(|e| Op2::Term(*e)));
                        next = Some(*first);
                    }
                }
                Some(Subtag::HeapBin | Subtag::RefcBin | Subtag::SubBin) => {
                    if let Some((data, bits)) = bitstring_parts(term) {
                        let (size, tail) = (bits / 8, bits % 8);
                        let con = HCONST_13.wrapping_add(hash);
                        if bits == 0 {
                            hash = con;
                        } else {
                            hash = block_hash(&data[..size], con);
                            if tail > 0 {
                                hash =
                                    hash_2(hash, tail as u32, (data[size] >> (8 - tail)) as u32, HCONST_15);
                            }
                        }
                    }
                }
                Some(Subtag::PosBig | Subtag::NegBig) => {
                    let (digits, neg) = big_digits(term);
                    let k = if neg { HCONST_10 } else { HCONST_11 };
                    for d in digits {
                        hash = hash_2(hash, d as u32, (d >> 32) as u32, k);
                    }
                }
                Some(Subtag::Float) => {
                    let b = float_bits(term);
                    hash = hash_2(hash, (b >> 32) as u32, b as u32, HCONST_12);
                }
                Some(Subtag::Ref | Subtag::ExternalRef) if header_arity(term.header()) > 0 => {
                    hash = hash_1(hash, term.boxed_word(0) as u32, HCONST_7);
                }
                Some(Subtag::ExternalPid) if header_arity(term.header()) > 0 => {
                    hash = hash_1(hash, term.boxed_word(0) as u32, HCONST_5);
                }
                Some(Subtag::ExternalPort) if header_arity(term.header()) > 0 => {
                    let n = term.boxed_word(0);
                    hash = hash_2(hash, n as u32, (n >> 32) as u32, HCONST_6);
                }
                // Reserved kinds that no term has yet.
                _ => {}
            }
        }
        if let Some(t) = next {
            term = t;
            continue;
        }
        // The term is done: continue with the work left.
        loop {
            match stack.pop() {
                None => return hash,
                Some(Op2::Term(t)) => {
                    term = t;
                    break;
                }
                Some(Op2::MapPair) => {
                    xor ^= hash;
                    hash = 0;
                }
                Some(Op2::MapTail { hash: h, xor: x }) => {
                    hash = hash_1(h, xor, HCONST_19);
                    xor = x;
                }
            }
        }
    }
}

// ------------------------------------------------------------ make_hash

// Primes just above 2^28.
const F1: u32 = 268_440_163;
const F2: u32 = 268_439_161;
const F3: u32 = 268_435_459;
const F4: u32 = 268_436_141;
const F5: u32 = 268_438_633;
const F6: u32 = 268_437_017;
const F8: u32 = 268_437_511;
const F9: u32 = 268_439_627;
const F10: u32 = 268_440_479;
const F11: u32 = 268_440_577;
const F12: u32 = 268_440_581;
const F13: u32 = 268_440_593;
const F14: u32 = 268_440_611;

/// hash * p + x, wrapping.
#[inline]
fn ma(hash: u32, p: u32, x: u32) -> u32 {
    hash.wrapping_mul(p).wrapping_add(x)
}

/// The four bytes of a word, least significant first.
fn step32(hash: u32, x: u32, p: u32) -> u32 {
    x.to_le_bytes().iter().fold(hash, |h, &b| ma(h, p, b as u32))
}

/// Work left on make_hash's stack.
enum Op1 {
    Term(Term),
    /// The end of a tuple of this arity.
    TupleEnd(u32),
    /// The tail of a list cell whose head has been hashed.
    ListCdr(Term),
    /// The end of a list (after its tail).
    ListEnd,
}

/// OTP's `make_hash`: the 32-bit hash behind phash.
pub fn make_hash(term: Term) -> u32 {
    let mut hash: u32 = 0;
    let mut stack = vec![Op1::Term(term)];
    while let Some(op) = stack.pop() {
        let t = match op {
            Op1::Term(t) => t,
            Op1::TupleEnd(n) => {
                hash = ma(hash, F9, n);
                continue;
            }
            Op1::ListEnd => {
                hash = hash.wrapping_mul(F8);
                continue;
            }
            Op1::ListCdr(t) => {
                if !t.is_cons() {
                    stack.push(Op1::ListEnd);
                }
                t
            }
        };
        if t.is_cons() {
            // Byte heads are added directly; any other head is hashed
            // as a term before the rest of the list.
            let mut cell = t;
            loop {
                let (h, tl) = cell.cons_parts();
                if !is_byte(h) {
                    stack.push(Op1::ListCdr(tl));
                    stack.push(Op1::Term(h));
                    break;
                }
                hash = ma(hash, F2, h.small_value() as u32);
                if !tl.is_cons() {
                    stack.push(Op1::ListEnd);
                    stack.push(Op1::Term(tl));
                    break;
                }
                cell = tl;
            }
        } else if t.is_nil() {
            hash = ma(hash, F3, 1);
        } else if t.is_atom() {
            hash = ma(hash, F1, atom_hash(t));
        } else if t.is_small() {
            let v = t.small_value();
            let m = v.unsigned_abs();
            hash = step32(hash, m as u32, F2);
            if m >> 32 != 0 {
                hash = step32(hash, (m >> 32) as u32, F2);
            }
            hash = hash.wrapping_mul(if v < 0 { F4 } else { F3 });
        } else if t.is_local_pid() {
            hash = step32(hash, t.pid_index() as u32, F5).wrapping_mul(F6);
        } else if t.is_local_port() {
            let n = t.0 >> 4;
            if n >> 32 != 0 {
                hash = step32(hash, (n >> 32) as u32, F11);
            }
            hash = step32(hash, n as u32, F9).wrapping_mul(F10);
        } else if t.is_boxed() {
            match t.subtag() {
                Some(Subtag::Tuple) => {
                    let elems = t.tuple_elems();
                    stack.push(Op1::TupleEnd(elems.len() as u32));
                    stack.extend(elems.iter().rev().map(|e| Op1::Term(*e)));
                }
                Some(Subtag::FlatMap | Subtag::HashMap) => {
                    hash = ma(hash, F13, F14).wrapping_add(make_hash2(t));
                }
                Some(Subtag::Export) => {
                    let e = fun::export(t);
                    hash = ma(hash, F11, e.arity);
                    hash = ma(hash, F1, atom_hash(e.module));
                    hash = ma(hash, F1, atom_hash(e.function));
                }
                Some(Subtag::Fun) => {
                    let e = fun::entry(t);
                    let free = fun::free_vars(t);
                    hash = ma(hash, F10, free.len() as u32);
                    hash = ma(hash, F1, atom_hash(e.module));
                    hash = ma(hash, F2, e.index);
                    hash = ma(hash, F2, e.uniq);
                    stack.extend(free.iter().rev().map(|e| Op1::Term(*e)));
                }
                Some(Subtag::HeapBin | Subtag::RefcBin | Subtag::SubBin) => {
                    if let Some((data, bits)) = bitstring_parts(t) {
                        let (size, tail) = (bits / 8, bits % 8);
                        hash = data[..size].iter().fold(hash, |h, &b| ma(h, F1, b as u32));
                        if tail > 0 {
                            let b = (data[size] >> (8 - tail)) as u32;
                            hash = ma(ma(hash, F1, b), F12, tail as u32);
                        }
                        hash = ma(hash, F4, size as u32);
                    }
                }
                Some(Subtag::PosBig | Subtag::NegBig) => {
                    // Like a small: the magnitude's bytes, least significant
                    // first, in whole 32-bit words.
                    let (digits, neg) = big_digits(t);
                    let last = digits.len() - 1;
                    for (i, &d) in digits.iter().enumerate() {
                        let n = if i == last && d >> 32 == 0 { 4 } else { 8 };
                        hash = d.to_le_bytes()[..n]
                            .iter()
                            .fold(hash, |h, &b| ma(h, F2, b as u32));
                    }
                    hash = hash.wrapping_mul(if neg { F4 } else { F3 });
                }
                Some(Subtag::Float) => {
                    let b = float_bits(t);
                    hash = ma(hash, F6, (b as u32) ^ ((b >> 32) as u32));
                }
                Some(Subtag::Ref | Subtag::ExternalRef) if header_arity(t.header()) > 0 => {
                    hash = step32(hash, t.boxed_word(0) as u32, F9).wrapping_mul(F10);
                }
                Some(Subtag::ExternalPid) if header_arity(t.header()) > 0 => {
                    hash = step32(hash, t.boxed_word(0) as u32, F5).wrapping_mul(F6);
                }
                Some(Subtag::ExternalPort) if header_arity(t.header()) > 0 => {
                    hash = step32(hash, t.boxed_word(0) as u32, F9).wrapping_mul(F10);
                }
                _ => {}
            }
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{CodeServer, FunEntry};
    use crate::heap::Heap;
    use num_bigint::BigInt;

    fn pow(b: i64, n: u32) -> BigInt {
        BigInt::from(b).pow(n)
    }

    fn int(h: &mut Heap, b: BigInt) -> Term {
        h.bigint(&b)
    }

    fn bits(h: &mut Heap, bytes: &[u8], nbits: usize) -> Term {
        binary::bitstring(h, bytes, nbits)
    }

    fn export(code: &CodeServer, h: &mut Heap, m: &str, f: &str, a: u32) -> Term {
        fun::export_fun(h, code.export(atom::atom(m), atom::atom(f), a))
    }

    fn seqmap(h: &mut Heap, n: i64) -> Term {
        let pairs: Vec<(Term, Term)> = (1..=n).map(|k| (Term::small(k), Term::small(k + 1))).collect();
        map::from_pairs(h, &pairs)
    }

    /// The terms of the reference table, by name.
    fn build(h: &mut Heap, code: &CodeServer, name: &str) -> Term {
        let a = atom::atom;
        match name {
            "int_0" => Term::small(0),
            "int_1" => Term::small(1),
            "int_m1" => Term::small(-1),
            "int_42" => Term::small(42),
            "int_255" => Term::small(255),
            "int_256" => Term::small(256),
            "int_m256" => Term::small(-256),
            "int_2p27m1" => int(h, pow(2, 27) - 1),
            "int_2p27" => int(h, pow(2, 27)),
            "int_m2p27" => int(h, -pow(2, 27)),
            "int_m2p27m1" => int(h, -pow(2, 27) - 1),
            "int_2p28m1" => int(h, pow(2, 28) - 1),
            "int_2p28" => int(h, pow(2, 28)),
            "int_m2p28" => int(h, -pow(2, 28)),
            "int_2p31" => int(h, pow(2, 31)),
            "int_2p32m1" => int(h, pow(2, 32) - 1),
            "int_2p32" => int(h, pow(2, 32)),
            "int_m2p32" => int(h, -pow(2, 32)),
            "int_2p59m1" => int(h, pow(2, 59) - 1),
            "int_2p59" => int(h, pow(2, 59)),
            "int_m2p59" => int(h, -pow(2, 59)),
            "int_m2p59m1" => int(h, -pow(2, 59) - 1),
            "int_2p60" => int(h, pow(2, 60)),
            "int_2p63" => int(h, pow(2, 63)),
            "int_2p64m1" => int(h, pow(2, 64) - 1),
            "int_2p64" => int(h, pow(2, 64)),
            "int_m2p64" => int(h, -pow(2, 64)),
            "int_2p100" => int(h, pow(2, 100)),
            "int_m2p100" => int(h, -pow(2, 100)),
            "int_3p200" => int(h, pow(3, 200)),
            "int_m3p200" => int(h, -pow(3, 200)),
            "int_2p128m1" => int(h, pow(2, 128) - 1),
            "int_123456789012" => int(h, BigInt::from(123456789012i64)),
            "float_0" => h.float(0.0),
            "float_m0" => h.float(-0.0),
            "float_1" => h.float(1.0),
            "float_1_5" => h.float(1.5),
            "float_m1e300" => h.float(-1.0e300),
            "float_x" => h.float(1234.5678),
            "float_denorm" => h.float(1.0e-320),
            "float_2" => h.float(2.0),
            "atom_empty" => a(""),
            "atom_a" => a("a"),
            "atom_ok" => a("ok"),
            "atom_true" => a("true"),
            "atom_hello_world" => a("hello_world"),
            "atom_a_uml" => a("ä"),
            "atom_omega" => a("Ω"),
            "atom_konnichiwa" => a("こんにちは"),
            "atom_long" => a(&"x".repeat(255)),
            "atom_y_uml" => a("ÿ"),
            "atom_e_acute_1" => a("é1"),
            "atom_a_e_acute" => a("aé"),
            "atom_nbsp" => a("\u{a0}"),
            "atom_mixed" => a("Zürich_Ωmega_€"),
            "nil" => Term::NIL,
            "str_a" => h.string("a"),
            "str_ab" => h.string("ab"),
            "str_abc" => h.string("abc"),
            "str_abcd" => h.string("abcd"),
            "str_abcde" => h.string("abcde"),
            "list_123" => h.list(&[Term::small(1), Term::small(2), Term::small(3)]),
            "list_256" => h.list(&[Term::small(256)]),
            "list_1000_2" => h.list(&[Term::small(1000), Term::small(2)]),
            "improper_a_b" => h.cons(a("a"), a("b")),
            "improper_1_2" => h.cons(Term::small(1), Term::small(2)),
            "improper_12_3" => h.list_with_tail(&[Term::small(1), Term::small(2)], Term::small(3)),
            "list_nil" => h.list(&[Term::NIL]),
            "list_list_1" => {
                let l = h.list(&[Term::small(1)]);
                h.list(&[l])
            }
            "list_abc_atoms" => h.list(&[a("a"), a("b"), a("c")]),
            "list_float" => {
                let f = h.float(1.0);
                h.list(&[f])
            }
            "str_hello" => h.string("hello world, this is a longer string"),
            "list_255_256_0" => h.list(&[Term::small(255), Term::small(256), Term::small(0)]),
            "list_m1" => h.list(&[Term::small(-1)]),
            "nested_lists" => {
                // [[1, [2, [3, []]]], "xy", [a | "bc"]]
                let l3 = h.list(&[Term::small(3), Term::NIL]);
                let l2 = h.list(&[Term::small(2), l3]);
                let l1 = h.list(&[Term::small(1), l2]);
                let xy = h.string("xy");
                let bc = h.string("bc");
                let abc = h.cons(a("a"), bc);
                h.list(&[l1, xy, abc])
            }
            "mixed_list" => {
                let v: Vec<Term> = [1, 2, -1, 3, 4, 5, 6, -2, 7]
                    .iter()
                    .map(|&i| match i {
                        -1 => a("a"),
                        -2 => a("b"),
                        i => Term::small(i),
                    })
                    .collect();
                h.list(&v)
            }
            "str_improper" => h.list_with_tail(&[Term::small(97), Term::small(98)], Term::small(99)),
            "tuple_empty" => h.tuple(&[]),
            "tuple_a" => h.tuple(&[a("a")]),
            "tuple_12" => h.tuple(&[Term::small(1), Term::small(2)]),
            "tuple_nested" => {
                let c = h.tuple(&[a("c")]);
                let b = h.tuple(&[a("b"), c]);
                h.tuple(&[a("a"), b])
            }
            "tuple_nils" => h.tuple(&[Term::NIL, Term::NIL]),
            "tuple_mixed" => {
                let f = h.float(1.5);
                let b = binary::binary(h, &[]);
                let s = h.string("s");
                h.tuple(&[f, b, s, Term::small(-5)])
            }
            "map_empty" => map::from_pairs(h, &[]),
            "map_a1" => map::from_pairs(h, &[(a("a"), Term::small(1))]),
            "map_1a" => map::from_pairs(h, &[(Term::small(1), a("a"))]),
            "map_5" => {
                let k = h.string("k");
                let v = h.tuple(&[a("v")]);
                let pairs = [
                    (a("a"), Term::small(1)),
                    (a("b"), Term::small(2)),
                    (a("c"), Term::small(3)),
                    (Term::small(1), a("x")),
                    (k, v),
                ];
                map::from_pairs(h, &pairs)
            }
            "map_nil" => map::from_pairs(h, &[(Term::NIL, Term::NIL)]),
            "map_40" => seqmap(h, 40),
            "map_100" => seqmap(h, 100),
            "map_nested" => {
                // #{m => #{n => #{}}, l => [#{1 => 2}]}
                let e = map::from_pairs(h, &[]);
                let n = map::from_pairs(h, &[(a("n"), e)]);
                let one = map::from_pairs(h, &[(Term::small(1), Term::small(2))]);
                let l = h.list(&[one]);
                map::from_pairs(h, &[(a("m"), n), (a("l"), l)])
            }
            "tuple_with_map" => {
                let m = map::from_pairs(h, &[(a("a"), a("b"))]);
                h.tuple(&[a("x"), m, a("y")])
            }
            "bin_empty" => binary::binary(h, b""),
            "bin_123" => binary::binary(h, &[1, 2, 3]),
            "bin_hello" => binary::binary(h, b"hello"),
            "bin_12" => binary::binary(h, b"abcdefghijkl"),
            "bin_13" => binary::binary(h, b"abcdefghijklm"),
            "bin_24" => binary::binary(h, b"abcdefghijklmnopqrstuvwx"),
            "bin_100" => binary::binary(h, &(1..=100).collect::<Vec<u8>>()),
            // <<1:3>>, <<255, 1:1>>, <<1, 2, 3, 5:4>>, <<127:7>>
            "bits_1_3" => bits(h, &[1 << 5], 3),
            "bits_255_1" => bits(h, &[255, 1 << 7], 9),
            "bits_123_5_4" => bits(h, &[1, 2, 3, 5 << 4], 28),
            "bits_7" => bits(h, &[127 << 1], 7),
            "bin_11" => binary::binary(h, b"abcdefghijk"),
            "bin_utf8" => binary::binary(h, "ä€".as_bytes()),
            "fun_abs" => export(code, h, "erlang", "abs", 1),
            "fun_map" => export(code, h, "lists", "map", 2),
            "fun_foo_bar" => export(code, h, "foo", "bar", 0),
            "fun_uml" => export(code, h, "mödule", "fün", 3),
            _ => panic!("no term named {name}"),
        }
    }

    /// (name, phash2/1, phash2/2 with ranges 1, 7 and 2^32, phash/2 with
    /// ranges 7 and 2^32), printed by OTP 25.2.
    #[rustfmt::skip]
    const REFERENCE: &[(&str, u32, u32, u32, u32, u32, u64)] = &[
        ("int_0", 88723725, 0, 1, 3175731469, 1, 1),
        ("int_1", 2614250, 0, 6, 539485162, 1, 2788898428),
        ("int_m1", 44071773, 0, 5, 1117813597, 1, 1680185270),
        ("int_42", 30328728, 0, 1, 701417368, 5, 1169616943),
        ("int_255", 44734653, 0, 3, 715823293, 6, 2499495046),
        ("int_256", 37021655, 0, 0, 3929335767, 6, 1920229268),
        ("int_m256", 87258916, 0, 2, 2771613476, 4, 3765867550),
        ("int_2p27m1", 112602999, 0, 1, 4273352567, 7, 1192343453),
        ("int_2p27", 12354923, 0, 5, 2562491755, 6, 2147483673),
        ("int_m2p27", 69672967, 0, 6, 874979335, 2, 2147489129),
        ("int_m2p27m1", 76739502, 0, 3, 1418916782, 2, 3827674398),
        ("int_2p28m1", 108355148, 0, 3, 3463798348, 5, 3339827125),
        ("int_2p28", 45246278, 0, 6, 2729600838, 7, 49),
        ("int_m2p28", 70671433, 0, 6, 3694550089, 6, 10961),
        ("int_2p31", 14246037, 0, 1, 2832818325, 7, 385),
        ("int_2p32m1", 95053261, 0, 3, 2108319181, 4, 3339827845),
        ("int_2p32", 95057355, 0, 2, 2108323275, 1, 2788898428),
        ("int_m2p32", 35930262, 0, 2, 2586067094, 1, 1680185270),
        ("int_2p59m1", 27520264, 0, 0, 1638133000, 7, 3114282913),
        ("int_2p59", 26969617, 0, 0, 2442888721, 6, 2147483673),
        ("int_m2p59", 35173814, 0, 0, 2316875190, 2, 2147489129),
        ("int_m2p59m1", 36462311, 0, 4, 2855034599, 6, 3227238398),
        ("int_2p60", 31803508, 0, 5, 1373980788, 7, 49),
        ("int_2p63", 39852678, 0, 3, 710941318, 7, 385),
        ("int_2p64m1", 53435350, 0, 5, 321870806, 7, 966800009),
        ("int_2p64", 103122609, 0, 6, 2519041713, 1, 2788898428),
        ("int_m2p64", 13457787, 0, 5, 2563594619, 1, 1680185270),
        ("int_2p100", 126219984, 0, 5, 528873168, 3, 1672701873),
        ("int_m2p100", 124857544, 0, 5, 3614518472, 5, 1113160529),
        ("int_3p200", 54061770, 0, 5, 725150410, 2, 1733071069),
        ("int_m3p200", 40280065, 0, 2, 1248239617, 1, 2728386277),
        ("int_2p128m1", 111822251, 0, 5, 3333047723, 6, 2677512977),
        ("int_123456789012", 40867054, 0, 6, 3127874798, 7, 807869132),
        ("float_0", 20875736, 0, 3, 423528920, 1, 1),
        ("float_m0", 20875736, 0, 3, 423528920, 1, 1),
        ("float_1", 77147068, 0, 6, 3029937084, 5, 1072693249),
        ("float_1_5", 10380315, 0, 2, 2023646235, 7, 1073217537),
        ("float_m1e300", 84771912, 0, 3, 3171779656, 3, 1983353249),
        ("float_x", 41208964, 0, 6, 980733060, 3, 768585961),
        ("float_denorm", 50333840, 0, 4, 3808430224, 2, 2025),
        ("float_2", 123862623, 0, 1, 1734475359, 2, 1073741825),
        ("atom_empty", 0, 0, 0, 0, 1, 1),
        ("atom_a", 97, 0, 6, 97, 7, 98),
        ("atom_ok", 1883, 0, 0, 1883, 1, 1884),
        ("atom_true", 506293, 0, 4, 506293, 5, 506294),
        ("atom_hello_world", 84192276, 0, 0, 84192276, 1, 84192277),
        ("atom_a_uml", 228, 0, 4, 228, 5, 229),
        ("atom_omega", 3465, 0, 0, 3465, 1, 3466),
        ("atom_konnichiwa", 461743, 0, 3, 134679471, 4, 134679472),
        ("atom_long", 32760, 0, 0, 32760, 1, 32761),
        ("atom_y_uml", 255, 0, 3, 255, 4, 256),
        ("atom_e_acute_1", 3777, 0, 4, 3777, 5, 3778),
        ("atom_a_e_acute", 1785, 0, 0, 1785, 1, 1786),
        ("atom_nbsp", 160, 0, 6, 160, 7, 161),
        ("atom_mixed", 34955788, 0, 0, 34955788, 1, 34955789),
        ("nil", 113427502, 0, 3, 3468870702, 2, 2),
        ("str_a", 49011133, 0, 2, 2733365693, 1, 2953390077),
        ("str_ab", 98428323, 0, 3, 2380129699, 3, 3289956575),
        ("str_abc", 117343302, 0, 2, 519996486, 6, 3654580166),
        ("str_abcd", 7922743, 0, 2, 1752753207, 5, 1938728202),
        ("str_abcde", 71169904, 0, 5, 2487089008, 2, 721934915),
        ("list_123", 25788620, 0, 0, 4186538188, 7, 3336869158),
        ("list_256", 73608398, 0, 1, 1684221134, 1, 1015129879),
        ("list_1000_2", 82627553, 0, 6, 1693240289, 3, 1982521999),
        ("improper_a_b", 74710280, 0, 4, 2356411656, 6, 4159696708),
        ("improper_1_2", 86124794, 0, 0, 3844221178, 3, 2402949552),
        ("improper_12_3", 8851781, 0, 4, 4169601349, 5, 265598415),
        ("list_nil", 96416884, 0, 0, 499070068, 4, 2952798237),
        ("list_list_1", 23283084, 0, 3, 3378726284, 1, 50678356),
        ("list_abc_atoms", 29271916, 0, 6, 1505666924, 2, 1373507298),
        ("list_float", 19126044, 0, 0, 2837698332, 3, 3467642888),
        ("str_hello", 21539452, 0, 4, 1900587644, 3, 59240583),
        ("list_255_256_0", 74608441, 0, 0, 2222092089, 1, 1415964600),
        ("list_m1", 42412580, 0, 0, 3800508964, 6, 3981341153),
        ("nested_lists", 124382782, 0, 4, 795471422, 5, 1148474773),
        ("mixed_list", 31171690, 0, 1, 1507566698, 2, 242258977),
        ("str_improper", 126389480, 0, 6, 1871219944, 4, 1238319471),
        ("tuple_empty", 87486268, 0, 3, 221703996, 1, 1),
        ("tuple_a", 35332806, 0, 5, 2853905094, 5, 268840045),
        ("tuple_12", 91564110, 0, 3, 4118095950, 2, 3114748240),
        ("tuple_nested", 131874723, 0, 2, 4024188835, 6, 778190664),
        ("tuple_nils", 23759702, 0, 6, 694848342, 1, 4026548527),
        ("tuple_mixed", 99546138, 0, 2, 502199322, 7, 3924328338),
        ("map_empty", 39679005, 0, 1, 844985373, 7, 1113425985),
        ("map_a1", 59617982, 0, 0, 1401795262, 6, 1670235874),
        ("map_1a", 108954384, 0, 5, 2659091216, 4, 2927531828),
        ("map_5", 126411718, 0, 2, 1468588998, 1, 1737029610),
        ("map_nil", 612558, 0, 3, 134830286, 2, 403270898),
        ("map_40", 110052444, 0, 0, 378487900, 6, 646928512),
        ("map_100", 13573495, 0, 2, 3369016695, 1, 3637457307),
        ("map_nested", 65513270, 0, 2, 3555174198, 1, 3823614810),
        ("tuple_with_map", 73586964, 0, 3, 2892159252, 7, 912708146),
        ("bin_empty", 13708901, 0, 4, 147926629, 1, 1),
        ("bin_123", 6479071, 0, 0, 4167228639, 4, 687692590),
        ("bin_hello", 47480723, 0, 1, 1658093459, 7, 476327964),
        ("bin_12", 15432855, 0, 2, 686521495, 6, 2555667491),
        ("bin_13", 11441572, 0, 0, 3501102500, 5, 128803897),
        ("bin_24", 73490061, 0, 5, 2489409165, 6, 2326611461),
        ("bin_100", 98965761, 0, 0, 3051755777, 4, 2312692743),
        ("bits_1_3", 73037028, 0, 2, 3965351140, 7, 1345689961),
        ("bits_255_1", 67184779, 0, 0, 2348886155, 4, 3612347533),
        ("bits_123_5_4", 64785919, 0, 0, 2614922751, 6, 4112827347),
        ("bits_7", 106445161, 0, 3, 911751529, 3, 1788031451),
        ("bin_11", 96993671, 0, 5, 96993671, 7, 2871496362),
        ("bin_utf8", 11514417, 0, 1, 1353691697, 5, 1866973421),
        ("fun_abs", 27471588, 0, 6, 2174955236, 3, 2515667794),
        ("fun_map", 34981515, 0, 1, 840287883, 2, 904024396),
        ("fun_foo_bar", 132837658, 0, 3, 4025151770, 7, 4158349888),
        ("fun_uml", 53668824, 0, 3, 590539736, 2, 3713927513),
    ];

    fn call(f: BifFn, args: &[Term]) -> Result<Term, Exc> {
        let vm = crate::vm::Vm::new(Default::default());
        let mut p = crate::process::Process::new(1, 256);
        f(
            &mut Ctx {
                proc: &mut p,
                vm: &vm,
            },
            args,
        )
    }

    fn small(r: Result<Term, Exc>) -> i64 {
        let t = r.unwrap_or_else(|_| panic!("the BIF raised"));
        assert!(t.is_small());
        t.small_value()
    }

    #[test]
    fn hash_matches_otp() {
        let mut h = Heap::new(1024);
        let code = CodeServer::default();
        for &(name, h27, r1, r7, r32, p7, p32) in REFERENCE {
            let t = build(&mut h, &code, name);
            let h2 = make_hash2(t);
            assert_eq!(h2 & ((1 << 27) - 1), h27, "phash2({name})");
            assert_eq!(r1, 0, "phash2({name}, 1)");
            assert_eq!(h2 % 7, r7, "phash2({name}, 7)");
            assert_eq!(h2, r32, "phash2({name}, 1 bsl 32)");
            let h1 = make_hash(t);
            assert_eq!(1 + h1 % 7, p7, "phash({name}, 7)");
            assert_eq!(h1 as u64 + 1, p32, "phash({name}, 1 bsl 32)");
        }
    }

    #[test]
    fn hash_bifs_reduce_like_otp() {
        let mut h = Heap::new(1024);
        let code = CodeServer::default();
        let two32 = Term::small(1 << 32);
        for &(name, h27, r1, r7, r32, p7, p32) in REFERENCE {
            let t = build(&mut h, &code, name);
            assert_eq!(small(call(phash2_1, &[t])), h27 as i64, "{name}");
            assert_eq!(small(call(phash2_2, &[t, Term::small(1)])), r1 as i64, "{name}");
            assert_eq!(small(call(phash2_2, &[t, Term::small(7)])), r7 as i64, "{name}");
            assert_eq!(small(call(phash2_2, &[t, two32])), r32 as i64, "{name}");
            assert_eq!(small(call(phash_2, &[t, Term::small(7)])), p7 as i64, "{name}");
            assert_eq!(small(call(phash_2, &[t, two32])), p32 as i64, "{name}");
        }
        // The range must be an integer in 1..2^32.
        let big = h.bigint(&pow(2, 64));
        let f = h.float(7.0);
        for bad in [
            Term::small(0),
            Term::small(-1),
            Term::small((1 << 32) + 1),
            big,
            f,
            atom::atom("a"),
        ] {
            assert!(call(phash2_2, &[Term::small(1), bad]).is_err());
            assert!(call(phash_2, &[Term::small(1), bad]).is_err());
        }
    }

    /// Local funs with the module, index, uniq and environment OTP 25.2
    /// reported with erlang:fun_info/2 for the four funs of
    ///
    /// ```erlang
    /// -module(phfun).
    /// funs(X, Y, Z) ->       % called as funs(7, [a, "b"], {1.5, <<1,2>>})
    ///     [fun() -> ok end, fun(A) -> A + X end, fun(A, B) -> {A, B, X, Y} end,
    ///      fun() -> {X, Y, Z} end].
    /// ```
    ///
    /// and the values it returned: (env, phash2/1, phash2/2 with 2^32,
    /// phash/2 with 2^32).
    #[test]
    fn closures_hash_like_otp() {
        let mut h = Heap::new(1024);
        let s = h.string("b");
        let y = h.list(&[atom::atom("a"), s]);
        let f = h.float(1.5);
        let b = binary::binary(&mut h, &[1, 2]);
        let z = h.tuple(&[f, b]);
        let seven = Term::small(7);
        let cases: [(&[Term], u32, u32, u64); 4] = [
            (&[], 95536747, 3450979947, 1314353472),
            (&[seven], 110284391, 1855114855, 3779279807),
            (&[seven, y], 18678462, 689767102, 590961444),
            (&[seven, y, z], 58728052, 3414171252, 3969671909),
        ];
        for (index, (env, h27, h32, p32)) in cases.into_iter().enumerate() {
            // SAFETY: every field of a FunEntry is valid all-zero (a term
            // word, integers, a null code pointer); the public ones are set.
            let mut e: FunEntry = unsafe { std::mem::zeroed() };
            e.module = atom::atom("phfun");
            e.function = atom::atom("-funs/3-fun-0-");
            e.index = index as u32;
            e.uniq = 80615905;
            e.free = env.len() as u32;
            let e: &'static FunEntry = Box::leak(Box::new(e));
            let t = fun::closure(&mut h, e, env);
            assert_eq!(make_hash2(t) & ((1 << 27) - 1), h27, "closure {index}");
            assert_eq!(make_hash2(t), h32, "closure {index}");
            assert_eq!(make_hash(t) as u64 + 1, p32, "closure {index}");
        }
    }

    #[test]
    fn representation_does_not_matter() {
        let mut h = Heap::new(1024);
        // A bitstring at a bit offset (a sub-binary in OTP) hashes as its
        // bits: <<_:3, X/bits>> = <<0, 1, 2, 3>>.
        let whole = binary::binary(&mut h, &[0, 1, 2, 3]);
        let x = binary::sub(&mut h, whole, 3, 29);
        let y = bits(&mut h, &binary::extract_bits(&[0, 1, 2, 3], 3, 29), 29);
        assert_eq!(make_hash2(x), make_hash2(y));
        assert_eq!(make_hash(x), make_hash(y));
        // Maps: the same pairs in any order, flat or trie.
        let pairs: Vec<(Term, Term)> = (0..50).map(|i| (Term::small(i), Term::small(-i))).collect();
        let mut rev = pairs.clone();
        rev.reverse();
        let m1 = map::from_pairs(&mut h, &pairs);
        let m2 = map::from_pairs(&mut h, &rev);
        assert_eq!(make_hash2(m1), make_hash2(m2));
        // A deep term does not overflow the Rust stack.
        let mut t = Term::NIL;
        for _ in 0..200_000 {
            t = h.list(&[t]);
        }
        make_hash2(t);
        make_hash(t);
    }
}
