//! `ordered_set`: objects ordered by their keys in the term order, where 1
//! and 1.0 are the same key (`==`). A B-tree holds them; its keys point
//! into the objects' own blocks, and a key is always removed with its
//! object.
//!
//! Two layouts:
//! - without `write_concurrency`: one B-tree behind one table lock
//!   ([`Lock`], plain or reader-optimised);
//! - with `write_concurrency`: a contention-adapting search tree (CA tree,
//!   Sagonas & Winblad; OTP's `erl_db_catree.c`). The key space is cut into
//!   ranges, each held by a *base node*: a B-tree with a lock of its own and
//!   a contention statistic. Taking a base node's lock is tried first; a
//!   failure (someone holds it) adds `fail` to the statistic, a write lock
//!   taken at once adds `success` (negative). Above `high` the base node is
//!   split at its median key; below `low` it is joined with a neighbour.
//!
//! The route to the base nodes is an immutable snapshot ([`Route`]): the
//! sorted split keys (copies of their own) and the base nodes between
//! them, published through a crossbeam-epoch `Atomic`. Finding a base node
//! reads the snapshot under an epoch guard and writes nothing shared. A
//! restructure (split or join) holds the restructure mutex (only ever
//! *tried*, so it never waits with a base node locked) and the write locks
//! of the base nodes it replaces; it moves their objects into new base
//! nodes, marks the old ones invalid, publishes a new snapshot and frees
//! the old one once no guard can see it. An operation that locks a base
//! node and finds it invalid reloads the snapshot and starts again.
//!
//! Lock order: operations that hold several base nodes at once (`insert`
//! and `insert_new` of a list, `clear`) lock them in ascending key order.
//! Base nodes of one snapshot cover disjoint ranges, and a base node's
//! range never changes, so any two base nodes are locked in the same order
//! by everyone (the lower bounds of a cycle would have to increase all the
//! way round). A restructure only tries locks, and `clear` takes the
//! restructure mutex before any base node.

use super::lock::Lock;
use super::{Cursor, Delta, Obj, Visit};
use crate::order::compare;
use crate::signal::Payload;
use crate::term::Term;
use crossbeam_epoch::{self as epoch, Atomic, Guard, Owned};
use crossbeam_utils::CachePadded;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering as AO};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};

/// A key in the term order (`==` equality).
#[derive(Clone, Copy)]
pub struct OKey(pub Term);

