//! External term format → term on a process heap.
//!
//! The decoder keeps a stack of tasks: "decode the next term into this
//! slot" (a word of a tuple, cons cell, closure or map scratch area already
//! allocated) and "build the map whose keys and values are now decoded".
//! Objects are allocated as their headers are read, their slots filled with
//! `[]` first so that every object is a valid term at every moment; on an
//! error the partly built term is simply unreachable garbage.
//!
//! Sizes: before it pushes `n` slots, the decoder checks that the bytes
//! left cover every pending slot (each needs at least one byte), so the
//! words it allocates are bounded by a small multiple of the input size,
//! whatever the headers claim.

use super::*;
use crate::atom;
use crate::binary;
use crate::fun;
use crate::heap::Heap;
use crate::map;
use crate::order;
use num_bigint::{BigInt, Sign};

/// `binary_to_term/2` options.
#[derive(Clone, Copy, Debug, Default)]
pub struct DecodeOpts {
    /// Refuse to create atoms (and export entries) that do not exist yet.
    pub safe: bool,
}

/// Decode `bytes` (starting with the version byte) into `heap`. Returns
/// the term and how many bytes of the input it used; trailing bytes are
/// ignored, as OTP does.
pub fn decode(
    heap: &mut Heap,
    bytes: &[u8],
    env: &Env,
    opts: &DecodeOpts,
) -> Result<(Term, usize), Malformed> {
    if bytes.first() != Some(&VERSION) {
        return Err(Malformed);
    }
    if bytes.get(1) == Some(&COMPRESSED) {
        let size = u32::from_be_bytes(
            bytes
                .get(2..6)
                .ok_or(Malformed)?
                .try_into()
                .map_err(|_| Malformed)?,
        );
        let (data, consumed) = inflate(&bytes[6..], size as usize)?;
        let (t, used) = Decoder::new(heap, &data, env, opts).run()?;
        if used != data.len() {
            return Err(Malformed);
        }
        return Ok((t, 6 + consumed));
    }
    let (t, used) = Decoder::new(heap, &bytes[1..], env, opts).run()?;
    Ok((t, 1 + used))
}

/// Inflate a zlib stream that must expand to exactly `size` bytes; returns
/// the data and the compressed bytes consumed.
fn inflate(input: &[u8], size: usize) -> Result<(Vec<u8>, usize), Malformed> {
    use miniz_oxide::inflate::stream::{inflate, InflateState};
    use miniz_oxide::{DataFormat, MZFlush, MZStatus};
    // Deflate cannot expand more than 1032:1: a larger claim is a lie, and
    // refusing it before allocating keeps a forged header from reserving
    // gigabytes.
    if size > input.len().saturating_mul(1032).saturating_add(1024) {
        return Err(Malformed);
    }
    let mut out = vec![0u8; size];
    let mut state = InflateState::new_boxed(DataFormat::Zlib);
    let r = inflate(&mut state, input, &mut out, MZFlush::Finish);
    match r.status {
        Ok(MZStatus::StreamEnd) if r.bytes_written == size => Ok((out, r.bytes_consumed)),
        _ => Err(Malformed),
    }
}

enum Task {
    /// Decode the next term into this word.
    Slot(*mut Term),
    /// The keys and values of a map are in `scratch[idx]`; build it into
    /// the word.
    Map(*mut Term, usize),
}

struct Decoder<'a, 'h> {
    heap: &'h mut Heap,
    b: &'a [u8],
    pos: usize,
    env: &'a Env<'a>,
    safe: bool,
    /// Slot tasks on the stack: each still needs a byte of input.
    pending: usize,
    /// Key/value areas of maps being decoded (stable addresses).
    scratch: Vec<Box<[Term]>>,
}

type R<T> = Result<T, Malformed>;

impl<'a, 'h> Decoder<'a, 'h> {
    fn new(heap: &'h mut Heap, b: &'a [u8], env: &'a Env<'a>, opts: &DecodeOpts) -> Self {
        Decoder {
            heap,
            b,
            pos: 0,
            env,
            safe: opts.safe,
            pending: 0,
            scratch: Vec::new(),
        }
    }

    fn run(mut self) -> R<(Term, usize)> {
        let mut root = Term::NIL;
        let mut stack = vec![Task::Slot(&mut root as *mut Term)];
        self.pending = 1;
        while let Some(task) = stack.pop() {
            match task {
                Task::Slot(p) => {
                    self.pending -= 1;
                    self.next(p, &mut stack)?;
                }
                Task::Map(p, idx) => {
                    let m = self.build_map(idx)?;
                    // SAFETY: `p` is a slot of an object allocated by this
                    // decoder (or `root`), alive until the decoder returns.
                    unsafe { *p = m };
                }
            }
        }
        Ok((root, self.pos))
    }

