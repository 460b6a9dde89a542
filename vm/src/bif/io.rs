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
        ("io", "write", 2, write2),
        ("io", "get_line", 1, get_line),
        ("io", "get_line", 2, get_line2),
        ("io", "read", 1, read),
        ("io", "read", 2, read2),
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
    /// A file opened with file:open (see `bif/file.rs`).
    File(Term),
}

/// The device an io function writes to; badarg for unknown ones.
fn device(d: Term) -> Result<Device, Exc> {
    if d == atom::atom("standard_error") {
        Ok(Device::Stderr)
    } else if d == atom::atom("standard_io") || d == atom::atom("user") || d.is_pid() {
        Ok(Device::Stdout)
    } else if super::file::is_handle(d) {
        Ok(Device::File(d))
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
        Device::File(h) => {
            let _ = super::file::write_to(h, &bytes);
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
        Device::File(h) => {
            let _ = super::file::write_to(h, &iov.to_vec());
        }
    }
    Ok(atom::OK)
}

fn nl(c: &mut Ctx, _: &[Term]) -> BifResult {
    out(c, "\n");
    Ok(atom::OK)
}

fn nl1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let dev = device(a[0])?;
    out_to(c, dev, "\n");
    Ok(atom::OK)
}

fn write(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = crate::print::write(a[0]);
    out(c, &s);
    Ok(atom::OK)
}

fn write2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let dev = device(a[0])?;
    let s = crate::print::write(a[1]);
    out_to(c, dev, &s);
    Ok(atom::OK)
}

/// A prompt as io prints it: characters, an atom's name, else `~w`.
fn prompt_text(t: Term) -> String {
    let mut prompt = String::new();
    if iolist_chars(t, true, &mut prompt).is_ok() {
        prompt
    } else if t.is_atom() {
        crate::atom::name(t).to_string()
    } else {
        crate::print::write(t)
    }
}

/// io:get_line/1: the prompt, then a line of standard input (with its
/// newline), `eof` at its end. Reading blocks the scheduler thread, which
/// is acceptable for now (OTP reads through the group leader's port).
fn get_line(c: &mut Ctx, a: &[Term]) -> BifResult {
    use std::io::BufRead;
    let prompt = prompt_text(a[0]);
    out(c, &prompt);
    c.vm.flush_stdout();
    let mut line = Vec::new();
    match std::io::stdin().lock().read_until(b'\n', &mut line) {
        Ok(0) => Ok(atom::atom("eof")),
        Ok(_) => Ok(match std::str::from_utf8(&line) {
            Ok(s) => c.proc.heap.string(s),
            Err(_) => c.proc.heap.byte_list(&line),
        }),
        Err(_) => Ok(c
            .proc
            .heap
            .tuple(&[atom::atom("error"), atom::atom("terminated")])),
    }
}

/// io:read/1: the prompt, then one term ended by a full stop from standard
/// input: `{ok, Term}`, `eof`, or `{error, {Line, erl_parse, Message}}`.
/// Only literal terms are read; the rest of the line after the full stop
/// is dropped (OTP keeps it for the next read).
fn read(c: &mut Ctx, a: &[Term]) -> BifResult {
    use std::io::BufRead;
    let prompt = prompt_text(a[0]);
    out(c, &prompt);
    c.vm.flush_stdout();
    let mut text = String::new();
    loop {
        let mut line = Vec::new();
        match std::io::stdin().lock().read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => {
                if text.trim().is_empty() {
                    return Ok(atom::atom("eof"));
                }
                break;
            }
            Ok(_) => {
                text.push_str(&String::from_utf8_lossy(&line));
                if super::file::has_full_stop(&text) {
                    break;
                }
            }
        }
    }
    Ok(match super::file::read_terms(c, &text, 1) {
        Ok(terms) => match terms.first() {
            Some(&t) => c.proc.heap.tuple(&[atom::OK, t]),
            None => atom::atom("eof"),
        },
        Err(reason) => c.proc.heap.tuple(&[atom::atom("error"), reason]),
    })
}

fn read2(c: &mut Ctx, a: &[Term]) -> BifResult {
    device(a[0])?;
    read(c, &a[1..])
}

fn get_line2(c: &mut Ctx, a: &[Term]) -> BifResult {
    match device(a[0])? {
        Device::File(h) => super::file::io_get_line(c, h),
        _ => get_line(c, &a[1..]),
    }
}

fn io_lib_format(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = do_format(a[0], a[1])?;
    Ok(c.proc.heap.string(&s))
}

/// erlang:display/1: the emulator's own printer (`~w` but for floats in
/// C's `%e`, printable lists and binaries as strings), ending the line with
/// "\r\n" as OTP does.
fn display(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut s = String::new();
    display_term(&mut s, a[0], 0);
    s.push_str("\r\n");
    out(c, &s);
    Ok(atom::TRUE)
}

fn display_float(f: f64) -> String {
    let e = format!("{f:.6e}");
    // Rust writes 1.5e0; C writes 1.500000e+00.
    match e.split_once('e') {
        Some((m, x)) => {
            let (sign, digits) = match x.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', x),
            };
            format!("{m}e{sign}{digits:0>2}")
        }
        None => e,
    }
}

fn display_printable(t: Term) -> Option<String> {
    let mut s = String::new();
    let mut cur = t;
    while cur.is_cons() {
        let (h, tl) = cur.cons_parts();
        if !h.is_small() {
            return None;
        }
        match h.small_value() {
            10 => s.push_str("\\n"),
            34 => s.push_str("\\\""),
            v @ (9 | 13 | 32..=126 | 160..=255) => s.push(char::from_u32(v as u32)?),
            _ => return None,
        }
        cur = tl;
    }
    cur.is_nil().then_some(s)
}

fn display_term(out: &mut String, t: Term, depth: usize) {
    // Deeper than this, `~w`'s printer (which needs no deep native stack)
    // writes the rest: only floats and strings inside look different.
    if depth > 1_000 {
        out.push_str(&crate::print::write(t));
        return;
    }
    if t.is_float() {
        out.push_str(&display_float(t.float_value()));
    } else if t.is_cons() {
        if let Some(s) = display_printable(t) {
            out.push('"');
            out.push_str(&s);
            out.push('"');
            return;
        }
        out.push('[');
        let mut cur = t;
        let mut first = true;
        while cur.is_cons() {
            let (h, tl) = cur.cons_parts();
            if !first {
                out.push(',');
            }
            first = false;
            display_term(out, h, depth + 1);
            cur = tl;
        }
        if !cur.is_nil() {
            out.push('|');
            display_term(out, cur, depth + 1);
        }
        out.push(']');
    } else if t.is_tuple() {
        out.push('{');
        for (i, e) in t.tuple_elems().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            display_term(out, *e, depth + 1);
        }
        out.push('}');
    } else if t.is_map() {
        out.push_str("#{");
        for (i, (k, v)) in crate::map::to_vec(t).into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            display_term(out, k, depth + 1);
            out.push_str("=>");
            display_term(out, v, depth + 1);
        }
        out.push('}');
    } else if crate::binary::is_binary(t) {
        match crate::binary::bytes_of(t) {
            Some(b) if !b.is_empty() && b.iter().all(|&x| (32..=126).contains(&x)) => {
                out.push_str("<<\"");
                out.extend(b.iter().map(|&x| x as char));
                out.push_str("\">>");
            }
            _ => out.push_str(&crate::print::write(t)),
        }
    } else {
        out.push_str(&crate::print::write(t));
    }
}
