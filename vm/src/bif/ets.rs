//! The `ets` BIFs: the front end over `crate::ets` (table lookup, access
//! checks, argument checking, copying objects in and out). Operations that
//! walk a whole table (select and friends, tab2list) work a chunk at a time
//! and continue in `ets.erl`'s loop, yielding between chunks.

use super::{BifFn, Ctx};
use crate::atom;
use crate::ets::matchspec::MatchSpec;
use crate::ets::{self, Access, Cursor, Delta, Kind, Obj, Options, Store, Table, Visit};
use crate::heap::{ref_id, Heap};
use crate::order;
use crate::process::{BifResult, Exc};
use crate::signal::{Payload, Signal};
use crate::term::Term;
use std::sync::atomic::Ordering;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("new", 2, new as BifFn),
        ("insert", 2, insert),
        ("insert_new", 2, insert_new),
        ("lookup", 2, lookup),
        ("lookup_element", 3, lookup_element),
        ("member", 2, member),
        ("delete", 1, delete1),
        ("delete", 2, delete2),
        ("delete_object", 2, delete_object),
        ("delete_all_objects", 1, delete_all_objects),
        ("take", 2, take),
        ("update_counter", 3, update_counter3),
        ("update_counter", 4, update_counter4),
        ("update_element", 3, update_element),
        ("first", 1, first),
        ("last", 1, last),
        ("next", 2, next),
        ("prev", 2, prev),
        ("info", 1, info1),
        ("info", 2, info2),
        ("all", 0, all),
        ("whereis", 1, whereis),
        ("rename", 2, rename),
        ("setopts", 2, setopts),
        ("give_away", 3, give_away),
        ("select", 1, select1),
        ("select", 2, select2),
        ("select", 3, select3),
        ("select_reverse", 1, select1),
        ("select_reverse", 2, select_reverse2),
        ("select_reverse", 3, select_reverse3),
        ("select_count", 2, select_count),
        ("select_delete", 2, select_delete),
        ("select_replace", 2, select_replace),
        ("match", 1, select1),
        ("match", 2, match2),
        ("match", 3, match3),
        ("match_object", 1, select1),
        ("match_object", 2, match_object2),
        ("match_object", 3, match_object3),
        ("match_delete", 2, match_delete),
        ("tab2list", 1, tab2list),
        ("$chunk", 1, chunk),
    ] {
        t.push(("ets", n, a, f));
    }
}

// ------------------------------------------------------------- tables

#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Read,
    Write,
    Owner,
}

/// The number of the table a term names, if it names one that exists;
/// Err(badarg) for what cannot name a table at all.
fn resolve(c: &Ctx, tab: Term) -> Result<Option<u64>, Exc> {
    if tab.is_atom() {
        return Ok(c.vm.ets.by_name(tab));
    }
    match ref_id(tab) {
        Some((tid, ets::TABLE_MARK)) => Ok(Some(tid)),
        _ => Err(Exc::badarg()),
    }
}

/// Run `f` on the table `tab` names, checking the caller's access.
fn with_table<R>(
    c: &mut Ctx,
    tab: Term,
    need: Need,
    f: impl FnOnce(&mut Ctx, &Table) -> Result<R, Exc>,
) -> Result<R, Exc> {
    let tid = resolve(c, tab)?.ok_or_else(Exc::badarg)?;
    let vm = c.vm;
    let pid = c.proc.pid();
    vm.ets
        .with(tid, |t| {
            let ok = match need {
                Need::Read => t.can_read(pid),
                Need::Write => t.can_write(pid),
                Need::Owner => t.owner() == pid,
            };
            if !ok {
                return Err(Exc::badarg());
            }
            f(c, t)
        })
        .unwrap_or_else(|| Err(Exc::badarg()))
}

fn copy_out(h: &mut Heap, o: &Obj) -> Term {
    o.copy_to(h)
}

/// An object to store: a tuple with a key at `keypos`.
fn check_obj(t: Term, keypos: usize) -> Result<(), Exc> {
    match t.as_tuple() {
        Some(es) if es.len() >= keypos => Ok(()),
        _ => Err(Exc::badarg()),
    }
}

fn store_insert(t: &Table, objs: Vec<Obj>) {
    let d = match &t.store {
        Store::Hash(h) => h.insert(objs, t.fixed.load(Ordering::Relaxed) > 0),
        Store::Ordered(o) => o.insert(objs),
    };
    t.counters.apply(d);
}

// ------------------------------------------------------------- ets:new

