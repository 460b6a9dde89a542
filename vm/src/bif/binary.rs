//! The `binary` module of STDLIB, natively: searching (leftmost, then
//! longest, non-overlapping matches of one or more patterns), splitting,
//! replacing, parts, copies and unsigned encodings. Every error is badarg,
//! as in OTP.

use super::convert::iodata_bytes;
use super::{BifFn, Ctx};
use crate::atom;
use crate::binary;
use crate::heap::to_bigint;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use num_bigint::{BigInt, Sign};

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("split", 2, split as BifFn),
        ("split", 3, split),
        ("part", 2, part),
        ("part", 3, part),
        ("copy", 1, copy),
        ("copy", 2, copy),
        ("match", 2, match_),
        ("match", 3, match_),
        ("matches", 2, matches),
        ("matches", 3, matches),
        ("replace", 3, replace),
        ("replace", 4, replace),
        ("first", 1, first),
        ("last", 1, last),
        ("at", 2, at),
        ("bin_to_list", 1, bin_to_list),
        ("bin_to_list", 2, bin_to_list),
        ("bin_to_list", 3, bin_to_list),
        ("list_to_bin", 1, list_to_bin),
        ("decode_unsigned", 1, decode_unsigned),
        ("decode_unsigned", 2, decode_unsigned),
        ("encode_unsigned", 1, encode_unsigned),
        ("encode_unsigned", 2, encode_unsigned),
        ("longest_common_prefix", 1, longest_common_prefix),
        ("longest_common_suffix", 1, longest_common_suffix),
        ("compile_pattern", 1, compile_pattern),
        ("referenced_byte_size", 1, referenced_byte_size),
    ] {
        t.push(("binary", n, a, f));
    }
}

fn bytes<'a>(t: Term) -> Result<&'a [u8], Exc> {
    binary::bytes_of(t).ok_or_else(Exc::badarg)
}

fn small(t: Term) -> Result<i64, Exc> {
    if t.is_small() {
        Ok(t.small_value())
    } else {
        Err(Exc::badarg())
    }
}

/// A `{Start, Length}` part of a subject of `n` bytes (a negative length
/// counts backwards from Start), as a byte range.
fn range(start: Term, len: Term, n: usize) -> Result<(usize, usize), Exc> {
    let (s, l) = (small(start)?, small(len)?);
    let (from, to) = if l >= 0 {
        (s, s.checked_add(l))
    } else {
        (s + l, Some(s))
    };
    let to = to.ok_or_else(Exc::badarg)?;
    if from < 0 || to as usize > n || s < 0 {
        return Err(Exc::badarg());
    }
    Ok((from as usize, to as usize))
}

fn pair_range(t: Term, n: usize) -> Result<(usize, usize), Exc> {
    match t.as_tuple() {
        Some([s, l]) => range(*s, *l, n),
        _ => Err(Exc::badarg()),
    }
}

// ------------------------------------------------------------ patterns

/// Patterns: one or more non-empty byte strings.
struct Patterns(Vec<Vec<u8>>);

impl Patterns {
    fn from_term(t: Term) -> Result<Patterns, Exc> {
        // A compiled pattern is {bm | ac, [Binary]} (see compile_pattern).
        if let Some([tag, list]) = t.as_tuple() {
            if *tag == atom::atom("bm") || *tag == atom::atom("ac") {
                return Patterns::from_term(*list);
            }
            return Err(Exc::badarg());
        }
        let items = if t.is_list() {
            t.list_to_vec().ok_or_else(Exc::badarg)?
        } else {
            vec![t]
        };
        if items.is_empty() {
            return Err(Exc::badarg());
        }
        let mut v = Vec::with_capacity(items.len());
        for i in items {
            let b = bytes(i)?;
            if b.is_empty() {
                return Err(Exc::badarg());
            }
            v.push(b.to_vec());
        }
        Ok(Patterns(v))
    }

    /// The leftmost, then longest, match starting in `from..to` and ending
    /// by `to`.
    fn find(&self, s: &[u8], from: usize, to: usize) -> Option<(usize, usize)> {
        if let [p] = self.0.as_slice() {
            if p.len() > to - from {
                return None;
            }
            let first = p[0];
            let mut i = from;
            while i + p.len() <= to {
                match s[i..to - p.len() + 1].iter().position(|b| *b == first) {
                    None => return None,
                    Some(k) => i += k,
                }
                if &s[i..i + p.len()] == p.as_slice() {
                    return Some((i, p.len()));
                }
                i += 1;
            }
            return None;
        }
        for i in from..to {
            let best = self
                .0
                .iter()
                .filter(|p| i + p.len() <= to && s[i..i + p.len()] == p[..])
                .map(|p| p.len())
                .max();
            if let Some(l) = best {
                return Some((i, l));
            }
        }
        None
    }

