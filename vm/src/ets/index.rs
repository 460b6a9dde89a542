//! The lookup index of a hash stripe: every object of the stripe, one word
//! each, in an open-addressing table with linear probing. A word is the
//! address of the object's block and 15 bits of its hash (`fingerprint`);
//! the objects of one home slot and their neighbours share a cache line, so
//! a lookup costs one miss in the index (8 bytes an object, at most half
//! full) and one in the object it finds — an absent key usually none past
//! the index. The buckets (`hash.rs`) still own the objects and give the
//! traversal order; the index only finds them.
//!
//! Removal leaves a tombstone (so probe sequences stay intact and nothing
//! moves during a traversal); tombstones are reused by inserts and cleared
//! when the index is rebuilt, which happens when live objects and
//! tombstones would fill more than five eighths of it (rebuilt, it is a
//! quarter to half full).

/// An empty slot: probing stops here.
const EMPTY: u64 = 0;
/// A removed object's slot: probing goes on past it. (Blocks are 8-byte
/// aligned, so no address word is 1.)
const TOMB: u64 = 1;
const ADDR_BITS: u32 = 48;
const ADDR_MASK: u64 = (1 << ADDR_BITS) - 1;
const FINGERPRINT_MASK: u64 = 0x7fff;
const MIN_SLOTS: usize = 16;

/// Bits of a hash kept in a word: from the middle of the hash, since its
/// low bits pick the slot and its high bits the stripe.
#[inline]
fn fingerprint(hash: u64) -> u64 {
    (hash >> 24) & FINGERPRINT_MASK
}

#[inline]
fn word(hash: u64, addr: *mut u64) -> u64 {
    addr as u64 | fingerprint(hash) << ADDR_BITS
}

pub struct Index {
    slots: Vec<u64>,
    live: usize,
    tombs: usize,
    /// False once an object's address did not fit a word (not on the
    /// usual 47-bit user address spaces): lookups then walk the buckets.
    usable: bool,
}

impl Index {
    pub fn new() -> Index {
        Index {
            slots: vec![EMPTY; MIN_SLOTS],
            live: 0,
            tombs: 0,
            usable: true,
        }
    }

