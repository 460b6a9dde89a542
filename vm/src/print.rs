//! Printing terms as `~w` and (for terms that fit on a line) `~p` do.

use crate::atom;
use crate::binary;
use crate::fun;
use crate::map;
use crate::term::{header_arity, Subtag, Term};
use compiler::pretty::{float_literal, push_string_char, quote_atom};

/// `~w`.
pub fn write(t: Term) -> String {
    let mut s = String::new();
    write_term(&mut s, t, false, usize::MAX);
    s
}

/// `~p` on one line: printable lists as strings, binaries as `<<"...">>`.
pub fn print_flat(t: Term) -> String {
    let mut s = String::new();
    write_term(&mut s, t, true, usize::MAX);
    s
}

/// Is this character printable in a latin1 string (io_lib:printable_list)?
pub fn printable_latin1(c: i64) -> bool {
    (32..=126).contains(&c) || (160..=255).contains(&c) || matches!(c, 8..=13 | 27)
}

/// The characters of a non-empty list of printable latin1 characters.
pub fn printable_string(t: Term) -> Option<String> {
    if !t.is_cons() {
        return None;
    }
    let mut s = String::new();
    let mut cur = t;
    while cur.is_cons() {
        let (h, tl) = cur.cons_parts();
        if !h.is_small() || !printable_latin1(h.small_value()) {
            return None;
        }
        s.push(char::from_u32(h.small_value() as u32)?);
        cur = tl;
    }
    if cur.is_nil() {
        Some(s)
    } else {
        None
    }
}

fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_string_char(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Write a term; `pretty` enables `~p`'s string and binary forms.
pub fn write_term(out: &mut String, t: Term, pretty: bool, depth: usize) {
    if depth == 0 {
        out.push_str("...");
        return;
    }
    if t.is_small() {
        out.push_str(&t.small_value().to_string());
        return;
    }
    if t.is_atom() {
        out.push_str(&quote_atom(atom::name(t)));
        return;
    }
    if t.is_nil() {
        out.push_str("[]");
        return;
    }
    if t.is_local_pid() {
        out.push_str(&format!("<0.{}.0>", t.pid_index()));
        return;
    }
    if t.is_local_port() {
        out.push_str(&format!("#Port<0.{}>", t.0 >> 4));
        return;
    }
    if t.is_cons() {
        if pretty {
            if let Some(s) = printable_string(t) {
                out.push_str(&string_literal(&s));
                return;
            }
        }
        out.push('[');
        let mut cur = t;
        let mut first = true;
        let mut d = depth;
        while cur.is_cons() {
            if !first {
                out.push(',');
            }
            first = false;
            if d <= 1 {
                out.push_str("...");
                out.push(']');
                return;
            }
            let (h, tl) = cur.cons_parts();
            write_term(out, h, pretty, depth - 1);
            cur = tl;
            d -= 1;
        }
        if !cur.is_nil() {
            out.push('|');
            write_term(out, cur, pretty, depth - 1);
        }
        out.push(']');
        return;
    }
    match t.subtag() {
        Some(Subtag::Tuple) => {
            out.push('{');
            for (i, e) in t.tuple_elems().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_term(out, *e, pretty, depth - 1);
            }
            out.push('}');
        }
        Some(Subtag::Float) => out.push_str(&float_literal(t.float_value())),
        Some(Subtag::PosBig | Subtag::NegBig) => {
            out.push_str(&crate::heap::to_bigint(t).unwrap_or_default().to_string());
        }
        Some(Subtag::FlatMap | Subtag::HashMap) => {
            out.push_str("#{");
            for (i, (k, v)) in map::to_vec(t).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_term(out, k, pretty, depth - 1);
                out.push_str(" => ");
                write_term(out, v, pretty, depth - 1);
            }
            out.push('}');
        }
        Some(Subtag::HeapBin | Subtag::SubBin | Subtag::RefcBin) => write_binary(out, t, pretty),
        Some(Subtag::Fun) => {
            let e = fun::entry(t);
            out.push_str(&format!(
                "#Fun<{}.{}.{}>",
                quote_atom(atom::name(e.module)),
                e.index,
                e.uniq
            ));
        }
        Some(Subtag::Export) => {
            let e = fun::export(t);
            out.push_str(&format!(
                "fun {}:{}/{}",
                quote_atom(atom::name(e.module)),
                quote_atom(atom::name(e.function)),
                e.arity
            ));
        }
        Some(Subtag::Ref) => {
            let n = header_arity(t.header());
            let ws: Vec<String> = (0..n).map(|i| t.boxed_word(i).to_string()).collect();
            out.push_str(&format!("#Ref<0.{}>", ws.join(".")));
        }
        Some(Subtag::MatchCtx) => out.push_str("#MatchState"),
        _ => out.push_str(&format!("#Term<{:#x}>", t.0)),
    }
}

fn write_binary(out: &mut String, t: Term, pretty: bool) {
    let (data, bits) = binary::bits_of(t);
    let whole = bits / 8;
    let rest = bits % 8;
    if pretty && rest == 0 && whole > 0 {
        let bytes = &data[..whole];
        if bytes.iter().all(|&b| printable_latin1(b as i64)) {
            let s: String = bytes.iter().map(|&b| b as char).collect();
            out.push_str("<<");
            out.push_str(&string_literal(&s));
            out.push_str(">>");
            return;
        }
    }
    out.push_str("<<");
    let mut parts: Vec<String> = data[..whole].iter().map(|b| b.to_string()).collect();
    if rest != 0 {
        let last = data[whole] >> (8 - rest);
        parts.push(format!("{last}:{rest}"));
    }
    out.push_str(&parts.join(","));
    out.push_str(">>");
}
