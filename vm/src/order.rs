//! Erlang's term order and equality.
//!
//! number < atom < reference < fun < port < pid < tuple < map < nil < list
//! < bitstring. Integers and floats compare by value (`==`), or with
//! integers first on a tie (`=:=` and the total order used by sort).

use crate::atom;
use crate::binary;
use crate::heap::to_bigint;
use crate::map;
use crate::term::{header_arity, Subtag, Term};
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use std::cmp::Ordering;

fn class(t: Term) -> u8 {
    if t.is_small() {
        return 0;
    }
    if t.is_atom() {
        return 1;
    }
    if t.is_nil() {
        return 8;
    }
    if t.is_cons() {
        return 9;
    }
    if t.is_local_pid() {
        return 5;
    }
    if t.is_local_port() {
        return 4;
    }
    match t.subtag() {
        Some(Subtag::PosBig | Subtag::NegBig | Subtag::Float) => 0,
        Some(Subtag::Ref | Subtag::ExternalRef) => 2,
        Some(Subtag::Fun | Subtag::Export) => 3,
        Some(Subtag::ExternalPort) => 4,
        Some(Subtag::ExternalPid) => 5,
        Some(Subtag::Tuple) => 6,
        Some(Subtag::FlatMap | Subtag::HashMap) => 7,
        Some(Subtag::HeapBin | Subtag::RefcBin | Subtag::SubBin | Subtag::MatchCtx) => 10,
        None => 11,
    }
}

/// Compare an integer with a float exactly (as OTP does: by value).
fn cmp_int_float(i: &BigInt, f: f64) -> Ordering {
    if f.is_nan() {
        return Ordering::Less;
    }
    // Compare against the float's exact integer part and fraction.
    let fl = f.floor();
    let fi = num_bigint::BigInt::from(fl as i128);
    let exact_fl = if fl.abs() < 1e38 {
        fi
    } else {
        // Big floats are integers; build them exactly.
        float_to_bigint(fl)
    };
    match i.cmp(&exact_fl) {
        Ordering::Equal => {
            if f > fl {
                Ordering::Less
            } else {
                Ordering::Equal
            }
        }
        o => o,
    }
}

/// The exact integer value of an integral float.
pub fn float_to_bigint(f: f64) -> BigInt {
    let bits = f.to_bits();
    let neg = bits >> 63 != 0;
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = if exp == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    let e = exp - 1075;
    let m = BigInt::from(mant);
    let v = if e >= 0 {
        m << e as usize
    } else {
        m >> (-e) as usize
    };
    if neg {
        -v
    } else {
        v
    }
}

/// Compare two numbers by value (1 and 1.0 are equal).
fn cmp_numbers(a: Term, b: Term) -> Ordering {
    if a.is_small() && b.is_small() {
        return a.small_value().cmp(&b.small_value());
    }
    match (a.is_float(), b.is_float()) {
        (true, true) => a
            .float_value()
            .partial_cmp(&b.float_value())
            .unwrap_or(Ordering::Equal),
        (false, false) => {
            let (x, y) = (to_bigint(a).unwrap_or_default(), to_bigint(b).unwrap_or_default());
            x.cmp(&y)
        }
        (false, true) => {
            let x = to_bigint(a).unwrap_or_default();
            let f = b.float_value();
            match x.to_f64() {
                Some(xf) if x.bits() < 53 => xf.partial_cmp(&f).unwrap_or(Ordering::Equal),
                _ => cmp_int_float(&x, f),
            }
        }
        (true, false) => {
            let f = a.float_value();
            let y = to_bigint(b).unwrap_or_default();
            match y.to_f64() {
                Some(yf) if y.bits() < 53 => f.partial_cmp(&yf).unwrap_or(Ordering::Equal),
                _ => cmp_int_float(&y, f).reverse(),
            }
        }
    }
}

/// The term order; 1 and 1.0 compare equal, as `==` does. With `exact`,
/// OTP's map key order (`erts_cmp` with exact set): every integer comes
/// before every float (2 < 1.0), at any depth. It orders and compares map
/// keys, so it decides the order of maps:to_list/1 and of iterators.
pub fn compare(a: Term, b: Term, exact: bool) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (ca, cb) = (class(a), class(b));
    if ca != cb {
        return ca.cmp(&cb);
    }
    match ca {
        0 => {
            if exact && a.is_float() != b.is_float() {
                return if a.is_float() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            cmp_numbers(a, b)
        }
        1 => atom::name(a).as_bytes().cmp(atom::name(b).as_bytes()),
        2 => compare_refs(a, b),
        3 => compare_funs(a, b, exact),
        4 | 5 => compare_ids(a, b),
        6 => {
            let (x, y) = (a.tuple_elems(), b.tuple_elems());
            x.len().cmp(&y.len()).then_with(|| compare_seq(x, y, exact))
        }
        7 => map::compare(a, b, exact),
        8 => Ordering::Equal,
        9 => compare_lists(a, b, exact),
        10 => binary::compare(a, b),
        _ => a.0.cmp(&b.0),
    }
}

fn compare_seq(x: &[Term], y: &[Term], exact: bool) -> Ordering {
    for (p, q) in x.iter().zip(y) {
        let o = compare(*p, *q, exact);
        if o != Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len())
}

fn compare_lists(mut a: Term, mut b: Term, exact: bool) -> Ordering {
    loop {
        match (a.is_cons(), b.is_cons()) {
            (true, true) => {
                let (ha, ta) = a.cons_parts();
                let (hb, tb) = b.cons_parts();
                let o = compare(ha, hb, exact);
                if o != Ordering::Equal {
                    return o;
                }
                a = ta;
                b = tb;
            }
            _ => return compare(a, b, exact),
        }
    }
}

fn compare_refs(a: Term, b: Term) -> Ordering {
    let words = |t: Term| -> Vec<u64> {
        let n = header_arity(t.header());
        (0..n).map(|i| t.boxed_word(i)).collect()
    };
    // Later references compare greater (they hold a counter).
    let (x, y) = (words(a), words(b));
    x.iter().rev().cmp(y.iter().rev())
}

fn compare_ids(a: Term, b: Term) -> Ordering {
    let id = |t: Term| -> u64 {
        if t.is_immediate() {
            t.0 >> 4
        } else {
            t.boxed_word(0)
        }
    };
    id(a).cmp(&id(b))
}

fn compare_funs(a: Term, b: Term, exact: bool) -> Ordering {
    crate::fun::compare(a, b, exact)
}

/// `==`
pub fn equal(a: Term, b: Term) -> bool {
    a == b || compare(a, b, false) == Ordering::Equal
}

/// `=:=`
pub fn exact_equal(a: Term, b: Term) -> bool {
    if a == b {
        return true;
    }
    if a.is_immediate() || b.is_immediate() {
        return false;
    }
    compare(a, b, true) == Ordering::Equal
}