fn parse_options(c: &Ctx, list: Term) -> Result<Options, Exc> {
    let mut o = Options::default();
    for opt in super::list_arg(list)? {
        if opt.is_atom() {
            match atom::name(opt) {
                // OTP 25 ignores `set` (the default) after another type.
                "set" => {}
                "ordered_set" => o.kind = Kind::OrderedSet,
                "bag" => o.kind = Kind::Bag,
                "duplicate_bag" => o.kind = Kind::DuplicateBag,
                "public" => o.access = Access::Public,
                "protected" => o.access = Access::Protected,
                "private" => o.access = Access::Private,
                "named_table" => o.named = true,
                "compressed" => o.compressed = true,
                _ => return Err(Exc::badarg()),
            }
            continue;
        }
        match opt.as_tuple() {
            Some([k, v]) if k.is_atom() => match (atom::name(*k), *v) {
                ("keypos", n) if n.is_small() && n.small_value() >= 1 => o.keypos = n.small_value() as usize,
                ("heir", h) if h == atom::atom("none") => o.heir = None,
                ("write_concurrency", b) if b.is_boolean() => {
                    o.write_concurrency = b == atom::TRUE;
                    o.auto = false;
                    o.locks = None;
                }
                ("write_concurrency", a) if a == atom::atom("auto") => {
                    o.auto = true;
                    o.write_concurrency = true;
                }
                // Beryl: the number of lock stripes.
                ("write_concurrency", n) if n.is_small() && (1..=65536).contains(&n.small_value()) => {
                    o.write_concurrency = true;
                    o.locks = Some(n.small_value() as usize);
                }
                ("read_concurrency", b) if b.is_boolean() => o.read_concurrency = b == atom::TRUE,
                ("decentralized_counters", b) if b.is_boolean() => o.decentralized = Some(b == atom::TRUE),
                _ => return Err(Exc::badarg()),
            },
            Some([k, p, d]) if *k == atom::atom("heir") && p.is_pid() => o.heir = Some((*p, *d)),
            _ => return Err(Exc::badarg()),
        }
    }
    let _ = c;
    Ok(o)
}

fn new(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    let o = parse_options(c, a[1])?;
    let tid = c.vm.ets.create(a[0], c.proc.pid(), &o)?;
    if o.named {
        Ok(a[0])
    } else {
        Ok(ets::table_ref(&mut c.proc.heap, tid))
    }
}

// ------------------------------------------------------------- writes

fn objects_of(arg: Term, keypos: usize) -> Result<Vec<Term>, Exc> {
    if arg.is_tuple() {
        check_obj(arg, keypos)?;
        return Ok(vec![arg]);
    }
    let v = super::list_arg(arg)?;
    for o in &v {
        check_obj(*o, keypos)?;
    }
    Ok(v)
}

fn insert(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |_, t| {
        let mut terms = objects_of(a[1], t.keypos)?;
        if terms.is_empty() {
            return Ok(atom::TRUE);
        }
        if t.kind == Kind::Bag {
            // OTP 25 stores a list of objects into a bag last first.
            terms.reverse();
        }
        store_insert(t, terms.into_iter().map(Obj::new).collect());
        Ok(atom::TRUE)
    })
}

fn insert_new(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |_, t| {
        let mut terms = objects_of(a[1], t.keypos)?;
        if terms.is_empty() {
            return Ok(atom::TRUE);
        }
        if t.kind == Kind::Bag {
            terms.reverse();
        }
        let objs: Vec<Obj> = terms.into_iter().map(Obj::new).collect();
        let d = match &t.store {
            Store::Hash(h) => h.insert_new(objs, t.fixed.load(Ordering::Relaxed) > 0),
            Store::Ordered(o) => o.insert_new(objs),
        };
        match d {
            Some(d) => {
                t.counters.apply(d);
                Ok(atom::TRUE)
            }
            None => Ok(atom::FALSE),
        }
    })
}

fn remove(t: &Table, key: Term, pred: Option<&dyn Fn(&Obj) -> bool>) -> Vec<Obj> {
    let out = match &t.store {
        Store::Hash(h) => h.remove(key, pred),
        Store::Ordered(o) => o.remove(key, pred),
    };
    let mut d = Delta::default();
    for o in &out {
        d.remove(o);
    }
    t.counters.apply(d);
    out
}

fn delete1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let tid = with_table(c, a[0], Need::Write, |_, t| Ok(t.tid))?;
    c.vm.ets.delete(tid);
    Ok(atom::TRUE)
}

fn delete2(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |_, t| {
        drop(remove(t, a[1], None));
        Ok(atom::TRUE)
    })
}

fn delete_object(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |_, t| {
        check_obj(a[1], t.keypos)?;
        let key = a[1].tuple_elems()[t.keypos - 1];
        let whole = a[1];
        drop(remove(
            t,
            key,
            Some(&|o: &Obj| order::exact_equal(o.term(), whole)),
        ));
        Ok(atom::TRUE)
    })
}

fn delete_all_objects(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |_, t| {
        ets::free_objects(t.clear());
        Ok(atom::TRUE)
    })
}

fn take(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |c, t| {
        let objs = remove(t, a[1], None);
        let items: Vec<Term> = objs.iter().map(|o| copy_out(&mut c.proc.heap, o)).collect();
        Ok(c.proc.heap.list(&items))
    })
}

// ------------------------------------------------------------- reads

fn visit_key(t: &Table, key: Term, f: &mut dyn FnMut(&Obj)) {
    match &t.store {
        Store::Hash(h) => h.lookup(key, f),
        Store::Ordered(o) => o.lookup(key, f),
    }
}

fn lookup(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Read, |c, t| {
        let mut items: smallvec_lite::Items = Default::default();
        let heap = &mut c.proc.heap;
        visit_key(t, a[1], &mut |o| items.push(copy_out(heap, o)));
        Ok(items.to_list(heap))
    })
}

/// A few terms without allocating for the common cases (0 or 1).
mod smallvec_lite {
    use crate::heap::Heap;
    use crate::term::Term;

