//! Macro definitions and expansion, with epp's rules: overloading by arity,
//! arguments substituted as tokens and expanded after substitution, `??Arg`,
//! expansions located at the call, and circular definitions detected.

use crate::pretty;
use crate::source::Span;
use crate::token::{Name, Tok, Token};
use std::collections::HashMap;

/// Arity of a macro definition: `None` for `-define(M, ...)` (no parentheses).
pub type Arity = Option<usize>;

#[derive(Clone, Debug)]
pub struct MacroDef {
    pub params: Vec<Name>,
    pub body: Vec<Token>,
}

#[derive(Clone, Debug)]
pub enum MacroEntry {
    /// A predefined name with no value yet (`MODULE` before `-module`).
    Undefined,
    /// A predefined macro (`FILE`, `MACHINE`, ...); cannot be redefined.
    Predefined(Vec<Token>),
    /// User definitions, one per arity. `FEATURE_AVAILABLE` and
    /// `FEATURE_ENABLED` are predefined but stored this way, as in epp.
    User(Vec<(Arity, MacroDef)>),
}

/// An expansion error: where and what (epp's message), and whether it is an
/// undefined macro (which tools count separately).
#[derive(Clone, Debug)]
pub struct ExpandError {
    pub span: Span,
    pub message: String,
    pub undefined: bool,
}

impl ExpandError {
    pub fn new(span: Span, message: impl Into<String>) -> ExpandError {
        ExpandError {
            span,
            message: message.into(),
            undefined: false,
        }
    }
}

/// The name a macro call uses: `?atom` or `?Var`.
pub fn macro_name(tok: &Tok) -> Option<&Name> {
    match tok {
        Tok::Atom(n) | Tok::Var(n) => Some(n),
        _ => None,
    }
}

fn describe_arity(arity: Arity) -> String {
    match arity {
        None => String::new(),
        Some(a) => format!("/{a}"),
    }
}

pub fn undefined_error(span: Span, name: &str, arity: Arity) -> ExpandError {
    ExpandError {
        span,
        message: format!("undefined macro '{}{}'", name, describe_arity(arity)),
        undefined: true,
    }
}

/// Which macros a definition body calls, for circularity checks.
pub fn macro_uses(body: &[Token]) -> Vec<(Name, Arity)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        if body[i].tok == Tok::Question {
            if let Some(next) = body.get(i + 1) {
                if next.tok == Tok::Question {
                    i += 2;
                    continue;
                }
                if let Some(name) = macro_name(&next.tok) {
                    // A malformed argument list just counts as no arguments here.
                    let arity = count_args(&body[i + 2..], next.span, name).unwrap_or(None);
                    out.push((name.clone(), arity));
                }
            }
        }
        i += 1;
    }
    out.sort_by(|a, b| (&*a.0, a.1).cmp(&(&*b.0, b.1)));
    out.dedup();
    out
}

