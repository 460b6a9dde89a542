//! A hierarchical timer wheel with millisecond ticks: insert, cancel and
//! expiry in constant time per timer, so `receive ... after` and
//! `erlang:send_after` cost little and cancelled timers leave nothing
//! behind. Each scheduler owns one (DESIGN §6).
//!
//! Level `k` has 64 slots of 64^k ms each. A timer sits at the level of the
//! highest 6-bit group in which its deadline differs from the wheel's
//! current time; as time reaches a level's slot, its timers cascade down.

const LEVELS: usize = 7;
const SLOTS: usize = 64;
const BITS: u32 = 6;
/// The level of a reserved timer that is in no slot yet.
const UNPLACED: u8 = u8::MAX;

/// A timer's handle: its entry and that entry's generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerId {
    pub index: u32,
    pub gen: u32,
}

struct Entry<A> {
    deadline: u64,
    gen: u32,
    action: Option<A>,
    level: u8,
    slot: u8,
    pos: u32,
}

pub struct TimerWheel<A> {
    /// The tick (ms) up to which timers have been expired.
    now: u64,
    slots: Vec<Vec<u32>>,
    entries: Vec<Entry<A>>,
    free: Vec<u32>,
    live: usize,
}

impl<A> Default for TimerWheel<A> {
    fn default() -> Self {
        TimerWheel::new(0)
    }
}

fn level_for(now: u64, deadline: u64) -> usize {
    let diff = (deadline ^ now) | (SLOTS as u64 - 1);
    let bit = 63 - diff.leading_zeros();
    ((bit / BITS) as usize).min(LEVELS - 1)
}

impl<A> TimerWheel<A> {
    pub fn new(now: u64) -> Self {
        TimerWheel {
            now,
            slots: (0..LEVELS * SLOTS).map(|_| Vec::new()).collect(),
            entries: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The current tick.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Add a timer that fires at tick `deadline` (at once if it is past).
    pub fn insert(&mut self, deadline: u64, action: A) -> TimerId {
        let id = self.reserve(action);
        self.arm(id, deadline);
        id
    }

    /// A timer whose deadline is not known yet: it has its id and can be
    /// cancelled, but fires only once `arm`ed. (A `receive ... after`
    /// starts one without reading the clock; the scheduler arms it at its
    /// next clock reading, and the usual answer cancels it before then.)
    pub fn reserve(&mut self, action: A) -> TimerId {
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                self.entries.push(Entry {
                    deadline: 0,
                    gen: 0,
                    action: None,
                    level: 0,
                    slot: 0,
                    pos: 0,
                });
                (self.entries.len() - 1) as u32
            }
        };
        let e = &mut self.entries[index as usize];
        e.deadline = 0;
        e.action = Some(action);
        e.level = UNPLACED;
        let gen = e.gen;
        self.live += 1;
        TimerId { index, gen }
    }

    /// Give a reserved timer its deadline; false (and nothing done) if it
    /// was cancelled or is armed already.
    pub fn arm(&mut self, id: TimerId, deadline: u64) -> bool {
        if !self.valid(id) || self.entries[id.index as usize].level != UNPLACED {
            return false;
        }
        self.entries[id.index as usize].deadline = deadline.max(self.now);
        self.place(id.index);
        true
    }

    fn place(&mut self, index: u32) {
        let deadline = self.entries[index as usize].deadline.max(self.now);
        let level = level_for(self.now, deadline);
        let slot = ((deadline >> (BITS * level as u32)) & (SLOTS as u64 - 1)) as usize;
        let list = &mut self.slots[level * SLOTS + slot];
        let e = &mut self.entries[index as usize];
        e.level = level as u8;
        e.slot = slot as u8;
        e.pos = list.len() as u32;
        list.push(index);
    }

    fn unplace(&mut self, index: u32) {
        let (level, slot, pos) = {
            let e = &self.entries[index as usize];
            (e.level as usize, e.slot as usize, e.pos as usize)
        };
        let list = &mut self.slots[level * SLOTS + slot];
        list.swap_remove(pos);
        if let Some(&moved) = list.get(pos) {
            self.entries[moved as usize].pos = pos as u32;
        }
    }

    fn release(&mut self, index: u32) -> Option<A> {
        let e = &mut self.entries[index as usize];
        let a = e.action.take();
        // 24 bits: a timer reference keeps that many (see bif/timer.rs).
        e.gen = (e.gen + 1) & 0xff_ffff;
        self.free.push(index);
        self.live -= 1;
        a
    }

