//! Kernel: Core flattened to A-normal form, with pattern matching compiled
//! into decision trees and funs lifted to module-level functions.
//!
//! The match compiler is the classic one of Wadler ("The Implementation of
//! Functional Programming Languages", chapter 5), as OTP's v3_kernel uses:
//! a column of variables is matched against clause rows; rows are split
//! into blocks where the first column is all variables or all constructors;
//! constructors are grouped, each group matched on its sub-terms. Every
//! clause body appears exactly once in the tree.

use crate::ast;
use crate::bytecode::{BinFlags, BinType, Literal};
use crate::core::{self, Clause, Expr, ExprKind, FunDef, FunName, GExpr, Guard, Pat, VarId};
use crate::source::Span;
use std::collections::{BTreeSet, HashMap};

/// An atomic operand.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Var(VarId),
    Lit(Literal),
}

#[derive(Clone, Debug)]
pub enum Callee {
    Local(FunName),
    Remote(Arg, Arg),
    Fun(Arg),
}

/// Simple operations: they produce values and then execution continues.
#[derive(Clone, Debug)]
pub enum Op {
    Call(Callee, Vec<Arg>),
    /// An erlang BIF compiled as an instruction (cannot call back).
    Bif(String, Vec<Arg>),
    Cons(Arg, Arg),
    Tuple(Vec<Arg>),
    /// Make a fun of lambda `index` (into the module's lambdas) capturing
    /// `free`.
    MakeFun(usize, Vec<Arg>),
    MapNew(Vec<(Arg, Arg)>),
    MapUpdate(Arg, Vec<(Arg, Arg, bool)>),
    Binary(Vec<KBinSeg>),
    /// Copy a value (used when a value must land in a known variable).
    Move(Arg),
    /// `Dest ! Message`.
    Send(Arg, Arg),
    /// Build the stack trace term from a handler's raw trace.
    BuildStacktrace(Arg),
}

#[derive(Clone, Debug)]
pub struct KBinSeg {
    pub value: Arg,
    pub size: Option<Arg>,
    pub ty: BinType,
    pub unit: u32,
    pub flags: BinFlags,
}

#[derive(Clone, Debug)]
pub enum KExpr {
    Let(Vec<VarId>, Op, Box<KExpr>),
    /// Run a construct whose leaves `Break` with values, bind them, go on.
    Block(Box<Construct>, Vec<VarId>, Box<KExpr>),
    /// A construct in tail position: its leaves return or tail-call.
    Tail(Box<Construct>),
    Return(Arg),
    Enter(Callee, Vec<Arg>),
    Break(Vec<Arg>),
    Raise(&'static str, Arg),
    Reraise(Arg, Arg, Arg),
    /// Raise `function_clause` for the current function with these arguments.
    FunctionClause(Vec<Arg>),
    /// The code that follows comes from this source line (for stack traces).
    Line(u32, Box<KExpr>),
}

#[derive(Clone, Debug)]
pub enum Construct {
    Match(Tree),
    Try {
        body: KExpr,
        vars: Vec<VarId>,
        ok: KExpr,
        evars: [VarId; 3],
        handler: KExpr,
    },
    Catch(KExpr),
    Receive {
        tree: Tree,
        /// The variable the current message is bound to.
        msg: VarId,
        /// A variable bound before the receive whose value every clause
        /// requires in the message (see `required_outer_var`).
        marker: Option<VarId>,
        timeout: Arg,
        action: KExpr,
    },
}

/// A decision tree.
#[derive(Clone, Debug)]
pub enum Tree {
    /// Test the variable's type and value; each case binds sub-term
    /// variables and continues.
    Select(VarId, Vec<SelectCase>),
    /// Try the first; if it fails, the second.
    Alt(Box<Tree>, Box<Tree>),
    /// Continue only if the guard holds.
    Guard(KGuard, Box<Tree>),
    Leaf(Box<KExpr>),
    Fail,
    /// Placeholder for clause `i`'s body while the tree is being built.
    Clause(usize),
}

#[derive(Clone, Debug)]
pub struct SelectCase {
    pub test: Test,
    pub then: Tree,
}

/// What a select case checks, and the variables it binds.
#[derive(Clone, Debug)]
pub enum Test {
    Literal(Literal),
    Cons(VarId, VarId),
    Tuple(Vec<VarId>),
    /// Keys (guard expressions) and the variables their values bind.
    Map(Vec<(KGExpr, VarId)>),
    /// Segments, in order; the bound variable of each (or None to skip).
    Binary(Vec<KBinMatch>),
}

#[derive(Clone, Debug)]
pub struct KBinMatch {
    pub var: VarId,
    pub size: Option<KGExpr>,
    pub ty: BinType,
    pub unit: u32,
    pub flags: BinFlags,
    /// A literal the segment must equal (after extraction), if any.
    pub equals: Option<Literal>,
}

pub type KGuard = Vec<Vec<KGExpr>>;

/// Guard expressions with kernel variables.
#[derive(Clone, Debug)]
pub enum KGExpr {
    Arg(Arg),
    Cons(Box<KGExpr>, Box<KGExpr>),
    Tuple(Vec<KGExpr>),
    Bif(String, Vec<KGExpr>),
    Andalso(Box<KGExpr>, Box<KGExpr>),
    Orelse(Box<KGExpr>, Box<KGExpr>),
    RecordField {
        rec: Box<KGExpr>,
        name: String,
        size: u32,
        index: u32,
    },
    MapNew(Vec<(KGExpr, KGExpr)>),
    MapUpdate(Box<KGExpr>, Vec<(KGExpr, KGExpr, bool)>),
    Binary(Vec<(KGExpr, Option<KGExpr>, BinType, u32, BinFlags)>),
}

/// A function of the kernel module.
#[derive(Clone, Debug)]
pub struct KFun {
    /// The line of the function's head.
    pub line: u32,
    pub name: String,
    pub arity: u32,
    pub params: Vec<VarId>,
    pub body: KExpr,
    pub span: Span,
}

/// A lambda: which function implements it, its own arity and free count.
#[derive(Clone, Debug)]
pub struct KLambda {
    pub function: FunName,
    pub arity: u32,
    pub free: u32,
}

#[derive(Clone, Debug)]
pub struct KModule {
    pub name: String,
    pub file: String,
    pub exports: Vec<FunName>,
    pub functions: Vec<KFun>,
    pub lambdas: Vec<KLambda>,
    pub attributes: Vec<(String, Literal)>,
    pub var_count: u32,
}

/// BIFs compiled as instructions when called in a body (they also work in
/// guards): operators, type tests and the guard BIFs.
pub fn is_instruction_bif(name: &str, arity: usize) -> bool {
    let a = arity as u32;
    crate::bifs::is_guard_bif(name, a)
        || matches!(
            (name, arity),
            ("+" | "-" | "bnot" | "not", 1)
                | (
                    "+" | "-"
                        | "*"
                        | "/"
                        | "div"
                        | "rem"
                        | "band"
                        | "bor"
                        | "bxor"
                        | "bsl"
                        | "bsr"
                        | "and"
                        | "or"
                        | "xor"
                        | "=="
                        | "/="
                        | "=<"
                        | "<"
                        | ">="
                        | ">"
                        | "=:="
                        | "=/=",
                    2
                )
        )
}

struct Kernel<'s> {
    sources: Option<&'s crate::source::SourceMap>,
    /// The line last noted, to avoid repeating it.
    cur_line: u32,
    var_count: u32,
    /// Renaming of pattern variables to the column variables they alias.
    rename: HashMap<VarId, VarId>,
    functions: Vec<KFun>,
    lambdas: Vec<KLambda>,
    /// Local functions in scope (module functions and letrec ones), with
    /// the free variables a lifted letrec function takes as extra args.
    local_free: HashMap<FunName, Vec<VarId>>,
    /// Name of the lifted function per letrec/fun name.
    local_lifted: HashMap<FunName, FunName>,
}

/// Pre-statements while flattening: bindings that come before a value.
enum KPre {
    Let(Vec<VarId>, Op),
    Block(Box<Construct>, Vec<VarId>),
    Line(u32),
}

