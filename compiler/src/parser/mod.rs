//! The parser: one form's tokens (as the preprocessor hands them over) to an
//! AST [`Form`], with erl_parse's checks and error wording.

pub mod build;

use crate::ast::*;
use crate::diag::{DiagKind, Diagnostic};
use crate::source::{FileId, Span};
use crate::token::{IntLit, Name, Tok, Token};
use build::{RawForm, SyntaxError, TypedAttr, TypedField};
use lalrpop_util::ParseError;

#[allow(clippy::all, clippy::pedantic, unused_parens, dead_code, unused_imports)]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/parser/grammar.rs"));
}

type Triple = (u32, Tok, u32);

fn triples<'a>(tokens: &'a [Token]) -> impl Iterator<Item = Result<Triple, SyntaxError>> + 'a {
    tokens.iter().map(|t| Ok((t.span.lo, t.tok.clone(), t.span.hi)))
}

/// Parse one form. The tokens end with the form's [`Tok::Dot`] (a final form
/// without one is reported as a premature end).
pub fn parse_form(tokens: &[Token]) -> Result<Form, Diagnostic> {
    let file = tokens.first().map(|t| t.span.file).unwrap_or_default();
    // erl_parse:parse_form makes `-spec` and `-callback` their own terminals.
    let owned: Vec<Token>;
    let mut toks = tokens;
    if let [minus, second, ..] = tokens {
        if minus.tok == Tok::Minus {
            if let Tok::Atom(a) = &second.tok {
                let special = match &**a {
                    "spec" => Some(Tok::Spec),
                    "callback" => Some(Tok::Callback),
                    _ => None,
                };
                if let Some(t) = special {
                    let mut v = tokens.to_vec();
                    v[1].tok = t;
                    owned = v;
                    toks = &owned;
                }
            }
        }
    }
    let parser = grammar::FormParser::new();
    let raw = parser
        .parse(file, triples(toks))
        .map_err(|e| syntax_error(e, toks, file))?;
    build_form(raw)
}

/// Parse a comma-separated expression sequence ending in a dot, as
/// erl_parse:parse_exprs does (by parsing `f() -> Exprs.`).
pub fn parse_exprs(tokens: &[Token]) -> Result<Vec<Expr>, Diagnostic> {
    let file = tokens.first().map(|t| t.span.file).unwrap_or_default();
    let at = tokens.first().map(|t| t.span.start()).unwrap_or_default();
    let mut toks = Vec::with_capacity(tokens.len() + 5);
    toks.push(Token::new(Tok::Atom("f".into()), at));
    toks.push(Token::new(Tok::LParen, at));
    toks.push(Token::new(Tok::RParen, at));
    toks.push(Token::new(Tok::Arrow, at));
    toks.extend_from_slice(tokens);
    if toks.last().map(|t| &t.tok) != Some(&Tok::Dot) {
        let end = tokens.last().map(|t| t.span.end()).unwrap_or(at);
        toks.push(Token::new(Tok::Dot, end));
    }
    let parser = grammar::FormParser::new();
    match parser.parse(file, triples(&toks)) {
        Ok(RawForm::Function(mut f)) if f.clauses.len() == 1 => Ok(f.clauses.remove(0).body),
        Ok(_) => Err(Diagnostic::error(DiagKind::Syntax, at, "syntax error")),
        Err(e) => Err(syntax_error(e, &toks, file)),
    }
}

fn syntax_error(e: ParseError<u32, Tok, SyntaxError>, toks: &[Token], file: FileId) -> Diagnostic {
    match e {
        ParseError::User { error } => Diagnostic::error(DiagKind::Syntax, error.span, error.message),
        ParseError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => token_error(file, l, &tok, r, &expected),
        ParseError::ExtraToken { token: (l, tok, r) } => token_error(file, l, &tok, r, &[]),
        ParseError::UnrecognizedEof { location, expected } => {
            let span = Span::new(file, location, location);
            let mut d = Diagnostic::error(DiagKind::Syntax, span, "syntax error before: end of input");
            if let Some(h) = expected_hint(&expected) {
                d = d.with_hint(h);
            }
            d
        }
        ParseError::InvalidToken { location } => {
            let span = toks
                .iter()
                .find(|t| t.span.lo == location)
                .map(|t| t.span)
                .unwrap_or(Span::new(file, location, location));
            Diagnostic::error(DiagKind::Syntax, span, "syntax error")
        }
    }
}

