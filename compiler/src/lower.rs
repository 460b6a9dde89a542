//! AST → Core: resolve variables, expand records, desugar.
//!
//! The checks erl_lint makes on variables happen here, with its wording:
//! unbound and unsafe variables are errors, unused and shadowed variables
//! are warnings. Calls are resolved to local functions, imports or
//! auto-imported BIFs; undefined functions and records are errors.

use crate::ast::{self, BinOp, ExprKind as A, UnOp};
use crate::bifs;
use crate::bytecode::{BinFlags, BinType, Literal};
use crate::core::*;
use crate::diag::{DiagKind, Diagnostic};
use crate::source::{SourceMap, Span};
use crate::token::{IntLit, Name};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a name means in the current scope.
#[derive(Clone, Debug)]
enum VarState {
    Bound(VarId),
    /// Bound in some branches only (or inside a try/catch): using it is an
    /// error. The construct and where it starts.
    Unsafe(&'static str, Span),
}

type Env = HashMap<Name, VarState>;

/// A statement that must run before an expression's value is available.
enum Pre {
    /// `let <vars> = expr`
    Let(Vec<VarId>, Expr),
    /// Evaluate for effect.
    Eval(Expr),
    /// Match or raise `{badmatch, Value}`.
    Match(Pat, Guard, Expr, Span, VarId),
}

struct RecordDef {
    fields: Vec<(Name, Option<ast::Expr>)>,
}

impl RecordDef {
    fn index(&self, f: &str) -> Option<usize> {
        self.fields.iter().position(|(n, _)| &**n == f)
    }
}

/// A clause seen through borrowed parts: patterns, guard sequence, body, span.
type ClauseRef<'a> = (
    Vec<&'a ast::Expr>,
    &'a Vec<Vec<ast::Expr>>,
    &'a Vec<ast::Expr>,
    Span,
);

pub struct Lowerer<'s> {
    sources: &'s SourceMap,
    module: String,
    records: HashMap<Name, RecordDef>,
    imports: HashMap<(String, u32), String>,
    locals: HashSet<(String, u32)>,
    no_auto_import: HashSet<(String, u32)>,
    /// A variable exported from a branching construct stands for the
    /// clause variables it was bound from: using it uses them.
    aliases: HashMap<VarId, Vec<VarId>>,
    /// The local functions each function refers to (for "is unused").
    refs: HashMap<(String, u32), HashSet<(String, u32)>>,
    pub diags: Vec<Diagnostic>,
    var_names: Vec<String>,
    /// Bindings not yet used: var → (name, span). Removed on first use.
    unused: HashMap<VarId, (String, Span)>,
    /// Enclosing function, for naming lifted funs and comprehensions.
    cur_fun: (String, u32),
    lifted_count: u32,
    lc_count: u32,
}

fn lit_of_int(i: &IntLit) -> Literal {
    Literal::Integer(i.clone())
}