impl PartialEq for OKey {
    fn eq(&self, o: &OKey) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for OKey {}
impl PartialOrd for OKey {
    fn partial_cmp(&self, o: &OKey) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OKey {
    #[inline]
    fn cmp(&self, o: &OKey) -> Ordering {
        if self.0.is_small() && o.0.is_small() {
            return self.0.small_value().cmp(&o.0.small_value());
        }
        compare(self.0, o.0, false)
    }
}

type Tree = BTreeMap<OKey, Obj>;

fn put(t: &mut Tree, keypos: usize, obj: Obj, d: &mut Delta) {
    d.add(&obj);
    let k = OKey(obj.key(keypos));
    // The old key points into the old object: remove both, then insert.
    if let Some(old) = t.remove(&k) {
        d.remove(&old);
    }
    t.insert(OKey(obj.key(keypos)), obj);
}

/// Visit up to `budget` objects of `t` after `from` (in key order, or
/// reversed), recording what to do with them. Returns how many were
/// visited, the key of the last one and whether `f` asked to stop.
fn walk_tree(
    t: &Tree,
    from: Option<OKey>,
    reverse: bool,
    budget: usize,
    acts: &mut Vec<(Term, Visit)>,
    f: &mut dyn FnMut(&Obj) -> (Visit, bool),
) -> (usize, Option<Term>, bool) {
    let range: Box<dyn Iterator<Item = (&OKey, &Obj)>> = match (from, reverse) {
        (None, false) => Box::new(t.iter()),
        (None, true) => Box::new(t.iter().rev()),
        (Some(k), false) => Box::new(t.range((Bound::Excluded(k), Bound::Unbounded))),
        (Some(k), true) => Box::new(t.range((Bound::Unbounded, Bound::Excluded(k))).rev()),
    };
    let mut n = 0;
    let mut last = None;
    for (k, o) in range {
        n += 1;
        last = Some(k.0);
        let (v, stop) = f(o);
        if !matches!(v, Visit::Keep) {
            acts.push((k.0, v));
        }
        if n >= budget || stop {
            return (n, last, true);
        }
    }
    (n, last, false)
}

fn apply(t: &mut Tree, keypos: usize, acts: &mut Vec<(Term, Visit)>, d: &mut Delta) {
    for (k, v) in acts.drain(..) {
        match v {
            Visit::Keep => {}
            Visit::Delete => {
                if let Some(o) = t.remove(&OKey(k)) {
                    d.remove(&o);
                }
            }
            // The replacement has the same key (`select_replace` checks),
            // so it belongs to the same base node.
            Visit::Replace(o) => put(t, keypos, o, d),
        }
    }
}

/// The object after (`next`) or before `key`, or the first or last.
fn neighbour(t: &Tree, key: Option<OKey>, forward: bool) -> Option<&Obj> {
    match (key, forward) {
        (None, true) => t.values().next(),
        (None, false) => t.values().next_back(),
        (Some(k), true) => t
            .range((Bound::Excluded(k), Bound::Unbounded))
            .next()
            .map(|(_, o)| o),
        (Some(k), false) => t
            .range((Bound::Unbounded, Bound::Excluded(k)))
            .next_back()
            .map(|(_, o)| o),
    }
}

pub struct OrderedStore {
    keypos: usize,
    imp: Imp,
}

enum Imp {
    Single(Lock<Tree>),
    Ca(CaTree),
}

impl OrderedStore {
    /// A table without `write_concurrency`: one tree, one lock.
    pub fn new(keypos: usize, read_concurrency: bool) -> OrderedStore {
        OrderedStore {
            keypos,
            imp: Imp::Single(Lock::for_table(BTreeMap::new(), read_concurrency, 1)),
        }
    }

    /// A table with `write_concurrency`: a CA tree.
    pub fn new_ca(keypos: usize, cfg: CaConfig) -> OrderedStore {
        OrderedStore {
            keypos,
            imp: Imp::Ca(CaTree::new(cfg)),
        }
    }

    /// Base nodes (locks) of a CA tree; 1 for a single tree.
    pub fn locks(&self) -> usize {
        match &self.imp {
            Imp::Single(_) => 1,
            Imp::Ca(c) => c.bases(),
        }
    }

    /// Splits and joins of a CA tree so far.
    pub fn restructures(&self) -> u64 {
        match &self.imp {
            Imp::Single(_) => 0,
            Imp::Ca(c) => c.restructures.load(AO::Relaxed),
        }
    }

    pub fn insert(&self, objs: Vec<Obj>) -> Delta {
        let mut d = Delta::default();
        let keypos = self.keypos;
        match &self.imp {
            Imp::Single(l) => l.write(|t| {
                for o in objs {
                    put(t, keypos, o, &mut d);
                }
            }),
            Imp::Ca(c) => {
                c.with_many(keypos, objs, |trees, objs| {
                    for (o, t) in objs {
                        put(trees[t], keypos, o, &mut d);
                    }
                    Some(())
                });
            }
        }
        d
    }

    pub fn insert_new(&self, objs: Vec<Obj>) -> Option<Delta> {
        let keypos = self.keypos;
        let mut d = Delta::default();
        match &self.imp {
            Imp::Single(l) => l.write(|t| {
                if objs.iter().any(|o| t.contains_key(&OKey(o.key(keypos)))) {
                    return None;
                }
                for o in objs {
                    put(t, keypos, o, &mut d);
                }
                Some(())
            }),
            Imp::Ca(c) => c.with_many(keypos, objs, |trees, objs| {
                if objs
                    .iter()
                    .any(|(o, t)| trees[*t].contains_key(&OKey(o.key(keypos))))
                {
                    return None;
                }
                for (o, t) in objs {
                    put(trees[t], keypos, o, &mut d);
                }
                Some(())
            }),
        }?;
        Some(d)
    }

