//! Binary match context reuse (as OTP's `beam_ssa_bsm`): in
//!
//! ```erlang
//! parse(<<Tag, Len:16, Payload:Len/binary, Rest/binary>>, Acc) -> parse(Rest, ...);
//! parse(<<>>, Acc) -> Acc.
//! ```
//!
//! the rest `Rest` need not become a sub-binary that the recursive call
//! then wraps in a new match context: `BsTailCtx` makes the context for
//! the rest directly, and `BsStartMatch` of a context restarts it instead
//! of making another. That is only safe when nothing can see the context
//! as a term, so both ends are checked here:
//!
//! - the parameter: every use of it in the function is a select whose
//!   cases are all binary patterns (or the arguments of the function's own
//!   `function_clause` error, where the VM shows the bitstring instead);
//! - the rest: its only use is as that parameter in a tail call of the
//!   function to itself.

use crate::core::{FunName, VarId};
use crate::kernel::*;
use std::collections::{BTreeSet, HashMap};

/// How a variable is used.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Matched by a select whose cases are all binary patterns.
    BinarySelect,
    /// Argument `i` of a tail call to the function itself.
    SelfTailArg(usize),
    /// An argument of the function's `function_clause` error.
    ClauseError,
    Other,
}

/// The rest variables of binary matches in `f` that can stay match
/// contexts.
pub fn ctx_tails(f: &KFun) -> BTreeSet<VarId> {
    let me = FunName::new(f.name.clone(), f.arity);
    let mut uses: HashMap<VarId, Vec<Use>> = HashMap::new();
    let mut rests: Vec<VarId> = Vec::new();
    let mut w = Walk {
        me: &me,
        uses: &mut uses,
        rests: &mut rests,
    };
    w.expr(&f.body);
    let matched_only = |i: usize| {
        let Some(p) = f.params.get(i) else {
            return false;
        };
        let us = uses.get(p).map(Vec::as_slice).unwrap_or(&[]);
        us.contains(&Use::BinarySelect)
            && us
                .iter()
                .all(|u| matches!(u, Use::BinarySelect | Use::ClauseError))
    };
    rests
        .into_iter()
        .filter(|r| match uses.get(r).map(Vec::as_slice) {
            Some([Use::SelfTailArg(i)]) => matched_only(*i),
            _ => false,
        })
        .collect()
}

struct Walk<'a> {
    me: &'a FunName,
    uses: &'a mut HashMap<VarId, Vec<Use>>,
    rests: &'a mut Vec<VarId>,
}

