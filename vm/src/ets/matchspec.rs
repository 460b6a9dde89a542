//! Match specifications: `[{Head, Guards, Body}]` compiled once per
//! operation into patterns and expression trees, then run on each object.
//!
//! Variables bound by the head point into the stored object (valid while
//! the table lock is held). Values built by guards and bodies live in the
//! caller's heap; anything of the object that a result keeps is copied
//! there first, so no term outside the table ever points into it.

use crate::atom;
use crate::bif::{BifFn, Ctx};
use crate::ets::Obj;
use crate::order::exact_equal;
use crate::term::Term;

enum Pat {
    Any,
    Bind(usize),
    Check(usize),
    Const(Term),
    Tuple(Vec<Pat>),
    Cons(Box<Pat>, Box<Pat>),
    Map(Vec<(Term, Pat)>),
}

enum Expr {
    Const(Term),
    Var(usize),
    All,
    Object,
    Tuple(Vec<Expr>),
    List(Vec<Expr>, Box<Expr>),
    Call(BifFn, Vec<Expr>),
    AndAlso(Vec<Expr>),
    OrElse(Vec<Expr>),
    SelfPid,
}

struct Clause {
    head: Pat,
    /// Variable numbers, ascending; a variable's slot is its index here.
    vars: Vec<u32>,
    guards: Vec<Expr>,
    body: Vec<Expr>,
}

pub struct MatchSpec {
    clauses: Vec<Clause>,
}

/// A malformed match specification (ETS raises badarg).
#[derive(Debug, PartialEq, Eq)]
pub struct BadSpec;

type R<T> = Result<T, BadSpec>;

