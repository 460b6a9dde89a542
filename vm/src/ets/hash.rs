//! `set`, `bag` and `duplicate_bag`: a chained hash table split into lock
//! stripes. A key's hash picks its stripe (high bits) and its bucket in
//! the stripe (low bits); each stripe grows on its own, doubling when it
//! holds more objects than buckets (unless a traversal has fixed the
//! table). Each stripe also keeps an index of all its objects by hash
//! (`index.rs`), which lookups read instead of the buckets. Objects of one
//! key are adjacent in their bucket, in insertion order. The traversal order (first/next, select) is stripe by stripe,
//! bucket by bucket.

use super::index::Index;
use super::lock::Lock;
use super::{Cursor, Delta, Kind, Obj, Visit};
use crate::order::exact_equal;
use crate::term::Term;

/// The key is not in the table.
#[derive(Debug)]
pub struct NotFound;

struct Entry {
    hash: u64,
    obj: Obj,
}

/// The entries of one bucket, in order: the first inline in the bucket
/// array, the rest boxed, so that a bucket is three words (lookups go
/// through the index; the buckets serve writes and traversals).
/// Invariant: `head` is `None` only when there is no `more`, and `more` is
/// never an empty vector.
#[derive(Default)]
struct Bucket {
    head: Option<Entry>,
    // One word in the bucket array instead of a vector's three: the
    // overflow is rare, the array is large.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<Entry>>>,
}

impl Bucket {
    fn more(&self) -> &[Entry] {
        self.more.as_deref().map_or(&[], |v| v.as_slice())
    }

    fn more_mut(&mut self) -> &mut Vec<Entry> {
        self.more.get_or_insert_with(Default::default)
    }

    /// Drop the overflow vector once it is empty.
    fn tidy(&mut self) {
        if self.more.as_ref().is_some_and(|v| v.is_empty()) {
            self.more = None;
        }
    }

    fn get(&self, i: usize) -> Option<&Entry> {
        if i == 0 {
            self.head.as_ref()
        } else {
            self.more().get(i - 1)
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.head.iter().chain(self.more().iter())
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        let more: &mut [Entry] = match self.more.as_deref_mut() {
            Some(v) => v.as_mut_slice(),
            None => &mut [],
        };
        self.head.iter_mut().chain(more.iter_mut())
    }

    fn push(&mut self, e: Entry) {
        if self.head.is_none() {
            self.head = Some(e);
        } else {
            self.more_mut().push(e);
        }
    }

    fn insert(&mut self, i: usize, e: Entry) {
        if i == 0 {
            if let Some(old) = self.head.replace(e) {
                self.more_mut().insert(0, old);
            }
        } else {
            self.more_mut().insert(i - 1, e);
        }
    }

    fn remove(&mut self, i: usize) -> Entry {
        let out = if i == 0 {
            let first = self.head.take().expect("removing from an empty bucket");
            if let Some(v) = self.more.as_deref_mut() {
                self.head = Some(v.remove(0));
            }
            first
        } else {
            self.more_mut().remove(i - 1)
        };
        self.tidy();
        out
    }

    fn into_entries(self) -> impl Iterator<Item = Entry> {
        self.head
            .into_iter()
            .chain(self.more.into_iter().flat_map(|v| *v))
    }
}

impl std::ops::Index<usize> for Bucket {
    type Output = Entry;
    fn index(&self, i: usize) -> &Entry {
        self.get(i).expect("bucket index in range")
    }
}

impl std::ops::IndexMut<usize> for Bucket {
    fn index_mut(&mut self, i: usize) -> &mut Entry {
        if i == 0 {
            self.head.as_mut().expect("bucket index in range")
        } else {
            &mut self.more_mut()[i - 1]
        }
    }
}

pub struct Shard {
    buckets: Vec<Bucket>,
    /// Every object of the stripe by hash (see `index.rs`): lookups read
    /// it instead of the buckets.
    index: Index,
    count: usize,
}

const MIN_BUCKETS: usize = 8;

pub struct HashStore {
    shards: Box<[Lock<Shard>]>,
    kind: Kind,
    keypos: usize,
}

/// The hash of a key, consistent with `=:=` (0.0 and -0.0 are equal in
/// OTP 25, so they hash alike).
#[inline]
pub fn hash_key(k: Term) -> u64 {
    if k.is_float() && k.float_value() == 0.0 {
        return crate::map::key_hash(Term::small(0)) ^ 0x5bd1e995;
    }
    crate::map::key_hash(k)
}

impl Shard {
    fn new() -> Shard {
        Shard {
            buckets: (0..MIN_BUCKETS).map(|_| Bucket::default()).collect(),
            index: Index::new(),
            count: 0,
        }
    }

