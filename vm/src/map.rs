//! Maps: a flat sorted layout up to 32 keys, a hash array mapped trie
//! beyond, as BEAM does.
//!
//! Flat map: `[header(n+1), keys tuple, v1 .. vn]`, keys sorted in the map
//! key order (the exact term order: 1 and 1.0 are different keys).
//!
//! Trie node: `[header(k+2), bitmap (raw), size (small), e1 .. ek]` where
//! each entry is a leaf `[Key | Value]` (a cons cell) or a child node. A
//! node whose bitmap is all ones is a collision node: a list of leaves.

use crate::heap::Heap;
use crate::order;
use crate::term::{header, header_arity, Subtag, Term};
use std::cmp::Ordering;

pub const MAX_FLAT: usize = 32;
const BITS: u32 = 5;
const COLLISION: u64 = u64::MAX;

pub fn is_flat(m: Term) -> bool {
    m.subtag() == Some(Subtag::FlatMap)
}

fn key_cmp(a: Term, b: Term) -> Ordering {
    order::compare(a, b, true)
}

/// The keys tuple and values of a flat map.
pub fn flat_parts<'a>(m: Term) -> (&'a [Term], &'a [Term]) {
    let n = header_arity(m.header()) - 1;
    let keys = Term(m.boxed_word(0)).tuple_elems();
    // SAFETY: a flat map's payload is the keys tuple then n values.
    let vals = unsafe { std::slice::from_raw_parts(m.boxed_ptr().add(2) as *const Term, n) };
    (keys, vals)
}

/// Build a flat map from sorted, distinct keys and their values.
fn flat(heap: &mut Heap, keys: &[Term], vals: &[Term]) -> Term {
    let kt = heap.tuple(keys);
    let n = vals.len();
    let p = heap.alloc(2 + n);
    // SAFETY: 2 + n fresh words.
    unsafe {
        *p = header(Subtag::FlatMap, n + 1);
        *p.add(1) = kt.0;
        for (i, v) in vals.iter().enumerate() {
            *p.add(2 + i) = v.0;
        }
    }
    Term::from_boxed_ptr(p)
}

pub fn empty(heap: &mut Heap) -> Term {
    flat(heap, &[], &[])
}

pub fn size(m: Term) -> usize {
    if is_flat(m) {
        header_arity(m.header()) - 1
    } else {
        Term(m.boxed_word(1)).small_value() as usize
    }
}

// ------------------------------------------------------------ hashing

/// A hash of a term consistent with exact equality (so 1 and 1.0 differ,
/// while 0.0 and -0.0, which are =:= in OTP 25, agree).
pub fn key_hash(t: Term) -> u64 {
    let mut h = Hasher(0x9E37_79B9_7F4A_7C15);
    h.term(t);
    h.finish()
}

struct Hasher(u64);

impl Hasher {
    fn mix(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(0x0100_0000_01B3).rotate_left(29) ^ (x >> 17);
    }
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51afd7ed558ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
        x ^ (x >> 33)
    }
    fn term(&mut self, t: Term) {
        if t.is_immediate() {
            self.mix(t.0);
            return;
        }
        if t.is_cons() {
            self.mix(1);
            let mut cur = t;
            while cur.is_cons() {
                let (h, tl) = cur.cons_parts();
                self.term(h);
                cur = tl;
            }
            self.term(cur);
            return;
        }
        match t.subtag() {
            Some(Subtag::Float) => {
                let f = t.float_value();
                self.mix(3);
                self.mix(if f == 0.0 { 0 } else { f.to_bits() });
            }
            Some(Subtag::Tuple) => {
                self.mix(6);
                for e in t.tuple_elems() {
                    self.term(*e);
                }
            }
            Some(Subtag::FlatMap | Subtag::HashMap) => {
                self.mix(7);
                for (k, v) in to_vec(t) {
                    self.term(k);
                    self.term(v);
                }
            }
            Some(Subtag::HeapBin | Subtag::SubBin | Subtag::RefcBin) => {
                self.mix(10);
                let (bytes, bits) = crate::binary::bits_of(t);
                for b in bytes.iter() {
                    self.mix(*b as u64);
                }
                self.mix(bits as u64);
            }
            _ => {
                // Bignums, refs, funs, pids: hash their words.
                let n = header_arity(t.header());
                self.mix(t.header());
                for i in 0..n {
                    self.mix(t.boxed_word(i));
                }
            }
        }
    }
}

