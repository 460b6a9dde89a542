//! Shell entries: finding where they end, parsing them, and compiling
//! each into a module of its own (see docs/repl.md).
//!
//! An entry `E1, ..., En.` with bindings `A, B` becomes
//!
//! ```erlang
//! -module('$beryl_shell_7').
//! -export(['$eval'/1]).
//! '$eval'({A, B}) -> Beryl@R = begin
//! E1, ..., En
//! end, {Beryl@R, {New1, New2}}.
//! ```
//!
//! where `New1, New2` are the entry's variables that are bound at its
//! end. Which those are, the compiler says: every variable of the entry
//! is tried, and those the lowering calls unbound or unsafe in the final
//! tuple are dropped and the module compiled again.

use compiler::ast::{Expr, ExprKind};
use compiler::bytecode;
use compiler::diag::{render, Diagnostic};
use compiler::lexer;
use compiler::pp::{FsResolver, Options};
use compiler::source::{FileId, SourceFile, SourceMap, Span};
use compiler::token::{Tok, Token};

/// Split `buf` into complete entries (each with its full stop) and what
/// is left after the last full stop.
pub fn split(buf: &str) -> (Vec<String>, String) {
    let scanned = lexer::scan(FileId(0), buf);
    let mut entries = Vec::new();
    let mut start = 0;
    for t in &scanned.tokens {
        if t.tok == Tok::Dot {
            let end = t.span.hi as usize;
            entries.push(buf[start..end].to_string());
            start = end;
        }
    }
    (entries, buf[start..].to_string())
}

/// Is the text ready to evaluate: it ends with a full stop (or holds no
/// token at all)?
pub fn is_complete(buf: &str) -> bool {
    let scanned = lexer::scan(FileId(0), buf);
    match scanned.tokens.last() {
        None => true,
        Some(t) => t.tok == Tok::Dot,
    }
}

/// Does the text hold any token (not only blanks and comments)?
pub fn has_tokens(buf: &str) -> bool {
    !lexer::scan(FileId(0), buf).tokens.is_empty()
}

/// An entry parsed.
pub struct Parsed {
    pub sources: SourceMap,
    pub file: FileId,
    pub text: String,
    pub tokens: Vec<Token>,
    pub exprs: Vec<Expr>,
    /// Where the full stop is.
    pub dot: usize,
}

/// How diagnostics are shown: with the source line (a terminal) or in
/// OTP's shell form `* 1:4: syntax error before: '.'`.
#[derive(Clone, Copy)]
pub enum Style {
    Rendered { color: bool },
    Otp,
}

pub fn show(d: &Diagnostic, sources: &SourceMap, style: Style) -> String {
    match style {
        Style::Rendered { color } => render(d, sources, color),
        Style::Otp => {
            let (_, line, col) = sources.location(d.span);
            format!("* {line}:{col}: {}\n", d.message)
        }
    }
}

/// Scan and parse an entry (its text ends with the full stop).
pub fn parse(entry: &str, style: Style) -> Result<Parsed, String> {
    let text = entry.trim_start().to_string();
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("shell", text.clone()));
    let scanned = lexer::scan(file, &text);
    for t in &scanned.tokens {
        if let Tok::Error(i) = t.tok {
            if let Some(d) = scanned.errors.get(i as usize) {
                return Err(show(d, &sources, style));
            }
        }
    }
    let dot = match scanned.tokens.last() {
        Some(t) if t.tok == Tok::Dot => t.span.lo as usize,
        _ => text.len(),
    };
    let exprs = compiler::parser::parse_exprs(&scanned.tokens).map_err(|d| show(&d, &sources, style))?;
    Ok(Parsed {
        sources,
        file,
        text,
        tokens: scanned.tokens,
        exprs,
        dot,
    })
}

/// A command the shell itself carries out when it is a whole expression
/// of the entry.
pub enum Command {
    /// `f()`
    ForgetAll,
    /// `f(X)`
    Forget(String),
    /// `b()`
    Bindings,
    /// `h()`
    History,
}

pub fn command(e: &Expr) -> Option<Command> {
    let ExprKind::Call(f, args) = &e.kind else {
        return None;
    };
    let ExprKind::Atom(name) = &f.kind else {
        return None;
    };
    match (&**name, args.as_slice()) {
        ("f", []) => Some(Command::ForgetAll),
        ("f", [a]) => match &a.kind {
            ExprKind::Var(v) => Some(Command::Forget(v.to_string())),
            _ => None,
        },
        ("b", []) => Some(Command::Bindings),
        ("h", []) => Some(Command::History),
        _ => None,
    }
}

