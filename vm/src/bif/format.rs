//! `io_lib:format/2`: control sequences `~F.P.PadModC`, with the field,
//! precision and padding rules of OTP's io_lib_format.

use crate::atom;
use crate::binary;
use crate::heap::to_bigint;
use crate::print;
use crate::term::Term;
use num_bigint::BigInt;
use num_traits::Signed;

#[derive(Clone, Copy, PartialEq)]
enum Adjust {
    Left,
    Right,
}

struct Spec {
    width: Option<usize>,
    adjust: Adjust,
    precision: Option<usize>,
    pad: char,
    unicode: bool,
    strings: bool,
}

/// Why formatting failed (io:format raises badarg).
pub struct FormatError;

type R<T> = Result<T, FormatError>;

fn chars(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

fn adjust(data: String, pad: String, adj: Adjust) -> String {
    match adj {
        Adjust::Left => data + &pad,
        Adjust::Right => pad + &data,
    }
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// io_lib_format:term/5: fit text in a field, or fill it with stars.
fn term(t: String, f: Option<usize>, adj: Adjust, p0: Option<usize>, pad: char) -> String {
    let f = match (f, p0) {
        (None, None) => return t,
        (None, Some(p)) => p,
        (Some(f), _) => f,
    };
    let l = len(&t);
    let p = l.min(match p0 {
        None => f,
        Some(p) => p.min(f),
    });
    if l > p {
        adjust(chars('*', p), chars(pad, f - p), adj)
    } else {
        adjust(t, chars(pad, f - l), adj)
    }
}

fn trunc(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// io_lib_format:string/6.
fn string(s: String, f: Option<usize>, adj: Adjust, p: Option<usize>, pad: char) -> String {
    let n = len(&s);
    let field = |s: String, f: usize, adj: Adjust, n: usize| -> String {
        if n > f {
            trunc(&s, f)
        } else if n < f {
            adjust(s, chars(pad, f - n), adj)
        } else {
            s
        }
    };
    match (f, p) {
        (None, None) => s,
        (Some(f), None) => field(s, f, adj, n),
        (None, Some(p)) => field(s, p, Adjust::Left, n),
        (Some(f), Some(p)) => {
            if f > p {
                if n > p {
                    adjust(trunc(&s, p), chars(pad, f - p), adj)
                } else if n < p {
                    adjust(s + &chars(pad, p - n), chars(pad, f - p), adj)
                } else {
                    adjust(s, chars(pad, f - p), adj)
                }
            } else {
                field(s, f, adj, n)
            }
        }
    }
}

/// The characters of an iolist, binary or atom for `~s`.
pub fn iolist_chars(t: Term, unicode: bool, out: &mut String) -> R<()> {
    if t.is_atom() {
        out.push_str(atom::name(t));
        return Ok(());
    }
    if let Some(b) = binary::bytes_of(t) {
        if unicode {
            match std::str::from_utf8(b) {
                Ok(s) => out.push_str(s),
                Err(_) => out.extend(b.iter().map(|&c| c as char)),
            }
        } else {
            out.extend(b.iter().map(|&c| c as char));
        }
        return Ok(());
    }
    let mut cur = t;
    while cur.is_cons() {
        let (h, tl) = cur.cons_parts();
        if h.is_small() {
            let c = h.small_value();
            if c < 0 || (!unicode && c > 255) {
                return Err(FormatError);
            }
            out.push(char::from_u32(c as u32).ok_or(FormatError)?);
        } else {
            iolist_chars(h, unicode, out)?;
        }
        cur = tl;
    }
    if cur.is_nil() {
        Ok(())
    } else if binary::is_binary(cur) {
        iolist_chars(cur, unicode, out)
    } else {
        Err(FormatError)
    }
}

/// The 21 significant digits of float_to_list(F) and the exponent + 1,
/// as io_lib_format's float_data/1 gives them.
fn float_data(f: f64) -> (Vec<u8>, i64) {
    let s = format!("{:.20e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    (digits, exp.parse::<i64>().unwrap_or(0) + 1)
}

/// float_man/2: `dc` decimals from the digits, with the carry.
fn float_man_dec(ds: &[u8], dc: usize) -> (Vec<u8>, bool) {
    if dc == 0 {
        return (vec![], ds.first().is_some_and(|d| *d >= b'5'));
    }
    match ds.split_first() {
        None => (vec![b'0'; dc], false),
        Some((d, rest)) => {
            let (mut cs, carry) = float_man_dec(rest, dc - 1);
            if carry {
                if *d == b'9' {
                    cs.insert(0, b'0');
                    (cs, true)
                } else {
                    cs.insert(0, d + 1);
                    (cs, false)
                }
            } else {
                cs.insert(0, *d);
                (cs, false)
            }
        }
    }
}

/// float_man/3: `i` integer digits, a '.', then `dc` decimals.
fn float_man(ds: &[u8], i: usize, dc: usize) -> (Vec<u8>, bool) {
    if i == 0 {
        let (cs, c) = float_man_dec(ds, dc);
        let mut v = vec![b'.'];
        v.extend(cs);
        return (v, c);
    }
    match ds.split_first() {
        None => {
            let mut v = vec![b'0'; i];
            v.push(b'.');
            v.extend(vec![b'0'; dc]);
            (v, false)
        }
        Some((d, rest)) => {
            let (mut cs, carry) = float_man(rest, i - 1, dc);
            if carry {
                if *d == b'9' {
                    cs.insert(0, b'0');
                    (cs, true)
                } else {
                    cs.insert(0, d + 1);
                    (cs, false)
                }
            } else {
                cs.insert(0, *d);
                (cs, false)
            }
        }
    }
}

fn signbit(f: f64) -> &'static str {
    if f.is_sign_negative() {
        "-"
    } else {
        ""
    }
}

fn float_exp(e: i64) -> String {
    if e >= 0 {
        format!("e+{e}")
    } else {
        format!("e{e}")
    }
}

/// `~e` text (without field handling).
pub fn float_e(f: f64, p: usize) -> String {
    let (ds, e) = float_data(f);
    let (fs, carry) = float_man(&ds, 1, p - 1);
    let body = if carry {
        // [$0|Fs] with carry: becomes 1.000 and the exponent stays.
        let mut v = vec![b'1'];
        v.extend(&fs[1..]);
        String::from_utf8(v).unwrap_or_default() + &float_exp(e)
    } else {
        String::from_utf8(fs).unwrap_or_default() + &float_exp(e - 1)
    };
    format!("{}{}", signbit(f), body)
}

/// `~f` text (without field handling).
pub fn float_f(f: f64, p: usize) -> String {
    let (mut ds, mut e) = float_data(f);
    if e <= 0 {
        let mut z = vec![b'0'; (-e + 1) as usize];
        z.extend(ds);
        ds = z;
        e = 1;
    }
    let (fs, carry) = float_man(&ds, e as usize, p);
    let s = String::from_utf8(fs).unwrap_or_default();
    format!("{}{}{}", signbit(f), if carry { "1" } else { "" }, s)
}

fn fwrite_g(f: f64, p: usize) -> (bool, usize) {
    // (use f form, precision)
    let a = f.abs();
    let e: Option<i64> = if a < 1.0e-1 {
        Some(-2)
    } else if a < 1.0 {
        Some(-1)
    } else if a < 1.0e1 {
        Some(0)
    } else if a < 1.0e2 {
        Some(1)
    } else if a < 1.0e3 {
        Some(2)
    } else if a < 1.0e4 {
        Some(3)
    } else {
        None
    };
    let p = p as i64;
    match e {
        Some(-1) if p <= 1 => (true, (p - 1 - -1) as usize),
        Some(e) if p - 1 > e && e >= -1 => (true, (p - 1 - e) as usize),
        _ if p <= 1 => (false, 2),
        _ => (false, p as usize),
    }
}

fn integer_text(i: &BigInt, base: u32, lowercase: bool) -> String {
    let s = i.abs().to_str_radix(base);
    if lowercase {
        s
    } else {
        s.to_uppercase()
    }
}

/// Format `fmt` with `args`.
pub fn format(fmt: &[char], args: &[Term]) -> R<String> {
    let mut out = String::new();
    let mut args = args.iter().copied();
    let mut i = 0;
    let next_arg = |args: &mut dyn Iterator<Item = Term>| args.next().ok_or(FormatError);
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != '~' {
            out.push(c);
            continue;
        }
        // Field width.
        let mut width: Option<i64> = None;
        let neg = fmt.get(i) == Some(&'-');
        if neg {
            i += 1;
        }
        if fmt.get(i) == Some(&'*') {
            let a = next_arg(&mut args)?;
            if !a.is_small() {
                return Err(FormatError);
            }
            width = Some(a.small_value());
            i += 1;
        } else {
            let mut v: Option<i64> = None;
            while let Some(d) = fmt.get(i).and_then(|c| c.to_digit(10)) {
                v = Some(v.unwrap_or(0) * 10 + d as i64);
                i += 1;
            }
            width = v.or(width);
        }
        if neg {
            width = width.map(|w| -w);
        }
        let (width, adj) = match width {
            Some(w) if w < 0 => (Some((-w) as usize), Adjust::Left),
            Some(w) => (Some(w as usize), Adjust::Right),
            None => (None, Adjust::Right),
        };
        // Precision.
        let mut precision = None;
        if fmt.get(i) == Some(&'.') {
            i += 1;
            if fmt.get(i) == Some(&'*') {
                let a = next_arg(&mut args)?;
                if !a.is_small() {
                    return Err(FormatError);
                }
                precision = Some(a.small_value());
                i += 1;
            } else {
                let mut v: Option<i64> = None;
                while let Some(d) = fmt.get(i).and_then(|c| c.to_digit(10)) {
                    v = Some(v.unwrap_or(0) * 10 + d as i64);
                    i += 1;
                }
                precision = v;
            }
        }
        // Pad character.
        let mut pad = ' ';
        if fmt.get(i) == Some(&'.') {
            match fmt.get(i + 1) {
                Some('*') => {
                    let a = next_arg(&mut args)?;
                    pad = char::from_u32(a.small_value() as u32).ok_or(FormatError)?;
                    i += 2;
                }
                Some(&p) => {
                    pad = p;
                    i += 2;
                }
                None => return Err(FormatError),
            }
        }
        let mut spec = Spec {
            width,
            adjust: adj,
            precision: match precision {
                Some(p) if p < 0 => return Err(FormatError),
                Some(p) => Some(p as usize),
                None => None,
            },
            pad,
            unicode: false,
            strings: true,
        };
        loop {
            match fmt.get(i) {
                Some('t') => spec.unicode = true,
                Some('l') => spec.strings = false,
                _ => break,
            }
            i += 1;
        }
        let Some(&cc) = fmt.get(i) else {
            return Err(FormatError);
        };
        i += 1;
        control(&mut out, cc, &spec, &mut args)?;
    }
    if args.next().is_some() {
        return Err(FormatError);
    }
    Ok(out)
}

fn control(out: &mut String, cc: char, s: &Spec, args: &mut dyn Iterator<Item = Term>) -> R<()> {
    let mut arg = || args.next().ok_or(FormatError);
    let (f, adj, p, pad) = (s.width, s.adjust, s.precision, s.pad);
    let text = match cc {
        '~' => char_field('~', f, adj, p, pad)?,
        'n' => match f {
            None => "\n".to_string(),
            Some(n) => chars('\n', n),
        },
        'c' => {
            let a = arg()?;
            if !a.is_small() {
                return Err(FormatError);
            }
            let v = a.small_value();
            let v = if s.unicode { v } else { v & 255 };
            let ch = char::from_u32(u32::try_from(v).map_err(|_| FormatError)?).ok_or(FormatError)?;
            char_field(ch, f, adj, p, pad)?
        }
        's' => {
            let a = arg()?;
            let mut st = String::new();
            iolist_chars(a, s.unicode, &mut st)?;
            string(st, f, adj, p, pad)
        }
        'w' | 'W' | 'p' | 'P' => {
            let a = arg()?;
            let depth = if cc == 'W' || cc == 'P' {
                let d = arg()?;
                if !d.is_small() {
                    return Err(FormatError);
                }
                let d = d.small_value();
                if d < 0 {
                    usize::MAX
                } else {
                    d as usize
                }
            } else {
                usize::MAX
            };
            let pretty = cc == 'p' || cc == 'P';
            let mut t = String::new();
            if pretty {
                // io_lib_format:print/10 has no clause for left adjustment.
                if adj == Adjust::Left {
                    return Err(FormatError);
                }
                // The column: the precision, else one past the indentation
                // of the text so far (tabs stop every 8 columns).
                let column = p.unwrap_or_else(|| {
                    let line = out.rsplit('\n').next().unwrap_or("");
                    line.chars()
                        .fold(0, |i, c| if c == '\t' { (i + 8) / 8 * 8 } else { i + 1 })
                        + 1
                });
                t = crate::pretty::print(a, f.unwrap_or(80), column, depth, s.strings, s.unicode);
            } else {
                print::write_term(&mut t, a, false, depth);
            }
            if pretty {
                t
            } else {
                term(t, f, adj, p, pad)
            }
        }
        'e' | 'f' | 'g' => {
            let a = arg()?;
            if !a.is_float() {
                return Err(FormatError);
            }
            let v = a.float_value();
            let t = match cc {
                'e' => {
                    let p = p.unwrap_or(6);
                    if p < 2 {
                        return Err(FormatError);
                    }
                    float_e(v, p)
                }
                'f' => {
                    let p = p.unwrap_or(6);
                    if p < 1 {
                        return Err(FormatError);
                    }
                    float_f(v, p)
                }
                _ => {
                    let p = p.unwrap_or(6);
                    if p < 1 {
                        return Err(FormatError);
                    }
                    let (use_f, q) = fwrite_g(v, p);
                    if use_f {
                        float_f(v, q)
                    } else {
                        float_e(v, q)
                    }
                }
            };
            match f {
                None => t,
                Some(_) => term(t, f, adj, f, pad),
            }
        }
        'b' | 'B' | 'x' | 'X' | '+' | '#' => {
            let a = arg()?;
            let i = to_bigint(a).ok_or(FormatError)?;
            let base = p.unwrap_or(10) as u32;
            if !(2..=36).contains(&base) {
                return Err(FormatError);
            }
            let lower = matches!(cc, 'b' | 'x' | '+');
            let prefix = match cc {
                'x' | 'X' => {
                    let pr = arg()?;
                    let mut ps = String::new();
                    iolist_chars(pr, true, &mut ps)?;
                    ps
                }
                '+' | '#' => format!("{base}#"),
                _ => String::new(),
            };
            let digits = integer_text(&i, base, lower);
            let t = if i.is_negative() {
                format!("-{prefix}{digits}")
            } else {
                format!("{prefix}{digits}")
            };
            term(t, f, adj, None, pad)
        }
        'i' => {
            arg()?;
            String::new()
        }
        _ => return Err(FormatError),
    };
    out.push_str(&text);
    Ok(())
}

fn char_field(c: char, f: Option<usize>, adj: Adjust, p: Option<usize>, pad: char) -> R<String> {
    Ok(match (f, p) {
        (None, None) => c.to_string(),
        (Some(f), None) => chars(c, f),
        (None, Some(p)) => chars(c, p),
        (Some(f), Some(p)) if f >= p => adjust(chars(c, p), chars(pad, f - p), adj),
        _ => return Err(FormatError),
    })
}
