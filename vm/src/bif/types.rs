//! Type tests as BIFs (the compiler uses test instructions in guards; these
//! serve value contexts and apply).

use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    macro_rules! test {
        ($name:literal, $pred:expr) => {
            t.push(("erlang", $name, 1, |_: &mut Ctx, a: &[Term]| {
                Ok(Term::boolean(($pred)(a[0])))
            }));
        };
    }
    test!("is_atom", |x: Term| x.is_atom());
    test!("is_integer", |x: Term| x.is_integer());
    test!("is_float", |x: Term| x.is_float());
    test!("is_number", |x: Term| x.is_number());
    test!("is_list", |x: Term| x.is_list());
    test!("is_tuple", |x: Term| x.is_tuple());
    test!("is_pid", |x: Term| x.is_pid());
    test!("is_port", |x: Term| x.is_port());
    test!("is_reference", |x: Term| x.is_reference());
    test!("is_function", |x: Term| x.is_fun());
    test!("is_boolean", |x: Term| x.is_boolean());
    test!("is_map", |x: Term| x.is_map());
    test!("is_binary", crate::binary::is_binary);
    test!("is_bitstring", crate::binary::is_bitstring);
    t.push(("erlang", "is_function", 2, is_function2));
    t.push(("erlang", "is_record", 2, is_record2));
    t.push(("erlang", "is_record", 3, is_record3));
}

fn is_function2(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !(a[1].is_small() && a[1].small_value() >= 0) {
        return Err(Exc::badarg());
    }
    Ok(Term::boolean(
        a[0].is_fun() && crate::fun::arity(a[0]) as i64 == a[1].small_value(),
    ))
}

fn is_record2(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[1].is_atom() {
        return Err(Exc::badarg());
    }
    Ok(Term::boolean(
        a[0].as_tuple().is_some_and(|e| !e.is_empty() && e[0] == a[1]),
    ))
}

fn is_record3(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[1].is_atom() || !a[2].is_small() {
        return Err(Exc::badarg());
    }
    let n = a[2].small_value();
    Ok(Term::boolean(a[0].as_tuple().is_some_and(|e| {
        e.len() as i64 == n && !e.is_empty() && e[0] == a[1]
    })))
}

#[allow(dead_code)]
fn unused() -> Term {
    atom::TRUE
}