/// Shell commands run by the `beryl_shell` module: name and arity.
const HELPERS: &[(&str, &[&str])] = &[
    ("v", &["N"]),
    ("c", &["F"]),
    ("l", &["M"]),
    ("cd", &["D"]),
    ("i", &[]),
    ("regs", &[]),
    ("flush", &[]),
    ("q", &[]),
    ("pwd", &[]),
];

/// Compile the expressions of `p` from the `from`th on into module
/// `module`, given the names already bound. Returns the module and the
/// names it binds, or the diagnostics to show.
pub fn compile(
    p: &Parsed,
    from: usize,
    bound: &[String],
    module: &str,
    style: Style,
) -> Result<(bytecode::Module, Vec<String>), String> {
    let start = p.exprs.get(from).map(|e| e.span.lo as usize).unwrap_or(p.dot);
    let body = &p.text[start..p.dot.max(start)];
    let body_tokens: Vec<&Token> = p
        .tokens
        .iter()
        .filter(|t| t.span.lo as usize >= start && (t.span.hi as usize) <= p.dot)
        .collect();
    // Candidates: every variable the body mentions that is not bound yet.
    let mut candidates: Vec<String> = Vec::new();
    for t in &body_tokens {
        if let Tok::Var(v) = &t.tok {
            let v = v.to_string();
            if v != "_" && !bound.contains(&v) && !candidates.contains(&v) {
                candidates.push(v);
            }
        }
    }
    // Local calls of shell commands get a definition in the module.
    let mut helpers = String::new();
    for (i, t) in body_tokens.iter().enumerate() {
        let Tok::Atom(a) = &t.tok else { continue };
        let callee = body_tokens.get(i + 1).is_some_and(|n| n.tok == Tok::LParen);
        let remote = i > 0 && body_tokens[i - 1].tok == Tok::Colon;
        if !callee || remote {
            continue;
        }
        if let Some((name, params)) = HELPERS.iter().find(|(n, _)| **n == **a) {
            let def = format!(
                "{name}({ps}) -> beryl_shell:{name}({ps}).\n",
                ps = params.join(",")
            );
            if !helpers.contains(&def) {
                helpers.push_str(&def);
            }
        }
    }
    let params = bound.join(",");
    for _ in 0..=candidates.len() + 1 {
        let head = format!(
            "-module('{module}').\n-export(['$eval'/1]).\n\
             '$eval'({{{params}}}) -> Beryl@R = begin\n"
        );
        let offset = head.len();
        let text = format!(
            "{head}{body}\nend, {{Beryl@R, {{{}}}}}.\n{helpers}",
            candidates.join(",")
        );
        let body_end = offset + body.len();
        let mut sources = SourceMap::new();
        let main = sources.add(SourceFile::new("shell", text));
        let resolver = FsResolver {
            lib_roots: Vec::new(),
        };
        let diags = match compiler::compile(&mut sources, main, &resolver, &Options::default()) {
            Ok((m, _warnings)) => return Ok((m, candidates)),
            Err(diags) => diags,
        };
        let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
        let in_body = |d: &Diagnostic| {
            d.span.file == main && (d.span.lo as usize) >= offset && (d.span.lo as usize) <= body_end
        };
        let mine: Vec<&&Diagnostic> = errors.iter().filter(|d| in_body(d)).collect();
        if !mine.is_empty() {
            let mut out = String::new();
            for d in mine {
                let shift = |x: u32| (x as usize - offset + start).min(p.text.len()) as u32;
                let mut d2 = (**d).clone();
                d2.span = Span::new(p.file, shift(d.span.lo), shift(d.span.hi.max(d.span.lo)));
                out.push_str(&show(&d2, &p.sources, style));
            }
            return Err(out);
        }
        // Errors in the final tuple: variables not bound there.
        let before = candidates.len();
        for d in &errors {
            if let Some(name) = d
                .message
                .strip_prefix("variable '")
                .and_then(|r| r.split('\'').next())
            {
                candidates.retain(|c| c != name);
            }
        }
        if candidates.len() == before {
            let mut out = String::new();
            for d in errors {
                out.push_str(&format!("* {}\n", d.message));
            }
            return Err(out);
        }
    }
    Err("* the entry could not be compiled\n".into())
}