/// `'$N'` → N.
fn var_number(t: Term) -> Option<u32> {
    if !t.is_atom() {
        return None;
    }
    let s = atom::name(t).strip_prefix('$')?;
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

fn collect_vars(t: Term, out: &mut Vec<u32>) {
    if let Some(n) = var_number(t) {
        out.push(n);
    } else if let Some(es) = t.as_tuple() {
        for e in es {
            collect_vars(*e, out);
        }
    } else if t.is_cons() {
        let (h, tl) = t.cons_parts();
        collect_vars(h, out);
        collect_vars(tl, out);
    } else if t.is_map() {
        for (_, v) in crate::map::to_vec(t) {
            collect_vars(v, out);
        }
    }
}

fn compile_pat(t: Term, vars: &[u32], seen: &mut [bool]) -> Pat {
    if t == atom::atom("_") {
        return Pat::Any;
    }
    if let Some(n) = var_number(t) {
        let i = vars.binary_search(&n).unwrap_or(0);
        if seen[i] {
            return Pat::Check(i);
        }
        seen[i] = true;
        return Pat::Bind(i);
    }
    if let Some(es) = t.as_tuple() {
        return Pat::Tuple(es.iter().map(|e| compile_pat(*e, vars, seen)).collect());
    }
    if t.is_cons() {
        let (h, tl) = t.cons_parts();
        let h = compile_pat(h, vars, seen);
        return Pat::Cons(Box::new(h), Box::new(compile_pat(tl, vars, seen)));
    }
    if t.is_map() {
        return Pat::Map(
            crate::map::to_vec(t)
                .into_iter()
                .map(|(k, v)| (k, compile_pat(v, vars, seen)))
                .collect(),
        );
    }
    Pat::Const(t)
}

/// The guard and body functions a match specification may call.
fn function(name: &str, arity: usize) -> Option<BifFn> {
    const ALLOWED: &[(&str, usize)] = &[
        ("is_atom", 1),
        ("is_float", 1),
        ("is_integer", 1),
        ("is_list", 1),
        ("is_number", 1),
        ("is_pid", 1),
        ("is_port", 1),
        ("is_reference", 1),
        ("is_tuple", 1),
        ("is_map", 1),
        ("is_binary", 1),
        ("is_function", 1),
        ("is_record", 3),
        ("is_map_key", 2),
        ("map_get", 2),
        ("map_size", 1),
        ("abs", 1),
        ("element", 2),
        ("hd", 1),
        ("tl", 1),
        ("length", 1),
        ("node", 0),
        ("node", 1),
        ("round", 1),
        ("trunc", 1),
        ("float", 1),
        ("size", 1),
        ("byte_size", 1),
        ("bit_size", 1),
        ("binary_part", 3),
        ("+", 1),
        ("-", 1),
        ("+", 2),
        ("-", 2),
        ("*", 2),
        ("/", 2),
        ("div", 2),
        ("rem", 2),
        ("band", 2),
        ("bor", 2),
        ("bxor", 2),
        ("bnot", 1),
        ("bsl", 2),
        ("bsr", 2),
        (">", 2),
        (">=", 2),
        ("<", 2),
        ("=<", 2),
        ("=:=", 2),
        ("==", 2),
        ("=/=", 2),
        ("/=", 2),
        ("not", 1),
        ("and", 2),
        ("or", 2),
        ("xor", 2),
    ];
    if !ALLOWED.contains(&(name, arity)) {
        return None;
    }
    crate::bif::lookup(name, arity as u32)
}

fn compile_expr(t: Term, vars: &[u32]) -> R<Expr> {
    if t.is_atom() {
        let name = atom::name(t);
        return Ok(match name {
            "$_" => Expr::Object,
            "$$" => Expr::All,
            _ => match var_number(t) {
                Some(n) => Expr::Var(vars.binary_search(&n).map_err(|_| BadSpec)?),
                None => Expr::Const(t),
            },
        });
    }
    if let Some(es) = t.as_tuple() {
        match es {
            [] => return Err(BadSpec),
            [inner] if inner.is_tuple() => {
                let items = inner.tuple_elems();
                return Ok(Expr::Tuple(
                    items.iter().map(|e| compile_expr(*e, vars)).collect::<R<_>>()?,
                ));
            }
            [f, rest @ ..] if f.is_atom() => {
                let name = atom::name(*f);
                match (name, rest) {
                    ("const", [x]) => return Ok(Expr::Const(*x)),
                    ("self", []) => return Ok(Expr::SelfPid),
                    ("andalso" | "orelse", _) => {
                        let args = rest
                            .iter()
                            .map(|e| compile_expr(*e, vars))
                            .collect::<R<Vec<_>>>()?;
                        return Ok(if name == "andalso" {
                            Expr::AndAlso(args)
                        } else {
                            Expr::OrElse(args)
                        });
                    }
                    _ => {
                        let f = function(name, rest.len()).ok_or(BadSpec)?;
                        let args = rest
                            .iter()
                            .map(|e| compile_expr(*e, vars))
                            .collect::<R<Vec<_>>>()?;
                        return Ok(Expr::Call(f, args));
                    }
                }
            }
            _ => return Err(BadSpec),
        }
    }
    if t.is_cons() {
        let mut items = Vec::new();
        let mut cur = t;
        while cur.is_cons() {
            let (h, tl) = cur.cons_parts();
            items.push(compile_expr(h, vars)?);
            cur = tl;
        }
        let tail = compile_expr(cur, vars)?;
        return Ok(Expr::List(items, Box::new(tail)));
    }
    Ok(Expr::Const(t))
}

impl MatchSpec {
    /// Compile `[{Head, Guards, Body}]`; Err for anything malformed.
    pub fn compile(ms: Term) -> R<MatchSpec> {
        let list = ms.list_to_vec().ok_or(BadSpec)?;
        let mut clauses = Vec::with_capacity(list.len());
        for c in list {
            let [head, guards, body] = c.as_tuple().ok_or(BadSpec)? else {
                return Err(BadSpec);
            };
            let (head, guards, body) = (*head, *guards, *body);
            let mut vars = Vec::new();
            collect_vars(head, &mut vars);
            vars.sort_unstable();
            vars.dedup();
            let mut seen = vec![false; vars.len()];
            let pat = compile_pat(head, &vars, &mut seen);
            let guards = guards.list_to_vec().ok_or(BadSpec)?;
            let body = body.list_to_vec().ok_or(BadSpec)?;
            if body.is_empty() {
                return Err(BadSpec);
            }
            clauses.push(Clause {
                head: pat,
                guards: guards.iter().map(|g| compile_expr(*g, &vars)).collect::<R<_>>()?,
                body: body.iter().map(|b| compile_expr(*b, &vars)).collect::<R<_>>()?,
                vars,
            });
        }
        Ok(MatchSpec { clauses })
    }

    /// `[{Pattern, [], [Body]}]` for ets:match ('$$') and match_object ('$_').
    pub fn from_pattern(pattern: Term, object: bool) -> R<MatchSpec> {
        let mut vars = Vec::new();
        collect_vars(pattern, &mut vars);
        vars.sort_unstable();
        vars.dedup();
        let mut seen = vec![false; vars.len()];
        let head = compile_pat(pattern, &vars, &mut seen);
        Ok(MatchSpec {
            clauses: vec![Clause {
                head,
                vars,
                guards: Vec::new(),
                body: vec![if object { Expr::Object } else { Expr::All }],
            }],
        })
    }

    /// Does every clause keep the key of the object at `keypos`
    /// (ets:select_replace/2)?
    pub fn keeps_key(&self, keypos: usize) -> bool {
        self.clauses.iter().all(|c| {
            let Some(last) = c.body.last() else { return false };
            let head_key = match &c.head {
                Pat::Tuple(ps) => ps.get(keypos - 1),
                _ => None,
            };
            match last {
                Expr::Object => true,
                Expr::Tuple(es) => match (es.get(keypos - 1), head_key) {
                    (Some(Expr::Var(v)), Some(Pat::Bind(b) | Pat::Check(b))) => v == b,
                    (Some(Expr::Const(k)), Some(Pat::Const(h))) => exact_equal(*k, *h),
                    _ => false,
                },
                _ => false,
            }
        })
    }

    /// The key every clause's head fixes, if any (a lookup then suffices).
    pub fn bound_key(&self, keypos: usize) -> Option<Term> {
        let mut key = None;
        for c in &self.clauses {
            let Pat::Tuple(ps) = &c.head else { return None };
            let Some(Pat::Const(k)) = ps.get(keypos - 1) else {
                return None;
            };
            if !is_ground(*k) {
                return None;
            }
            match key {
                None => key = Some(*k),
                Some(prev) if exact_equal(prev, *k) => {}
                Some(_) => return None,
            }
        }
        key
    }

    /// Run on one object: the result of the first clause whose head and
    /// guards match, in the caller's heap.
    pub fn run(&self, ctx: &mut Ctx, obj: &Obj) -> Option<Term> {
        let mut binds: Vec<Term> = Vec::new();
        for c in &self.clauses {
            binds.clear();
            binds.resize(c.vars.len(), Term::NONE);
            if !match_pat(&c.head, obj.term(), &mut binds) {
                continue;
            }
            let mut ev = Eval {
                ctx,
                obj,
                binds: &binds,
            };
            if !c.guards.iter().all(|g| ev.eval(g) == Ok(atom::TRUE)) {
                continue;
            }
            let mut result = Ok(atom::TRUE);
            for b in &c.body {
                result = ev.eval(b);
                if result.is_err() {
                    break;
                }
            }
            return Some(match result {
                Ok(t) => ev.own(t),
                Err(BadSpec) => atom::atom("EXIT"),
            });
        }
        None
    }

    /// Does the first matching clause return `true` (select_count and
    /// select_delete)? Nothing is copied out.
    pub fn run_true(&self, ctx: &mut Ctx, obj: &Obj) -> bool {
        let mut binds: Vec<Term> = Vec::new();
        for c in &self.clauses {
            binds.clear();
            binds.resize(c.vars.len(), Term::NONE);
            if !match_pat(&c.head, obj.term(), &mut binds) {
                continue;
            }
            let mut ev = Eval {
                ctx,
                obj,
                binds: &binds,
            };
            if !c.guards.iter().all(|g| ev.eval(g) == Ok(atom::TRUE)) {
                continue;
            }
            let mut result = Ok(atom::TRUE);
            for b in &c.body {
                result = ev.eval(b);
                if result.is_err() {
                    break;
                }
            }
            return result == Ok(atom::TRUE);
        }
        false
    }
}

fn is_ground(t: Term) -> bool {
    let mut vs = Vec::new();
    collect_vars(t, &mut vs);
    vs.is_empty() && !contains_wild(t)
}

fn contains_wild(t: Term) -> bool {
    if t == atom::atom("_") {
        return true;
    }
    if let Some(es) = t.as_tuple() {
        return es.iter().any(|e| contains_wild(*e));
    }
    if t.is_cons() {
        let (h, tl) = t.cons_parts();
        return contains_wild(h) || contains_wild(tl);
    }
    if t.is_map() {
        return crate::map::to_vec(t).iter().any(|(_, v)| contains_wild(*v));
    }
    false
}

fn match_pat(p: &Pat, t: Term, binds: &mut [Term]) -> bool {
    match p {
        Pat::Any => true,
        Pat::Bind(i) => {
            binds[*i] = t;
            true
        }
        Pat::Check(i) => exact_equal(binds[*i], t),
        Pat::Const(c) => exact_equal(*c, t),
        Pat::Tuple(ps) => match t.as_tuple() {
            Some(es) if es.len() == ps.len() => ps.iter().zip(es).all(|(p, e)| match_pat(p, *e, binds)),
            _ => false,
        },
        Pat::Cons(h, tl) => {
            if !t.is_cons() {
                return false;
            }
            let (a, b) = t.cons_parts();
            match_pat(h, a, binds) && match_pat(tl, b, binds)
        }
        Pat::Map(kvs) => {
            if !t.is_map() {
                return false;
            }
            kvs.iter().all(|(k, p)| match crate::map::get(t, *k) {
                Some(v) => match_pat(p, v, binds),
                None => false,
            })
        }
    }
}

struct Eval<'a, 'b, 'c> {
    ctx: &'a mut Ctx<'b>,
    obj: &'c Obj,
    binds: &'c [Term],
}