    fn read<R>(&self, key: Term, f: impl FnOnce(&Tree) -> R) -> R {
        match &self.imp {
            Imp::Single(l) => l.read(f),
            Imp::Ca(c) => c.with_read(OKey(key), f),
        }
    }

    fn write<R>(&self, key: Term, f: impl FnOnce(&mut Tree) -> R) -> R {
        match &self.imp {
            Imp::Single(l) => l.write(f),
            Imp::Ca(c) => c.with_write(OKey(key), f),
        }
    }

    #[inline]
    pub fn lookup(&self, key: Term, f: &mut dyn FnMut(&Obj)) {
        self.read(key, |t| {
            if let Some(o) = t.get(&OKey(key)) {
                f(o)
            }
        })
    }

    pub fn member(&self, key: Term) -> bool {
        self.read(key, |t| t.contains_key(&OKey(key)))
    }

    pub fn remove(&self, key: Term, pred: Option<&dyn Fn(&Obj) -> bool>) -> Vec<Obj> {
        self.write(key, |t| {
            let hit = t.get(&OKey(key)).is_some_and(|o| pred.is_none_or(|p| p(o)));
            if hit {
                t.remove(&OKey(key)).into_iter().collect()
            } else {
                Vec::new()
            }
        })
    }

    /// Replace the object with `key` by what `f` makes of it (with the same
    /// key: `update_counter` and `update_element` never change it).
    pub fn update_with<R>(&self, key: Term, f: &mut super::UpdateFn<R>) -> Option<(Option<Obj>, R)> {
        let keypos = self.keypos;
        self.write(key, |t| {
            let o = t.get(&OKey(key))?;
            Some(match f(o) {
                Ok((new, r)) => {
                    let old = t.remove(&OKey(key));
                    t.insert(OKey(new.key(keypos)), new);
                    (old, r)
                }
                Err(r) => (None, r),
            })
        })
    }

    fn step(&self, key: Option<Term>, forward: bool, f: &mut dyn FnMut(&Obj)) -> bool {
        let key = key.map(OKey);
        match &self.imp {
            Imp::Single(l) => l.read(|t| neighbour(t, key, forward).map(&mut *f).is_some()),
            Imp::Ca(c) => c.step(key, forward, f),
        }
    }

    pub fn first(&self, f: &mut dyn FnMut(&Obj)) -> bool {
        self.step(None, true, f)
    }

    pub fn last(&self, f: &mut dyn FnMut(&Obj)) -> bool {
        self.step(None, false, f)
    }

    /// The object after `key` (which need not be present).
    pub fn next(&self, key: Term, f: &mut dyn FnMut(&Obj)) -> bool {
        self.step(Some(key), true, f)
    }

    pub fn prev(&self, key: Term, f: &mut dyn FnMut(&Obj)) -> bool {
        self.step(Some(key), false, f)
    }

    /// Visit objects in key order (or reversed) after `cursor`, at most
    /// `budget` of them or until `f` says stop. Returns where to go on.
    pub fn scan(
        &self,
        cursor: &Cursor,
        budget: usize,
        write: bool,
        reverse: bool,
        d: &mut Delta,
        f: &mut dyn FnMut(&Obj) -> (Visit, bool),
    ) -> Cursor {
        let from = match cursor {
            Cursor::Start => None,
            Cursor::After(p) => Some(OKey(p.term)),
            _ => return Cursor::Done,
        };
        let keypos = self.keypos;
        match &self.imp {
            Imp::Single(l) => {
                let mut acts = Vec::new();
                // The cursor must survive the removal of its object.
                let stopped_at = if write {
                    l.write(|t| {
                        let (_, last, stopped) = walk_tree(t, from, reverse, budget, &mut acts, f);
                        let r = last.filter(|_| stopped).map(Payload::copy_of);
                        apply(t, keypos, &mut acts, d);
                        r
                    })
                } else {
                    l.read(|t| {
                        let (_, last, stopped) = walk_tree(t, from, reverse, budget, &mut acts, f);
                        last.filter(|_| stopped).map(Payload::copy_of)
                    })
                };
                match stopped_at {
                    Some(p) => Cursor::After(p),
                    None => Cursor::Done,
                }
            }
            Imp::Ca(c) => c.scan(keypos, from, budget, write, reverse, d, f),
        }
    }