impl<'s> Lowerer<'s> {
    fn err(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(DiagKind::Semantic, span, msg));
    }

    fn warn(&mut self, span: Span, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(DiagKind::Semantic, span, msg));
    }

    fn line_col(&self, span: Span) -> (u32, u32) {
        self.sources.get(span.file).line_col(span.lo)
    }

    fn fresh(&mut self, name: &str) -> VarId {
        self.var_names.push(name.to_string());
        (self.var_names.len() - 1) as VarId
    }

    /// A fresh variable for a user binding, tracked for "unused" warnings.
    fn bind_user(&mut self, name: &Name, span: Span) -> VarId {
        let v = self.fresh(name);
        if !name.starts_with('_') {
            self.unused.insert(v, (name.to_string(), span));
        }
        v
    }

    fn use_var(&mut self, v: VarId) {
        self.unused.remove(&v);
        if let Some(from) = self.aliases.remove(&v) {
            for f in from {
                self.use_var(f);
            }
        }
    }

    /// Bind the exported names after a branching construct to fresh
    /// variables, each an alias of the clause variables it comes from.
    fn bind_exports(&mut self, exports: &[Name], branches: &[&Env], env: &mut Env, vars: &mut Vec<VarId>) {
        for n in exports {
            let v = self.fresh(n);
            let from = branches
                .iter()
                .filter_map(|e| match e.get(n) {
                    Some(VarState::Bound(b)) => Some(*b),
                    _ => None,
                })
                .collect();
            self.aliases.insert(v, from);
            vars.push(v);
            env.insert(n.clone(), VarState::Bound(v));
        }
    }

    fn lookup(&mut self, env: &Env, name: &Name, span: Span) -> Option<VarId> {
        match env.get(name) {
            Some(VarState::Bound(v)) => {
                let v = *v;
                self.use_var(v);
                Some(v)
            }
            Some(VarState::Unsafe(what, at)) => {
                let (l, c) = self.line_col(*at);
                let what = *what;
                self.err(
                    span,
                    format!("variable '{name}' unsafe in '{what}' (line {l}, column {c})"),
                );
                None
            }
            None => {
                self.err(span, format!("variable '{name}' is unbound"));
                None
            }
        }
    }

    // ------------------------------------------------------------ expressions

    /// Lower a body (comma-separated expressions): the value of the last.
    fn body(&mut self, es: &[ast::Expr], env: &mut Env) -> Expr {
        let mut pres = Vec::new();
        let mut last = None;
        for (i, e) in es.iter().enumerate() {
            let v = self.expr(e, env, &mut pres);
            if i + 1 < es.len() {
                if !matches!(v.kind, ExprKind::Var(_) | ExprKind::Lit(_)) {
                    pres.push(Pre::Eval(v));
                }
            } else {
                last = Some(v);
            }
        }
        let span = es.last().map(|e| e.span).unwrap_or_default();
        let last = last.unwrap_or_else(|| Expr::atom(span, "ok"));
        self.wrap(pres, last)
    }

    /// Build the nested Core expression for pre-statements then a value.
    fn wrap(&mut self, pres: Vec<Pre>, value: Expr) -> Expr {
        pres.into_iter().rev().fold(value, |acc, p| {
            let span = acc.span;
            match p {
                Pre::Let(vars, e) => Expr::new(span, ExprKind::Let(vars, Box::new(e), Box::new(acc))),
                Pre::Eval(e) => Expr::new(span, ExprKind::Seq(Box::new(e), Box::new(acc))),
                Pre::Match(pat, guard, arg, mspan, fail_var) => {
                    let fail = Clause {
                        span: mspan,
                        pats: vec![Pat::Var(fail_var)],
                        guard: vec![],
                        body: Expr::new(
                            mspan,
                            ExprKind::Raise(
                                "error",
                                Box::new(Expr::tuple(
                                    mspan,
                                    vec![Expr::atom(mspan, "badmatch"), Expr::var(mspan, fail_var)],
                                )),
                            ),
                        ),
                    };
                    let ok = Clause {
                        span: mspan,
                        pats: vec![pat],
                        guard,
                        body: acc,
                    };
                    Expr::new(span, ExprKind::Case(Box::new(arg), vec![ok, fail]))
                }
            }
        })
    }

    /// Hoist an expression into a variable unless it already is atomic.
    fn atomic(&mut self, e: Expr, pres: &mut Vec<Pre>) -> Expr {
        if matches!(e.kind, ExprKind::Var(_) | ExprKind::Lit(_)) {
            return e;
        }
        let span = e.span;
        let v = self.fresh("@t");
        pres.push(Pre::Let(vec![v], e));
        Expr::var(span, v)
    }

    fn exprs(&mut self, es: &[ast::Expr], env: &mut Env, pres: &mut Vec<Pre>) -> Vec<Expr> {
        es.iter().map(|e| self.expr(e, env, pres)).collect()
    }

    fn expr(&mut self, e: &ast::Expr, env: &mut Env, pres: &mut Vec<Pre>) -> Expr {
        let span = e.span;
        match &e.kind {
            A::Var(n) => match self.lookup(env, n, span) {
                Some(v) => Expr::var(span, v),
                None => Expr::atom(span, "undefined"),
            },
            A::Atom(a) => Expr::atom(span, a),
            A::Integer(i) => Expr::lit(span, lit_of_int(i)),
            A::Float(f) => Expr::lit(span, Literal::Float(*f)),
            A::Char(c) => Expr::lit(span, Literal::int(*c as i64)),
            A::String(s) => Expr::lit(span, Literal::string(s)),
            A::Nil => Expr::lit(span, Literal::Nil),
            A::Cons(h, t) => {
                let h = self.expr(h, env, pres);
                let t = self.expr(t, env, pres);
                fold_cons(span, h, t)
            }
            A::Tuple(es) => {
                let es = self.exprs(es, env, pres);
                fold_tuple(span, es)
            }
            A::Unary(op, x) => {
                if let Some(l) = const_number(e) {
                    return Expr::lit(span, l);
                }
                let x = self.expr(x, env, pres);
                Expr::erlang(span, op.name(), vec![x])
            }
            A::Binary2(BinOp::Andalso, a, b) => self.short_circuit(span, a, b, true, env, pres),
            A::Binary2(BinOp::Orelse, a, b) => self.short_circuit(span, a, b, false, env, pres),
            A::Binary2(op, a, b) => {
                if let Some(l) = folded_number(e) {
                    return Expr::lit(span, l);
                }
                let a = self.expr(a, env, pres);
                let b = self.expr(b, env, pres);
                Expr::erlang(span, op.name(), vec![a, b])
            }
            A::Send(a, b) => {
                let a = self.expr(a, env, pres);
                let b = self.expr(b, env, pres);
                Expr::erlang(span, "!", vec![a, b])
            }
            A::Match(p, rhs) => {
                let rhs = self.expr(rhs, env, pres);
                self.match_expr(span, p, rhs, env, pres)
            }
            A::Block(es) => {
                let n = es.len();
                for (i, x) in es.iter().enumerate() {
                    let v = self.expr(x, env, pres);
                    if i + 1 == n {
                        return v;
                    }
                    pres.push(Pre::Eval(v));
                }
                Expr::atom(span, "ok")
            }
            A::Call(f, args) => self.call(span, f, args, env, pres),
            A::Remote(..) => {
                self.err(span, "illegal expression");
                Expr::atom(span, "undefined")
            }
            A::Case(arg, clauses) => {
                let arg = self.expr(arg, env, pres);
                let arg = self.atomic(arg, pres);
                let cs: Vec<ClauseRef<'_>> = clauses
                    .iter()
                    .map(|c| (c.patterns.iter().collect(), &c.guards, &c.body, c.span))
                    .collect();
                self.branching(span, "case", vec![arg], cs, CaseFail::CaseClause, env, pres)
            }
            A::If(clauses) => {
                let cs = clauses
                    .iter()
                    .map(|c| (vec![], &c.guards, &c.body, c.span))
                    .collect();
                self.branching(span, "if", vec![], cs, CaseFail::IfClause, env, pres)
            }
            A::Receive { clauses, after } => self.receive(span, clauses, after.as_ref(), env, pres),
            A::Try {
                body,
                of_clauses,
                catch_clauses,
                after,
            } => self.try_expr(span, body, of_clauses, catch_clauses, after, env, pres),
            A::Catch(x) => {
                let mut inner = env.clone();
                let body = self.body(std::slice::from_ref(&**x), &mut inner);
                self.mark_new_unsafe(env, &inner, "catch", span);
                Expr::new(span, ExprKind::Catch(Box::new(body)))
            }
            A::FunRef(ast::FunRef::Local { name, arity }) => {
                let key = (name.to_string(), *arity);
                if self.locals.contains(&key) {
                    self.refs.entry(self.cur_fun.clone()).or_default().insert(key);
                    Expr::new(span, ExprKind::LocalFunRef(FunName::new(&**name, *arity)))
                } else if bifs::is_auto_imported(name, *arity) {
                    Expr::lit(span, export_fun("erlang", name, *arity))
                } else if let Some(m) = self.imports.get(&key).cloned() {
                    Expr::lit(span, export_fun(&m, name, *arity))
                } else {
                    self.err(span, format!("function {}/{} undefined", name, arity));
                    Expr::atom(span, "undefined")
                }
            }
            A::FunRef(ast::FunRef::Remote {
                module,
                function,
                arity,
            }) => match (&module.kind, &function.kind, &arity.kind) {
                (A::Atom(m), A::Atom(f), A::Integer(IntLit::Small(a))) if *a >= 0 => {
                    Expr::lit(span, export_fun(m, f, *a as u32))
                }
                _ => {
                    let m = self.expr(module, env, pres);
                    let f = self.expr(function, env, pres);
                    let a = self.expr(arity, env, pres);
                    Expr::erlang(span, "make_fun", vec![m, f, a])
                }
            },
            A::Fun(clauses) => self.fun(span, None, clauses, env),
            A::NamedFun(name, clauses) => self.fun(span, Some(name), clauses, env),
            A::ListComp(body, quals) => {
                let mut inner = env.clone();
                let tail = Expr::lit(span, Literal::Nil);
                self.comprehension(span, body, quals, tail, &mut inner)
            }
            A::BinComp(body, quals) => {
                // A binary comprehension builds the list of segments, then
                // joins them: the same bits as OTP's, in one pass.
                let mut inner = env.clone();
                let tail = Expr::lit(span, Literal::Nil);
                let list = self.comprehension(span, body, quals, tail, &mut inner);
                Expr::erlang(span, "list_to_bitstring", vec![list])
            }
            A::MapNew(fields) => {
                let pairs = self.map_pairs(fields, env, pres);
                if pairs.iter().any(|p| p.exact) {
                    self.err(
                        span,
                        "only association operators '=>' are allowed in map construction",
                    );
                }
                Expr::new(span, ExprKind::MapNew(pairs))
            }
            A::MapUpdate(m, fields) => {
                let m = self.expr(m, env, pres);
                let pairs = self.map_pairs(fields, env, pres);
                Expr::new(span, ExprKind::MapUpdate(Box::new(m), pairs))
            }
            A::RecordNew(name, fields) => self.record_new(span, name, fields, env, pres),
            A::RecordUpdate(r, name, fields) => {
                let r = self.expr(r, env, pres);
                self.record_update(span, r, name, fields, env, pres)
            }
            A::RecordField(r, name, field) => {
                let r = self.expr(r, env, pres);
                self.record_field(span, r, name, field, pres)
            }
            A::RecordIndex(name, field) => match self.record_index(span, name, field) {
                Some(i) => Expr::lit(span, Literal::int(i as i64 + 1)),
                None => Expr::atom(span, "undefined"),
            },
            A::Binary(elems) => {
                if let Some(l) = literal_binary(elems) {
                    return Expr::lit(span, l);
                }
                let mut segs = Vec::new();
                for el in elems {
                    let (ty, unit, flags) = self.bin_type(el, false);
                    let size = el.size.as_ref().map(|s| self.expr(s, env, pres));
                    // A string segment is one segment per character.
                    if let A::String(text) = &el.value.kind {
                        for c in text.chars() {
                            segs.push(BinSeg {
                                value: Expr::lit(el.span, Literal::int(c as i64)),
                                size: size.clone(),
                                ty,
                                unit,
                                flags,
                            });
                        }
                        continue;
                    }
                    let value = self.expr(&el.value, env, pres);
                    segs.push(BinSeg {
                        value,
                        size,
                        ty,
                        unit,
                        flags,
                    });
                }
                Expr::new(span, ExprKind::Binary(segs))
            }
            A::Maybe(body, else_clauses) => self.maybe(span, body, else_clauses.as_ref(), env, pres),
            A::MaybeMatch(..) => {
                self.err(span, "'?=' is only allowed directly in a maybe block");
                Expr::atom(span, "undefined")
            }
        }
    }

    fn short_circuit(
        &mut self,
        span: Span,
        a: &ast::Expr,
        b: &ast::Expr,
        is_and: bool,
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        let a = self.expr(a, env, pres);
        // The right operand runs conditionally: its bindings are unsafe after.
        let mut inner = env.clone();
        let b = self.body(std::slice::from_ref(b), &mut inner);
        self.mark_new_unsafe(env, &inner, if is_and { "andalso" } else { "orelse" }, span);
        let other = self.fresh("@other");
        let (on_true, on_false) = if is_and {
            (b, Expr::atom(span, "false"))
        } else {
            (Expr::atom(span, "true"), b)
        };
        let clauses = vec![
            Clause {
                span,
                pats: vec![Pat::Lit(Literal::atom("true"))],
                guard: vec![],
                body: on_true,
            },
            Clause {
                span,
                pats: vec![Pat::Lit(Literal::atom("false"))],
                guard: vec![],
                body: on_false,
            },
            Clause {
                span,
                pats: vec![Pat::Var(other)],
                guard: vec![],
                body: raise_error(span, vec![Expr::atom(span, "badarg"), Expr::var(span, other)]),
            },
        ];
        Expr::new(span, ExprKind::Case(Box::new(a), clauses))
    }

    /// New variables of `inner` (not in `outer`) become unsafe in `outer`.
    fn mark_new_unsafe(&mut self, outer: &mut Env, inner: &Env, what: &'static str, span: Span) {
        for (k, v) in inner {
            if !outer.contains_key(k) {
                if let VarState::Bound(id) = v {
                    self.use_var(*id);
                }
                outer.insert(k.clone(), VarState::Unsafe(what, span));
            }
        }
    }

    fn match_expr(
        &mut self,
        span: Span,
        p: &ast::Expr,
        rhs: Expr,
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        let mut new = BTreeMap::new();
        let mut eqs = Vec::new();
        let pat = self.pat(p, env, &mut new, &mut eqs);
        let rhs = self.atomic(rhs, pres);
        for (n, (v, _)) in &new {
            env.insert(n.clone(), VarState::Bound(*v));
        }
        if let (Pat::Var(v), true) = (&pat, eqs.is_empty()) {
            pres.push(Pre::Let(vec![*v], rhs));
            return Expr::var(span, *v);
        }
        let fail = self.fresh("@fail");
        let guard = if eqs.is_empty() { vec![] } else { vec![eqs] };
        let value = rhs.clone();
        pres.push(Pre::Match(pat, guard, rhs, span, fail));
        value
    }

    fn call(
        &mut self,
        span: Span,
        f: &ast::Expr,
        args: &[ast::Expr],
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        let n = args.len() as u32;
        match &f.kind {
            A::Atom(name) => {
                let key = (name.to_string(), n);
                match (&**name, n) {
                    ("record_info", 2) => return self.record_info(span, args),
                    ("is_record", 2) => {
                        if let Some(e) = self.is_record_call(span, args, env, pres) {
                            return e;
                        }
                    }
                    _ => {}
                }
                let args = self.exprs(args, env, pres);
                // A local definition wins over an auto-imported BIF.
                let auto = bifs::is_auto_imported(name, n) && !self.no_auto_import.contains(&key);
                if self.locals.contains(&key) {
                    if auto {
                        let (what, old) = if bifs::is_old_bif(name, n) {
                            ("pre R14 auto-imported", true)
                        } else {
                            ("auto-imported", false)
                        };
                        let msg = format!(
                            "ambiguous call of overridden {what} BIF {name}/{n}\n - use erlang:{name}/{n} \
                             or \"-compile({{no_auto_import,[{name}/{n}]}}).\" to resolve name clash"
                        );
                        if old {
                            self.err(f.span, msg);
                        } else {
                            self.warn(f.span, msg);
                        }
                    }
                    self.refs.entry(self.cur_fun.clone()).or_default().insert(key);
                    Expr::new(span, ExprKind::ApplyLocal(FunName::new(&**name, n), args))
                } else if let Some(m) = self.imports.get(&key).cloned() {
                    Expr::new(
                        span,
                        ExprKind::Call(
                            Box::new(Expr::atom(span, &m)),
                            Box::new(Expr::atom(span, name)),
                            args,
                        ),
                    )
                } else if auto {
                    Expr::erlang(span, name, args)
                } else {
                    self.err(f.span, format!("function {name}/{n} undefined"));
                    Expr::atom(span, "undefined")
                }
            }
            A::Remote(m, fname) => {
                let m = self.expr(m, env, pres);
                let fname = self.expr(fname, env, pres);
                let args = self.exprs(args, env, pres);
                Expr::new(span, ExprKind::Call(Box::new(m), Box::new(fname), args))
            }
            _ => {
                let fv = self.expr(f, env, pres);
                let args = self.exprs(args, env, pres);
                Expr::new(span, ExprKind::ApplyFun(Box::new(fv), args))
            }
        }
    }

    fn is_record_call(
        &mut self,
        span: Span,
        args: &[ast::Expr],
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Option<Expr> {
        let A::Atom(name) = &args.get(1)?.kind else {
            return None;
        };
        let size = match self.records.get(name) {
            Some(r) => r.fields.len() + 1,
            None => {
                self.err(args[1].span, format!("record {name} undefined"));
                return Some(Expr::atom(span, "false"));
            }
        };
        let x = self.expr(&args[0], env, pres);
        Some(Expr::erlang(
            span,
            "is_record",
            vec![
                x,
                Expr::atom(span, name),
                Expr::lit(span, Literal::int(size as i64)),
            ],
        ))
    }

    // ------------------------------------------------------------ branching

    /// `case`/`if`: clauses in cloned environments; variables bound in every
    /// clause are exported, those bound in some are unsafe afterwards.
    #[allow(clippy::too_many_arguments)]
    fn branching(
        &mut self,
        span: Span,
        what: &'static str,
        args: Vec<Expr>,
        clauses: Vec<ClauseRef<'_>>,
        fail: CaseFail,
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        let mut lowered = Vec::new();
        let mut envs = Vec::new();
        for (pats, guards, body, cspan) in clauses {
            let mut cenv = env.clone();
            let mut new = BTreeMap::new();
            let mut eqs = Vec::new();
            let pats: Vec<Pat> = pats
                .iter()
                .map(|p| self.pat(p, &cenv, &mut new, &mut eqs))
                .collect();
            for (n, (v, _)) in &new {
                cenv.insert(n.clone(), VarState::Bound(*v));
            }
            let guard = self.guard_seq(guards, &cenv, eqs);
            let mut bpres = Vec::new();
            let mut value = None;
            for (i, e) in body.iter().enumerate() {
                let v = self.expr(e, &mut cenv, &mut bpres);
                if i + 1 == body.len() {
                    value = Some(v);
                } else if !matches!(v.kind, ExprKind::Var(_) | ExprKind::Lit(_)) {
                    bpres.push(Pre::Eval(v));
                }
            }
            lowered.push((
                pats,
                guard,
                bpres,
                value.unwrap_or_else(|| Expr::atom(cspan, "ok")),
                cspan,
            ));
            envs.push(cenv);
        }
        self.join(span, what, args, lowered, envs, fail, env, pres)
    }

    /// Finish a branching construct: compute exports, build the clause
    /// bodies returning `<value, exports...>` and bind them.
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn join(
        &mut self,
        span: Span,
        what: &'static str,
        args: Vec<Expr>,
        lowered: Vec<(Vec<Pat>, Guard, Vec<Pre>, Expr, Span)>,
        envs: Vec<Env>,
        fail: CaseFail,
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        let (exports, unsafe_names) = exported_vars(env, &envs);
        for n in &unsafe_names {
            for e in &envs {
                if let Some(VarState::Bound(v)) = e.get(n) {
                    self.use_var(*v);
                }
            }
            env.insert(n.clone(), VarState::Unsafe(what, span));
        }
        let mut clauses = Vec::new();
        for ((pats, guard, bpres, value, cspan), cenv) in lowered.into_iter().zip(&envs) {
            let mut vals = vec![value];
            for n in &exports {
                if let Some(VarState::Bound(v)) = cenv.get(n) {
                    vals.push(Expr::var(cspan, *v));
                }
            }
            let body = if exports.is_empty() {
                vals.pop().expect("value")
            } else {
                Expr::new(cspan, ExprKind::Values(vals))
            };
            let body = self.wrap(bpres, body);
            clauses.push(Clause {
                span: cspan,
                pats,
                guard,
                body,
            });
        }
        clauses.push(self.fail_clause(span, args.len(), fail));
        let arg = if args.len() == 1 {
            args.into_iter().next().expect("one")
        } else {
            Expr::new(span, ExprKind::Values(args))
        };
        let case = Expr::new(span, ExprKind::Case(Box::new(arg), clauses));
        if exports.is_empty() {
            return case;
        }
        let result = self.fresh("@case");
        let mut vars = vec![result];
        let branches: Vec<&Env> = envs.iter().collect();
        self.bind_exports(&exports, &branches, env, &mut vars);
        pres.push(Pre::Let(vars, case));
        Expr::var(span, result)
    }

    fn fail_clause(&mut self, span: Span, nargs: usize, fail: CaseFail) -> Clause {
        let vars: Vec<VarId> = (0..nargs).map(|_| self.fresh("@fail")).collect();
        let pats = vars.iter().map(|v| Pat::Var(*v)).collect();
        let body = match fail {
            CaseFail::CaseClause => raise_error(
                span,
                vec![Expr::atom(span, "case_clause"), Expr::var(span, vars[0])],
            ),
            CaseFail::IfClause => Expr::new(
                span,
                ExprKind::Raise("error", Box::new(Expr::atom(span, "if_clause"))),
            ),
            CaseFail::TryClause => raise_error(
                span,
                vec![Expr::atom(span, "try_clause"), Expr::var(span, vars[0])],
            ),
            CaseFail::Badmatch => {
                raise_error(span, vec![Expr::atom(span, "badmatch"), Expr::var(span, vars[0])])
            }
            CaseFail::ElseClause => raise_error(
                span,
                vec![Expr::atom(span, "else_clause"), Expr::var(span, vars[0])],
            ),
            CaseFail::Value => Expr::var(span, vars[0]),
            CaseFail::FunctionClause => Expr::new(
                span,
                ExprKind::FunctionClause(vars.iter().map(|v| Expr::var(span, *v)).collect()),
            ),
        };
        Clause {
            span,
            pats,
            guard: vec![],
            body,
        }
    }

    fn receive(
        &mut self,
        span: Span,
        clauses: &[ast::Clause],
        after: Option<&(Box<ast::Expr>, Vec<ast::Expr>)>,
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        let mut lowered = Vec::new();
        let mut envs = Vec::new();
        for c in clauses {
            let mut cenv = env.clone();
            let mut new = BTreeMap::new();
            let mut eqs = Vec::new();
            let pats: Vec<Pat> = c
                .patterns
                .iter()
                .map(|p| self.pat(p, &cenv, &mut new, &mut eqs))
                .collect();
            for (n, (v, _)) in &new {
                cenv.insert(n.clone(), VarState::Bound(*v));
            }
            let guard = self.guard_seq(&c.guards, &cenv, eqs);
            let body = self.body(&c.body, &mut cenv);
            lowered.push((pats, guard, body, c.span));
            envs.push(cenv);
        }
        let (timeout, action, after_env) = match after {
            Some((t, body)) => {
                let t = self.expr(t, env, pres);
                let mut aenv = env.clone();
                let action = self.body(body, &mut aenv);
                (t, action, Some(aenv))
            }
            None => (Expr::atom(span, "infinity"), Expr::atom(span, "true"), None),
        };
        let mut all_envs = envs.clone();
        if let Some(a) = &after_env {
            all_envs.push(a.clone());
        }
        let (exports, unsafe_names) = exported_vars(env, &all_envs);
        for n in &unsafe_names {
            env.insert(n.clone(), VarState::Unsafe("receive", span));
        }
        let with_exports = |this: &mut Self, body: Expr, cenv: &Env| -> Expr {
            if exports.is_empty() {
                return body;
            }
            let bspan = body.span;
            let result = this.fresh("@r");
            let mut vals = vec![Expr::var(bspan, result)];
            for n in &exports {
                if let Some(VarState::Bound(v)) = cenv.get(n) {
                    vals.push(Expr::var(bspan, *v));
                }
            }
            Expr::new(
                bspan,
                ExprKind::Let(
                    vec![result],
                    Box::new(body),
                    Box::new(Expr::new(bspan, ExprKind::Values(vals))),
                ),
            )
        };
        let mut cclauses = Vec::new();
        for ((pats, guard, body, cspan), cenv) in lowered.into_iter().zip(&envs) {
            let body = with_exports(self, body, cenv);
            cclauses.push(Clause {
                span: cspan,
                pats,
                guard,
                body,
            });
        }
        let action = match &after_env {
            Some(aenv) => with_exports(self, action, aenv),
            None => action,
        };
        let recv = Expr::new(
            span,
            ExprKind::Receive {
                clauses: cclauses,
                timeout: Box::new(timeout),
                action: Box::new(action),
            },
        );
        if exports.is_empty() {
            return recv;
        }
        let result = self.fresh("@recv");
        let mut vars = vec![result];
        let branches: Vec<&Env> = all_envs.iter().collect();
        self.bind_exports(&exports, &branches, env, &mut vars);
        pres.push(Pre::Let(vars, recv));
        Expr::var(span, result)
    }

    #[allow(clippy::too_many_arguments)]
    fn try_expr(
        &mut self,
        span: Span,
        body: &[ast::Expr],
        of_clauses: &[ast::Clause],
        catch_clauses: &[ast::CatchClause],
        after: &[ast::Expr],
        env: &mut Env,
        _pres: &mut Vec<Pre>,
    ) -> Expr {
        // Everything bound inside a try is unsafe after it.
        let mut benv = env.clone();
        let arg = self.body(body, &mut benv);
        let result = self.fresh("@try");
        let of_body = if of_clauses.is_empty() {
            Expr::var(span, result)
        } else {
            let cs = of_clauses
                .iter()
                .map(|c| (c.patterns.iter().collect(), &c.guards, &c.body, c.span))
                .collect();
            let mut oenv = benv.clone();
            let mut opres = Vec::new();
            let e = self.branching(
                span,
                "try",
                vec![Expr::var(span, result)],
                cs,
                CaseFail::TryClause,
                &mut oenv,
                &mut opres,
            );
            let e = self.wrap(opres, e);
            self.mark_new_unsafe(&mut benv, &oenv, "try", span);
            e
        };
        let class = self.fresh("@class");
        let reason = self.fresh("@reason");
        let trace = self.fresh("@trace");
        let handler = if catch_clauses.is_empty() {
            Expr::new(
                span,
                ExprKind::Reraise(
                    Box::new(Expr::var(span, class)),
                    Box::new(Expr::var(span, reason)),
                    Box::new(Expr::var(span, trace)),
                ),
            )
        } else {
            let mut clauses = Vec::new();
            for c in catch_clauses {
                let mut cenv = env.clone();
                let mut new = BTreeMap::new();
                let mut eqs = Vec::new();
                let class_pat = match &c.class {
                    Some(cl) => self.pat(cl, &cenv, &mut new, &mut eqs),
                    None => Pat::Lit(Literal::atom("throw")),
                };
                let reason_pat = self.pat(&c.reason, &cenv, &mut new, &mut eqs);
                let trace_pat = match &c.stacktrace {
                    Some(st) => {
                        let A::Var(n) = &st.kind else {
                            self.err(st.span, "stacktrace must be a variable");
                            continue;
                        };
                        if cenv.contains_key(n) || new.contains_key(n) {
                            if let Some(VarState::Bound(outer)) = cenv.get(n) {
                                self.use_var(*outer);
                            }
                            self.err(
                                st.span,
                                format!("stacktrace variable '{n}' must not be previously bound"),
                            );
                            if let Some(VarState::Unsafe(what, at)) = cenv.get(n) {
                                let ((l, c), what) = (self.line_col(*at), *what);
                                self.err(
                                    st.span,
                                    format!("variable '{n}' unsafe in '{what}' (line {l}, column {c})"),
                                );
                            }
                        }
                        let v = self.bind_user(n, st.span);
                        new.insert(n.clone(), (v, st.span));
                        Pat::Var(v)
                    }
                    None => Pat::Wild,
                };
                for (n, (v, _)) in &new {
                    cenv.insert(n.clone(), VarState::Bound(*v));
                }
                let guard = self.guard_seq(&c.guards, &cenv, eqs);
                let body = self.body(&c.body, &mut cenv);
                clauses.push(Clause {
                    span: c.span,
                    pats: vec![class_pat, reason_pat, trace_pat],
                    guard,
                    body,
                });
                self.mark_new_unsafe(&mut benv, &cenv, "try", span);
            }
            clauses.push(Clause {
                span,
                pats: vec![Pat::Wild, Pat::Wild, Pat::Wild],
                guard: vec![],
                body: Expr::new(
                    span,
                    ExprKind::Reraise(
                        Box::new(Expr::var(span, class)),
                        Box::new(Expr::var(span, reason)),
                        Box::new(Expr::var(span, trace)),
                    ),
                ),
            });
            Expr::new(
                span,
                ExprKind::Case(
                    Box::new(Expr::new(
                        span,
                        ExprKind::Values(vec![
                            Expr::var(span, class),
                            Expr::var(span, reason),
                            Expr::var(span, trace),
                        ]),
                    )),
                    clauses,
                ),
            )
        };
        self.mark_new_unsafe(env, &benv, "try", span);
        let tried = Expr::new(
            span,
            ExprKind::Try {
                arg: Box::new(arg),
                vars: vec![result],
                body: Box::new(of_body),
                evars: [class, reason, trace],
                handler: Box::new(handler),
            },
        );
        if after.is_empty() {
            return tried;
        }
        // try ... after A end: run A on the way out, normal or not.
        let mut aenv = env.clone();
        let after_body = self.body(after, &mut aenv);
        let after_again = after_body.clone();
        let v = self.fresh("@val");
        let (c2, r2, t2) = (self.fresh("@c"), self.fresh("@r"), self.fresh("@t"));
        Expr::new(
            span,
            ExprKind::Try {
                arg: Box::new(tried),
                vars: vec![v],
                body: Box::new(Expr::new(
                    span,
                    ExprKind::Seq(Box::new(after_body), Box::new(Expr::var(span, v))),
                )),
                evars: [c2, r2, t2],
                handler: Box::new(Expr::new(
                    span,
                    ExprKind::Seq(
                        Box::new(after_again),
                        Box::new(Expr::new(
                            span,
                            ExprKind::Reraise(
                                Box::new(Expr::var(span, c2)),
                                Box::new(Expr::var(span, r2)),
                                Box::new(Expr::var(span, t2)),
                            ),
                        )),
                    ),
                )),
            },
        )
    }

    fn maybe(
        &mut self,
        span: Span,
        body: &[ast::Expr],
        else_clauses: Option<&Vec<ast::Clause>>,
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        // maybe E1, P ?= E2, Rest end → E1, case E2 of P -> Rest; V -> V end
        // (V goes to the else clauses when there are some).
        let mut inner = env.clone();
        let e = self.maybe_seq(span, body, else_clauses.is_some(), &mut inner);
        self.mark_new_unsafe(env, &inner, "maybe", span);
        match else_clauses {
            None => e,
            Some(cs) => {
                // The body yields {ok, Value} or {else, Value}.
                let tag = self.fresh("@tag");
                let val = self.fresh("@val");
                let cl: Vec<ClauseRef<'_>> = cs
                    .iter()
                    .map(|c| (c.patterns.iter().collect(), &c.guards, &c.body, c.span))
                    .collect();
                let mut eenv = env.clone();
                let mut epres = Vec::new();
                let else_case = self.branching(
                    span,
                    "maybe",
                    vec![Expr::var(span, val)],
                    cl,
                    CaseFail::ElseClause,
                    &mut eenv,
                    &mut epres,
                );
                let else_case = self.wrap(epres, else_case);
                let _ = pres;
                Expr::new(
                    span,
                    ExprKind::Case(
                        Box::new(e),
                        vec![Clause {
                            span,
                            pats: vec![Pat::Tuple(vec![Pat::Var(tag), Pat::Var(val)])],
                            guard: vec![],
                            body: Expr::new(
                                span,
                                ExprKind::Case(
                                    Box::new(Expr::var(span, tag)),
                                    vec![
                                        Clause {
                                            span,
                                            pats: vec![Pat::Lit(Literal::atom("ok"))],
                                            guard: vec![],
                                            body: Expr::var(span, val),
                                        },
                                        Clause {
                                            span,
                                            pats: vec![Pat::Wild],
                                            guard: vec![],
                                            body: else_case,
                                        },
                                    ],
                                ),
                            ),
                        }],
                    ),
                )
            }
        }
    }

    /// The body of a maybe block. With `tagged`, normal completion gives
    /// `{ok, V}` and a failed `?=` gives `{else, V}`.
    fn maybe_seq(&mut self, span: Span, es: &[ast::Expr], tagged: bool, env: &mut Env) -> Expr {
        let Some((first, rest)) = es.split_first() else {
            return Expr::atom(span, "ok");
        };
        if let A::MaybeMatch(p, rhs) = &first.kind {
            let mut pres = Vec::new();
            let rhs = self.expr(rhs, env, &mut pres);
            let mut new = BTreeMap::new();
            let mut eqs = Vec::new();
            let pat = self.pat(p, env, &mut new, &mut eqs);
            let mut cenv = env.clone();
            for (n, (v, _)) in &new {
                cenv.insert(n.clone(), VarState::Bound(*v));
            }
            let matched_value = self.fresh("@m");
            let continue_with = if rest.is_empty() {
                let v = Expr::var(span, matched_value);
                if tagged {
                    Expr::tuple(span, vec![Expr::atom(span, "ok"), v])
                } else {
                    v
                }
            } else {
                self.maybe_seq(span, rest, tagged, &mut cenv)
            };
            *env = cenv;
            let other = self.fresh("@other");
            let other_value = if tagged {
                Expr::tuple(span, vec![Expr::atom(span, "else"), Expr::var(span, other)])
            } else {
                Expr::var(span, other)
            };
            let case = Expr::new(
                span,
                ExprKind::Case(
                    Box::new(rhs),
                    vec![
                        Clause {
                            span,
                            pats: vec![Pat::Alias(matched_value, Box::new(pat))],
                            guard: if eqs.is_empty() { vec![] } else { vec![eqs] },
                            body: continue_with,
                        },
                        Clause {
                            span,
                            pats: vec![Pat::Var(other)],
                            guard: vec![],
                            body: other_value,
                        },
                    ],
                ),
            );
            return self.wrap(pres, case);
        }
        let mut pres = Vec::new();
        let v = self.expr(first, env, &mut pres);
        let result = if rest.is_empty() {
            if tagged {
                let v = self.atomic(v, &mut pres);
                Expr::tuple(span, vec![Expr::atom(span, "ok"), v])
            } else {
                v
            }
        } else {
            pres.push(Pre::Eval(v));
            self.maybe_seq(span, rest, tagged, env)
        };
        self.wrap(pres, result)
    }

    // ------------------------------------------------------------ funs

    fn next_lifted_name(&mut self, kind: &str) -> String {
        let n = self.lifted_count;
        self.lifted_count += 1;
        let (f, a) = &self.cur_fun;
        if kind == "lc" {
            let lc = self.lc_count;
            self.lc_count += 1;
            format!("-{f}/{a}-lc$^{lc}/1-{n}-")
        } else {
            format!("-{f}/{a}-fun-{n}-")
        }
    }

    fn fun(&mut self, span: Span, name: Option<&Name>, clauses: &[ast::Clause], env: &Env) -> Expr {
        let arity = clauses.first().map(|c| c.patterns.len()).unwrap_or(0);
        let lifted = self.next_lifted_name("fun");
        let mut fenv = env.clone();
        let self_var = name.map(|n| {
            let v = self.fresh(n);
            fenv.insert(n.clone(), VarState::Bound(v));
            v
        });
        let params: Vec<VarId> = (0..arity).map(|i| self.fresh(&format!("@p{i}"))).collect();
        let def = self.clauses_fun(span, &params, clauses, &fenv, true, lifted, self_var);
        Expr::new(span, ExprKind::Fun(Box::new(def)))
    }

    /// A function body from clauses over the parameters: a case with a
    /// function_clause fallback. Patterns in funs shadow outer variables.
    #[allow(clippy::too_many_arguments)]
    fn clauses_fun(
        &mut self,
        span: Span,
        params: &[VarId],
        clauses: &[ast::Clause],
        env: &Env,
        shadow: bool,
        name: String,
        self_var: Option<VarId>,
    ) -> FunDef {
        let mut cclauses = Vec::new();
        for c in clauses {
            let mut cenv = env.clone();
            if shadow {
                // Variables in fun heads are new variables, shadowing outer ones.
                let mut names = Vec::new();
                for p in &c.patterns {
                    pattern_vars(p, &mut names);
                }
                for (n, at) in names {
                    if cenv.contains_key(&n) {
                        self.warn(at, format!("variable '{n}' shadowed in 'fun'"));
                        cenv.remove(&n);
                    }
                }
            }
            let mut new = BTreeMap::new();
            let mut eqs = Vec::new();
            let pats: Vec<Pat> = c
                .patterns
                .iter()
                .map(|p| self.pat(p, &cenv, &mut new, &mut eqs))
                .collect();
            for (n, (v, _)) in &new {
                cenv.insert(n.clone(), VarState::Bound(*v));
            }
            let guard = self.guard_seq(&c.guards, &cenv, eqs);
            let body = self.body(&c.body, &mut cenv);
            cclauses.push(Clause {
                span: c.span,
                pats,
                guard,
                body,
            });
        }
        cclauses.push(self.fail_clause(span, params.len(), CaseFail::FunctionClause));
        let arg = Expr::new(
            span,
            ExprKind::Values(params.iter().map(|p| Expr::var(span, *p)).collect()),
        );
        FunDef {
            span,
            params: params.to_vec(),
            body: Expr::new(span, ExprKind::Case(Box::new(arg), cclauses)),
            self_var,
            name,
        }
    }

    /// `[Body || Quals]` with `tail` after the generated elements: a local
    /// recursive function per generator, as OTP compiles it.
    fn comprehension(
        &mut self,
        span: Span,
        body: &ast::Expr,
        quals: &[ast::Qualifier],
        tail: Expr,
        env: &mut Env,
    ) -> Expr {
        let Some((q, rest)) = quals.split_first() else {
            let mut pres = Vec::new();
            let v = self.expr(body, env, &mut pres);
            let cons = Expr::new(span, ExprKind::Cons(Box::new(v), Box::new(tail)));
            return self.wrap(pres, cons);
        };
        match q {
            ast::Qualifier::Filter(f) => {
                let mut pres = Vec::new();
                if is_guard_test(f) {
                    // A guard test: exceptions and non-true mean "skip".
                    let guard = vec![vec![self.gexpr(f, env)]];
                    let then = self.comprehension(span, body, rest, tail.clone(), env);
                    let case = Expr::new(
                        span,
                        ExprKind::Case(
                            Box::new(Expr::atom(span, "true")),
                            vec![
                                Clause {
                                    span,
                                    pats: vec![Pat::Wild],
                                    guard,
                                    body: then,
                                },
                                Clause {
                                    span,
                                    pats: vec![Pat::Wild],
                                    guard: vec![],
                                    body: tail,
                                },
                            ],
                        ),
                    );
                    return case;
                }
                let v = self.expr(f, env, &mut pres);
                let then = self.comprehension(span, body, rest, tail.clone(), env);
                let other = self.fresh("@other");
                let case = Expr::new(
                    span,
                    ExprKind::Case(
                        Box::new(v),
                        vec![
                            Clause {
                                span,
                                pats: vec![Pat::Lit(Literal::atom("true"))],
                                guard: vec![],
                                body: then,
                            },
                            Clause {
                                span,
                                pats: vec![Pat::Lit(Literal::atom("false"))],
                                guard: vec![],
                                body: tail,
                            },
                            Clause {
                                span,
                                pats: vec![Pat::Var(other)],
                                guard: vec![],
                                body: raise_error(
                                    span,
                                    vec![Expr::atom(span, "bad_filter"), Expr::var(span, other)],
                                ),
                            },
                        ],
                    ),
                );
                self.wrap(pres, case)
            }
            ast::Qualifier::Generator(p, src) | ast::Qualifier::BitGenerator(p, src) => {
                let bits = matches!(q, ast::Qualifier::BitGenerator(..));
                let mut pres = Vec::new();
                let srcv = self.expr(src, env, &mut pres);
                let fname = self.next_lifted_name("lc");
                let fun = FunName::new(fname.clone(), 1);
                let param = self.fresh("@lc");
                // Inside: the generator pattern shadows outer variables.
                let mut inner = env.clone();
                let mut names = Vec::new();
                pattern_vars(p, &mut names);
                for (n, at) in names {
                    if inner.contains_key(&n) {
                        self.warn(at, format!("variable '{n}' shadowed in generate"));
                        inner.remove(&n);
                    }
                }
                let mut new = BTreeMap::new();
                let mut eqs = Vec::new();
                let pat = self.pat(p, &inner, &mut new, &mut eqs);
                let mut benv = inner.clone();
                for (n, (v, _)) in &new {
                    benv.insert(n.clone(), VarState::Bound(*v));
                }
                let guard = if eqs.is_empty() { vec![] } else { vec![eqs] };
                let t = self.fresh("@t");
                let recur = Expr::new(span, ExprKind::ApplyLocal(fun.clone(), vec![Expr::var(span, t)]));
                let matched = self.comprehension(span, body, rest, recur.clone(), &mut benv);
                let other = self.fresh("@other");
                let clauses = if bits {
                    // <<Pat>> <= Bin: match the pattern's segments then the rest.
                    let Pat::Binary(mut segs) = pat else {
                        self.err(p.span, "a binary generator needs a binary pattern");
                        return Expr::atom(span, "undefined");
                    };
                    segs.push(PatSeg {
                        pat: Pat::Var(t),
                        size: None,
                        ty: BinType::Binary,
                        unit: 1,
                        flags: BinFlags::default(),
                    });
                    let skip_t = self.fresh("@t");
                    vec![
                        Clause {
                            span,
                            pats: vec![Pat::Binary(segs)],
                            guard,
                            body: matched,
                        },
                        Clause {
                            span,
                            pats: vec![Pat::Var(other)],
                            guard: vec![],
                            body: {
                                let _ = skip_t;
                                tail
                            },
                        },
                    ]
                } else {
                    let skip_t = self.fresh("@t");
                    vec![
                        Clause {
                            span,
                            pats: vec![Pat::Cons(Box::new(pat), Box::new(Pat::Var(t)))],
                            guard,
                            body: matched,
                        },
                        Clause {
                            span,
                            pats: vec![Pat::Cons(Box::new(Pat::Wild), Box::new(Pat::Var(skip_t)))],
                            guard: vec![],
                            body: Expr::new(
                                span,
                                ExprKind::ApplyLocal(fun.clone(), vec![Expr::var(span, skip_t)]),
                            ),
                        },
                        Clause {
                            span,
                            pats: vec![Pat::Lit(Literal::Nil)],
                            guard: vec![],
                            body: tail,
                        },
                        Clause {
                            span,
                            pats: vec![Pat::Var(other)],
                            guard: vec![],
                            body: raise_error(
                                span,
                                vec![Expr::atom(span, "bad_generator"), Expr::var(span, other)],
                            ),
                        },
                    ]
                };
                let def = FunDef {
                    span,
                    params: vec![param],
                    body: Expr::new(span, ExprKind::Case(Box::new(Expr::var(span, param)), clauses)),
                    self_var: None,
                    name: fname,
                };
                let call = Expr::new(span, ExprKind::ApplyLocal(fun.clone(), vec![srcv]));
                let letrec = Expr::new(span, ExprKind::LetRec(vec![(fun, def)], Box::new(call)));
                self.wrap(pres, letrec)
            }
        }
    }

    // ------------------------------------------------------------ maps, records, binaries

    fn map_pairs(&mut self, fields: &[ast::MapField], env: &mut Env, pres: &mut Vec<Pre>) -> Vec<MapPair> {
        fields
            .iter()
            .map(|f| MapPair {
                key: self.expr(&f.key, env, pres),
                value: self.expr(&f.value, env, pres),
                exact: f.exact,
            })
            .collect()
    }

    fn record(&mut self, span: Span, name: &Name) -> Option<usize> {
        match self.records.get(name) {
            Some(r) => Some(r.fields.len()),
            None => {
                self.err(span, format!("record {name} undefined"));
                None
            }
        }
    }

    fn record_index(&mut self, span: Span, name: &Name, field: &Name) -> Option<usize> {
        self.record(span, name)?;
        let r = &self.records[name];
        match r.index(field) {
            Some(i) => Some(i + 1),
            None => {
                let at = last_atom_span(self.sources, span);
                self.err(at, format!("field {field} undefined in record {name}"));
                None
            }
        }
    }

    fn check_fields(&mut self, name: &Name, fields: &[ast::RecordFieldInit]) {
        let mut seen = HashSet::new();
        for f in fields {
            if &*f.name == "_" {
                continue;
            }
            if !seen.insert(f.name.clone()) {
                self.err(
                    f.span,
                    format!("field {} already defined in record {name}", f.name),
                );
            } else if self.records.get(name).and_then(|r| r.index(&f.name)).is_none() {
                self.err(f.span, format!("field {} undefined in record {name}", f.name));
            }
        }
    }

    fn record_new(
        &mut self,
        span: Span,
        name: &Name,
        fields: &[ast::RecordFieldInit],
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        if self.record(span, name).is_none() {
            return Expr::atom(span, "undefined");
        }
        self.check_fields(name, fields);
        let defs: Vec<(Name, Option<ast::Expr>)> = self.records[name].fields.clone();
        let wildcard = fields.iter().find(|f| &*f.name == "_");
        let mut elems = vec![Expr::atom(span, name)];
        for (fname, default) in &defs {
            let given = fields.iter().find(|f| f.name == *fname).or(wildcard);
            let v = match (given, default) {
                (Some(f), _) => self.expr(&f.value, env, pres),
                (None, Some(d)) => {
                    // Defaults are evaluated where the record is created, in
                    // a scope of their own.
                    let mut denv = Env::new();
                    self.expr(d, &mut denv, pres)
                }
                (None, None) => Expr::atom(span, "undefined"),
            };
            elems.push(v);
        }
        fold_tuple(span, elems)
    }

    /// Bind a record's fields: `case R of {name, F1, ..., Fn} -> ...; V -> badrecord`.
    fn record_open(&mut self, span: Span, r: Expr, name: &Name, size: usize) -> (Vec<VarId>, Pat, VarId) {
        let vars: Vec<VarId> = (0..size).map(|i| self.fresh(&format!("@f{i}"))).collect();
        let mut pats = vec![Pat::Lit(Literal::atom(name))];
        pats.extend(vars.iter().map(|v| Pat::Var(*v)));
        let _ = (span, r);
        let fail = self.fresh("@rec");
        (vars, Pat::Tuple(pats), fail)
    }

    fn record_update(
        &mut self,
        span: Span,
        r: Expr,
        name: &Name,
        fields: &[ast::RecordFieldInit],
        env: &mut Env,
        pres: &mut Vec<Pre>,
    ) -> Expr {
        let Some(size) = self.record(span, name) else {
            return Expr::atom(span, "undefined");
        };
        self.check_fields(name, fields);
        let r = self.atomic(r, pres);
        let values: Vec<(usize, Expr)> = fields
            .iter()
            .filter_map(|f| {
                let i = self.records[name].index(&f.name)?;
                Some((i, self.expr(&f.value, env, pres)))
            })
            .collect();
        let (vars, pat, fail) = self.record_open(span, r.clone(), name, size);
        let mut elems = vec![Expr::atom(span, name)];
        for (i, v) in vars.iter().enumerate() {
            match values.iter().find(|(j, _)| *j == i) {
                Some((_, e)) => elems.push(e.clone()),
                None => elems.push(Expr::var(span, *v)),
            }
        }
        let rec_pat = pat;
        Expr::new(
            span,
            ExprKind::Case(
                Box::new(r),
                vec![
                    Clause {
                        span,
                        pats: vec![rec_pat],
                        guard: vec![],
                        body: Expr::tuple(span, elems),
                    },
                    Clause {
                        span,
                        pats: vec![Pat::Var(fail)],
                        guard: vec![],
                        body: raise_error(span, vec![Expr::atom(span, "badrecord"), Expr::var(span, fail)]),
                    },
                ],
            ),
        )
    }

    fn record_field(&mut self, span: Span, r: Expr, name: &Name, field: &Name, pres: &mut Vec<Pre>) -> Expr {
        let Some(index) = self.record_index(span, name, field) else {
            return Expr::atom(span, "undefined");
        };
        let size = self.records[name].fields.len();
        let r = self.atomic(r, pres);
        let (vars, pat, fail) = self.record_open(span, r.clone(), name, size);
        Expr::new(
            span,
            ExprKind::Case(
                Box::new(r),
                vec![
                    Clause {
                        span,
                        pats: vec![pat],
                        guard: vec![],
                        body: Expr::var(span, vars[index - 1]),
                    },
                    Clause {
                        span,
                        pats: vec![Pat::Var(fail)],
                        guard: vec![],
                        body: raise_error(span, vec![Expr::atom(span, "badrecord"), Expr::var(span, fail)]),
                    },
                ],
            ),
        )
    }

    fn record_info(&mut self, span: Span, args: &[ast::Expr]) -> Expr {
        let (A::Atom(what), A::Atom(name)) = (&args[0].kind, &args[1].kind) else {
            self.err(span, "illegal record info");
            return Expr::atom(span, "undefined");
        };
        let Some(size) = self.record(args[1].span, name) else {
            return Expr::atom(span, "undefined");
        };
        match &**what {
            "size" => Expr::lit(span, Literal::int(size as i64 + 1)),
            "fields" => {
                let fs = self.records[name]
                    .fields
                    .iter()
                    .map(|(f, _)| Literal::atom(f))
                    .collect();
                Expr::lit(span, Literal::list(fs))
            }
            _ => {
                self.err(span, "illegal record info");
                Expr::atom(span, "undefined")
            }
        }
    }

    /// The type, unit and flags of a bit-syntax element, with defaults.
    fn bin_type(&mut self, el: &ast::BinElement, _pattern: bool) -> (BinType, u32, BinFlags) {
        let mut ty = None;
        let mut unit = None;
        let mut flags = BinFlags::default();
        for t in el.types.iter().flatten() {
            match (&*t.name, &t.value) {
                ("integer", None) => ty = Some(BinType::Integer),
                ("float", None) => ty = Some(BinType::Float),
                ("binary" | "bytes", None) => ty = Some(BinType::Binary),
                ("bitstring" | "bits", None) => {
                    ty = Some(BinType::Binary);
                    unit = unit.or(Some(1));
                }
                ("utf8", None) => ty = Some(BinType::Utf8),
                ("utf16", None) => ty = Some(BinType::Utf16),
                ("utf32", None) => ty = Some(BinType::Utf32),
                ("signed", None) => flags.signed = true,
                ("unsigned", None) => flags.signed = false,
                ("big", None) => flags.little = false,
                ("little", None) => flags.little = true,
                ("native", None) => flags.native = true,
                ("unit", Some(IntLit::Small(u))) if (1..=256).contains(u) => unit = Some(*u as u32),
                _ => self.err(el.span, format!("bit type {} undefined", t.name)),
            }
        }
        let ty = ty.unwrap_or(BinType::Integer);
        let is_bits = el
            .types
            .iter()
            .flatten()
            .any(|t| matches!(&*t.name, "bitstring" | "bits"));
        let unit = unit.unwrap_or(match ty {
            BinType::Binary if !is_bits => 8,
            _ => 1,
        });
        (ty, unit, flags)
    }

    // ------------------------------------------------------------ patterns

    fn pat(
        &mut self,
        p: &ast::Expr,
        env: &Env,
        new: &mut BTreeMap<Name, (VarId, Span)>,
        eqs: &mut Vec<GExpr>,
    ) -> Pat {
        let span = p.span;
        match &p.kind {
            A::Var(n) if &**n == "_" => Pat::Wild,
            A::Var(n) => {
                if let Some((v, _)) = new.get(n) {
                    let v = *v;
                    self.use_var(v);
                    let f = self.fresh(n);
                    eqs.push(GExpr::Bif("=:=".into(), vec![GExpr::Var(f), GExpr::Var(v)]));
                    return Pat::Var(f);
                }
                match env.get(n) {
                    Some(VarState::Bound(v)) => {
                        let v = *v;
                        self.use_var(v);
                        let f = self.fresh(n);
                        eqs.push(GExpr::Bif("=:=".into(), vec![GExpr::Var(f), GExpr::Var(v)]));
                        Pat::Var(f)
                    }
                    Some(VarState::Unsafe(what, at)) => {
                        let (l, c) = self.line_col(*at);
                        let what = *what;
                        self.err(
                            span,
                            format!("variable '{n}' unsafe in '{what}' (line {l}, column {c})"),
                        );
                        // As erl_lint: the pattern binds it from here on, so
                        // later uses are not reported again.
                        let v = self.bind_user(n, span);
                        new.insert(n.clone(), (v, span));
                        Pat::Var(v)
                    }
                    None => {
                        let v = self.bind_user(n, span);
                        new.insert(n.clone(), (v, span));
                        Pat::Var(v)
                    }
                }
            }
            A::Atom(a) => Pat::Lit(Literal::atom(a)),
            A::Integer(i) => Pat::Lit(lit_of_int(i)),
            A::Float(f) => Pat::Lit(Literal::Float(*f)),
            A::Char(c) => Pat::Lit(Literal::int(*c as i64)),
            A::String(s) => Pat::Lit(Literal::string(s)),
            A::Nil => Pat::Lit(Literal::Nil),
            A::Cons(h, t) => {
                let h = self.pat(h, env, new, eqs);
                let t = self.pat(t, env, new, eqs);
                Pat::Cons(Box::new(h), Box::new(t))
            }
            A::Tuple(es) => Pat::Tuple(es.iter().map(|e| self.pat(e, env, new, eqs)).collect()),
            A::Match(a, b) => {
                let a = self.pat(a, env, new, eqs);
                let b = self.pat(b, env, new, eqs);
                self.merge_pats(a, b, eqs)
            }
            A::Binary2(BinOp::Append, prefix, rest) => {
                // "abc" ++ Rest, or [$a, $b] ++ Rest: a prefix of known chars.
                let Some(items) = literal_list(prefix) else {
                    self.err(span, "illegal pattern");
                    return Pat::Wild;
                };
                let rest = self.pat(rest, env, new, eqs);
                items
                    .into_iter()
                    .rev()
                    .fold(rest, |acc, l| Pat::Cons(Box::new(Pat::Lit(l)), Box::new(acc)))
            }
            A::Unary(..) | A::Binary2(..) => match const_number(p) {
                Some(l) => Pat::Lit(l),
                None => {
                    self.err(span, "illegal pattern");
                    Pat::Wild
                }
            },
            A::MapNew(fields) => {
                let mut pairs = Vec::new();
                for f in fields {
                    if !f.exact {
                        self.err(f.span, "illegal pattern, did you mean to use ':='?");
                        continue;
                    }
                    let key = self.gexpr(&f.key, env);
                    let v = self.pat(&f.value, env, new, eqs);
                    pairs.push((key, v));
                }
                Pat::Map(pairs)
            }
            A::RecordNew(name, fields) => {
                let Some(size) = self.record(span, name) else {
                    return Pat::Wild;
                };
                self.check_fields(name, fields);
                let defs: Vec<Name> = self.records[name].fields.iter().map(|(n, _)| n.clone()).collect();
                let wildcard = fields.iter().find(|f| &*f.name == "_");
                let mut elems = vec![Pat::Lit(Literal::atom(name))];
                for fname in defs.iter().take(size) {
                    match fields.iter().find(|f| f.name == *fname).or(wildcard) {
                        Some(f) => elems.push(self.pat(&f.value, env, new, eqs)),
                        None => elems.push(Pat::Wild),
                    }
                }
                Pat::Tuple(elems)
            }
            A::RecordIndex(name, field) => match self.record_index(span, name, field) {
                Some(i) => Pat::Lit(Literal::int(i as i64 + 1)),
                None => Pat::Wild,
            },
            A::Binary(elems) => {
                let mut segs = Vec::new();
                for (i, el) in elems.iter().enumerate() {
                    let (ty, unit, flags) = self.bin_type(el, true);
                    if ty == BinType::Binary && el.size.is_none() && i + 1 < elems.len() {
                        self.err(
                            el.span,
                            "a binary field without size is only allowed at the end of a binary pattern"
                                .to_string(),
                        );
                    }
                    let size = el.size.as_ref().map(|s| self.gexpr_in_pattern(s, env, new));
                    // A string literal segment matches its characters.
                    if let A::String(s) = &el.value.kind {
                        for c in s.chars() {
                            segs.push(PatSeg {
                                pat: Pat::Lit(Literal::int(c as i64)),
                                size: size.clone(),
                                ty,
                                unit,
                                flags,
                            });
                        }
                        continue;
                    }
                    let pat = self.pat(&el.value, env, new, eqs);
                    segs.push(PatSeg {
                        pat,
                        size,
                        ty,
                        unit,
                        flags,
                    });
                }
                Pat::Binary(segs)
            }
            _ => {
                self.err(span, "illegal pattern");
                Pat::Wild
            }
        }
    }

    /// A size in a binary pattern may use variables bound earlier in the
    /// same pattern.
    fn gexpr_in_pattern(&mut self, e: &ast::Expr, env: &Env, new: &BTreeMap<Name, (VarId, Span)>) -> GExpr {
        let mut scope = env.clone();
        for (n, (v, _)) in new {
            scope.insert(n.clone(), VarState::Bound(*v));
        }
        self.gexpr(e, &scope)
    }

    fn merge_pats(&mut self, a: Pat, b: Pat, eqs: &mut Vec<GExpr>) -> Pat {
        match (a, b) {
            (Pat::Wild, p) | (p, Pat::Wild) => p,
            (Pat::Var(v), p) | (p, Pat::Var(v)) => Pat::Alias(v, Box::new(p)),
            (Pat::Alias(v, p), q) | (q, Pat::Alias(v, p)) => {
                Pat::Alias(v, Box::new(self.merge_pats(*p, q, eqs)))
            }
            (Pat::Tuple(xs), Pat::Tuple(ys)) if xs.len() == ys.len() => Pat::Tuple(
                xs.into_iter()
                    .zip(ys)
                    .map(|(x, y)| self.merge_pats(x, y, eqs))
                    .collect(),
            ),
            (Pat::Cons(h1, t1), Pat::Cons(h2, t2)) => Pat::Cons(
                Box::new(self.merge_pats(*h1, *h2, eqs)),
                Box::new(self.merge_pats(*t1, *t2, eqs)),
            ),
            (Pat::Lit(x), Pat::Lit(y)) if x == y => Pat::Lit(x),
            (Pat::Lit(x), p) | (p, Pat::Lit(x))
                if matches!(p, Pat::Cons(..)) && matches!(x, Literal::Cons(..)) =>
            {
                let lp = literal_pat(&x);
                self.merge_pats(lp, p, eqs)
            }
            (a, _) => {
                // The two patterns can never match the same term.
                eqs.push(GExpr::Lit(Literal::atom("false")));
                a
            }
        }
    }

    // ------------------------------------------------------------ guards

    fn guard_seq(&mut self, guards: &[Vec<ast::Expr>], env: &Env, eqs: Vec<GExpr>) -> Guard {
        if guards.is_empty() {
            return if eqs.is_empty() { vec![] } else { vec![eqs] };
        }
        guards
            .iter()
            .map(|conj| {
                let mut tests = eqs.clone();
                tests.extend(conj.iter().map(|g| self.gexpr(g, env)));
                tests
            })
            .collect()
    }

    fn gexpr(&mut self, e: &ast::Expr, env: &Env) -> GExpr {
        let span = e.span;
        match &e.kind {
            A::Var(n) => match self.lookup(env, n, span) {
                Some(v) => GExpr::Var(v),
                None => GExpr::Lit(Literal::atom("undefined")),
            },
            A::Atom(a) => GExpr::Lit(Literal::atom(a)),
            A::Integer(i) => GExpr::Lit(lit_of_int(i)),
            A::Float(f) => GExpr::Lit(Literal::Float(*f)),
            A::Char(c) => GExpr::Lit(Literal::int(*c as i64)),
            A::String(s) => GExpr::Lit(Literal::string(s)),
            A::Nil => GExpr::Lit(Literal::Nil),
            A::Cons(h, t) => GExpr::Cons(Box::new(self.gexpr(h, env)), Box::new(self.gexpr(t, env))),
            A::Tuple(es) => GExpr::Tuple(es.iter().map(|x| self.gexpr(x, env)).collect()),
            A::Unary(op, x) => {
                if let Some(l) = const_number(e) {
                    return GExpr::Lit(l);
                }
                GExpr::Bif(op.name().into(), vec![self.gexpr(x, env)])
            }
            A::Binary2(BinOp::Andalso, a, b) => {
                GExpr::Andalso(Box::new(self.gexpr(a, env)), Box::new(self.gexpr(b, env)))
            }
            A::Binary2(BinOp::Orelse, a, b) => {
                GExpr::Orelse(Box::new(self.gexpr(a, env)), Box::new(self.gexpr(b, env)))
            }
            A::Binary2(op, a, b) => {
                if let Some(l) = folded_number(e) {
                    return GExpr::Lit(l);
                }
                GExpr::Bif(op.name().into(), vec![self.gexpr(a, env), self.gexpr(b, env)])
            }
            A::Call(f, args) => {
                let n = args.len() as u32;
                let name = match &f.kind {
                    A::Atom(name) => Some(name.to_string()),
                    A::Remote(m, name) => match (&m.kind, &name.kind) {
                        (A::Atom(m), A::Atom(name)) if &**m == "erlang" => Some(name.to_string()),
                        _ => None,
                    },
                    _ => None,
                };
                match name {
                    Some(name) if (name == "is_record") && (n == 2 || n == 3) => {
                        let x = self.gexpr(&args[0], env);
                        let A::Atom(rname) = &args[1].kind else {
                            self.err(span, "illegal guard expression");
                            return GExpr::Lit(Literal::atom("false"));
                        };
                        if n == 3 {
                            // is_record/3 names its size explicitly.
                            let size = self.gexpr(&args[2], env);
                            return GExpr::Bif(
                                "is_record".into(),
                                vec![x, GExpr::Lit(Literal::atom(rname)), size],
                            );
                        }
                        let size = match self.records.get(rname) {
                            Some(r) => r.fields.len() + 1,
                            None => {
                                self.err(args[1].span, format!("record {rname} undefined"));
                                0
                            }
                        };
                        GExpr::Bif(
                            "is_record".into(),
                            vec![
                                x,
                                GExpr::Lit(Literal::atom(rname)),
                                GExpr::Lit(Literal::int(size as i64)),
                            ],
                        )
                    }
                    Some(name) if bifs::is_guard_bif(&name, n) || is_guard_operator(&name, n) => {
                        GExpr::Bif(name, args.iter().map(|a| self.gexpr(a, env)).collect())
                    }
                    _ => {
                        self.err(span, "illegal guard expression");
                        GExpr::Lit(Literal::atom("false"))
                    }
                }
            }
            A::RecordField(r, name, field) => {
                let Some(index) = self.record_index(span, name, field) else {
                    return GExpr::Lit(Literal::atom("undefined"));
                };
                let size = self.records[name].fields.len() as u32 + 1;
                GExpr::RecordField {
                    rec: Box::new(self.gexpr(r, env)),
                    name: name.to_string(),
                    size,
                    index: index as u32,
                }
            }
            A::RecordIndex(name, field) => match self.record_index(span, name, field) {
                Some(i) => GExpr::Lit(Literal::int(i as i64 + 1)),
                None => GExpr::Lit(Literal::atom("undefined")),
            },
            A::RecordNew(name, fields) => {
                if self.record(span, name).is_none() {
                    return GExpr::Lit(Literal::atom("undefined"));
                }
                let defs: Vec<(Name, Option<ast::Expr>)> = self.records[name].fields.clone();
                let mut elems = vec![GExpr::Lit(Literal::atom(name))];
                for (fname, default) in &defs {
                    let v = match (fields.iter().find(|f| f.name == *fname), default) {
                        (Some(f), _) => self.gexpr(&f.value, env),
                        (None, Some(d)) => self.gexpr(d, &Env::new()),
                        (None, None) => GExpr::Lit(Literal::atom("undefined")),
                    };
                    elems.push(v);
                }
                GExpr::Tuple(elems)
            }
            A::MapNew(fields) => GExpr::MapNew(
                fields
                    .iter()
                    .map(|f| (self.gexpr(&f.key, env), self.gexpr(&f.value, env)))
                    .collect(),
            ),
            A::MapUpdate(m, fields) => GExpr::MapUpdate(
                Box::new(self.gexpr(m, env)),
                fields
                    .iter()
                    .map(|f| (self.gexpr(&f.key, env), self.gexpr(&f.value, env), f.exact))
                    .collect(),
            ),
            A::Binary(elems) => {
                if let Some(l) = literal_binary(elems) {
                    return GExpr::Lit(l);
                }
                let mut segs = Vec::new();
                for el in elems {
                    let (ty, unit, flags) = self.bin_type(el, false);
                    let size = el.size.as_ref().map(|s| self.gexpr(s, env));
                    if let A::String(text) = &el.value.kind {
                        for c in text.chars() {
                            segs.push(GBinSeg {
                                value: GExpr::Lit(Literal::int(c as i64)),
                                size: size.clone(),
                                ty,
                                unit,
                                flags,
                            });
                        }
                        continue;
                    }
                    segs.push(GBinSeg {
                        value: self.gexpr(&el.value, env),
                        size,
                        ty,
                        unit,
                        flags,
                    });
                }
                GExpr::Binary(segs)
            }
            _ => {
                self.err(span, "illegal guard expression");
                GExpr::Lit(Literal::atom("false"))
            }
        }
    }
}

