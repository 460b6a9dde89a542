//! Checksums and digests of iodata: erlang:crc32/1,2, adler32/1,2, md5/1
//! and md5_init/update/final. The algorithms are written out here (a
//! few dozen lines each) rather than pulled in as dependencies.

use super::convert::iodata_bytes;
use super::{BifFn, Ctx};
use crate::binary;
use crate::heap::to_i64;
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("crc32", 1, crc32_1 as BifFn),
        ("crc32", 2, crc32_2),
        ("adler32", 1, adler32_1),
        ("adler32", 2, adler32_2),
        ("md5", 1, md5),
        ("md5_init", 0, md5_init),
        ("md5_update", 2, md5_update),
        ("md5_final", 1, md5_final),
    ] {
        t.push(("erlang", n, a, f));
    }
}

fn u32_arg(t: Term) -> Result<u32, Exc> {
    to_i64(t)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(Exc::badarg)
}

// ---------------------------------------------------------------- crc32

/// zlib's crc32(): IEEE 802.3, reflected (crc32fast: the same function,
/// with the carry-less multiplication instructions where the CPU has them).
pub fn crc32(crc: u32, data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new_with_initial(crc);
    h.update(data);
    h.finalize()
}

fn crc32_1(_: &mut Ctx, a: &[Term]) -> BifResult {
    let d = iodata_bytes(a[0])?;
    Ok(Term::small(crc32(0, &d) as i64))
}

fn crc32_2(_: &mut Ctx, a: &[Term]) -> BifResult {
    let old = u32_arg(a[0])?;
    let d = iodata_bytes(a[1])?;
    Ok(Term::small(crc32(old, &d) as i64))
}

// ---------------------------------------------------------------- adler32