    pub fn clear(&self) -> Vec<Obj> {
        match &self.imp {
            Imp::Single(l) => l.write(std::mem::take).into_values().collect(),
            Imp::Ca(c) => c.clear(),
        }
    }

    pub fn len(&self) -> usize {
        match &self.imp {
            Imp::Single(l) => l.read(|t| t.len()),
            Imp::Ca(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Check the CA tree's structure (tests).
    #[cfg(test)]
    pub fn check(&self) {
        if let Imp::Ca(c) = &self.imp {
            c.check()
        }
    }
}

// ------------------------------------------------------------------ CA tree

/// Contention statistics and limits of a CA tree.
#[derive(Clone, Copy, Debug)]
pub struct CaConfig {
    /// Added when a base node's lock was busy.
    pub fail: i64,
    /// Added when a write lock was free (negative).
    pub success: i64,
    /// Added when a read lock was free (0: reads leave no trace).
    pub read_success: i64,
    /// Split a base node above this.
    pub high: i64,
    /// Join a base node with a neighbour below this.
    pub low: i64,
    /// No splits beyond this many base nodes.
    pub max_bases: usize,
    /// Tests: add a pseudo-random amount in `-jitter..=jitter` on every
    /// free lock, so that splits and joins happen all the time.
    pub jitter: i64,
    pub seed: u64,
}

impl Default for CaConfig {
    /// OTP's figures (erl_db_catree.c), reads excepted: there a free read
    /// lock counts as a success too; here reads write nothing besides the
    /// lock word, and only writes pull the statistic down.
    fn default() -> CaConfig {
        CaConfig {
            fail: 250,
            success: -1,
            read_success: 0,
            high: 1000,
            low: -1000,
            max_bases: 1 << 14,
            jitter: 0,
            seed: 0,
        }
    }
}

/// The objects of one key range, while the base node holds them.
struct Node {
    tree: Tree,
    /// False once a restructure has moved the objects to new base nodes.
    valid: bool,
}

struct Base {
    lock: RwLock<Node>,
    stat: AtomicI64,
}

type BaseRef = Arc<CachePadded<Base>>;

impl Base {
    fn new(tree: Tree) -> BaseRef {
        Arc::new(CachePadded::new(Base {
            lock: RwLock::new(Node { tree, valid: true }),
            stat: AtomicI64::new(0),
        }))
    }
}

/// An immutable route: base node `i` holds the keys `k` with
/// `keys[i-1] <= k < keys[i]`.
struct Route {
    keys: Vec<OKey>,
    /// The blocks `keys` point into (shared by successive routes).
    owners: Vec<Arc<Payload>>,
    bases: Vec<BaseRef>,
}

impl Route {
    #[inline]
    fn find(&self, k: OKey) -> usize {
        self.keys.partition_point(|s| *s <= k)
    }

    fn position(&self, b: &Base) -> Option<usize> {
        self.bases.iter().position(|x| std::ptr::eq(&***x, b))
    }
}

pub struct CaTree {
    route: Atomic<Route>,
    restructure: Mutex<()>,
    cfg: CaConfig,
    rng: AtomicU64,
    /// Splits and joins so far.
    restructures: AtomicU64,
}

fn plain<G>(r: Result<G, std::sync::PoisonError<G>>) -> G {
    r.unwrap_or_else(|e| e.into_inner())
}

impl CaTree {
    fn new(cfg: CaConfig) -> CaTree {
        CaTree {
            route: Atomic::new(Route {
                keys: Vec::new(),
                owners: Vec::new(),
                bases: vec![Base::new(Tree::new())],
            }),
            restructure: Mutex::new(()),
            rng: AtomicU64::new(cfg.seed | 1),
            restructures: AtomicU64::new(0),
            cfg,
        }
    }

    #[inline]
    fn route<'g>(&self, guard: &'g Guard) -> &'g Route {
        let p = self.route.load(AO::Acquire, guard);
        // SAFETY: the route is never null (set in `new`, only ever swapped
        // for another), and a replaced route is destroyed only after every
        // guard pinned before the swap is gone; `guard` keeps it alive.
        unsafe { p.deref() }
    }

    /// The statistic's change for a free lock.
    #[inline]
    fn success(&self, base: i64) -> i64 {
        if self.cfg.jitter == 0 {
            return base;
        }
        let mut x = self.rng.load(AO::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng.store(x, AO::Relaxed);
        base + (x % (2 * self.cfg.jitter as u64 + 1)) as i64 - self.cfg.jitter
    }

    fn read_lock<'a>(&self, b: &'a Base) -> RwLockReadGuard<'a, Node> {
        match b.lock.try_read() {
            Ok(g) => {
                let s = self.success(self.cfg.read_success);
                if s != 0 {
                    b.stat.fetch_add(s, AO::Relaxed);
                }
                g
            }
            Err(TryLockError::WouldBlock) => {
                b.stat.fetch_add(self.cfg.fail, AO::Relaxed);
                plain(b.lock.read())
            }
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
        }
    }

