//! The scanner: source text to tokens, with erl_scan's rules.
//!
//! logos recognises the shape of each token; callbacks finish the literals
//! whose syntax is not regular (quoted atoms, strings, characters and their
//! escapes, based integers). Errors do not stop the scan: each becomes a
//! diagnostic and a [`Tok::Error`] token in the stream, so the preprocessor
//! sees them in order, as epp sees erl_scan's errors.

use crate::diag::{DiagKind, Diagnostic};
use crate::source::{FileId, Span};
use crate::token::{IntLit, Name, Tok, Token};
use logos::{Lexer, Logos};
use num_bigint::BigInt;
use std::sync::Arc;

/// The result of scanning one file.
pub struct Scanned {
    pub tokens: Vec<Token>,
    /// Diagnostics referenced by [`Tok::Error`] tokens.
    pub errors: Vec<Diagnostic>,
}

/// What a logos callback can fail with.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LexError {
    #[default]
    IllegalCharacter,
    /// Message and the byte length the error covers from the token start.
    Message(String),
}

#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(error = LexError)]
// erl_scan's white space: code points 0..=32 and 128..=160.
#[logos(skip r"[\x00-\x20\u{80}-\u{a0}]+")]
#[logos(skip r"%[^\n]*")]
enum Raw {
    #[regex(r"[a-z\u{df}-\u{f6}\u{f8}-\u{ff}][a-zA-Z0-9_@\u{c0}-\u{d6}\u{d8}-\u{f6}\u{f8}-\u{ff}]*")]
    Atom,
    #[regex(r"[A-Z_\u{c0}-\u{d6}\u{d8}-\u{de}][a-zA-Z0-9_@\u{c0}-\u{d6}\u{d8}-\u{f6}\u{f8}-\u{ff}]*")]
    Var,
    #[regex(r"[0-9]+(_[0-9]+)*", decimal)]
    Integer(IntLit),
    #[regex(r"[0-9]+(_[0-9]+)*#", based)]
    Based(IntLit),
    #[regex(r"[0-9]+(_[0-9]+)*\.[0-9]+(_[0-9]+)*([eE][+-]?[0-9]+(_[0-9]+)*)?", float)]
    Float(f64),
    #[regex(r"[0-9]+(_[0-9]+)*\.[0-9]+(_[0-9]+)*[eE][+-]?", bad_float)]
    BadFloat,
    #[token("'", quoted_atom)]
    QuotedAtom(String),
    #[token("\"", string)]
    String(String),
    #[token("$", char_literal)]
    Char(char),
    #[token(".", dot)]
    Dot(bool),
    #[token("..")]
    DotDot,
    #[token("...")]
    DotDotDot,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token("|")]
    Bar,
    #[token("||")]
    BarBar,
    #[token("->")]
    Arrow,
    #[token("=>")]
    FatArrow,
    #[token(":=")]
    ColonEq,
    #[token("::")]
    ColonColon,
    #[token(":")]
    Colon,
    #[token("#")]
    Hash,
    #[token("!")]
    Bang,
    #[token("=")]
    Eq,
    #[token("==")]
    EqEq,
    #[token("/=")]
    SlashEq,
    #[token("=<")]
    EqLt,
    #[token("<")]
    Lt,
    #[token(">=")]
    GtEq,
    #[token(">")]
    Gt,
    #[token("=:=")]
    EqColonEq,
    #[token("=/=")]
    EqSlashEq,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("++")]
    PlusPlus,
    #[token("--")]
    MinusMinus,
    #[token("<<")]
    LtLt,
    #[token(">>")]
    GtGt,
    #[token("<=")]
    LtEq,
    #[token("<-")]
    LArrow,
    #[token("?")]
    Question,
    #[token("?=")]
    QuestionEq,
}