/// zlib's adler32().
pub fn adler32(adler: u32, data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    // 5552 bytes is the most that cannot overflow 32 bits before reducing.
    for chunk in data.chunks(5552) {
        for x in chunk {
            a += *x as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

fn adler32_1(_: &mut Ctx, a: &[Term]) -> BifResult {
    let d = iodata_bytes(a[0])?;
    Ok(Term::small(adler32(1, &d) as i64))
}

fn adler32_2(_: &mut Ctx, a: &[Term]) -> BifResult {
    let old = u32_arg(a[0])?;
    let d = iodata_bytes(a[1])?;
    Ok(Term::small(adler32(old, &d) as i64))
}

// ---------------------------------------------------------------- md5

/// An MD5 computation in progress, laid out as OTP's `MD5_CTX` (88 bytes:
/// state, bit count, buffer) so that md5_init/0 returns a binary of the
/// same size and contents as OTP's.
#[derive(Clone)]
pub struct Md5 {
    state: [u32; 4],
    bits: u64,
    buf: [u8; 64],
}

const MD5_CTX_SIZE: usize = 88;

impl Default for Md5 {
    fn default() -> Self {
        Md5 {
            state: [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476],
            bits: 0,
            buf: [0; 64],
        }
    }
}

impl Md5 {
    pub fn update(&mut self, mut data: &[u8]) {
        let mut used = ((self.bits / 8) % 64) as usize;
        self.bits = self.bits.wrapping_add((data.len() as u64).wrapping_mul(8));
        if used > 0 {
            let n = (64 - used).min(data.len());
            self.buf[used..used + n].copy_from_slice(&data[..n]);
            used += n;
            data = &data[n..];
            if used < 64 {
                return;
            }
            let block = self.buf;
            self.block(&block);
        }
        let mut chunks = data.chunks_exact(64);
        for c in chunks.by_ref() {
            self.block(c.try_into().expect("64 bytes"));
        }
        let rest = chunks.remainder();
        self.buf[..rest.len()].copy_from_slice(rest);
    }

    pub fn finish(mut self) -> [u8; 16] {
        let bits = self.bits;
        let used = ((bits / 8) % 64) as usize;
        let pad = if used < 56 { 56 - used } else { 120 - used };
        let mut tail = vec![0u8; pad];
        tail[0] = 0x80;
        self.update(&tail);
        self.update(&bits.to_le_bytes());
        let mut out = [0u8; 16];
        for (i, s) in self.state.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&s.to_le_bytes());
        }
        out
    }

    fn block(&mut self, b: &[u8; 64]) {
        const S: [u32; 64] = [
            7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
            20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6,
            10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
        ];
        static K: std::sync::OnceLock<[u32; 64]> = std::sync::OnceLock::new();
        let k = K
            .get_or_init(|| std::array::from_fn(|i| ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32));
        let m: Vec<u32> = b
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let [mut a0, mut b0, mut c0, mut d0] = self.state;
        for (i, (s, ki)) in S.iter().zip(k).enumerate() {
            let (f, g) = match i / 16 {
                0 => ((b0 & c0) | (!b0 & d0), i),
                1 => ((d0 & b0) | (!d0 & c0), (5 * i + 1) % 16),
                2 => (b0 ^ c0 ^ d0, (3 * i + 5) % 16),
                _ => (c0 ^ (b0 | !d0), (7 * i) % 16),
            };
            let f = f.wrapping_add(a0).wrapping_add(*ki).wrapping_add(m[g]);
            a0 = d0;
            d0 = c0;
            c0 = b0;
            b0 = b0.wrapping_add(f.rotate_left(*s));
        }
        for (s, v) in self.state.iter_mut().zip([a0, b0, c0, d0]) {
            *s = s.wrapping_add(v);
        }
    }

    fn to_bytes(&self) -> [u8; MD5_CTX_SIZE] {
        let mut out = [0u8; MD5_CTX_SIZE];
        for (i, s) in self.state.iter().enumerate() {
            out[4 * i..4 * i + 4].copy_from_slice(&s.to_le_bytes());
        }
        out[16..20].copy_from_slice(&(self.bits as u32).to_le_bytes());
        out[20..24].copy_from_slice(&((self.bits >> 32) as u32).to_le_bytes());
        out[24..].copy_from_slice(&self.buf);
        out
    }

    fn from_bytes(b: &[u8]) -> Option<Md5> {
        if b.len() != MD5_CTX_SIZE {
            return None;
        }
        let w = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Some(Md5 {
            state: [w(0), w(4), w(8), w(12)],
            bits: w(16) as u64 | ((w(20) as u64) << 32),
            buf: b[24..].try_into().ok()?,
        })
    }
}

fn md5(c: &mut Ctx, a: &[Term]) -> BifResult {
    let d = iodata_bytes(a[0])?;
    let mut m = Md5::default();
    m.update(&d);
    Ok(binary::binary(&mut c.proc.heap, &m.finish()))
}

fn md5_init(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(binary::binary(&mut c.proc.heap, &Md5::default().to_bytes()))
}

fn md5_context(t: Term) -> Result<Md5, Exc> {
    binary::bytes_of(t)
        .and_then(Md5::from_bytes)
        .ok_or_else(Exc::badarg)
}

fn md5_update(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut m = md5_context(a[0])?;
    let d = iodata_bytes(a[1])?;
    m.update(&d);
    Ok(binary::binary(&mut c.proc.heap, &m.to_bytes()))
}

fn md5_final(c: &mut Ctx, a: &[Term]) -> BifResult {
    let m = md5_context(a[0])?;
    Ok(binary::binary(&mut c.proc.heap, &m.finish()))
}

#[cfg(test)]
mod crc_tests {
    /// The definition: bit by bit, reflected, polynomial 0xEDB88320.
    fn reference(crc: u32, data: &[u8]) -> u32 {
        let mut c = !crc;
        for b in data {
            c ^= *b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn crc32_agrees_with_the_definition() {
        let data: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        for len in [0, 1, 7, 8, 15, 16, 63, 64, 100, 1000, 5000] {
            for start in [0u32, 1, 0xDEAD_BEEF] {
                assert_eq!(super::crc32(start, &data[..len]), reference(start, &data[..len]));
            }
        }
        assert_eq!(super::crc32(0, b"123456789"), 0xCBF4_3926);
    }
}
