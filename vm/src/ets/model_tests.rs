//! Property tests: random operation sequences run on each table type's
//! store and on a simple model of it; every result must agree.

use super::hash::HashStore;
use super::ordered::OrderedStore;
use super::{Cursor, Delta, Kind, Obj, Visit};
use crate::heap::Heap;
use crate::term::Term;
use proptest::prelude::*;

/// Keys: small integers, and floats with integral values (equal to the
/// integer under `==`, different under `=:=`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum K {
    I(i64),
    F(i64),
}

impl K {
    fn num(self) -> i64 {
        match self {
            K::I(n) | K::F(n) => n,
        }
    }
    fn term(self, h: &mut Heap) -> Term {
        match self {
            K::I(n) => Term::small(n),
            K::F(n) => h.float(n as f64),
        }
    }
    fn of(t: Term) -> K {
        if t.is_small() {
            K::I(t.small_value())
        } else {
            K::F(t.float_value() as i64)
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Insert(K, i64),
    InsertMany(Vec<(K, i64)>),
    InsertNew(K, i64),
    Delete(K),
    DeleteObject(K, i64),
    Take(K),
    Lookup(K),
    Member(K),
    DeleteOdd,
    Walk,
}

fn key() -> impl Strategy<Value = K> {
    prop_oneof![4 => (0i64..12).prop_map(K::I), 1 => (0i64..12).prop_map(K::F)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (key(), 0i64..3).prop_map(|(k, v)| Op::Insert(k, v)),
        1 => proptest::collection::vec((key(), 0i64..3), 0..4).prop_map(Op::InsertMany),
        1 => (key(), 0i64..3).prop_map(|(k, v)| Op::InsertNew(k, v)),
        2 => key().prop_map(Op::Delete),
        1 => (key(), 0i64..3).prop_map(|(k, v)| Op::DeleteObject(k, v)),
        1 => key().prop_map(Op::Take),
        3 => key().prop_map(Op::Lookup),
        1 => key().prop_map(Op::Member),
        1 => Just(Op::DeleteOdd),
        1 => Just(Op::Walk),
    ]
}

/// The model: objects in insertion order.
struct Model {
    kind: Kind,
    objs: Vec<(K, i64)>,
}

impl Model {
    fn same_key(&self, a: K, b: K) -> bool {
        if self.kind == Kind::OrderedSet {
            a.num() == b.num()
        } else {
            a == b
        }
    }

    fn insert(&mut self, k: K, v: i64) {
        match self.kind {
            Kind::Set | Kind::OrderedSet => {
                if let Some(i) = self.objs.iter().position(|(x, _)| self.same_key(*x, k)) {
                    self.objs[i] = (k, v);
                } else {
                    self.objs.push((k, v));
                }
            }
            Kind::Bag => {
                if !self.objs.contains(&(k, v)) {
                    self.objs.push((k, v));
                }
            }
            Kind::DuplicateBag => self.objs.push((k, v)),
        }
    }

    fn lookup(&self, k: K) -> Vec<(K, i64)> {
        self.objs
            .iter()
            .copied()
            .filter(|(x, _)| self.same_key(*x, k))
            .collect()
    }

    fn remove(&mut self, pred: impl Fn(&(K, i64)) -> bool) -> Vec<(K, i64)> {
        let (out, keep) = self.objs.iter().copied().partition(|o| pred(o));
        self.objs = keep;
        out
    }
}

enum Store {
    Hash(HashStore),
    Ordered(OrderedStore),
}

impl Store {
    fn insert(&self, objs: Vec<Obj>) -> Delta {
        match self {
            Store::Hash(h) => h.insert(objs, false),
            Store::Ordered(o) => o.insert(objs),
        }
    }
    fn insert_new(&self, objs: Vec<Obj>) -> Option<Delta> {
        match self {
            Store::Hash(h) => h.insert_new(objs, false),
            Store::Ordered(o) => o.insert_new(objs),
        }
    }
    fn lookup(&self, k: Term) -> Vec<(K, i64)> {
        let mut out = Vec::new();
        let mut f = |o: &Obj| {
            let es = o.term.tuple_elems();
            out.push((K::of(es[0]), es[1].small_value()));
        };
        match self {
            Store::Hash(h) => h.lookup(k, &mut f),
            Store::Ordered(o) => o.lookup(k, &mut f),
        }
        out
    }
    fn member(&self, k: Term) -> bool {
        match self {
            Store::Hash(h) => h.member(k),
            Store::Ordered(o) => o.member(k),
        }
    }
    fn remove(&self, k: Term, pred: Option<&dyn Fn(&Obj) -> bool>) -> Vec<(K, i64)> {
        let objs = match self {
            Store::Hash(h) => h.remove(k, pred),
            Store::Ordered(o) => o.remove(k, pred),
        };
        objs.iter()
            .map(|o| {
                let es = o.term.tuple_elems();
                (K::of(es[0]), es[1].small_value())
            })
            .collect()
    }
    /// Walk in chunks of `budget`, applying `f`.
    fn walk(&self, budget: usize, write: bool, f: &mut dyn FnMut(&Obj) -> Visit) -> Vec<(K, i64)> {
        let mut seen = Vec::new();
        let mut cursor = Cursor::Start;
        let mut d = Delta::default();
        loop {
            let mut g = |o: &Obj| {
                let es = o.term.tuple_elems();
                seen.push((K::of(es[0]), es[1].small_value()));
                (f(o), false)
            };
            cursor = match self {
                Store::Hash(h) => h.scan(&cursor, budget, write, &mut d, &mut g),
                Store::Ordered(o) => o.scan(&cursor, budget, write, false, &mut d, &mut g),
            };
            if matches!(cursor, Cursor::Done) {
                return seen;
            }
        }
    }
}

fn obj(k: K, v: i64) -> Obj {
    let mut h = Heap::new(16);
    let kt = k.term(&mut h);
    let t = h.tuple(&[kt, Term::small(v)]);
    Obj::new(t)
}

fn sorted(mut v: Vec<(K, i64)>) -> Vec<(K, i64)> {
    v.sort_by(|a, b| (a.0.num(), matches!(a.0, K::F(_)), a.1).cmp(&(b.0.num(), matches!(b.0, K::F(_)), b.1)));
    v
}

fn run(kind: Kind, stripes: usize, read_conc: bool, ops: &[Op]) -> Result<(), TestCaseError> {
    let store = match kind {
        Kind::OrderedSet => Store::Ordered(OrderedStore::new(1, read_conc)),
        k => Store::Hash(HashStore::new(k, 1, stripes, read_conc)),
    };
    let mut model = Model {
        kind,
        objs: Vec::new(),
    };
    let mut size: i64 = 0;
    let mut scratch = Heap::new(64);
    for op in ops {
        match op {
            Op::Insert(k, v) => {
                size += store.insert(vec![obj(*k, *v)]).objs;
                model.insert(*k, *v);
            }
            Op::InsertMany(items) => {
                size += store
                    .insert(items.iter().map(|(k, v)| obj(*k, *v)).collect())
                    .objs;
                for (k, v) in items {
                    model.insert(*k, *v);
                }
            }
            Op::InsertNew(k, v) => {
                let present = !model.lookup(*k).is_empty();
                let r = store.insert_new(vec![obj(*k, *v)]);
                prop_assert_eq!(r.is_none(), present);
                if let Some(d) = r {
                    size += d.objs;
                    model.insert(*k, *v);
                }
            }
            Op::Delete(k) => {
                let kt = k.term(&mut scratch);
                size -= store.remove(kt, None).len() as i64;
                let m = model.kind;
                let kk = *k;
                model.remove(|(x, _)| {
                    if m == Kind::OrderedSet {
                        x.num() == kk.num()
                    } else {
                        *x == kk
                    }
                });
            }
            Op::DeleteObject(k, v) => {
                let kt = k.term(&mut scratch);
                let (kk, vv) = (*k, *v);
                let pred = move |o: &Obj| {
                    let es = o.term.tuple_elems();
                    K::of(es[0]) == kk && es[1].small_value() == vv
                };
                size -= store.remove(kt, Some(&pred)).len() as i64;
                model.remove(|(x, y)| *x == kk && *y == vv);
            }
            Op::Take(k) => {
                let kt = k.term(&mut scratch);
                let got = store.remove(kt, None);
                size -= got.len() as i64;
                let m = model.kind;
                let kk = *k;
                let want = model.remove(|(x, _)| {
                    if m == Kind::OrderedSet {
                        x.num() == kk.num()
                    } else {
                        *x == kk
                    }
                });
                prop_assert_eq!(got, want);
            }
            Op::Lookup(k) => {
                let kt = k.term(&mut scratch);
                prop_assert_eq!(store.lookup(kt), model.lookup(*k));
            }
            Op::Member(k) => {
                let kt = k.term(&mut scratch);
                prop_assert_eq!(store.member(kt), !model.lookup(*k).is_empty());
            }
            Op::DeleteOdd => {
                let seen = store.walk(3, true, &mut |o: &Obj| {
                    if o.term.tuple_elems()[1].small_value() % 2 == 1 {
                        Visit::Delete
                    } else {
                        Visit::Keep
                    }
                });
                prop_assert_eq!(sorted(seen), sorted(model.objs.clone()));
                let gone = model.remove(|(_, v)| v % 2 == 1);
                size -= gone.len() as i64;
            }
            Op::Walk => {
                let seen = store.walk(2, false, &mut |_| Visit::Keep);
                if kind == Kind::OrderedSet {
                    let keys: Vec<i64> = seen.iter().map(|(k, _)| k.num()).collect();
                    prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "ordered walk {:?}", keys);
                }
                prop_assert_eq!(sorted(seen), sorted(model.objs.clone()));
            }
        }
        prop_assert_eq!(size, model.objs.len() as i64);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn set_matches_model(ops in proptest::collection::vec(op(), 0..60), stripes in 1usize..5, rc: bool) {
        run(Kind::Set, stripes, rc, &ops)?;
    }

    #[test]
    fn bag_matches_model(ops in proptest::collection::vec(op(), 0..60), stripes in 1usize..5, rc: bool) {
        run(Kind::Bag, stripes, rc, &ops)?;
    }

    #[test]
    fn duplicate_bag_matches_model(ops in proptest::collection::vec(op(), 0..60), stripes in 1usize..5, rc: bool) {
        run(Kind::DuplicateBag, stripes, rc, &ops)?;
    }

    #[test]
    fn ordered_set_matches_model(ops in proptest::collection::vec(op(), 0..60), rc: bool) {
        run(Kind::OrderedSet, 1, rc, &ops)?;
    }
}

#[test]
fn hash_grows_and_keeps_everything() {
    let s = HashStore::new(Kind::Set, 1, 4, false);
    for i in 0..10_000 {
        s.insert(vec![obj(K::I(i), i)], false);
    }
    let mut h = Heap::new(16);
    for i in (0..10_000).step_by(7) {
        let k = K::I(i).term(&mut h);
        assert!(s.member(k));
    }
    let mut n = 0;
    let mut cursor = Cursor::Start;
    let mut d = Delta::default();
    loop {
        cursor = s.scan(&cursor, 100, false, &mut d, &mut |_| {
            n += 1;
            (Visit::Keep, false)
        });
        if matches!(cursor, Cursor::Done) {
            break;
        }
    }
    assert_eq!(n, 10_000);
}

#[test]
fn ordered_next_and_prev_use_term_order() {
    let s = OrderedStore::new(1, false);
    for i in [5, 1, 3] {
        s.insert(vec![obj(K::I(i), 0)]);
    }
    let mut h = Heap::new(16);
    let mut got = None;
    let k = K::F(3).term(&mut h);
    s.next(k, &mut |o| got = Some(o.key(1).small_value()));
    assert_eq!(got, Some(5));
    s.prev(k, &mut |o| got = Some(o.key(1).small_value()));
    assert_eq!(got, Some(1));
    assert!(s.member(k));
}