    #[inline]
    pub fn usable(&self) -> bool {
        self.usable
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The objects whose words match `hash`, in probe order, until `f`
    /// returns true (then true) or an empty slot ends the probe (false).
    /// Only valid while the objects the index names are alive.
    #[inline]
    pub fn probe(&self, hash: u64, f: &mut dyn FnMut(*mut u64) -> bool) -> bool {
        let mask = self.mask();
        let fp = fingerprint(hash);
        let mut i = hash as usize & mask;
        loop {
            let w = self.slots[i];
            if w == EMPTY {
                return false;
            }
            if w != TOMB && (w >> ADDR_BITS) & FINGERPRINT_MASK == fp && f((w & ADDR_MASK) as *mut u64) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether an insert needs `rebuild` first (live objects and
    /// tombstones would pass five eighths of the slots).
    #[inline]
    pub fn wants_room(&self) -> bool {
        self.usable && (self.live + self.tombs + 1) * 8 > self.slots.len() * 5
    }

    /// Add an object (not yet in the index); `wants_room` was handled.
    pub fn insert(&mut self, hash: u64, addr: *mut u64) {
        if !self.usable {
            return;
        }
        if addr as u64 > ADDR_MASK || self.live + self.tombs + 1 >= self.slots.len() {
            self.disable();
            return;
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => break,
                TOMB => {
                    self.tombs -= 1;
                    break;
                }
                _ => i = (i + 1) & mask,
            }
        }
        self.slots[i] = word(hash, addr);
        self.live += 1;
    }

    /// The slot holding the object at `addr`.
    fn slot_of(&self, hash: u64, addr: *mut u64) -> Option<usize> {
        let mask = self.mask();
        let want = word(hash, addr);
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => return None,
                w if w == want => return Some(i),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Forget an object.
    pub fn remove(&mut self, hash: u64, addr: *mut u64) {
        if !self.usable {
            return;
        }
        if let Some(i) = self.slot_of(hash, addr) {
            self.slots[i] = TOMB;
            self.live -= 1;
            self.tombs += 1;
        } else {
            debug_assert!(false, "removing an object the index does not hold");
            self.disable();
        }
    }

    /// An object replaced by another of the same key (and hash).
    pub fn replace(&mut self, hash: u64, old: *mut u64, new: *mut u64) {
        if !self.usable {
            return;
        }
        if new as u64 > ADDR_MASK {
            self.disable();
            return;
        }
        match self.slot_of(hash, old) {
            Some(i) => self.slots[i] = word(hash, new),
            None => {
                debug_assert!(false, "replacing an object the index does not hold");
                self.disable();
            }
        }
    }

    /// Start again with `objects` (hash and block of every object of the
    /// stripe): room for them and as many more, no tombstones. The words
    /// do not hold whole hashes, so the stripe supplies them.
    pub fn rebuild(&mut self, live: usize, objects: impl Iterator<Item = (u64, *mut u64)>) {
        let n = (live * 2).next_power_of_two().max(MIN_SLOTS);
        let mut slots: Vec<u64> = Vec::with_capacity(n);
        crate::hugepage::advise(&mut slots);
        slots.resize(n, EMPTY);
        self.slots = slots;
        self.live = 0;
        self.tombs = 0;
        self.usable = true;
        for (hash, addr) in objects {
            self.insert(hash, addr);
        }
    }

    /// Stop using the index (lookups walk the buckets from now on).
    fn disable(&mut self) {
        self.usable = false;
        self.slots = vec![EMPTY; MIN_SLOTS];
        self.live = 0;
        self.tombs = 0;
    }

    /// Check the index against the stripe's objects (for tests): each is
    /// found from its hash, and nothing else is held.
    #[cfg(test)]
    pub fn check(&self, objects: &[(u64, *mut u64)]) {
        if !self.usable {
            return;
        }
        assert_eq!(self.live, objects.len(), "index count");
        let held = self.slots.iter().filter(|w| **w != EMPTY && **w != TOMB).count();
        assert_eq!(held, self.live);
        assert_eq!(self.slots.iter().filter(|w| **w == TOMB).count(), self.tombs);
        for &(hash, addr) in objects {
            assert!(
                self.slot_of(hash, addr).is_some(),
                "object missing from the index"
            );
        }
    }
}

impl Default for Index {
    fn default() -> Index {
        Index::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(i: u64) -> *mut u64 {
        (0x1000 + i * 8) as *mut u64
    }

    fn found(ix: &Index, hash: u64) -> Vec<*mut u64> {
        let mut out = Vec::new();
        ix.probe(hash, &mut |a| {
            out.push(a);
            false
        });
        out
    }

    /// Inserts, removals (tombstones), replacements and rebuilds keep every
    /// object findable from its hash, including hashes that collide on the
    /// home slot and on the fingerprint.
    #[test]
    fn objects_stay_findable() {
        let mut ix = Index::new();
        let hash = |i: u64| {
            if i.is_multiple_of(3) {
                7
            } else {
                i.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            }
        };
        let mut live: Vec<(u64, *mut u64)> = Vec::new();
        for i in 0..2000u64 {
            if ix.wants_room() {
                ix.rebuild(live.len() + 1, live.iter().copied());
            }
            ix.insert(hash(i), addr(i));
            live.push((hash(i), addr(i)));
            if i.is_multiple_of(5) {
                let (h, a) = live.swap_remove((i as usize * 7) % live.len());
                ix.remove(h, a);
            }
            if i.is_multiple_of(11) && !live.is_empty() {
                let k = (i as usize * 13) % live.len();
                let (h, a) = live[k];
                let b = addr(100_000 + i);
                ix.replace(h, a, b);
                live[k] = (h, b);
            }
        }
        ix.check(&live);
        for &(h, a) in &live {
            assert!(found(&ix, h).contains(&a));
        }
        assert!(ix.usable());
    }

    #[test]
    fn an_address_beyond_the_word_disables_the_index() {
        let mut ix = Index::new();
        ix.insert(1, addr(1));
        ix.insert(2, (1u64 << 50) as *mut u64);
        assert!(!ix.usable());
        assert!(found(&ix, 1).is_empty());
    }
}