    #[derive(Default)]
    pub struct Items {
        one: Option<Term>,
        more: Vec<Term>,
    }

    impl Items {
        pub fn push(&mut self, t: Term) {
            if self.one.is_none() && self.more.is_empty() {
                self.one = Some(t);
            } else {
                if let Some(o) = self.one.take() {
                    self.more.push(o);
                }
                self.more.push(t);
            }
        }
        pub fn to_list(&self, h: &mut Heap) -> Term {
            match self.one {
                Some(t) => h.cons(t, Term::NIL),
                None => h.list(&self.more),
            }
        }
    }
}

fn lookup_element(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[2].is_small() || a[2].small_value() < 1 {
        return Err(Exc::badarg());
    }
    let pos = a[2].small_value() as usize;
    with_table(c, a[0], Need::Read, |c, t| {
        let heap = &mut c.proc.heap;
        let mut items = Vec::new();
        let mut bad = false;
        visit_key(t, a[1], &mut |o| {
            let es = o.term().tuple_elems();
            match es.get(pos - 1) {
                Some(e) => items.push(crate::copy::copy(heap, *e)),
                None => bad = true,
            }
        });
        if bad || items.is_empty() {
            return Err(Exc::badarg());
        }
        if t.kind.is_bag() {
            Ok(heap.list(&items))
        } else {
            Ok(items[0])
        }
    })
}

fn member(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Read, |_, t| {
        Ok(Term::boolean(match &t.store {
            Store::Hash(h) => h.member(a[1]),
            Store::Ordered(o) => o.member(a[1]),
        }))
    })
}

fn key_or_end(found: Option<Term>) -> BifResult {
    Ok(found.unwrap_or_else(|| atom::atom("$end_of_table")))
}

fn step(c: &mut Ctx, a: &[Term], which: u8) -> BifResult {
    with_table(c, a[0], Need::Read, |c, t| {
        let heap = &mut c.proc.heap;
        let keypos = t.keypos;
        let mut found = None;
        let mut f = |o: &Obj| found = Some(crate::copy::copy(heap, o.key(keypos)));
        match (&t.store, which) {
            (Store::Hash(h), 0 | 1) => {
                h.first(&mut f);
            }
            (Store::Hash(h), _) => {
                if h.next(a[1], &mut f).is_err() {
                    return Err(Exc::badarg());
                }
            }
            (Store::Ordered(o), 0) => {
                o.first(&mut f);
            }
            (Store::Ordered(o), 1) => {
                o.last(&mut f);
            }
            (Store::Ordered(o), 2) => {
                o.next(a[1], &mut f);
            }
            (Store::Ordered(o), _) => {
                o.prev(a[1], &mut f);
            }
        }
        key_or_end(found)
    })
}

fn first(c: &mut Ctx, a: &[Term]) -> BifResult {
    step(c, a, 0)
}
fn last(c: &mut Ctx, a: &[Term]) -> BifResult {
    step(c, a, 1)
}
fn next(c: &mut Ctx, a: &[Term]) -> BifResult {
    step(c, a, 2)
}
fn prev(c: &mut Ctx, a: &[Term]) -> BifResult {
    step(c, a, 3)
}

// ------------------------------------------------------------- updates

/// One `{Pos, Incr[, Threshold, SetValue]}` of update_counter.
struct CounterOp {
    pos: usize,
    incr: Term,
    threshold: Option<(Term, Term)>,
}

fn counter_ops(spec: Term) -> Result<(Vec<CounterOp>, bool), Exc> {
    let int = |t: Term| t.is_integer();
    let one = |t: Term| -> Result<CounterOp, Exc> {
        match t.as_tuple() {
            Some([p, i]) if p.is_small() && p.small_value() >= 1 && int(*i) => Ok(CounterOp {
                pos: p.small_value() as usize,
                incr: *i,
                threshold: None,
            }),
            Some([p, i, th, sv])
                if p.is_small() && p.small_value() >= 1 && int(*i) && int(*th) && int(*sv) =>
            {
                Ok(CounterOp {
                    pos: p.small_value() as usize,
                    incr: *i,
                    threshold: Some((*th, *sv)),
                })
            }
            _ => Err(Exc::badarg()),
        }
    };
    if spec.is_integer() {
        // The position after the key: filled in by the caller.
        return Ok((
            vec![CounterOp {
                pos: 0,
                incr: spec,
                threshold: None,
            }],
            false,
        ));
    }
    if spec.is_tuple() {
        return Ok((vec![one(spec)?], false));
    }
    let list = super::list_arg(spec)?;
    Ok((list.into_iter().map(one).collect::<Result<_, _>>()?, true))
}

fn update_counter3(c: &mut Ctx, a: &[Term]) -> BifResult {
    update_counter(c, a[0], a[1], a[2], None)
}

fn update_counter4(c: &mut Ctx, a: &[Term]) -> BifResult {
    update_counter(c, a[0], a[1], a[2], Some(a[3]))
}