#[derive(Clone, Copy)]
enum CaseFail {
    CaseClause,
    IfClause,
    TryClause,
    #[allow(dead_code)]
    Badmatch,
    ElseClause,
    #[allow(dead_code)]
    Value,
    FunctionClause,
}

/// Names bound in every branch (exported) and in some but not all (unsafe).
fn exported_vars(before: &Env, branches: &[Env]) -> (Vec<Name>, Vec<Name>) {
    let mut all: BTreeMap<Name, usize> = BTreeMap::new();
    for b in branches {
        for (k, v) in b {
            if before.contains_key(k) {
                continue;
            }
            if matches!(v, VarState::Bound(_)) {
                *all.entry(k.clone()).or_default() += 1;
            } else {
                all.entry(k.clone()).or_default();
            }
        }
    }
    let mut exported = Vec::new();
    let mut unsafe_ = Vec::new();
    for (k, n) in all {
        if n == branches.len() && n > 0 {
            exported.push(k);
        } else {
            unsafe_.push(k);
        }
    }
    (exported, unsafe_)
}

fn raise_error(span: Span, elems: Vec<Expr>) -> Expr {
    Expr::new(span, ExprKind::Raise("error", Box::new(Expr::tuple(span, elems))))
}

fn export_fun(m: &str, f: &str, a: u32) -> Literal {
    // An external fun literal: the VM builds `fun M:F/A` from this shape.
    Literal::Tuple(vec![
        Literal::atom("$export_fun"),
        Literal::atom(m),
        Literal::atom(f),
        Literal::int(a as i64),
    ])
}

