//! Helpers for the grammar's actions: building nodes and the checks that
//! erl_parse makes while it builds (head mismatch, bad type variables...).

use crate::ast::*;
use crate::source::{FileId, Span};
use crate::token::{IntLit, Name};
use lalrpop_util::ParseError;
use std::sync::Arc;

/// An error found by a grammar action, with OTP's wording.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

pub type ActionResult<T> = Result<T, ParseError<u32, crate::token::Tok, SyntaxError>>;

fn fail<T>(span: Span, message: impl Into<String>) -> ActionResult<T> {
    Err(ParseError::User {
        error: SyntaxError {
            span,
            message: message.into(),
        },
    })
}

/// A form as the grammar sees it, before attributes are interpreted.
pub enum RawForm {
    Attribute(Span, (Span, Name), Vec<Expr>),
    Typed(Span, (Span, Name), TypedAttr),
    Done(Form),
    Function(Function),
}

pub enum TypedAttr {
    /// `-record(Name, {Field :: Type, ...})`
    Record(Expr, Vec<TypedField>),
    /// `-type Name(Vars) :: Type`
    TypeDef(Expr, Type),
}

pub struct TypedField(pub Expr, pub Option<Type>);

pub struct RawSpec(pub (Option<Name>, Name), pub Vec<FunSig>);

pub fn sp(file: FileId, l: u32, r: u32) -> Span {
    Span::new(file, l, r)
}

pub fn mk(file: FileId, l: u32, r: u32, kind: ExprKind) -> Expr {
    Expr::new(sp(file, l, r), kind)
}

pub fn binop(file: FileId, l: u32, r: u32, op: BinOp, a: Expr, b: Expr) -> Expr {
    mk(file, l, r, ExprKind::Binary2(op, Box::new(a), Box::new(b)))
}

pub fn unop(file: FileId, l: u32, r: u32, op: UnOp, e: Expr) -> Expr {
    mk(file, l, r, ExprKind::Unary(op, Box::new(e)))
}

pub fn prepend<T>(x: T, mut xs: Vec<T>) -> Vec<T> {
    xs.insert(0, x);
    xs
}

pub fn concat_strings(a: &str, b: &str) -> Arc<str> {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    Arc::from(s)
}

/// `A | B | C` as one flat union, as erl_parse's lift_unions.
pub fn union(span: Span, a: Type, b: Type) -> Type {
    let members = match b.kind {
        TypeKind::Union(mut ms) => {
            ms.insert(0, a);
            ms
        }
        _ => vec![a, b],
    };
    Type {
        span,
        kind: TypeKind::Union(members),
    }
}

/// `name()`: `tuple()` and `map()` are special, as in erl_parse.
pub fn gen_type(span: Span, name: Name) -> Type {
    let kind = match &*name {
        "tuple" => TypeKind::AnyTuple,
        "map" => TypeKind::AnyMap,
        _ => TypeKind::Call(name, vec![]),
    };
    Type { span, kind }
}

pub fn fun_sig_type(span: Span, sig: FunSig) -> Type {
    let kind = match sig.args {
        None => TypeKind::FunAnyArgs(Box::new(sig.result)),
        Some(args) => TypeKind::Fun(args, Box::new(sig.result)),
    };
    Type { span, kind }
}

fn zero(span: Span) -> Type {
    Type {
        span,
        kind: TypeKind::Integer(IntLit::Small(0)),
    }
}

pub fn binary_type(span: Span, base: Option<Type>, unit: Option<Type>) -> Type {
    Type {
        span,
        kind: TypeKind::Binary(
            Box::new(base.unwrap_or_else(|| zero(span))),
            Box::new(unit.unwrap_or_else(|| zero(span))),
        ),
    }
}

/// The variables in `<<_:M>>` and `<<_:_*N>>` must all be `_`.
pub fn bin_type(vars: Vec<(Span, Name)>, t: Type) -> ActionResult<Type> {
    for (span, v) in vars {
        if &*v != "_" {
            return fail(span, "Bad binary type");
        }
    }
    Ok(t)
}

pub fn compat_constraint((span, atom): (Span, Name), mut types: Vec<Type>) -> ActionResult<(Name, Type)> {
    if &*atom == "is_subtype" && types.len() == 2 {
        let t = types.pop().unwrap_or_else(|| zero(span));
        let v = types.pop().unwrap_or_else(|| zero(span));
        return match v.kind {
            TypeKind::Var(name) => constraint((v.span, name), t),
            _ => fail(v.span, "bad type variable"),
        };
    }
    fail(
        span,
        format!("unsupported constraint {}", crate::pretty::quote_atom(&atom)),
    )
}

pub fn constraint((span, var): (Span, Name), t: Type) -> ActionResult<(Name, Type)> {
    if &*var == "_" {
        return fail(span, "bad type variable");
    }
    Ok((var, t))
}

pub fn build_spec(span: Span, callback: bool, spec: RawSpec) -> ActionResult<RawForm> {
    let RawSpec((module, name), sigs) = spec;
    let arity = match sigs.first().and_then(|s| s.args.as_ref()) {
        Some(args) => args.len() as u32,
        None => return fail(span, "bad type declaration"),
    };
    Ok(RawForm::Done(Form::Spec {
        span,
        callback,
        module,
        name,
        arity,
        sigs,
    }))
}

pub fn build_function(span: Span, clauses: Vec<(Span, Name, Clause)>) -> ActionResult<Function> {
    let name = clauses[0].1.clone();
    let arity = clauses[0].2.patterns.len();
    let mut out = Vec::with_capacity(clauses.len());
    for (head, n, c) in clauses {
        if n != name || c.patterns.len() != arity {
            return fail(head, "head mismatch");
        }
        out.push(c);
    }
    Ok(Function {
        span,
        name,
        arity: arity as u32,
        clauses: out,
    })
}

pub fn build_fun(span: Span, clauses: Vec<(Option<(Span, Name)>, Clause)>) -> ActionResult<Expr> {
    let name = clauses[0].0.as_ref().map(|(_, n)| n.clone());
    let arity = clauses[0].1.patterns.len();
    let mut out = Vec::with_capacity(clauses.len());
    for (n, c) in clauses {
        if n.as_ref().map(|(_, n)| n) != name.as_ref() || c.patterns.len() != arity {
            let at = n.map(|(s, _)| s).unwrap_or(c.span);
            return fail(at, "head mismatch");
        }
        out.push(c);
    }
    Ok(Expr::new(
        span,
        match name {
            None => ExprKind::Fun(out),
            Some(n) => ExprKind::NamedFun(n, out),
        },
    ))
}

pub fn fun_local(span: Span, name: Name, (ispan, arity): (Span, IntLit)) -> ActionResult<Expr> {
    match arity.as_i64().and_then(|a| u32::try_from(a).ok()) {
        Some(a) => Ok(Expr::new(
            span,
            ExprKind::FunRef(FunRef::Local { name, arity: a }),
        )),
        None => fail(ispan, "bad function arity"),
    }
}