impl KPre {
    fn block(c: Construct, rets: Vec<VarId>) -> KPre {
        KPre::Block(Box::new(c), rets)
    }
}

impl<'s> Kernel<'s> {
    fn fresh(&mut self) -> VarId {
        let v = self.var_count;
        self.var_count += 1;
        v
    }

    fn var(&self, v: VarId) -> VarId {
        let mut v = v;
        while let Some(r) = self.rename.get(&v) {
            v = *r;
        }
        v
    }

    fn wrap(pres: Vec<KPre>, tail: KExpr) -> KExpr {
        pres.into_iter().rev().fold(tail, |acc, p| match p {
            KPre::Let(vs, op) => KExpr::Let(vs, op, Box::new(acc)),
            KPre::Block(c, rets) => KExpr::Block(c, rets, Box::new(acc)),
            KPre::Line(l) => KExpr::Line(l, Box::new(acc)),
        })
    }

    /// Note the source line of an expression, when it changes.
    fn line(&mut self, span: Span, pres: &mut Vec<KPre>) {
        let Some(sources) = self.sources else { return };
        let l = sources.get(span.file).line(span.lo);
        if l != self.cur_line {
            self.cur_line = l;
            pres.push(KPre::Line(l));
        }
    }

    /// Flatten an expression in tail position.
    fn tail(&mut self, e: &Expr) -> KExpr {
        let mut pres = Vec::new();
        let t = self.tail_in(e, &mut pres);
        Self::wrap(pres, t)
    }

    fn tail_in(&mut self, e: &Expr, pres: &mut Vec<KPre>) -> KExpr {
        if matches!(
            e.kind,
            ExprKind::Call(..)
                | ExprKind::ApplyLocal(..)
                | ExprKind::ApplyFun(..)
                | ExprKind::Raise(..)
                | ExprKind::Case(..)
                | ExprKind::Receive { .. }
        ) {
            self.line(e.span, pres);
        }
        match &e.kind {
            // `let <V> = Arg in V` is Arg, in tail position.
            ExprKind::Let(vars, arg, body) if matches!(body.kind, ExprKind::Var(v) if vars[..] == [v]) => {
                self.tail_in(arg, pres)
            }
            ExprKind::Let(vars, arg, body) => {
                self.bind(vars, arg, pres);
                self.tail_in(body, pres)
            }
            ExprKind::Seq(a, b) => {
                self.effect(a, pres);
                self.tail_in(b, pres)
            }
            ExprKind::Case(arg, clauses) => {
                let args = self.args_of(arg, pres);
                let tree = self.match_clauses(args, clauses, &mut |k, body| k.tail(body));
                KExpr::Tail(Box::new(Construct::Match(tree)))
            }
            ExprKind::Receive {
                clauses,
                timeout,
                action,
            } => {
                let timeout = self.atom(timeout, pres);
                let msg = self.fresh();
                let marker = required_outer_var(clauses).map(|v| self.var(v));
                let tree = self.match_clauses(vec![msg], clauses, &mut |k, body| k.tail(body));
                let action = self.tail(action);
                KExpr::Tail(Box::new(Construct::Receive {
                    tree,
                    msg,
                    marker,
                    timeout,
                    action,
                }))
            }
            ExprKind::Try {
                arg,
                vars,
                body,
                evars,
                handler,
            } => {
                let n = vars.len();
                let kbody = self.breaking(arg, n);
                let ok = self.tail(body);
                let handler = self.tail(handler);
                KExpr::Tail(Box::new(Construct::Try {
                    body: kbody,
                    vars: vars.clone(),
                    ok,
                    evars: *evars,
                    handler,
                }))
            }
            ExprKind::Call(m, f, args) => {
                let m = self.atom(m, pres);
                let f = self.atom(f, pres);
                let args = self.atoms(args, pres);
                if let (Arg::Lit(Literal::Atom(ma)), Arg::Lit(Literal::Atom(fa))) = (&m, &f) {
                    if ma == "erlang" && is_instruction_bif(fa, args.len()) {
                        let v = self.fresh();
                        pres.push(KPre::Let(vec![v], Op::Bif(fa.clone(), args)));
                        return KExpr::Return(Arg::Var(v));
                    }
                    if ma == "erlang" && fa == "!" && args.len() == 2 {
                        let v = self.fresh();
                        pres.push(KPre::Let(vec![v], Op::Send(args[0].clone(), args[1].clone())));
                        return KExpr::Return(Arg::Var(v));
                    }
                }
                KExpr::Enter(Callee::Remote(m, f), args)
            }
            ExprKind::ApplyLocal(name, args) => {
                let mut args = self.atoms(args, pres);
                let target = self.local_target(name, &mut args);
                KExpr::Enter(Callee::Local(target), args)
            }
            ExprKind::ApplyFun(f, args) => {
                let f = self.atom(f, pres);
                let args = self.atoms(args, pres);
                KExpr::Enter(Callee::Fun(f), args)
            }
            ExprKind::LetRec(defs, body) => {
                self.letrec(defs);
                self.tail_in(body, pres)
            }
            ExprKind::Raise(class, reason) => {
                let r = self.atom(reason, pres);
                KExpr::Raise(class, r)
            }
            ExprKind::Reraise(c, r, t) => {
                let c = self.atom(c, pres);
                let r = self.atom(r, pres);
                let t = self.atom(t, pres);
                KExpr::Reraise(c, r, t)
            }
            ExprKind::FunctionClause(args) => {
                let args = self.atoms(args, pres);
                KExpr::FunctionClause(args)
            }
            ExprKind::Values(_) => {
                // Multiple values only reach tail position inside a Block
                // (handled by `breaking`); here the first value is the result.
                let vs = self.args_of(e, pres);
                KExpr::Return(
                    vs.into_iter()
                        .next()
                        .map(Arg::Var)
                        .unwrap_or(Arg::Lit(Literal::Nil)),
                )
            }
            _ => {
                let a = self.atom(e, pres);
                KExpr::Return(a)
            }
        }
    }

    /// Flatten an expression whose result(s) leave with `Break`.
    fn breaking(&mut self, e: &Expr, n: usize) -> KExpr {
        let mut pres = Vec::new();
        let t = self.break_in(e, n, &mut pres);
        Self::wrap(pres, t)
    }

    fn break_in(&mut self, e: &Expr, n: usize, pres: &mut Vec<KPre>) -> KExpr {
        if matches!(e.kind, ExprKind::Raise(..) | ExprKind::Case(..)) {
            self.line(e.span, pres);
        }
        match &e.kind {
            ExprKind::Let(vars, arg, body) => {
                self.bind(vars, arg, pres);
                self.break_in(body, n, pres)
            }
            ExprKind::Seq(a, b) => {
                self.effect(a, pres);
                self.break_in(b, n, pres)
            }
            ExprKind::Case(arg, clauses) => {
                let args = self.args_of(arg, pres);
                let tree = self.match_clauses(args, clauses, &mut |k, body| k.breaking(body, n));
                let rets: Vec<VarId> = (0..n).map(|_| self.fresh()).collect();
                pres.push(KPre::block(Construct::Match(tree), rets.clone()));
                KExpr::Break(rets.into_iter().map(Arg::Var).collect())
            }
            ExprKind::Values(es) if es.len() == n => {
                let args = self.atoms(es, pres);
                KExpr::Break(args)
            }
            ExprKind::Raise(class, reason) => {
                let r = self.atom(reason, pres);
                KExpr::Raise(class, r)
            }
            ExprKind::Reraise(c, r, t) => {
                let c = self.atom(c, pres);
                let r = self.atom(r, pres);
                let t = self.atom(t, pres);
                KExpr::Reraise(c, r, t)
            }
            ExprKind::LetRec(defs, body) => {
                self.letrec(defs);
                self.break_in(body, n, pres)
            }
            ExprKind::FunctionClause(args) => {
                let args = self.atoms(args, pres);
                KExpr::FunctionClause(args)
            }
            _ => {
                let vals = self.values(e, n, pres);
                KExpr::Break(vals)
            }
        }
    }

