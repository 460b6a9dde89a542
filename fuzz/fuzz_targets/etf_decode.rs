//! binary_to_term on arbitrary bytes: decoding must never panic, never
//! allocate much more than the input warrants, and whatever decodes must
//! encode again to bytes that decode to the same encoding (a fixed point).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vm::atom;
use vm::etf::{self, DecodeOpts, EncodeOpts, Env};
use vm::heap::Heap;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let env = Env {
        node: atom::atom("nonode@nohost"),
        creation: 0,
        code: None,
    };
    // Mostly `safe`, so that fuzzing does not fill the atom table.
    let opts = DecodeOpts { safe: flags & 3 != 0 };
    let mut heap = Heap::new(256);
    let Ok((t, used)) = etf::decode(&mut heap, bytes, &env, &opts) else {
        return;
    };
    assert!(used <= bytes.len());
    let enc = EncodeOpts {
        compression: (flags >> 4) as u32 % 10,
        ..EncodeOpts::default()
    };
    let once = etf::encode(t, &env, &enc).expect("a decoded term encodes");
    let (t2, used2) = etf::decode(&mut heap, &once, &env, &DecodeOpts::default()).expect("re-decodes");
    assert_eq!(used2, once.len());
    let twice = etf::encode(t2, &env, &enc).expect("encodes again");
    assert_eq!(once, twice);
});
