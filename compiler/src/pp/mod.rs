//! The preprocessor, with the semantics of OTP's epp.
//!
//! It reads a file form by form (a form ends with a full stop), handles the
//! directives (`-define`, `-undef`, `-include`, `-include_lib`, `-ifdef`,
//! `-ifndef`, `-if`, `-elif`, `-else`, `-endif`, `-error`, `-warning`,
//! `-feature`, `-file`) and expands macros in every other form. Files are
//! read through a [`Resolver`], so the compiler itself does no I/O.
//!
//! The output is the sequence epp gives `epp:parse_file/2`: forms (as
//! tokens) interleaved with errors and warnings, in source order.

mod cond;
pub mod macros;

use crate::diag::{DiagKind, Diagnostic};
use crate::lexer;
use crate::source::{decode_source, FileId, SourceFile, SourceMap, Span};
use crate::token::{IntLit, Name, Tok, Token};
use macros::{Arity, ExpandError, MacroDef, MacroEntry};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// How the preprocessor reaches files. The compiler never touches the file
/// system itself; the command line, the REPL and embedders each supply one.
pub trait Resolver {
    /// The bytes of a file, or `None` if it cannot be read.
    fn read(&self, path: &Path) -> Option<Vec<u8>>;
    /// The directory of an installed application (`code:lib_dir(App)`),
    /// where `-include_lib("app/include/x.hrl")` looks.
    fn lib_dir(&self, _app: &str) -> Option<PathBuf> {
        None
    }
    /// An environment variable, for `-include("$VAR/x.hrl")`.
    fn env(&self, _var: &str) -> Option<String> {
        None
    }
}

/// A resolver that reads the real file system.
pub struct FsResolver {
    /// Directories holding applications (`app` or `app-VSN`) for include_lib.
    pub lib_roots: Vec<PathBuf>,
}

impl Resolver for FsResolver {
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        if path.is_dir() {
            return None;
        }
        std::fs::read(path).ok()
    }

    fn lib_dir(&self, app: &str) -> Option<PathBuf> {
        for root in &self.lib_roots {
            let exact = root.join(app);
            if exact.is_dir() {
                return Some(exact);
            }
            // The highest `app-VSN` directory.
            let prefix = format!("{app}-");
            let mut best: Option<(Vec<u64>, PathBuf)> = None;
            for entry in std::fs::read_dir(root).ok()?.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if let Some(vsn) = name.strip_prefix(&prefix) {
                    let key: Vec<u64> = vsn.split(['.', '-']).map(|p| p.parse().unwrap_or(0)).collect();
                    if best.as_ref().map(|(k, _)| key > *k).unwrap_or(true) {
                        best = Some((key, entry.path()));
                    }
                }
            }
            if let Some((_, p)) = best {
                return Some(p);
            }
        }
        None
    }

    fn env(&self, var: &str) -> Option<String> {
        std::env::var(var).ok()
    }
}

/// Options of one preprocessing run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Searched, in order, after the directory of the including file.
    pub include_dirs: Vec<PathBuf>,
    /// Macros predefined by the caller (`-D` on the command line): name and
    /// the source text of the value (`true` when none is given).
    pub defines: Vec<(String, String)>,
    /// The `?OTP_RELEASE` value: the OTP release Beryl behaves as.
    pub otp_release: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            include_dirs: Vec::new(),
            defines: Vec::new(),
            otp_release: 25,
        }
    }
}

/// One item of the preprocessor's output, in source order.
#[derive(Clone, Debug)]
pub enum Item {
    /// The tokens of one form, macros expanded, ending with its full stop.
    Form(Vec<Token>),
    Error(Diagnostic),
    Warning(Diagnostic),
}

/// Which conditional a `-ifdef`/`-ifndef`/`-if`/`-else`/`-elif` opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CondKind {
    Ifdef,
    Ifndef,
    If,
    Else,
    Elif,
}

impl CondKind {
    fn name(self) -> &'static str {
        match self {
            CondKind::Ifdef => "ifdef",
            CondKind::Ifndef => "ifndef",
            CondKind::If => "if",
            CondKind::Else => "else",
            CondKind::Elif => "elif",
        }
    }
}

/// One file being read (the main file or an include).
struct FileCtx {
    file: FileId,
    tokens: Vec<Token>,
    lex_errors: Vec<Diagnostic>,
    pos: usize,
    /// The head of the include path: this file's directory.
    dir: PathBuf,
    /// Conditionals open in this file (epp's istk), with where each opened.
    istk: Vec<(CondKind, Span)>,
    /// While skipping: the stack of conditionals being skipped.
    skip: Vec<(CondKind, Span)>,
    /// The `?FILE` value of the including file, restored on leaving.
    saved_file_macro: Option<MacroEntry>,
}

/// How reading the next form went.
enum Read {
    Form(Vec<Token>),
    Error(Diagnostic),
    Eof(Span),
}

/// The macros one definition calls: (name, arity) pairs.
type MacroUses = Vec<(Name, Arity)>;

/// Most nested includes epp allows.
const MAX_INCLUDE_DEPTH: usize = 8;
/// Bound on macro expansion steps in one form, so that self-feeding macros
/// that epp would loop on forever end with an error instead.
const MAX_EXPANSIONS: usize = 200_000;

pub struct Preprocessor<'a> {
    sources: &'a mut SourceMap,
    resolver: &'a dyn Resolver,
    include_dirs: Vec<PathBuf>,
    macros: HashMap<Name, MacroEntry>,
    uses: HashMap<Name, Vec<(Arity, MacroUses)>>,
    stack: Vec<FileCtx>,
    maybe_enabled: bool,
    in_prefix: bool,
    out: Vec<Item>,
    finished: bool,
}