impl Eval<'_, '_, '_> {
    /// A term safe to keep outside the table: parts of the object copied.
    fn own(&mut self, t: Term) -> Term {
        if t == self.obj.term() {
            self.obj.copy_to(&mut self.ctx.proc.heap)
        } else if self.obj.contains(t) {
            crate::copy::copy(&mut self.ctx.proc.heap, t)
        } else {
            t
        }
    }

    fn eval(&mut self, e: &Expr) -> R<Term> {
        Ok(match e {
            Expr::Const(t) => *t,
            Expr::Var(i) => self.binds[*i],
            Expr::Object => self.obj.term(),
            Expr::All => {
                let vals: Vec<Term> = self.binds.to_vec();
                let owned: Vec<Term> = vals.into_iter().map(|v| self.own(v)).collect();
                self.ctx.proc.heap.list(&owned)
            }
            Expr::Tuple(es) => {
                let mut vals = Vec::with_capacity(es.len());
                for e in es {
                    let v = self.eval(e)?;
                    vals.push(self.own(v));
                }
                self.ctx.proc.heap.tuple(&vals)
            }
            Expr::List(es, tail) => {
                let mut vals = Vec::with_capacity(es.len());
                for e in es {
                    let v = self.eval(e)?;
                    vals.push(self.own(v));
                }
                let t = self.eval(tail)?;
                let t = self.own(t);
                self.ctx.proc.heap.list_with_tail(&vals, t)
            }
            Expr::Call(f, args) => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a)?);
                }
                f(self.ctx, &vals).map_err(|_| BadSpec)?
            }
            Expr::AndAlso(es) => {
                for e in es {
                    match self.eval(e)? {
                        atom::TRUE => {}
                        atom::FALSE => return Ok(atom::FALSE),
                        _ => return Err(BadSpec),
                    }
                }
                atom::TRUE
            }
            Expr::OrElse(es) => {
                for e in es {
                    match self.eval(e)? {
                        atom::FALSE => {}
                        atom::TRUE => return Ok(atom::TRUE),
                        _ => return Err(BadSpec),
                    }
                }
                atom::FALSE
            }
            Expr::SelfPid => self.ctx.proc.pid(),
        })
    }
}