    fn write_lock<'a>(&self, b: &'a Base) -> RwLockWriteGuard<'a, Node> {
        match b.lock.try_write() {
            Ok(g) => {
                b.stat.fetch_add(self.success(self.cfg.success), AO::Relaxed);
                g
            }
            Err(TryLockError::WouldBlock) => {
                b.stat.fetch_add(self.cfg.fail, AO::Relaxed);
                plain(b.lock.write())
            }
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
        }
    }

    fn bases(&self) -> usize {
        let guard = epoch::pin();
        self.route(&guard).bases.len()
    }

    fn with_read<R>(&self, key: OKey, f: impl FnOnce(&Tree) -> R) -> R {
        let guard = epoch::pin();
        let (b, n) = loop {
            let route = self.route(&guard);
            let b = &**route.bases[route.find(key)];
            let n = self.read_lock(b);
            if n.valid {
                break (b, n);
            }
        };
        let r = f(&n.tree);
        drop(n);
        if b.stat.load(AO::Relaxed) > self.cfg.high {
            // Contended readers: split if the write lock is free now.
            if let Ok(n) = b.lock.try_write() {
                if n.valid {
                    self.adapt(b, n, &guard);
                }
            }
        }
        r
    }

    fn with_write<R>(&self, key: OKey, f: impl FnOnce(&mut Tree) -> R) -> R {
        let guard = epoch::pin();
        let (b, mut n) = loop {
            let route = self.route(&guard);
            let b = &**route.bases[route.find(key)];
            let n = self.write_lock(b);
            if n.valid {
                break (b, n);
            }
        };
        let r = f(&mut n.tree);
        self.adapt(b, n, &guard);
        r
    }

    /// Lock the base nodes of every object's key (in ascending order) and
    /// hand `f` their trees and the objects, each with its tree's index.
    fn with_many<R>(
        &self,
        keypos: usize,
        objs: Vec<Obj>,
        f: impl FnOnce(&mut [&mut Tree], Vec<(Obj, usize)>) -> Option<R>,
    ) -> Option<R> {
        if objs.len() == 1 {
            let k = OKey(objs[0].key(keypos));
            return self.with_write(k, |t| f(&mut [t], objs.into_iter().map(|o| (o, 0)).collect()));
        }
        let guard = epoch::pin();
        loop {
            let route = self.route(&guard);
            let idx: Vec<usize> = objs.iter().map(|o| route.find(OKey(o.key(keypos)))).collect();
            let mut order = idx.clone();
            order.sort_unstable();
            order.dedup();
            let mut locked: Vec<_> = order.iter().map(|&i| self.write_lock(&route.bases[i])).collect();
            if locked.iter().any(|n| !n.valid) {
                continue;
            }
            let pairs = objs
                .into_iter()
                .zip(idx)
                .map(|(o, i)| (o, order.binary_search(&i).unwrap_or(0)))
                .collect();
            let mut trees: Vec<&mut Tree> = locked.iter_mut().map(|n| &mut n.tree).collect();
            return f(&mut trees, pairs);
        }
    }