fn token_error(file: FileId, l: u32, tok: &Tok, r: u32, expected: &[String]) -> Diagnostic {
    let d = Diagnostic::error(
        DiagKind::Syntax,
        Span::new(file, l, r),
        format!("syntax error before: {}", tok.describe()),
    );
    match expected_hint(expected) {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

fn expected_hint(expected: &[String]) -> Option<String> {
    if expected.is_empty() || expected.len() > 6 {
        return None;
    }
    let names: Vec<String> = expected
        .iter()
        .map(|e| match e.trim_matches('"') {
            "atom" => "an atom".to_string(),
            "var" => "a variable".to_string(),
            "integer" => "an integer".to_string(),
            "float" => "a float".to_string(),
            "char" => "a character".to_string(),
            "string" => "a string".to_string(),
            "dot" => "'.' ending the form".to_string(),
            e => format!("'{e}'"),
        })
        .collect();
    Some(format!("expected {}", names.join(", ")))
}

fn error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(DiagKind::Syntax, span, message)
}

fn build_form(raw: RawForm) -> Result<Form, Diagnostic> {
    match raw {
        RawForm::Function(f) => Ok(Form::Function(f)),
        RawForm::Done(f) => Ok(f),
        RawForm::Attribute(span, name, values) => build_attribute(span, name, values),
        RawForm::Typed(span, name, value) => build_typed_attribute(span, name, value),
    }
}

fn bad_decl(at: Span, what: &str) -> Diagnostic {
    error(at, format!("bad {what} declaration"))
}

fn build_attribute(
    span: Span,
    (name_span, name): (Span, Name),
    values: Vec<Expr>,
) -> Result<Form, Diagnostic> {
    let mut vals = values.into_iter();
    let first = vals.next();
    let second = vals.next();
    let third = vals.next();
    match &*name {
        "module" => match (first, second, third) {
            (
                Some(Expr {
                    kind: ExprKind::Atom(m),
                    ..
                }),
                None,
                _,
            ) => Ok(Form::Module(span, m)),
            (
                Some(Expr {
                    kind: ExprKind::Atom(m),
                    ..
                }),
                Some(params),
                None,
            ) => {
                var_list(&params)?;
                Ok(Form::Module(span, m))
            }
            (Some(other), _, _) => Err(bad_decl(other.span, "module")),
            (None, _, _) => Err(bad_decl(name_span, "module")),
        },
        "export" => match (first, second) {
            (Some(list), None) => Ok(Form::Export(span, farity_list(&list)?)),
            (_, Some(other)) => Err(bad_decl(other.span, "export")),
            (None, None) => Err(bad_decl(name_span, "export")),
        },
        "import" => match (first, second, third) {
            (
                Some(Expr {
                    kind: ExprKind::Atom(m),
                    ..
                }),
                Some(list),
                None,
            ) => Ok(Form::Import(span, m, farity_list(&list)?)),
            (_, _, Some(other)) => Err(bad_decl(other.span, "import")),
            (Some(other), _, _) => Err(bad_decl(other.span, "import")),
            (None, _, _) => Err(bad_decl(name_span, "import")),
        },
        "record" => match (first, second, third) {
            (
                Some(Expr {
                    kind: ExprKind::Atom(r),
                    ..
                }),
                Some(tuple),
                None,
            ) => {
                let fields = match tuple.kind {
                    ExprKind::Tuple(es) => es.into_iter().map(|e| TypedField(e, None)).collect(),
                    _ => return Err(error(tuple.span, "bad record declaration")),
                };
                Ok(Form::Record(span, r, record_fields(fields)?))
            }
            (Some(other), _, _) => Err(bad_decl(other.span, "record")),
            (None, _, _) => Err(bad_decl(name_span, "record")),
        },
        "file" => match (first, second, third) {
            (
                Some(Expr {
                    kind: ExprKind::String(f),
                    ..
                }),
                Some(Expr {
                    kind: ExprKind::Integer(IntLit::Small(l)),
                    ..
                }),
                None,
            ) if (0..=u32::MAX as i64).contains(&l) => Ok(Form::File(span, f, l as u32)),
            (Some(other), _, _) => Err(bad_decl(other.span, "file")),
            (None, _, _) => Err(bad_decl(name_span, "file")),
        },
        _ => match (first, second) {
            (Some(e), None) => {
                let e = attribute_farity(e);
                check_term(&e)?;
                Ok(Form::Attribute(span, name, e))
            }
            (_, Some(other)) => Err(error(other.span, "bad attribute")),
            (None, None) => Err(error(name_span, "bad attribute")),
        },
    }
}

fn build_typed_attribute(
    span: Span,
    (name_span, name): (Span, Name),
    value: TypedAttr,
) -> Result<Form, Diagnostic> {
    match (&*name, value) {
        (
            "record",
            TypedAttr::Record(
                Expr {
                    kind: ExprKind::Atom(r),
                    ..
                },
                fields,
            ),
        ) => Ok(Form::Record(span, r, record_fields(fields)?)),
        (kind @ ("type" | "opaque"), TypedAttr::TypeDef(head, ty)) => {
            let ExprKind::Call(callee, args) = head.kind else {
                return Err(bad_decl(head.span, kind));
            };
            let ExprKind::Atom(tname) = callee.kind else {
                return Err(bad_decl(head.span, kind));
            };
            let mut params = Vec::with_capacity(args.len());
            for a in args {
                match a.kind {
                    ExprKind::Var(v) if &*v != "_" => params.push(v),
                    _ => return Err(error(a.span, "bad type variable")),
                }
            }
            Ok(Form::TypeDecl {
                span,
                opaque: kind == "opaque",
                name: tname,
                params,
                ty,
            })
        }
        ("record", TypedAttr::Record(e, _)) | ("record", TypedAttr::TypeDef(e, _)) => {
            Err(bad_decl(e.span, "record"))
        }
        (kind @ ("type" | "opaque"), TypedAttr::Record(e, _)) => Err(bad_decl(e.span, kind)),
        _ => Err(error(name_span, "bad attribute")),
    }
}

fn var_list(e: &Expr) -> Result<(), Diagnostic> {
    match &e.kind {
        ExprKind::Nil => Ok(()),
        ExprKind::Cons(h, t) if matches!(h.kind, ExprKind::Var(_)) => var_list(t),
        _ => Err(error(e.span, "bad variable list")),
    }
}

fn farity_list(e: &Expr) -> Result<Vec<(Name, u32)>, Diagnostic> {
    let mut out = Vec::new();
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Nil => return Ok(out),
            ExprKind::Cons(h, t) => {
                match &h.kind {
                    ExprKind::Binary2(BinOp::Div, f, a) => match (&f.kind, &a.kind) {
                        (ExprKind::Atom(f), ExprKind::Integer(IntLit::Small(a))) if *a >= 0 && *a <= 255 => {
                            out.push((f.clone(), *a as u32))
                        }
                        (ExprKind::Atom(_), _) => return Err(error(a.span, "bad function arity")),
                        _ => return Err(error(f.span, "bad function name")),
                    },
                    _ => return Err(error(cur.span, "bad Name/Arity")),
                }
                cur = t;
            }
            _ => return Err(error(cur.span, "bad Name/Arity")),
        }
    }
}

