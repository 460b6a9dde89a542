//! Conversions between numbers, lists, binaries and text.

use super::{char_list, BifFn, Ctx};
use crate::atom;
use crate::binary;
use crate::heap::to_bigint;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use num_bigint::BigInt;
use num_traits::Num;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("integer_to_list", 1, integer_to_list as BifFn),
        ("integer_to_list", 2, integer_to_list),
        ("list_to_integer", 1, list_to_integer),
        ("list_to_integer", 2, list_to_integer),
        ("integer_to_binary", 1, integer_to_binary),
        ("integer_to_binary", 2, integer_to_binary),
        ("binary_to_integer", 1, binary_to_integer),
        ("binary_to_integer", 2, binary_to_integer),
        ("float_to_list", 1, float_to_list),
        ("float_to_list", 2, float_to_list),
        ("float_to_binary", 1, float_to_binary),
        ("float_to_binary", 2, float_to_binary),
        ("list_to_float", 1, list_to_float),
        ("binary_to_float", 1, binary_to_float),
        ("binary_to_list", 1, binary_to_list),
        ("binary_to_list", 3, binary_to_list3),
        ("bitstring_to_list", 1, bitstring_to_list),
        ("list_to_binary", 1, list_to_binary),
        ("list_to_bitstring", 1, list_to_bitstring),
        ("iolist_to_binary", 1, iolist_to_binary),
        ("iolist_size", 1, iolist_size),
        ("byte_size", 1, byte_size),
        ("bit_size", 1, bit_size),
        ("binary_part", 2, binary_part2),
        ("binary_part", 3, binary_part3),
        ("split_binary", 2, split_binary),
        ("pid_to_list", 1, pid_to_list),
        ("list_to_pid", 1, list_to_pid),
        ("ref_to_list", 1, ref_to_list),
        ("port_to_list", 1, port_to_list),
        ("fun_to_list", 1, fun_to_list),
    ] {
        t.push(("erlang", n, a, f));
    }
}

fn base_arg(a: &[Term]) -> Result<u32, Exc> {
    match a.get(1) {
        None => Ok(10),
        Some(b) if b.is_small() && (2..=36).contains(&b.small_value()) => Ok(b.small_value() as u32),
        Some(_) => Err(Exc::badarg()),
    }
}

fn int_text(a: &[Term]) -> Result<String, Exc> {
    let i = to_bigint(a[0]).ok_or_else(Exc::badarg)?;
    let base = base_arg(a)?;
    Ok(i.to_str_radix(base).to_uppercase())
}

fn integer_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = int_text(a)?;
    Ok(c.proc.heap.string(&s))
}

fn integer_to_binary(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = int_text(a)?;
    Ok(binary::binary(&mut c.proc.heap, s.as_bytes()))
}

/// Parse an integer with an optional sign, as list_to_integer/2 does.
fn parse_int(s: &str, base: u32) -> Option<BigInt> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    let v = BigInt::from_str_radix(digits, base).ok()?;
    Some(if neg { -v } else { v })
}

fn list_to_integer(c: &mut Ctx, a: &[Term]) -> BifResult {
    let base = base_arg(a)?;
    let s = char_list(a[0]).ok_or_else(Exc::badarg)?;
    let v = parse_int(&s, base).ok_or_else(Exc::badarg)?;
    Ok(c.proc.heap.bigint(&v))
}

/// pid_to_list/1, ref_to_list/1, port_to_list/1, fun_to_list/1: the
/// printed form, as a string.
fn printed_as(c: &mut Ctx, t: Term, ok: bool) -> BifResult {
    if !ok {
        return Err(Exc::badarg());
    }
    let text = crate::print::write(t);
    Ok(c.proc.heap.string(&text))
}

fn pid_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    printed_as(c, a[0], a[0].is_pid())
}
fn ref_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    printed_as(c, a[0], a[0].is_reference())
}
fn port_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    printed_as(c, a[0], a[0].is_local_port())
}
fn fun_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    printed_as(c, a[0], a[0].is_fun())
}