fn as_literal(e: &Expr) -> Option<&Literal> {
    match &e.kind {
        ExprKind::Lit(l) if !is_export_fun(l) => Some(l),
        _ => None,
    }
}

pub fn is_export_fun(l: &Literal) -> bool {
    matches!(l, Literal::Tuple(es) if es.len() == 4 && es[0] == Literal::atom("$export_fun"))
}

fn fold_cons(span: Span, h: Expr, t: Expr) -> Expr {
    match (as_literal(&h), as_literal(&t)) {
        (Some(hl), Some(tl)) => Expr::lit(span, Literal::Cons(Box::new(hl.clone()), Box::new(tl.clone()))),
        _ => Expr::new(span, ExprKind::Cons(Box::new(h), Box::new(t))),
    }
}

fn fold_tuple(span: Span, es: Vec<Expr>) -> Expr {
    if es.iter().all(|e| as_literal(e).is_some()) {
        let ls = es
            .iter()
            .map(|e| as_literal(e).expect("checked").clone())
            .collect();
        return Expr::lit(span, Literal::Tuple(ls));
    }
    Expr::tuple(span, es)
}

/// A pattern made of a literal (so it can merge with a structured one).
fn literal_pat(l: &Literal) -> Pat {
    match l {
        Literal::Cons(h, t) => Pat::Cons(Box::new(literal_pat(h)), Box::new(literal_pat(t))),
        Literal::Tuple(es) => Pat::Tuple(es.iter().map(literal_pat).collect()),
        other => Pat::Lit(other.clone()),
    }
}