    fn valid(&self, id: TimerId) -> bool {
        self.entries
            .get(id.index as usize)
            .is_some_and(|e| e.gen == id.gen && e.action.is_some())
    }

    /// Remove a timer that has not fired; its action comes back.
    pub fn cancel(&mut self, id: TimerId) -> Option<A> {
        if !self.valid(id) {
            return None;
        }
        if self.entries[id.index as usize].level != UNPLACED {
            self.unplace(id.index);
        }
        self.release(id.index)
    }

    /// The action of a pending timer (to fill in what depends on its id).
    pub fn action_mut(&mut self, id: TimerId) -> Option<&mut A> {
        if !self.valid(id) {
            return None;
        }
        self.entries[id.index as usize].action.as_mut()
    }

    /// Ticks left before a pending timer fires.
    pub fn deadline(&self, id: TimerId) -> Option<u64> {
        if !self.valid(id) {
            return None;
        }
        let e = &self.entries[id.index as usize];
        (e.level != UNPLACED).then_some(e.deadline)
    }

    /// Advance to tick `to`, collecting the actions of every timer due.
    pub fn advance(&mut self, to: u64, due: &mut Vec<A>) {
        // Timers placed at the current tick (deadlines already reached).
        self.expire_slot(due);
        while self.now < to {
            if self.live == 0 {
                self.now = to;
                return;
            }
            // Skip ahead over empty level-0 slots, up to the next cascade.
            let next_boundary = (self.now | (SLOTS as u64 - 1)) + 1;
            let base = self.now & (SLOTS as u64 - 1);
            let mut step = next_boundary.min(to) - self.now;
            for k in 1..=(next_boundary - self.now).min(step) {
                let s = ((base + k) & (SLOTS as u64 - 1)) as usize;
                if !self.slots[s].is_empty() {
                    step = k;
                    break;
                }
            }
            self.now += step;
            if self.now & (SLOTS as u64 - 1) == 0 {
                self.cascade();
            }
            self.expire_slot(due);
        }
    }

    fn expire_slot(&mut self, due: &mut Vec<A>) {
        let s = (self.now & (SLOTS as u64 - 1)) as usize;
        if self.slots[s].is_empty() {
            return;
        }
        let list = std::mem::take(&mut self.slots[s]);
        let mut keep = Vec::new();
        for index in list {
            if self.entries[index as usize].deadline <= self.now {
                if let Some(a) = self.release(index) {
                    due.push(a);
                }
            } else {
                keep.push(index);
            }
        }
        for (pos, &index) in keep.iter().enumerate() {
            self.entries[index as usize].pos = pos as u32;
        }
        self.slots[s] = keep;
    }

    /// At a multiple of 64^k ticks, move the timers of the level-k slot now
    /// reached (for every k that divides) down to where they belong.
    fn cascade(&mut self) {
        for level in 1..LEVELS {
            let shift = BITS * level as u32;
            if self.now & ((1u64 << shift) - 1) != 0 {
                break;
            }
            let slot = ((self.now >> shift) & (SLOTS as u64 - 1)) as usize;
            let list = std::mem::take(&mut self.slots[level * SLOTS + slot]);
            for index in list {
                self.place(index);
            }
        }
    }