/// Apply counter ops to the elements of `old`: the new elements and the
/// results (in the caller's heap).
fn apply_counters(
    c: &mut Ctx,
    old: &[Term],
    ops: &[CounterOp],
    keypos: usize,
) -> Result<(Vec<Term>, Vec<Term>), Exc> {
    let add = super::arith::add as BifFn;
    let mut elems = old.to_vec();
    let mut results = Vec::with_capacity(ops.len());
    for op in ops {
        let pos = if op.pos == 0 { keypos + 1 } else { op.pos };
        if pos == keypos || pos > elems.len() || !elems[pos - 1].is_integer() {
            return Err(Exc::badarg());
        }
        let mut v = add(c, &[elems[pos - 1], op.incr])?;
        if let Some((th, sv)) = op.threshold {
            let neg = order::compare(op.incr, Term::small(0), false).is_lt();
            let over = if neg {
                order::compare(v, th, false).is_lt()
            } else {
                order::compare(v, th, false).is_gt()
            };
            if over {
                v = sv;
            }
        }
        elems[pos - 1] = v;
        results.push(v);
    }
    Ok((elems, results))
}

fn update_counter(c: &mut Ctx, tab: Term, key: Term, spec: Term, default: Option<Term>) -> BifResult {
    let (ops, many) = counter_ops(spec)?;
    with_table(c, tab, Need::Write, |c, t| {
        if t.kind.is_bag() {
            return Err(Exc::badarg());
        }
        if let Some(d) = default {
            check_obj(d, t.keypos)?;
        }
        let keypos = t.keypos;
        let mut new_words = 0i64;
        let mut run = |c: &mut Ctx, old: &[Term]| -> Result<(Obj, Vec<Term>), Exc> {
            let (elems, results) = apply_counters(c, old, &ops, keypos)?;
            let mut scratch = Heap::new(elems.len() + 1);
            let tuple = scratch.tuple(&elems);
            let obj = Obj::new(tuple);
            new_words = obj.words() as i64;
            Ok((obj, results))
        };
        loop {
            let r = match &t.store {
                Store::Hash(h) => h.update_with(key, &mut |o| match run(c, o.term().tuple_elems()) {
                    Ok((obj, res)) => Ok((obj, Ok(res))),
                    Err(e) => Err(Err(e)),
                }),
                Store::Ordered(s) => s.update_with(key, &mut |o| match run(c, o.term().tuple_elems()) {
                    Ok((obj, res)) => Ok((obj, Ok(res))),
                    Err(e) => Err(Err(e)),
                }),
            };
            match r {
                Some((old, res)) => {
                    let res = res?;
                    if let Some(old) = old {
                        t.counters.apply(Delta {
                            objs: 0,
                            words: new_words - old.words() as i64,
                        });
                    }
                    return Ok(if many { c.proc.heap.list(&res) } else { res[0] });
                }
                None => {
                    let Some(d) = default else {
                        return Err(Exc::badarg());
                    };
                    // Insert the default (with the key) unless someone
                    // else inserted the key meanwhile, then update.
                    let mut elems = d.tuple_elems().to_vec();
                    elems[keypos - 1] = key;
                    let mut scratch = Heap::new(elems.len() + 1);
                    let tuple = scratch.tuple(&elems);
                    // Check the ops on the default first: a bad op must not
                    // leave the default behind.
                    apply_counters(c, &elems, &ops, keypos)?;
                    let objs = vec![Obj::new(tuple)];
                    let d = match &t.store {
                        Store::Hash(h) => h.insert_new(objs, t.fixed.load(Ordering::Relaxed) > 0),
                        Store::Ordered(o) => o.insert_new(objs),
                    };
                    if let Some(d) = d {
                        t.counters.apply(d);
                    }
                }
            }
        }
    })
}

fn update_element(c: &mut Ctx, a: &[Term]) -> BifResult {
    let pairs: Vec<(usize, Term)> = {
        let one = |t: Term| -> Result<(usize, Term), Exc> {
            match t.as_tuple() {
                Some([p, v]) if p.is_small() && p.small_value() >= 1 => Ok((p.small_value() as usize, *v)),
                _ => Err(Exc::badarg()),
            }
        };
        if a[2].is_tuple() {
            vec![one(a[2])?]
        } else {
            super::list_arg(a[2])?
                .into_iter()
                .map(one)
                .collect::<Result<_, _>>()?
        }
    };
    with_table(c, a[0], Need::Write, |_, t| {
        if t.kind.is_bag() {
            return Err(Exc::badarg());
        }
        let keypos = t.keypos;
        let mut new_words = 0i64;
        let mut f = |o: &Obj| -> Result<(Obj, Result<(), Exc>), Result<(), Exc>> {
            let mut elems = o.term().tuple_elems().to_vec();
            for (p, v) in &pairs {
                if *p == keypos || *p > elems.len() {
                    return Err(Err(Exc::badarg()));
                }
                elems[p - 1] = *v;
            }
            let mut scratch = Heap::new(elems.len() + 1);
            let tuple = scratch.tuple(&elems);
            let obj = Obj::new(tuple);
            new_words = obj.words() as i64;
            Ok((obj, Ok(())))
        };
        let r = match &t.store {
            Store::Hash(h) => h.update_with(a[1], &mut f),
            Store::Ordered(s) => s.update_with(a[1], &mut f),
        };
        match r {
            None => Ok(atom::FALSE),
            Some((old, res)) => {
                res?;
                if let Some(old) = old {
                    t.counters.apply(Delta {
                        objs: 0,
                        words: new_words - old.words() as i64,
                    });
                }
                Ok(atom::TRUE)
            }
        }
    })
}