    #[inline]
    fn bucket_of(&self, hash: u64) -> usize {
        (hash as usize) & (self.buckets.len() - 1)
    }

    /// The range of entries of `key` in its bucket.
    fn group(&self, b: usize, hash: u64, key: Term, keypos: usize) -> Option<(usize, usize)> {
        if self.index.usable() && !self.find_first(hash, key, keypos, &mut |_| {}) {
            return None;
        }
        let bucket = &self.buckets[b];
        let same = |e: &Entry| e.hash == hash && exact_equal(e.obj.key(keypos), key);
        let start = bucket.iter().position(same)?;
        let end = start + 1 + bucket.iter().skip(start + 1).take_while(|e| same(e)).count();
        Some((start, end))
    }

    fn grow(&mut self) {
        let n = self.buckets.len() * 2;
        let mut fresh: Vec<Bucket> = Vec::with_capacity(n);
        crate::hugepage::advise(&mut fresh);
        fresh.resize_with(n, Bucket::default);
        for bucket in self.buckets.drain(..) {
            for e in bucket.into_entries() {
                let b = (e.hash as usize) & (n - 1);
                fresh[b].push(e);
            }
        }
        self.buckets = fresh;
    }

    /// More objects than buckets: time to double. (Lookups go through the
    /// index; the buckets matter for writes and traversals.)
    #[inline]
    fn overfull(&self) -> bool {
        self.count > self.buckets.len()
    }

    /// Make room in the index for one more object (before it joins a
    /// bucket: the index is rebuilt from the buckets).
    fn index_room(&mut self) {
        if self.index.wants_room() {
            let objects = self
                .buckets
                .iter()
                .flat_map(|b| b.iter())
                .map(|e| (e.hash, e.obj.as_ptr()));
            self.index.rebuild(self.count + 1, objects);
        }
    }

    /// Visit the first object of `key` (in a set, the only one) found
    /// through the index, or by walking its bucket when the index is out
    /// of use. True if found.
    #[inline]
    fn find_first(&self, hash: u64, key: Term, keypos: usize, f: &mut dyn FnMut(&Obj)) -> bool {
        if self.index.usable() {
            return self.index.probe(hash, &mut |addr| {
                // SAFETY: the index names exactly the live objects of this
                // stripe (every change to a bucket updates it), which
                // `&self` keeps alive: the caller holds the stripe's lock.
                let o = unsafe { Obj::borrow_raw(addr) };
                if exact_equal(o.key(keypos), key) {
                    f(&o);
                    true
                } else {
                    false
                }
            });
        }
        match self.buckets[self.bucket_of(hash)]
            .iter()
            .find(|e| e.hash == hash && exact_equal(e.obj.key(keypos), key))
        {
            Some(e) => {
                f(&e.obj);
                true
            }
            None => false,
        }
    }

    /// The index holds every object, and the buckets keep their invariant
    /// (for tests).
    #[cfg(test)]
    fn check(&self) {
        for b in &self.buckets {
            assert!(b.head.is_some() || b.more.is_none(), "overflow without a head");
            assert!(
                b.more.as_ref().is_none_or(|v| !v.is_empty()),
                "empty overflow kept"
            );
        }
        let objects: Vec<(u64, *mut u64)> = self
            .buckets
            .iter()
            .flat_map(|b| b.iter())
            .map(|e| (e.hash, e.obj.as_ptr()))
            .collect();
        assert_eq!(objects.len(), self.count);
        self.index.check(&objects);
    }