    fn step(&self, key: Option<OKey>, forward: bool, f: &mut dyn FnMut(&Obj)) -> bool {
        let guard = epoch::pin();
        'retry: loop {
            let route = self.route(&guard);
            let last = route.bases.len() - 1;
            let mut i = match key {
                Some(k) => route.find(k),
                None if forward => 0,
                None => last,
            };
            loop {
                let n = self.read_lock(&route.bases[i]);
                if !n.valid {
                    continue 'retry;
                }
                if let Some(o) = neighbour(&n.tree, key, forward) {
                    f(o);
                    return true;
                }
                drop(n);
                if forward && i < last {
                    i += 1;
                } else if !forward && i > 0 {
                    i -= 1;
                } else {
                    return false;
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scan(
        &self,
        keypos: usize,
        from: Option<OKey>,
        budget: usize,
        write: bool,
        reverse: bool,
        d: &mut Delta,
        f: &mut dyn FnMut(&Obj) -> (Visit, bool),
    ) -> Cursor {
        let guard = epoch::pin();
        let mut pos = from;
        // The last key visited, copied: it must outlive its object.
        let mut own: Option<Payload> = None;
        let mut left = budget.max(1);
        let mut acts = Vec::new();
        'retry: loop {
            let route = self.route(&guard);
            let last = route.bases.len() - 1;
            let mut i = match pos {
                Some(k) => route.find(k),
                None if reverse => last,
                None => 0,
            };
            loop {
                let b = &route.bases[i];
                let (n, last_key, stopped) = if write {
                    let mut n = self.write_lock(b);
                    if !n.valid {
                        continue 'retry;
                    }
                    let (n_, k, s) = walk_tree(&n.tree, pos, reverse, left, &mut acts, f);
                    let k = k.map(Payload::copy_of);
                    apply(&mut n.tree, keypos, &mut acts, d);
                    (n_, k, s)
                } else {
                    let n = self.read_lock(b);
                    if !n.valid {
                        continue 'retry;
                    }
                    let (n_, k, s) = walk_tree(&n.tree, pos, reverse, left, &mut acts, f);
                    (n_, k.map(Payload::copy_of), s)
                };
                if let Some(k) = last_key {
                    pos = Some(OKey(k.term));
                    own = Some(k);
                }
                if stopped {
                    if let Some(k) = own.take() {
                        return Cursor::After(k);
                    }
                    return Cursor::Done;
                }
                left -= n;
                if !reverse && i < last {
                    i += 1;
                } else if reverse && i > 0 {
                    i -= 1;
                } else {
                    return Cursor::Done;
                }
            }
        }
    }

    fn clear(&self) -> Vec<Obj> {
        let _r = plain(self.restructure.lock());
        let guard = epoch::pin();
        let route = self.route(&guard);
        // With the restructure mutex held every base node stays valid.
        let mut locked: Vec<_> = route.bases.iter().map(|b| self.write_lock(b)).collect();
        let mut out = Vec::new();
        for n in locked.iter_mut() {
            out.extend(std::mem::take(&mut n.tree).into_values());
        }
        out
    }

    fn len(&self) -> usize {
        let _r = plain(self.restructure.lock());
        let guard = epoch::pin();
        self.route(&guard)
            .bases
            .iter()
            .map(|b| self.read_lock(b).tree.len())
            .sum()
    }

    /// After an operation on base node `b` (write-locked in `n`): split or
    /// join it if its statistic says so.
    fn adapt(&self, b: &Base, n: RwLockWriteGuard<'_, Node>, guard: &Guard) {
        let s = b.stat.load(AO::Relaxed);
        if s > self.cfg.high {
            self.split(b, n, guard);
        } else if s < self.cfg.low {
            self.join(b, n, guard);
        }
    }

    /// Publish `new` in place of the current route.
    fn publish(&self, new: Route, guard: &Guard) {
        self.restructures.fetch_add(1, AO::Relaxed);
        let old = self.route.swap(Owned::new(new), AO::AcqRel, guard);
        // SAFETY: `old` is unlinked; only guards pinned before the swap can
        // hold it, and destruction waits for them all.
        unsafe { guard.defer_destroy(old) };
    }

    /// The restructure mutex, if no other split or join holds it (they
    /// give up rather than wait: the tree is still correct without them).
    fn try_restructure(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        match self.restructure.try_lock() {
            Ok(r) => Some(r),
            Err(TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    fn split(&self, b: &Base, mut n: RwLockWriteGuard<'_, Node>, guard: &Guard) {
        let Some(_r) = self.try_restructure() else {
            return;
        };
        let route = self.route(guard);
        if n.tree.len() < 2 || route.bases.len() >= self.cfg.max_bases {
            b.stat.store(0, AO::Relaxed);
            return;
        }
        // A valid base node is in the current route (we hold the mutex).
        let Some(i) = route.position(b) else { return };
        let mut left = std::mem::take(&mut n.tree);
        let Some(mid) = left.keys().nth(left.len() / 2).copied() else {
            return;
        };
        let right = left.split_off(&mid);
        let owner = Arc::new(Payload::copy_of(mid.0));
        let mut keys = route.keys.clone();
        keys.insert(i, OKey(owner.term));
        let mut owners = route.owners.clone();
        owners.insert(i, owner);
        let mut bases = Vec::with_capacity(route.bases.len() + 1);
        bases.extend(route.bases[..i].iter().cloned());
        bases.push(Base::new(left));
        bases.push(Base::new(right));
        bases.extend(route.bases[i + 1..].iter().cloned());
        n.valid = false;
        self.publish(Route { keys, owners, bases }, guard);
    }

    fn join(&self, b: &Base, mut n: RwLockWriteGuard<'_, Node>, guard: &Guard) {
        let Some(_r) = self.try_restructure() else {
            return;
        };
        let route = self.route(guard);
        if route.bases.len() < 2 {
            b.stat.store(0, AO::Relaxed);
            return;
        }
        let Some(i) = route.position(b) else { return };
        let j = if i + 1 < route.bases.len() { i + 1 } else { i - 1 };
        // Only tried: we hold `b`, and `j` may be below it.
        let mut m = match route.bases[j].lock.try_write() {
            Ok(m) => m,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            Err(TryLockError::WouldBlock) => return,
        };
        if !m.valid {
            return;
        }
        let mine = std::mem::take(&mut n.tree);
        let theirs = std::mem::take(&mut m.tree);
        let (lo, (mut low, mut high)) = if i < j {
            (i, (mine, theirs))
        } else {
            (j, (theirs, mine))
        };
        low.append(&mut high);
        let mut keys = route.keys.clone();
        keys.remove(lo);
        let mut owners = route.owners.clone();
        owners.remove(lo);
        let mut bases = Vec::with_capacity(route.bases.len() - 1);
        bases.extend(route.bases[..lo].iter().cloned());
        bases.push(Base::new(low));
        bases.extend(route.bases[lo + 2..].iter().cloned());
        n.valid = false;
        m.valid = false;
        self.publish(Route { keys, owners, bases }, guard);
    }

    /// Every base node's keys lie in its range, the split keys ascend.
    #[cfg(test)]
    fn check(&self) {
        let _r = plain(self.restructure.lock());
        let guard = epoch::pin();
        let route = self.route(&guard);
        assert_eq!(route.keys.len() + 1, route.bases.len());
        assert_eq!(route.keys.len(), route.owners.len());
        assert!(route.keys.windows(2).all(|w| w[0] < w[1]));
        for (i, b) in route.bases.iter().enumerate() {
            let n = self.read_lock(b);
            assert!(n.valid);
            for k in n.tree.keys() {
                assert_eq!(route.find(*k), i);
            }
        }
    }
}

impl Drop for CaTree {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: no one else can reach the route any more;
        // routes replaced before were handed to the collector already.
        unsafe {
            let p = self.route.load(AO::Relaxed, epoch::unprotected());
            if !p.is_null() {
                drop(p.into_owned());
            }
        }
    }
}