    /// Every non-overlapping match in `from..to`.
    fn find_all(&self, s: &[u8], from: usize, to: usize, global: bool) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut at = from;
        while let Some((p, l)) = self.find(s, at, to) {
            out.push((p, l));
            at = p + l;
            if !global {
                break;
            }
        }
        out
    }
}

#[derive(Default)]
struct Opts {
    global: bool,
    trim: bool,
    trim_all: bool,
    scope: Option<(Term, Term)>,
    insert: Option<Term>,
}

fn opts(t: Option<&Term>, allowed: &[&str]) -> Result<Opts, Exc> {
    let mut o = Opts::default();
    let Some(t) = t else { return Ok(o) };
    for i in t.list_to_vec().ok_or_else(Exc::badarg)? {
        let ok = |n: &str| allowed.contains(&n);
        if i.is_atom() && ok(atom::name(i)) {
            match atom::name(i) {
                "global" => o.global = true,
                "trim" => o.trim = true,
                "trim_all" => o.trim_all = true,
                _ => return Err(Exc::badarg()),
            }
        } else if let Some([k, v]) = i.as_tuple() {
            if *k == atom::atom("scope") {
                match v.as_tuple() {
                    Some([s, l]) => o.scope = Some((*s, *l)),
                    _ => return Err(Exc::badarg()),
                }
            } else if *k == atom::atom("insert_replaced") && ok("insert_replaced") {
                o.insert = Some(*v);
            } else {
                return Err(Exc::badarg());
            }
        } else {
            return Err(Exc::badarg());
        }
    }
    Ok(o)
}

fn scope(o: &Opts, n: usize) -> Result<(usize, usize), Exc> {
    match o.scope {
        None => Ok((0, n)),
        Some((s, l)) => range(s, l, n),
    }
}

// ------------------------------------------------------------ BIFs

fn split(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let p = Patterns::from_term(a[1])?;
    let o = opts(a.get(2), &["global", "trim", "trim_all"])?;
    let (from, to) = scope(&o, s.len())?;
    let found = p.find_all(s, from, to, o.global);
    let mut parts: Vec<(usize, usize)> = Vec::with_capacity(found.len() + 1);
    let mut at = 0;
    for (m, l) in found {
        parts.push((at, m));
        at = m + l;
    }
    parts.push((at, s.len()));
    if o.trim_all {
        parts.retain(|(x, y)| x != y);
    } else if o.trim {
        while parts.last().is_some_and(|(x, y)| x == y) {
            parts.pop();
        }
    }
    let items: Vec<Term> = parts
        .iter()
        .map(|(x, y)| binary::sub(&mut c.proc.heap, a[0], x * 8, (y - x) * 8))
        .collect();
    Ok(c.proc.heap.list(&items))
}

fn part(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let (x, y) = if a.len() == 2 {
        pair_range(a[1], s.len())?
    } else {
        range(a[1], a[2], s.len())?
    };
    Ok(binary::sub(&mut c.proc.heap, a[0], x * 8, (y - x) * 8))
}

fn copy(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let n = match a.get(1) {
        None => 1,
        Some(n) => usize::try_from(small(*n)?).map_err(|_| Exc::badarg())?,
    };
    let total = s.len().checked_mul(n).ok_or_else(Exc::system_limit)?;
    let mut out = Vec::with_capacity(total);
    for _ in 0..n {
        out.extend_from_slice(s);
    }
    Ok(binary::binary(&mut c.proc.heap, &out))
}

fn pos_len(c: &mut Ctx, p: usize, l: usize) -> Term {
    c.proc.heap.tuple(&[Term::small(p as i64), Term::small(l as i64)])
}

fn match_(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let p = Patterns::from_term(a[1])?;
    let o = opts(a.get(2), &[])?;
    let (from, to) = scope(&o, s.len())?;
    match p.find(s, from, to) {
        Some((m, l)) => Ok(pos_len(c, m, l)),
        None => Ok(atom::atom("nomatch")),
    }
}

fn matches(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let p = Patterns::from_term(a[1])?;
    let o = opts(a.get(2), &[])?;
    let (from, to) = scope(&o, s.len())?;
    let found = p.find_all(s, from, to, true);
    let items: Vec<Term> = found.iter().map(|(m, l)| pos_len(c, *m, *l)).collect();
    Ok(c.proc.heap.list(&items))
}

