//! Term → external term format.

use super::*;
use crate::atom;
use crate::binary;
use crate::fun;
use crate::map;
use crate::term::{header_arity, Subtag, Term};

/// `term_to_binary/2` options.
#[derive(Clone, Copy, Debug)]
pub struct EncodeOpts {
    /// zlib level 0..=9; 0 means no compression.
    pub compression: u32,
    /// 0: floats as FLOAT_EXT text; 1 (default): NEW_FLOAT_EXT; 2: atoms
    /// always in UTF-8.
    pub minor_version: u32,
    /// Maps are written with their keys in a deterministic order. Beryl's
    /// maps iterate in key order whatever their size, so this changes
    /// nothing, but it is accepted.
    pub deterministic: bool,
}

impl Default for EncodeOpts {
    fn default() -> Self {
        EncodeOpts {
            compression: 0,
            minor_version: 1,
            deterministic: false,
        }
    }
}

/// Encode a term, version byte included. Terms Beryl cannot represent in
/// the format (match contexts) are `Malformed`.
pub fn encode(t: Term, env: &Env, opts: &EncodeOpts) -> Result<Vec<u8>, Malformed> {
    let mut out = Vec::with_capacity(64);
    out.push(VERSION);
    let mut e = Encoder {
        out,
        env,
        utf8_atoms: opts.minor_version >= 2,
        old_floats: opts.minor_version == 0,
    };
    e.term(t)?;
    let out = e.out;
    if opts.compression > 0 {
        if let Some(c) = compress(&out[1..], opts.compression) {
            return Ok(c);
        }
    }
    Ok(out)
}

/// `[131, 80, size:32, zlib...]` when that is smaller than the plain form.
fn compress(body: &[u8], level: u32) -> Option<Vec<u8>> {
    let size = u32::try_from(body.len()).ok()?;
    let z = miniz_oxide::deflate::compress_to_vec_zlib(body, level.min(9) as u8);
    // OTP keeps the plain encoding unless compressing saves something.
    if z.len() + 5 >= body.len() {
        return None;
    }
    let mut out = Vec::with_capacity(6 + z.len());
    out.push(VERSION);
    out.push(COMPRESSED);
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(&z);
    Some(out)
}

/// What is left to write: a term, or the end of a closure (whose size
/// field is patched once its free variables are written).
enum Work {
    Term(Term),
    FunEnd(usize),
}

struct Encoder<'a, 'b> {
    out: Vec<u8>,
    env: &'a Env<'b>,
    utf8_atoms: bool,
    old_floats: bool,
}

impl Encoder<'_, '_> {
    fn u8(&mut self, b: u8) {
        self.out.push(b);
    }

    fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    /// Lengths the format stores in 32 bits.
    fn len32(&mut self, n: usize) -> Result<(), Malformed> {
        self.u32(u32::try_from(n).map_err(|_| Malformed)?);
        Ok(())
    }

    fn term(&mut self, t: Term) -> Result<(), Malformed> {
        let mut stack = vec![Work::Term(t)];
        while let Some(w) = stack.pop() {
            match w {
                Work::Term(t) => self.one(t, &mut stack)?,
                Work::FunEnd(size_at) => {
                    let size = u32::try_from(self.out.len() - size_at).map_err(|_| Malformed)?;
                    self.out[size_at..size_at + 4].copy_from_slice(&size.to_be_bytes());
                }
            }
        }
        Ok(())
    }