    /// A tick at or before which the next timer fires (a lower bound that
    /// may be early, never late), or None without timers.
    pub fn next_deadline(&self) -> Option<u64> {
        if self.live == 0 {
            return None;
        }
        for level in 0..LEVELS {
            let shift = BITS * level as u32;
            let cur = ((self.now >> shift) & (SLOTS as u64 - 1)) as usize;
            for k in 0..SLOTS {
                let s = (cur + k) % SLOTS;
                if self.slots[level * SLOTS + s].is_empty() {
                    continue;
                }
                if level == 0 {
                    return Some(self.now + k as u64);
                }
                // The slot's start time at this level.
                let span = 1u64 << shift;
                let start = ((self.now >> shift) + k as u64) << shift;
                return Some(start.max(self.now + 1).min(self.now + span * SLOTS as u64));
            }
        }
        Some(self.now + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_to(w: &mut TimerWheel<u32>, t: u64) -> Vec<u32> {
        let mut due = Vec::new();
        w.advance(t, &mut due);
        due
    }

    #[test]
    fn a_reserved_timer_fires_only_once_armed_and_cancels_either_way() {
        let mut w = TimerWheel::new(100);
        let a = w.reserve(1u32);
        let b = w.reserve(2u32);
        let c = w.reserve(3u32);
        assert!(run_to(&mut w, 500).is_empty(), "unarmed timers never fire");
        assert_eq!(w.deadline(a), None);
        assert!(w.arm(a, 510));
        assert!(!w.arm(a, 900), "armed already: unchanged");
        assert_eq!(w.deadline(a), Some(510));
        assert_eq!(w.cancel(b), Some(2), "cancelled before arming");
        assert!(!w.arm(b, 505), "cancelled: nothing");
        assert!(w.arm(c, 520));
        assert_eq!(w.cancel(c), Some(3), "cancelled after arming");
        // The freed entry is reused; the stale id arms nothing.
        let d = w.reserve(4u32);
        assert!(!w.arm(b, 501));
        assert!(run_to(&mut w, 509).is_empty());
        assert_eq!(run_to(&mut w, 510), vec![1]);
        assert!(w.arm(d, 530));
        assert!(run_to(&mut w, 529).is_empty());
        assert_eq!(run_to(&mut w, 530), vec![4]);
        assert!(run_to(&mut w, 10_000).is_empty());
        // An id this wheel never made (a reference from elsewhere).
        let bogus = TimerId {
            index: 1_000_000,
            gen: 0,
        };
        assert_eq!(w.deadline(bogus), None);
        assert!(!w.arm(bogus, 20_000));
        assert_eq!(w.cancel(bogus), None);
    }

    #[test]
    fn fires_each_timer_at_its_tick() {
        let mut w = TimerWheel::new(1000);
        let deadlines = [1000u64, 1001, 1063, 1064, 1065, 5000, 70_000, 300_000, 10_000_000];
        for (i, d) in deadlines.iter().enumerate() {
            w.insert(*d, i as u32);
        }
        let mut now = 1000;
        let mut fired = vec![None; deadlines.len()];
        loop {
            for a in run_to(&mut w, now) {
                fired[a as usize] = Some(now);
            }
            if now >= 10_000_001 {
                break;
            }
            now = (now + if now < 400_000 { 1 } else { 997 }).min(10_000_001);
        }
        for (i, d) in deadlines.iter().enumerate() {
            let f = fired[i].expect("fired");
            assert!(f >= *d, "timer {i} fired at {f}, before {d}");
            if *d < 400_000 {
                assert_eq!(f, *d, "timer {i}");
            }
        }
        assert!(w.is_empty());
    }

    #[test]
    fn big_jumps_and_cancellation() {
        let mut w = TimerWheel::new(0);
        let a = w.insert(10, 1u32);
        let b = w.insert(5_000, 2);
        let c = w.insert(5_000, 3);
        assert_eq!(w.deadline(b), Some(5_000));
        assert_eq!(w.cancel(b), Some(2));
        assert_eq!(w.cancel(b), None);
        assert_eq!(run_to(&mut w, 9), Vec::<u32>::new());
        assert_eq!(run_to(&mut w, 4_000), vec![1]);
        assert_eq!(w.cancel(a), None);
        assert!(w.next_deadline().unwrap() <= 5_000);
        assert_eq!(run_to(&mut w, 100_000), vec![3]);
        let _ = c;
        assert!(w.next_deadline().is_none());
    }

    #[test]
    fn many_timers_random_order() {
        let mut w = TimerWheel::new(0);
        let mut x: u64 = 12345;
        let mut ids = Vec::new();
        for i in 0..5000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let d = (x >> 33) % 200_000;
            ids.push((w.insert(d, i), d));
        }
        // Cancel every third.
        let mut want = 0;
        for (n, (id, _)) in ids.iter().enumerate() {
            if n % 3 == 0 {
                assert!(w.cancel(*id).is_some());
            } else {
                want += 1;
            }
        }
        let mut got = 0;
        let mut t = 0;
        while t <= 200_000 {
            for a in run_to(&mut w, t) {
                let (_, d) = ids[a as usize];
                assert_eq!(d, t, "fired at its tick");
                got += 1;
            }
            t += 1;
        }
        assert_eq!(got, want);
    }
}