fn replace(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let p = Patterns::from_term(a[1])?;
    let r = bytes(a[2])?;
    let o = opts(a.get(3), &["global", "insert_replaced"])?;
    let (from, to) = scope(&o, s.len())?;
    let mut inserts: Vec<usize> = match o.insert {
        None => vec![],
        Some(t) => {
            let items = if t.is_list() {
                t.list_to_vec().ok_or_else(Exc::badarg)?
            } else {
                vec![t]
            };
            let mut v = Vec::new();
            for i in items {
                let n = usize::try_from(small(i)?).map_err(|_| Exc::badarg())?;
                if n > r.len() {
                    return Err(Exc::badarg());
                }
                v.push(n);
            }
            v
        }
    };
    inserts.sort_unstable();
    let mut out = Vec::with_capacity(s.len());
    let mut at = 0;
    for (m, l) in p.find_all(s, from, to, o.global) {
        out.extend_from_slice(&s[at..m]);
        let mut k = 0;
        for ins in &inserts {
            out.extend_from_slice(&r[k..*ins]);
            out.extend_from_slice(&s[m..m + l]);
            k = *ins;
        }
        out.extend_from_slice(&r[k..]);
        at = m + l;
    }
    out.extend_from_slice(&s[at..]);
    Ok(binary::binary(&mut c.proc.heap, &out))
}

fn first(_: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    s.first().map(|b| Term::small(*b as i64)).ok_or_else(Exc::badarg)
}

fn last(_: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    s.last().map(|b| Term::small(*b as i64)).ok_or_else(Exc::badarg)
}

fn at(_: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let i = usize::try_from(small(a[1])?).map_err(|_| Exc::badarg())?;
    s.get(i).map(|b| Term::small(*b as i64)).ok_or_else(Exc::badarg)
}

fn bin_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let (x, y) = match a.len() {
        1 => (0, s.len()),
        2 => pair_range(a[1], s.len())?,
        _ => range(a[1], a[2], s.len())?,
    };
    Ok(c.proc.heap.byte_list(&s[x..y]))
}

fn list_to_bin(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_list() {
        return Err(Exc::badarg());
    }
    let b = iodata_bytes(a[0])?;
    Ok(binary::binary(&mut c.proc.heap, &b))
}

fn little(t: Option<&Term>) -> Result<bool, Exc> {
    match t {
        None => Ok(false),
        Some(e) if *e == atom::atom("big") => Ok(false),
        Some(e) if *e == atom::atom("little") => Ok(true),
        Some(_) => Err(Exc::badarg()),
    }
}

fn decode_unsigned(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = bytes(a[0])?;
    let v = if little(a.get(1))? {
        BigInt::from_bytes_le(Sign::Plus, s)
    } else {
        BigInt::from_bytes_be(Sign::Plus, s)
    };
    Ok(c.proc.heap.bigint(&v))
}

fn encode_unsigned(c: &mut Ctx, a: &[Term]) -> BifResult {
    let v = to_bigint(a[0]).ok_or_else(Exc::badarg)?;
    let le = little(a.get(1))?;
    if v.sign() == Sign::Minus {
        return Err(Exc::badarg());
    }
    let b = if le { v.to_bytes_le().1 } else { v.to_bytes_be().1 };
    Ok(binary::binary(&mut c.proc.heap, &b))
}

fn common(a: Term, suffix: bool) -> BifResult {
    let items = a.list_to_vec().ok_or_else(Exc::badarg)?;
    let bins: Vec<&[u8]> = items.iter().map(|t| bytes(*t)).collect::<Result<_, _>>()?;
    let (first, rest) = bins.split_first().ok_or_else(Exc::badarg)?;
    let mut n = first.len();
    for b in rest {
        let k = if suffix {
            first
                .iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count()
        } else {
            first.iter().zip(b.iter()).take_while(|(x, y)| x == y).count()
        };
        n = n.min(k);
    }
    Ok(Term::small(n as i64))
}

fn longest_common_prefix(_: &mut Ctx, a: &[Term]) -> BifResult {
    common(a[0], false)
}

fn longest_common_suffix(_: &mut Ctx, a: &[Term]) -> BifResult {
    common(a[0], true)
}

/// OTP returns an opaque `{bm, Ref}` or `{ac, Ref}`; Beryl keeps the
/// validated patterns in the tuple: `{bm, [Binary]}` for one pattern,
/// `{ac, [Binary]}` for several.
fn compile_pattern(c: &mut Ctx, a: &[Term]) -> BifResult {
    let p = Patterns::from_term(a[0])?;
    let tag = atom::atom(if p.0.len() == 1 { "bm" } else { "ac" });
    let items: Vec<Term> = p.0.iter().map(|b| binary::binary(&mut c.proc.heap, b)).collect();
    let list = c.proc.heap.list(&items);
    Ok(c.proc.heap.tuple(&[tag, list]))
}

fn referenced_byte_size(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !binary::is_bitstring(a[0]) {
        return Err(Exc::badarg());
    }
    // A sub-binary references all of its original (and one made by an
    // append may reach past the ProcBin's own size).
    let (base, off) = binary::underlying(a[0]);
    let bits = binary::bit_size(base).max(off + binary::bit_size(a[0]));
    Ok(Term::small(bits.div_ceil(8) as i64))
}
