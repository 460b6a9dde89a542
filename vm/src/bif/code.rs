//! The `code` module: loading on demand, the code path, where modules
//! come from.
//!
//! Beryl loads modules from source: a module found on the code path comes
//! from `Dir/M.erl`, which `which/1` and `is_loaded/1` give (OTP gives the
//! `.beam` file). Modules carried in the binary (the standard library
//! written in Erlang) and modules of native functions (`erlang`, `os`...)
//! are all `preloaded` (OTP gives a path under its `lib` directory for the
//! standard library, `preloaded` only for `erlang`, `init` and a few
//! others). Searching the file system blocks the scheduler thread briefly.

use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("code", "ensure_loaded", 1, ensure_loaded as BifFn),
        ("code", "is_loaded", 1, is_loaded),
        ("code", "which", 1, which),
        ("code", "add_patha", 1, add_patha),
        ("code", "add_pathz", 1, add_pathz),
        ("code", "add_path", 1, add_pathz),
        ("code", "get_path", 0, get_path),
        ("code", "del_path", 1, del_path),
        ("code", "root_dir", 0, root_dir),
        ("code", "lib_dir", 0, lib_dir),
        ("code", "all_loaded", 0, all_loaded),
        ("code", "is_module_native", 1, is_module_native),
    ] {
        t.push((m, n, a, f));
    }
}

const ROOT: &str = "/usr/lib/erlang";

fn module_arg(t: Term) -> Result<Term, Exc> {
    if t.is_atom() {
        Ok(t)
    } else {
        Err(Exc::error(atom::atom("function_clause")))
    }
}

/// The source file of a module on the code path.
fn on_path(c: &Ctx, m: Term) -> Option<PathBuf> {
    let dirs = c.vm.code_path.read().ok()?.clone();
    dirs.iter()
        .map(|d| d.join(format!("{}.erl", atom::name(m))))
        .find(|p| p.is_file())
}

fn loaded(c: &Ctx, m: Term) -> bool {
    c.vm.code.module(m).is_some() || super::is_native_module(atom::name(m))
}

/// Where a loaded module came from: its file or `preloaded`.
fn origin(c: &mut Ctx, m: Term) -> Term {
    match on_path(c, m) {
        Some(p) if c.vm.code.module(m).is_some() => path_term(c, &p),
        _ => atom::atom("preloaded"),
    }
}

fn path_term(c: &mut Ctx, p: &std::path::Path) -> Term {
    match p.to_str() {
        Some(s) => c.proc.heap.string(s),
        None => c.proc.heap.byte_list(p.as_os_str().as_bytes()),
    }
}

fn ensure_loaded(c: &mut Ctx, a: &[Term]) -> BifResult {
    let m = module_arg(a[0])?;
    if loaded(c, m) || c.vm.ensure_loaded(m) {
        Ok(c.proc.heap.tuple(&[atom::atom("module"), m]))
    } else {
        Ok(c.proc.heap.tuple(&[atom::atom("error"), atom::atom("nofile")]))
    }
}

fn is_loaded(c: &mut Ctx, a: &[Term]) -> BifResult {
    let m = module_arg(a[0])?;
    if !loaded(c, m) {
        return Ok(atom::FALSE);
    }
    let o = origin(c, m);
    Ok(c.proc.heap.tuple(&[atom::atom("file"), o]))
}

fn which(c: &mut Ctx, a: &[Term]) -> BifResult {
    let m = module_arg(a[0])?;
    if loaded(c, m) {
        return Ok(origin(c, m));
    }
    if let Some(p) = on_path(c, m) {
        return Ok(path_term(c, &p));
    }
    // A module of the standard library carried in the binary.
    if c.vm.ensure_loaded(m) {
        return Ok(atom::atom("preloaded"));
    }
    Ok(atom::atom("non_existing"))
}

fn add_path(c: &mut Ctx, t: Term, front: bool) -> BifResult {
    let Some(dir) = super::file::path_arg(t) else {
        return Err(Exc::error(atom::atom("function_clause")));
    };
    if !dir.is_dir() {
        return Ok(c
            .proc
            .heap
            .tuple(&[atom::atom("error"), atom::atom("bad_directory")]));
    }
    if let Ok(mut p) = c.vm.code_path.write() {
        p.retain(|d| *d != dir);
        if front {
            p.insert(0, dir);
        } else {
            p.push(dir);
        }
    }
    c.vm.forget_failures();
    Ok(atom::TRUE)
}

fn add_patha(c: &mut Ctx, a: &[Term]) -> BifResult {
    add_path(c, a[0], true)
}

fn add_pathz(c: &mut Ctx, a: &[Term]) -> BifResult {
    add_path(c, a[0], false)
}

fn get_path(c: &mut Ctx, _: &[Term]) -> BifResult {
    let dirs = c.vm.code_path.read().map(|d| d.clone()).unwrap_or_default();
    let items: Vec<Term> = dirs.iter().map(|d| path_term(c, d)).collect();
    Ok(c.proc.heap.list(&items))
}

fn root_dir(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.string(ROOT))
}

fn lib_dir(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.string(&format!("{ROOT}/lib")))
}

fn all_loaded(c: &mut Ctx, _: &[Term]) -> BifResult {
    let mods = c.vm.code.loaded_modules();
    let mut items = Vec::with_capacity(mods.len());
    for m in mods {
        let o = origin(c, m);
        items.push(c.proc.heap.tuple(&[m, o]));
    }
    Ok(c.proc.heap.list(&items))
}

fn is_module_native(c: &mut Ctx, a: &[Term]) -> BifResult {
    let m = module_arg(a[0])?;
    Ok(if loaded(c, m) {
        atom::FALSE
    } else {
        atom::UNDEFINED
    })
}

/// del_path(Dir | Name): removes the directory, or one whose last
/// component is `Name`; true when one was there.
fn del_path(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(dir) = super::file::path_arg(a[0]) else {
        return Ok(c.proc.heap.tuple(&[atom::atom("error"), atom::atom("bad_name")]));
    };
    let mut found = false;
    if let Ok(mut p) = c.vm.code_path.write() {
        let by_name = a[0].is_atom();
        if let Some(i) = p
            .iter()
            .position(|d| *d == dir || (by_name && d.file_name() == Some(dir.as_os_str())))
        {
            p.remove(i);
            found = true;
        }
    }
    Ok(Term::boolean(found))
}