fn strip_separators(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('_') {
        std::borrow::Cow::Owned(s.replace('_', ""))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn parse_int(digits: &str, base: u32) -> Option<IntLit> {
    let digits = strip_separators(digits);
    if digits.len() <= 12 {
        if let Ok(v) = i64::from_str_radix(&digits, base) {
            return Some(IntLit::Small(v));
        }
    }
    BigInt::parse_bytes(digits.as_bytes(), base).map(IntLit::from_big)
}

fn decimal(lex: &mut Lexer<Raw>) -> Result<IntLit, LexError> {
    parse_int(lex.slice(), 10).ok_or(LexError::Message("illegal integer".into()))
}

/// `Base#Digits`: the regex matched the base and `#`; take the digits valid
/// in that base (with `_` between digits), as erl_scan does.
fn based(lex: &mut Lexer<Raw>) -> Result<IntLit, LexError> {
    let base_text = &lex.slice()[..lex.slice().len() - 1];
    let base: u32 = match strip_separators(base_text).parse::<u32>() {
        Ok(b) if (2..=36).contains(&b) => b,
        _ => {
            return Err(LexError::Message(format!(
                "illegal base '{}'",
                strip_separators(base_text)
            )))
        }
    };
    let rest = lex.remainder().as_bytes();
    let valid = |c: u8| (c as char).is_digit(base);
    let mut n = 0;
    while n < rest.len() {
        // A `_` separator must stand between two valid digits.
        let separator =
            rest[n] == b'_' && n > 0 && valid(rest[n - 1]) && n + 1 < rest.len() && valid(rest[n + 1]);
        if !(valid(rest[n]) || separator) {
            break;
        }
        n += 1;
    }
    let digits = std::str::from_utf8(&rest[..n]).unwrap_or("");
    lex.bump(n);
    if digits.is_empty() {
        return Err(LexError::Message("illegal integer".into()));
    }
    parse_int(digits, base).ok_or(LexError::Message("illegal integer".into()))
}

fn bad_float(_: &mut Lexer<Raw>) -> Result<(), LexError> {
    Err(LexError::Message("illegal float".into()))
}

fn float(lex: &mut Lexer<Raw>) -> Result<f64, LexError> {
    match strip_separators(lex.slice()).parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        _ => Err(LexError::Message("illegal float".into())),
    }
}

/// A `.` ends a form when followed by white space, `%` or the end.
fn dot(lex: &mut Lexer<Raw>) -> bool {
    match lex.remainder().chars().next() {
        None => true,
        Some(c) => c == '%' || is_white_space(c),
    }
}

fn is_white_space(c: char) -> bool {
    (c as u32) <= 32 || (128..=160).contains(&(c as u32))
}

/// Valid in a string, atom or character literal (erl_scan's ?UNICODE).
fn is_unicode(c: u32) -> bool {
    c < 0xD800 || (0xDFFF < c && c < 0xFFFE) || (0xFFFF < c && c <= 0x10FFFF)
}

/// Scan one escape sequence after a backslash. Returns the character and the
/// number of bytes consumed after the backslash.
fn escape(rest: &str) -> Result<(char, usize), (String, usize)> {
    let bytes = rest.as_bytes();
    let Some(&first) = bytes.first() else {
        return Err(("unterminated escape".into(), 0));
    };
    let is_oct = |b: u8| (b'0'..=b'7').contains(&b);
    if is_oct(first) {
        let mut n = 1;
        let mut v = (first - b'0') as u32;
        while n < 3 && n < bytes.len() && is_oct(bytes[n]) {
            v = v * 8 + (bytes[n] - b'0') as u32;
            n += 1;
        }
        return Ok((char::from_u32(v).unwrap_or('\0'), n));
    }
    match first {
        b'x' => {
            if bytes.get(1) == Some(&b'{') {
                let end = rest[2..].find(|c: char| !c.is_ascii_hexdigit()).map(|e| e + 2);
                match end {
                    Some(e) if bytes[e] == b'}' && e > 2 => {
                        let v = u32::from_str_radix(&rest[2..e], 16).unwrap_or(u32::MAX);
                        match char::from_u32(v) {
                            Some(c) if is_unicode(v) => Ok((c, e + 1)),
                            _ => Err(("illegal character".into(), e + 1)),
                        }
                    }
                    Some(e) => Err(("illegal character".into(), e)),
                    None => Err(("illegal character".into(), rest.len())),
                }
            } else if bytes.len() >= 3 && bytes[1].is_ascii_hexdigit() && bytes[2].is_ascii_hexdigit() {
                let v = u32::from_str_radix(&rest[1..3], 16).unwrap_or(0);
                Ok((char::from_u32(v).unwrap_or('\0'), 3))
            } else {
                Err(("illegal character".into(), 1))
            }
        }
        b'^' => match rest[1..].chars().next() {
            Some('\n') => Ok(('\n', 2)),
            Some(c) => Ok((char::from_u32(c as u32 & 31).unwrap_or('\0'), 1 + c.len_utf8())),
            None => Err(("unterminated escape".into(), 1)),
        },
        _ => {
            let c = rest.chars().next().unwrap_or('\0');
            let v = match c {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\u{b}',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'e' => '\u{1b}',
                's' => ' ',
                'd' => '\u{7f}',
                c => c,
            };
            Ok((v, c.len_utf8()))
        }
    }
}

/// Scan a quoted literal body up to `quote`; the lexer is just past the
/// opening quote.
fn quoted(lex: &mut Lexer<Raw>, quote: char) -> Result<String, LexError> {
    let rest = lex.remainder();
    let mut out = String::new();
    let mut i = 0;
    let mut error: Option<(String, usize)> = None;
    loop {
        let Some(c) = rest[i..].chars().next() else {
            lex.bump(rest.len());
            let what = if quote == '"' { "string" } else { "quoted atom" };
            let start: String = out.chars().take(16).collect();
            return Err(LexError::Message(format!(
                "unterminated {what} starting with {}",
                crate::pretty::string_literal(&start)
            )));
        };
        if c == quote {
            i += 1;
            break;
        }
        if c == '\\' {
            match escape(&rest[i + 1..]) {
                Ok((v, n)) => {
                    out.push(v);
                    i += 1 + n;
                }
                Err((msg, n)) => {
                    if n == 0 {
                        // Backslash at the very end of input.
                        lex.bump(rest.len());
                        return Err(LexError::Message(msg));
                    }
                    error.get_or_insert((msg, i));
                    i += 1 + n;
                }
            }
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    lex.bump(i);
    if let Some((msg, _)) = error {
        return Err(LexError::Message(msg));
    }
    Ok(out)
}

fn quoted_atom(lex: &mut Lexer<Raw>) -> Result<String, LexError> {
    let s = quoted(lex, '\'')?;
    if s.chars().count() > 255 {
        return Err(LexError::Message("illegal atom".into()));
    }
    Ok(s)
}

fn string(lex: &mut Lexer<Raw>) -> Result<String, LexError> {
    quoted(lex, '"')
}

fn char_literal(lex: &mut Lexer<Raw>) -> Result<char, LexError> {
    let rest = lex.remainder();
    match rest.chars().next() {
        None => Err(LexError::Message("unterminated character".into())),
        Some('\\') => match escape(&rest[1..]) {
            Ok((c, n)) => {
                lex.bump(1 + n);
                Ok(c)
            }
            Err((msg, n)) => {
                lex.bump(1 + n);
                Err(LexError::Message(msg))
            }
        },
        Some(c) => {
            lex.bump(c.len_utf8());
            Ok(c)
        }
    }
}

/// Scan a whole file.
pub fn scan(file: FileId, text: &str) -> Scanned {
    let mut tokens = Vec::with_capacity(text.len() / 4);
    let mut errors = Vec::new();
    let mut lex = Raw::lexer(text);
    while let Some(raw) = lex.next() {
        let range = lex.span();
        let span = Span::new(file, range.start as u32, range.end as u32);
        let tok = match raw {
            Ok(raw) => match convert(raw, lex.slice()) {
                Some(t) => t,
                None => continue,
            },
            Err(err) => {
                let slice = lex.slice();
                let message = match err {
                    LexError::Message(m) => m,
                    LexError::IllegalCharacter => {
                        // erl_scan turns any other character up to U+00FF
                        // into a one-character token of its own.
                        if let Some(c) = slice.chars().next() {
                            if (c as u32) <= 0xff && slice.chars().count() == 1 {
                                tokens.push(Token::new(Tok::Other(c), span));
                                continue;
                            }
                        }
                        "illegal character".to_string()
                    }
                };
                let idx = errors.len() as u32;
                errors.push(Diagnostic::error(DiagKind::Lex, span, message));
                Tok::Error(idx)
            }
        };
        tokens.push(Token::new(tok, span));
    }
    Scanned { tokens, errors }
}

fn name(s: &str) -> Name {
    Arc::from(s)
}

fn convert(raw: Raw, slice: &str) -> Option<Tok> {
    Some(match raw {
        // `maybe` and `else` are scanned as keywords; the preprocessor turns
        // them back into atoms unless the `maybe_expr` feature is enabled.
        Raw::Atom => match slice {
            "maybe" => Tok::Maybe,
            "else" => Tok::Else,
            _ => Tok::keyword(slice).unwrap_or_else(|| Tok::Atom(name(slice))),
        },
        Raw::Var => Tok::Var(name(slice)),
        Raw::Integer(i) | Raw::Based(i) => Tok::Integer(i),
        Raw::Float(f) => Tok::Float(f),
        Raw::BadFloat => return None,
        Raw::QuotedAtom(s) => Tok::Atom(name(&s)),
        Raw::String(s) => Tok::String(Arc::from(s)),
        Raw::Char(c) => Tok::Char(c),
        Raw::Dot(true) => Tok::Dot,
        Raw::Dot(false) => Tok::Period,
        Raw::DotDot => Tok::DotDot,
        Raw::DotDotDot => Tok::DotDotDot,
        Raw::LParen => Tok::LParen,
        Raw::RParen => Tok::RParen,
        Raw::LBracket => Tok::LBracket,
        Raw::RBracket => Tok::RBracket,
        Raw::LBrace => Tok::LBrace,
        Raw::RBrace => Tok::RBrace,
        Raw::Comma => Tok::Comma,
        Raw::Semi => Tok::Semi,
        Raw::Bar => Tok::Bar,
        Raw::BarBar => Tok::BarBar,
        Raw::Arrow => Tok::Arrow,
        Raw::FatArrow => Tok::FatArrow,
        Raw::ColonEq => Tok::ColonEq,
        Raw::ColonColon => Tok::ColonColon,
        Raw::Colon => Tok::Colon,
        Raw::Hash => Tok::Hash,
        Raw::Bang => Tok::Bang,
        Raw::Eq => Tok::Eq,
        Raw::EqEq => Tok::EqEq,
        Raw::SlashEq => Tok::SlashEq,
        Raw::EqLt => Tok::EqLt,
        Raw::Lt => Tok::Lt,
        Raw::GtEq => Tok::GtEq,
        Raw::Gt => Tok::Gt,
        Raw::EqColonEq => Tok::EqColonEq,
        Raw::EqSlashEq => Tok::EqSlashEq,
        Raw::Plus => Tok::Plus,
        Raw::Minus => Tok::Minus,
        Raw::Star => Tok::Star,
        Raw::Slash => Tok::Slash,
        Raw::PlusPlus => Tok::PlusPlus,
        Raw::MinusMinus => Tok::MinusMinus,
        Raw::LtLt => Tok::LtLt,
        Raw::GtGt => Tok::GtGt,
        Raw::LtEq => Tok::LtEq,
        Raw::LArrow => Tok::LArrow,
        Raw::Question => Tok::Question,
        Raw::QuestionEq => Tok::QuestionEq,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        let s = scan(FileId(0), src);
        s.tokens.into_iter().map(|t| t.tok).collect()
    }

    fn atom(s: &str) -> Tok {
        Tok::Atom(name(s))
    }

    #[test]
    fn atoms_variables_keywords() {
        assert_eq!(
            toks("foo Bar _x 'a b' case maybe else ñu Ñu"),
            vec![
                atom("foo"),
                Tok::Var(name("Bar")),
                Tok::Var(name("_x")),
                atom("a b"),
                Tok::Case,
                Tok::Maybe,
                Tok::Else,
                atom("ñu"),
                Tok::Var(name("Ñu")),
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("42 1_000 16#ff 2#1010 36#zz 1.5 2.0e3 1.0E-2 1_0.2_5"),
            vec![
                Tok::Integer(IntLit::Small(42)),
                Tok::Integer(IntLit::Small(1000)),
                Tok::Integer(IntLit::Small(255)),
                Tok::Integer(IntLit::Small(10)),
                Tok::Integer(IntLit::Small(36 * 35 + 35)),
                Tok::Float(1.5),
                Tok::Float(2000.0),
                Tok::Float(0.01),
                Tok::Float(10.25),
            ]
        );
        let big = toks("123456789012345678901234567890");
        assert_eq!(
            big,
            vec![Tok::Integer(IntLit::from_big(
                "123456789012345678901234567890".parse().unwrap()
            ))]
        );
        // 2#102 scans as 2#10 followed by 2, as in erl_scan.
        assert_eq!(
            toks("2#102"),
            vec![Tok::Integer(IntLit::Small(2)), Tok::Integer(IntLit::Small(2))]
        );
    }

    #[test]
    fn chars_and_escapes() {
        assert_eq!(
            toks(r"$a $\n $\s $\x{1F600} $\^A $\101 $\x41 $\\ $  "),
            vec![
                Tok::Char('a'),
                Tok::Char('\n'),
                Tok::Char(' '),
                Tok::Char('\u{1F600}'),
                Tok::Char('\u{1}'),
                Tok::Char('A'),
                Tok::Char('A'),
                Tok::Char('\\'),
                Tok::Char(' '),
            ]
        );
    }

    #[test]
    fn strings() {
        assert_eq!(
            toks(r#""a\tb\"c" "\e\d\v""#),
            vec![
                Tok::String(Arc::from("a\tb\"c")),
                Tok::String(Arc::from("\u{1b}\u{7f}\u{b}")),
            ]
        );
    }

    #[test]
    fn operators_and_dots() {
        assert_eq!(
            toks("=:= =/= =< ++ -- ! || <- <= << >> => := :: .. ... ? ?= #.\nX.Y"),
            vec![
                Tok::EqColonEq,
                Tok::EqSlashEq,
                Tok::EqLt,
                Tok::PlusPlus,
                Tok::MinusMinus,
                Tok::Bang,
                Tok::BarBar,
                Tok::LArrow,
                Tok::LtEq,
                Tok::LtLt,
                Tok::GtGt,
                Tok::FatArrow,
                Tok::ColonEq,
                Tok::ColonColon,
                Tok::DotDot,
                Tok::DotDotDot,
                Tok::Question,
                Tok::QuestionEq,
                Tok::Hash,
                Tok::Dot,
                Tok::Var(name("X")),
                Tok::Period,
                Tok::Var(name("Y")),
            ]
        );
        assert_eq!(toks("a.%c\n"), vec![atom("a"), Tok::Dot]);
        assert_eq!(toks("a."), vec![atom("a"), Tok::Dot]);
    }

    #[test]
    fn comments_and_other_chars() {
        assert_eq!(
            toks("a % comment\n@ ^"),
            vec![atom("a"), Tok::Other('@'), Tok::Other('^')]
        );
    }

    #[test]
    fn errors_are_tokens() {
        let s = scan(FileId(0), "a \"unterminated");
        assert_eq!(s.errors.len(), 1);
        assert!(matches!(s.tokens[1].tok, Tok::Error(0)));
        let s = scan(FileId(0), "x \u{2603} y");
        assert_eq!(s.errors[0].message, "illegal character");
        let s = scan(FileId(0), "1.0e+ 1#0 '\\x{110000}'");
        assert_eq!(s.errors.len(), 3);
    }
}