    fn insert(&mut self, kind: Kind, keypos: usize, hash: u64, obj: Obj, d: &mut Delta) {
        let key = obj.key(keypos);
        let b = self.bucket_of(hash);
        match self.group(b, hash, key, keypos) {
            Some((start, end)) => match kind {
                Kind::Set | Kind::OrderedSet => {
                    d.add(&obj);
                    let new = obj.as_ptr();
                    let old = std::mem::replace(&mut self.buckets[b][start].obj, obj);
                    self.index.replace(hash, old.as_ptr(), new);
                    d.remove(&old);
                }
                Kind::Bag => {
                    if self.buckets[b]
                        .iter()
                        .skip(start)
                        .take(end - start)
                        .any(|e| exact_equal(e.obj.term(), obj.term()))
                    {
                        return;
                    }
                    d.add(&obj);
                    self.index_room();
                    self.index.insert(hash, obj.as_ptr());
                    self.count += 1;
                    self.buckets[b].insert(end, Entry { hash, obj });
                }
                Kind::DuplicateBag => {
                    d.add(&obj);
                    self.index_room();
                    self.index.insert(hash, obj.as_ptr());
                    self.count += 1;
                    self.buckets[b].insert(end, Entry { hash, obj });
                }
            },
            None => {
                d.add(&obj);
                self.index_room();
                self.index.insert(hash, obj.as_ptr());
                self.count += 1;
                self.buckets[b].push(Entry { hash, obj });
            }
        }
    }

    fn contains(&self, hash: u64, key: Term, keypos: usize) -> bool {
        self.find_first(hash, key, keypos, &mut |_| {})
    }
}

impl HashStore {
    /// Check every stripe's structure (for tests).
    #[cfg(test)]
    pub fn check(&self) {
        for sh in self.shards.iter() {
            sh.read(|s| s.check());
        }
    }

    pub fn new(kind: Kind, keypos: usize, stripes: usize, read_concurrency: bool) -> HashStore {
        let stripes = stripes.max(1);
        HashStore {
            shards: (0..stripes)
                .map(|_| Lock::for_table(Shard::new(), read_concurrency, stripes))
                .collect(),
            kind,
            keypos,
        }
    }

    pub fn stripes(&self) -> usize {
        self.shards.len()
    }

    #[inline]
    fn shard_of(&self, hash: u64) -> usize {
        if self.shards.len() == 1 {
            0
        } else {
            (((hash >> 32) as u128 * self.shards.len() as u128) >> 32) as usize
        }
    }

    /// Run `f` with every stripe in `which` (ascending, no duplicates)
    /// locked for writing.
    fn write_many<R>(&self, which: &[usize], f: &mut dyn FnMut(&mut [*mut Shard]) -> R) -> R {
        fn go<R>(
            shards: &[Lock<Shard>],
            which: &[usize],
            held: &mut Vec<*mut Shard>,
            f: &mut dyn FnMut(&mut [*mut Shard]) -> R,
        ) -> R {
            match which.split_first() {
                None => f(held),
                Some((&i, rest)) => shards[i].write(|s| {
                    held.push(s as *mut Shard);
                    go(shards, rest, held, f)
                }),
            }
        }
        let mut held = Vec::with_capacity(which.len());
        go(&self.shards, which, &mut held, f)
    }

    /// Insert objects (already checked); `fixed` forbids growing.
    pub fn insert(&self, objs: Vec<Obj>, fixed: bool) -> Delta {
        let mut d = Delta::default();
        let (kind, keypos) = (self.kind, self.keypos);
        if objs.len() == 1 {
            let obj = objs.into_iter().next().expect("one object");
            let hash = hash_key(obj.key(keypos));
            self.shards[self.shard_of(hash)].write(|s| {
                s.insert(kind, keypos, hash, obj, &mut d);
                if !fixed && s.overfull() {
                    s.grow();
                }
            });
            return d;
        }
        let hashed: Vec<(usize, u64, Obj)> = objs
            .into_iter()
            .map(|o| {
                let h = hash_key(o.key(keypos));
                (self.shard_of(h), h, o)
            })
            .collect();
        let mut which: Vec<usize> = hashed.iter().map(|x| x.0).collect();
        which.sort_unstable();
        which.dedup();
        let mut items = Some(hashed);
        self.write_many(&which, &mut |held| {
            for (si, h, o) in items.take().unwrap_or_default() {
                let k = which.binary_search(&si).unwrap_or(0);
                // SAFETY: `held[k]` is stripe `si`, write-locked for the
                // whole call.
                let s = unsafe { &mut *held[k] };
                s.insert(kind, keypos, h, o, &mut d);
            }
            if !fixed {
                for p in held.iter() {
                    // SAFETY: as above.
                    let s = unsafe { &mut **p };
                    while s.overfull() {
                        s.grow();
                    }
                }
            }
        });
        d
    }