fn name(s: &str) -> Name {
    Arc::from(s)
}

fn tok_at(tok: Tok, span: Span) -> Token {
    Token::new(tok, span)
}

impl<'a> Preprocessor<'a> {
    /// Start preprocessing `main`, which must already be in `sources`.
    pub fn new(
        sources: &'a mut SourceMap,
        main: FileId,
        resolver: &'a dyn Resolver,
        opts: &Options,
    ) -> Preprocessor<'a> {
        let file = sources.get(main);
        let file_name = file.name.clone();
        let dir = dirname(&file_name);
        let scanned = lexer::scan(main, &file.text);
        let at = Span::new(main, 0, 0);
        let mut pp = Preprocessor {
            sources,
            resolver,
            include_dirs: opts.include_dirs.clone(),
            macros: HashMap::new(),
            uses: HashMap::new(),
            stack: vec![FileCtx {
                file: main,
                tokens: scanned.tokens,
                lex_errors: scanned.errors,
                pos: 0,
                dir,
                istk: Vec::new(),
                skip: Vec::new(),
                saved_file_macro: None,
            }],
            maybe_enabled: false,
            in_prefix: true,
            out: Vec::new(),
            finished: false,
        };
        pp.predefine(&file_name, at, opts);
        pp
    }

    fn predefine(&mut self, file_name: &str, at: Span, opts: &Options) {
        let m = &mut self.macros;
        m.insert(
            name("FILE"),
            MacroEntry::Predefined(vec![tok_at(Tok::String(file_name.into()), at)]),
        );
        m.insert(
            name("LINE"),
            MacroEntry::Predefined(vec![tok_at(Tok::Integer(IntLit::Small(1)), at)]),
        );
        for undefined in [
            "FUNCTION_NAME",
            "FUNCTION_ARITY",
            "MODULE",
            "MODULE_STRING",
            "BASE_MODULE",
            "BASE_MODULE_STRING",
        ] {
            m.insert(name(undefined), MacroEntry::Undefined);
        }
        // Beryl runs BEAM programs: code that tests ?MACHINE must see 'BEAM'.
        m.insert(
            name("MACHINE"),
            MacroEntry::Predefined(vec![tok_at(Tok::Atom(name("BEAM")), at)]),
        );
        m.insert(
            name("BEAM"),
            MacroEntry::Predefined(vec![tok_at(Tok::Atom(name("true")), at)]),
        );
        m.insert(
            name("OTP_RELEASE"),
            MacroEntry::Predefined(vec![tok_at(
                Tok::Integer(IntLit::Small(opts.otp_release as i64)),
                at,
            )]),
        );
        m.insert(name("FEATURE_AVAILABLE"), feature_macro(&["maybe_expr"], at));
        m.insert(name("FEATURE_ENABLED"), feature_macro(&[], at));
        for (k, v) in &opts.defines {
            let body = lexer::scan(at.file, v)
                .tokens
                .into_iter()
                .map(|t| Token::new(t.tok, at))
                .collect();
            m.insert(
                name(k),
                MacroEntry::User(vec![(None, MacroDef { params: vec![], body })]),
            );
        }
    }

    /// Run to the end and return every item.
    pub fn run(mut self) -> Vec<Item> {
        while !self.finished {
            self.step();
        }
        self.out
    }

    fn ctx(&mut self) -> &mut FileCtx {
        self.stack.last_mut().expect("the main file stays on the stack")
    }

    fn error(&mut self, kind: DiagKind, span: Span, message: impl Into<String>) {
        self.out.push(Item::Error(Diagnostic::error(kind, span, message)));
    }

    fn pp_error(&mut self, span: Span, message: impl Into<String>) {
        self.error(DiagKind::Preprocessor, span, message);
    }

    fn expand_error(&mut self, e: ExpandError) {
        let kind = if e.undefined {
            DiagKind::UndefinedMacro
        } else {
            DiagKind::Preprocessor
        };
        self.error(kind, e.span, e.message);
    }

    /// Read the next form's tokens from the current file.
    fn read_form(&mut self) -> Read {
        let maybe = self.maybe_enabled;
        let ctx = self.ctx();
        let mut form = Vec::new();
        while ctx.pos < ctx.tokens.len() {
            let t = &ctx.tokens[ctx.pos];
            ctx.pos += 1;
            match &t.tok {
                Tok::Error(i) => {
                    // The rest of the form is dropped with the error: what
                    // follows a bad token only produces noise.
                    let d = ctx.lex_errors[*i as usize].clone();
                    while ctx.pos < ctx.tokens.len() {
                        ctx.pos += 1;
                        if ctx.tokens[ctx.pos - 1].tok == Tok::Dot {
                            break;
                        }
                    }
                    return Read::Error(d);
                }
                Tok::Dot => {
                    form.push(t.clone());
                    return Read::Form(form);
                }
                // `maybe` and `else` are reserved only with the feature on.
                Tok::Maybe if !maybe => form.push(Token::new(Tok::Atom(name("maybe")), t.span)),
                Tok::Else if !maybe => form.push(Token::new(Tok::Atom(name("else")), t.span)),
                _ => form.push(t.clone()),
            }
        }
        if form.is_empty() {
            let file = ctx.file;
            let end = self.sources.get(file).text.len() as u32;
            Read::Eof(Span::new(file, end, end))
        } else {
            Read::Form(form)
        }
    }

    /// Process one form (or the end of a file).
    fn step(&mut self) {
        let skipping = !self.ctx().skip.is_empty();
        match self.read_form() {
            Read::Error(d) => {
                // Scanning errors inside a skipped section are ignored, as
                // epp ignores "some other invalid token" there.
                if !skipping {
                    self.out.push(Item::Error(d));
                }
            }
            Read::Eof(at) => self.leave_file(at),
            Read::Form(toks) => {
                if skipping {
                    self.skip_form(toks);
                } else {
                    self.scan_form(toks);
                }
            }
        }
    }

    fn leave_file(&mut self, _eof: Span) {
        let ctx = self.ctx();
        // epp reports every conditional left open (or being skipped). The
        // error points at the directive that opened it.
        let open = if ctx.skip.is_empty() {
            ctx.istk.clone()
        } else {
            ctx.skip.clone()
        };
        for (c, at) in open.iter().rev() {
            let d = Diagnostic::error(
                DiagKind::Preprocessor,
                *at,
                format!("unterminated '-{}'", c.name()),
            )
            .with_hint("no matching '-endif' before the end of the file");
            self.out.push(Item::Error(d));
        }
        if self.stack.len() > 1 {
            let ctx = self.stack.pop().expect("checked");
            if let Some(saved) = ctx.saved_file_macro {
                self.macros.insert(name("FILE"), saved);
            }
        } else {
            self.finished = true;
        }
    }

    /// Is this form `- name ...`? Returns the name.
    fn directive(toks: &[Token]) -> Option<&str> {
        match (toks.first().map(|t| &t.tok), toks.get(1).map(|t| &t.tok)) {
            (Some(Tok::Minus), Some(Tok::Atom(a))) => Some(a),
            (Some(Tok::Minus), Some(Tok::If)) => Some("if"),
            (Some(Tok::Minus), Some(Tok::Else)) => Some("else"),
            _ => None,
        }
    }

    fn skip_form(&mut self, toks: Vec<Token>) {
        let Some(d) = Self::directive(&toks) else { return };
        let d = d.to_string();
        let at = toks[1].span;
        let skip: Vec<CondKind> = self.ctx().skip.iter().map(|(k, _)| *k).collect();
        match d.as_str() {
            "ifdef" => self.ctx().skip.push((CondKind::Ifdef, at)),
            "ifndef" => self.ctx().skip.push((CondKind::Ifndef, at)),
            "if" => self.ctx().skip.push((CondKind::If, at)),
            "else" => match skip.as_slice() {
                [.., CondKind::Else] => self.pp_error(at, "repeated '-else'"),
                [.., CondKind::Elif] => {
                    self.ctx().skip.last_mut().expect("non-empty").0 = CondKind::Else;
                }
                [_] => {
                    let ctx = self.ctx();
                    ctx.skip.clear();
                    ctx.istk.push((CondKind::Else, at));
                }
                _ => {}
            },
            "elif" => match skip.as_slice() {
                [.., CondKind::Else] => self.pp_error(at, "'elif' following 'else'"),
                [_] => {
                    // A single skipped level: evaluate this branch.
                    self.ctx().skip.clear();
                    self.scan_if(&toks[2..], at);
                }
                _ => {}
            },
            "endif" => {
                self.ctx().skip.pop();
            }
            _ => {}
        }
    }

    fn scan_form(&mut self, toks: Vec<Token>) {
        let Some(d) = Self::directive(&toks).map(str::to_string) else {
            return self.plain_form(toks);
        };
        let dtok = toks[1].span;
        let rest = &toks[2..];
        match d.as_str() {
            "feature" => self.scan_feature(rest, dtok),
            "define" => self.scan_define(rest, dtok),
            "undef" => {
                self.in_prefix = false;
                self.scan_undef(rest, dtok);
            }
            "error" | "warning" => {
                self.in_prefix = false;
                self.scan_err_warn(rest, dtok, &d);
            }
            "include" => self.scan_include(rest, dtok, false),
            "include_lib" => self.scan_include(rest, dtok, true),
            "ifdef" | "ifndef" => self.scan_ifdef(rest, dtok, d == "ifdef"),
            "else" => self.scan_else(rest, dtok),
            "if" => self.scan_if(rest, dtok),
            "elif" => self.scan_elif(dtok),
            "endif" => self.scan_endif(rest, dtok),
            "file" => match self.expand(rest, None) {
                Ok(t) => self.scan_file(toks[..2].to_vec(), t, dtok),
                Err(e) => self.expand_error(e),
            },
            _ => self.plain_form(toks),
        }
    }

    fn plain_form(&mut self, toks: Vec<Token>) {
        match self.expand(&toks, Some(&toks)) {
            Ok(expanded) => {
                if self.in_prefix {
                    self.in_prefix = match expanded.as_slice() {
                        [] => true,
                        [Token { tok: Tok::Minus, .. }, Token {
                            tok: Tok::Atom(a), ..
                        }, ..] => matches!(
                            &**a,
                            "module"
                                | "feature"
                                | "if"
                                | "else"
                                | "elif"
                                | "endif"
                                | "ifdef"
                                | "ifndef"
                                | "define"
                                | "undef"
                                | "include"
                                | "include_lib"
                        ),
                        _ => false,
                    };
                }
                self.scan_module(&expanded);
                self.out.push(Item::Form(expanded));
            }
            Err(e) => self.expand_error(e),
        }
    }

    /// After `-module(M)`, define `?MODULE` and `?MODULE_STRING`.
    fn scan_module(&mut self, toks: &[Token]) {
        let is = |i: usize, t: &Tok| toks.get(i).map(|x| &x.tok) == Some(t);
        if !(is(0, &Tok::Minus) && is(2, &Tok::LParen)) {
            return;
        }
        let (mac, mac_str) = match toks.get(1).map(|t| &t.tok) {
            Some(Tok::Atom(a)) if &**a == "module" => ("MODULE", "MODULE_STRING"),
            Some(Tok::Atom(a)) if &**a == "extends" => ("BASE_MODULE", "BASE_MODULE_STRING"),
            _ => return,
        };
        let Some(Token {
            tok: Tok::Atom(m),
            span,
        }) = toks.get(3)
        else {
            return;
        };
        let ok = match toks.get(4).map(|t| &t.tok) {
            Some(Tok::RParen) => true,
            Some(Tok::Comma) => mac == "MODULE",
            _ => false,
        };
        if ok {
            let (m, span) = (m.clone(), *span);
            self.macros.insert(
                name(mac),
                MacroEntry::Predefined(vec![tok_at(Tok::Atom(m.clone()), span)]),
            );
            self.macros.insert(
                name(mac_str),
                MacroEntry::Predefined(vec![tok_at(Tok::String(Arc::from(&*m)), span)]),
            );
        }
    }

    fn bad(&mut self, toks: &[Token], fallback: Span, what: &str) {
        let at = toks.first().map(|t| t.span).unwrap_or(fallback);
        self.pp_error(at, format!("badly formed '{what}'"));
    }

    fn scan_feature(&mut self, toks: &[Token], at: Span) {
        let shape = match toks.iter().map(|t| &t.tok).collect::<Vec<_>>().as_slice() {
            [Tok::LParen, Tok::Atom(f), Tok::Comma, Tok::Atom(ind), Tok::RParen, Tok::Dot] => {
                Some((f.clone(), ind.clone()))
            }
            _ => None,
        };
        match shape {
            Some((f, ind)) if self.in_prefix && (&*ind == "enable" || &*ind == "disable") => {
                if &*f != "maybe_expr" {
                    return self.pp_error(at, format!("the feature '{f}' does not exist"));
                }
                self.maybe_enabled = &*ind == "enable";
                let enabled: &[&str] = if self.maybe_enabled { &["maybe_expr"] } else { &[] };
                self.macros
                    .insert(name("FEATURE_ENABLED"), feature_macro(enabled, at));
            }
            Some(_) if !self.in_prefix => self.pp_error(
                at,
                "feature directive not allowed after exports or record definitions",
            ),
            _ => self.bad(toks, at, "feature"),
        }
    }

    fn scan_define(&mut self, toks: &[Token], at: Span) {
        let (mac_name, mac_span) = match (toks.first().map(|t| &t.tok), toks.get(1)) {
            (
                Some(Tok::LParen),
                Some(Token {
                    tok: Tok::Atom(n) | Tok::Var(n),
                    span,
                }),
            ) => (n.clone(), *span),
            _ => {
                let t = find_mismatch(toks, &[Tok::LParen]).unwrap_or(at);
                return self.pp_error(t, "badly formed 'define'");
            }
        };
        let rest = &toks[2..];
        let parsed = match rest.first().map(|t| &t.tok) {
            Some(Tok::Comma) => macro_expansion(&rest[1..], rest[0].span)
                .map(|body| (None, MacroDef { params: vec![], body })),
            Some(Tok::LParen) => macro_pars(&rest[1..], rest[0].span)
                .map(|(params, body)| (Some(params.len()), MacroDef { params, body })),
            _ => Err(ExpandError::new(
                rest.first().map(|t| t.span).unwrap_or(at),
                "badly formed 'define'",
            )),
        };
        let (arity, def) = match parsed {
            Ok(p) => p,
            Err(e) => return self.expand_error(e),
        };
        match self.macros.get(&mac_name) {
            Some(MacroEntry::User(defs)) if defs.iter().any(|(a, _)| *a == arity) => {
                return self.pp_error(mac_span, format!("redefining macro '{mac_name}'"));
            }
            Some(MacroEntry::Undefined | MacroEntry::Predefined(_)) => {
                return self.pp_error(mac_span, format!("redefining predefined macro '{mac_name}'"));
            }
            _ => {}
        }
        let uses = macros::macro_uses(&def.body);
        match self
            .macros
            .entry(mac_name.clone())
            .or_insert_with(|| MacroEntry::User(vec![]))
        {
            MacroEntry::User(defs) => defs.insert(0, (arity, def)),
            _ => unreachable!("checked above"),
        }
        self.uses.entry(mac_name).or_default().insert(0, (arity, uses));
    }

    fn scan_undef(&mut self, toks: &[Token], at: Span) {
        match toks.iter().map(|t| &t.tok).collect::<Vec<_>>().as_slice() {
            [Tok::LParen, Tok::Atom(m) | Tok::Var(m), Tok::RParen, Tok::Dot] => {
                let m = (*m).clone();
                self.macros.remove(&m);
                self.uses.remove(&m);
            }
            _ => {
                let t = find_mismatch(toks, &[Tok::LParen, Tok::Atom(name("")), Tok::RParen, Tok::Dot])
                    .unwrap_or(at);
                self.pp_error(t, "badly formed 'undef'");
            }
        }
    }

    fn scan_err_warn(&mut self, toks: &[Token], at: Span, tag: &str) {
        if toks.first().map(|t| &t.tok) != Some(&Tok::LParen) {
            let t = toks.first().map(|t| t.span).unwrap_or(at);
            return self.pp_error(t, format!("badly formed '{tag}'"));
        }
        let term = self
            .expand(toks, None)
            .ok()
            .and_then(|t| crate::parser::parse_exprs(&t).ok())
            .and_then(|mut es| if es.len() == 1 { es.pop() } else { None })
            .filter(crate::parser::is_literal_term);
        match term {
            Some(term) => {
                let text = format!("-{tag}({}).", crate::pretty::expr_term(&term));
                let d = Diagnostic::error(DiagKind::User, at, text);
                if tag == "error" {
                    self.out.push(Item::Error(d));
                } else {
                    self.out.push(Item::Warning(Diagnostic {
                        severity: crate::diag::Severity::Warning,
                        ..d
                    }));
                }
            }
            None => self.pp_error(at, format!("badly formed '{tag}'")),
        }
    }

    fn scan_include(&mut self, toks: &[Token], at: Span, lib: bool) {
        let what = if lib { "include_lib" } else { "include" };
        let toks = coalesce_strings(toks);
        let (file_name, name_span) = match toks.iter().map(|t| &t.tok).collect::<Vec<_>>().as_slice() {
            [Tok::LParen, Tok::String(s), Tok::RParen, Tok::Dot] => (s.to_string(), toks[1].span),
            _ => {
                let t = find_mismatch(
                    &toks,
                    &[Tok::LParen, Tok::String("".into()), Tok::RParen, Tok::Dot],
                )
                .unwrap_or(at);
                return self.pp_error(t, format!("badly formed '{what}'"));
            }
        };
        if self.stack.len() > MAX_INCLUDE_DEPTH {
            let at = if lib { at } else { name_span };
            return self.pp_error(at, format!("{what} too deep"));
        }
        let wanted = self.expand_var(&file_name);
        let found = self
            .path_open(&wanted)
            .or_else(|| if lib { self.lib_open(&wanted) } else { None });
        match found {
            Some((path, bytes)) => self.enter_file(path, bytes),
            None => {
                let kind = if lib { "lib" } else { "file" };
                self.error(
                    DiagKind::MissingInclude,
                    name_span,
                    format!("can't find include {kind} \"{file_name}\""),
                );
            }
        }
    }

    /// `$VAR/rest` in an include name is replaced from the environment.
    fn expand_var(&self, n: &str) -> String {
        if let Some(rest) = n.strip_prefix('$') {
            let (var, tail) = rest.split_once('/').unwrap_or((rest, ""));
            if let Some(v) = self.resolver.env(var) {
                return if tail.is_empty() { v } else { format!("{v}/{tail}") };
            }
        }
        n.to_string()
    }

    /// file:path_open over [this file's directory | include dirs].
    fn path_open(&self, n: &str) -> Option<(String, Vec<u8>)> {
        let ctx = self.stack.last()?;
        let mut dirs = vec![ctx.dir.clone()];
        dirs.extend(self.include_dirs.iter().cloned());
        for d in dirs {
            let p = if Path::new(n).is_absolute() {
                PathBuf::from(n)
            } else {
                join(&d, n)
            };
            if let Some(bytes) = self.resolver.read(&p) {
                return Some((p.to_string_lossy().to_string(), bytes));
            }
        }
        None
    }

    /// include_lib: the first path component names an application.
    fn lib_open(&self, n: &str) -> Option<(String, Vec<u8>)> {
        let mut parts = Path::new(n).components();
        let app = match parts.next()? {
            Component::Normal(a) => a.to_str()?.to_string(),
            _ => return None,
        };
        let dir = self.resolver.lib_dir(&app)?;
        let p = dir.join(parts.as_path());
        self.resolver
            .read(&p)
            .map(|b| (p.to_string_lossy().to_string(), b))
    }

    fn enter_file(&mut self, path: String, bytes: Vec<u8>) {
        let text = decode_source(&bytes);
        let id = self.sources.add(SourceFile::new(path.clone(), text));
        let scanned = lexer::scan(id, &self.sources.get(id).text);
        let dir = dirname(&path);
        let saved = self.macros.insert(
            name("FILE"),
            MacroEntry::Predefined(vec![tok_at(Tok::String(path.into()), Span::new(id, 0, 0))]),
        );
        self.stack.push(FileCtx {
            file: id,
            tokens: scanned.tokens,
            lex_errors: scanned.errors,
            pos: 0,
            dir,
            istk: Vec::new(),
            skip: Vec::new(),
            saved_file_macro: saved,
        });
    }

    fn is_defined(&self, m: &str) -> bool {
        !matches!(self.macros.get(m), None | Some(MacroEntry::Undefined))
    }

    fn scan_ifdef(&mut self, toks: &[Token], at: Span, ifdef: bool) {
        let kind = if ifdef { CondKind::Ifdef } else { CondKind::Ifndef };
        match toks.iter().map(|t| &t.tok).collect::<Vec<_>>().as_slice() {
            [Tok::LParen, Tok::Atom(m) | Tok::Var(m), Tok::RParen, Tok::Dot] => {
                let take = self.is_defined(m) == ifdef;
                let ctx = self.ctx();
                if take {
                    ctx.istk.push((kind, at));
                } else {
                    ctx.skip.push((kind, at));
                }
            }
            _ => {
                let t = find_mismatch(toks, &[Tok::LParen, Tok::Atom(name("")), Tok::RParen, Tok::Dot])
                    .unwrap_or(at);
                self.pp_error(t, format!("badly formed '{}'", kind.name()));
                self.ctx().skip.push((kind, at));
            }
        }
    }

    fn scan_else(&mut self, toks: &[Token], at: Span) {
        if toks.iter().map(|t| &t.tok).collect::<Vec<_>>().as_slice() != [&Tok::Dot] {
            let t = toks.first().map(|t| t.span).unwrap_or(at);
            return self.pp_error(t, "badly formed 'else'");
        }
        let ctx = self.ctx();
        match ctx.istk.pop() {
            Some((CondKind::Else, _)) => {
                ctx.skip.push((CondKind::Else, at));
                self.pp_error(at, "repeated '-else'");
            }
            Some(_) => ctx.skip.push((CondKind::Else, at)),
            None => self.pp_error(at, "unbalanced '-else'"),
        }
    }

    fn scan_if(&mut self, toks: &[Token], at: Span) {
        if toks.first().map(|t| &t.tok) != Some(&Tok::LParen) {
            let t = toks.first().map(|t| t.span).unwrap_or(at);
            self.pp_error(t, "badly formed 'if'");
            return self.ctx().skip.push((CondKind::If, at));
        }
        let result = match self.expand(toks, None) {
            Err(e) => Err(Item::Error(Diagnostic::error(
                if e.undefined {
                    DiagKind::UndefinedMacro
                } else {
                    DiagKind::Preprocessor
                },
                e.span,
                e.message,
            ))),
            Ok(expanded) => match crate::parser::parse_exprs(&expanded) {
                Err(d) => Err(Item::Error(d)),
                Ok(exprs) => {
                    let macros = &self.macros;
                    cond::eval_if(&exprs, &|m| macros.contains_key(m)).map_err(|_| {
                        Item::Error(Diagnostic::error(DiagKind::Preprocessor, at, "badly formed 'if'"))
                    })
                }
            },
        };
        match result {
            Ok(true) => self.ctx().istk.push((CondKind::If, at)),
            Ok(false) => self.ctx().skip.push((CondKind::If, at)),
            Err(item) => {
                self.out.push(item);
                self.ctx().skip.push((CondKind::If, at));
            }
        }
    }

    fn scan_elif(&mut self, at: Span) {
        let ctx = self.ctx();
        match ctx.istk.pop() {
            Some((CondKind::Else, _)) => {
                ctx.skip.push((CondKind::Else, at));
                self.pp_error(at, "unbalanced '-elif'");
            }
            Some(_) => ctx.skip.push((CondKind::Elif, at)),
            None => self.pp_error(at, "unbalanced '-elif'"),
        }
    }

    fn scan_endif(&mut self, toks: &[Token], at: Span) {
        if toks.iter().map(|t| &t.tok).collect::<Vec<_>>().as_slice() != [&Tok::Dot] {
            let t = toks.first().map(|t| t.span).unwrap_or(at);
            return self.pp_error(t, "badly formed 'endif'");
        }
        if self.ctx().istk.pop().is_none() {
            self.pp_error(at, "unbalanced '-endif'");
        }
    }

    fn scan_file(&mut self, head: Vec<Token>, toks: Vec<Token>, at: Span) {
        let toks = coalesce_strings(&toks);
        match toks.iter().map(|t| &t.tok).collect::<Vec<_>>().as_slice() {
            [Tok::LParen, Tok::String(f), Tok::Comma, Tok::Integer(IntLit::Small(line)), Tok::RParen, Tok::Dot]
                if *line >= 0 =>
            {
                let (f, line) = (f.clone(), *line as u32);
                let file = at.file;
                let dot = toks[5].span;
                // Lines after the attribute are renumbered: erl_scan's location
                // after the form is past the dot's trailing newline.
                let text = &self.sources.get(file).text;
                let mut after = dot.hi as usize;
                if text.as_bytes().get(after) == Some(&b'\n') {
                    after += 1;
                }
                let src = self.sources.get_mut(file);
                let physical_attr = src.physical_line(at.lo) as i64;
                let physical_after = src.physical_line(after as u32) as i64;
                let new_line = (line as i64 + physical_after - physical_attr).max(1) as u32;
                src.renumber_from(after as u32, new_line);
                self.macros.insert(
                    name("FILE"),
                    MacroEntry::Predefined(vec![tok_at(Tok::String(f), at)]),
                );
                let mut form = head;
                form.extend(toks);
                self.out.push(Item::Form(form));
            }
            _ => {
                let t = find_mismatch(
                    &toks,
                    &[
                        Tok::LParen,
                        Tok::String("".into()),
                        Tok::Comma,
                        Tok::Integer(IntLit::Small(0)),
                        Tok::RParen,
                        Tok::Dot,
                    ],
                )
                .unwrap_or(at);
                self.pp_error(t, "badly formed 'file'");
            }
        }
    }

    // ------------------------------------------------------------ expansion

    /// Expand every macro call in `toks`. `form` is the whole form, for
    /// `?FUNCTION_NAME`/`?FUNCTION_ARITY`; `None` where those are not allowed.
    fn expand(&self, toks: &[Token], form: Option<&[Token]>) -> Result<Vec<Token>, ExpandError> {
        let mut fname: FnName = match form {
            Some(f) => FnName::Pending(f),
            None => FnName::None,
        };
        let mut budget = MAX_EXPANSIONS;
        self.expand_tokens(toks.to_vec(), &mut fname, &mut budget)
    }

    fn expand_tokens<'t>(
        &self,
        toks: Vec<Token>,
        fname: &mut FnName<'t>,
        budget: &mut usize,
    ) -> Result<Vec<Token>, ExpandError> {
        // `pending` holds the tokens still to scan, in reverse order, so that
        // an expansion is pushed back to be scanned again (as epp does).
        let mut pending: Vec<Token> = toks;
        pending.reverse();
        let mut out = Vec::with_capacity(pending.len());
        while let Some(t) = pending.pop() {
            if t.tok != Tok::Question {
                out.push(t);
                continue;
            }
            let Some(next) = pending.pop() else {
                out.push(t);
                continue;
            };
            if *budget == 0 {
                return Err(ExpandError::new(next.span, "macro expansion too deep"));
            }
            *budget -= 1;
            let call_span = t.span.to(next.span);
            match &next.tok {
                Tok::Var(v) if &**v == "FUNCTION_NAME" || &**v == "FUNCTION_ARITY" => {
                    match self.function_name(fname, &next)? {
                        None => {
                            out.push(t);
                            out.push(next);
                        }
                        Some((n, a)) => out.push(Token::new(
                            if &**v == "FUNCTION_NAME" {
                                Tok::Atom(n)
                            } else {
                                Tok::Integer(IntLit::Small(a as i64))
                            },
                            next.span,
                        )),
                    }
                }
                Tok::Var(v) if &**v == "LINE" => {
                    let line = self.sources.get(next.span.file).line(next.span.lo);
                    out.push(Token::new(Tok::Integer(IntLit::Small(line as i64)), next.span));
                }
                Tok::Atom(m) | Tok::Var(m) => {
                    let m = m.clone();
                    // Rest of the input, in order, for argument collection.
                    let rest: Vec<Token> = pending.iter().rev().cloned().collect();
                    let (expansion, consumed) = self.expand_call(&m, call_span, &rest, fname, budget)?;
                    pending.truncate(pending.len() - consumed);
                    pending.extend(expansion.into_iter().rev());
                }
                _ => {
                    let text = macros::token_src(&next.tok);
                    return Err(ExpandError::new(
                        next.span,
                        format!("illegal macro call '?{text}'"),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Expand one call `?m` followed by `rest`. Returns the tokens to scan
    /// again and how many tokens of `rest` the call consumed.
    fn expand_call<'t>(
        &self,
        m: &Name,
        at: Span,
        rest: &[Token],
        fname: &mut FnName<'t>,
        budget: &mut usize,
    ) -> Result<(Vec<Token>, usize), ExpandError> {
        let arity = macros::count_args(rest, at, m)?;
        let def: (Arity, MacroDef) = match self.macros.get(m) {
            None | Some(MacroEntry::Undefined) => return Err(macros::undefined_error(at, m, arity)),
            Some(MacroEntry::Predefined(body)) => (
                None,
                MacroDef {
                    params: vec![],
                    body: body.clone(),
                },
            ),
            Some(MacroEntry::User(defs)) => {
                if let [(None, d)] = defs.as_slice() {
                    (None, d.clone())
                } else {
                    match defs.iter().find(|(a, _)| *a == arity) {
                        Some((a, d)) => (*a, d.clone()),
                        None => {
                            return Err(ExpandError::new(at, format!("argument mismatch for macro '{m}'")))
                        }
                    }
                }
            }
        };
        self.check_uses(&[(m.clone(), def.0)], &mut Vec::new(), at)?;
        match def.0 {
            None => {
                // epp expands the body on its own first, then rescans it
                // together with what follows.
                let body = macros::substitute(&def.1.body, at, &HashMap::new());
                let expanded = self.expand_tokens(body, fname, budget)?;
                Ok((expanded, 0))
            }
            Some(_) => {
                let (bindings, consumed) = macros::bind_args(rest, at, m, &def.1.params)?;
                Ok((macros::substitute(&def.1.body, at, &bindings), consumed))
            }
        }
    }

    fn check_uses(
        &self,
        ms: &[(Name, Arity)],
        ancestors: &mut Vec<(Name, Arity)>,
        at: Span,
    ) -> Result<(), ExpandError> {
        for m in ms {
            if ancestors.contains(m) {
                let msg = match m.1 {
                    None => format!("circular macro '{}'", m.0),
                    Some(a) => format!("circular macro '{}/{}'", m.0, a),
                };
                return Err(ExpandError::new(at, msg));
            }
            let uses = self
                .uses
                .get(&m.0)
                .and_then(|l| {
                    l.iter()
                        .find(|(a, _)| *a == m.1)
                        .or_else(|| l.iter().find(|(a, _)| a.is_none()))
                })
                .map(|(_, u)| u.clone())
                .unwrap_or_default();
            ancestors.push(m.clone());
            self.check_uses(&uses, ancestors, at)?;
            ancestors.pop();
        }
        Ok(())
    }

    /// `?FUNCTION_NAME`/`?FUNCTION_ARITY`: the name and arity of the function
    /// whose form this is, worked out from its first tokens as epp does.
    fn function_name<'t>(
        &self,
        fname: &mut FnName<'t>,
        tok: &Token,
    ) -> Result<Option<(Name, usize)>, ExpandError> {
        let form = match fname {
            FnName::None => return Ok(None),
            FnName::Known(n, a) => return Ok(Some((n.clone(), *a))),
            FnName::Pending(f) => *f,
        };
        let mut inner = FnName::None;
        let mut budget = MAX_EXPANSIONS;
        let macro_name = match &tok.tok {
            Tok::Var(v) => v.to_string(),
            _ => String::new(),
        };
        let result = match self.expand_tokens(form.to_vec(), &mut inner, &mut budget) {
            Err(_) => (name("_"), 0),
            Ok(toks) => match toks.as_slice() {
                [Token {
                    tok: Tok::Atom(n), ..
                }, Token { tok: Tok::LParen, .. }, rest @ ..] => (n.clone(), count_head_arity(rest)),
                [Token {
                    tok: Tok::Question, ..
                }, ..] => {
                    return Err(ExpandError::new(
                        tok.span,
                        format!("?{macro_name} must not begin a form"),
                    ))
                }
                _ => {
                    return Err(ExpandError::new(
                        tok.span,
                        format!("?{macro_name} can only be used within a function"),
                    ))
                }
            },
        };
        *fname = FnName::Known(result.0.clone(), result.1);
        Ok(Some(result))
    }
}

/// The state of `?FUNCTION_NAME` for one form.
enum FnName<'t> {
    /// Not inside a form where it can be used.
    None,
    /// Not worked out yet: the form's tokens.
    Pending(&'t [Token]),
    Known(Name, usize),
}

/// epp's update_fun_name_1: count the arguments of a function head.
fn count_head_arity(toks: &[Token]) -> usize {
    let mut level = 1;
    let mut arity = 0;
    for t in toks {
        match t.tok {
            Tok::Comma => {
                if level == 1 {
                    arity += 1;
                }
            }
            Tok::LParen | Tok::LBrace | Tok::LBracket | Tok::LtLt => level += 1,
            Tok::RParen | Tok::RBrace | Tok::RBracket | Tok::GtGt => {
                if level == 1 {
                    return arity;
                }
                level -= 1;
            }
            _ => {
                if arity == 0 {
                    arity = 1;
                }
            }
        }
    }
    arity
}

/// `FEATURE_AVAILABLE(X)`/`FEATURE_ENABLED(X)`: true when X is one of `features`.
fn feature_macro(features: &[&str], at: Span) -> MacroEntry {
    let x = name("X");
    let mut body = Vec::new();
    if features.is_empty() {
        body.push(tok_at(Tok::Atom(name("false")), at));
    } else {
        body.push(tok_at(Tok::LParen, at));
        for (i, f) in features.iter().enumerate() {
            if i > 0 {
                body.push(tok_at(Tok::Orelse, at));
            }
            body.push(tok_at(Tok::LParen, at));
            body.push(tok_at(Tok::Var(x.clone()), at));
            body.push(tok_at(Tok::RParen, at));
            body.push(tok_at(Tok::EqEq, at));
            body.push(tok_at(Tok::Atom(name(f)), at));
        }
        body.push(tok_at(Tok::RParen, at));
    }
    MacroEntry::User(vec![(
        Some(1),
        MacroDef {
            params: vec![x],
            body,
        },
    )])
}

/// `-define(M, Body).`: the body is everything up to the final `)` before
/// the full stop.
fn macro_expansion(toks: &[Token], at: Span) -> Result<Vec<Token>, ExpandError> {
    let n = toks.len();
    match (
        toks.get(n.wrapping_sub(2)).map(|t| &t.tok),
        toks.last().map(|t| &t.tok),
    ) {
        (Some(Tok::RParen), Some(Tok::Dot)) => Ok(toks[..n - 2].to_vec()),
        (_, Some(Tok::Dot)) => Err(ExpandError::new(
            toks[n - 1].span,
            "badly formed define: missing closing right parenthesis",
        )),
        _ => Err(ExpandError::new(
            toks.last().map(|t| t.span).unwrap_or(at),
            "premature end",
        )),
    }
}

/// `-define(M(A, B), Body).`: parameters, then the body.
fn macro_pars(toks: &[Token], at: Span) -> Result<(Vec<Name>, Vec<Token>), ExpandError> {
    let mut params: Vec<Name> = Vec::new();
    let mut i = 0;
    let bad = |i: usize| ExpandError::new(toks.get(i).map(|t| t.span).unwrap_or(at), "badly formed 'define'");
    loop {
        match toks.get(i).map(|t| &t.tok) {
            Some(Tok::RParen) if params.is_empty() || i > 0 => {
                i += 1;
                break;
            }
            Some(Tok::Var(v)) if params.is_empty() && i == 0 => {
                params.push(v.clone());
                i += 1;
            }
            Some(Tok::Comma) if !params.is_empty() => match toks.get(i + 1) {
                Some(Token {
                    tok: Tok::Var(v),
                    span,
                }) => {
                    if params.contains(v) {
                        return Err(ExpandError::new(*span, format!("argument '{v}' already used")));
                    }
                    params.push(v.clone());
                    i += 2;
                }
                _ => return Err(bad(i + 1)),
            },
            _ => return Err(bad(i)),
        }
    }
    match toks.get(i).map(|t| &t.tok) {
        Some(Tok::Comma) => Ok((params, macro_expansion(&toks[i + 1..], toks[i].span)?)),
        _ => Err(ExpandError::new(
            toks.get(i).map(|t| t.span).unwrap_or(at),
            "badly formed define: missing comma",
        )),
    }
}

/// Adjacent string tokens merged into one (for `-include` and `-file`).
fn coalesce_strings(toks: &[Token]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(toks.len());
    for t in toks {
        if let (
            Tok::String(s),
            Some(Token {
                tok: Tok::String(prev),
                ..
            }),
        ) = (&t.tok, out.last_mut())
        {
            let mut joined = prev.to_string();
            joined.push_str(s);
            *prev = joined.into();
            continue;
        }
        out.push(t.clone());
    }
    out
}

/// The token where a directive's expected shape first fails.
fn find_mismatch(toks: &[Token], expected: &[Tok]) -> Option<Span> {
    for (i, want) in expected.iter().enumerate() {
        let t = toks.get(i)?;
        if std::mem::discriminant(&t.tok) != std::mem::discriminant(want)
            && !(matches!(want, Tok::Atom(_)) && matches!(t.tok, Tok::Var(_)))
        {
            return Some(t.span);
        }
    }
    toks.get(expected.len()).map(|t| t.span)
}

/// filename:dirname: "." for a bare file name.
fn dirname(path: &str) -> PathBuf {
    match Path::new(path).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// file:path_open's join of a directory and a relative name: the directory
/// "." is dropped, and so are "." components.
fn join(dir: &Path, n: &str) -> PathBuf {
    if dir == Path::new(".") {
        return PathBuf::from(n);
    }
    let mut p = dir.to_path_buf();
    for c in Path::new(n).components() {
        match c {
            Component::CurDir => {}
            other => p.push(other.as_os_str()),
        }
    }
    p
}
