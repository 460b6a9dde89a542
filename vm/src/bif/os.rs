//! The `os` module: the environment, `cmd/1`, `type/0`, `getpid/0`
//! (`system_time` and `timestamp` are in `time.rs`).
//!
//! `cmd/1` blocks the scheduler thread until the command ends; acceptable
//! for now (OTP runs it through a port).

use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("os", "getenv", 0, getenv0 as BifFn),
        ("os", "getenv", 1, getenv1),
        ("os", "getenv", 2, getenv2),
        ("os", "putenv", 2, putenv),
        ("os", "unsetenv", 1, unsetenv),
        ("os", "cmd", 1, cmd),
        ("os", "cmd", 2, cmd2),
        ("os", "type", 0, os_type),
        ("os", "getpid", 0, getpid),
        ("os", "version", 0, version),
        ("os", "perf_counter", 0, perf_counter),
    ] {
        t.push((m, n, a, f));
    }
}

/// A name or value: a flat list of characters (encoded in UTF-8).
fn text_arg(t: Term) -> Result<OsString, Exc> {
    let s = if t.is_atom() {
        atom::name(t).to_string()
    } else {
        super::file::path_arg(t)
            .ok_or_else(Exc::badarg)?
            .into_os_string()
            .into_string()
            .map_err(|_| Exc::badarg())?
    };
    if s.contains('\0') {
        return Err(Exc::badarg());
    }
    Ok(OsString::from(s))
}

fn string_of(c: &mut Ctx, bytes: &[u8]) -> Term {
    match std::str::from_utf8(bytes) {
        Ok(s) => c.proc.heap.string(s),
        Err(_) => c.proc.heap.byte_list(bytes),
    }
}

fn getenv0(c: &mut Ctx, _: &[Term]) -> BifResult {
    let vars: Vec<Vec<u8>> = std::env::vars_os()
        .map(|(k, v)| {
            let mut b = k.into_vec();
            b.push(b'=');
            b.extend_from_slice(v.as_bytes());
            b
        })
        .collect();
    let items: Vec<Term> = vars.iter().map(|v| string_of(c, v)).collect();
    Ok(c.proc.heap.list(&items))
}

fn getenv1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let k = text_arg(a[0])?;
    if k.is_empty() || k.as_bytes().contains(&b'=') {
        return Ok(atom::FALSE);
    }
    Ok(match std::env::var_os(&k) {
        Some(v) => string_of(c, v.as_bytes()),
        None => atom::FALSE,
    })
}

fn getenv2(c: &mut Ctx, a: &[Term]) -> BifResult {
    match getenv1(c, &a[..1])? {
        t if t == atom::FALSE => Ok(a[1]),
        t => Ok(t),
    }
}

fn putenv(_: &mut Ctx, a: &[Term]) -> BifResult {
    let k = text_arg(a[0])?;
    let v = text_arg(a[1])?;
    if k.is_empty() || k.as_bytes().contains(&b'=') {
        return Err(Exc::badarg());
    }
    std::env::set_var(k, v);
    Ok(atom::TRUE)
}

fn unsetenv(_: &mut Ctx, a: &[Term]) -> BifResult {
    let k = text_arg(a[0])?;
    if k.is_empty() || k.as_bytes().contains(&b'=') {
        return Err(Exc::badarg());
    }
    std::env::remove_var(k);
    Ok(atom::TRUE)
}

fn cmd(c: &mut Ctx, a: &[Term]) -> BifResult {
    let command = text_arg(a[0])?;
    c.vm.flush_stdout();
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output();
    Ok(match out {
        Ok(o) => c.proc.heap.byte_list(&o.stdout),
        Err(_) => Term::NIL,
    })
}

fn cmd2(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[1].is_map() {
        return Err(Exc::badarg());
    }
    cmd(c, &a[..1])
}

fn os_type(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.tuple(&[atom::atom("unix"), atom::atom("linux")]))
}

fn getpid(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.string(&std::process::id().to_string()))
}

fn version(c: &mut Ctx, _: &[Term]) -> BifResult {
    // SAFETY: utsname is plain data; uname fills the struct we pass.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: the pointer is valid for the call.
    if unsafe { libc::uname(&mut u) } != 0 {
        return Ok(c
            .proc
            .heap
            .tuple(&[Term::small(0), Term::small(0), Term::small(0)]));
    }
    let rel: String = u
        .release
        .iter()
        .take_while(|&&ch| ch != 0)
        .map(|&ch| ch as u8 as char)
        .collect();
    let mut parts = rel
        .split(|ch: char| !ch.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().unwrap_or(0));
    let mut n = || parts.next().unwrap_or(0);
    let (x, y, z) = (n(), n(), n());
    Ok(c.proc
        .heap
        .tuple(&[Term::small(x), Term::small(y), Term::small(z)]))
}

/// The monotonic clock in nanoseconds (OTP's perf_counter unit on Linux).
fn perf_counter(c: &mut Ctx, _: &[Term]) -> BifResult {
    // SAFETY: timespec is plain data; zeroed is a valid value for it.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: clock_gettime writes only the struct we pass.
    unsafe {
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts);
    }
    let ns = i128::from(ts.tv_sec) * 1_000_000_000 + i128::from(ts.tv_nsec);
    Ok(c.proc.heap.i128(ns))
}