    /// Insert unless some key is present (all or nothing); None if a key
    /// was present.
    pub fn insert_new(&self, objs: Vec<Obj>, fixed: bool) -> Option<Delta> {
        let keypos = self.keypos;
        let hashed: Vec<(usize, u64, Obj)> = objs
            .into_iter()
            .map(|o| {
                let h = hash_key(o.key(keypos));
                (self.shard_of(h), h, o)
            })
            .collect();
        let mut which: Vec<usize> = hashed.iter().map(|x| x.0).collect();
        which.sort_unstable();
        which.dedup();
        let kind = self.kind;
        let mut items = Some(hashed);
        self.write_many(&which, &mut |held| {
            let items = items.take().unwrap_or_default();
            for (si, h, o) in &items {
                let k = which.binary_search(si).unwrap_or(0);
                // SAFETY: `held[k]` is stripe `si`, write-locked.
                let s = unsafe { &*held[k] };
                if s.contains(*h, o.key(keypos), keypos) {
                    return None;
                }
            }
            let mut d = Delta::default();
            for (si, h, o) in items {
                let k = which.binary_search(&si).unwrap_or(0);
                // SAFETY: as above.
                let s = unsafe { &mut *held[k] };
                s.insert(kind, keypos, h, o, &mut d);
                if !fixed && s.overfull() {
                    s.grow();
                }
            }
            Some(d)
        })
    }

    /// Visit the objects of `key`, in order.
    #[inline]
    pub fn lookup(&self, key: Term, f: &mut dyn FnMut(&Obj)) {
        let hash = hash_key(key);
        let keypos = self.keypos;
        self.shards[self.shard_of(hash)].read(|s| {
            if self.kind == Kind::Set {
                s.find_first(hash, key, keypos, f);
                return;
            }
            let b = s.bucket_of(hash);
            if let Some((start, end)) = s.group(b, hash, key, keypos) {
                for e in s.buckets[b].iter().skip(start).take(end - start) {
                    f(&e.obj);
                }
            }
        })
    }

    pub fn member(&self, key: Term) -> bool {
        let hash = hash_key(key);
        self.shards[self.shard_of(hash)].read(|s| s.contains(hash, key, self.keypos))
    }

    /// Remove the objects of `key` that `pred` selects (all: `None`).
    pub fn remove(&self, key: Term, pred: Option<&dyn Fn(&Obj) -> bool>) -> Vec<Obj> {
        let hash = hash_key(key);
        let keypos = self.keypos;
        self.shards[self.shard_of(hash)].write(|s| {
            let b = s.bucket_of(hash);
            let Some((start, end)) = s.group(b, hash, key, keypos) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            let mut i = start;
            let mut end = end;
            while i < end {
                if pred.is_none_or(|p| p(&s.buckets[b][i].obj)) {
                    let e = s.buckets[b].remove(i);
                    s.index.remove(e.hash, e.obj.as_ptr());
                    out.push(e.obj);
                    end -= 1;
                } else {
                    i += 1;
                }
            }
            s.count -= out.len();
            out
        })
    }

    /// Like update, but `f` sees the new object in place and returns a
    /// value computed under the lock.
    pub fn update_with<R>(&self, key: Term, f: &mut super::UpdateFn<R>) -> Option<(Option<Obj>, R)> {
        let hash = hash_key(key);
        let keypos = self.keypos;
        self.shards[self.shard_of(hash)].write(|s| {
            let b = s.bucket_of(hash);
            let e = s.buckets[b]
                .iter_mut()
                .find(|e| e.hash == hash && exact_equal(e.obj.key(keypos), key))?;
            let (old, r) = match f(&e.obj) {
                Ok((new, r)) => (Some(std::mem::replace(&mut e.obj, new)), r),
                Err(r) => (None, r),
            };
            if let Some(old) = &old {
                let new = e.obj.as_ptr();
                s.index.replace(hash, old.as_ptr(), new);
            }
            Some((old, r))
        })
    }

