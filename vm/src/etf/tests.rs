//! The codec against mutated valid encodings: nothing panics, and what
//! decodes encodes to a fixed point. (`fuzz/` has the coverage-guided
//! version of this test; this one runs with `cargo test`.)

use super::*;
use crate::atom;
use crate::heap::Heap;

fn env() -> Env<'static> {
    Env {
        node: atom::atom("nonode@nohost"),
        creation: 0,
        code: None,
    }
}

/// Encodings made by OTP 25.
const SEEDS: &[&[u8]] = &[
    &[131, 100, 0, 3, 97, 98, 99],
    &[131, 119, 2, 206, 169],
    &[131, 70, 63, 248, 0, 0, 0, 0, 0, 0],
    &[131, 98, 255, 255, 255, 255],
    &[131, 110, 6, 0, 0, 0, 0, 0, 0, 1],
    &[131, 107, 0, 3, 97, 98, 99],
    &[131, 108, 0, 0, 0, 1, 97, 1, 97, 2],
    &[131, 109, 0, 0, 0, 3, 1, 2, 3],
    &[131, 77, 0, 0, 0, 1, 3, 32],
    &[131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 100, 0, 1, 97, 97, 1],
    &[
        131, 104, 3, 97, 1, 108, 0, 0, 0, 2, 104, 0, 106, 106, 116, 0, 0, 0, 0,
    ],
    &[
        131, 88, 100, 0, 13, 110, 111, 110, 111, 100, 101, 64, 110, 111, 104, 111, 115, 116, 0, 0, 0, 9, 0,
        0, 0, 0, 0, 0, 0, 0,
    ],
    &[
        131, 90, 0, 3, 100, 0, 13, 110, 111, 110, 111, 100, 101, 64, 110, 111, 104, 111, 115, 116, 0, 0, 0,
        0, 0, 1, 121, 129, 219, 112, 0, 2, 205, 224, 147, 80,
    ],
    &[
        131, 80, 0, 0, 0, 103, 120, 156, 203, 102, 72, 73, 164, 3, 0, 0, 204, 203, 38, 180,
    ],
    &[
        131, 99, 49, 46, 53, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 101,
        43, 48, 48, 0, 0, 0, 0, 0,
    ],
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(r: &mut Rng, v: &mut Vec<u8>) {
    for _ in 0..1 + r.below(4) {
        match r.below(6) {
            0 if !v.is_empty() => {
                let i = r.below(v.len());
                v[i] ^= 1 << r.below(8);
            }
            1 if !v.is_empty() => {
                let i = r.below(v.len());
                v[i] = [0, 1, 127, 128, 255][r.below(5)];
            }
            2 if !v.is_empty() => {
                let i = r.below(v.len());
                v.truncate(i);
            }
            3 => {
                let i = r.below(v.len() + 1);
                v.insert(i, r.next() as u8);
            }
            4 if v.len() > 2 => {
                let i = 1 + r.below(v.len() - 1);
                v.remove(i);
            }
            _ => {
                let other = SEEDS[r.below(SEEDS.len())];
                let i = r.below(v.len() + 1);
                v.splice(i..i, other[1..].iter().copied());
            }
        }
    }
}

#[test]
fn seeds_round_trip() {
    let env = env();
    for s in SEEDS {
        let mut heap = Heap::new(256);
        let (t, used) = decode(&mut heap, s, &env, &DecodeOpts::default()).expect("an OTP encoding decodes");
        assert_eq!(used, s.len());
        let again = encode(t, &env, &EncodeOpts::default()).expect("encodes");
        if s[1] != COMPRESSED && s[1] != FLOAT_EXT {
            assert_eq!(&again[..], *s, "OTP's bytes for {t:?}");
        }
    }
}

#[test]
fn mutated_encodings_never_panic() {
    let env = env();
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut decoded = 0;
    for i in 0..20_000 {
        let mut v = SEEDS[i % SEEDS.len()].to_vec();
        mutate(&mut r, &mut v);
        let mut heap = Heap::new(256);
        // `safe`: random atoms would fill the global atom table.
        let Ok((t, used)) = decode(&mut heap, &v, &env, &DecodeOpts { safe: true }) else {
            continue;
        };
        decoded += 1;
        assert!(used <= v.len());
        let once = encode(t, &env, &EncodeOpts::default()).expect("encodes");
        let (t2, _) = decode(&mut heap, &once, &env, &DecodeOpts::default()).expect("re-decodes");
        let twice = encode(t2, &env, &EncodeOpts::default()).expect("encodes again");
        assert_eq!(once, twice);
    }
    assert!(decoded > 1000, "only {decoded} mutants decoded");
}

#[test]
fn forged_sizes_are_refused_before_allocating() {
    let env = env();
    let mut heap = Heap::new(256);
    for s in [
        &[131, 104, 255][..],
        &[131, 105, 255, 255, 255, 255],
        &[131, 108, 255, 255, 255, 255, 106],
        &[131, 116, 255, 255, 255, 255],
        &[131, 109, 255, 255, 255, 255],
        &[131, 111, 255, 255, 255, 255, 0],
        &[131, 80, 255, 255, 255, 255, 120, 156, 3, 0],
    ] {
        assert!(decode(&mut heap, s, &env, &DecodeOpts::default()).is_err());
    }
    assert!(heap.used_words() < 64);
}
