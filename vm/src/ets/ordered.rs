//! `ordered_set`: a B-tree of objects ordered by their keys in the term
//! order, where 1 and 1.0 are the same key (`==`). The tree's keys point
//! into the objects' own blocks; a key is always removed with its object.

use super::lock::Lock;
use super::{Cursor, Delta, Obj, Visit};
use crate::order::compare;
use crate::term::Term;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Bound;

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

pub struct OrderedStore {
    tree: Lock<Tree>,
    keypos: usize,
}

fn put(t: &mut Tree, keypos: usize, obj: Obj, d: &mut Delta) {
    d.add(&obj);
    let k = OKey(obj.key(keypos));
    // The old key points into the old object: remove both, then insert.
    if let Some(old) = t.remove(&k) {
        d.remove(&old);
    }
    t.insert(OKey(obj.key(keypos)), obj);
}

impl OrderedStore {
    pub fn new(keypos: usize, read_concurrency: bool) -> OrderedStore {
        OrderedStore {
            tree: Lock::new(BTreeMap::new(), read_concurrency),
            keypos,
        }
    }

    pub fn insert(&self, objs: Vec<Obj>) -> Delta {
        let mut d = Delta::default();
        let keypos = self.keypos;
        self.tree.write(|t| {
            for o in objs {
                put(t, keypos, o, &mut d);
            }
        });
        d
    }

    pub fn insert_new(&self, objs: Vec<Obj>) -> Option<Delta> {
        let keypos = self.keypos;
        self.tree.write(|t| {
            if objs.iter().any(|o| t.contains_key(&OKey(o.key(keypos)))) {
                return None;
            }
            let mut d = Delta::default();
            for o in objs {
                put(t, keypos, o, &mut d);
            }
            Some(d)
        })
    }

    #[inline]
    pub fn lookup(&self, key: Term, f: &mut dyn FnMut(&Obj)) {
        self.tree.read(|t| {
            if let Some(o) = t.get(&OKey(key)) {
                f(o)
            }
        })
    }

    pub fn member(&self, key: Term) -> bool {
        self.tree.read(|t| t.contains_key(&OKey(key)))
    }

    pub fn remove(&self, key: Term, pred: Option<&dyn Fn(&Obj) -> bool>) -> Vec<Obj> {
        self.tree.write(|t| {
            let hit = t.get(&OKey(key)).is_some_and(|o| pred.is_none_or(|p| p(o)));
            if hit {
                t.remove(&OKey(key)).into_iter().collect()
            } else {
                Vec::new()
            }
        })
    }

    pub fn update_with<R>(&self, key: Term, f: &mut super::UpdateFn<R>) -> Option<(Option<Obj>, R)> {
        let keypos = self.keypos;
        self.tree.write(|t| {
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

    pub fn first(&self, f: &mut dyn FnMut(&Obj)) -> bool {
        self.tree.read(|t| t.values().next().map(&mut *f).is_some())
    }

    pub fn last(&self, f: &mut dyn FnMut(&Obj)) -> bool {
        self.tree.read(|t| t.values().next_back().map(&mut *f).is_some())
    }

    /// The object after `key` (which need not be present).
    pub fn next(&self, key: Term, f: &mut dyn FnMut(&Obj)) -> bool {
        self.tree.read(|t| {
            t.range((Bound::Excluded(OKey(key)), Bound::Unbounded))
                .next()
                .map(|(_, o)| f(o))
                .is_some()
        })
    }

    pub fn prev(&self, key: Term, f: &mut dyn FnMut(&Obj)) -> bool {
        self.tree.read(|t| {
            t.range((Bound::Unbounded, Bound::Excluded(OKey(key))))
                .next_back()
                .map(|(_, o)| f(o))
                .is_some()
        })
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
        let keypos = self.keypos;
        let mut walk = |t: &Tree, acts: &mut Vec<(Term, Visit)>| -> Option<Term> {
            let range: Box<dyn Iterator<Item = (&OKey, &Obj)>> = match (cursor, reverse) {
                (Cursor::Start, false) => Box::new(t.iter()),
                (Cursor::Start, true) => Box::new(t.iter().rev()),
                (Cursor::After(k), false) => {
                    Box::new(t.range((Bound::Excluded(OKey(k.term)), Bound::Unbounded)))
                }
                (Cursor::After(k), true) => {
                    Box::new(t.range((Bound::Unbounded, Bound::Excluded(OKey(k.term)))).rev())
                }
                _ => return None,
            };
            let mut n = 0;
            for (k, o) in range {
                n += 1;
                let (v, stop) = f(o);
                if !matches!(v, Visit::Keep) {
                    acts.push((k.0, v));
                }
                if n >= budget || stop {
                    return Some(k.0);
                }
            }
            None
        };
        let mut acts = Vec::new();
        let stopped_at = if write {
            self.tree.write(|t| {
                let r = walk(t, &mut acts);
                // The cursor must survive the removal of its object.
                let r = r.map(crate::signal::Payload::copy_of);
                for (k, v) in acts.drain(..) {
                    match v {
                        Visit::Keep => {}
                        Visit::Delete => {
                            if let Some(o) = t.remove(&OKey(k)) {
                                d.remove(&o);
                            }
                        }
                        Visit::Replace(o) => put(t, keypos, o, d),
                    }
                }
                r
            })
        } else {
            self.tree
                .read(|t| walk(t, &mut acts).map(crate::signal::Payload::copy_of))
        };
        match stopped_at {
            Some(p) => Cursor::After(p),
            None => Cursor::Done,
        }
    }

    pub fn clear(&self) -> Vec<Obj> {
        let t = self.tree.write(std::mem::take);
        t.into_values().collect()
    }

    pub fn len(&self) -> usize {
        self.tree.read(|t| t.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