    /// Evaluate for effect only.
    fn effect(&mut self, e: &Expr, pres: &mut Vec<KPre>) {
        match &e.kind {
            ExprKind::Var(_) | ExprKind::Lit(_) => {}
            ExprKind::Let(vars, arg, body) => {
                self.bind(vars, arg, pres);
                self.effect(body, pres);
            }
            ExprKind::Seq(a, b) => {
                self.effect(a, pres);
                self.effect(b, pres);
            }
            _ => {
                let _ = self.atom(e, pres);
            }
        }
    }

    /// `let <vars> = e`.
    fn bind(&mut self, vars: &[VarId], e: &Expr, pres: &mut Vec<KPre>) {
        if vars.len() == 1 {
            match &e.kind {
                ExprKind::Var(v) => {
                    let v = self.var(*v);
                    self.rename.insert(vars[0], v);
                }
                _ => {
                    let a = self.atom(e, pres);
                    match a {
                        Arg::Var(v) => {
                            self.rename.insert(vars[0], v);
                        }
                        lit => pres.push(KPre::Let(vec![vars[0]], Op::Move(lit))),
                    }
                }
            }
        } else {
            let vals = self.values(e, vars.len(), pres);
            for (v, a) in vars.iter().zip(vals) {
                match a {
                    Arg::Var(x) => {
                        self.rename.insert(*v, x);
                    }
                    lit => pres.push(KPre::Let(vec![*v], Op::Move(lit))),
                }
            }
        }
    }

    /// The `n` values of an expression (a Values, or a branching construct
    /// producing several).
    fn values(&mut self, e: &Expr, n: usize, pres: &mut Vec<KPre>) -> Vec<Arg> {
        match &e.kind {
            ExprKind::Values(es) if es.len() == n => self.atoms(es, pres),
            ExprKind::Let(vars, arg, body) => {
                self.bind(vars, arg, pres);
                self.values(body, n, pres)
            }
            ExprKind::Seq(a, b) => {
                self.effect(a, pres);
                self.values(b, n, pres)
            }
            _ if n == 1 => vec![self.atom(e, pres)],
            _ => {
                // A case/receive/try returning several values.
                let rets: Vec<VarId> = (0..n).map(|_| self.fresh()).collect();
                let c = self.construct(e, n);
                pres.push(KPre::block(c, rets.clone()));
                rets.into_iter().map(Arg::Var).collect()
            }
        }
    }

    /// A branching expression as a construct breaking with `n` values.
    fn construct(&mut self, e: &Expr, n: usize) -> Construct {
        match &e.kind {
            ExprKind::Case(arg, clauses) => {
                let mut pres = Vec::new();
                let args = self.args_of(arg, &mut pres);
                let tree = self.match_clauses(args, clauses, &mut |k, body| k.breaking(body, n));
                if pres.is_empty() {
                    Construct::Match(tree)
                } else {
                    // Evaluate the argument first, inside the construct.
                    let inner = Self::wrap(pres, KExpr::Tail(Box::new(Construct::Match(tree))));
                    Construct::Match(Tree::Leaf(Box::new(inner)))
                }
            }
            ExprKind::Receive {
                clauses,
                timeout,
                action,
            } => {
                let mut pres = Vec::new();
                let timeout = self.atom(timeout, &mut pres);
                let msg = self.fresh();
                let marker = required_outer_var(clauses).map(|v| self.var(v));
                let tree = self.match_clauses(vec![msg], clauses, &mut |k, body| k.breaking(body, n));
                let action = match &action.kind {
                    // Without `after` the action never runs; it carries no
                    // exported variables, so fill the values it would break
                    // with.
                    ExprKind::Lit(l) if n > 1 => KExpr::Break(vec![Arg::Lit(l.clone()); n]),
                    _ => self.breaking(action, n),
                };
                let c = Construct::Receive {
                    tree,
                    msg,
                    marker,
                    timeout,
                    action,
                };
                if pres.is_empty() {
                    c
                } else {
                    let inner = Self::wrap(pres, KExpr::Tail(Box::new(c)));
                    Construct::Match(Tree::Leaf(Box::new(inner)))
                }
            }
            ExprKind::Try {
                arg,
                vars,
                body,
                evars,
                handler,
            } => {
                let kbody = self.breaking(arg, vars.len());
                let ok = self.breaking(body, n);
                let handler = self.breaking(handler, n);
                Construct::Try {
                    body: kbody,
                    vars: vars.clone(),
                    ok,
                    evars: *evars,
                    handler,
                }
            }
            ExprKind::Catch(body) => Construct::Catch(self.breaking(body, 1)),
            _ => {
                let b = self.breaking(e, n);
                Construct::Match(Tree::Leaf(Box::new(b)))
            }
        }
    }

    fn args_of(&mut self, e: &Expr, pres: &mut Vec<KPre>) -> Vec<VarId> {
        let es: Vec<&Expr> = match &e.kind {
            ExprKind::Values(es) => es.iter().collect(),
            _ => vec![e],
        };
        es.into_iter()
            .map(|x| match self.atom(x, pres) {
                Arg::Var(v) => v,
                lit => {
                    let v = self.fresh();
                    pres.push(KPre::Let(vec![v], Op::Move(lit)));
                    v
                }
            })
            .collect()
    }

    fn atoms(&mut self, es: &[Expr], pres: &mut Vec<KPre>) -> Vec<Arg> {
        es.iter().map(|e| self.atom(e, pres)).collect()
    }

    fn let_op(&mut self, op: Op, pres: &mut Vec<KPre>) -> Arg {
        let v = self.fresh();
        pres.push(KPre::Let(vec![v], op));
        Arg::Var(v)
    }