/// Arithmetic on constants that cannot fail, computed at compile time as
/// OTP does (`2 * ?KEYS`, `?LIMIT div 2`). A failing one (`1 div 0`, a
/// float overflow) stays a call, to fail at run time as on OTP.
fn folded_number(e: &ast::Expr) -> Option<Literal> {
    match const_number(e)? {
        Literal::Float(f) if !f.is_finite() => None,
        l => Some(l),
    }
}

/// Numbers written with constant arithmetic (allowed in patterns).
fn const_number(e: &ast::Expr) -> Option<Literal> {
    use num_bigint::BigInt;
    fn eval(e: &ast::Expr) -> Option<Result<BigInt, f64>> {
        Some(match &e.kind {
            A::Integer(i) => Ok(i.to_big()),
            A::Char(c) => Ok(BigInt::from(*c as u32)),
            A::Float(f) => Err(*f),
            A::Unary(UnOp::Minus, x) => match eval(x)? {
                Ok(i) => Ok(-i),
                Err(f) => Err(-f),
            },
            A::Unary(UnOp::Plus, x) => eval(x)?,
            A::Unary(UnOp::Bnot, x) => Ok(-eval(x)?.ok()? - 1),
            A::Binary2(op, a, b) => {
                let (a, b) = (eval(a)?, eval(b)?);
                match (a, b) {
                    (Ok(a), Ok(b)) => Ok(match op {
                        BinOp::Add => a + b,
                        BinOp::Sub => a - b,
                        BinOp::Mul => a * b,
                        BinOp::IntDiv if b != BigInt::from(0) => a / b,
                        BinOp::Rem if b != BigInt::from(0) => a % b,
                        BinOp::Band => a & b,
                        BinOp::Bor => a | b,
                        BinOp::Bxor => a ^ b,
                        BinOp::Bsl => a << usize::try_from(b).ok().filter(|s| *s < 4096)?,
                        BinOp::Bsr => a >> usize::try_from(b).ok()?,
                        _ => return None,
                    }),
                    (a, b) => {
                        let f = |x: Result<BigInt, f64>| match x {
                            Ok(i) => i.to_string().parse::<f64>().ok(),
                            Err(f) => Some(f),
                        };
                        let (a, b) = (f(a)?, f(b)?);
                        Err(match op {
                            BinOp::Add => a + b,
                            BinOp::Sub => a - b,
                            BinOp::Mul => a * b,
                            BinOp::Div if b != 0.0 => a / b,
                            _ => return None,
                        })
                    }
                }
            }
            _ => return None,
        })
    }
    match eval(e)? {
        Ok(i) => Some(Literal::Integer(IntLit::from_big(i))),
        Err(f) => Some(Literal::Float(f)),
    }
}