/// Bracket kinds that `macro_arg` balances: `(`, `<<`, `[`, `{` and the
/// keyword blocks that end with `end`.
fn closer_for(toks: &[Token], i: usize) -> Option<Tok> {
    match &toks[i].tok {
        Tok::LParen => Some(Tok::RParen),
        Tok::LtLt => Some(Tok::GtGt),
        Tok::LBracket => Some(Tok::RBracket),
        Tok::LBrace => Some(Tok::RBrace),
        Tok::Begin | Tok::If | Tok::Case | Tok::Receive | Tok::Try | Tok::Cond => Some(Tok::End),
        // `fun (` and `fun Name (` open a block; `fun f/1` does not.
        Tok::Fun => match toks.get(i + 1).map(|t| &t.tok) {
            Some(Tok::LParen) => Some(Tok::End),
            Some(Tok::Var(_)) if matches!(toks.get(i + 2).map(|t| &t.tok), Some(Tok::LParen)) => {
                Some(Tok::End)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Collect one macro argument: tokens up to a `,` or `)` at depth zero.
/// Returns the argument and the index where it stopped.
pub fn macro_arg(toks: &[Token], start: usize) -> (Vec<Token>, usize) {
    let mut closers: Vec<Tok> = Vec::new();
    let mut arg = Vec::new();
    let mut i = start;
    while i < toks.len() {
        let t = &toks[i];
        if closers.is_empty() && matches!(t.tok, Tok::Comma | Tok::RParen) {
            return (arg, i);
        }
        if let Some(c) = closer_for(toks, i) {
            closers.push(c);
        } else if closers.last() == Some(&t.tok) {
            closers.pop();
        }
        arg.push(t.clone());
        i += 1;
    }
    (arg, i)
}

/// epp's count_args: `None` when no `(` follows the macro name.
pub fn count_args(toks: &[Token], at: Span, name: &str) -> Result<Arity, ExpandError> {
    let arg_error = || ExpandError::new(at, format!("badly formed argument for macro '{name}'"));
    let mismatch = || ExpandError::new(at, format!("argument mismatch for macro '{name}'"));
    match (toks.first().map(|t| &t.tok), toks.get(1).map(|t| &t.tok)) {
        (Some(Tok::LParen), Some(Tok::RParen)) => return Ok(Some(0)),
        (Some(Tok::LParen), Some(Tok::Comma)) => return Err(arg_error()),
        (Some(Tok::LParen), _) => {}
        _ => return Ok(None),
    }
    let (_, mut i) = macro_arg(toks, 1);
    let mut n = 1;
    loop {
        match (toks.get(i).map(|t| &t.tok), toks.get(i + 1).map(|t| &t.tok)) {
            (Some(Tok::RParen), _) => return Ok(Some(n)),
            (Some(Tok::Comma), Some(Tok::RParen)) => return Err(arg_error()),
            (Some(Tok::Comma), _) => {
                let (_, j) = macro_arg(toks, i + 1);
                i = j;
                n += 1;
            }
            (None, _) => return Err(arg_error()),
            _ => return Err(mismatch()),
        }
    }
}

/// Bind the arguments of a call; returns the bindings and the index after
/// the closing parenthesis.
pub fn bind_args(
    toks: &[Token],
    at: Span,
    name: &str,
    params: &[Name],
) -> Result<(HashMap<Name, Vec<Token>>, usize), ExpandError> {
    let mismatch = || ExpandError::new(at, format!("argument mismatch for macro '{name}'"));
    let mut bindings = HashMap::new();
    if params.is_empty() {
        return match (toks.first().map(|t| &t.tok), toks.get(1).map(|t| &t.tok)) {
            (Some(Tok::LParen), Some(Tok::RParen)) => Ok((bindings, 2)),
            _ => Err(mismatch()),
        };
    }
    if toks.first().map(|t| &t.tok) != Some(&Tok::LParen) {
        return Err(mismatch());
    }
    let mut i = 1;
    for (k, p) in params.iter().enumerate() {
        if k > 0 {
            if toks.get(i).map(|t| &t.tok) != Some(&Tok::Comma) {
                return Err(mismatch());
            }
            i += 1;
        }
        let (arg, j) = macro_arg(toks, i);
        if arg.is_empty() {
            return Err(mismatch());
        }
        bindings.insert(p.clone(), arg);
        i = j;
    }
    match toks.get(i).map(|t| &t.tok) {
        Some(Tok::RParen) => Ok((bindings, i + 1)),
        None => Err(ExpandError::new(
            at,
            format!("badly formed argument for macro '{name}'"),
        )),
        _ => Err(mismatch()),
    }
}

/// Substitute a macro body: body tokens take the call's location, argument
/// tokens keep theirs, and `??Arg` becomes a string of the argument's text.
/// As epp "simulates textual expansion", body tokens after an argument take
/// the location of that argument's last token.
pub fn substitute(body: &[Token], at: Span, bindings: &HashMap<Name, Vec<Token>>) -> Vec<Token> {
    let mut out = Vec::with_capacity(body.len());
    let mut anno = at;
    let mut i = 0;
    while i < body.len() {
        let t = &body[i];
        if let Tok::Var(v) = &t.tok {
            if let Some(val) = bindings.get(v) {
                out.extend(val.iter().cloned());
                if let Some(last) = val.last() {
                    anno = last.span;
                }
                i += 1;
                continue;
            }
        }
        if t.tok == Tok::Question && body.get(i + 1).map(|t| &t.tok) == Some(&Tok::Question) {
            if let Some(Tok::Var(v)) = body.get(i + 2).map(|t| &t.tok) {
                match bindings.get(v) {
                    Some(val) => out.push(Token::new(Tok::String(stringify(val).into()), anno)),
                    None => out.push(Token::new(Tok::Var(v.clone()), anno)),
                }
                i += 3;
                continue;
            }
        }
        out.push(Token::new(t.tok.clone(), anno));
        i += 1;
    }
    out
}

/// epp's token_src: the text of one token for `??Arg`.
pub fn token_src(tok: &Tok) -> String {
    match tok {
        Tok::Dot => ".".to_string(),
        Tok::Var(v) => v.to_string(),
        Tok::Char(c) => pretty::char_literal(*c),
        Tok::String(s) => pretty::string_literal(s),
        Tok::Atom(a) => pretty::quote_atom(a),
        Tok::Integer(i) => i.to_string(),
        Tok::Float(f) => pretty::float_literal(*f),
        Tok::Other(c) => c.to_string(),
        Tok::Error(_) => String::new(),
        t => t.fixed_text().unwrap_or("").to_string(),
    }
}

pub fn stringify(toks: &[Token]) -> String {
    toks.iter()
        .map(|t| token_src(&t.tok))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::scan;
    use crate::source::FileId;

    fn toks(s: &str) -> Vec<Token> {
        scan(FileId(0), s).tokens
    }

    #[test]
    fn counts_arguments_with_nesting() {
        let at = Span::default();
        assert_eq!(
            count_args(&toks("(a, {b, c}, fun(X) -> X end)"), at, "M").unwrap(),
            Some(3)
        );
        assert_eq!(count_args(&toks("()"), at, "M").unwrap(), Some(0));
        assert_eq!(count_args(&toks("x"), at, "M").unwrap(), None);
        assert!(count_args(&toks("(a,)"), at, "M").is_err());
        assert!(count_args(&toks("(a"), at, "M").is_err());
    }

    #[test]
    fn stringifies_like_epp() {
        assert_eq!(
            stringify(&toks("foo(X, \"s\", $a, 'A b') -> 1.5")),
            "foo ( X , \"s\" , $a , 'A b' ) -> 1.5"
        );
    }

    #[test]
    fn finds_uses() {
        let uses = macro_uses(&toks("?A + ?B(1, 2) + ??X"));
        assert_eq!(uses, vec![("A".into(), None), ("B".into(), Some(2))]);
    }
}