// ------------------------------------------------------------- info

fn info_item(c: &mut Ctx, t: &Table, item: &str) -> Option<Term> {
    let h = &mut c.proc.heap;
    Some(match item {
        "id" => ets::table_ref(h, t.tid),
        "decentralized_counters" => Term::boolean(t.decentralized),
        "read_concurrency" => Term::boolean(t.read_concurrency),
        "write_concurrency" => {
            if t.auto {
                atom::atom("auto")
            } else {
                Term::boolean(t.write_concurrency)
            }
        }
        "compressed" => Term::boolean(t.compressed),
        "memory" => h.int(t.memory_words()),
        "owner" => t.owner(),
        "heir" => match &*t.heir.lock().unwrap_or_else(|e| e.into_inner()) {
            Some((p, _)) => *p,
            None => atom::atom("none"),
        },
        "name" => t.name(),
        "size" => h.int(t.size()),
        "node" => c.vm.node_name(),
        "named_table" => Term::boolean(t.named),
        "type" => atom::atom(t.kind.name()),
        "keypos" => Term::small(t.keypos as i64),
        "protection" => atom::atom(t.access.name()),
        "fixed" => Term::boolean(t.fixed.load(Ordering::Relaxed) > 0),
        "safe_fixed" | "safe_fixed_monotonic_time" => atom::FALSE,
        // Beryl: the number of lock stripes.
        "locks" => Term::small(t.locks() as i64),
        _ => return None,
    })
}

const INFO_ITEMS: &[&str] = &[
    "id",
    "decentralized_counters",
    "read_concurrency",
    "write_concurrency",
    "compressed",
    "memory",
    "owner",
    "heir",
    "name",
    "size",
    "node",
    "named_table",
    "type",
    "keypos",
    "protection",
];

fn info1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(tid) = resolve(c, a[0])? else {
        return Ok(atom::UNDEFINED);
    };
    let vm = c.vm;
    let r = vm.ets.with(tid, |t| {
        let mut items = Vec::new();
        for name in INFO_ITEMS {
            let v = info_item(c, t, name).unwrap_or(atom::UNDEFINED);
            items.push(c.proc.heap.tuple(&[atom::atom(name), v]));
        }
        c.proc.heap.list(&items)
    });
    Ok(r.unwrap_or(atom::UNDEFINED))
}

fn info2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(tid) = resolve(c, a[0])? else {
        return Ok(atom::UNDEFINED);
    };
    if !a[1].is_atom() {
        return Err(Exc::badarg());
    }
    let vm = c.vm;
    match vm.ets.with(tid, |t| info_item(c, t, atom::name(a[1]))) {
        None => Ok(atom::UNDEFINED),
        Some(None) => Err(Exc::badarg()),
        Some(Some(v)) => Ok(v),
    }
}

fn all(c: &mut Ctx, _: &[Term]) -> BifResult {
    let tabs = c.vm.ets.all();
    let items: Vec<Term> = tabs
        .into_iter()
        .map(|(tid, name)| ets::table_term(&mut c.proc.heap, tid, name))
        .collect();
    Ok(c.proc.heap.list(&items))
}

fn whereis(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    match c
        .vm
        .ets
        .by_name(a[0])
        .and_then(|tid| c.vm.ets.with(tid, |t| t.tid))
    {
        Some(tid) => Ok(ets::table_ref(&mut c.proc.heap, tid)),
        None => Ok(atom::UNDEFINED),
    }
}

fn rename(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[1].is_atom() {
        return Err(Exc::badarg());
    }
    with_table(c, a[0], Need::Write, |c, t| {
        if t.named {
            if !c.vm.ets.rename(t, a[1]) {
                return Err(Exc::badarg());
            }
            Ok(a[1])
        } else {
            t.name.store(a[1].0, Ordering::Relaxed);
            Ok(ets::table_ref(&mut c.proc.heap, t.tid))
        }
    })
}

fn setopts(c: &mut Ctx, a: &[Term]) -> BifResult {
    let opts = if a[1].is_tuple() {
        vec![a[1]]
    } else {
        super::list_arg(a[1])?
    };
    let mut heirs = Vec::new();
    for o in opts {
        match o.as_tuple() {
            Some([k, n]) if *k == atom::atom("heir") && *n == atom::atom("none") => heirs.push(None),
            Some([k, p, d]) if *k == atom::atom("heir") && p.is_pid() => heirs.push(Some((*p, *d))),
            _ => return Err(Exc::badarg()),
        }
    }
    with_table(c, a[0], Need::Owner, |_, t| {
        for h in heirs {
            *t.heir.lock().unwrap_or_else(|e| e.into_inner()) = h.map(|(p, d)| (p, Payload::copy_of(d)));
        }
        Ok(atom::TRUE)
    })
}