    /// Write one term's header (or the whole of it when it has no
    /// sub-terms); push its sub-terms, last first.
    fn one(&mut self, t: Term, stack: &mut Vec<Work>) -> Result<(), Malformed> {
        if t.is_small() {
            self.integer(t.small_value());
            return Ok(());
        }
        if t.is_atom() {
            self.atom(t);
            return Ok(());
        }
        if t.is_nil() {
            self.u8(NIL_EXT);
            return Ok(());
        }
        if t.is_cons() {
            return self.list(t, stack);
        }
        if t.is_local_pid() {
            let (slot, serial) = crate::sched::ptab::pid_parts(t);
            self.u8(NEW_PID_EXT);
            self.atom(self.env.node);
            self.u32(slot as u32);
            self.u32(serial as u32);
            self.u32(self.env.creation);
            return Ok(());
        }
        if t.is_local_port() {
            let id = t.0 >> 4;
            match u32::try_from(id) {
                Ok(id) => {
                    self.u8(NEW_PORT_EXT);
                    self.atom(self.env.node);
                    self.u32(id);
                }
                Err(_) => {
                    self.u8(V4_PORT_EXT);
                    self.atom(self.env.node);
                    self.out.extend_from_slice(&id.to_be_bytes());
                }
            }
            self.u32(self.env.creation);
            return Ok(());
        }
        if !t.is_boxed() {
            return Err(Malformed);
        }
        match t.subtag() {
            Some(Subtag::Tuple) => {
                let elems = t.tuple_elems();
                if elems.len() <= 255 {
                    self.u8(SMALL_TUPLE_EXT);
                    self.u8(elems.len() as u8);
                } else {
                    self.u8(LARGE_TUPLE_EXT);
                    self.len32(elems.len())?;
                }
                stack.extend(elems.iter().rev().map(|e| Work::Term(*e)));
            }
            Some(Subtag::PosBig | Subtag::NegBig) => self.bignum(t)?,
            Some(Subtag::Float) => self.float(t.float_value()),
            Some(Subtag::FlatMap) => {
                // Keys and values straight from the map: no pair vector.
                let (keys, vals) = map::flat_parts(t);
                self.u8(MAP_EXT);
                self.len32(keys.len())?;
                for (k, v) in keys.iter().zip(vals).rev() {
                    stack.push(Work::Term(*v));
                    stack.push(Work::Term(*k));
                }
            }
            Some(Subtag::HashMap) => {
                let pairs = map::to_vec(t);
                self.u8(MAP_EXT);
                self.len32(pairs.len())?;
                for (k, v) in pairs.iter().rev() {
                    stack.push(Work::Term(*v));
                    stack.push(Work::Term(*k));
                }
            }
            Some(Subtag::HeapBin | Subtag::RefcBin | Subtag::SubBin) => {
                let (data, bits) = binary::bits_of(t);
                let n = bits.div_ceil(8);
                if bits.is_multiple_of(8) {
                    self.u8(BINARY_EXT);
                    self.len32(n)?;
                } else {
                    self.u8(BIT_BINARY_EXT);
                    self.len32(n)?;
                    self.u8((bits % 8) as u8);
                }
                self.out.extend_from_slice(&data[..n]);
            }
            Some(Subtag::Export) => {
                let e = fun::export(t);
                self.u8(EXPORT_EXT);
                self.atom(e.module);
                self.atom(e.function);
                self.integer(e.arity as i64);
            }
            Some(Subtag::Fun) => self.closure(t, stack)?,
            Some(Subtag::Ref) => self.reference(t),
            _ => return Err(Malformed),
        }
        Ok(())
    }

    fn integer(&mut self, i: i64) {
        if (0..=255).contains(&i) {
            self.u8(SMALL_INTEGER_EXT);
            self.u8(i as u8);
        } else if let Ok(v) = i32::try_from(i) {
            self.u8(INTEGER_EXT);
            self.u32(v as u32);
        } else {
            let mag = i.unsigned_abs().to_le_bytes();
            let n = 8 - mag.iter().rev().take_while(|b| **b == 0).count();
            self.u8(SMALL_BIG_EXT);
            self.u8(n as u8);
            self.u8((i < 0) as u8);
            self.out.extend_from_slice(&mag[..n]);
        }
    }

    fn bignum(&mut self, t: Term) -> Result<(), Malformed> {
        let limbs = header_arity(t.header());
        let mut mag: Vec<u8> = Vec::with_capacity(limbs * 8);
        for i in 0..limbs {
            mag.extend_from_slice(&t.boxed_word(i).to_le_bytes());
        }
        while mag.last() == Some(&0) {
            mag.pop();
        }
        let neg = t.subtag() == Some(Subtag::NegBig) && !mag.is_empty();
        // A bignum object that holds a small value (never made by the
        // arithmetic, but cheap to get right).
        if mag.len() <= 8 {
            let mut b = [0u8; 8];
            b[..mag.len()].copy_from_slice(&mag);
            let m = u64::from_le_bytes(b);
            if m < (1 << 62) {
                let v = if neg { -(m as i64) } else { m as i64 };
                if i32::try_from(v).is_ok() {
                    self.integer(v);
                    return Ok(());
                }
            }
        }
        if mag.len() <= 255 {
            self.u8(SMALL_BIG_EXT);
            self.u8(mag.len() as u8);
        } else {
            self.u8(LARGE_BIG_EXT);
            self.len32(mag.len())?;
        }
        self.u8(neg as u8);
        self.out.extend_from_slice(&mag);
        Ok(())
    }

