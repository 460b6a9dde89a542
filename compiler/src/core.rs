//! Core: the first IR after the AST. Macros and records are gone, every
//! variable is resolved to a unique [`VarId`] bound exactly once, operators
//! are calls, and patterns bind only fresh variables (a repeated or already
//! bound variable becomes an equality test in the guard).
//!
//! Expressions still nest; the kernel pass flattens them, compiles pattern
//! matching into decision trees and lifts funs to module functions.

use crate::bytecode::{BinFlags, BinType, Literal};
use crate::source::Span;

pub type VarId = u32;

/// A local function: name and arity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FunName {
    pub name: String,
    pub arity: u32,
}

impl FunName {
    pub fn new(name: impl Into<String>, arity: u32) -> FunName {
        FunName {
            name: name.into(),
            arity,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub span: Span,
    pub kind: ExprKind,
}

impl Expr {
    pub fn new(span: Span, kind: ExprKind) -> Expr {
        Expr { span, kind }
    }
    pub fn lit(span: Span, l: Literal) -> Expr {
        Expr::new(span, ExprKind::Lit(l))
    }
    pub fn atom(span: Span, a: &str) -> Expr {
        Expr::lit(span, Literal::atom(a))
    }
    pub fn var(span: Span, v: VarId) -> Expr {
        Expr::new(span, ExprKind::Var(v))
    }
    /// A call of erlang:Name/N.
    pub fn erlang(span: Span, name: &str, args: Vec<Expr>) -> Expr {
        Expr::new(
            span,
            ExprKind::Call(
                Box::new(Expr::atom(span, "erlang")),
                Box::new(Expr::atom(span, name)),
                args,
            ),
        )
    }
    pub fn tuple(span: Span, es: Vec<Expr>) -> Expr {
        Expr::new(span, ExprKind::Tuple(es))
    }
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Var(VarId),
    Lit(Literal),
    Cons(Box<Expr>, Box<Expr>),
    Tuple(Vec<Expr>),
    /// Several values at once: the argument of a multi-pattern `Case`, or
    /// what a branch gives a multi-variable `Let`.
    Values(Vec<Expr>),
    /// `let <vars> = arg in body`: `arg` yields as many values as `vars`.
    Let(Vec<VarId>, Box<Expr>, Box<Expr>),
    Seq(Box<Expr>, Box<Expr>),
    /// Match the value(s) of the argument against the clauses in order.
    /// Lowering always ends the list with a clause that raises the right
    /// error, so some clause always matches.
    Case(Box<Expr>, Vec<Clause>),
    /// Remote call `Module:Function(Args)` (module and function are
    /// expressions; operators and BIFs are calls to `erlang`).
    Call(Box<Expr>, Box<Expr>, Vec<Expr>),
    /// Call of a local function.
    ApplyLocal(FunName, Vec<Expr>),
    /// Call of a fun value.
    ApplyFun(Box<Expr>, Vec<Expr>),
    /// A fun expression.
    Fun(Box<FunDef>),
    /// `fun name/Arity` of a local function.
    LocalFunRef(FunName),
    /// Local recursive functions (list comprehensions), then the body.
    LetRec(Vec<(FunName, FunDef)>, Box<Expr>),
    /// `try Arg of <Vars> -> Body catch <Class, Reason, Trace> -> Handler`.
    Try {
        arg: Box<Expr>,
        vars: Vec<VarId>,
        body: Box<Expr>,
        evars: [VarId; 3],
        handler: Box<Expr>,
    },
    Catch(Box<Expr>),
    Receive {
        clauses: Vec<Clause>,
        timeout: Box<Expr>,
        action: Box<Expr>,
    },
    /// Raise an exception of a fixed class: `error`, `exit` or `throw`.
    Raise(&'static str, Box<Expr>),
    /// No clause of a function matched its arguments: raise
    /// `function_clause` with them.
    FunctionClause(Vec<Expr>),
    /// Re-raise with the trace variable of a handler.
    Reraise(Box<Expr>, Box<Expr>, Box<Expr>),
    MapNew(Vec<MapPair>),
    MapUpdate(Box<Expr>, Vec<MapPair>),
    Binary(Vec<BinSeg>),
}

#[derive(Clone, Debug)]
pub struct MapPair {
    pub key: Expr,
    pub value: Expr,
    /// `:=`: the key must exist.
    pub exact: bool,
}

#[derive(Clone, Debug)]
pub struct BinSeg {
    pub value: Expr,
    pub size: Option<Expr>,
    pub ty: BinType,
    pub unit: u32,
    pub flags: BinFlags,
}

/// A function body: parameters (fresh variables) and the body, which is
/// usually a `Case` over the parameters.
#[derive(Clone, Debug)]
pub struct FunDef {
    pub span: Span,
    pub params: Vec<VarId>,
    pub body: Expr,
    /// For a named fun, the variable its name binds inside the body.
    pub self_var: Option<VarId>,
    /// The name OTP gives the lifted function (`-f/1-fun-0-`).
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Clause {
    pub span: Span,
    pub pats: Vec<Pat>,
    pub guard: Guard,
    pub body: Expr,
}

/// A guard sequence: alternatives (`;`) of conjunctions (`,`).
/// An empty sequence is `true`.
pub type Guard = Vec<Vec<GExpr>>;

/// A guard expression: only what guards allow. Exceptions make the guard
/// fail.
#[derive(Clone, Debug)]
pub enum GExpr {
    Var(VarId),
    Lit(Literal),
    Cons(Box<GExpr>, Box<GExpr>),
    Tuple(Vec<GExpr>),
    /// A guard BIF or operator of module `erlang`.
    Bif(String, Vec<GExpr>),
    Andalso(Box<GExpr>, Box<GExpr>),
    Orelse(Box<GExpr>, Box<GExpr>),
    /// `Rec#name.field` in a guard: fails unless a `name` record of `size`.
    RecordField {
        rec: Box<GExpr>,
        name: String,
        size: u32,
        index: u32,
    },
    MapNew(Vec<(GExpr, GExpr)>),
    MapUpdate(Box<GExpr>, Vec<(GExpr, GExpr, bool)>),
    Binary(Vec<GBinSeg>),
}

#[derive(Clone, Debug)]
pub struct GBinSeg {
    pub value: GExpr,
    pub size: Option<GExpr>,
    pub ty: BinType,
    pub unit: u32,
    pub flags: BinFlags,
}

#[derive(Clone, Debug)]
pub enum Pat {
    Var(VarId),
    /// Matches anything, binds nothing.
    Wild,
    Lit(Literal),
    Cons(Box<Pat>, Box<Pat>),
    Tuple(Vec<Pat>),
    /// `Var = Pattern`: bind the whole value too.
    Alias(VarId, Box<Pat>),
    /// Map pattern: the keys are guard expressions (literals or bound
    /// variables).
    Map(Vec<(GExpr, Pat)>),
    Binary(Vec<PatSeg>),
}

#[derive(Clone, Debug)]
pub struct PatSeg {
    pub pat: Pat,
    /// A size expression over bound variables; `None` = default/rest.
    pub size: Option<GExpr>,
    pub ty: BinType,
    pub unit: u32,
    pub flags: BinFlags,
}

/// A whole module in Core.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub file: String,
    pub exports: Vec<FunName>,
    pub functions: Vec<(FunName, FunDef)>,
    pub attributes: Vec<(String, Literal)>,
    /// Source names of variables, for diagnostics and debugging.
    pub var_names: Vec<String>,
}