impl Walk<'_> {
    fn use_var(&mut self, v: VarId, u: Use) {
        self.uses.entry(v).or_default().push(u);
    }

    fn arg(&mut self, a: &Arg) {
        if let Arg::Var(v) = a {
            self.use_var(*v, Use::Other);
        }
    }

    fn args(&mut self, args: &[Arg]) {
        args.iter().for_each(|a| self.arg(a));
    }

    fn callee(&mut self, c: &Callee) {
        match c {
            Callee::Local(_) => {}
            Callee::Remote(m, f) => {
                self.arg(m);
                self.arg(f);
            }
            Callee::Fun(f) => self.arg(f),
        }
    }

    fn expr(&mut self, e: &KExpr) {
        match e {
            KExpr::Let(_, op, body) => {
                self.op(op);
                self.expr(body);
            }
            KExpr::Block(c, _, body) => {
                self.construct(c);
                self.expr(body);
            }
            KExpr::Tail(c) => self.construct(c),
            KExpr::Return(a) => self.arg(a),
            KExpr::Enter(Callee::Local(f), args) if f == self.me => {
                for (i, a) in args.iter().enumerate() {
                    if let Arg::Var(v) = a {
                        self.use_var(*v, Use::SelfTailArg(i));
                    }
                }
            }
            KExpr::Enter(c, args) => {
                self.callee(c);
                self.args(args);
            }
            KExpr::Break(args) => self.args(args),
            KExpr::Raise(_, a) => self.arg(a),
            KExpr::Reraise(a, b, c) => self.args(&[a.clone(), b.clone(), c.clone()]),
            KExpr::FunctionClause(args) => {
                for a in args {
                    if let Arg::Var(v) = a {
                        self.use_var(*v, Use::ClauseError);
                    }
                }
            }
            KExpr::Line(_, body) => self.expr(body),
        }
    }

    fn op(&mut self, op: &Op) {
        match op {
            Op::Call(c, args) => {
                self.callee(c);
                self.args(args);
            }
            Op::Bif(_, args) | Op::Tuple(args) | Op::MakeFun(_, args) => self.args(args),
            Op::Cons(a, b) | Op::Send(a, b) => {
                self.arg(a);
                self.arg(b);
            }
            Op::MapNew(pairs) => {
                for (k, v) in pairs {
                    self.arg(k);
                    self.arg(v);
                }
            }
            Op::MapUpdate(m, items) => {
                self.arg(m);
                for (k, v, _) in items {
                    self.arg(k);
                    self.arg(v);
                }
            }
            Op::Binary(segs) => {
                for s in segs {
                    self.arg(&s.value);
                    if let Some(z) = &s.size {
                        self.arg(z);
                    }
                }
            }
            Op::Move(a) | Op::BuildStacktrace(a) => self.arg(a),
        }
    }

    fn construct(&mut self, c: &Construct) {
        match c {
            Construct::Match(t) => self.tree(t),
            Construct::Try {
                body, ok, handler, ..
            } => {
                self.expr(body);
                self.expr(ok);
                self.expr(handler);
            }
            Construct::Catch(body) => self.expr(body),
            Construct::Receive {
                tree,
                marker,
                timeout,
                action,
                ..
            } => {
                self.tree(tree);
                if let Some(m) = marker {
                    self.use_var(*m, Use::Other);
                }
                self.arg(timeout);
                self.expr(action);
            }
        }
    }

    fn tree(&mut self, t: &Tree) {
        match t {
            Tree::Select(v, cases) => {
                let binary = cases.iter().all(|c| matches!(c.test, Test::Binary(_)));
                self.use_var(*v, if binary { Use::BinarySelect } else { Use::Other });
                for c in cases {
                    self.test(&c.test);
                    self.tree(&c.then);
                }
            }
            Tree::Alt(a, b) => {
                self.tree(a);
                self.tree(b);
            }
            Tree::Guard(g, t) => {
                for conj in g {
                    conj.iter().for_each(|x| self.gexpr(x));
                }
                self.tree(t);
            }
            Tree::Leaf(e) => self.expr(e),
            Tree::Fail | Tree::Clause(_) => {}
        }
    }

    fn test(&mut self, t: &Test) {
        match t {
            Test::Literal(_) | Test::Cons(..) | Test::Tuple(_) => {}
            Test::Map(keys) => keys.iter().for_each(|(k, _)| self.gexpr(k)),
            Test::Binary(segs) => {
                for s in segs {
                    if let Some(z) = &s.size {
                        self.gexpr(z);
                    }
                }
                if let Some(last) = segs.last() {
                    if last.size.is_none() && last.ty == crate::bytecode::BinType::Binary {
                        self.rests.push(last.var);
                    }
                }
            }
        }
    }

    fn gexpr(&mut self, g: &KGExpr) {
        match g {
            KGExpr::Arg(a) => self.arg(a),
            KGExpr::Cons(a, b) | KGExpr::Andalso(a, b) | KGExpr::Orelse(a, b) => {
                self.gexpr(a);
                self.gexpr(b);
            }
            KGExpr::Tuple(xs) | KGExpr::Bif(_, xs) => xs.iter().for_each(|x| self.gexpr(x)),
            KGExpr::RecordField { rec, .. } => self.gexpr(rec),
            KGExpr::MapNew(pairs) => {
                for (k, v) in pairs {
                    self.gexpr(k);
                    self.gexpr(v);
                }
            }
            KGExpr::MapUpdate(m, items) => {
                self.gexpr(m);
                for (k, v, _) in items {
                    self.gexpr(k);
                    self.gexpr(v);
                }
            }
            KGExpr::Binary(segs) => {
                for (v, z, ..) in segs {
                    self.gexpr(v);
                    if let Some(z) = z {
                        self.gexpr(z);
                    }
                }
            }
        }
    }
}