fn give_away(c: &mut Ctx, a: &[Term]) -> BifResult {
    let to = a[1];
    if !to.is_local_pid() || to == c.proc.pid() || !c.vm.ptab.lookup(to).is_some_and(|p| p.is_alive()) {
        return Err(Exc::badarg());
    }
    let me = c.proc.pid();
    let data = a[2];
    with_table(c, a[0], Need::Owner, |c, t| {
        c.vm.ets.set_owner(t, to);
        let name = t.named.then(|| t.name());
        let tid = t.tid;
        let msg = Payload::compose(|h| {
            let tab = ets::table_term(h, tid, name);
            h.tuple(&[atom::atom("ETS-TRANSFER"), tab, me, data])
        });
        crate::sched::signals::send_signal(c.vm, to, Signal::Message(msg.into_message()));
        Ok(atom::TRUE)
    })
}

// ------------------------------------------------------------- select

/// What a table walk does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Select,
    Count,
    Delete,
    Replace,
}

impl Mode {
    fn atom(self) -> Term {
        atom::atom(match self {
            Mode::Select => "select",
            Mode::Count => "count",
            Mode::Delete => "delete",
            Mode::Replace => "replace",
        })
    }
    fn from_atom(t: Term) -> Option<Mode> {
        Some(match atom::name(t) {
            "select" => Mode::Select,
            "count" => Mode::Count,
            "delete" => Mode::Delete,
            "replace" => Mode::Replace,
            _ => return None,
        })
    }
}

/// Objects visited per chunk before yielding.
const CHUNK: usize = 2000;

/// A walk in progress (the state `ets.erl`'s loop carries between
/// chunks, and select/3's continuations).
struct Walk {
    tab: Term,
    ms_term: Term,
    cursor: Term,
    /// Results so far, newest first (select), or a count.
    acc: Term,
    mode: Mode,
    reverse: bool,
    /// select/3: results per chunk.
    limit: Option<usize>,
}

const END: &str = "$end_of_table";

fn cursor_term(h: &mut Heap, c: Cursor) -> Term {
    match c {
        Cursor::Start => Term::NIL,
        Cursor::Slot(s, b) => {
            let s = h.int(s as i64);
            let b = h.int(b as i64);
            h.tuple(&[s, b])
        }
        Cursor::After(p) => {
            let k = crate::copy::copy(h, p.term);
            h.tuple(&[k])
        }
        Cursor::Done => atom::atom(END),
    }
}

fn cursor_of(t: Term) -> Result<Cursor, Exc> {
    if t.is_nil() {
        return Ok(Cursor::Start);
    }
    if t == atom::atom(END) {
        return Ok(Cursor::Done);
    }
    match t.as_tuple() {
        Some([s, b]) if s.is_small() && b.is_small() && s.small_value() >= 0 && b.small_value() >= 0 => {
            Ok(Cursor::Slot(s.small_value() as usize, b.small_value() as usize))
        }
        Some([k]) => Ok(Cursor::After(Payload::copy_of(*k))),
        _ => Err(Exc::badarg()),
    }
}

/// Run one chunk of a walk. Returns the results of this chunk (select,
/// newest first onto `acc`) and the cursor to go on from.
fn walk_chunk(c: &mut Ctx, w: &mut Walk, budget: usize) -> Result<bool, Exc> {
    let mode = w.mode;
    let need = if matches!(mode, Mode::Select | Mode::Count) {
        Need::Read
    } else {
        Need::Write
    };
    let ms_term = w.ms_term;
    let cursor = cursor_of(w.cursor)?;
    let limit = w.limit;
    let reverse = w.reverse;
    let acc0 = w.acc;
    let (next, acc) = with_table(c, w.tab, need, |c, t| {
        let ms = MatchSpec::compile(ms_term).map_err(|_| Exc::badarg())?;
        if mode == Mode::Replace && (!ms.keeps_key(t.keypos) || t.kind == Kind::Bag) {
            return Err(Exc::badarg());
        }
        let keypos = t.keypos;
        let mut acc = acc0;
        let mut count: i64 = if acc0.is_small() { acc0.small_value() } else { 0 };
        let mut got = 0usize;
        let mut d = Delta::default();
        // A head that fixes the key: look it up instead of walking.
        if matches!(cursor, Cursor::Start) && matches!(mode, Mode::Select | Mode::Count) {
            if let Some(k) = ms.bound_key(keypos) {
                let mut hits = Vec::new();
                visit_key(t, k, &mut |o| {
                    if mode == Mode::Count {
                        if ms.run_true(c, o) {
                            count += 1;
                        }
                    } else if let Some(r) = ms.run(c, o) {
                        hits.push(r);
                    }
                });
                for r in hits {
                    acc = c.proc.heap.cons(r, acc);
                }
                let acc = if mode == Mode::Count {
                    c.proc.heap.int(count)
                } else {
                    acc
                };
                return Ok((Cursor::Done, acc));
            }
        }
        let mut f = |o: &Obj| -> (Visit, bool) {
            match mode {
                Mode::Select => {
                    if let Some(r) = ms.run(c, o) {
                        acc = c.proc.heap.cons(r, acc);
                        got += 1;
                    }
                    (Visit::Keep, limit.is_some_and(|l| got >= l))
                }
                Mode::Count => {
                    if ms.run_true(c, o) {
                        count += 1;
                    }
                    (Visit::Keep, false)
                }
                Mode::Delete => {
                    if ms.run_true(c, o) {
                        count += 1;
                        (Visit::Delete, false)
                    } else {
                        (Visit::Keep, false)
                    }
                }
                Mode::Replace => match ms.run(c, o) {
                    Some(r)
                        if r.as_tuple().is_some_and(|es| {
                            es.len() >= keypos && order::exact_equal(es[keypos - 1], o.key(keypos))
                        }) =>
                    {
                        count += 1;
                        (Visit::Replace(Obj::new(r)), false)
                    }
                    _ => (Visit::Keep, false),
                },
            }
        };
        let write = matches!(mode, Mode::Delete | Mode::Replace);
        let next = match &t.store {
            Store::Hash(h) => h.scan(&cursor, budget, write, &mut d, &mut f),
            Store::Ordered(o) => o.scan(&cursor, budget, write, reverse, &mut d, &mut f),
        };
        t.counters.apply(d);
        let acc = if mode == Mode::Select {
            acc
        } else {
            c.proc.heap.int(count)
        };
        Ok((next, acc))
    })?;
    let done = matches!(next, Cursor::Done);
    w.cursor = cursor_term(&mut c.proc.heap, next);
    w.acc = acc;
    Ok(done)
}