// ------------------------------------------------------------ trie

fn node_parts<'a>(n: Term) -> (u64, usize, &'a [Term]) {
    let arity = header_arity(n.header());
    let bitmap = n.boxed_word(0);
    let sz = Term(n.boxed_word(1)).small_value() as usize;
    // SAFETY: entries follow the bitmap and size words.
    let entries = unsafe { std::slice::from_raw_parts(n.boxed_ptr().add(3) as *const Term, arity - 2) };
    (bitmap, sz, entries)
}

fn node(heap: &mut Heap, bitmap: u64, size: usize, entries: &[Term]) -> Term {
    let k = entries.len();
    let p = heap.alloc(3 + k);
    // SAFETY: 3 + k fresh words.
    unsafe {
        *p = header(Subtag::HashMap, k + 2);
        *p.add(1) = bitmap;
        *p.add(2) = Term::small(size as i64).0;
        for (i, e) in entries.iter().enumerate() {
            *p.add(3 + i) = e.0;
        }
    }
    Term::from_boxed_ptr(p)
}

fn slot(hash: u64, depth: u32) -> u32 {
    ((hash >> (depth * BITS)) & 31) as u32
}

const MAX_DEPTH: u32 = 12;

fn is_leaf(e: Term) -> bool {
    e.is_cons()
}

fn trie_get(mut n: Term, key: Term, hash: u64) -> Option<Term> {
    let mut depth = 0;
    loop {
        let (bitmap, _, entries) = node_parts(n);
        if bitmap == COLLISION {
            return entries
                .iter()
                .map(|e| e.cons_parts())
                .find(|(k, _)| order::exact_equal(*k, key))
                .map(|(_, v)| v);
        }
        let s = slot(hash, depth);
        if bitmap & (1 << s) == 0 {
            return None;
        }
        let idx = (bitmap & ((1u64 << s) - 1)).count_ones() as usize;
        let e = entries[idx];
        if is_leaf(e) {
            let (k, v) = e.cons_parts();
            return if order::exact_equal(k, key) { Some(v) } else { None };
        }
        n = e;
        depth += 1;
    }
}

/// Insert into a trie node; returns the new node and whether the key was new.
fn trie_put(heap: &mut Heap, n: Term, key: Term, val: Term, hash: u64, depth: u32) -> (Term, bool) {
    let (bitmap, size, entries) = node_parts(n);
    if bitmap == COLLISION {
        let mut es: Vec<Term> = entries.to_vec();
        for e in es.iter_mut() {
            if order::exact_equal(e.head(), key) {
                *e = heap.cons(key, val);
                return (node(heap, COLLISION, size, &es), false);
            }
        }
        es.push(heap.cons(key, val));
        return (node(heap, COLLISION, size + 1, &es), true);
    }
    let s = slot(hash, depth);
    let idx = (bitmap & ((1u64 << s) - 1)).count_ones() as usize;
    if bitmap & (1 << s) == 0 {
        let mut es = entries.to_vec();
        es.insert(idx, heap.cons(key, val));
        return (node(heap, bitmap | (1 << s), size + 1, &es), true);
    }
    let e = entries[idx];
    let (new_e, added) = if is_leaf(e) {
        let (k, v) = e.cons_parts();
        if order::exact_equal(k, key) {
            (heap.cons(key, val), false)
        } else {
            // Split into a child holding both leaves.
            (
                two_leaves(heap, k, v, key_hash(k), key, val, hash, depth + 1),
                true,
            )
        }
    } else {
        trie_put(heap, e, key, val, hash, depth + 1)
    };
    let mut es = entries.to_vec();
    es[idx] = new_e;
    (node(heap, bitmap, size + added as usize, &es), added)
}

#[allow(clippy::too_many_arguments)]
fn two_leaves(heap: &mut Heap, k1: Term, v1: Term, h1: u64, k2: Term, v2: Term, h2: u64, depth: u32) -> Term {
    if depth > MAX_DEPTH {
        let a = heap.cons(k1, v1);
        let b = heap.cons(k2, v2);
        return node(heap, COLLISION, 2, &[a, b]);
    }
    let (s1, s2) = (slot(h1, depth), slot(h2, depth));
    if s1 == s2 {
        let child = two_leaves(heap, k1, v1, h1, k2, v2, h2, depth + 1);
        return node(heap, 1 << s1, 2, &[child]);
    }
    let a = heap.cons(k1, v1);
    let b = heap.cons(k2, v2);
    let es = if s1 < s2 { [a, b] } else { [b, a] };
    node(heap, (1 << s1) | (1 << s2), 2, &es)
}

