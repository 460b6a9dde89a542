//! Erlang's spelling of literals: atoms (quoted when needed), strings,
//! characters and floats, exactly as `io_lib:write_atom/1`,
//! `io_lib:write_string/1`, `io_lib:write_char/1` and
//! `float_to_list(F, [short])` print them. The VM's printer uses these too.

/// Is `c` a character erl_scan accepts inside an unquoted atom or variable?
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || c == '@'
        || (('\u{c0}'..='\u{ff}').contains(&c) && c != '\u{d7}' && c != '\u{f7}')
}

/// Can `c` start an unquoted atom?
pub fn is_atom_start(c: char) -> bool {
    c.is_ascii_lowercase() || (('\u{df}'..='\u{ff}').contains(&c) && c != '\u{f7}')
}

/// Can `c` start a variable?
pub fn is_var_start(c: char) -> bool {
    c.is_ascii_uppercase() || c == '_' || (('\u{c0}'..='\u{de}').contains(&c) && c != '\u{d7}')
}

/// Reserved words, which must be quoted to be atoms.
pub fn is_reserved_word(s: &str) -> bool {
    crate::token::Tok::keyword(s).is_some()
}

/// Does this atom print without quotes?
pub fn atom_needs_quotes(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if is_atom_start(c) => {}
        _ => return true,
    }
    if !chars.all(is_name_char) {
        return true;
    }
    is_reserved_word(s)
}

/// `io_lib:write_atom/1`.
pub fn quote_atom(s: &str) -> String {
    if atom_needs_quotes(s) {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        for c in s.chars() {
            push_string_char(&mut out, c, '\'');
        }
        out.push('\'');
        out
    } else {
        s.to_string()
    }
}

/// `io_lib:write_string/1` (Unicode characters printed as themselves).
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_string_char(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// One character of a quoted string or atom, escaped as io_lib does.
pub fn push_string_char(out: &mut String, c: char, quote: char) {
    match c {
        _ if c == quote => {
            out.push('\\');
            out.push(c);
        }
        '\\' => out.push_str("\\\\"),
        ' '..='~' => out.push(c),
        _ if c as u32 >= 0xa0 => out.push(c),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\u{1b}' => out.push_str("\\e"),
        '\u{7f}' => out.push_str("\\d"),
        _ => {
            let v = c as u32;
            out.push('\\');
            out.push(char::from(b'0' + ((v >> 6) & 7) as u8));
            out.push(char::from(b'0' + ((v >> 3) & 7) as u8));
            out.push(char::from(b'0' + (v & 7) as u8));
        }
    }
}

/// `io_lib:write_char/1`.
pub fn char_literal(c: char) -> String {
    if c == ' ' {
        return "$\\s".to_string();
    }
    let mut out = String::from("$");
    push_string_char(&mut out, c, '\0');
    out
}

/// `float_to_list(F, [short])`: the shortest digits that read back as `f`,
/// in fixed or scientific notation by the rule of OTP's Ryu-based printer.
pub fn float_literal(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "d.ddde[-]x".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let sci_exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let olength = digits.len() as i32;
    let ryu_exp = sci_exp - (olength - 1);
    let output: u64 = digits.parse().unwrap_or(0);

    let (lower, upper) = if olength == 1 {
        (-4, 2)
    } else if sci_exp >= 10 {
        (-(olength + 2), 2)
    } else {
        (-(olength + 2), 1)
    };
    let fixed = lower <= ryu_exp
        && ryu_exp <= upper
        && !((output >= (1u64 << 53) && ryu_exp == 0)
            || (output > (1u64 << 52) / 5 && ryu_exp == 1)
            || (output > (1u64 << 51) / 25 && ryu_exp == 2));

    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if fixed {
        let whole = olength + ryu_exp;
        if ryu_exp >= 0 {
            out.push_str(&digits);
            for _ in 0..ryu_exp {
                out.push('0');
            }
            out.push_str(".0");
        } else if whole > 0 {
            out.push_str(&digits[..whole as usize]);
            out.push('.');
            out.push_str(&digits[whole as usize..]);
        } else {
            out.push_str("0.");
            for _ in 0..(-whole) {
                out.push('0');
            }
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        if olength > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        out.push('e');
        out.push_str(&sci_exp.to_string());
    }
    out
}

/// Print a literal term written as an expression (as `~tp` would print the
/// term it denotes), for `-error(Term)` messages.
pub fn expr_term(e: &crate::ast::Expr) -> String {
    use crate::ast::{ExprKind, UnOp};
    match &e.kind {
        ExprKind::Atom(a) => quote_atom(a),
        ExprKind::Integer(i) => i.to_string(),
        ExprKind::Char(c) => (*c as u32).to_string(),
        ExprKind::Float(f) => float_literal(*f),
        ExprKind::String(s) => string_literal(s),
        ExprKind::Nil => "[]".to_string(),
        ExprKind::Unary(UnOp::Minus, x) => format!("-{}", expr_term(x)),
        ExprKind::Unary(UnOp::Plus, x) => expr_term(x),
        ExprKind::Tuple(es) => format!("{{{}}}", es.iter().map(expr_term).collect::<Vec<_>>().join(",")),
        ExprKind::Cons(..) => {
            let mut parts = Vec::new();
            let mut cur = e;
            loop {
                match &cur.kind {
                    ExprKind::Cons(h, t) => {
                        parts.push(expr_term(h));
                        cur = t;
                    }
                    ExprKind::Nil => return format!("[{}]", parts.join(",")),
                    _ => return format!("[{}|{}]", parts.join(","), expr_term(cur)),
                }
            }
        }
        _ => "...".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_otp() {
        // Expected values printed by OTP 25's float_to_list(F, [short]).
        let cases = [
            (1.0e10, "1.0e10"),
            (0.1, "0.1"),
            (0.0001, "0.0001"),
            (1.0e-5, "1.0e-5"),
            (100.0, "100.0"),
            (1.0e3, "1.0e3"),
            (1234.5, "1234.5"),
            (123450.0, "123450.0"),
            (1.2345e6, "1.2345e6"),
            (1234567890123400.0, "1234567890123400.0"),
            (1.2345678901234e16, "1.2345678901234e16"),
            (9007199254740992.0, "9.007199254740992e15"),
            (1.5000000000000002e-8, "1.5000000000000002e-8"),
            (12.344999999999999, "12.344999999999999"),
            (0.0012345678901234001, "0.0012345678901234001"),
            (5.0e-324, "5.0e-324"),
            (-0.0, "-0.0"),
            (-2.5, "-2.5"),
            (1.0e300, "1.0e300"),
        ];
        for (f, want) in cases {
            assert_eq!(float_literal(f), want, "{f:e}");
        }
    }

    #[test]
    fn atoms_quote_when_needed() {
        assert_eq!(quote_atom("foo"), "foo");
        assert_eq!(quote_atom("Foo"), "'Foo'");
        assert_eq!(quote_atom("end"), "'end'");
        assert_eq!(quote_atom("a b"), "'a b'");
        assert_eq!(quote_atom("it's"), "'it\\'s'");
        assert_eq!(quote_atom(""), "''");
        assert_eq!(quote_atom("a@b"), "a@b");
    }

    #[test]
    fn strings_and_chars_escape_as_io_lib() {
        assert_eq!(string_literal("a\"b\n\u{1}"), "\"a\\\"b\\n\\001\"");
        assert_eq!(char_literal(' '), "$\\s");
        assert_eq!(char_literal('a'), "$a");
        assert_eq!(char_literal('\n'), "$\\n");
    }
}