/// `"abc"` or `[$a, $b]` as a list of literals (the prefix of `++` patterns).
fn literal_list(e: &ast::Expr) -> Option<Vec<Literal>> {
    match &e.kind {
        A::String(s) => Some(s.chars().map(|c| Literal::int(c as i64)).collect()),
        A::Nil => Some(vec![]),
        A::Cons(h, t) => {
            let head = match &h.kind {
                A::Integer(i) => lit_of_int(i),
                A::Char(c) => Literal::int(*c as i64),
                A::Atom(a) => Literal::atom(a),
                A::Float(f) => Literal::Float(*f),
                _ => return None,
            };
            let mut rest = literal_list(t)?;
            rest.insert(0, head);
            Some(rest)
        }
        _ => None,
    }
}

fn literal_binary(elems: &[ast::BinElement]) -> Option<Literal> {
    let mut bytes = Vec::new();
    for el in elems {
        let plain = el.types.as_ref().map(|t| t.is_empty()).unwrap_or(true) && el.size.is_none();
        if !plain {
            return None;
        }
        match &el.value.kind {
            A::String(s) => {
                for c in s.chars() {
                    bytes.push(c as u32 as u8);
                }
            }
            A::Integer(IntLit::Small(i)) => bytes.push(*i as u8),
            A::Char(c) => bytes.push(*c as u32 as u8),
            _ => return None,
        }
    }
    Some(Literal::Binary(bytes))
}

