//! Kernel → bytecode, with register allocation.
//!
//! Allocation follows BEAM's discipline: a variable that is live across a
//! call (or a receive, try or catch, which also clobber `x` registers) gets
//! a `y` slot in the function's frame and lives there from its definition;
//! every other variable lives in an `x` register, the lowest one not held by
//! a live variable. Calls take their arguments in x0..x(n-1), moved there by
//! a parallel move, and return in x0.

use crate::bytecode::*;
use crate::core::{FunName, VarId};
use crate::kernel::*;
use std::collections::{BTreeSet, HashMap};

type Set = BTreeSet<VarId>;

/// The scratch register parallel moves use to break cycles.
const SCRATCH: u32 = 1023;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Loc {
    X(u32),
    Y(u32),
}

impl Loc {
    fn src(self) -> Src {
        match self {
            Loc::X(n) => Src::x(n),
            Loc::Y(n) => Src::y(n),
        }
    }
    fn dst(self) -> Dst {
        match self {
            Loc::X(n) => Dst::x(n),
            Loc::Y(n) => Dst::y(n),
        }
    }
}

/// Module-wide tables being built.
struct ModuleBuilder {
    module: Module,
    literal_index: HashMap<String, u32>,
    import_index: HashMap<(String, String, u32), u32>,
    /// Entry label of each function.
    entries: HashMap<FunName, i32>,
    /// FuncInfo label of each function.
    infos: HashMap<FunName, i32>,
    next_label: i32,
    /// Label → instruction index.
    label_pos: HashMap<i32, u32>,
}

impl ModuleBuilder {
    fn new_label(&mut self) -> i32 {
        self.next_label += 1;
        self.next_label
    }

    fn literal(&mut self, l: &Literal) -> Src {
        match l {
            Literal::Integer(crate::token::IntLit::Small(i))
                if (tag::MIN_SMALL..=tag::MAX_SMALL).contains(i) =>
            {
                return Src::small(*i)
            }
            Literal::Nil => return Src::nil(),
            _ => {}
        }
        let key = format!("{l:?}");
        if let Some(i) = self.literal_index.get(&key) {
            return Src::literal(*i);
        }
        let i = self.module.literals.len() as u32;
        self.module.literals.push(l.clone());
        self.literal_index.insert(key, i);
        Src::literal(i)
    }

    fn import(&mut self, m: &str, f: &str, a: u32) -> Ref {
        let key = (m.to_string(), f.to_string(), a);
        if let Some(i) = self.import_index.get(&key) {
            return Ref(*i as u64);
        }
        let i = self.module.imports.len() as u32;
        self.module.imports.push(key.clone());
        self.import_index.insert(key, i);
        Ref(i as u64)
    }

    fn table(&mut self, t: Table) -> Ref {
        self.module.tables.push(t);
        Ref(self.module.tables.len() as u64 - 1)
    }

    fn emit(&mut self, i: Instr) {
        self.module.code.push(i);
    }

    /// Instructions from here on come from source line `l`.
    fn line(&mut self, l: u32) {
        let at = self.module.code.len() as u32;
        match self.module.lines.last_mut() {
            Some((i, _)) if *i == at => self.module.lines.last_mut().expect("non-empty").1 = l,
            Some((_, prev)) if *prev == l => {}
            _ => self.module.lines.push((at, l)),
        }
    }

    fn place(&mut self, label: i32) {
        self.label_pos.insert(label, self.module.code.len() as u32);
    }
}

/// Where a `Break` sends its values.
#[derive(Clone)]
struct BreakTarget {
    label: i32,
    locs: Vec<Loc>,
}

/// Per-function state.
struct FnGen<'m> {
    mb: &'m mut ModuleBuilder,
    /// Variables in y slots, and their slot.
    yslot: HashMap<VarId, u32>,
    frame: u32,
    has_frame: bool,
    /// Whether this path has pushed the frame yet. Functions allocate
    /// lazily, at the first point that needs the frame, so clauses that
    /// only match and return (the base cases of recursions) never do.
    frame_ready: bool,
    loc: HashMap<VarId, Loc>,
    xregs: Vec<Option<VarId>>,
    breaks: Vec<BreakTarget>,
    info_label: i32,
    free_cache: HashMap<usize, Set>,
    /// Catch markers nest: an inner try's marker must be found first when
    /// an exception unwinds the stack, so it gets a lower y index (y0 is
    /// the top of the frame). Markers use y0..y(max_catch_depth-1); the
    /// variables follow.
    max_catch_depth: u32,
    catch_depth: u32,
    /// Inside a receive's clauses: leaves remove the message first.
    in_receive: bool,
    /// The variable the innermost receive binds its message to.
    recv_msg: Option<VarId>,
    /// Variables known to hold floats (OTP's compiler types them and then
    /// uses float instructions, whose errors carry no operator frame).
    floats: std::collections::HashSet<VarId>,
    /// Rests of binary matches passed on as match contexts (`bsm.rs`).
    ctx_tails: Set,
    /// x registers holding something that is not a variable and must not
    /// be reused meanwhile: the context of a binary match in progress
    /// (size expressions computed between its segments need temporaries).
    pinned_x: Vec<u32>,
    /// While a `Let` is generated: its variable and the x register it will
    /// be moved to next (argument `i` of the tail call or the return that
    /// ends the straight code after it). `def_loc` puts it there when that
    /// register is free, so no move is needed (`parse(Rest, Tags + Tag,
    /// ...)` computed `Tags + Tag` into a free register and then shuffled
    /// three registers before the call).
    hint: Option<(VarId, u32)>,
}

fn key<T>(r: &T) -> usize {
    r as *const T as usize
}

// ---------------------------------------------------------------- free vars

fn arg_vars(a: &Arg, s: &mut Set) {
    if let Arg::Var(v) = a {
        s.insert(*v);
    }
}

fn op_vars(op: &Op, s: &mut Set) {
    match op {
        Op::Call(c, args) => {
            match c {
                Callee::Local(_) => {}
                Callee::Remote(m, f) => {
                    arg_vars(m, s);
                    arg_vars(f, s);
                }
                Callee::Fun(f) => arg_vars(f, s),
            }
            args.iter().for_each(|a| arg_vars(a, s));
        }
        Op::Bif(_, args) | Op::Tuple(args) | Op::MakeFun(_, args) => args.iter().for_each(|a| arg_vars(a, s)),
        Op::Cons(a, b) | Op::Send(a, b) => {
            arg_vars(a, s);
            arg_vars(b, s);
        }
        Op::MapNew(ps) => ps.iter().for_each(|(k, v)| {
            arg_vars(k, s);
            arg_vars(v, s);
        }),
        Op::MapUpdate(m, ps) => {
            arg_vars(m, s);
            ps.iter().for_each(|(k, v, _)| {
                arg_vars(k, s);
                arg_vars(v, s);
            })
        }
        Op::Binary(segs) => segs.iter().for_each(|g| {
            arg_vars(&g.value, s);
            if let Some(sz) = &g.size {
                arg_vars(sz, s);
            }
        }),
        Op::Move(a) | Op::BuildStacktrace(a) => arg_vars(a, s),
    }
}

fn gexpr_vars(g: &KGExpr, s: &mut Set) {
    match g {
        KGExpr::Arg(a) => arg_vars(a, s),
        KGExpr::Cons(a, b) | KGExpr::Andalso(a, b) | KGExpr::Orelse(a, b) => {
            gexpr_vars(a, s);
            gexpr_vars(b, s);
        }
        KGExpr::Tuple(es) | KGExpr::Bif(_, es) => es.iter().for_each(|e| gexpr_vars(e, s)),
        KGExpr::RecordField { rec, .. } => gexpr_vars(rec, s),
        KGExpr::MapNew(ps) => ps.iter().for_each(|(k, v)| {
            gexpr_vars(k, s);
            gexpr_vars(v, s);
        }),
        KGExpr::MapUpdate(m, ps) => {
            gexpr_vars(m, s);
            ps.iter().for_each(|(k, v, _)| {
                gexpr_vars(k, s);
                gexpr_vars(v, s);
            })
        }
        KGExpr::Binary(segs) => segs.iter().for_each(|(v, sz, ..)| {
            gexpr_vars(v, s);
            if let Some(sz) = sz {
                gexpr_vars(sz, s);
            }
        }),
    }
}

impl<'m> FnGen<'m> {
    /// Variables an expression uses (memoised per node).
    fn free(&mut self, e: &KExpr) -> Set {
        if let Some(s) = self.free_cache.get(&key(e)) {
            return s.clone();
        }
        let mut s = Set::new();
        match e {
            KExpr::Let(vars, op, rest) => {
                s = self.free(rest);
                for v in vars {
                    s.remove(v);
                }
                op_vars(op, &mut s);
            }
            KExpr::Block(c, rets, then) => {
                s = self.free(then);
                for v in rets {
                    s.remove(v);
                }
                let cs = self.free_construct(c);
                s.extend(cs);
            }
            KExpr::Tail(c) => s = self.free_construct(c),
            KExpr::Return(a) => arg_vars(a, &mut s),
            KExpr::Enter(c, args) => op_vars(&Op::Call(c.clone(), args.clone()), &mut s),
            KExpr::Break(args) | KExpr::FunctionClause(args) => args.iter().for_each(|a| arg_vars(a, &mut s)),
            KExpr::Raise(_, a) => arg_vars(a, &mut s),
            KExpr::Line(_, e) => s = self.free(e),
            KExpr::Reraise(a, b, c) => {
                arg_vars(a, &mut s);
                arg_vars(b, &mut s);
                arg_vars(c, &mut s);
            }
        }
        self.free_cache.insert(key(e), s.clone());
        s
    }