fn walk_state(c: &mut Ctx, w: &Walk) -> Term {
    let limit = match w.limit {
        Some(l) => Term::small(l as i64),
        None => atom::atom("infinity"),
    };
    c.proc.heap.tuple(&[
        atom::atom("$ets_walk"),
        w.tab,
        w.ms_term,
        w.cursor,
        w.acc,
        w.mode.atom(),
        Term::boolean(w.reverse),
        limit,
    ])
}

fn walk_of(t: Term) -> Result<Walk, Exc> {
    match t.as_tuple() {
        Some([tag, tab, ms, cursor, acc, mode, rev, limit]) if *tag == atom::atom("$ets_walk") => Ok(Walk {
            tab: *tab,
            ms_term: *ms,
            cursor: *cursor,
            acc: *acc,
            mode: Mode::from_atom(*mode).ok_or_else(Exc::badarg)?,
            reverse: *rev == atom::TRUE,
            limit: if limit.is_small() && limit.small_value() > 0 {
                Some(limit.small_value() as usize)
            } else {
                None
            },
        }),
        _ => Err(Exc::badarg()),
    }
}

fn reverse_list(h: &mut Heap, l: Term) -> Term {
    let mut out = Term::NIL;
    let mut cur = l;
    while cur.is_cons() {
        let (x, t) = cur.cons_parts();
        out = h.cons(x, out);
        cur = t;
    }
    out
}

fn set_fixed(c: &mut Ctx, tab: Term, delta: isize) {
    if let Ok(Some(tid)) = resolve(c, tab) {
        c.vm.ets.with(tid, |t| {
            if delta > 0 {
                t.fixed.fetch_add(1, Ordering::Relaxed);
            } else {
                let _ = t
                    .fixed
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1));
            }
        });
    }
}

/// Run a whole-table walk: a first chunk here; if more remains, go on in
/// `ets:'$walk'/1` (ets.erl), a chunk per call, yielding between them.
fn start_walk(c: &mut Ctx, mut w: Walk) -> BifResult {
    // Check the table and the match specification before anything else.
    with_table(c, w.tab, Need::Read, |_, _| Ok(()))?;
    if MatchSpec::compile(w.ms_term).is_err() {
        return Err(Exc::badarg());
    }
    if walk_chunk(c, &mut w, CHUNK)? {
        return Ok(finish(c, &w));
    }
    set_fixed(c, w.tab, 1);
    c.proc.force_yield = true;
    let state = walk_state(c, &w);
    Err(Exc::Apply {
        module: atom::atom("ets"),
        function: atom::atom("$walk"),
        args: vec![state],
    })
}

fn finish(c: &mut Ctx, w: &Walk) -> Term {
    match w.mode {
        Mode::Select => reverse_list(&mut c.proc.heap, w.acc),
        _ => w.acc,
    }
}

/// `ets:'$chunk'(State)`: `{more, State}` or `{done, Result}`.
fn chunk(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut w = walk_of(a[0])?;
    let done = match walk_chunk(c, &mut w, CHUNK) {
        Ok(d) => d,
        Err(e) => {
            set_fixed(c, w.tab, -1);
            return Err(e);
        }
    };
    c.proc.force_yield = true;
    if done {
        set_fixed(c, w.tab, -1);
        let r = finish(c, &w);
        return Ok(c.proc.heap.tuple(&[atom::atom("done"), r]));
    }
    let s = walk_state(c, &w);
    Ok(c.proc.heap.tuple(&[atom::atom("more"), s]))
}

fn walk(tab: Term, ms_term: Term, mode: Mode, reverse: bool) -> Walk {
    Walk {
        tab,
        ms_term,
        cursor: Term::NIL,
        acc: if mode == Mode::Select {
            Term::NIL
        } else {
            Term::small(0)
        },
        mode,
        reverse,
        limit: None,
    }
}

fn select2(c: &mut Ctx, a: &[Term]) -> BifResult {
    start_walk(c, walk(a[0], a[1], Mode::Select, false))
}

fn select_reverse2(c: &mut Ctx, a: &[Term]) -> BifResult {
    start_walk(c, walk(a[0], a[1], Mode::Select, true))
}

fn select_count(c: &mut Ctx, a: &[Term]) -> BifResult {
    start_walk(c, walk(a[0], a[1], Mode::Count, false))
}