/// `list_to_pid("<0.Slot.Serial>")`: the inverse of pid_to_list/1 for
/// this node's pids.
fn list_to_pid(_c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = char_list(a[0]).ok_or_else(Exc::badarg)?;
    let inner = s
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .ok_or_else(Exc::badarg)?;
    let parts: Vec<u64> = inner
        .split('.')
        .map(|p| {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect::<Option<_>>()
        .ok_or_else(Exc::badarg)?;
    match parts[..] {
        [0, slot, serial] => crate::sched::ptab::pid_of_parts(slot, serial).ok_or_else(Exc::badarg),
        _ => Err(Exc::badarg()),
    }
}

fn binary_to_integer(c: &mut Ctx, a: &[Term]) -> BifResult {
    let base = base_arg(a)?;
    let b = binary::bytes_of(a[0]).ok_or_else(Exc::badarg)?;
    let s = std::str::from_utf8(b).map_err(|_| Exc::badarg())?;
    let v = parse_int(s, base).ok_or_else(Exc::badarg)?;
    Ok(c.proc.heap.bigint(&v))
}

/// `%.*e` with an exponent of at least two digits and a sign.
fn scientific(f: f64, d: usize) -> String {
    let s = format!("{:.*e}", d, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// float_to_list(F, [{decimals, D}]): OTP's fixed-point algorithm.
fn fixed(f: f64, decimals: usize, compact: bool) -> String {
    const MAX_FLOAT: f64 = (1u64 << 53) as f64;
    let af = f.abs();
    let mut s = if af > MAX_FLOAT || decimals >= 19 {
        // Exact digits (printf rounds the exact binary value).
        format!("{:.*}", decimals, f)
    } else if decimals > 0 {
        let p10 = 10f64.powi(decimals as i32);
        let int_f = af.floor();
        let frac_f = ((af - int_f) * p10).round();
        let (mut int_part, mut frac_part) = (int_f as u64, frac_f as u64);
        if frac_f >= p10 {
            int_part += 1;
            frac_part = 0;
        }
        let sign = if f < 0.0 { "-" } else { "" };
        format!("{sign}{int_part}.{frac_part:0width$}", width = decimals)
    } else {
        let sign = if f < 0.0 { "-" } else { "" };
        format!("{sign}{}", af.round() as u64)
    };
    if compact && decimals > 0 && s.contains('.') {
        while s.ends_with('0') && !s.ends_with(".0") {
            s.pop();
        }
    }
    s
}

fn float_text(a: &[Term]) -> Result<String, Exc> {
    if !a[0].is_float() {
        return Err(Exc::badarg());
    }
    let f = a[0].float_value();
    let Some(&opts) = a.get(1) else {
        return Ok(scientific(f, 20));
    };
    let opts = opts.list_to_vec().ok_or_else(Exc::badarg)?;
    let mut decimals = None;
    let mut sci = None;
    let mut compact = false;
    let mut short = false;
    for o in opts {
        if o == atom::atom("compact") {
            compact = true;
        } else if o == atom::atom("short") {
            short = true;
        } else if let Some([k, v]) = o.as_tuple().map(|e| e.to_vec()).as_deref() {
            if !v.is_small() || v.small_value() < 0 {
                return Err(Exc::badarg());
            }
            let n = v.small_value() as usize;
            if *k == atom::atom("decimals") {
                if n > 253 {
                    return Err(Exc::badarg());
                }
                decimals = Some(n);
                sci = None;
            } else if *k == atom::atom("scientific") {
                if n > 249 {
                    return Err(Exc::badarg());
                }
                sci = Some(n);
                decimals = None;
            } else {
                return Err(Exc::badarg());
            }
        } else {
            return Err(Exc::badarg());
        }
    }
    if short {
        return Ok(compiler::pretty::float_literal(f));
    }
    Ok(match (decimals, sci) {
        (Some(d), _) => fixed(f, d, compact),
        (None, Some(d)) => scientific(f, d),
        (None, None) => scientific(f, 20),
    })
}

fn float_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = float_text(a)?;
    Ok(c.proc.heap.string(&s))
}

fn float_to_binary(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = float_text(a)?;
    Ok(binary::binary(&mut c.proc.heap, s.as_bytes()))
}

/// list_to_float's syntax: [+-]digits.digits[(e|E)[+-]digits].
fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) || b.get(i) != Some(&b'.') {
        return None;
    }
    i += 1;
    if !digits(&mut i) {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

fn list_to_float(c: &mut Ctx, a: &[Term]) -> BifResult {
    let s = char_list(a[0]).ok_or_else(Exc::badarg)?;
    let f = parse_float(&s).ok_or_else(Exc::badarg)?;
    Ok(c.proc.heap.float(f))
}

fn binary_to_float(c: &mut Ctx, a: &[Term]) -> BifResult {
    let b = binary::bytes_of(a[0]).ok_or_else(Exc::badarg)?;
    let s = std::str::from_utf8(b).map_err(|_| Exc::badarg())?;
    let f = parse_float(s).ok_or_else(Exc::badarg)?;
    Ok(c.proc.heap.float(f))
}

fn binary_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    let b = binary::bytes_of(a[0]).ok_or_else(Exc::badarg)?.to_vec();
    Ok(c.proc.heap.byte_list(&b))
}

fn binary_to_list3(c: &mut Ctx, a: &[Term]) -> BifResult {
    let b = binary::bytes_of(a[0]).ok_or_else(Exc::badarg)?.to_vec();
    let (s, e) = (a[1], a[2]);
    if !(s.is_small() && e.is_small()) {
        return Err(Exc::badarg());
    }
    let (s, e) = (s.small_value(), e.small_value());
    if s < 1 || e < s || e as usize > b.len() {
        return Err(Exc::badarg());
    }
    Ok(c.proc.heap.byte_list(&b[(s - 1) as usize..e as usize]))
}

fn bitstring_to_list(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !binary::is_bitstring(a[0]) {
        return Err(Exc::badarg());
    }
    let (data, bits) = binary::bits_of(a[0]);
    let whole = bits / 8;
    let bytes = data[..whole].to_vec();
    let tail = if bits % 8 != 0 {
        binary::bitstring(&mut c.proc.heap, &data[whole..], bits % 8)
    } else {
        Term::NIL
    };
    // The trailing bits are the last element of a proper list.
    let mut items: Vec<Term> = bytes.iter().map(|b| Term::small(*b as i64)).collect();
    if tail != Term::NIL {
        items.push(tail);
    }
    Ok(c.proc.heap.list(&items))
}

/// Collect an iolist (bytes and binaries, or bitstrings at the end when
/// `bits` is allowed) into a bit writer.
fn collect(t: Term, w: &mut crate::bits::BitWriter, allow_bits: bool) -> Result<(), Exc> {
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if t.is_nil() {
            continue;
        }
        if t.is_cons() {
            let (h, tl) = t.cons_parts();
            stack.push(tl);
            if h.is_small() {
                let v = h.small_value();
                if !(0..=255).contains(&v) {
                    return Err(Exc::badarg());
                }
                w.push_bits(&[v as u8], 8);
            } else if h.is_cons() || h.is_nil() || binary::is_bitstring(h) {
                stack.push(h);
            } else {
                return Err(Exc::badarg());
            }
            continue;
        }
        if binary::is_bitstring(t) {
            let (data, bits) = binary::bits_of(t);
            if bits % 8 != 0 && !allow_bits {
                return Err(Exc::badarg());
            }
            w.push_bits(&data, bits);
            continue;
        }
        return Err(Exc::badarg());
    }
    Ok(())
}

fn iolist_to_binary(c: &mut Ctx, a: &[Term]) -> BifResult {
    if binary::is_binary(a[0]) {
        return Ok(a[0]);
    }
    list_to_binary(c, a)
}

fn list_to_binary(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_list() {
        return Err(Exc::badarg());
    }
    let mut w = crate::bits::BitWriter::default();
    collect(a[0], &mut w, false)?;
    Ok(binary::bitstring(&mut c.proc.heap, &w.bytes, w.bits))
}

fn list_to_bitstring(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_list() {
        return Err(Exc::badarg());
    }
    let mut w = crate::bits::BitWriter::default();
    collect(a[0], &mut w, true)?;
    Ok(binary::bitstring(&mut c.proc.heap, &w.bytes, w.bits))
}

fn iolist_size(_: &mut Ctx, a: &[Term]) -> BifResult {
    if binary::is_binary(a[0]) {
        return Ok(Term::small((binary::bit_size(a[0]) / 8) as i64));
    }
    if !a[0].is_list() {
        return Err(Exc::badarg());
    }
    let mut w = crate::bits::BitWriter::default();
    collect(a[0], &mut w, false)?;
    Ok(Term::small((w.bits / 8) as i64))
}

pub(crate) fn byte_size(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !binary::is_bitstring(a[0]) {
        return Err(Exc::badarg());
    }
    Ok(Term::small(binary::bit_size(a[0]).div_ceil(8) as i64))
}

pub(crate) fn bit_size(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !binary::is_bitstring(a[0]) {
        return Err(Exc::badarg());
    }
    Ok(Term::small(binary::bit_size(a[0]) as i64))
}

/// The whole bytes of a bitstring (a trailing partial byte left out).
fn whole_bytes<'a>(b: Term) -> Result<std::borrow::Cow<'a, [u8]>, Exc> {
    use std::borrow::Cow;
    if !binary::is_bitstring(b) {
        return Err(Exc::badarg());
    }
    let (data, bits) = binary::bits_of(b);
    Ok(match data {
        Cow::Borrowed(d) => Cow::Borrowed(&d[..bits / 8]),
        Cow::Owned(mut v) => {
            v.truncate(bits / 8);
            Cow::Owned(v)
        }
    })
}

fn part(c: &mut Ctx, b: Term, start: Term, len: Term) -> BifResult {
    let bytes = whole_bytes(b)?;
    if !(start.is_small() && len.is_small()) {
        return Err(Exc::badarg());
    }
    let (s, l) = (start.small_value(), len.small_value());
    let (from, to) = if l >= 0 { (s, s + l) } else { (s + l, s) };
    if from < 0 || to as usize > bytes.len() {
        return Err(Exc::badarg());
    }
    let slice = bytes[from as usize..to as usize].to_vec();
    Ok(binary::binary(&mut c.proc.heap, &slice))
}

fn binary_part2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let pl = a[1]
        .as_tuple()
        .filter(|e| e.len() == 2)
        .ok_or_else(Exc::badarg)?
        .to_vec();
    part(c, a[0], pl[0], pl[1])
}