    fn free_construct(&mut self, c: &Construct) -> Set {
        match c {
            Construct::Match(t) => self.free_tree(t),
            Construct::Try {
                body,
                vars,
                ok,
                evars,
                handler,
            } => {
                let mut s = self.free(ok);
                for v in vars {
                    s.remove(v);
                }
                let mut h = self.free(handler);
                for v in evars {
                    h.remove(v);
                }
                s.extend(h);
                s.extend(self.free(body));
                s
            }
            Construct::Catch(b) => self.free(b),
            Construct::Receive {
                tree,
                msg,
                timeout,
                action,
                ..
            } => {
                let mut s = self.free_tree(tree);
                s.remove(msg);
                s.extend(self.free(action));
                arg_vars(timeout, &mut s);
                s
            }
        }
    }

    fn free_tree(&mut self, t: &Tree) -> Set {
        if let Some(s) = self.free_cache.get(&key(t)) {
            return s.clone();
        }
        let mut s = Set::new();
        match t {
            Tree::Select(v, cases) => {
                for c in cases {
                    let mut cs = self.free_tree(&c.then);
                    match &c.test {
                        Test::Literal(_) => {}
                        Test::Cons(h, tl) => {
                            cs.remove(h);
                            cs.remove(tl);
                        }
                        Test::Tuple(es) => es.iter().for_each(|e| {
                            cs.remove(e);
                        }),
                        Test::Map(keys) => {
                            for (k, v) in keys {
                                cs.remove(v);
                                gexpr_vars(k, &mut cs);
                            }
                        }
                        Test::Binary(segs) => {
                            for seg in segs.iter().rev() {
                                cs.remove(&seg.var);
                                if let Some(sz) = &seg.size {
                                    gexpr_vars(sz, &mut cs);
                                }
                            }
                            for seg in segs {
                                cs.remove(&seg.var);
                            }
                            // Sizes may use earlier segments' variables.
                            for seg in segs {
                                if let Some(sz) = &seg.size {
                                    let mut used = Set::new();
                                    gexpr_vars(sz, &mut used);
                                    for u in used {
                                        if !segs.iter().any(|x| x.var == u) {
                                            cs.insert(u);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    s.extend(cs);
                }
                s.insert(*v);
            }
            Tree::Alt(a, b) => {
                s = self.free_tree(a);
                s.extend(self.free_tree(b));
            }
            Tree::Guard(g, then) => {
                s = self.free_tree(then);
                for conj in g {
                    for t in conj {
                        gexpr_vars(t, &mut s);
                    }
                }
            }
            Tree::Leaf(e) => s = self.free(e),
            Tree::Fail | Tree::Clause(_) => {}
        }
        self.free_cache.insert(key(t), s.clone());
        s
    }

    // ------------------------------------------------------------ y analysis

    /// Walk the function, marking variables live across clobbering points.
    fn find_y(&mut self, e: &KExpr, live_out: &Set, need: &mut Set) {
        match e {
            KExpr::Let(vars, op, rest) => {
                if let Op::Call(..) = op {
                    let mut after = self.free(rest);
                    after.extend(live_out);
                    for v in vars {
                        after.remove(v);
                    }
                    need.extend(after);
                }
                self.find_y(rest, live_out, need);
            }
            KExpr::Block(c, rets, then) => {
                let mut after = self.free(then);
                after.extend(live_out);
                for v in rets {
                    after.remove(v);
                }
                self.find_y_construct(c, &after, need);
                self.find_y(then, live_out, need);
            }
            KExpr::Tail(c) => self.find_y_construct(c, live_out, need),
            KExpr::Line(_, e) => self.find_y(e, live_out, need),
            _ => {}
        }
    }

    fn find_y_construct(&mut self, c: &Construct, live_out: &Set, need: &mut Set) {
        match c {
            Construct::Match(t) => self.find_y_tree(t, live_out, need),
            Construct::Try {
                body,
                vars,
                ok,
                evars,
                handler,
            } => {
                // Anything needed after the body survives an exception too.
                let mut across = self.free(ok);
                across.extend(self.free(handler));
                across.extend(live_out);
                for v in vars.iter().chain(evars) {
                    across.remove(v);
                }
                need.extend(across.iter().copied());
                let mut body_out = live_out.clone();
                body_out.extend(across);
                self.find_y(body, &body_out, need);
                self.find_y(ok, live_out, need);
                self.find_y(handler, live_out, need);
            }
            Construct::Catch(b) => {
                need.extend(live_out.iter().copied());
                self.find_y(b, live_out, need);
            }
            Construct::Receive {
                tree,
                msg,
                timeout,
                action,
                ..
            } => {
                let mut across = self.free_tree(tree);
                across.extend(self.free(action));
                across.extend(live_out);
                across.remove(msg);
                arg_vars(timeout, &mut across);
                need.extend(across);
                self.find_y_tree(tree, live_out, need);
                self.find_y(action, live_out, need);
            }
        }
    }

    fn find_y_tree(&mut self, t: &Tree, live_out: &Set, need: &mut Set) {
        match t {
            Tree::Select(_, cases) => {
                for c in cases {
                    self.find_y_tree(&c.then, live_out, need);
                }
            }
            Tree::Alt(a, b) => {
                self.find_y_tree(a, live_out, need);
                self.find_y_tree(b, live_out, need);
            }
            Tree::Guard(_, then) => self.find_y_tree(then, live_out, need),
            Tree::Leaf(e) => self.find_y(e, live_out, need),
            Tree::Fail | Tree::Clause(_) => {}
        }
    }

    fn has_call(e: &KExpr) -> bool {
        match e {
            KExpr::Let(_, Op::Call(..), _) => true,
            KExpr::Let(_, _, rest) => Self::has_call(rest),
            KExpr::Block(c, _, then) => Self::construct_needs_frame(c) || Self::has_call(then),
            KExpr::Tail(c) => Self::construct_needs_frame(c),
            KExpr::Line(_, e) => Self::has_call(e),
            _ => false,
        }
    }

    fn construct_needs_frame(c: &Construct) -> bool {
        match c {
            Construct::Match(t) => Self::tree_has_call(t),
            Construct::Try { .. } | Construct::Catch(_) => true,
            Construct::Receive { tree, action, .. } => Self::tree_has_call(tree) || Self::has_call(action),
        }
    }

    fn tree_has_call(t: &Tree) -> bool {
        match t {
            Tree::Select(_, cases) => cases.iter().any(|c| Self::tree_has_call(&c.then)),
            Tree::Alt(a, b) => Self::tree_has_call(a) || Self::tree_has_call(b),
            Tree::Guard(_, then) => Self::tree_has_call(then),
            Tree::Leaf(e) => Self::has_call(e),
            Tree::Fail | Tree::Clause(_) => false,
        }
    }

    /// The deepest nesting of try/catch bodies in an expression.
    fn catch_depth_of(e: &KExpr) -> u32 {
        match e {
            KExpr::Let(_, _, rest) => Self::catch_depth_of(rest),
            KExpr::Block(c, _, then) => Self::catch_depth_construct(c).max(Self::catch_depth_of(then)),
            KExpr::Tail(c) => Self::catch_depth_construct(c),
            KExpr::Line(_, e) => Self::catch_depth_of(e),
            _ => 0,
        }
    }

    fn catch_depth_construct(c: &Construct) -> u32 {
        match c {
            Construct::Match(t) => Self::catch_depth_tree(t),
            Construct::Try {
                body, ok, handler, ..
            } => (1 + Self::catch_depth_of(body))
                .max(Self::catch_depth_of(ok))
                .max(Self::catch_depth_of(handler)),
            Construct::Catch(b) => 1 + Self::catch_depth_of(b),
            Construct::Receive { tree, action, .. } => {
                Self::catch_depth_tree(tree).max(Self::catch_depth_of(action))
            }
        }
    }

    fn catch_depth_tree(t: &Tree) -> u32 {
        match t {
            Tree::Select(_, cases) => cases
                .iter()
                .map(|c| Self::catch_depth_tree(&c.then))
                .max()
                .unwrap_or(0),
            Tree::Alt(a, b) => Self::catch_depth_tree(a).max(Self::catch_depth_tree(b)),
            Tree::Guard(_, then) => Self::catch_depth_tree(then),
            Tree::Leaf(e) => Self::catch_depth_of(e),
            Tree::Fail | Tree::Clause(_) => 0,
        }
    }

    /// The y slot of a catch marker at the current depth.
    fn catch_slot(&self) -> u32 {
        self.max_catch_depth - 1 - self.catch_depth
    }

    // ------------------------------------------------------------ locations

    fn src(&mut self, a: &Arg) -> Src {
        match a {
            Arg::Var(v) => match self.loc.get(v) {
                Some(l) => l.src(),
                // A variable with no location is never defined on this path
                // (e.g. the value of an expression that always raises).
                None => Src::nil(),
            },
            Arg::Lit(l) => self.mb.literal(l),
        }
    }

    /// A free x register: not holding a variable in `live`, nor in `avoid`.
    fn free_x(&self, live: &Set, avoid: &[u32]) -> u32 {
        let mut r = 0u32;
        loop {
            if self.x_is_free(r, live, avoid) {
                return r;
            }
            r += 1;
        }
    }

    /// Whether x`r` holds nothing live and may be used.
    fn x_is_free(&self, r: u32, live: &Set, avoid: &[u32]) -> bool {
        let taken = match self.xregs.get(r as usize) {
            Some(Some(v)) => live.contains(v),
            _ => false,
        };
        !taken && !avoid.contains(&r) && !self.pinned_x.contains(&r) && r != SCRATCH
    }

    /// The register a `Let`-bound `v` goes to next: its argument position
    /// in the tail call, or x0 for the return, that ends the straight code
    /// `rest` (lets and line marks).
    fn next_register_of(v: VarId, rest: &KExpr) -> Option<u32> {
        let mut e = rest;
        loop {
            match e {
                KExpr::Let(_, _, r) | KExpr::Line(_, r) => e = r,
                KExpr::Enter(_, args) => {
                    return args
                        .iter()
                        .position(|a| matches!(a, Arg::Var(x) if *x == v))
                        .map(|i| i as u32)
                }
                KExpr::Return(Arg::Var(x)) if *x == v => return Some(0),
                _ => return None,
            }
        }
    }

    fn set_x(&mut self, r: u32, v: Option<VarId>) {
        let r = r as usize;
        if self.xregs.len() <= r {
            self.xregs.resize(r + 1, None);
        }
        self.xregs[r] = v;
    }

    /// Choose where a newly defined variable lives.
    fn def_loc(&mut self, v: VarId, live: &Set, avoid: &[u32]) -> Loc {
        if let (Some(s), true) = (self.yslot.get(&v), self.frame_ready) {
            let l = Loc::Y(*s);
            self.loc.insert(v, l);
            return l;
        }
        // Before the frame exists a variable bound for a y slot waits in an
        // x register; ensure_frame moves it.
        let r = match self.hint {
            Some((h, r)) if h == v && self.x_is_free(r, live, avoid) => r,
            _ => self.free_x(live, avoid),
        };
        self.set_x(r, Some(v));
        let l = Loc::X(r);
        self.loc.insert(v, l);
        l
    }

    /// After a call only x0 is valid: forget the x registers.
    fn clobber(&mut self) {
        // Once the frame exists, a variable with a y slot is always stored
        // there, even while it is read from an x copy.
        let (yslot, ready) = (&self.yslot, self.frame_ready);
        self.loc = std::mem::take(&mut self.loc)
            .into_iter()
            .filter_map(|(v, l)| match (l, ready, yslot.get(&v)) {
                (Loc::Y(_), _, _) => Some((v, l)),
                (Loc::X(_), true, Some(s)) => Some((v, Loc::Y(*s))),
                (Loc::X(_), _, _) => None,
            })
            .collect();
        self.xregs.clear();
    }

    /// Push the frame if this path has not yet, and move the variables
    /// that belong in y slots there from the x registers holding them.
    fn ensure_frame(&mut self) {
        if !self.has_frame || self.frame_ready {
            return;
        }
        self.frame_ready = true;
        self.mb.emit(Instr::Allocate { slots: self.frame });
        let mut pending: Vec<(u32, u32)> = self
            .loc
            .iter()
            .filter_map(|(v, l)| match (l, self.yslot.get(v)) {
                (Loc::X(r), Some(s)) => Some((*r, *s)),
                _ => None,
            })
            .collect();
        pending.sort_unstable();
        for (r, s) in pending {
            self.mb.emit(Instr::Move {
                src: Src::x(r),
                dst: Dst::y(s),
            });
            // The x copy stays usable until the next clobber.
        }
    }

    fn temp(&mut self, live: &Set, avoid: &[u32]) -> u32 {
        self.free_x(live, avoid)
    }

    /// Move sources into destinations simultaneously.
    fn parallel_move(&mut self, moves: Vec<(Src, Dst)>) {
        let mut pending: Vec<(Src, Dst)> = moves.into_iter().filter(|(s, d)| *s != d.as_src()).collect();
        while !pending.is_empty() {
            // A move whose destination no other pending move reads.
            let ready = pending
                .iter()
                .position(|(_, d)| !pending.iter().any(|(s, _)| *s == d.as_src()));
            match ready {
                Some(i) => {
                    let (s, d) = pending.remove(i);
                    self.mb.emit(Instr::Move { src: s, dst: d });
                }
                None => {
                    // A cycle: park one source in the scratch register.
                    let (s, _) = pending[0];
                    self.mb.emit(Instr::Move {
                        src: s,
                        dst: Dst::x(SCRATCH),
                    });
                    for (ps, _) in pending.iter_mut() {
                        if *ps == s {
                            *ps = Src::x(SCRATCH);
                        }
                    }
                }
            }
        }
    }

    fn args_to_x(&mut self, args: &[Arg], extra: &[Src]) {
        let mut moves = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let s = self.src(a);
            moves.push((s, Dst::x(i as u32)));
        }
        for (j, s) in extra.iter().enumerate() {
            moves.push((*s, Dst::x((args.len() + j) as u32)));
        }
        self.parallel_move(moves);
    }

    // ------------------------------------------------------------ expressions

    fn expr(&mut self, e: &KExpr, live_out: &Set) {
        match e {
            KExpr::Let(vars, op, rest) => {
                if let Op::Call(..) = op {
                    self.ensure_frame();
                }
                let mut live = self.free(rest);
                live.extend(live_out);
                self.hint = match vars.as_slice() {
                    [v] => Self::next_register_of(*v, rest).map(|r| (*v, r)),
                    _ => None,
                };
                self.op(vars, op, &live);
                self.hint = None;
                self.expr(rest, live_out);
            }
            KExpr::Block(c, rets, then) => {
                self.ensure_frame();
                let mut after = self.free(then);
                after.extend(live_out);
                for v in rets {
                    after.remove(v);
                }
                let end = self.mb.new_label();
                // Locations for the results, decided before the branches.
                let mut locs = Vec::new();
                let mut taken = Vec::new();
                for v in rets {
                    let l = match self.yslot.get(v) {
                        Some(s) => Loc::Y(*s),
                        None => {
                            let r = self.free_x(&after, &taken);
                            taken.push(r);
                            Loc::X(r)
                        }
                    };
                    locs.push(l);
                }
                self.breaks.push(BreakTarget {
                    label: end,
                    locs: locs.clone(),
                });
                let saved = (self.loc.clone(), self.xregs.clone());
                // A receive (it reuses x registers for the message and its
                // parts), a try or a catch, or a match with calls.
                let clobbers = Self::construct_needs_frame(c) || matches!(**c, Construct::Receive { .. });
                self.construct(c, &after);
                self.breaks.pop();
                self.mb.place(end);
                // After the block: the state before it, minus clobbered x,
                // plus the results.
                self.loc = saved.0;
                self.xregs = saved.1;
                if clobbers {
                    self.clobber();
                }
                for (v, l) in rets.iter().zip(locs) {
                    self.loc.insert(*v, l);
                    if let Loc::X(r) = l {
                        self.set_x(r, Some(*v));
                    }
                }
                self.expr(then, live_out);
            }
            KExpr::Tail(c) => {
                if !matches!(**c, Construct::Match(_)) {
                    self.ensure_frame();
                }
                self.construct(c, live_out)
            }
            KExpr::Line(l, e) => {
                self.mb.line(*l);
                self.expr(e, live_out);
            }
            KExpr::Return(a) => {
                let src = self.src(a);
                let slots = self.frame;
                self.mb.emit(match (src == Src::x(0), self.frame_ready) {
                    (true, false) => Instr::Return {},
                    (true, true) => Instr::DeallocReturn { slots },
                    (false, false) => Instr::MoveReturn { src },
                    (false, true) => Instr::MoveDeallocReturn { src, slots },
                });
            }
            KExpr::Enter(callee, args) => self.tail_call(callee, args),
            KExpr::Break(vals) => {
                let target = self.breaks.last().cloned().expect("break inside a block");
                let moves: Vec<(Src, Dst)> = vals
                    .iter()
                    .zip(&target.locs)
                    .map(|(a, l)| (self.src(a), l.dst()))
                    .collect();
                self.parallel_move(moves);
                self.mb.emit(Instr::Jump { target: target.label });
            }
            KExpr::Raise(class, reason) => self.raise(class, reason),
            KExpr::Reraise(c, r, t) => {
                let moves = vec![
                    (self.src(c), Dst::x(0)),
                    (self.src(r), Dst::x(1)),
                    (self.src(t), Dst::x(2)),
                ];
                self.parallel_move(moves);
                self.mb.emit(Instr::Raise {});
            }
            KExpr::FunctionClause(args) => {
                self.args_to_x(args, &[]);
                self.mb.emit(Instr::Jump {
                    target: self.info_label,
                });
            }
        }
    }

    fn raise(&mut self, class: &str, reason: &Arg) {
        // The common match errors have their own instructions.
        if let Arg::Lit(Literal::Atom(a)) = reason {
            if class == "error" && a == "if_clause" {
                self.mb.emit(Instr::IfEnd {});
                return;
            }
        }
        let s = self.src(reason);
        self.parallel_move(vec![(s, Dst::x(0))]);
        let import = self.mb.import("erlang", class, 1);
        self.mb.emit(Instr::CallExt { arity: 1, import });
    }

    fn tail_call(&mut self, callee: &Callee, args: &[Arg]) {
        let n = args.len() as u32;
        let framed = self.frame_ready;
        let dealloc = if framed { self.frame } else { 0 };
        match callee {
            Callee::Local(f) => {
                self.args_to_x(args, &[]);
                let target = *self.mb.entries.get(f).expect("local function exists");
                if framed {
                    self.mb.emit(Instr::CallLast {
                        arity: n,
                        target,
                        dealloc,
                    });
                } else {
                    self.mb.emit(Instr::CallOnly { arity: n, target });
                }
            }
            Callee::Remote(Arg::Lit(Literal::Atom(m)), Arg::Lit(Literal::Atom(f))) => {
                self.args_to_x(args, &[]);
                let import = self.mb.import(m, f, n);
                if framed {
                    self.mb.emit(Instr::CallExtLast {
                        arity: n,
                        import,
                        dealloc,
                    });
                } else {
                    self.mb.emit(Instr::CallExtOnly { arity: n, import });
                }
            }
            Callee::Remote(m, f) => {
                let extra = [self.src(m), self.src(f)];
                self.args_to_x(args, &extra);
                if framed {
                    self.mb.emit(Instr::ApplyLast { arity: n, dealloc });
                } else {
                    self.mb.emit(Instr::ApplyOnly { arity: n });
                }
            }
            Callee::Fun(f) => {
                let extra = [self.src(f)];
                self.args_to_x(args, &extra);
                if framed {
                    self.mb.emit(Instr::CallFunLast { arity: n, dealloc });
                } else {
                    self.mb.emit(Instr::CallFunOnly { arity: n });
                }
            }
        }
    }

    fn bif_ref(&mut self, name: &str, arity: usize) -> Ref {
        self.mb.import("erlang", name, arity as u32)
    }

    fn op(&mut self, vars: &[VarId], op: &Op, live: &Set) {
        match op {
            Op::Call(callee, args) => {
                let n = args.len() as u32;
                match callee {
                    Callee::Local(f) => {
                        self.args_to_x(args, &[]);
                        let target = *self.mb.entries.get(f).expect("local function exists");
                        self.mb.emit(Instr::Call { arity: n, target });
                    }
                    Callee::Remote(Arg::Lit(Literal::Atom(m)), Arg::Lit(Literal::Atom(f))) => {
                        self.args_to_x(args, &[]);
                        let import = self.mb.import(m, f, n);
                        self.mb.emit(Instr::CallExt { arity: n, import });
                    }
                    Callee::Remote(m, f) => {
                        let extra = [self.src(m), self.src(f)];
                        self.args_to_x(args, &extra);
                        self.mb.emit(Instr::Apply { arity: n });
                    }
                    Callee::Fun(f) => {
                        let extra = [self.src(f)];
                        self.args_to_x(args, &extra);
                        self.mb.emit(Instr::CallFun { arity: n });
                    }
                }
                self.clobber();
                if let (Some(v), Callee::Remote(Arg::Lit(Literal::Atom(m)), Arg::Lit(Literal::Atom(f)))) =
                    (vars.first(), callee)
                {
                    if m == "math" && math_gives_float(f) {
                        self.floats.insert(*v);
                    }
                }
                if let Some(v) = vars.first() {
                    if let Some(s) = self.yslot.get(v) {
                        let s = *s;
                        self.mb.emit(Instr::Move {
                            src: Src::x(0),
                            dst: Dst::y(s),
                        });
                        self.loc.insert(*v, Loc::Y(s));
                    } else {
                        self.loc.insert(*v, Loc::X(0));
                        self.set_x(0, Some(*v));
                    }
                }
            }
            _ => {
                let dst_var = vars.first().copied();
                let gives_float = match op {
                    Op::Bif(name, args) => self.bif_gives_float(name, args),
                    Op::Move(Arg::Lit(Literal::Float(_))) => true,
                    Op::Move(Arg::Var(v)) => self.floats.contains(v),
                    _ => false,
                };
                if let (Some(v), true) = (dst_var, gives_float) {
                    self.floats.insert(v);
                }
                let srcs = self.op_srcs(op);
                let dst = match dst_var {
                    Some(v) if live.contains(&v) => self.def_loc(v, live, &[]).dst(),
                    Some(v) => {
                        // Unused result: still computed (it may raise).
                        let r = self.temp(live, &[]);
                        let _ = v;
                        Dst::x(r)
                    }
                    None => {
                        let r = self.temp(live, &[]);
                        Dst::x(r)
                    }
                };
                self.emit_op(op, srcs, dst);
            }
        }
    }

    /// Sources of a simple op's operands (before its destination is chosen).
    fn op_srcs(&mut self, op: &Op) -> Vec<Src> {
        match op {
            Op::Bif(_, args) | Op::Tuple(args) | Op::MakeFun(_, args) => {
                args.iter().map(|a| self.src(a)).collect()
            }
            Op::Cons(a, b) | Op::Send(a, b) => vec![self.src(a), self.src(b)],
            Op::Move(a) | Op::BuildStacktrace(a) => vec![self.src(a)],
            Op::MapNew(ps) => ps.iter().flat_map(|(k, v)| [self.src(k), self.src(v)]).collect(),
            Op::MapUpdate(m, ps) => {
                let mut v = vec![self.src(m)];
                for (k, val, _) in ps {
                    v.push(self.src(k));
                    v.push(self.src(val));
                }
                v
            }
            Op::Binary(segs) => segs
                .iter()
                .flat_map(|g| {
                    let v = self.src(&g.value);
                    let s = g.size.as_ref().map(|x| self.src(x)).unwrap_or(Src::nil());
                    [v, s]
                })
                .collect(),
            Op::Call(..) => vec![],
        }
    }

    fn emit_op(&mut self, op: &Op, srcs: Vec<Src>, dst: Dst) {
        match op {
            Op::Bif(name, args) => {
                let traced = self.arith_traced(name, args);
                let mut srcs = srcs;
                // OTP puts the literal operand of a commutative operator
                // second, and stack traces show the arguments that way.
                if matches!(name.as_str(), "+" | "*" | "band" | "bor" | "bxor")
                    && matches!(args.as_slice(), [Arg::Lit(_), Arg::Var(_)])
                {
                    srcs.swap(0, 1);
                }
                self.emit_bif_traced(name, args.len(), &srcs, 0, dst, traced)
            }
            Op::Cons(..) => self.mb.emit(Instr::PutList {
                head: srcs[0],
                tail: srcs[1],
                dst,
            }),
            Op::Tuple(_) => {
                let elems = self.mb.table(Table::Srcs(srcs));
                self.mb.emit(Instr::PutTuple { elems, dst });
            }
            Op::MakeFun(idx, _) => {
                let env = self.mb.table(Table::Srcs(srcs));
                self.mb.emit(Instr::MakeFun {
                    lambda: Ref(*idx as u64),
                    env,
                    dst,
                });
            }
            Op::Move(_) => self.mb.emit(Instr::Move { src: srcs[0], dst }),
            Op::Send(..) => self.mb.emit(Instr::Send {
                dest: srcs[0],
                msg: srcs[1],
                dst,
            }),
            Op::BuildStacktrace(_) => self.mb.emit(Instr::BuildStacktrace { src: srcs[0], dst }),
            Op::MapNew(_) => {
                let pairs = self
                    .mb
                    .table(Table::Pairs(srcs.chunks(2).map(|c| (c[0], c[1])).collect()));
                let empty = self.mb.literal(&Literal::Map(vec![]));
                self.mb.emit(Instr::PutMapAssoc {
                    src: empty,
                    dst,
                    live: 0,
                    pairs,
                });
            }
            Op::MapUpdate(_, ps) => {
                let base = srcs[0];
                let rest: Vec<(Src, Src, bool)> = srcs[1..]
                    .chunks(2)
                    .zip(ps)
                    .map(|(c, (_, _, exact))| (c[0], c[1], *exact))
                    .collect();
                let exact: Vec<(Src, Src)> = rest.iter().filter(|p| p.2).map(|p| (p.0, p.1)).collect();
                let assoc: Vec<(Src, Src)> = rest.iter().filter(|p| !p.2).map(|p| (p.0, p.1)).collect();
                let mut cur = base;
                if !exact.is_empty() || assoc.is_empty() {
                    let pairs = self.mb.table(Table::Pairs(exact));
                    self.mb.emit(Instr::PutMapExact {
                        fail: 0,
                        src: cur,
                        dst,
                        live: 0,
                        pairs,
                    });
                    cur = dst.as_src();
                }
                if !assoc.is_empty() {
                    let pairs = self.mb.table(Table::Pairs(assoc));
                    self.mb.emit(Instr::PutMapAssoc {
                        src: cur,
                        dst,
                        live: 0,
                        pairs,
                    });
                }
            }
            Op::Binary(segs) => {
                let t = segs
                    .iter()
                    .enumerate()
                    .map(|(i, g)| BinSegment {
                        ty: g.ty,
                        value: srcs[2 * i],
                        size: g.size.as_ref().map(|_| srcs[2 * i + 1]),
                        unit: g.unit,
                        flags: g.flags,
                    })
                    .collect();
                let segs = self.mb.table(Table::Segments(t));
                self.mb.emit(Instr::BsCreateBin {
                    fail: 0,
                    live: 0,
                    segs,
                    dst,
                });
            }
            Op::Call(..) => unreachable!("calls are handled by op()"),
        }
    }

    /// Whether a failing arithmetic operator puts `{erlang, Op, Args, _}` on
    /// top of the stack trace, as OTP 25's code does. OTP compiles `X + 3`,
    /// `3 + X` and `X - 3` (a small literal) to an increment, and arithmetic
    /// on a float-typed operand to float instructions; neither records the
    /// operator. Everything else does.
    fn arith_traced(&self, name: &str, args: &[Arg]) -> bool {
        let small = |a: &Arg| {
            matches!(a, Arg::Lit(Literal::Integer(crate::token::IntLit::Small(i)))
                if (tag::MIN_SMALL..=tag::MAX_SMALL).contains(i))
        };
        let float = |a: &Arg| match a {
            Arg::Lit(Literal::Float(_)) => true,
            Arg::Var(v) => self.floats.contains(v),
            _ => false,
        };
        match (name, args) {
            // Both literal: OTP keeps the failing call as it is.
            (_, [Arg::Lit(_), Arg::Lit(_)]) => true,
            ("+" | "-" | "*", [a, b]) if float(a) || float(b) => false,
            ("+", [a, b]) => !(small(a) || small(b)),
            ("-", [_, b]) => !small(b),
            _ => true,
        }
    }

    /// Does a BIF's result (when it has one) have type float?
    fn bif_gives_float(&self, name: &str, args: &[Arg]) -> bool {
        let float = |a: &Arg| match a {
            Arg::Lit(Literal::Float(_)) => true,
            Arg::Var(v) => self.floats.contains(v),
            _ => false,
        };
        match (name, args) {
            ("float" | "/", _) => true,
            ("+" | "-" | "*", [a, b]) => float(a) || float(b),
            ("-" | "+", [a]) => float(a),
            _ => false,
        }
    }

    fn emit_bif(&mut self, name: &str, n: usize, srcs: &[Src], fail: i32, dst: Dst) {
        self.emit_bif_traced(name, n, srcs, fail, dst, true)
    }

    fn emit_bif_traced(&mut self, name: &str, n: usize, srcs: &[Src], fail: i32, dst: Dst, traced: bool) {
        if n == 2 {
            let (a, b) = (srcs[0], srcs[1]);
            let trace = traced as u32;
            match name {
                "+" => {
                    return self.mb.emit(Instr::Add {
                        fail,
                        a,
                        b,
                        dst,
                        trace,
                    })
                }
                "-" => {
                    return self.mb.emit(Instr::Sub {
                        fail,
                        a,
                        b,
                        dst,
                        trace,
                    })
                }
                "*" => {
                    return self.mb.emit(Instr::Mul {
                        fail,
                        a,
                        b,
                        dst,
                        trace,
                    })
                }
                _ => {}
            }
        }
        let bif = self.bif_ref(name, n);
        match n {
            0 => self.mb.emit(Instr::Bif0 { bif, dst }),
            1 => self.mb.emit(Instr::GcBif1 {
                bif,
                fail,
                live: 0,
                a: srcs[0],
                dst,
            }),
            2 => self.mb.emit(Instr::GcBif2 {
                bif,
                fail,
                live: 0,
                a: srcs[0],
                b: srcs[1],
                dst,
            }),
            _ => self.mb.emit(Instr::GcBif3 {
                bif,
                fail,
                live: 0,
                a: srcs[0],
                b: srcs[1],
                c: srcs[2],
                dst,
            }),
        }
    }

    // ------------------------------------------------------------ constructs

    fn construct(&mut self, c: &Construct, live_out: &Set) {
        match c {
            Construct::Match(t) => {
                let fail = self.mb.new_label();
                self.tree(t, fail, &Set::new(), live_out);
                self.mb.place(fail);
                // Unreachable: lowering ends every match with a catch-all.
                self.mb.emit(Instr::IfEnd {});
            }
            Construct::Try {
                body,
                vars,
                ok,
                evars,
                handler,
            } => {
                let slot = self.catch_slot();
                let handler_label = self.mb.new_label();
                let body_end = self.mb.new_label();
                self.mb.emit(Instr::Try {
                    y: slot,
                    handler: handler_label,
                });
                // The body breaks to its own result locations.
                let mut after = self.free(ok);
                after.extend(live_out);
                for v in vars {
                    after.remove(v);
                }
                let mut locs = Vec::new();
                let mut taken = Vec::new();
                for v in vars {
                    let l = match self.yslot.get(v) {
                        Some(s) => Loc::Y(*s),
                        None => {
                            let r = self.free_x(&after, &taken);
                            taken.push(r);
                            Loc::X(r)
                        }
                    };
                    locs.push(l);
                }
                let saved = (self.loc.clone(), self.xregs.clone());
                self.breaks.push(BreakTarget {
                    label: body_end,
                    locs: locs.clone(),
                });
                let mut body_out = after.clone();
                body_out.extend(self.free(handler));
                self.catch_depth += 1;
                self.expr(body, &body_out);
                self.catch_depth -= 1;
                self.breaks.pop();
                self.mb.place(body_end);
                self.mb.emit(Instr::TryEnd { y: slot });
                self.loc = saved.0.clone();
                self.xregs = saved.1.clone();
                self.clobber();
                for (v, l) in vars.iter().zip(&locs) {
                    self.loc.insert(*v, *l);
                    if let Loc::X(r) = l {
                        self.set_x(*r, Some(*v));
                    }
                }
                self.expr(ok, live_out);
                // The handler.
                self.mb.place(handler_label);
                self.loc = saved.0;
                self.xregs = saved.1;
                self.clobber();
                self.mb.emit(Instr::TryCase { y: slot });
                let hlive = {
                    let mut s = self.free(handler);
                    s.extend(live_out);
                    s
                };
                let mut moves = Vec::new();
                for (i, v) in evars.iter().enumerate() {
                    if !hlive.contains(v) {
                        continue;
                    }
                    match self.yslot.get(v) {
                        Some(s) => {
                            moves.push((Src::x(i as u32), Dst::y(*s)));
                            self.loc.insert(*v, Loc::Y(*s));
                        }
                        None => {
                            self.loc.insert(*v, Loc::X(i as u32));
                            self.set_x(i as u32, Some(*v));
                        }
                    }
                }
                self.parallel_move(moves);
                self.expr(handler, live_out);
            }
            Construct::Catch(body) => {
                let slot = self.catch_slot();
                let handler_label = self.mb.new_label();
                self.mb.emit(Instr::Catch {
                    y: slot,
                    handler: handler_label,
                });
                let saved = (self.loc.clone(), self.xregs.clone());
                self.breaks.push(BreakTarget {
                    label: handler_label,
                    locs: vec![Loc::X(0)],
                });
                self.catch_depth += 1;
                self.expr(body, live_out);
                self.catch_depth -= 1;
                self.breaks.pop();
                self.mb.place(handler_label);
                self.mb.emit(Instr::CatchEnd { y: slot });
                self.loc = saved.0;
                self.xregs = saved.1;
                self.clobber();
                // The value (or the converted exception) is in x0: pass it on.
                let target = self.breaks.last().cloned().expect("catch inside a block");
                self.parallel_move(vec![(Src::x(0), target.locs[0].dst())]);
                self.mb.emit(Instr::Jump { target: target.label });
            }
            Construct::Receive {
                tree,
                msg,
                marker,
                timeout,
                action,
            } => {
                if let Some(r) = marker {
                    let reference = self.src(&Arg::Var(*r));
                    self.mb.emit(Instr::RecvMarkerUse { reference });
                }
                let lloop = self.mb.new_label();
                let lnext = self.mb.new_label();
                let lwait = self.mb.new_label();
                let saved = (self.loc.clone(), self.xregs.clone());
                self.clobber();
                self.mb.place(lloop);
                self.mb.emit(Instr::LoopRec {
                    fail: lwait,
                    dst: Dst::x(0),
                });
                self.loc.insert(*msg, Loc::X(0));
                self.set_x(0, Some(*msg));
                let was = (self.in_receive, self.recv_msg);
                self.in_receive = true;
                self.recv_msg = Some(*msg);
                self.tree(tree, lnext, &Set::new(), live_out);
                (self.in_receive, self.recv_msg) = was;
                self.mb.place(lnext);
                self.mb.emit(Instr::LoopRecEnd { target: lloop });
                self.mb.place(lwait);
                self.loc = saved.0;
                self.xregs = saved.1;
                self.clobber();
                match timeout {
                    Arg::Lit(Literal::Atom(a)) if a == "infinity" => {
                        self.mb.emit(Instr::Wait { target: lloop });
                    }
                    t => {
                        let s = self.src(t);
                        self.mb.emit(Instr::WaitTimeout {
                            target: lloop,
                            timeout: s,
                        });
                        self.mb.emit(Instr::Timeout {});
                        self.expr(action, live_out);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ trees

    fn tree(&mut self, t: &Tree, fail: i32, fail_live: &Set, live_out: &Set) {
        match t {
            Tree::Fail | Tree::Clause(_) => self.mb.emit(Instr::Jump { target: fail }),
            Tree::Leaf(e) => {
                if self.in_receive {
                    self.in_receive = false;
                    self.mb.emit(Instr::RemoveMessage {});
                    // The message is now the process's own: if it belongs in
                    // a y slot of a frame that already exists, store it
                    // there (ensure_frame only moves variables bound before
                    // the frame was pushed).
                    if let Some(m) = self.recv_msg {
                        if let (Some(&s), true, Some(Loc::X(r))) =
                            (self.yslot.get(&m), self.frame_ready, self.loc.get(&m).copied())
                        {
                            self.mb.emit(Instr::Move {
                                src: Src::x(r),
                                dst: Dst::y(s),
                            });
                        }
                    }
                    self.expr(e, live_out);
                    self.in_receive = true;
                } else {
                    self.expr(e, live_out);
                }
            }
            Tree::Alt(a, b) => {
                let lb = self.mb.new_label();
                let mut alive = fail_live.clone();
                alive.extend(self.free_tree(b));
                let saved = (self.loc.clone(), self.xregs.clone(), self.frame_ready);
                self.tree(a, lb, &alive, live_out);
                self.loc = saved.0;
                self.xregs = saved.1;
                self.frame_ready = saved.2;
                self.mb.place(lb);
                self.tree(b, fail, fail_live, live_out);
            }
            Tree::Guard(g, then) => {
                let mut live = self.free_tree(then);
                live.extend(fail_live);
                live.extend(live_out);
                // The guard's own variables stay until it is done.
                for conj in g {
                    for t in conj {
                        gexpr_vars(t, &mut live);
                    }
                }
                self.guard(g, fail, &live);
                self.tree(then, fail, fail_live, live_out);
            }
            Tree::Select(v, cases) => self.select(*v, cases, fail, fail_live, live_out),
        }
    }

    fn select(&mut self, v: VarId, cases: &[SelectCase], fail: i32, fail_live: &Set, live_out: &Set) {
        let src = self.src(&Arg::Var(v));
        // Many atomic literals: one jump table.
        let atomic: Vec<&SelectCase> = cases
            .iter()
            .filter(|c| matches!(&c.test, Test::Literal(l) if is_atomic(l)))
            .collect();
        let use_table = atomic.len() >= 3 && atomic.len() == cases.len();
        if use_table {
            let mut jumps = Vec::new();
            let mut labels = Vec::new();
            for c in &atomic {
                let Test::Literal(l) = &c.test else { unreachable!() };
                let label = self.mb.new_label();
                let s = self.mb.literal(l);
                jumps.push((s, label));
                labels.push(label);
            }
            let table = self.mb.table(Table::Jumps(jumps));
            self.mb.emit(Instr::SelectVal {
                arg: src,
                fail,
                table,
            });
            for (c, label) in atomic.iter().zip(labels) {
                let saved = (self.loc.clone(), self.xregs.clone(), self.frame_ready);
                self.mb.place(label);
                self.tree(&c.then, fail, fail_live, live_out);
                self.loc = saved.0;
                self.xregs = saved.1;
                self.frame_ready = saved.2;
            }
            return;
        }
        for (i, c) in cases.iter().enumerate() {
            let next = if i + 1 == cases.len() {
                fail
            } else {
                self.mb.new_label()
            };
            let saved = (self.loc.clone(), self.xregs.clone(), self.frame_ready);
            let mut live = self.free_tree(&c.then);
            live.extend(fail_live);
            live.extend(live_out);
            // The column stays live for the other cases.
            let mut keep = live.clone();
            keep.insert(v);
            for later in &cases[i + 1..] {
                keep.extend(self.free_tree(&later.then));
            }
            self.test(src, &c.test, next, &live, &keep);
            self.tree(&c.then, fail, fail_live, live_out);
            self.loc = saved.0;
            self.xregs = saved.1;
            self.frame_ready = saved.2;
            if next != fail {
                self.mb.place(next);
            }
        }
    }

    /// Test one select case and bind its sub-term variables.
    fn test(&mut self, src: Src, test: &Test, fail: i32, live: &Set, keep: &Set) {
        match test {
            Test::Literal(Literal::Nil) => self.mb.emit(Instr::IsNil { fail, arg: src }),
            Test::Literal(l) if is_atomic(l) => {
                let s = self.mb.literal(l);
                self.mb.emit(Instr::IsEqExact { fail, a: src, b: s });
            }
            Test::Literal(l) => {
                let s = self.mb.literal(l);
                self.mb.emit(Instr::IsEqExact { fail, a: src, b: s });
            }
            Test::Cons(h, t) => {
                self.mb.emit(Instr::IsNonemptyList { fail, arg: src });
                let (uh, ut) = (live.contains(h), live.contains(t));
                match (uh, ut) {
                    (true, true) => {
                        let lh = self.def_loc(*h, keep, &[]);
                        let avoid = if let Loc::X(r) = lh { vec![r] } else { vec![] };
                        let lt = self.def_loc(*t, keep, &avoid);
                        self.mb.emit(Instr::GetList {
                            src,
                            head: lh.dst(),
                            tail: lt.dst(),
                        });
                    }
                    (true, false) => {
                        let lh = self.def_loc(*h, keep, &[]);
                        self.mb.emit(Instr::GetHd { src, dst: lh.dst() });
                    }
                    (false, true) => {
                        let lt = self.def_loc(*t, keep, &[]);
                        self.mb.emit(Instr::GetTl { src, dst: lt.dst() });
                    }
                    (false, false) => {}
                }
            }
            Test::Tuple(es) => {
                self.mb.emit(Instr::TestArity {
                    fail,
                    arg: src,
                    arity: es.len() as u32,
                });
                // Extract the elements; the tuple register must not be
                // overwritten before the last extraction.
                let mut avoid = Vec::new();
                if let Some(x) = src.as_x() {
                    avoid.push(x);
                }
                let used: Vec<(usize, VarId)> = es
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|(_, e)| live.contains(e))
                    .collect();
                for (k, (i, e)) in used.iter().enumerate() {
                    let last = k + 1 == used.len();
                    let a = if last { vec![] } else { avoid.clone() };
                    let l = self.def_loc(*e, keep, &a);
                    if let Loc::X(r) = l {
                        avoid.push(r);
                    }
                    self.mb.emit(Instr::GetTupleElement {
                        src,
                        index: *i as u32,
                        dst: l.dst(),
                    });
                }
            }
            Test::Map(keys) => {
                self.mb.emit(Instr::IsMap { fail, arg: src });
                let mut avoid = Vec::new();
                if let Some(x) = src.as_x() {
                    avoid.push(x);
                }
                let mut gets = Vec::new();
                for (k, v) in keys {
                    let ks = self.gvalue_simple(k, fail);
                    let l = self.def_loc(*v, keep, &avoid);
                    if let Loc::X(r) = l {
                        avoid.push(r);
                    }
                    gets.push((ks, l.dst()));
                }
                let pairs = self.mb.table(Table::Gets(gets));
                self.mb.emit(Instr::GetMapElements { fail, src, pairs });
            }
            Test::Binary(segs) => {
                let mut avoid = Vec::new();
                if let Some(x) = src.as_x() {
                    avoid.push(x);
                }
                // Sizes held in x registers must survive the match context
                // and the segments read before them.
                for seg in segs.iter() {
                    let mut used = Set::new();
                    if let Some(size) = &seg.size {
                        gexpr_vars(size, &mut used);
                    }
                    for v in used {
                        if let Some(Loc::X(x)) = self.loc.get(&v) {
                            avoid.push(*x);
                        }
                    }
                }
                let ctx_reg = self.free_x(keep, &avoid);
                avoid.push(ctx_reg);
                self.pinned_x.push(ctx_reg);
                let ctx = Src::x(ctx_reg);
                self.mb.emit(Instr::BsStartMatch {
                    fail,
                    live: 0,
                    src,
                    dst: Dst::x(ctx_reg),
                });
                let n = segs.len();
                for (i, seg) in segs.iter().enumerate() {
                    let size = seg.size.as_ref().map(|s| self.gvalue_simple(s, fail));
                    let rest = seg.size.is_none() && seg.ty == BinType::Binary && i + 1 == n;
                    let spec = self.mb.table(Table::Match(BinMatchSpec {
                        ty: seg.ty,
                        size,
                        unit: seg.unit,
                        flags: seg.flags,
                    }));
                    let needed =
                        live.contains(&seg.var) || seg.equals.is_some() || keep_in_sizes(segs, seg.var);
                    if needed {
                        let mut k2 = keep.clone();
                        for s in segs {
                            k2.insert(s.var);
                        }
                        let l = self.def_loc(seg.var, &k2, &avoid);
                        if let Loc::X(r) = l {
                            avoid.push(r);
                        }
                        if rest {
                            self.mb.emit(Instr::BsTestUnit {
                                fail,
                                ctx,
                                unit: seg.unit.max(1),
                            });
                            if self.ctx_tails.contains(&seg.var) {
                                self.mb.emit(Instr::BsTailCtx { ctx, dst: l.dst() });
                            } else {
                                self.mb.emit(Instr::BsGetTail { ctx, dst: l.dst() });
                            }
                        } else {
                            self.mb.emit(Instr::BsGet {
                                fail,
                                ctx,
                                seg: spec,
                                dst: l.dst(),
                            });
                        }
                        if let Some(lit) = &seg.equals {
                            let s = self.mb.literal(lit);
                            self.mb.emit(Instr::IsEqExact {
                                fail,
                                a: l.src(),
                                b: s,
                            });
                        }
                    } else if rest {
                        self.mb.emit(Instr::BsTestUnit {
                            fail,
                            ctx,
                            unit: seg.unit.max(1),
                        });
                    } else {
                        self.mb.emit(Instr::BsSkip { fail, ctx, seg: spec });
                    }
                }
                let ends_with_rest = segs
                    .last()
                    .is_some_and(|s| s.size.is_none() && s.ty == BinType::Binary);
                if !ends_with_rest {
                    self.mb.emit(Instr::BsTestTail { fail, ctx, bits: 0 });
                }
                self.pinned_x.pop();
            }
        }
    }

    /// A guard expression used as a plain value (map keys, sizes); a
    /// failure to evaluate it is a failure to match.
    fn gvalue_simple(&mut self, g: &KGExpr, fail: i32) -> Src {
        match g {
            KGExpr::Arg(a) => self.src(a),
            other => {
                let live: Set = self.loc.keys().copied().collect();
                self.gvalue(other, fail, &live)
            }
        }
    }

    // ------------------------------------------------------------ guards

    fn guard(&mut self, g: &KGuard, fail: i32, live: &Set) {
        let ok = self.mb.new_label();
        for (i, conj) in g.iter().enumerate() {
            let last = i + 1 == g.len();
            let next = if last { fail } else { self.mb.new_label() };
            for t in conj {
                self.gtest(t, next, live);
            }
            if !last {
                self.mb.emit(Instr::Jump { target: ok });
                self.mb.place(next);
            }
        }
        self.mb.place(ok);
    }

    /// Jump to `fail` unless the guard expression is `true`.
    fn gtest(&mut self, g: &KGExpr, fail: i32, live: &Set) {
        match g {
            KGExpr::Arg(Arg::Lit(Literal::Atom(a))) if a == "true" => {}
            KGExpr::Arg(Arg::Lit(_)) => self.mb.emit(Instr::Jump { target: fail }),
            KGExpr::Andalso(a, b) => {
                self.gtest(a, fail, live);
                self.gtest(b, fail, live);
            }
            KGExpr::Orelse(a, b) => {
                let lb = self.mb.new_label();
                let ok = self.mb.new_label();
                self.gtest(a, lb, live);
                self.mb.emit(Instr::Jump { target: ok });
                self.mb.place(lb);
                self.gtest(b, fail, live);
                self.mb.place(ok);
            }
            KGExpr::Bif(name, args) if args.len() == 2 && is_comparison(name) => {
                let a = self.gvalue(&args[0], fail, live);
                let avoid_live = live_plus(live, &[]);
                let b = self.gvalue_avoiding(&args[1], fail, &avoid_live, &[a]);
                let (a, b) = (a, b);
                let i = match name.as_str() {
                    "==" => Instr::IsEq { fail, a, b },
                    "/=" => Instr::IsNe { fail, a, b },
                    "=:=" => Instr::IsEqExact { fail, a, b },
                    "=/=" => Instr::IsNeExact { fail, a, b },
                    "<" => Instr::IsLt { fail, a, b },
                    ">=" => Instr::IsGe { fail, a, b },
                    ">" => Instr::IsLt { fail, a: b, b: a },
                    "=<" => Instr::IsGe { fail, a: b, b: a },
                    _ => unreachable!(),
                };
                self.mb.emit(i);
            }
            KGExpr::Bif(name, args) if args.len() == 1 && type_test(name).is_some() => {
                let a = self.gvalue(&args[0], fail, live);
                let make = type_test(name).expect("checked");
                self.mb.emit(make(fail, a));
            }
            KGExpr::Bif(name, args) if name == "is_function" && args.len() == 2 => {
                let a = self.gvalue(&args[0], fail, live);
                let b = self.gvalue_avoiding(&args[1], fail, live, &[a]);
                self.mb.emit(Instr::IsFunction2 {
                    fail,
                    arg: a,
                    arity: b,
                });
            }
            KGExpr::Bif(name, args) if name == "is_record" && args.len() == 3 => {
                let a = self.gvalue(&args[0], fail, live);
                if let (
                    KGExpr::Arg(Arg::Lit(tag_lit)),
                    KGExpr::Arg(Arg::Lit(Literal::Integer(crate::token::IntLit::Small(n)))),
                ) = (&args[1], &args[2])
                {
                    let tag = self.mb.literal(tag_lit);
                    self.mb.emit(Instr::IsTaggedTuple {
                        fail,
                        arg: a,
                        arity: *n as u32,
                        tag,
                    });
                } else {
                    let v = self.gvalue(g, fail, live);
                    let t = self.mb.literal(&Literal::atom("true"));
                    self.mb.emit(Instr::IsEqExact { fail, a: v, b: t });
                }
            }
            KGExpr::Bif(name, args) if name == "not" && args.len() == 1 => {
                let v = self.gvalue(&args[0], fail, live);
                let f = self.mb.literal(&Literal::atom("false"));
                self.mb.emit(Instr::IsEqExact { fail, a: v, b: f });
            }
            _ => {
                let v = self.gvalue(g, fail, live);
                let t = self.mb.literal(&Literal::atom("true"));
                self.mb.emit(Instr::IsEqExact { fail, a: v, b: t });
            }
        }
    }

    /// Like `gvalue`, but the registers of `keep` are not overwritten.
    fn gvalue_avoiding(&mut self, g: &KGExpr, fail: i32, live: &Set, keep: &[Src]) -> Src {
        let saved: Vec<Option<VarId>> = self.xregs.clone();
        let mut live2 = live.clone();
        for s in keep {
            if let Some(x) = s.as_x() {
                self.set_x(x, Some(VarId::MAX - x));
                live2.insert(VarId::MAX - x);
            }
        }
        let r = self.gvalue(g, fail, &live2);
        self.xregs = saved;
        if let Some(x) = r.as_x() {
            // Keep the result's register busy for the caller's next steps.
            if self.xregs.get(x as usize).copied().flatten().is_none() {
                self.set_x(x, Some(VarId::MAX - x));
            }
        }
        r
    }

    /// Compute a guard expression's value; exceptions jump to `fail`.
    fn gvalue(&mut self, g: &KGExpr, fail: i32, live: &Set) -> Src {
        match g {
            KGExpr::Arg(a) => self.src(a),
            KGExpr::Bif(name, args) => {
                let mut srcs = Vec::new();
                for a in args {
                    let s = self.gvalue_avoiding(a, fail, live, &srcs);
                    srcs.push(s);
                }
                let avoid: Vec<u32> = srcs.iter().filter_map(|s| s.as_x()).collect();
                let r = self.temp_marked(live, &avoid);
                self.emit_bif(name, args.len(), &srcs, fail, Dst::x(r));
                Src::x(r)
            }
            KGExpr::Cons(h, t) => {
                let hs = self.gvalue(h, fail, live);
                let ts = self.gvalue_avoiding(t, fail, live, &[hs]);
                let avoid: Vec<u32> = [hs, ts].iter().filter_map(|s| s.as_x()).collect();
                let r = self.temp_marked(live, &avoid);
                self.mb.emit(Instr::PutList {
                    head: hs,
                    tail: ts,
                    dst: Dst::x(r),
                });
                Src::x(r)
            }
            KGExpr::Tuple(es) => {
                let mut srcs = Vec::new();
                for e in es {
                    let s = self.gvalue_avoiding(e, fail, live, &srcs);
                    srcs.push(s);
                }
                let avoid: Vec<u32> = srcs.iter().filter_map(|s| s.as_x()).collect();
                let r = self.temp_marked(live, &avoid);
                let elems = self.mb.table(Table::Srcs(srcs));
                self.mb.emit(Instr::PutTuple {
                    elems,
                    dst: Dst::x(r),
                });
                Src::x(r)
            }
            KGExpr::Andalso(a, b) | KGExpr::Orelse(a, b) => {
                let is_and = matches!(g, KGExpr::Andalso(..));
                let va = self.gvalue(a, fail, live);
                let r = self.temp_marked(live, &va.as_x().into_iter().collect::<Vec<_>>());
                let short = self.mb.new_label();
                let done = self.mb.new_label();
                let (t, f) = (
                    self.mb.literal(&Literal::atom("true")),
                    self.mb.literal(&Literal::atom("false")),
                );
                let (continue_on, stop_on) = if is_and { (t, f) } else { (f, t) };
                self.mb.emit(Instr::IsEqExact {
                    fail: short,
                    a: va,
                    b: continue_on,
                });
                let mut live2 = live.clone();
                live2.insert(VarId::MAX - r);
                let vb = self.gvalue(b, fail, &live2);
                self.mb.emit(Instr::Move {
                    src: vb,
                    dst: Dst::x(r),
                });
                self.mb.emit(Instr::Jump { target: done });
                self.mb.place(short);
                self.mb.emit(Instr::IsEqExact {
                    fail,
                    a: va,
                    b: stop_on,
                });
                self.mb.emit(Instr::Move {
                    src: stop_on,
                    dst: Dst::x(r),
                });
                self.mb.place(done);
                Src::x(r)
            }
            KGExpr::RecordField {
                rec,
                name,
                size,
                index,
            } => {
                let rs = self.gvalue(rec, fail, live);
                let tag = self.mb.literal(&Literal::atom(name));
                self.mb.emit(Instr::IsTaggedTuple {
                    fail,
                    arg: rs,
                    arity: *size,
                    tag,
                });
                let r = self.temp_marked(live, &rs.as_x().into_iter().collect::<Vec<_>>());
                self.mb.emit(Instr::GetTupleElement {
                    src: rs,
                    index: *index,
                    dst: Dst::x(r),
                });
                Src::x(r)
            }
            KGExpr::MapNew(_) | KGExpr::MapUpdate(_, _) => {
                let (base, pairs): (Option<&KGExpr>, Vec<(&KGExpr, &KGExpr, bool)>) = match g {
                    KGExpr::MapNew(ps) => (None, ps.iter().map(|(k, v)| (k, v, false)).collect()),
                    KGExpr::MapUpdate(m, ps) => (Some(&**m), ps.iter().map(|(k, v, e)| (k, v, *e)).collect()),
                    _ => unreachable!(),
                };
                let mut srcs = Vec::new();
                let base_src = match base {
                    Some(b) => {
                        let s = self.gvalue(b, fail, live);
                        srcs.push(s);
                        s
                    }
                    None => self.mb.literal(&Literal::Map(vec![])),
                };
                let mut exact = Vec::new();
                let mut assoc = Vec::new();
                for (k, v, e) in pairs {
                    let ks = self.gvalue_avoiding(k, fail, live, &srcs);
                    srcs.push(ks);
                    let vs = self.gvalue_avoiding(v, fail, live, &srcs);
                    srcs.push(vs);
                    if e {
                        exact.push((ks, vs));
                    } else {
                        assoc.push((ks, vs));
                    }
                }
                let avoid: Vec<u32> = srcs.iter().filter_map(|s| s.as_x()).collect();
                let r = self.temp_marked(live, &avoid);
                let mut cur = base_src;
                if !exact.is_empty() {
                    let t = self.mb.table(Table::Pairs(exact));
                    self.mb.emit(Instr::PutMapExact {
                        fail,
                        src: cur,
                        dst: Dst::x(r),
                        live: 0,
                        pairs: t,
                    });
                    cur = Src::x(r);
                }
                let t = self.mb.table(Table::Pairs(assoc));
                self.mb.emit(Instr::PutMapAssoc {
                    src: cur,
                    dst: Dst::x(r),
                    live: 0,
                    pairs: t,
                });
                Src::x(r)
            }
            KGExpr::Binary(segs) => {
                let mut srcs = Vec::new();
                let mut out = Vec::new();
                for (v, sz, ty, unit, flags) in segs {
                    let vs = self.gvalue_avoiding(v, fail, live, &srcs);
                    srcs.push(vs);
                    let ss = match sz {
                        Some(s) => {
                            let x = self.gvalue_avoiding(s, fail, live, &srcs);
                            srcs.push(x);
                            Some(x)
                        }
                        None => None,
                    };
                    out.push(BinSegment {
                        ty: *ty,
                        value: vs,
                        size: ss,
                        unit: *unit,
                        flags: *flags,
                    });
                }
                let avoid: Vec<u32> = srcs.iter().filter_map(|s| s.as_x()).collect();
                let r = self.temp_marked(live, &avoid);
                let t = self.mb.table(Table::Segments(out));
                self.mb.emit(Instr::BsCreateBin {
                    fail,
                    live: 0,
                    segs: t,
                    dst: Dst::x(r),
                });
                Src::x(r)
            }
        }
    }

    /// A temporary register, marked busy so later temporaries avoid it.
    fn temp_marked(&mut self, live: &Set, avoid: &[u32]) -> u32 {
        let r = self.free_x(live, avoid);
        self.set_x(r, Some(VarId::MAX - r));
        r
    }
}

fn live_plus(live: &Set, extra: &[VarId]) -> Set {
    let mut s = live.clone();
    s.extend(extra);
    s
}

fn keep_in_sizes(segs: &[KBinMatch], v: VarId) -> bool {
    segs.iter().any(|s| {
        let mut used = Set::new();
        if let Some(sz) = &s.size {
            gexpr_vars(sz, &mut used);
        }
        used.contains(&v)
    })
}

fn is_atomic(l: &Literal) -> bool {
    matches!(
        l,
        Literal::Atom(_) | Literal::Integer(_) | Literal::Float(_) | Literal::Nil
    )
}

fn is_comparison(n: &str) -> bool {
    matches!(n, "==" | "/=" | "=:=" | "=/=" | "<" | ">=" | ">" | "=<")
}

type TestMaker = fn(i32, Src) -> Instr;

fn type_test(name: &str) -> Option<TestMaker> {
    Some(match name {
        "is_integer" => |fail, arg| Instr::IsInteger { fail, arg },
        "is_float" => |fail, arg| Instr::IsFloat { fail, arg },
        "is_number" => |fail, arg| Instr::IsNumber { fail, arg },
        "is_atom" => |fail, arg| Instr::IsAtom { fail, arg },
        "is_pid" => |fail, arg| Instr::IsPid { fail, arg },
        "is_reference" => |fail, arg| Instr::IsReference { fail, arg },
        "is_port" => |fail, arg| Instr::IsPort { fail, arg },
        "is_binary" => |fail, arg| Instr::IsBinary { fail, arg },
        "is_bitstring" => |fail, arg| Instr::IsBitstring { fail, arg },
        "is_list" => |fail, arg| Instr::IsList { fail, arg },
        "is_tuple" => |fail, arg| Instr::IsTuple { fail, arg },
        "is_function" => |fail, arg| Instr::IsFunction { fail, arg },
        "is_boolean" => |fail, arg| Instr::IsBoolean { fail, arg },
        "is_map" => |fail, arg| Instr::IsMap { fail, arg },
        _ => return None,
    })
}

fn gen_function(mb: &mut ModuleBuilder, f: &KFun) {
    let name = FunName::new(f.name.clone(), f.arity);
    let info_label = mb.infos[&name];
    let entry = mb.entries[&name];
    let module_lit = mb.literal(&Literal::atom(&mb.module.name.clone()));
    let fun_lit = mb.literal(&Literal::atom(&f.name));
    mb.place(info_label);
    mb.line(f.line);
    let info_index = mb.module.code.len() as u32;
    mb.emit(Instr::FuncInfo {
        module: module_lit,
        function: fun_lit,
        arity: f.arity,
        jit: RuntimeSlot::default(),
    });
    mb.place(entry);
    let entry_index = mb.module.code.len() as u32;
    mb.module.functions.push(FunctionInfo {
        name: f.name.clone(),
        arity: f.arity,
        info: info_index,
        entry: entry_index,
    });
    let mut g = FnGen {
        mb,
        yslot: HashMap::new(),
        frame: 0,
        has_frame: false,
        frame_ready: false,
        loc: HashMap::new(),
        xregs: Vec::new(),
        breaks: Vec::new(),
        info_label,
        free_cache: HashMap::new(),
        max_catch_depth: 0,
        catch_depth: 0,
        in_receive: false,
        recv_msg: None,
        floats: Default::default(),
        pinned_x: Vec::new(),
        hint: None,
        ctx_tails: crate::bsm::ctx_tails(f),
    };
    // Which variables need stack slots.
    let mut need = Set::new();
    g.find_y(&f.body, &Set::new(), &mut need);
    g.max_catch_depth = FnGen::catch_depth_of(&f.body);
    let mut slot = g.max_catch_depth;
    for v in &need {
        g.yslot.insert(*v, slot);
        slot += 1;
    }
    g.frame = slot;
    g.has_frame = g.frame > 0 || FnGen::has_call(&f.body);
    // Parameters start in x0..; those that belong in y slots move there
    // when the frame is pushed (ensure_frame).
    let used = g.free(&f.body);
    for (i, p) in f.params.iter().enumerate() {
        if used.contains(p) {
            g.loc.insert(*p, Loc::X(i as u32));
            g.set_x(i as u32, Some(*p));
        }
    }
    g.expr(&f.body, &Set::new());
}

/// Resolve labels to relative offsets.
fn assemble(mb: &mut ModuleBuilder) {
    let pos = mb.label_pos.clone();
    for (i, instr) in mb.module.code.iter_mut().enumerate() {
        let here = i as i64;
        instr.operands_mut(|op| {
            if let Operand::Label(l) = op {
                if *l != 0 {
                    let target = *pos.get(l).unwrap_or_else(|| panic!("label {l} placed")) as i64;
                    *l = (target - here) as i32;
                }
            }
        });
    }
    // Jump tables hold labels too.
    for t in mb.module.tables.iter_mut() {
        if let Table::Jumps(js) = t {
            for (_, l) in js.iter_mut() {
                *l = *pos.get(l).expect("label placed") as i32;
            }
        }
    }
}

/// Generate a bytecode module from a kernel module.
pub fn codegen(k: &KModule) -> Module {
    let mut mb = ModuleBuilder {
        module: Module {
            name: k.name.clone(),
            file: k.file.clone(),
            ..Module::default()
        },
        literal_index: HashMap::new(),
        import_index: HashMap::new(),
        entries: HashMap::new(),
        infos: HashMap::new(),
        next_label: 0,
        label_pos: HashMap::new(),
    };
    for f in &k.functions {
        let name = FunName::new(f.name.clone(), f.arity);
        let info = mb.new_label();
        let entry = mb.new_label();
        mb.infos.insert(name.clone(), info);
        mb.entries.insert(name, entry);
    }
    for f in &k.functions {
        gen_function(&mut mb, f);
    }
    assemble(&mut mb);
    let index_of: HashMap<FunName, u32> = mb
        .module
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| (FunName::new(f.name.clone(), f.arity), i as u32))
        .collect();
    for (i, l) in k.lambdas.iter().enumerate() {
        mb.module.lambdas.push(Lambda {
            function: index_of[&l.function],
            arity: l.arity,
            free: l.free,
            index: i as u32,
            uniq: fxhash(&k.name) as u32,
        });
    }
    mb.module.exports = k.exports.iter().map(|e| (e.name.clone(), e.arity)).collect();
    mb.module.attributes = k.attributes.clone();
    mb.module
}

/// The functions of `math` whose results OTP's compiler types as float.
fn math_gives_float(f: &str) -> bool {
    matches!(
        f,
        "acos"
            | "acosh"
            | "asin"
            | "asinh"
            | "atan"
            | "atan2"
            | "atanh"
            | "ceil"
            | "cos"
            | "cosh"
            | "erf"
            | "erfc"
            | "exp"
            | "floor"
            | "fmod"
            | "log"
            | "log10"
            | "log2"
            | "pi"
            | "pow"
            | "sin"
            | "sinh"
            | "sqrt"
            | "tan"
            | "tanh"
    )
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}