fn record_fields(fields: Vec<TypedField>) -> Result<Vec<RecordField>, Diagnostic> {
    fields
        .into_iter()
        .map(|TypedField(e, ty)| {
            let span = e.span;
            match e.kind {
                ExprKind::Atom(name) => Ok(RecordField {
                    span,
                    name,
                    default: None,
                    ty,
                }),
                ExprKind::Match(lhs, rhs) => match lhs.kind {
                    ExprKind::Atom(name) => Ok(RecordField {
                        span,
                        name,
                        default: Some(*rhs),
                        ty,
                    }),
                    _ => Err(error(span, "bad record field")),
                },
                _ => Err(error(span, "bad record field")),
            }
        })
        .collect()
}

/// erl_parse turns `f/1` inside attribute values into `{f,1}`.
fn attribute_farity(e: Expr) -> Expr {
    let span = e.span;
    match e.kind {
        ExprKind::Cons(h, t) => Expr::new(
            span,
            ExprKind::Cons(Box::new(attribute_farity(*h)), Box::new(attribute_farity(*t))),
        ),
        ExprKind::Tuple(es) => Expr::new(
            span,
            ExprKind::Tuple(es.into_iter().map(attribute_farity).collect()),
        ),
        ExprKind::MapNew(fs) => Expr::new(
            span,
            ExprKind::MapNew(
                fs.into_iter()
                    .map(|f| MapField {
                        value: attribute_farity(f.value),
                        ..f
                    })
                    .collect(),
            ),
        ),
        ExprKind::Binary2(BinOp::Div, f, a)
            if matches!(f.kind, ExprKind::Atom(_)) && matches!(a.kind, ExprKind::Integer(_)) =>
        {
            Expr::new(span, ExprKind::Tuple(vec![*f, *a]))
        }
        kind => Expr::new(span, kind),
    }
}

/// Is this expression a literal term (erl_parse:normalise/1 accepts it)?
pub fn check_term(e: &Expr) -> Result<(), Diagnostic> {
    if is_literal_term(e) {
        Ok(())
    } else {
        Err(error(e.span, "bad attribute"))
    }
}

pub fn is_literal_term(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Char(_)
        | ExprKind::Integer(_)
        | ExprKind::Float(_)
        | ExprKind::Atom(_)
        | ExprKind::String(_)
        | ExprKind::Nil => true,
        ExprKind::Cons(h, t) => is_literal_term(h) && is_literal_term(t),
        ExprKind::Tuple(es) => es.iter().all(is_literal_term),
        ExprKind::MapNew(fs) => fs
            .iter()
            .all(|f| !f.exact && is_literal_term(&f.key) && is_literal_term(&f.value)),
        ExprKind::Binary(elems) => elems
            .iter()
            .all(|el| is_literal_term(&el.value) && el.size.as_ref().map(is_literal_term).unwrap_or(true)),
        ExprKind::Unary(UnOp::Minus | UnOp::Plus, x) => {
            matches!(
                x.kind,
                ExprKind::Integer(_) | ExprKind::Float(_) | ExprKind::Char(_)
            )
        }
        ExprKind::FunRef(FunRef::Remote {
            module,
            function,
            arity,
        }) => {
            matches!(module.kind, ExprKind::Atom(_))
                && matches!(function.kind, ExprKind::Atom(_))
                && matches!(arity.kind, ExprKind::Integer(_))
        }
        _ => false,
    }
}