    fn float(&mut self, f: f64) {
        if self.old_floats {
            // FLOAT_EXT: "%.20e", NUL-padded to 31 bytes.
            let s = format!("{:.20e}", f);
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            let text = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
            let mut buf = [0u8; 31];
            let n = text.len().min(31);
            buf[..n].copy_from_slice(&text.as_bytes()[..n]);
            self.u8(FLOAT_EXT);
            self.out.extend_from_slice(&buf);
        } else {
            self.u8(NEW_FLOAT_EXT);
            self.out.extend_from_slice(&f.to_bits().to_be_bytes());
        }
    }

    fn atom(&mut self, a: Term) {
        let name = atom::name(a);
        let latin1 = !self.utf8_atoms && name.chars().all(|c| (c as u32) < 256);
        if latin1 {
            // ATOM_EXT: Latin-1 bytes (at most 255 characters).
            self.u8(ATOM_EXT);
            if name.is_ascii() {
                self.u16(name.len() as u16);
                self.out.extend_from_slice(name.as_bytes());
            } else {
                self.u16(name.chars().count() as u16);
                self.out.extend(name.chars().map(|c| c as u8));
            }
        } else if name.len() <= 255 {
            self.u8(SMALL_ATOM_UTF8_EXT);
            self.u8(name.len() as u8);
            self.out.extend_from_slice(name.as_bytes());
        } else {
            self.u8(ATOM_UTF8_EXT);
            self.u16(name.len() as u16);
            self.out.extend_from_slice(name.as_bytes());
        }
    }

    /// STRING_EXT for short proper lists of bytes, else LIST_EXT.
    fn list(&mut self, t: Term, stack: &mut Vec<Work>) -> Result<(), Malformed> {
        let mut n = 0usize;
        let mut bytes = true;
        let mut cur = t;
        while cur.is_cons() {
            let (h, tl) = cur.cons_parts();
            if bytes && !(h.is_small() && (0..=255).contains(&h.small_value())) {
                bytes = false;
            }
            n += 1;
            cur = tl;
        }
        if bytes && cur.is_nil() && n <= 0xffff {
            self.u8(STRING_EXT);
            self.u16(n as u16);
            for h in t.iter_list() {
                self.u8(h.small_value() as u8);
            }
            return Ok(());
        }
        self.u8(LIST_EXT);
        self.len32(n)?;
        let start = stack.len();
        stack.push(Work::Term(cur));
        stack.extend(t.iter_list().map(Work::Term));
        stack[start + 1..].reverse();
        Ok(())
    }

    /// NEWER_REFERENCE_EXT. A Beryl reference is (number, creator); three
    /// 32-bit words hold it when both fit, five otherwise.
    fn reference(&mut self, t: Term) {
        let (id, creator) = crate::heap::ref_id(t).unwrap_or((0, 0));
        let (lo, hi) = (id & 0x3ffff, id >> 18);
        let words: Vec<u32> = if hi <= u32::MAX as u64 && creator <= u32::MAX as u64 {
            vec![lo as u32, hi as u32, creator as u32]
        } else {
            vec![
                lo as u32,
                hi as u32,
                creator as u32,
                (hi >> 32) as u32,
                (creator >> 32) as u32,
            ]
        };
        self.u8(NEWER_REFERENCE_EXT);
        self.u16(words.len() as u16);
        self.atom(self.env.node);
        self.u32(self.env.creation);
        for w in words {
            self.u32(w);
        }
    }

    /// NEW_FUN_EXT. OTP's 16-byte module checksum is Beryl's fun `uniq`
    /// (big-endian, zero-padded); a closure decodes again only on a node
    /// that has the same module loaded.
    fn closure(&mut self, t: Term, stack: &mut Vec<Work>) -> Result<(), Malformed> {
        let e = fun::entry(t);
        let free = fun::free_vars(t);
        self.u8(NEW_FUN_EXT);
        let size_at = self.out.len();
        self.u32(0);
        self.u8(e.arity as u8);
        let mut uniq = [0u8; 16];
        uniq[..4].copy_from_slice(&e.uniq.to_be_bytes());
        self.out.extend_from_slice(&uniq);
        self.u32(e.index);
        self.len32(free.len())?;
        self.atom(e.module);
        self.integer(e.index as i64);
        // OTP's old uniq is a 32-bit INTEGER_EXT.
        self.u8(INTEGER_EXT);
        self.u32(e.uniq);
        // The creating process is not recorded in a Beryl closure.
        self.u8(NEW_PID_EXT);
        self.atom(self.env.node);
        self.u32(0);
        self.u32(0);
        self.u32(self.env.creation);
        stack.push(Work::FunEnd(size_at));
        stack.extend(free.iter().rev().map(|v| Work::Term(*v)));
        Ok(())
    }
}
