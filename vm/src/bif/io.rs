//! Standard output: io:format and friends, io_lib:format.

use super::format::{format, iolist_chars};
use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use std::io::Write;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("io", "format", 1, format1 as BifFn),
        ("io", "format", 2, format2),
        ("io", "format", 3, format3),
        ("io", "fwrite", 1, format1),
        ("io", "fwrite", 2, format2),
        ("io", "fwrite", 3, format3),
        ("io", "put_chars", 1, put_chars),
        ("io", "put_chars", 2, put_chars2),
        ("io", "nl", 0, nl),
        ("io", "nl", 1, nl1),
        ("io", "write", 1, write),
        ("io_lib", "format", 2, io_lib_format),
        ("io_lib", "fwrite", 2, io_lib_format),
        ("erlang", "display", 1, display),
    ] {
        t.push((m, n, a, f));
    }
}

/// Write to standard output as OTP's standard_io does with its default
/// latin1 encoding: characters up to 255 as one byte each, others as
/// `\x{HEX}`.
fn out(c: &mut Ctx, s: &str) {
    out_to(c, Device::Stdout, s)
}

#[derive(Clone, Copy, PartialEq)]
enum Device {
    Stdout,
    Stderr,
}

/// The device an io function writes to; badarg for unknown ones.
fn device(d: Term) -> Result<Device, Exc> {
    if d == atom::atom("standard_error") {
        Ok(Device::Stderr)
    } else if d == atom::atom("standard_io") || d == atom::atom("user") || d.is_pid() {
        Ok(Device::Stdout)
    } else {
        Err(Exc::badarg())
    }
}

fn out_to(c: &mut Ctx, dev: Device, s: &str) {
    let mut bytes = Vec::with_capacity(s.len());
    for ch in s.chars() {
        let v = ch as u32;
        if v <= 255 {
            bytes.push(v as u8);
        } else {
            bytes.extend_from_slice(format!("\\x{{{v:X}}}").as_bytes());
        }
    }
    match dev {
        Device::Stdout => {
            if let Ok(mut o) = c.vm.stdout.lock() {
                let _ = o.write_all(&bytes);
            }
        }
        Device::Stderr => {
            // What went to standard output so far comes first.
            c.vm.flush_stdout();
            let _ = std::io::stderr().lock().write_all(&bytes);
        }
    }
}

fn fmt_chars(t: Term) -> Result<Vec<char>, Exc> {
    let mut s = String::new();
    iolist_chars(t, true, &mut s).map_err(|_| Exc::badarg())?;
    Ok(s.chars().collect())
}

fn do_format(fmt: Term, args: Term) -> Result<String, Exc> {
    let f = fmt_chars(fmt)?;
    let a = args.list_to_vec().ok_or_else(Exc::badarg)?;
    format(&f, &a).map_err(|_| Exc::badarg())
}

fn format1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = do_format(a[0], Term::NIL)?;
    out(c, &s);
    Ok(atom::OK)
}

fn format2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = do_format(a[0], a[1])?;
    out(c, &s);
    Ok(atom::OK)
}

fn device_ok(d: Term) -> bool {
    d == atom::atom("standard_io") || d == atom::atom("user") || d.is_pid()
}

fn format3(c: &mut Ctx, a: &[Term]) -> BifResult {
    let dev = device(a[0])?;
    let s = do_format(a[1], a[2])?;
    out_to(c, dev, &s);
    Ok(atom::OK)
}

fn put_chars(c: &mut Ctx, a: &[Term]) -> BifResult {
    put_chardata(c, Device::Stdout, a[0])
}

fn put_chars2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let dev = device(a[0])?;
    put_chardata(c, dev, a[1])
}

/// Write chardata as one `writev` sequence pointing into its binaries
/// (`iov.rs`), the lock on standard output held throughout so that the
/// output of one call stays together.
fn put_chardata(c: &mut Ctx, dev: Device, t: Term) -> BifResult {
    let Ok(iov) = crate::iov::Iov::of_chardata(t, &c.vm.iov) else {
        // Not plain chardata (an atom, say): the general path decides.
        let mut s = String::new();
        iolist_chars(t, true, &mut s).map_err(|_| Exc::badarg())?;
        out_to(c, dev, &s);
        return Ok(atom::OK);
    };
    match dev {
        Device::Stdout => {
            if let Ok(mut o) = c.vm.stdout.lock() {
                match o.raw_fd() {
                    Some(fd) => {
                        let _ = o.flush();
                        let _ = iov.write_to_fd(fd, &c.vm.iov);
                    }
                    None => {
                        let _ = o.write_all(&iov.to_vec());
                    }
                }
            }
        }
        Device::Stderr => {
            c.vm.flush_stdout();
            let _ = iov.write_to_fd(2, &c.vm.iov);
        }
    }
    Ok(atom::OK)
}

fn nl(c: &mut Ctx, _: &[Term]) -> BifResult {
    out(c, "\n");
    Ok(atom::OK)
}

fn nl1(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !device_ok(a[0]) {
        return Err(Exc::badarg());
    }
    nl(c, &[])
}

fn write(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = crate::print::write(a[0]);
    out(c, &s);
    Ok(atom::OK)
}

fn io_lib_format(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = do_format(a[0], a[1])?;
    Ok(c.proc.heap.string(&s))
}

fn display(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = crate::print::write(a[0]);
    out(c, &s);
    out(c, "\n");
    Ok(atom::TRUE)
}
