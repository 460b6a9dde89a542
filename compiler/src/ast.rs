//! The abstract syntax tree, close to OTP's abstract format, with spans.
//!
//! As in erl_parse, patterns are expressions: the parser accepts a pattern
//! wherever the grammar has one and later phases check what it may contain.

use crate::source::Span;
use crate::token::{IntLit, Name};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub span: Span,
    pub kind: ExprKind,
}

impl Expr {
    pub fn new(span: Span, kind: ExprKind) -> Expr {
        Expr { span, kind }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    // `!` (send) and `=` are kept as their own expression kinds.
    Orelse,
    Andalso,
    Eq,
    Ne,
    Le,
    Lt,
    Ge,
    Gt,
    ExactEq,
    ExactNe,
    Append,
    Subtract,
    Add,
    Sub,
    Bor,
    Bxor,
    Bsl,
    Bsr,
    Or,
    Xor,
    Div,
    Mul,
    IntDiv,
    Rem,
    Band,
    And,
}

impl BinOp {
    /// The operator's name, as erlang:'+'/2 etc.
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Orelse => "orelse",
            BinOp::Andalso => "andalso",
            BinOp::Eq => "==",
            BinOp::Ne => "/=",
            BinOp::Le => "=<",
            BinOp::Lt => "<",
            BinOp::Ge => ">=",
            BinOp::Gt => ">",
            BinOp::ExactEq => "=:=",
            BinOp::ExactNe => "=/=",
            BinOp::Append => "++",
            BinOp::Subtract => "--",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Bor => "bor",
            BinOp::Bxor => "bxor",
            BinOp::Bsl => "bsl",
            BinOp::Bsr => "bsr",
            BinOp::Or => "or",
            BinOp::Xor => "xor",
            BinOp::Div => "/",
            BinOp::Mul => "*",
            BinOp::IntDiv => "div",
            BinOp::Rem => "rem",
            BinOp::Band => "band",
            BinOp::And => "and",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Plus,
    Minus,
    Bnot,
    Not,
}

impl UnOp {
    pub fn name(self) -> &'static str {
        match self {
            UnOp::Plus => "+",
            UnOp::Minus => "-",
            UnOp::Bnot => "bnot",
            UnOp::Not => "not",
        }
    }
}

/// One clause of a function, fun, case, receive, if or try.
/// `if` clauses have no patterns; case-like clauses have exactly one.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub span: Span,
    pub patterns: Vec<Expr>,
    /// A guard sequence: alternatives separated by `;`, each a list of
    /// tests separated by `,`.
    pub guards: Vec<Vec<Expr>>,
    pub body: Vec<Expr>,
}