fn trie_remove(heap: &mut Heap, n: Term, key: Term, hash: u64, depth: u32) -> Option<Term> {
    let (bitmap, size, entries) = node_parts(n);
    if bitmap == COLLISION {
        let pos = entries.iter().position(|e| order::exact_equal(e.head(), key))?;
        let mut es = entries.to_vec();
        es.remove(pos);
        return Some(node(heap, COLLISION, size - 1, &es));
    }
    let s = slot(hash, depth);
    if bitmap & (1 << s) == 0 {
        return None;
    }
    let idx = (bitmap & ((1u64 << s) - 1)).count_ones() as usize;
    let e = entries[idx];
    let mut es = entries.to_vec();
    if is_leaf(e) {
        if !order::exact_equal(e.head(), key) {
            return None;
        }
        es.remove(idx);
        return Some(node(heap, bitmap & !(1 << s), size - 1, &es));
    }
    let child = trie_remove(heap, e, key, hash, depth + 1)?;
    let (_, csize, centries) = node_parts(child);
    if csize == 0 {
        es.remove(idx);
        return Some(node(heap, bitmap & !(1 << s), size - 1, &es));
    }
    // A child with a single leaf collapses into the leaf.
    es[idx] = if csize == 1 && centries.len() == 1 && is_leaf(centries[0]) {
        centries[0]
    } else {
        child
    };
    Some(node(heap, bitmap, size - 1, &es))
}

fn trie_collect(n: Term, out: &mut Vec<(Term, Term)>) {
    let (_, _, entries) = node_parts(n);
    for e in entries {
        if is_leaf(*e) {
            out.push(e.cons_parts());
        } else {
            trie_collect(*e, out);
        }
    }
}

// ------------------------------------------------------------ operations

pub fn get(m: Term, key: Term) -> Option<Term> {
    if is_flat(m) {
        let (keys, vals) = flat_parts(m);
        // Small maps: linear search beats binary search on term compares.
        if keys.len() <= 8 {
            return keys
                .iter()
                .position(|k| order::exact_equal(*k, key))
                .map(|i| vals[i]);
        }
        keys.binary_search_by(|k| key_cmp(*k, key)).ok().map(|i| vals[i])
    } else {
        trie_get(m, key, key_hash(key))
    }
}

/// `M#{Key => Value}`.
pub fn put(heap: &mut Heap, m: Term, key: Term, val: Term) -> Term {
    if is_flat(m) {
        let (keys, vals) = flat_parts(m);
        match keys.binary_search_by(|k| key_cmp(*k, key)) {
            Ok(i) => {
                if vals[i] == val {
                    return m;
                }
                let mut vs = vals.to_vec();
                vs[i] = val;
                // Share the keys tuple: only the values change.
                let kt = Term(m.boxed_word(0));
                let n = vs.len();
                let p = heap.alloc(2 + n);
                // SAFETY: 2 + n fresh words.
                unsafe {
                    *p = header(Subtag::FlatMap, n + 1);
                    *p.add(1) = kt.0;
                    for (j, v) in vs.iter().enumerate() {
                        *p.add(2 + j) = v.0;
                    }
                }
                Term::from_boxed_ptr(p)
            }
            Err(i) => {
                if keys.len() < MAX_FLAT {
                    let mut ks = keys.to_vec();
                    let mut vs = vals.to_vec();
                    ks.insert(i, key);
                    vs.insert(i, val);
                    flat(heap, &ks, &vs)
                } else {
                    // Grow into a trie.
                    let pairs: Vec<(Term, Term)> = keys.iter().copied().zip(vals.iter().copied()).collect();
                    let mut t = node(heap, 0, 0, &[]);
                    for (k, v) in pairs {
                        t = trie_put(heap, t, k, v, key_hash(k), 0).0;
                    }
                    trie_put(heap, t, key, val, key_hash(key), 0).0
                }
            }
        }
    } else {
        trie_put(heap, m, key, val, key_hash(key), 0).0
    }
}

/// `M#{Key := Value}`: `None` when the key is missing.
pub fn update(heap: &mut Heap, m: Term, key: Term, val: Term) -> Option<Term> {
    get(m, key)?;
    Some(put(heap, m, key, val))
}