    // ------------------------------------------------------------ bytes

    fn left(&self) -> usize {
        self.b.len() - self.pos
    }

    fn take(&mut self, n: usize) -> R<&'a [u8]> {
        if n > self.left() {
            return Err(Malformed);
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn u8(&mut self) -> R<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> R<u16> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }

    fn u32(&mut self) -> R<u32> {
        let s = self.take(4)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// Reserve `n` more slots: fails unless the input can still hold them.
    fn reserve(&mut self, n: usize) -> R<()> {
        let need = self.pending.checked_add(n).ok_or(Malformed)?;
        if need > self.left() {
            return Err(Malformed);
        }
        self.pending = need;
        Ok(())
    }

    // ------------------------------------------------------------ terms

    /// Decode one term into `*slot`; compound terms push tasks for their
    /// elements.
    fn next(&mut self, slot: *mut Term, stack: &mut Vec<Task>) -> R<()> {
        let tag = self.u8()?;
        let t = match tag {
            SMALL_INTEGER_EXT => Term::small(self.u8()? as i64),
            INTEGER_EXT => Term::small(self.u32()? as i32 as i64),
            SMALL_BIG_EXT => {
                let n = self.u8()? as usize;
                self.big(n)?
            }
            LARGE_BIG_EXT => {
                let n = self.u32()? as usize;
                self.big(n)?
            }
            NEW_FLOAT_EXT => {
                let s = self.take(8)?;
                let f = f64::from_bits(u64::from_be_bytes(s.try_into().map_err(|_| Malformed)?));
                if !f.is_finite() {
                    return Err(Malformed);
                }
                self.heap.float(f)
            }
            FLOAT_EXT => {
                let s = self.take(31)?;
                let text = s.split(|b| *b == 0).next().unwrap_or(&[]);
                let text = std::str::from_utf8(text).map_err(|_| Malformed)?;
                let f: f64 = text.trim().parse().map_err(|_| Malformed)?;
                if !f.is_finite() {
                    return Err(Malformed);
                }
                self.heap.float(f)
            }
            ATOM_EXT | SMALL_ATOM_EXT | ATOM_UTF8_EXT | SMALL_ATOM_UTF8_EXT => self.atom_body(tag)?,
            NIL_EXT => Term::NIL,
            SMALL_TUPLE_EXT | LARGE_TUPLE_EXT => {
                let n = if tag == SMALL_TUPLE_EXT {
                    self.u8()? as usize
                } else {
                    self.u32()? as usize
                };
                self.reserve(n)?;
                let (t, elems) = self.heap.tuple_uninit(n, Term::NIL);
                for i in (0..n).rev() {
                    // SAFETY: `elems` points at the tuple's n fresh slots.
                    stack.push(Task::Slot(unsafe { elems.add(i) }));
                }
                t
            }
            STRING_EXT => {
                let n = self.u16()? as usize;
                let s = self.take(n)?;
                self.heap.byte_list(s)
            }
            LIST_EXT => {
                let n = self.u32()? as usize;
                if n == 0 {
                    // No elements: the list is its tail.
                    self.reserve(1)?;
                    stack.push(Task::Slot(slot));
                    return Ok(());
                }
                self.reserve(n + 1)?;
                let words = n.checked_mul(2).ok_or(Malformed)?;
                let p = self.heap.alloc(words) as *mut Term;
                // SAFETY: 2n fresh words: n cons cells, each linked to the
                // next; the last tail and every head become slots.
                unsafe {
                    for i in 0..n {
                        let cell = p.add(2 * i);
                        *cell = Term::NIL;
                        *cell.add(1) = if i + 1 < n {
                            Term::from_cons_ptr(p.add(2 * i + 2))
                        } else {
                            Term::NIL
                        };
                    }
                    stack.push(Task::Slot(p.add(2 * n - 1)));
                    for i in (0..n).rev() {
                        stack.push(Task::Slot(p.add(2 * i)));
                    }
                }
                Term::from_cons_ptr(p)
            }
            BINARY_EXT => {
                let n = self.u32()? as usize;
                let s = self.take(n)?;
                binary::binary(self.heap, s)
            }
            BIT_BINARY_EXT => {
                let n = self.u32()? as usize;
                let bits = self.u8()? as usize;
                let s = self.take(n)?;
                if n == 0 {
                    if bits != 0 {
                        return Err(Malformed);
                    }
                    binary::binary(self.heap, s)
                } else {
                    if !(1..=8).contains(&bits) {
                        return Err(Malformed);
                    }
                    binary::bitstring(self.heap, s, (n - 1) * 8 + bits)
                }
            }
            MAP_EXT => {
                let n = self.u32()? as usize;
                let slots = n.checked_mul(2).ok_or(Malformed)?;
                self.reserve(slots)?;
                let mut area = vec![Term::NIL; slots].into_boxed_slice();
                let base = area.as_mut_ptr();
                let idx = self.scratch.len();
                self.scratch.push(area);
                stack.push(Task::Map(slot, idx));
                for i in (0..slots).rev() {
                    // SAFETY: the boxed slice's buffer never moves while
                    // `scratch` holds it (until the decoder returns).
                    stack.push(Task::Slot(unsafe { base.add(i) }));
                }
                // The map is written when the Map task runs.
                return Ok(());
            }
            PID_EXT | NEW_PID_EXT => {
                let node = self.inline_atom()?;
                let id = self.u32()? as u64;
                let serial = self.u32()? as u64;
                let creation = if tag == PID_EXT {
                    self.u8()? as u32
                } else {
                    self.u32()?
                };
                if !self.is_local(node, creation) || id >= 1 << 28 || serial >= 1 << 31 {
                    return Err(Malformed);
                }
                Term::pid(id | (serial << 28))
            }
            PORT_EXT | NEW_PORT_EXT | V4_PORT_EXT => {
                let node = self.inline_atom()?;
                let id = if tag == V4_PORT_EXT {
                    u64::from_be_bytes(self.take(8)?.try_into().map_err(|_| Malformed)?)
                } else {
                    self.u32()? as u64
                };
                let creation = if tag == PORT_EXT {
                    self.u8()? as u32
                } else {
                    self.u32()?
                };
                if !self.is_local(node, creation) || id >= 1 << 59 {
                    return Err(Malformed);
                }
                Term::port(id)
            }
            REFERENCE_EXT => {
                let node = self.inline_atom()?;
                let id = self.u32()?;
                let creation = self.u8()? as u32;
                if !self.is_local(node, creation) {
                    return Err(Malformed);
                }
                self.heap.make_ref((id & 0x3ffff) as u64, 0)
            }
            NEW_REFERENCE_EXT | NEWER_REFERENCE_EXT => {
                let len = self.u16()? as usize;
                let node = self.inline_atom()?;
                let creation = if tag == NEW_REFERENCE_EXT {
                    self.u8()? as u32
                } else {
                    self.u32()?
                };
                if !(1..=5).contains(&len) {
                    return Err(Malformed);
                }
                let mut w = [0u64; 5];
                for x in w.iter_mut().take(len) {
                    *x = self.u32()? as u64;
                }
                if !self.is_local(node, creation) {
                    return Err(Malformed);
                }
                let hi = w[1] | (w[3] << 32);
                let creator = w[2] | (w[4] << 32);
                self.heap.make_ref((w[0] & 0x3ffff) | (hi << 18), creator)
            }
            EXPORT_EXT => {
                let m = self.inline_atom()?;
                let f = self.inline_atom()?;
                let a = match self.u8()? {
                    SMALL_INTEGER_EXT => self.u8()? as u32,
                    INTEGER_EXT => {
                        let v = self.u32()? as i32;
                        u32::try_from(v).ok().filter(|a| *a <= 255).ok_or(Malformed)?
                    }
                    _ => return Err(Malformed),
                };
                if !m.is_atom() || !f.is_atom() {
                    return Err(Malformed);
                }
                let code = self.env.code.ok_or(Malformed)?;
                let e = if self.safe {
                    code.find_export(m, f, a).ok_or(Malformed)?
                } else {
                    code.export(m, f, a)
                };
                fun::export_fun(self.heap, e)
            }
            NEW_FUN_EXT => return self.closure(slot, stack),
            _ => return Err(Malformed),
        };
        // SAFETY: `slot` is a word of an object this decoder allocated (or
        // the root), alive and not yet read.
        unsafe { *slot = t };
        Ok(())
    }

    fn is_local(&self, node: Term, creation: u32) -> bool {
        node == self.env.node && (creation == self.env.creation || creation == 0)
    }

    fn big(&mut self, n: usize) -> R<Term> {
        let sign = self.u8()?;
        let mag = self.take(n)?;
        // Any non-zero sign byte means negative, as in OTP.
        let neg = sign != 0;
        let top = mag.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
        if top <= 8 {
            let mut b = [0u8; 8];
            b[..top].copy_from_slice(&mag[..top]);
            let m = u64::from_le_bytes(b);
            if m <= i64::MAX as u64 {
                let v = if neg { -(m as i64) } else { m as i64 };
                return Ok(self.heap.int(v));
            }
        }
        let v = BigInt::from_bytes_le(if neg { Sign::Minus } else { Sign::Plus }, &mag[..top]);
        Ok(self.heap.bigint(&v))
    }

    /// The name bytes of an atom whose tag has been read.
    fn atom_body(&mut self, tag: u8) -> R<Term> {
        let n = match tag {
            ATOM_EXT | ATOM_UTF8_EXT => self.u16()? as usize,
            _ => self.u8()? as usize,
        };
        let bytes = self.take(n)?;
        let name: std::borrow::Cow<str> = match tag {
            // Latin-1: ASCII names are already UTF-8.
            ATOM_EXT | SMALL_ATOM_EXT if bytes.is_ascii() => {
                std::str::from_utf8(bytes).map_err(|_| Malformed)?.into()
            }
            ATOM_EXT | SMALL_ATOM_EXT => bytes.iter().map(|b| *b as char).collect::<String>().into(),
            _ => std::str::from_utf8(bytes).map_err(|_| Malformed)?.into(),
        };
        if name.chars().count() > 255 {
            return Err(Malformed);
        }
        if self.safe {
            atom::existing(&name).ok_or(Malformed)
        } else {
            atom::intern(&name).ok_or(Malformed)
        }
    }

    /// An atom that is a fixed part of a pid, reference, port or fun.
    fn inline_atom(&mut self) -> R<Term> {
        let tag = self.u8()?;
        match tag {
            ATOM_EXT | SMALL_ATOM_EXT | ATOM_UTF8_EXT | SMALL_ATOM_UTF8_EXT => self.atom_body(tag),
            _ => Err(Malformed),
        }
    }

    /// A small integer that is a fixed part of a fun.
    fn inline_int(&mut self) -> R<i64> {
        match self.u8()? {
            SMALL_INTEGER_EXT => Ok(self.u8()? as i64),
            INTEGER_EXT => Ok(self.u32()? as i32 as i64),
            _ => Err(Malformed),
        }
    }

    /// NEW_FUN_EXT: found again by module, index and uniq among the
    /// loaded code's lambdas (see `encode::closure`).
    fn closure(&mut self, slot: *mut Term, stack: &mut Vec<Task>) -> R<()> {
        let start = self.pos - 1;
        let size = self.u32()? as usize;
        let arity = self.u8()? as u32;
        let uniq_bytes = self.take(16)?;
        let uniq = u32::from_be_bytes([uniq_bytes[0], uniq_bytes[1], uniq_bytes[2], uniq_bytes[3]]);
        let index = self.u32()?;
        let nfree = self.u32()? as usize;
        let module = self.inline_atom()?;
        let _old_index = self.inline_int()?;
        let _old_uniq = self.inline_int()?;
        // The creator pid.
        match self.u8()? {
            NEW_PID_EXT => {
                self.inline_atom()?;
                self.take(12)?;
            }
            PID_EXT => {
                self.inline_atom()?;
                self.take(9)?;
            }
            _ => return Err(Malformed),
        }
        if size < self.pos - start || size - (self.pos - start) > self.left() {
            return Err(Malformed);
        }
        let code = self.env.code.ok_or(Malformed)?;
        let module = code.module(module).ok_or(Malformed)?;
        let entry: &'static crate::code::FunEntry = module
            .lambdas
            .iter()
            .copied()
            .find(|e| e.index == index && e.uniq == uniq)
            .ok_or(Malformed)?;
        if entry.arity != arity || entry.free as usize != nfree {
            return Err(Malformed);
        }
        self.reserve(nfree)?;
        let free = vec![Term::NIL; nfree];
        let f = fun::closure(self.heap, entry, &free);
        // SAFETY: `slot` is live (see `next`); the closure's free
        // variables are the nfree words after its entry pointer.
        unsafe {
            *slot = f;
            let base = (f.boxed_ptr() as *mut Term).add(2);
            for i in (0..nfree).rev() {
                stack.push(Task::Slot(base.add(i)));
            }
        }
        Ok(())
    }

    fn build_map(&mut self, idx: usize) -> R<Term> {
        let area = std::mem::take(&mut self.scratch[idx]);
        let mut pairs: Vec<(Term, Term)> = area.chunks_exact(2).map(|kv| (kv[0], kv[1])).collect();
        pairs.sort_by(|a, b| order::compare(a.0, b.0, true));
        if pairs.windows(2).any(|w| order::exact_equal(w[0].0, w[1].0)) {
            return Err(Malformed);
        }
        Ok(map::from_pairs(self.heap, &pairs))
    }
}