/// A `catch` clause of `try`: `Class:Reason:Stacktrace when Guard -> Body`.
#[derive(Clone, Debug, PartialEq)]
pub struct CatchClause {
    pub span: Span,
    /// `None` means the default class, `throw`.
    pub class: Option<Expr>,
    pub reason: Expr,
    pub stacktrace: Option<Expr>,
    pub guards: Vec<Vec<Expr>>,
    pub body: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Qualifier {
    /// `Pattern <- ListExpr`
    Generator(Expr, Expr),
    /// `BinaryPattern <= BinaryExpr`
    BitGenerator(Expr, Expr),
    Filter(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct MapField {
    pub span: Span,
    /// `=>` (assoc) when false, `:=` (exact) when true.
    pub exact: bool,
    pub key: Expr,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordFieldInit {
    pub span: Span,
    /// The field name; `_` for the catch-all `_ = Expr`.
    pub name: Name,
    pub value: Expr,
}

/// A bit-syntax type specifier: `integer`, `little`, `unit:8`, ...
#[derive(Clone, Debug, PartialEq)]
pub struct BitTypeSpec {
    pub name: Name,
    pub value: Option<IntLit>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BinElement {
    pub span: Span,
    pub value: Expr,
    pub size: Option<Expr>,
    /// `None` when no `/Types` were written.
    pub types: Option<Vec<BitTypeSpec>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FunRef {
    /// `fun name/Arity`
    Local { name: Name, arity: u32 },
    /// `fun M:F/A`, each part an atom, variable or (for the arity) integer.
    Remote {
        module: Box<Expr>,
        function: Box<Expr>,
        arity: Box<Expr>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Var(Name),
    Atom(Name),
    Integer(IntLit),
    Float(f64),
    Char(char),
    String(Arc<str>),
    Nil,
    Cons(Box<Expr>, Box<Expr>),
    Tuple(Vec<Expr>),
    Binary(Vec<BinElement>),
    Unary(UnOp, Box<Expr>),
    Binary2(BinOp, Box<Expr>, Box<Expr>),
    /// `Pattern = Expr`
    Match(Box<Expr>, Box<Expr>),
    /// `Dest ! Message`
    Send(Box<Expr>, Box<Expr>),
    /// `Module:Function` as the callee of a call (erl_parse's `remote`).
    Remote(Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    ListComp(Box<Expr>, Vec<Qualifier>),
    BinComp(Box<Expr>, Vec<Qualifier>),
    Block(Vec<Expr>),
    If(Vec<Clause>),
    Case(Box<Expr>, Vec<Clause>),
    Receive {
        clauses: Vec<Clause>,
        after: Option<(Box<Expr>, Vec<Expr>)>,
    },
    Try {
        body: Vec<Expr>,
        of_clauses: Vec<Clause>,
        catch_clauses: Vec<CatchClause>,
        after: Vec<Expr>,
    },
    Catch(Box<Expr>),
    FunRef(FunRef),
    Fun(Vec<Clause>),
    NamedFun(Name, Vec<Clause>),
    MapNew(Vec<MapField>),
    MapUpdate(Box<Expr>, Vec<MapField>),
    RecordNew(Name, Vec<RecordFieldInit>),
    RecordUpdate(Box<Expr>, Name, Vec<RecordFieldInit>),
    /// `Expr#rec.field`
    RecordField(Box<Expr>, Name, Name),
    /// `#rec.field`
    RecordIndex(Name, Name),
    /// `maybe ... else ... end`
    Maybe(Vec<Expr>, Option<Vec<Clause>>),
    /// `Pattern ?= Expr`, only directly inside `maybe`.
    MaybeMatch(Box<Expr>, Box<Expr>),
}

/// Types, as they appear in `-type`, `-spec`, `-callback` and record fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Type {
    pub span: Span,
    pub kind: TypeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Var(Name),
    Atom(Name),
    Integer(IntLit),
    Char(char),
    /// `Name :: Type` (an annotated type)
    Annotated(Name, Box<Type>),
    Union(Vec<Type>),
    Range(Box<Type>, Box<Type>),
    BinOp(BinOp, Box<Type>, Box<Type>),
    UnOp(UnOp, Box<Type>),
    /// `name(Args)`: built-in or user type, decided later.
    Call(Name, Vec<Type>),
    Remote(Name, Name, Vec<Type>),
    Nil,
    List(Box<Type>),
    NonEmptyList(Box<Type>),
    /// `map()` is `AnyMap`; `#{}` and `#{K => V}` are `Map`.
    AnyMap,
    Map(Vec<MapPairType>),
    /// `tuple()`
    AnyTuple,
    Tuple(Vec<Type>),
    Record(Name, Vec<(Name, Type)>),
    /// `<<_:M, _:_*N>>`: base size and unit.
    Binary(Box<Type>, Box<Type>),
    /// `fun()`
    AnyFun,
    /// `fun((...) -> T)`
    FunAnyArgs(Box<Type>),
    Fun(Vec<Type>, Box<Type>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct MapPairType {
    pub exact: bool,
    pub key: Type,
    pub value: Type,
}

/// One signature of a spec: `(Args) -> Ret when Constraints`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunSig {
    pub span: Span,
    /// `None` for `(...)`, which only `fun((...) -> T)` types may use.
    pub args: Option<Vec<Type>>,
    pub result: Type,
    pub constraints: Vec<(Name, Type)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordField {
    pub span: Span,
    pub name: Name,
    pub default: Option<Expr>,
    pub ty: Option<Type>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub span: Span,
    pub name: Name,
    pub arity: u32,
    pub clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Form {
    Module(Span, Name),
    Export(Span, Vec<(Name, u32)>),
    Import(Span, Name, Vec<(Name, u32)>),
    Record(Span, Name, Vec<RecordField>),
    /// `-type`/`-opaque Name(Params) :: Type.`
    TypeDecl {
        span: Span,
        opaque: bool,
        name: Name,
        params: Vec<Name>,
        ty: Type,
    },
    /// `-spec` or `-callback`.
    Spec {
        span: Span,
        callback: bool,
        module: Option<Name>,
        name: Name,
        arity: u32,
        sigs: Vec<FunSig>,
    },
    /// `-file(Name, Line).`
    File(Span, Arc<str>, u32),
    /// Any other attribute; its value is a literal term (checked by the
    /// parser, as erl_parse's `normalise` does).
    Attribute(Span, Name, Expr),
    Function(Function),
}

impl Form {
    pub fn span(&self) -> Span {
        match self {
            Form::Module(s, _)
            | Form::Export(s, _)
            | Form::Import(s, _, _)
            | Form::Record(s, _, _)
            | Form::File(s, _, _)
            | Form::Attribute(s, _, _) => *s,
            Form::TypeDecl { span, .. } | Form::Spec { span, .. } => *span,
            Form::Function(f) => f.span,
        }
    }
}