fn select_delete(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |_, _| Ok(()))?;
    start_walk(c, walk(a[0], a[1], Mode::Delete, false))
}

fn select_replace(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_table(c, a[0], Need::Write, |_, t| {
        let ms = MatchSpec::compile(a[1]).map_err(|_| Exc::badarg())?;
        if !ms.keeps_key(t.keypos) || t.kind == Kind::Bag {
            return Err(Exc::badarg());
        }
        Ok(())
    })?;
    start_walk(c, walk(a[0], a[1], Mode::Replace, false))
}

fn tab2list(c: &mut Ctx, a: &[Term]) -> BifResult {
    let ms = all_objects_ms(&mut c.proc.heap);
    start_walk(c, walk(a[0], ms, Mode::Select, false))
}

fn all_objects_ms(h: &mut Heap) -> Term {
    let guards = Term::NIL;
    let body = h.list(&[atom::atom("$_")]);
    let clause = h.tuple(&[atom::atom("_"), guards, body]);
    h.list(&[clause])
}

fn pattern_ms(h: &mut Heap, pattern: Term, object: bool) -> Term {
    let body = h.list(&[atom::atom(if object { "$_" } else { "$$" })]);
    let clause = h.tuple(&[pattern, Term::NIL, body]);
    h.list(&[clause])
}

fn match2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let ms = pattern_ms(&mut c.proc.heap, a[1], false);
    start_walk(c, walk(a[0], ms, Mode::Select, false))
}

fn match_object2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let ms = pattern_ms(&mut c.proc.heap, a[1], true);
    start_walk(c, walk(a[0], ms, Mode::Select, false))
}

fn match_delete(c: &mut Ctx, a: &[Term]) -> BifResult {
    let h = &mut c.proc.heap;
    let body = h.list(&[atom::TRUE]);
    let clause = h.tuple(&[a[1], Term::NIL, body]);
    let ms = h.list(&[clause]);
    with_table(c, a[0], Need::Write, |_, _| Ok(()))?;
    match start_walk(c, walk(a[0], ms, Mode::Delete, false)) {
        Ok(_) => Ok(atom::TRUE),
        // The loop in ets.erl finishes the job; match_delete returns true.
        Err(Exc::Apply { args, .. }) => Err(Exc::Apply {
            module: atom::atom("ets"),
            function: atom::atom("$walk_true"),
            args,
        }),
        Err(e) => Err(e),
    }
}

// --------------------------------------------- select/3 and continuations

fn limited(c: &mut Ctx, tab: Term, ms: Term, limit: Term, reverse: bool) -> BifResult {
    if !limit.is_small() || limit.small_value() < 1 {
        return Err(Exc::badarg());
    }
    with_table(c, tab, Need::Read, |_, _| Ok(()))?;
    if MatchSpec::compile(ms).is_err() {
        return Err(Exc::badarg());
    }
    let w = Walk {
        tab,
        ms_term: ms,
        cursor: Term::NIL,
        acc: Term::NIL,
        mode: Mode::Select,
        reverse,
        limit: Some(limit.small_value() as usize),
    };
    continue_limited(c, w)
}

/// One select/3 step: `{Results, Continuation}` or '$end_of_table'.
fn continue_limited(c: &mut Ctx, mut w: Walk) -> BifResult {
    let limit = w.limit.unwrap_or(1);
    w.acc = Term::NIL;
    let mut got = 0;
    let mut results = Vec::new();
    let mut done = matches!(cursor_of(w.cursor)?, Cursor::Done);
    while !done && got < limit {
        w.limit = Some(limit - got);
        done = walk_chunk(c, &mut w, usize::MAX)?;
        let mut cur = w.acc;
        let mut chunk = Vec::new();
        while cur.is_cons() {
            let (x, t) = cur.cons_parts();
            chunk.push(x);
            cur = t;
        }
        chunk.reverse();
        got += chunk.len();
        results.extend(chunk);
        w.acc = Term::NIL;
    }
    if results.is_empty() {
        return Ok(atom::atom(END));
    }
    let list = c.proc.heap.list(&results);
    w.limit = Some(limit);
    let cont = if done && got < limit {
        atom::atom(END)
    } else {
        walk_state(c, &w)
    };
    Ok(c.proc.heap.tuple(&[list, cont]))
}

fn select3(c: &mut Ctx, a: &[Term]) -> BifResult {
    limited(c, a[0], a[1], a[2], false)
}

fn select_reverse3(c: &mut Ctx, a: &[Term]) -> BifResult {
    limited(c, a[0], a[1], a[2], true)
}

fn match3(c: &mut Ctx, a: &[Term]) -> BifResult {
    let ms = pattern_ms(&mut c.proc.heap, a[1], false);
    limited(c, a[0], ms, a[2], false)
}

fn match_object3(c: &mut Ctx, a: &[Term]) -> BifResult {
    let ms = pattern_ms(&mut c.proc.heap, a[1], true);
    limited(c, a[0], ms, a[2], false)
}

fn select1(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0] == atom::atom(END) {
        return Ok(a[0]);
    }
    let w = walk_of(a[0])?;
    if w.limit.is_none() {
        return Err(Exc::badarg());
    }
    continue_limited(c, w)
}
