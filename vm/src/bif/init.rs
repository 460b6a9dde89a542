//! The `init` module's arguments (`stop/0,1` is in `system.rs`).
//!
//! `get_plain_arguments/0` gives the arguments the program's `main/1` got.
//! `get_arguments/0` gives the flags OTP's `erl` always has (`root`,
//! `progname`, `home`); Beryl's own command-line flags are not included.

use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("init", "get_plain_arguments", 0, get_plain_arguments as BifFn),
        ("init", "get_arguments", 0, get_arguments),
        ("init", "get_argument", 1, get_argument),
    ] {
        t.push((m, n, a, f));
    }
}

fn get_plain_arguments(c: &mut Ctx, _: &[Term]) -> BifResult {
    let args = c.vm.plain_args.read().map(|a| a.clone()).unwrap_or_default();
    let items: Vec<Term> = args.iter().map(|s| c.proc.heap.string(s)).collect();
    Ok(c.proc.heap.list(&items))
}

fn arguments() -> Vec<(&'static str, String)> {
    vec![
        ("root", "/usr/lib/erlang".to_string()),
        ("progname", "erl".to_string()),
        ("home", std::env::var("HOME").unwrap_or_else(|_| "/".to_string())),
    ]
}

fn get_arguments(c: &mut Ctx, _: &[Term]) -> BifResult {
    let mut items = Vec::new();
    for (k, v) in arguments() {
        let s = c.proc.heap.string(&v);
        let l = c.proc.heap.list(&[s]);
        items.push(c.proc.heap.tuple(&[atom::atom(k), l]));
    }
    Ok(c.proc.heap.list(&items))
}

fn get_argument(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::error(atom::atom("function_clause")));
    }
    let want = atom::name(a[0]);
    for (k, v) in arguments() {
        if k == want {
            let s = c.proc.heap.string(&v);
            let l = c.proc.heap.list(&[s]);
            let ll = c.proc.heap.list(&[l]);
            return Ok(c.proc.heap.tuple(&[atom::OK, ll]));
        }
    }
    Ok(atom::atom("error"))
}
