//! term_to_binary/1,2 and binary_to_term/1,2 over the codec in `crate::etf`.

use super::{BifFn, Ctx};
use crate::atom;
use crate::binary;
use crate::etf::{self, DecodeOpts, EncodeOpts, Env};
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("term_to_binary", 1, term_to_binary as BifFn),
        ("term_to_binary", 2, term_to_binary),
        ("binary_to_term", 1, binary_to_term),
        ("binary_to_term", 2, binary_to_term),
    ] {
        t.push(("erlang", n, a, f));
    }
}

/// The codec's view of this node.
pub fn env<'a>(c: &'a Ctx) -> Env<'a> {
    Env {
        node: c.vm.node_name(),
        creation: 0,
        code: Some(&c.vm.code),
    }
}

fn encode_opts(t: Term) -> Result<EncodeOpts, Exc> {
    let mut o = EncodeOpts::default();
    let items = t.list_to_vec().ok_or_else(Exc::badarg)?;
    for i in items {
        if i == atom::atom("compressed") {
            o.compression = 6;
        } else if i == atom::atom("deterministic") {
            o.deterministic = true;
        } else if let Some([k, v]) = i.as_tuple() {
            let n = if v.is_small() { v.small_value() } else { -1 };
            if *k == atom::atom("compressed") && (0..=9).contains(&n) {
                o.compression = n as u32;
            } else if *k == atom::atom("minor_version") && (0..=2).contains(&n) {
                o.minor_version = n as u32;
            } else {
                return Err(Exc::badarg());
            }
        } else {
            return Err(Exc::badarg());
        }
    }
    Ok(o)
}

fn term_to_binary(c: &mut Ctx, a: &[Term]) -> BifResult {
    let opts = match a.get(1) {
        Some(o) => encode_opts(*o)?,
        None => EncodeOpts::default(),
    };
    let bytes = etf::encode(a[0], &env(c), &opts).map_err(|_| Exc::badarg())?;
    Ok(binary::binary(&mut c.proc.heap, &bytes))
}

fn binary_to_term(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut opts = DecodeOpts::default();
    let mut used = false;
    if let Some(o) = a.get(1) {
        for i in o.list_to_vec().ok_or_else(Exc::badarg)? {
            if i == atom::atom("safe") {
                opts.safe = true;
            } else if i == atom::atom("used") {
                used = true;
            } else {
                return Err(Exc::badarg());
            }
        }
    }
    let bytes = binary::bytes_of(a[0]).ok_or_else(Exc::badarg)?;
    let env = Env {
        node: c.vm.node_name(),
        creation: 0,
        code: Some(&c.vm.code),
    };
    let (t, n) = etf::decode(&mut c.proc.heap, bytes, &env, &opts).map_err(|_| Exc::badarg())?;
    if used {
        let n = Term::small(n as i64);
        return Ok(c.proc.heap.tuple(&[t, n]));
    }
    Ok(t)
}