fn binary_part3(c: &mut Ctx, a: &[Term]) -> BifResult {
    part(c, a[0], a[1], a[2])
}

fn split_binary(c: &mut Ctx, a: &[Term]) -> BifResult {
    let whole = whole_bytes(a[0])?.len();
    if !a[1].is_small() || a[1].small_value() < 0 || a[1].small_value() as usize > whole {
        return Err(Exc::badarg());
    }
    let n = a[1].small_value() as usize;
    let bits = binary::bit_size(a[0]);
    let x = binary::sub(&mut c.proc.heap, a[0], 0, n * 8);
    let y = binary::sub(&mut c.proc.heap, a[0], n * 8, bits - n * 8);
    Ok(c.proc.heap.tuple(&[x, y]))
}

/// The bytes of iodata: a binary or an iolist.
pub fn iodata_bytes<'a>(t: Term) -> Result<std::borrow::Cow<'a, [u8]>, Exc> {
    if let Some(b) = binary::bytes_of(t) {
        return Ok(std::borrow::Cow::Borrowed(b));
    }
    if !t.is_list() {
        return Err(Exc::badarg());
    }
    let mut w = crate::bits::BitWriter::default();
    collect(t, &mut w, false)?;
    Ok(std::borrow::Cow::Owned(w.bytes))
}
