//! Printing terms as `~w` does (io_lib:write), and on one line with `~p`'s
//! strings and binaries for error reports.

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
        // <0.Slot.Serial>, like BEAM's <Node.Number.Serial>.
        let (slot, serial) = crate::sched::ptab::pid_parts(t);
        out.push_str(&format!("<0.{slot}.{serial}>"));
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
        if depth == 1 {
            out.push_str("[...]");
            return;
        }
        // io_lib:write1/3: element k is written at depth D-1-k, and the
        // tail is cut with `|...` where its depth reaches 1.
        out.push('[');
        let (h, mut cur) = t.cons_parts();
        write_term(out, h, pretty, depth - 1);
        let mut d = depth - 1;
        loop {
            if cur.is_nil() {
                break;
            }
            if d == 1 {
                out.push_str("|...");
                break;
            }
            if cur.is_cons() {
                let (h, tl) = cur.cons_parts();
                out.push(',');
                write_term(out, h, pretty, d - 1);
                cur = tl;
                d -= 1;
            } else {
                out.push('|');
                write_term(out, cur, pretty, d - 1);
                break;
            }
        }
        out.push(']');
        return;
    }
    match t.subtag() {
        Some(Subtag::Tuple) => {
            let es = t.tuple_elems();
            if es.is_empty() {
                out.push_str("{}");
            } else if depth == 1 {
                out.push_str("{...}");
            } else {
                out.push('{');
                let mut d = depth - 1;
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        if d == 1 {
                            out.push_str(",...");
                            break;
                        }
                        out.push(',');
                        d -= 1;
                    }
                    write_term(out, *e, pretty, d);
                }
                out.push('}');
            }
        }
        Some(Subtag::Float) => out.push_str(&float_literal(t.float_value())),
        Some(Subtag::PosBig | Subtag::NegBig) => {
            out.push_str(&crate::heap::to_bigint(t).unwrap_or_default().to_string());
        }
        Some(Subtag::FlatMap | Subtag::HashMap) => {
            // io_lib:write_map/3: associations at depth D-1, and `,...`
            // once the count reaches 1, even after the last association.
            let pairs = map::to_vec(t);
            if depth == 1 || pairs.is_empty() {
                out.push_str("#{}");
                return;
            }
            out.push_str("#{");
            let d0 = depth - 1;
            let mut d = d0;
            let mut pairs = pairs.into_iter();
            if let Some((k, v)) = pairs.next() {
                write_term(out, k, pretty, d0);
                out.push_str(" => ");
                write_term(out, v, pretty, d0);
            }
            loop {
                if d == 1 {
                    out.push_str(",...");
                    break;
                }
                let Some((k, v)) = pairs.next() else { break };
                out.push(',');
                write_term(out, k, pretty, d0);
                out.push_str(" => ");
                write_term(out, v, pretty, d0);
                d -= 1;
            }
            out.push('}');
        }
        Some(Subtag::HeapBin | Subtag::SubBin | Subtag::RefcBin) => write_binary(out, t, pretty, depth),
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

fn write_binary(out: &mut String, t: Term, pretty: bool, depth: usize) {
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
    // io_lib:write_binary_body/4: one byte per level of depth.
    out.push_str("<<");
    let mut d = depth;
    for (i, b) in data[..whole].iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if d == 1 {
            out.push_str("...>>");
            return;
        }
        out.push_str(&b.to_string());
        d -= 1;
    }
    if rest != 0 {
        if whole > 0 {
            out.push(',');
        }
        if d == 1 {
            out.push_str("...");
        } else {
            let last = data[whole] >> (8 - rest);
            out.push_str(&format!("{last}:{rest}"));
        }
    }
    out.push_str(">>");
}