    /// The first object in traversal order at or after bucket (s, b).
    fn first_from(&self, mut si: usize, mut b: usize, f: &mut dyn FnMut(&Obj)) -> bool {
        while si < self.shards.len() {
            let found = self.shards[si].read(|s| {
                while b < s.buckets.len() {
                    if let Some(e) = s.buckets[b].get(0) {
                        f(&e.obj);
                        return true;
                    }
                    b += 1;
                }
                false
            });
            if found {
                return true;
            }
            si += 1;
            b = 0;
        }
        false
    }

    pub fn first(&self, f: &mut dyn FnMut(&Obj)) -> bool {
        self.first_from(0, 0, f)
    }

    /// The object after the group of `key`: Err(NotFound) when `key` is
    /// absent.
    pub fn next(&self, key: Term, f: &mut dyn FnMut(&Obj)) -> Result<bool, NotFound> {
        let hash = hash_key(key);
        let si = self.shard_of(hash);
        let keypos = self.keypos;
        let r = self.shards[si].read(|s| {
            let b = s.bucket_of(hash);
            let (_, end) = s.group(b, hash, key, keypos).ok_or(NotFound)?;
            if let Some(e) = s.buckets[b].get(end) {
                f(&e.obj);
                return Ok(None);
            }
            Ok(Some(b + 1))
        })?;
        match r {
            None => Ok(true),
            Some(b) => Ok(self.first_from(si, b, f)),
        }
    }

    /// Visit objects from `cursor` on, a bucket at a time, until `budget`
    /// objects have been visited or `stop` says so; `write` takes the
    /// locks for writing (needed for Delete and Replace). Returns the
    /// cursor to go on from.
    pub fn scan(
        &self,
        cursor: &Cursor,
        budget: usize,
        write: bool,
        d: &mut Delta,
        f: &mut dyn FnMut(&Obj) -> (Visit, bool),
    ) -> Cursor {
        let (mut si, mut b) = match cursor {
            Cursor::Start => (0, 0),
            Cursor::Slot(s, b) => (*s, *b),
            _ => return Cursor::Done,
        };
        let mut visited = 0usize;
        let mut stop = false;
        while si < self.shards.len() {
            let mut one_shard = |s: &Shard, del: &mut Vec<(usize, usize, Option<Obj>)>| -> bool {
                while b < s.buckets.len() {
                    for (i, e) in s.buckets[b].iter().enumerate() {
                        visited += 1;
                        let (v, st) = f(&e.obj);
                        stop |= st;
                        match v {
                            Visit::Keep => {}
                            Visit::Delete => del.push((b, i, None)),
                            Visit::Replace(o) => del.push((b, i, Some(o))),
                        }
                    }
                    b += 1;
                    if visited >= budget || stop {
                        break;
                    }
                }
                b >= s.buckets.len()
            };
            let mut del = Vec::new();
            let finished = if write {
                self.shards[si].write(|s| {
                    let finished = one_shard(s, &mut del);
                    // Apply deletions and replacements of this bucket,
                    // from the back so that indices stay valid.
                    for (bi, i, rep) in del.drain(..).rev() {
                        match rep {
                            None => {
                                let e = s.buckets[bi].remove(i);
                                s.index.remove(e.hash, e.obj.as_ptr());
                                d.remove(&e.obj);
                                s.count -= 1;
                            }
                            Some(o) => {
                                d.add(&o);
                                let new = o.as_ptr();
                                let e = &mut s.buckets[bi][i];
                                let old = std::mem::replace(&mut e.obj, o);
                                let hash = e.hash;
                                s.index.replace(hash, old.as_ptr(), new);
                                d.remove(&old);
                            }
                        }
                    }
                    finished
                })
            } else {
                self.shards[si].read(|s| one_shard(s, &mut del))
            };
            if finished {
                si += 1;
                b = 0;
            }
            if visited >= budget || stop {
                break;
            }
        }
        if si >= self.shards.len() {
            Cursor::Done
        } else {
            Cursor::Slot(si, b)
        }
    }

    /// Take every object out.
    pub fn clear(&self) -> Vec<Obj> {
        let mut out = Vec::new();
        for sh in self.shards.iter() {
            let old = sh.write(|s| std::mem::replace(s, Shard::new()));
            for bucket in old.buckets {
                out.extend(bucket.into_entries().map(|e| e.obj));
            }
        }
        out
    }
}