    /// Flatten an expression to an atomic operand.
    fn atom(&mut self, e: &Expr, pres: &mut Vec<KPre>) -> Arg {
        if matches!(
            e.kind,
            ExprKind::Call(..)
                | ExprKind::ApplyLocal(..)
                | ExprKind::ApplyFun(..)
                | ExprKind::Raise(..)
                | ExprKind::Case(..)
                | ExprKind::MapUpdate(..)
                | ExprKind::Binary(..)
        ) {
            self.line(e.span, pres);
        }
        match &e.kind {
            ExprKind::Var(v) => Arg::Var(self.var(*v)),
            ExprKind::Lit(l) => Arg::Lit(l.clone()),
            ExprKind::Cons(h, t) => {
                let h = self.atom(h, pres);
                let t = self.atom(t, pres);
                self.let_op(Op::Cons(h, t), pres)
            }
            ExprKind::Tuple(es) => {
                let es = self.atoms(es, pres);
                self.let_op(Op::Tuple(es), pres)
            }
            ExprKind::Values(es) => {
                // A single-valued context: the first value.
                let vs = self.atoms(es, pres);
                vs.into_iter().next().unwrap_or(Arg::Lit(Literal::Nil))
            }
            ExprKind::Let(vars, arg, body) => {
                self.bind(vars, arg, pres);
                self.atom(body, pres)
            }
            ExprKind::Seq(a, b) => {
                self.effect(a, pres);
                self.atom(b, pres)
            }
            ExprKind::Call(m, f, args) => {
                let m = self.atom(m, pres);
                let f = self.atom(f, pres);
                let args = self.atoms(args, pres);
                if let (Arg::Lit(Literal::Atom(ma)), Arg::Lit(Literal::Atom(fa))) = (&m, &f) {
                    if ma == "erlang" && is_instruction_bif(fa, args.len()) {
                        return self.let_op(Op::Bif(fa.clone(), args), pres);
                    }
                    if ma == "erlang" && fa == "!" && args.len() == 2 {
                        return self.let_op(Op::Send(args[0].clone(), args[1].clone()), pres);
                    }
                }
                self.let_op(Op::Call(Callee::Remote(m, f), args), pres)
            }
            ExprKind::ApplyLocal(name, args) => {
                let mut args = self.atoms(args, pres);
                let target = self.local_target(name, &mut args);
                self.let_op(Op::Call(Callee::Local(target), args), pres)
            }
            ExprKind::ApplyFun(f, args) => {
                let f = self.atom(f, pres);
                let args = self.atoms(args, pres);
                self.let_op(Op::Call(Callee::Fun(f), args), pres)
            }
            ExprKind::Fun(def) => self.make_fun(def, pres),
            ExprKind::LocalFunRef(name) => {
                // One lambda per local function, so that two `fun f/1` are equal.
                let idx = match self
                    .lambdas
                    .iter()
                    .position(|l| l.free == 0 && l.function == *name && l.arity == name.arity)
                {
                    Some(i) => i,
                    None => {
                        self.lambdas.push(KLambda {
                            function: name.clone(),
                            arity: name.arity,
                            free: 0,
                        });
                        self.lambdas.len() - 1
                    }
                };
                self.let_op(Op::MakeFun(idx, vec![]), pres)
            }
            ExprKind::LetRec(defs, body) => {
                self.letrec(defs);
                self.atom(body, pres)
            }
            ExprKind::Case(..) | ExprKind::Receive { .. } | ExprKind::Try { .. } | ExprKind::Catch(_) => {
                let v = self.fresh();
                let c = self.construct(e, 1);
                pres.push(KPre::block(c, vec![v]));
                Arg::Var(v)
            }
            ExprKind::Raise(class, reason) => {
                // A raise in value position: its "value" is never used.
                let r = self.atom(reason, pres);
                let v = self.fresh();
                pres.push(KPre::block(
                    Construct::Match(Tree::Leaf(Box::new(KExpr::Raise(class, r)))),
                    vec![v],
                ));
                Arg::Var(v)
            }
            ExprKind::Reraise(c, r, t) => {
                let c = self.atom(c, pres);
                let r = self.atom(r, pres);
                let t = self.atom(t, pres);
                let v = self.fresh();
                pres.push(KPre::block(
                    Construct::Match(Tree::Leaf(Box::new(KExpr::Reraise(c, r, t)))),
                    vec![v],
                ));
                Arg::Var(v)
            }
            ExprKind::FunctionClause(args) => {
                let args = self.atoms(args, pres);
                let v = self.fresh();
                pres.push(KPre::block(
                    Construct::Match(Tree::Leaf(Box::new(KExpr::FunctionClause(args)))),
                    vec![v],
                ));
                Arg::Var(v)
            }
            ExprKind::MapNew(pairs) => {
                let ps = pairs
                    .iter()
                    .map(|p| (self.atom(&p.key, pres), self.atom(&p.value, pres)))
                    .collect();
                self.let_op(Op::MapNew(ps), pres)
            }
            ExprKind::MapUpdate(m, pairs) => {
                let m = self.atom(m, pres);
                let ps = pairs
                    .iter()
                    .map(|p| (self.atom(&p.key, pres), self.atom(&p.value, pres), p.exact))
                    .collect();
                self.let_op(Op::MapUpdate(m, ps), pres)
            }
            ExprKind::Binary(segs) => {
                let ss = segs
                    .iter()
                    .map(|s| KBinSeg {
                        value: self.atom(&s.value, pres),
                        size: s.size.as_ref().map(|x| self.atom(x, pres)),
                        ty: s.ty,
                        unit: s.unit,
                        flags: s.flags,
                    })
                    .collect();
                self.let_op(Op::Binary(ss), pres)
            }
        }
    }

    // ------------------------------------------------------------ funs

