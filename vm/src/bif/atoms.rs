//! Atom conversions.

use super::{char_list, BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("atom_to_list", 1, atom_to_list as BifFn),
        ("list_to_atom", 1, list_to_atom),
        ("list_to_existing_atom", 1, list_to_existing_atom),
        ("atom_to_binary", 1, atom_to_binary),
        ("atom_to_binary", 2, atom_to_binary),
        ("binary_to_atom", 1, binary_to_atom),
        ("binary_to_atom", 2, binary_to_atom),
        ("binary_to_existing_atom", 1, binary_to_existing_atom),
        ("binary_to_existing_atom", 2, binary_to_existing_atom),
    ] {
        t.push(("erlang", n, a, f));
    }
}

fn atom_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    Ok(c.proc.heap.string(atom::name(a[0])))
}

fn make_atom(s: &str) -> BifResult {
    if s.chars().count() > 255 {
        return Err(Exc::system_limit());
    }
    atom::intern(s).ok_or_else(Exc::system_limit)
}

fn list_to_atom(_: &mut Ctx, a: &[Term]) -> BifResult {
    let s = char_list(a[0]).ok_or_else(Exc::badarg)?;
    make_atom(&s)
}

fn list_to_existing_atom(_: &mut Ctx, a: &[Term]) -> BifResult {
    let s = char_list(a[0]).ok_or_else(Exc::badarg)?;
    atom::existing(&s).ok_or_else(Exc::badarg)
}

fn encoding_ok(a: &[Term]) -> Result<bool, Exc> {
    match a.get(1) {
        None => Ok(true),
        Some(&e) if e == atom::atom("utf8") || e == atom::atom("unicode") => Ok(true),
        Some(&e) if e == atom::atom("latin1") => Ok(false),
        Some(_) => Err(Exc::badarg()),
    }
}

fn atom_to_binary(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    let utf8 = encoding_ok(a)?;
    let name = atom::name(a[0]);
    let bytes: Vec<u8> = if utf8 {
        name.as_bytes().to_vec()
    } else {
        name.chars()
            .map(|ch| u8::try_from(ch as u32).map_err(|_| Exc::badarg()))
            .collect::<Result<_, _>>()?
    };
    Ok(crate::binary::binary(&mut c.proc.heap, &bytes))
}

fn binary_name(a: &[Term]) -> Result<String, Exc> {
    let bytes = crate::binary::bytes_of(a[0]).ok_or_else(Exc::badarg)?;
    if encoding_ok(a)? {
        String::from_utf8(bytes.to_vec()).map_err(|_| Exc::badarg())
    } else {
        Ok(bytes.iter().map(|&b| b as char).collect())
    }
}

fn binary_to_atom(_: &mut Ctx, a: &[Term]) -> BifResult {
    make_atom(&binary_name(a)?)
}

fn binary_to_existing_atom(_: &mut Ctx, a: &[Term]) -> BifResult {
    atom::existing(&binary_name(a)?).ok_or_else(Exc::badarg)
}