pub fn remove(heap: &mut Heap, m: Term, key: Term) -> Term {
    if is_flat(m) {
        let (keys, vals) = flat_parts(m);
        match keys.binary_search_by(|k| key_cmp(*k, key)) {
            Ok(i) => {
                let mut ks = keys.to_vec();
                let mut vs = vals.to_vec();
                ks.remove(i);
                vs.remove(i);
                flat(heap, &ks, &vs)
            }
            Err(_) => m,
        }
    } else {
        match trie_remove(heap, m, key, key_hash(key), 0) {
            Some(t) if size(t) <= MAX_FLAT => {
                let pairs = to_vec(t);
                from_sorted(heap, &pairs)
            }
            Some(t) => t,
            None => m,
        }
    }
}

/// All pairs, sorted by key in the map key order.
pub fn to_vec(m: Term) -> Vec<(Term, Term)> {
    if is_flat(m) {
        let (keys, vals) = flat_parts(m);
        keys.iter().copied().zip(vals.iter().copied()).collect()
    } else {
        let mut out = Vec::with_capacity(size(m));
        trie_collect(m, &mut out);
        out.sort_by(|a, b| key_cmp(a.0, b.0));
        out
    }
}

/// A map from pairs sorted by key with no duplicates.
fn from_sorted(heap: &mut Heap, pairs: &[(Term, Term)]) -> Term {
    if pairs.len() <= MAX_FLAT {
        // On the stack: small maps are the common case.
        let (mut ks, mut vs) = ([Term::NIL; MAX_FLAT], [Term::NIL; MAX_FLAT]);
        for (i, (k, v)) in pairs.iter().enumerate() {
            ks[i] = *k;
            vs[i] = *v;
        }
        return flat(heap, &ks[..pairs.len()], &vs[..pairs.len()]);
    }
    let mut t = node(heap, 0, 0, &[]);
    for (k, v) in pairs {
        t = trie_put(heap, t, *k, *v, key_hash(*k), 0).0;
    }
    t
}

/// A map from pairs in any order; later duplicates win.
pub fn from_pairs(heap: &mut Heap, pairs: &[(Term, Term)]) -> Term {
    let mut v: Vec<(usize, Term, Term)> = pairs.iter().enumerate().map(|(i, (k, v))| (i, *k, *v)).collect();
    v.sort_by(|a, b| key_cmp(a.1, b.1).then(b.0.cmp(&a.0)));
    v.dedup_by(|b, a| order::exact_equal(a.1, b.1));
    let sorted: Vec<(Term, Term)> = v.into_iter().map(|(_, k, v)| (k, v)).collect();
    from_sorted(heap, &sorted)
}

/// Map order: by size, then keys (map key order), then values.
pub fn compare(a: Term, b: Term, exact: bool) -> Ordering {
    let (sa, sb) = (size(a), size(b));
    if sa != sb {
        return sa.cmp(&sb);
    }
    let (pa, pb) = (to_vec(a), to_vec(b));
    for ((ka, _), (kb, _)) in pa.iter().zip(&pb) {
        let o = key_cmp(*ka, *kb);
        if o != Ordering::Equal {
            return o;
        }
    }
    for ((_, va), (_, vb)) in pa.iter().zip(&pb) {
        let o = order::compare(*va, *vb, exact);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_and_trie_agree() {
        let mut h = Heap::new(1024);
        let mut m = empty(&mut h);
        for i in 0..200 {
            m = put(&mut h, m, Term::small(i * 7), Term::small(i));
        }
        assert!(!is_flat(m));
        assert_eq!(size(m), 200);
        for i in 0..200 {
            assert_eq!(get(m, Term::small(i * 7)), Some(Term::small(i)));
        }
        assert_eq!(get(m, Term::small(3)), None);
        for i in 0..190 {
            m = remove(&mut h, m, Term::small(i * 7));
        }
        assert!(is_flat(m));
        assert_eq!(size(m), 10);
        let v = to_vec(m);
        assert_eq!(v[0].0, Term::small(190 * 7));
    }

    #[test]
    fn integer_and_float_keys_differ() {
        let mut h = Heap::new(64);
        let f = h.float(1.0);
        let mut m = empty(&mut h);
        m = put(&mut h, m, Term::small(1), Term::small(10));
        m = put(&mut h, m, f, Term::small(20));
        assert_eq!(size(m), 2);
        assert_eq!(get(m, Term::small(1)), Some(Term::small(10)));
    }
}