    /// The lifted name of a local function and its extra (free) arguments.
    fn local_target(&mut self, name: &FunName, args: &mut Vec<Arg>) -> FunName {
        if let Some(free) = self.local_free.get(name) {
            let free: Vec<VarId> = free.clone();
            args.extend(free.iter().map(|v| Arg::Var(self.var(*v))));
        }
        self.local_lifted
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.clone())
    }

    fn make_fun(&mut self, def: &FunDef, pres: &mut Vec<KPre>) -> Arg {
        let mut bound = BTreeSet::new();
        bound.extend(def.params.iter().copied());
        if let Some(s) = def.self_var {
            bound.insert(s);
        }
        let mut free = BTreeSet::new();
        free_vars(&def.body, &mut bound.clone(), &mut free, &self.local_free);
        let free: Vec<VarId> = free
            .into_iter()
            .map(|v| self.var(v))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let arity = def.params.len() as u32;
        let lifted = FunName::new(def.name.clone(), arity + free.len() as u32);
        let idx = self.lambdas.len();
        self.lambdas.push(KLambda {
            function: lifted.clone(),
            arity,
            free: free.len() as u32,
        });
        // The lifted function takes the arguments, then the free variables.
        // Free variables get fresh parameters inside it.
        let saved = self.rename.clone();
        let mut params = def.params.clone();
        let inner_free: Vec<VarId> = free.iter().map(|_| self.fresh()).collect();
        for (outer, inner) in free.iter().zip(&inner_free) {
            self.rename.insert(*outer, *inner);
        }
        params.extend(&inner_free);
        let mut body_pres = Vec::new();
        if let Some(s) = def.self_var {
            // A named fun refers to itself: rebuild it from the same free vars.
            body_pres.push(KPre::Let(
                vec![s],
                Op::MakeFun(idx, inner_free.iter().map(|v| Arg::Var(*v)).collect()),
            ));
        }
        let body = self.tail(&def.body);
        let body = Self::wrap(body_pres, body);
        self.rename = saved;
        let line = self
            .sources
            .map(|s| s.get(def.span.file).line(def.span.lo))
            .unwrap_or(0);
        self.functions.push(KFun {
            line,
            name: lifted.name.clone(),
            arity: lifted.arity,
            params,
            body,
            span: def.span,
        });
        let free_args = free.iter().map(|v| Arg::Var(*v)).collect();
        self.let_op(Op::MakeFun(idx, free_args), pres)
    }

    /// Lift local recursive functions (comprehensions).
    fn letrec(&mut self, defs: &[(FunName, FunDef)]) {
        // Free variables of the group (they may call each other).
        let names: Vec<FunName> = defs.iter().map(|(n, _)| n.clone()).collect();
        let mut free = BTreeSet::new();
        for (_, def) in defs {
            let mut bound: BTreeSet<VarId> = def.params.iter().copied().collect();
            free_vars(&def.body, &mut bound, &mut free, &self.local_free);
        }
        let free: Vec<VarId> = free
            .into_iter()
            .map(|v| self.var(v))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for n in &names {
            let lifted = FunName::new(n.name.clone(), n.arity + free.len() as u32);
            self.local_free.insert(n.clone(), free.clone());
            self.local_lifted.insert(n.clone(), lifted);
        }
        for (n, def) in defs {
            let saved = self.rename.clone();
            let inner_free: Vec<VarId> = free.iter().map(|_| self.fresh()).collect();
            // Inside, calls pass the inner copies of the free variables.
            let saved_free = self.local_free.clone();
            for m in &names {
                self.local_free.insert(m.clone(), inner_free.clone());
            }
            for (outer, inner) in free.iter().zip(&inner_free) {
                self.rename.insert(*outer, *inner);
            }
            let mut params = def.params.clone();
            params.extend(&inner_free);
            let body = self.tail(&def.body);
            self.rename = saved;
            self.local_free = saved_free;
            let lifted = self.local_lifted[n].clone();
            let line = self
                .sources
                .map(|s| s.get(def.span.file).line(def.span.lo))
                .unwrap_or(0);
            self.functions.push(KFun {
                line,
                name: lifted.name.clone(),
                arity: lifted.arity,
                params,
                body,
                span: def.span,
            });
        }
    }

    // ------------------------------------------------------------ matching

    /// Compile clauses over `vars` into a decision tree; `body` turns a
    /// clause body into kernel code (tail or breaking).
    fn match_clauses(
        &mut self,
        vars: Vec<VarId>,
        clauses: &[Clause],
        body: &mut dyn FnMut(&mut Kernel<'s>, &Expr) -> KExpr,
    ) -> Tree {
        let rows: Vec<Row> = clauses
            .iter()
            .enumerate()
            .map(|(i, c)| Row {
                pats: c.pats.iter().map(normalize).collect(),
                clause: i,
                binds: Vec::new(),
            })
            .collect();
        let mut leaves: Vec<Option<Tree>> = vec![None; clauses.len()];
        let mut tree = self.compile_rows(&vars, rows, clauses, &mut leaves, body);
        fill_leaves(&mut tree, &mut leaves);
        tree
    }

    fn compile_rows(
        &mut self,
        vars: &[VarId],
        rows: Vec<Row>,
        clauses: &[Clause],
        leaves: &mut [Option<Tree>],
        body: &mut dyn FnMut(&mut Kernel<'s>, &Expr) -> KExpr,
    ) -> Tree {
        let Some(first) = rows.first() else {
            return Tree::Fail;
        };
        if vars.is_empty() {
            // All columns matched: the first row whose guard holds wins;
            // rows after an unguarded one are unreachable.
            let mut trees = Vec::new();
            for row in rows {
                let t = self.leaf(row, clauses, leaves, body);
                let unconditional = !matches!(t, Tree::Guard(..));
                trees.push(t);
                if unconditional {
                    break;
                }
            }
            return alts(trees);
        }
        let _ = first;
        // Split rows into blocks by the kind of their first pattern.
        let mut blocks: Vec<(bool, Vec<Row>)> = Vec::new();
        for row in rows {
            let is_var = matches!(row.pats[0], Pat::Var(_) | Pat::Wild | Pat::Alias(..));
            let separate = matches!(row.pats[0], Pat::Map(_) | Pat::Binary(_));
            match blocks.last_mut() {
                Some((v, b))
                    if *v == is_var
                        && !separate
                        && !b
                            .iter()
                            .any(|r| matches!(r.pats[0], Pat::Map(_) | Pat::Binary(_))) =>
                {
                    b.push(row)
                }
                _ => blocks.push((is_var, vec![row])),
            }
        }
        let mut trees = Vec::new();
        for (is_var, block) in blocks {
            let t = if is_var {
                self.var_rule(vars, block, clauses, leaves, body)
            } else {
                self.con_rule(vars, block, clauses, leaves, body)
            };
            trees.push(t);
        }
        alts(trees)
    }

    /// All rows have a variable (or alias) first: bind and drop the column.
    fn var_rule(
        &mut self,
        vars: &[VarId],
        block: Vec<Row>,
        clauses: &[Clause],
        leaves: &mut [Option<Tree>],
        body: &mut dyn FnMut(&mut Kernel<'s>, &Expr) -> KExpr,
    ) -> Tree {
        let col = vars[0];
        let mut out_rows = Vec::new();
        let mut con_rows: Vec<(Row, Pat)> = Vec::new();
        for mut row in block {
            let mut p = row.pats.remove(0);
            // Peel aliases: each binds the column variable.
            loop {
                match p {
                    Pat::Alias(v, inner) => {
                        row.binds.push((v, col));
                        p = *inner;
                    }
                    Pat::Var(v) => {
                        row.binds.push((v, col));
                        p = Pat::Wild;
                        break;
                    }
                    _ => break,
                }
            }
            if matches!(p, Pat::Wild) {
                out_rows.push(row);
            } else {
                con_rows.push((row, p));
            }
        }
        if con_rows.is_empty() {
            return self.compile_rows(&vars[1..], out_rows, clauses, leaves, body);
        }
        // Aliases of constructors: put the constructor back and match again
        // (in order, as a sequence of rows).
        let mut rows = Vec::new();
        let mut plain_iter = out_rows.into_iter().peekable();
        let mut con_iter = con_rows.into_iter().peekable();
        // Keep original clause order.
        loop {
            let next_plain = plain_iter.peek().map(|r| r.clause);
            let next_con = con_iter.peek().map(|(r, _)| r.clause);
            match (next_plain, next_con) {
                (None, None) => break,
                (Some(a), Some(b)) if a < b => {
                    let mut r = plain_iter.next().expect("peeked");
                    r.pats.insert(0, Pat::Wild);
                    rows.push(r);
                }
                (Some(_), None) => {
                    let mut r = plain_iter.next().expect("peeked");
                    r.pats.insert(0, Pat::Wild);
                    rows.push(r);
                }
                _ => {
                    let (mut r, p) = con_iter.next().expect("peeked");
                    r.pats.insert(0, p);
                    rows.push(r);
                }
            }
        }
        self.compile_rows(vars, rows, clauses, leaves, body)
    }

    /// All rows have a constructor first: group by constructor.
    fn con_rule(
        &mut self,
        vars: &[VarId],
        block: Vec<Row>,
        clauses: &[Clause],
        leaves: &mut [Option<Tree>],
        body: &mut dyn FnMut(&mut Kernel<'s>, &Expr) -> KExpr,
    ) -> Tree {
        let col = vars[0];
        let rest = &vars[1..];
        // Groups in order of first appearance.
        let mut groups: Vec<(ConKey, Vec<Row>)> = Vec::new();
        for row in block {
            let key = con_key(&row.pats[0]);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, g)) => g.push(row),
                None => groups.push((key, vec![row])),
            }
        }
        let mut cases = Vec::new();
        for (key, rows) in groups {
            match key {
                ConKey::Lit(l) => {
                    let rows = rows
                        .into_iter()
                        .map(|mut r| {
                            r.pats.remove(0);
                            r
                        })
                        .collect();
                    let then = self.compile_rows(rest, rows, clauses, leaves, body);
                    cases.push(SelectCase {
                        test: Test::Literal(l),
                        then,
                    });
                }
                ConKey::Cons => {
                    let (h, t) = (self.fresh(), self.fresh());
                    let rows = rows
                        .into_iter()
                        .map(|mut r| {
                            let Pat::Cons(ph, pt) = r.pats.remove(0) else {
                                unreachable!()
                            };
                            r.pats.insert(0, *pt);
                            r.pats.insert(0, *ph);
                            r
                        })
                        .collect();
                    let mut nvars = vec![h, t];
                    nvars.extend_from_slice(rest);
                    let then = self.compile_rows(&nvars, rows, clauses, leaves, body);
                    cases.push(SelectCase {
                        test: Test::Cons(h, t),
                        then,
                    });
                }
                ConKey::Tuple(n) => {
                    let es: Vec<VarId> = (0..n).map(|_| self.fresh()).collect();
                    let rows = rows
                        .into_iter()
                        .map(|mut r| {
                            let Pat::Tuple(ps) = r.pats.remove(0) else {
                                unreachable!()
                            };
                            let mut pats = ps;
                            pats.extend(r.pats);
                            r.pats = pats;
                            r
                        })
                        .collect();
                    let mut nvars = es.clone();
                    nvars.extend_from_slice(rest);
                    let then = self.compile_rows(&nvars, rows, clauses, leaves, body);
                    cases.push(SelectCase {
                        test: Test::Tuple(es),
                        then,
                    });
                }
                ConKey::Map(_) => {
                    // One row (maps are never grouped).
                    let mut r = rows.into_iter().next().expect("one row");
                    let Pat::Map(pairs) = r.pats.remove(0) else {
                        unreachable!()
                    };
                    let mut keys = Vec::new();
                    let mut pats = Vec::new();
                    let mut nvars = Vec::new();
                    for (k, p) in pairs {
                        let v = self.fresh();
                        keys.push((self.gexpr(&k), v));
                        pats.push(p);
                        nvars.push(v);
                    }
                    pats.extend(r.pats);
                    r.pats = pats;
                    nvars.extend_from_slice(rest);
                    let then = self.compile_rows(&nvars, vec![r], clauses, leaves, body);
                    cases.push(SelectCase {
                        test: Test::Map(keys),
                        then,
                    });
                }
                ConKey::Binary(_) => {
                    let mut r = rows.into_iter().next().expect("one row");
                    let Pat::Binary(segs) = r.pats.remove(0) else {
                        unreachable!()
                    };
                    let mut ms = Vec::new();
                    let mut pats = Vec::new();
                    let mut nvars = Vec::new();
                    for s in segs {
                        let v = self.fresh();
                        // Sizes may refer to variables bound by earlier
                        // segments of this pattern: bind those now.
                        if let Pat::Var(pv) = &s.pat {
                            self.rename.insert(*pv, v);
                        }
                        let (equals, pat) = match s.pat {
                            Pat::Lit(l) => (Some(l), Pat::Wild),
                            p => (None, p),
                        };
                        ms.push(KBinMatch {
                            var: v,
                            size: s.size.as_ref().map(|g| self.gexpr(g)),
                            ty: s.ty,
                            unit: s.unit,
                            flags: s.flags,
                            equals,
                        });
                        pats.push(pat);
                        nvars.push(v);
                    }
                    pats.extend(r.pats);
                    r.pats = pats;
                    nvars.extend_from_slice(rest);
                    let then = self.compile_rows(&nvars, vec![r], clauses, leaves, body);
                    cases.push(SelectCase {
                        test: Test::Binary(ms),
                        then,
                    });
                }
            }
        }
        Tree::Select(col, cases)
    }

    /// A row with all columns matched: guard, then the clause body.
    fn leaf(
        &mut self,
        row: Row,
        clauses: &[Clause],
        leaves: &mut [Option<Tree>],
        body: &mut dyn FnMut(&mut Kernel<'s>, &Expr) -> KExpr,
    ) -> Tree {
        for (v, col) in &row.binds {
            let c = self.var(*col);
            if *v != c {
                self.rename.insert(*v, c);
            }
        }
        let clause = &clauses[row.clause];
        let guard = self.guard(&clause.guard);
        let b = body(self, &clause.body);
        // The body is kept aside; the tree refers to it until it is complete.
        leaves[row.clause] = Some(Tree::Leaf(Box::new(b)));
        let at = Tree::Clause(row.clause);
        match guard {
            None => at,
            Some(g) => Tree::Guard(g, Box::new(at)),
        }
    }

    fn guard(&mut self, g: &Guard) -> Option<KGuard> {
        if g.is_empty() {
            return None;
        }
        // A guard that is literally `true` is no guard.
        if g.len() == 1
            && g[0]
                .iter()
                .all(|t| matches!(t, GExpr::Lit(Literal::Atom(a)) if a == "true"))
        {
            return None;
        }
        Some(
            g.iter()
                .map(|conj| conj.iter().map(|t| self.gexpr(t)).collect())
                .collect(),
        )
    }

    fn gexpr(&mut self, g: &GExpr) -> KGExpr {
        match g {
            GExpr::Var(v) => KGExpr::Arg(Arg::Var(self.var(*v))),
            GExpr::Lit(l) => KGExpr::Arg(Arg::Lit(l.clone())),
            GExpr::Cons(h, t) => KGExpr::Cons(Box::new(self.gexpr(h)), Box::new(self.gexpr(t))),
            GExpr::Tuple(es) => KGExpr::Tuple(es.iter().map(|e| self.gexpr(e)).collect()),
            GExpr::Bif(n, args) => KGExpr::Bif(n.clone(), args.iter().map(|a| self.gexpr(a)).collect()),
            GExpr::Andalso(a, b) => KGExpr::Andalso(Box::new(self.gexpr(a)), Box::new(self.gexpr(b))),
            GExpr::Orelse(a, b) => KGExpr::Orelse(Box::new(self.gexpr(a)), Box::new(self.gexpr(b))),
            GExpr::RecordField {
                rec,
                name,
                size,
                index,
            } => KGExpr::RecordField {
                rec: Box::new(self.gexpr(rec)),
                name: name.clone(),
                size: *size,
                index: *index,
            },
            GExpr::MapNew(ps) => {
                KGExpr::MapNew(ps.iter().map(|(k, v)| (self.gexpr(k), self.gexpr(v))).collect())
            }
            GExpr::MapUpdate(m, ps) => KGExpr::MapUpdate(
                Box::new(self.gexpr(m)),
                ps.iter()
                    .map(|(k, v, e)| (self.gexpr(k), self.gexpr(v), *e))
                    .collect(),
            ),
            GExpr::Binary(segs) => KGExpr::Binary(
                segs.iter()
                    .map(|s| {
                        (
                            self.gexpr(&s.value),
                            s.size.as_ref().map(|x| self.gexpr(x)),
                            s.ty,
                            s.unit,
                            s.flags,
                        )
                    })
                    .collect(),
            ),
        }
    }
}

/// A clause row of the match compiler.
#[derive(Clone)]
struct Row {
    pats: Vec<Pat>,
    clause: usize,
    /// (pattern variable, column variable) bindings made so far.
    binds: Vec<(VarId, VarId)>,
}

#[derive(Clone, Debug, PartialEq)]
enum ConKey {
    Lit(Literal),
    Cons,
    Tuple(usize),
    Map(usize),
    Binary(usize),
}

fn con_key(p: &Pat) -> ConKey {
    match p {
        Pat::Lit(l) => ConKey::Lit(l.clone()),
        Pat::Cons(..) => ConKey::Cons,
        Pat::Tuple(es) => ConKey::Tuple(es.len()),
        Pat::Map(_) => ConKey::Map(p as *const Pat as usize),
        Pat::Binary(_) => ConKey::Binary(p as *const Pat as usize),
        _ => unreachable!("constructor expected"),
    }
}

/// Literal lists and tuples in patterns become structure, so they can be
/// matched element by element alongside other patterns.
fn normalize(p: &Pat) -> Pat {
    match p {
        Pat::Lit(Literal::Cons(h, t)) => Pat::Cons(
            Box::new(normalize(&Pat::Lit((**h).clone()))),
            Box::new(normalize(&Pat::Lit((**t).clone()))),
        ),
        Pat::Lit(Literal::Tuple(es)) => {
            Pat::Tuple(es.iter().map(|e| normalize(&Pat::Lit(e.clone()))).collect())
        }
        Pat::Cons(h, t) => Pat::Cons(Box::new(normalize(h)), Box::new(normalize(t))),
        Pat::Tuple(es) => Pat::Tuple(es.iter().map(normalize).collect()),
        Pat::Alias(v, p) => Pat::Alias(*v, Box::new(normalize(p))),
        Pat::Map(ps) => Pat::Map(ps.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()),
        Pat::Binary(segs) => Pat::Binary(
            segs.iter()
                .map(|s| core::PatSeg {
                    pat: normalize(&s.pat),
                    ..s.clone()
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn alts(mut trees: Vec<Tree>) -> Tree {
    let Some(last) = trees.pop() else {
        return Tree::Fail;
    };
    trees
        .into_iter()
        .rev()
        .fold(last, |acc, t| Tree::Alt(Box::new(t), Box::new(acc)))
}

/// Replace the clause placeholders (`Break([-(i+1)])`) by the bodies.
fn fill_leaves(t: &mut Tree, leaves: &mut [Option<Tree>]) {
    match t {
        Tree::Select(_, cases) => cases.iter_mut().for_each(|c| fill_leaves(&mut c.then, leaves)),
        Tree::Alt(a, b) => {
            fill_leaves(a, leaves);
            fill_leaves(b, leaves);
        }
        Tree::Guard(_, then) => fill_leaves(then, leaves),
        Tree::Clause(i) => {
            if let Some(body) = leaves.get_mut(*i).and_then(Option::take) {
                *t = body;
            }
        }
        Tree::Leaf(_) | Tree::Fail => {}
    }
}

/// Variables used in `e` but not bound in it (for closures and letrec).
fn free_vars(
    e: &Expr,
    bound: &mut BTreeSet<VarId>,
    free: &mut BTreeSet<VarId>,
    local_free: &HashMap<FunName, Vec<VarId>>,
) {
    let use_var = |v: VarId, bound: &BTreeSet<VarId>, free: &mut BTreeSet<VarId>| {
        if !bound.contains(&v) {
            free.insert(v);
        }
    };
    match &e.kind {
        ExprKind::Var(v) => use_var(*v, bound, free),
        ExprKind::Lit(_) | ExprKind::LocalFunRef(_) => {}
        ExprKind::Cons(a, b) | ExprKind::Seq(a, b) => {
            free_vars(a, bound, free, local_free);
            free_vars(b, bound, free, local_free);
        }
        ExprKind::Tuple(es) | ExprKind::Values(es) | ExprKind::FunctionClause(es) => {
            es.iter().for_each(|x| free_vars(x, bound, free, local_free))
        }
        ExprKind::Let(vs, a, b) => {
            free_vars(a, bound, free, local_free);
            bound.extend(vs);
            free_vars(b, bound, free, local_free);
        }
        ExprKind::Case(a, cs) => {
            free_vars(a, bound, free, local_free);
            for c in cs {
                clause_free(c, bound, free, local_free);
            }
        }
        ExprKind::Call(m, f, args) => {
            free_vars(m, bound, free, local_free);
            free_vars(f, bound, free, local_free);
            args.iter().for_each(|x| free_vars(x, bound, free, local_free));
        }
        ExprKind::ApplyLocal(name, args) => {
            if let Some(fv) = local_free.get(name) {
                for v in fv {
                    use_var(*v, bound, free);
                }
            }
            args.iter().for_each(|x| free_vars(x, bound, free, local_free));
        }
        ExprKind::ApplyFun(f, args) => {
            free_vars(f, bound, free, local_free);
            args.iter().for_each(|x| free_vars(x, bound, free, local_free));
        }
        ExprKind::Fun(def) => {
            let mut b = bound.clone();
            b.extend(&def.params);
            if let Some(s) = def.self_var {
                b.insert(s);
            }
            free_vars(&def.body, &mut b, free, local_free);
        }
        ExprKind::LetRec(defs, body) => {
            for (_, def) in defs {
                let mut b = bound.clone();
                b.extend(&def.params);
                free_vars(&def.body, &mut b, free, local_free);
            }
            free_vars(body, bound, free, local_free);
        }
        ExprKind::Try {
            arg,
            vars,
            body,
            evars,
            handler,
        } => {
            free_vars(arg, bound, free, local_free);
            let mut b = bound.clone();
            b.extend(vars);
            free_vars(body, &mut b, free, local_free);
            let mut h = bound.clone();
            h.extend(evars);
            free_vars(handler, &mut h, free, local_free);
        }
        ExprKind::Catch(x) | ExprKind::Raise(_, x) => free_vars(x, bound, free, local_free),
        ExprKind::Reraise(a, b, c) => {
            free_vars(a, bound, free, local_free);
            free_vars(b, bound, free, local_free);
            free_vars(c, bound, free, local_free);
        }
        ExprKind::Receive {
            clauses,
            timeout,
            action,
        } => {
            for c in clauses {
                clause_free(c, bound, free, local_free);
            }
            free_vars(timeout, bound, free, local_free);
            free_vars(action, bound, free, local_free);
        }
        ExprKind::MapNew(ps) => ps.iter().for_each(|p| {
            free_vars(&p.key, bound, free, local_free);
            free_vars(&p.value, bound, free, local_free);
        }),
        ExprKind::MapUpdate(m, ps) => {
            free_vars(m, bound, free, local_free);
            ps.iter().for_each(|p| {
                free_vars(&p.key, bound, free, local_free);
                free_vars(&p.value, bound, free, local_free);
            })
        }
        ExprKind::Binary(segs) => segs.iter().for_each(|s| {
            free_vars(&s.value, bound, free, local_free);
            if let Some(sz) = &s.size {
                free_vars(sz, bound, free, local_free);
            }
        }),
    }
}

fn clause_free(
    c: &Clause,
    bound: &BTreeSet<VarId>,
    free: &mut BTreeSet<VarId>,
    lf: &HashMap<FunName, Vec<VarId>>,
) {
    let mut b = bound.clone();
    for p in &c.pats {
        pat_binds(p, &mut b, free);
    }
    for conj in &c.guard {
        for g in conj {
            gexpr_free(g, &b, free);
        }
    }
    free_vars(&c.body, &mut b, free, lf);
}

/// A variable bound before a receive whose value every clause's pattern
/// requires somewhere in the message: `receive {Ref, R} -> ...; {'DOWN',
/// Ref, _, _, _} -> ... end`. The lowering turns such a use of a bound
/// variable into a fresh pattern variable and a leading `F =:= Ref` test in
/// each guard alternative; find a `Ref` common to all of them. If it holds
/// a fresh reference, no message older than the reference can match
/// (`RecvMarkerUse`).
fn required_outer_var(clauses: &[core::Clause]) -> Option<VarId> {
    let mut common: Option<BTreeSet<VarId>> = None;
    for c in clauses {
        let (mut in_pat, mut used) = (BTreeSet::new(), BTreeSet::new());
        c.pats.iter().for_each(|p| pat_binds(p, &mut in_pat, &mut used));
        let mut here: Option<BTreeSet<VarId>> = None;
        for conj in &c.guard {
            let required: BTreeSet<VarId> = conj
                .iter()
                .filter_map(|g| match g {
                    GExpr::Bif(op, a) if op == "=:=" && a.len() == 2 => match (&a[0], &a[1]) {
                        (GExpr::Var(f), GExpr::Var(v)) if in_pat.contains(f) && !in_pat.contains(v) => {
                            Some(*v)
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            here = Some(match here {
                None => required,
                Some(h) => h.intersection(&required).copied().collect(),
            });
        }
        let here = here?;
        common = Some(match common {
            None => here,
            Some(s) => s.intersection(&here).copied().collect(),
        });
    }
    common?.into_iter().next()
}

// ------------------------------------------------------------ dead exports

/// Drop the values a branching construct exports but nothing uses.
///
/// Lowering makes `case` (also `if`, `receive`) return its value together
/// with every variable bound in all its clauses — `let <V, E> = case ... of
/// P1 -> <X, E1>; P2 -> <Y, E2> end in V` — since later code may use them.
/// When it does not, the export only keeps values alive and, worse, the
/// `let` keeps the construct out of tail position, so calls in its clauses
/// stop being tail calls and a loop written that way grows the stack.
fn drop_dead_exports(e: &mut Expr) {
    for_children(e, &mut drop_dead_exports);
    let ExprKind::Let(vars, arg, body) = &mut e.kind else {
        return;
    };
    if vars.len() < 2 {
        return;
    }
    let mut free = BTreeSet::new();
    free_vars(body, &mut BTreeSet::new(), &mut free, &HashMap::new());
    let keep: Vec<bool> = vars
        .iter()
        .enumerate()
        .map(|(i, v)| i == 0 || free.contains(v))
        .collect();
    if keep.iter().all(|k| *k) || !leaves_are_values(arg, vars.len()) {
        return;
    }
    prune_values(arg, &keep);
    let mut i = 0;
    vars.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Does every way out of `e` give `n` values (or raise)?
fn leaves_are_values(e: &Expr, n: usize) -> bool {
    match &e.kind {
        ExprKind::Values(vs) => vs.len() == n,
        ExprKind::Let(_, _, b) | ExprKind::Seq(_, b) | ExprKind::LetRec(_, b) => leaves_are_values(b, n),
        ExprKind::Case(_, cs) => cs.iter().all(|c| leaves_are_values(&c.body, n)),
        ExprKind::Receive { clauses, action, .. } => {
            clauses.iter().all(|c| leaves_are_values(&c.body, n))
                && (matches!(action.kind, ExprKind::Lit(_)) || leaves_are_values(action, n))
        }
        ExprKind::Raise(..) | ExprKind::FunctionClause(_) | ExprKind::Reraise(..) => true,
        _ => false,
    }
}

/// Keep only the values `keep` marks at every way out of `e` (checked by
/// `leaves_are_values`); a single one left stands alone.
fn prune_values(e: &mut Expr, keep: &[bool]) {
    match &mut e.kind {
        ExprKind::Values(vs) => {
            let mut i = 0;
            vs.retain(|_| {
                i += 1;
                keep[i - 1]
            });
            if vs.len() == 1 {
                let only = vs.pop().expect("one value");
                *e = only;
            }
        }
        ExprKind::Let(_, _, b) | ExprKind::Seq(_, b) | ExprKind::LetRec(_, b) => prune_values(b, keep),
        ExprKind::Case(_, cs) => cs.iter_mut().for_each(|c| prune_values(&mut c.body, keep)),
        ExprKind::Receive { clauses, action, .. } => {
            clauses.iter_mut().for_each(|c| prune_values(&mut c.body, keep));
            if !matches!(action.kind, ExprKind::Lit(_)) {
                prune_values(action, keep);
            }
        }
        _ => {}
    }
}

/// Apply `f` to each sub-expression of `e` (not into guards or patterns,
/// which hold no `let`).
fn for_children(e: &mut Expr, f: &mut impl FnMut(&mut Expr)) {
    match &mut e.kind {
        ExprKind::Var(_) | ExprKind::Lit(_) | ExprKind::LocalFunRef(_) => {}
        ExprKind::Cons(a, b) | ExprKind::Let(_, a, b) | ExprKind::Seq(a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Tuple(es) | ExprKind::Values(es) | ExprKind::FunctionClause(es) => {
            es.iter_mut().for_each(f)
        }
        ExprKind::Case(a, cs) => {
            f(a);
            cs.iter_mut().for_each(|c| f(&mut c.body));
        }
        ExprKind::Call(m, g, args) => {
            f(m);
            f(g);
            args.iter_mut().for_each(f);
        }
        ExprKind::ApplyLocal(_, args) => args.iter_mut().for_each(f),
        ExprKind::ApplyFun(g, args) => {
            f(g);
            args.iter_mut().for_each(f);
        }
        ExprKind::Fun(def) => f(&mut def.body),
        ExprKind::LetRec(defs, body) => {
            defs.iter_mut().for_each(|(_, d)| f(&mut d.body));
            f(body);
        }
        ExprKind::Try {
            arg, body, handler, ..
        } => {
            f(arg);
            f(body);
            f(handler);
        }
        ExprKind::Catch(a) | ExprKind::Raise(_, a) => f(a),
        ExprKind::Receive {
            clauses,
            timeout,
            action,
        } => {
            clauses.iter_mut().for_each(|c| f(&mut c.body));
            f(timeout);
            f(action);
        }
        ExprKind::Reraise(a, b, c) => {
            f(a);
            f(b);
            f(c);
        }
        ExprKind::MapNew(ps) => ps.iter_mut().for_each(|p| {
            f(&mut p.key);
            f(&mut p.value);
        }),
        ExprKind::MapUpdate(m, ps) => {
            f(m);
            ps.iter_mut().for_each(|p| {
                f(&mut p.key);
                f(&mut p.value);
            });
        }
        ExprKind::Binary(segs) => segs.iter_mut().for_each(|s| {
            f(&mut s.value);
            if let Some(sz) = &mut s.size {
                f(sz);
            }
        }),
    }
}

/// Variables a pattern binds (into `bound`) and uses (map keys, sizes).
fn pat_binds(p: &Pat, bound: &mut BTreeSet<VarId>, free: &mut BTreeSet<VarId>) {
    match p {
        Pat::Var(v) => {
            bound.insert(*v);
        }
        Pat::Wild | Pat::Lit(_) => {}
        Pat::Cons(a, b) => {
            pat_binds(a, bound, free);
            pat_binds(b, bound, free);
        }
        Pat::Tuple(es) => es.iter().for_each(|e| pat_binds(e, bound, free)),
        Pat::Alias(v, p) => {
            bound.insert(*v);
            pat_binds(p, bound, free);
        }
        Pat::Map(ps) => {
            for (k, p) in ps {
                gexpr_free(k, bound, free);
                pat_binds(p, bound, free);
            }
        }
        Pat::Binary(segs) => {
            for s in segs {
                if let Some(sz) = &s.size {
                    gexpr_free(sz, bound, free);
                }
                pat_binds(&s.pat, bound, free);
            }
        }
    }
}

fn gexpr_free(g: &GExpr, bound: &BTreeSet<VarId>, free: &mut BTreeSet<VarId>) {
    match g {
        GExpr::Var(v) => {
            if !bound.contains(v) {
                free.insert(*v);
            }
        }
        GExpr::Lit(_) => {}
        GExpr::Cons(a, b) | GExpr::Andalso(a, b) | GExpr::Orelse(a, b) => {
            gexpr_free(a, bound, free);
            gexpr_free(b, bound, free);
        }
        GExpr::Tuple(es) | GExpr::Bif(_, es) => es.iter().for_each(|e| gexpr_free(e, bound, free)),
        GExpr::RecordField { rec, .. } => gexpr_free(rec, bound, free),
        GExpr::MapNew(ps) => ps.iter().for_each(|(k, v)| {
            gexpr_free(k, bound, free);
            gexpr_free(v, bound, free);
        }),
        GExpr::MapUpdate(m, ps) => {
            gexpr_free(m, bound, free);
            ps.iter().for_each(|(k, v, _)| {
                gexpr_free(k, bound, free);
                gexpr_free(v, bound, free);
            })
        }
        GExpr::Binary(segs) => segs.iter().for_each(|s| {
            gexpr_free(&s.value, bound, free);
            if let Some(sz) = &s.size {
                gexpr_free(sz, bound, free);
            }
        }),
    }
}

/// Translate a Core module to kernel.
pub fn kernel_module(m: &core::Module, sources: Option<&crate::source::SourceMap>) -> KModule {
    let mut k = Kernel {
        sources,
        cur_line: 0,
        var_count: m.var_names.len() as u32,
        rename: HashMap::new(),
        functions: Vec::new(),
        lambdas: Vec::new(),
        local_free: HashMap::new(),
        local_lifted: HashMap::new(),
    };
    for (name, def) in &m.functions {
        k.cur_line = 0;
        let mut core_body = def.body.clone();
        drop_dead_exports(&mut core_body);
        let body = k.tail(&core_body);
        let line = sources
            .map(|s| s.get(def.span.file).line(def.span.lo))
            .unwrap_or(0);
        k.functions.push(KFun {
            line,
            name: name.name.clone(),
            arity: name.arity,
            params: def.params.clone(),
            body,
            span: def.span,
        });
    }
    KModule {
        name: m.name.clone(),
        file: m.file.clone(),
        exports: m.exports.clone(),
        functions: k.functions,
        lambdas: k.lambdas,
        attributes: m.attributes.clone(),
        var_count: k.var_count,
    }
}

/// A literal term written as an AST expression (attribute values).
pub fn literal_of_ast(e: &ast::Expr) -> Literal {
    use ast::ExprKind as A;
    match &e.kind {
        A::Atom(a) => Literal::atom(a),
        A::Integer(i) => Literal::Integer(i.clone()),
        A::Char(c) => Literal::int(*c as i64),
        A::Float(f) => Literal::Float(*f),
        A::String(s) => Literal::string(s),
        A::Nil => Literal::Nil,
        A::Cons(h, t) => Literal::Cons(Box::new(literal_of_ast(h)), Box::new(literal_of_ast(t))),
        A::Tuple(es) => Literal::Tuple(es.iter().map(literal_of_ast).collect()),
        A::Unary(ast::UnOp::Minus, x) => match literal_of_ast(x) {
            Literal::Integer(i) => Literal::Integer(crate::token::IntLit::from_big(-i.to_big())),
            Literal::Float(f) => Literal::Float(-f),
            other => other,
        },
        A::MapNew(fs) => Literal::Map(
            fs.iter()
                .map(|f| (literal_of_ast(&f.key), literal_of_ast(&f.value)))
                .collect(),
        ),
        A::Binary(els) => {
            let mut bytes = Vec::new();
            for el in els {
                match &el.value.kind {
                    A::String(s) => bytes.extend(s.chars().map(|c| c as u32 as u8)),
                    A::Integer(crate::token::IntLit::Small(i)) => bytes.push(*i as u8),
                    A::Char(c) => bytes.push(*c as u32 as u8),
                    _ => {}
                }
            }
            Literal::Binary(bytes)
        }
        _ => Literal::atom("undefined"),
    }
}