fn is_guard_operator(name: &str, n: u32) -> bool {
    matches!(
        (name, n),
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

/// Is this comprehension filter a guard test (so it may be compiled as a
/// guard, where exceptions mean false)? OTP treats a filter as a guard when
/// it is a guard expression.
fn is_guard_test(e: &ast::Expr) -> bool {
    fn guard_expr(e: &ast::Expr) -> bool {
        match &e.kind {
            A::Var(_) | A::Atom(_) | A::Integer(_) | A::Float(_) | A::Char(_) | A::String(_) | A::Nil => true,
            A::Cons(h, t) => guard_expr(h) && guard_expr(t),
            A::Tuple(es) => es.iter().all(guard_expr),
            A::Unary(_, x) => guard_expr(x),
            A::Binary2(op, a, b) => {
                !matches!(op, BinOp::Append | BinOp::Subtract) && guard_expr(a) && guard_expr(b)
            }
            A::Call(f, args) => {
                let n = args.len() as u32;
                let ok = match &f.kind {
                    A::Atom(name) => bifs::is_guard_bif(name, n),
                    A::Remote(m, name) => {
                        matches!((&m.kind, &name.kind), (A::Atom(m), A::Atom(name)) if &**m == "erlang" && bifs::is_guard_bif(name, n))
                    }
                    _ => false,
                };
                ok && args.iter().all(guard_expr)
            }
            A::RecordField(r, _, _) => guard_expr(r),
            A::RecordIndex(..) => true,
            _ => false,
        }
    }
    // Only tests (comparisons, type tests, boolean operators) count.
    match &e.kind {
        A::Binary2(op, _, _) => {
            matches!(
                op,
                BinOp::Eq
                    | BinOp::Ne
                    | BinOp::Le
                    | BinOp::Lt
                    | BinOp::Ge
                    | BinOp::Gt
                    | BinOp::ExactEq
                    | BinOp::ExactNe
                    | BinOp::Andalso
                    | BinOp::Orelse
                    | BinOp::And
                    | BinOp::Or
                    | BinOp::Xor
            ) && guard_expr(e)
        }
        A::Unary(UnOp::Not, _) => guard_expr(e),
        A::Call(f, args) => {
            let n = args.len() as u32;
            let is_test = match &f.kind {
                A::Atom(name) => bifs::is_type_test(name, n) || (&**name == "is_record"),
                A::Remote(m, name) => {
                    matches!((&m.kind, &name.kind), (A::Atom(m), A::Atom(name)) if &**m == "erlang" && bifs::is_type_test(name, n))
                }
                _ => false,
            };
            is_test && args.iter().all(guard_expr)
        }
        A::Atom(a) => &**a == "true" || &**a == "false",
        _ => false,
    }
}

/// Every variable name in a pattern, with its position.
fn pattern_vars(p: &ast::Expr, out: &mut Vec<(Name, Span)>) {
    match &p.kind {
        A::Var(n) if &**n != "_" => out.push((n.clone(), p.span)),
        A::Cons(h, t) => {
            pattern_vars(h, out);
            pattern_vars(t, out);
        }
        A::Tuple(es) => es.iter().for_each(|e| pattern_vars(e, out)),
        A::Match(a, b) | A::Binary2(_, a, b) => {
            pattern_vars(a, out);
            pattern_vars(b, out);
        }
        A::MapNew(fs) => fs.iter().for_each(|f| pattern_vars(&f.value, out)),
        A::RecordNew(_, fs) => fs.iter().for_each(|f| pattern_vars(&f.value, out)),
        A::Binary(els) => els.iter().for_each(|el| pattern_vars(&el.value, out)),
        _ => {}
    }
}

/// Where OTP places an attribute: at its name, after the `-`.
fn attr_span(sources: &SourceMap, span: Span) -> Span {
    let text = &sources.get(span.file).text;
    let rest = text.get(span.lo as usize + 1..span.hi as usize).unwrap_or("");
    let skipped = rest.len() - rest.trim_start().len();
    Span {
        lo: span.lo + 1 + skipped as u32,
        ..span
    }
}

/// The last token of `span` when it is an atom: the field of `R#r.f` and
/// `#r.f`, where OTP reports an unknown field.
fn last_atom_span(sources: &SourceMap, span: Span) -> Span {
    let text = &sources.get(span.file).text;
    let Some(s) = text.get(span.lo as usize..span.hi as usize) else {
        return span;
    };
    let s = s.trim_end();
    let start = if let Some(body) = s.strip_suffix('\'') {
        // A quoted atom: back to its opening quote (not an escaped one).
        let bytes = body.as_bytes();
        let mut i = bytes.len();
        loop {
            match body[..i].rfind('\'') {
                Some(q) if q > 0 && bytes[q - 1] == b'\\' => i = q,
                Some(q) => break q,
                None => return span,
            }
        }
    } else {
        s.char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '@')
            .last()
            .map(|(i, _)| i)
            .unwrap_or(0)
    };
    Span {
        lo: span.lo + start as u32,
        hi: span.lo + s.len() as u32,
        ..span
    }
}

/// Lower a parsed module to Core. Errors and warnings go to the returned
/// diagnostics; the module is only usable when there are no errors.
pub fn lower_module(
    sources: &SourceMap,
    forms: &[ast::Form],
    file: &str,
) -> (Option<Module>, Vec<Diagnostic>) {
    let mut module = None;
    let mut records = HashMap::new();
    let mut imports = HashMap::new();
    let mut exports = Vec::new();
    let mut functions: Vec<&ast::Function> = Vec::new();
    let mut callbacks: Vec<(Span, Name, u32)> = Vec::new();
    let mut attributes = Vec::new();
    let mut no_auto_import = HashSet::new();
    let mut compile_flags = HashSet::new();
    let mut on_load = None;
    let mut export_all_at = None;
    let mut diags = Vec::new();
    for f in forms {
        match f {
            ast::Form::Module(_, m) => module = Some(m.to_string()),
            ast::Form::Export(_, fs) => {
                let at = attr_span(sources, f.span());
                exports.extend(fs.iter().map(|(n, a)| (n.to_string(), *a, at)))
            }
            ast::Form::Import(_, m, fs) => {
                for (n, a) in fs {
                    imports.insert((n.to_string(), *a), m.to_string());
                }
            }
            ast::Form::Record(span, name, fields) => {
                if records.contains_key(name) {
                    // As erl_lint: reported, and the first definition stays.
                    diags.push(Diagnostic::error(
                        DiagKind::Semantic,
                        attr_span(sources, *span),
                        format!("record {name} already defined"),
                    ));
                    continue;
                }
                let mut seen = HashSet::new();
                for f in fields {
                    if !seen.insert(f.name.clone()) {
                        diags.push(Diagnostic::error(
                            DiagKind::Semantic,
                            f.span,
                            format!("field {} already defined in record {name}", f.name),
                        ));
                    }
                }
                records.insert(
                    name.clone(),
                    RecordDef {
                        fields: fields
                            .iter()
                            .map(|f| (f.name.clone(), f.default.clone()))
                            .collect(),
                    },
                );
            }
            ast::Form::Function(fun) => functions.push(fun),
            ast::Form::Attribute(_, name, value) => {
                if &**name == "compile" {
                    collect_no_auto_import(value, &mut no_auto_import);
                    collect_compile_flags(value, &mut compile_flags);
                    if compile_flags.contains("export_all") && export_all_at.is_none() {
                        export_all_at = Some(attr_span(sources, f.span()));
                    }
                }
                if &**name == "on_load" {
                    if let A::Tuple(fa) = &value.kind {
                        if let [ast::Expr { kind: A::Atom(f), .. }, ast::Expr {
                            kind: A::Integer(IntLit::Small(a)),
                            ..
                        }] = fa.as_slice()
                        {
                            on_load = Some((f.to_string(), *a as u32));
                        }
                    }
                }
                if !matches!(&**name, "compile" | "file" | "mode") {
                    attributes.push((name.to_string(), crate::kernel::literal_of_ast(value)));
                }
            }
            ast::Form::Spec {
                callback: true,
                span,
                name,
                arity,
                ..
            } => callbacks.push((*span, name.clone(), *arity)),
            ast::Form::TypeDecl { .. } | ast::Form::Spec { .. } | ast::Form::File(..) => {}
        }
    }
    // A module that declares callbacks gets behaviour_info/1, as OTP's
    // compiler generates it.
    let behaviour_info = behaviour_info_fun(forms, &callbacks);
    if let Some(f) = &behaviour_info {
        functions.push(f);
        exports.push(("behaviour_info".to_string(), 1, f.span));
    }
    let Some(module_name) = module else {
        let span = forms.first().map(|f| f.span()).unwrap_or_default();
        diags.push(Diagnostic::error(
            DiagKind::Semantic,
            span,
            "no module definition",
        ));
        return (None, diags);
    };
    let mut locals = HashSet::new();
    for f in &functions {
        if !locals.insert((f.name.to_string(), f.arity)) {
            diags.push(Diagnostic::error(
                DiagKind::Semantic,
                f.span,
                format!("function {}/{} already defined", f.name, f.arity),
            ));
        }
    }
    locals.insert(("module_info".to_string(), 0));
    locals.insert(("module_info".to_string(), 1));
    for (n, a, span) in &exports {
        if !locals.contains(&(n.clone(), *a)) {
            diags.push(Diagnostic::error(
                DiagKind::Semantic,
                *span,
                format!("function {n}/{a} undefined"),
            ));
        }
    }
    let mut lw = Lowerer {
        sources,
        module: module_name.clone(),
        records,
        imports,
        locals,
        no_auto_import,
        aliases: HashMap::new(),
        refs: HashMap::new(),
        diags,
        var_names: Vec::new(),
        unused: HashMap::new(),
        cur_fun: (String::new(), 0),
        lifted_count: 0,
        lc_count: 0,
    };
    let mut out_funs = Vec::new();
    for f in &functions {
        lw.cur_fun = (f.name.to_string(), f.arity);
        lw.lifted_count = 0;
        lw.lc_count = 0;
        let params: Vec<VarId> = (0..f.arity).map(|i| lw.fresh(&format!("@a{i}"))).collect();
        let def = lw.clauses_fun(
            f.span,
            &params,
            &f.clauses,
            &Env::new(),
            false,
            f.name.to_string(),
            None,
        );
        let mut unused: Vec<(String, Span)> = lw.unused.drain().map(|(_, v)| v).collect();
        unused.sort_by_key(|(_, s)| s.lo);
        for (n, s) in unused {
            lw.warn(s, format!("variable '{n}' is unused"));
        }
        out_funs.push((FunName::new(&*f.name, f.arity), def));
    }
    let export_all = compile_flags.contains("export_all");
    if let (true, Some(at)) = (export_all, export_all_at) {
        lw.warn(at, "export_all flag enabled - all functions will be exported");
    }
    // Functions not reachable from the exports (or on_load) are unused.
    if !export_all && !compile_flags.contains("nowarn_unused_function") {
        let mut reached: HashSet<(String, u32)> = exports.iter().map(|(n, a, _)| (n.clone(), *a)).collect();
        reached.extend(on_load.clone());
        let mut todo: Vec<(String, u32)> = reached.iter().cloned().collect();
        while let Some(f) = todo.pop() {
            for g in lw.refs.get(&f).into_iter().flatten() {
                if reached.insert(g.clone()) {
                    todo.push(g.clone());
                }
            }
        }
        let mut seen = HashSet::new();
        for f in &functions {
            let key = (f.name.to_string(), f.arity);
            if !reached.contains(&key) && seen.insert(key) {
                lw.warn(f.span, format!("function {}/{} is unused", f.name, f.arity));
            }
        }
    }
    // module_info/0,1, as every OTP module has.
    for arity in [0u32, 1] {
        let span = forms.last().map(|f| f.span()).unwrap_or_default();
        let params: Vec<VarId> = (0..arity).map(|i| lw.fresh(&format!("@a{i}"))).collect();
        let mut args = vec![Expr::atom(span, &module_name)];
        args.extend(params.iter().map(|p| Expr::var(span, *p)));
        out_funs.push((
            FunName::new("module_info", arity),
            FunDef {
                span,
                params,
                body: Expr::erlang(span, "get_module_info", args),
                self_var: None,
                name: "module_info".into(),
            },
        ));
    }
    let _ = &lw.module;
    let mut exports_out: Vec<FunName> = exports.into_iter().map(|(n, a, _)| FunName::new(n, a)).collect();
    if export_all {
        exports_out.extend(functions.iter().map(|f| FunName::new(&*f.name, f.arity)));
    }
    exports_out.push(FunName::new("module_info", 0));
    exports_out.push(FunName::new("module_info", 1));
    exports_out.sort();
    exports_out.dedup();
    let mut diags = std::mem::take(&mut lw.diags);
    // Warnings the module's compile options turn off.
    let off = |flag: &str| compile_flags.contains(flag);
    diags.retain(|d| {
        d.is_error()
            || !((off("nowarn_shadow_vars") && d.message.contains("' shadowed in "))
                || (off("nowarn_unused_vars")
                    && d.message.starts_with("variable '")
                    && d.message.ends_with("is unused"))
                || (off("nowarn_export_all") && d.message.starts_with("export_all flag")))
    });
    let has_errors = diags.iter().any(|d| d.is_error());
    let m = Module {
        name: module_name,
        file: file.to_string(),
        exports: exports_out,
        functions: out_funs,
        attributes,
        var_names: lw.var_names,
    };
    (if has_errors { None } else { Some(m) }, diags)
}

/// The atom options of `-compile(...)` (`export_all`, `nowarn_...`).
fn collect_compile_flags(value: &ast::Expr, out: &mut HashSet<String>) {
    match &value.kind {
        A::Atom(a) => {
            out.insert(a.to_string());
        }
        A::Cons(h, t) => {
            collect_compile_flags(h, out);
            collect_compile_flags(t, out);
        }
        _ => {}
    }
}

fn collect_no_auto_import(value: &ast::Expr, out: &mut HashSet<(String, u32)>) {
    match &value.kind {
        A::Cons(h, t) => {
            collect_no_auto_import(h, out);
            collect_no_auto_import(t, out);
        }
        A::Tuple(es) if es.len() == 2 => {
            if let A::Atom(a) = &es[0].kind {
                if &**a == "no_auto_import" {
                    let mut cur = &es[1];
                    while let A::Cons(h, t) = &cur.kind {
                        if let A::Tuple(fa) = &h.kind {
                            if let (Some(A::Atom(f)), Some(A::Integer(IntLit::Small(n)))) =
                                (fa.first().map(|x| &x.kind), fa.get(1).map(|x| &x.kind))
                            {
                                out.insert((f.to_string(), *n as u32));
                            }
                        }
                        cur = t;
                    }
                }
            }
        }
        _ => {}
    }
}

/// `behaviour_info(callbacks)` and `behaviour_info(optional_callbacks)`
/// for a module with `-callback` attributes: the callbacks in the order
/// declared, and the `-optional_callbacks` list.
fn behaviour_info_fun(forms: &[ast::Form], callbacks: &[(Span, Name, u32)]) -> Option<ast::Function> {
    let (span, _, _) = callbacks.first()?;
    let span = *span;
    let e = |kind| ast::Expr { span, kind };
    let fa_list = |fas: Vec<(Name, u32)>| {
        fas.into_iter().rev().fold(e(A::Nil), |tail, (f, a)| {
            let fa = e(A::Tuple(vec![
                e(A::Atom(f)),
                e(A::Integer(IntLit::Small(a as i64))),
            ]));
            e(A::Cons(Box::new(fa), Box::new(tail)))
        })
    };
    let mut optional = Vec::new();
    for f in forms {
        if let ast::Form::Attribute(_, name, value) = f {
            if &**name == "optional_callbacks" {
                optional.extend(fa_pairs(value));
            }
        }
    }
    let clause = |tag: &str, body| ast::Clause {
        span,
        patterns: vec![e(A::Atom(tag.into()))],
        guards: Vec::new(),
        body: vec![body],
    };
    let all = callbacks.iter().map(|(_, f, a)| (f.clone(), *a)).collect();
    Some(ast::Function {
        span,
        name: "behaviour_info".into(),
        arity: 1,
        clauses: vec![
            clause("callbacks", fa_list(all)),
            clause("optional_callbacks", fa_list(optional)),
        ],
    })
}

/// The `{F, A}` (or `F/A`) elements of an attribute's list value.
fn fa_pairs(value: &ast::Expr) -> Vec<(Name, u32)> {
    let mut out = Vec::new();
    let mut cur = value;
    while let A::Cons(h, t) = &cur.kind {
        let pair = match &h.kind {
            A::Tuple(fa) => fa.first().zip(fa.get(1)),
            A::Binary2(BinOp::Div, f, a) => Some((&**f, &**a)),
            _ => None,
        };
        if let Some((
            ast::Expr { kind: A::Atom(f), .. },
            ast::Expr {
                kind: A::Integer(IntLit::Small(a)),
                ..
            },
        )) = pair
        {
            out.push((f.clone(), *a as u32));
        }
        cur = t;
    }
    out
}
