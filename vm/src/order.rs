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
///
/// Tuples and lists are walked with an explicit stack of pairs still to
/// compare (first pair on top), so nesting depth is limited by memory, not
/// by the native stack.
pub fn compare(a: Term, b: Term, exact: bool) -> Ordering {
    // Inline while small: comparing `{K, V}` pairs (sorting) allocates
    // nothing.
    let mut pending = crate::copy::WorkStack::<(Term, Term)>::new();
    let (mut a, mut b) = (a, b);
    loop {
        let o = match compare_shallow(a, b, exact) {
            Shallow::Done(o) => o,
            Shallow::Tuples(x, y) => {
                for (p, q) in x.iter().zip(y).rev() {
                    pending.push((*p, *q));
                }
                Ordering::Equal
            }
            Shallow::Conses(x, y) => {
                let ((ha, ta), (hb, tb)) = (x.cons_parts(), y.cons_parts());
                pending.push((ta, tb));
                pending.push((ha, hb));
                Ordering::Equal
            }
        };
        if o != Ordering::Equal {
            return o;
        }
        match pending.pop() {
            Some((x, y)) => (a, b) = (x, y),
            None => return Ordering::Equal,
        }
    }
}

/// The outcome of comparing two terms without looking inside them.
enum Shallow<'a> {
    Done(Ordering),
    /// Two tuples of the same size: their elements decide, in order.
    Tuples(&'a [Term], &'a [Term]),
    /// Two list cells: the heads decide, then the tails.
    Conses(Term, Term),
}

fn compare_shallow<'a>(a: Term, b: Term, exact: bool) -> Shallow<'a> {
    if a == b {
        return Shallow::Done(Ordering::Equal);
    }
    let (ca, cb) = (class(a), class(b));
    if ca != cb {
        return Shallow::Done(ca.cmp(&cb));
    }
    Shallow::Done(match ca {
        0 => {
            if exact && a.is_float() != b.is_float() {
                if a.is_float() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            } else {
                cmp_numbers(a, b)
            }
        }
        1 => atom::name(a).as_bytes().cmp(atom::name(b).as_bytes()),
        2 => compare_refs(a, b),
        3 => compare_funs(a, b, exact),
        4 | 5 => compare_ids(a, b),
        6 => {
            let (x, y) = (a.tuple_elems(), b.tuple_elems());
            if x.len() != y.len() {
                x.len().cmp(&y.len())
            } else {
                return Shallow::Tuples(x, y);
            }
        }
        7 => map::compare(a, b, exact),
        8 => Ordering::Equal,
        9 => {
            if a.is_cons() && b.is_cons() {
                return Shallow::Conses(a, b);
            }
            // [] against a cell: the empty list is smaller.
            a.is_cons().cmp(&b.is_cons())
        }
        10 => binary::compare(a, b),
        _ => a.0.cmp(&b.0),
    })
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
///
/// Out of line: the interpreter's loop calls it on the slow path of
/// `is_eq_exact`, and inlined there it crowded the loop's registers.
#[inline(never)]
pub fn exact_equal(a: Term, b: Term) -> bool {
    if a == b {
        return true;
    }
    if a.is_immediate() || b.is_immediate() {
        return false;
    }
    compare(a, b, true) == Ordering::Equal
}
