//! The process table (pid → process) and the registry of names.
//!
//! A pid names a slot and the slot's serial number at the time the process
//! was created, so a pid of a dead process never reaches the slot's next
//! occupant. Slots live in chunks allocated on first use; the table never
//! moves them.

use crate::signal::Inbox;
use crate::term::Term;
use crossbeam_epoch as epoch;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use crate::process::Process;

/// Bits of a pid's payload that hold the slot index.
const INDEX_BITS: u32 = 28;
const CHUNK: usize = 1024;

/// Scheduling states of a process.
pub mod state {
    /// In a receive with nothing to match; a signal makes it runnable.
    pub const WAITING: u8 = 0;
    /// In a run queue.
    pub const RUNNABLE: u8 = 1;
    /// On a scheduler.
    pub const RUNNING: u8 = 2;
    /// Gone: signals bounce.
    pub const EXITED: u8 = 3;
}

/// Scheduling priorities, as `process_flag(priority, _)` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Max = 0,
    High = 1,
    Normal = 2,
    Low = 3,
}

impl Priority {
    pub fn from_u8(v: u8) -> Priority {
        match v {
            0 => Priority::Max,
            1 => Priority::High,
            3 => Priority::Low,
            _ => Priority::Normal,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Priority::Max => "max",
            Priority::High => "high",
            Priority::Normal => "normal",
            Priority::Low => "low",
        }
    }

    pub fn from_name(s: &str) -> Option<Priority> {
        Some(match s {
            "max" => Priority::Max,
            "high" => Priority::High,
            "normal" => Priority::Normal,
            "low" => Priority::Low,
            _ => return None,
        })
    }
}

/// A process as others see it: its pid, inbox and scheduling state, and
/// its body (heap, stack, mailbox...), touched only by whoever runs it.
pub struct ProcCell {
    pub pid: Term,
    pub inbox: Inbox,
    pub state: AtomicU8,
    pub priority: AtomicU8,
    /// Has (or had) a registered name: its exit must look in the registry.
    pub registered: AtomicBool,
    /// `Process::memory_bytes` as of the end of its last time slice (read
    /// by erlang:memory without locking a running process).
    pub memory: AtomicUsize,
    /// The process itself, touched only by the scheduler running it (see
    /// `ProcCell::claim`).
    body: UnsafeCell<Process>,
}

// SAFETY: the body is reached only through `claim`, by the one scheduler
// that popped the cell from a run queue; everything else is atomics or
// immutable. Process holds raw pointers into its own heap and
// blocks, which move with it from thread to thread like a Box's contents.
unsafe impl Sync for ProcCell {}
// SAFETY: as above: the cell may be dropped on any thread.
unsafe impl Send for ProcCell {}

impl ProcCell {
    pub fn new(pid: Term, priority: Priority, body: Process) -> ProcCell {
        ProcCell {
            pid,
            inbox: Inbox::default(),
            state: AtomicU8::new(state::RUNNABLE),
            priority: AtomicU8::new(priority as u8),
            registered: AtomicBool::new(false),
            memory: AtomicUsize::new(0),
            body: UnsafeCell::new(body),
        }
    }

    /// Take the process to run it: the caller popped the cell from a run
    /// queue. A cell sits in at most one run queue, put there by whoever
    /// made it RUNNABLE (the spawner, the one sender whose compare-and-swap
    /// woke it, or the scheduler that ran it last), so a popped cell is
    /// RUNNABLE and its body is the popper's alone until it publishes a new
    /// state. Finding another state means that invariant broke, and stops
    /// the VM rather than let two schedulers share a body. (This replaced a
    /// mutex that cost two atomic operations a turn for an exclusion the
    /// states already guarantee. Plain loads and stores suffice: the run
    /// queue's push and pop order the body's writes, and senders treat
    /// RUNNABLE and RUNNING alike.)
    ///
    /// # Safety
    /// `self` was just popped from a run queue; the returned reference is
    /// not used after the state leaves RUNNING (`run_process`, the exit).
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn claim(&self) -> &mut Process {
        let was = self.state.load(Ordering::Relaxed);
        assert_eq!(was, state::RUNNABLE, "a process was claimed twice");
        self.state.store(state::RUNNING, Ordering::Relaxed);
        // SAFETY: the caller owns the cell's turn (see above).
        unsafe { &mut *self.body.get() }
    }
}

impl ProcCell {
    pub fn state(&self) -> u8 {
        self.state.load(Ordering::SeqCst)
    }

    pub fn is_alive(&self) -> bool {
        self.state() != state::EXITED
    }

    pub fn priority(&self) -> Priority {
        Priority::from_u8(self.priority.load(Ordering::Relaxed))
    }
}

#[derive(Default)]
struct Slot {
    /// The process: the slot's own `Arc` reference as a raw pointer, or
    /// null. Read under an epoch guard with no shared write (every message
    /// looks its receiver up here, and many senders to one process queued
    /// on a lock); `remove` drops the reference only once no guard that
    /// may have read it remains.
    cell: AtomicPtr<ProcCell>,
    serial: AtomicU32,
}

impl Slot {
    /// Run `f` on the slot's process, if it has one.
    fn with_cell<R>(&self, f: impl FnOnce(&Arc<ProcCell>) -> R) -> Option<R> {
        let _guard = epoch::pin();
        let p = self.cell.load(Ordering::Acquire);
        if p.is_null() {
            return None;
        }
        // SAFETY: `p` came from `Arc::into_raw` in `insert`, and the
        // reference it stands for is dropped only after every guard that
        // might have loaded it (ours included) is gone. ManuallyDrop keeps
        // this borrowed view from dropping it.
        let cell = std::mem::ManuallyDrop::new(unsafe { Arc::from_raw(p) });
        Some(f(&cell))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let p = *self.cell.get_mut();
        if !p.is_null() {
            // SAFETY: the slot's own reference; no reader is left.
            drop(unsafe { Arc::from_raw(p) });
        }
    }
}

pub struct ProcTable {
    chunks: Box<[OnceLock<Box<[Slot]>>]>,
    free: Mutex<Vec<u32>>,
    next: AtomicU32,
    count: AtomicUsize,
    limit: usize,
    names: RwLock<std::collections::HashMap<Term, Term>>,
}

/// The slot and serial number of a local pid.
pub fn pid_parts(pid: Term) -> (u64, u64) {
    let v = pid.pid_index();
    (v & ((1 << INDEX_BITS) - 1), v >> INDEX_BITS)
}

/// The local pid with this slot and serial number (list_to_pid/1).
pub fn pid_of_parts(slot: u64, serial: u64) -> Option<Term> {
    if slot >= 1 << INDEX_BITS || serial >= 1 << (59 - INDEX_BITS) {
        return None;
    }
    Some(Term::pid(serial << INDEX_BITS | slot))
}

/// The slot index of a local pid.
pub fn pid_slot(pid: Term) -> usize {
    (pid.pid_index() & ((1 << INDEX_BITS) - 1)) as usize
}

impl ProcTable {
    pub fn new(limit: usize) -> ProcTable {
        let limit = limit.clamp(1024, 1 << INDEX_BITS);
        let chunks = limit.div_ceil(CHUNK);
        ProcTable {
            chunks: (0..chunks).map(|_| OnceLock::new()).collect(),
            free: Mutex::new(Vec::new()),
            next: AtomicU32::new(0),
            count: AtomicUsize::new(0),
            limit,
            names: RwLock::new(Default::default()),
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// The slot if its chunk exists (lookups never create chunks).
    fn existing_slot(&self, index: usize) -> Option<&Slot> {
        let chunk = self.chunks.get(index / CHUNK)?.get()?;
        Some(&chunk[index % CHUNK])
    }

    fn slot(&self, index: usize) -> Option<&Slot> {
        let chunk = self.chunks.get(index / CHUNK)?;
        let c = chunk.get_or_init(|| (0..CHUNK).map(|_| Slot::default()).collect());
        Some(&c[index % CHUNK])
    }

    /// Reserve a slot and its pid; None at the process limit.
    pub fn reserve(&self) -> Option<Term> {
        let index = match self.free.lock().expect("free slots").pop() {
            Some(i) => i as usize,
            None => {
                let i = self.next.fetch_add(1, Ordering::Relaxed) as usize;
                if i >= self.limit {
                    self.next.fetch_sub(1, Ordering::Relaxed);
                    return None;
                }
                i
            }
        };
        let slot = self.slot(index)?;
        let serial = slot.serial.load(Ordering::Relaxed) as u64;
        self.count.fetch_add(1, Ordering::Relaxed);
        Some(Term::pid((serial << INDEX_BITS) | index as u64))
    }

    /// Put a new process in its reserved slot.
    pub fn insert(&self, cell: Arc<ProcCell>) {
        let slot = self.slot(pid_slot(cell.pid)).expect("reserved slot");
        let old = slot
            .cell
            .swap(Arc::into_raw(cell) as *mut ProcCell, Ordering::AcqRel);
        debug_assert!(old.is_null(), "a reserved slot is empty");
    }

    /// Run `f` on the process `pid` without taking a reference count. It
    /// may be exiting meanwhile: its exit closes the inbox before it frees
    /// the slot, so a signal pushed late is handed back.
    pub fn with<R>(&self, pid: Term, f: impl FnOnce(&Arc<ProcCell>) -> R) -> Option<R> {
        if !pid.is_local_pid() {
            return None;
        }
        let slot = self.existing_slot(pid_slot(pid))?;
        slot.with_cell(|c| (c.pid == pid).then(|| f(c))).flatten()
    }

    pub fn lookup(&self, pid: Term) -> Option<Arc<ProcCell>> {
        self.with(pid, Arc::clone)
    }

    /// Give back a reserved slot that never got its process.
    pub fn release(&self, pid: Term) {
        let index = pid_slot(pid);
        if let Some(slot) = self.slot(index) {
            slot.serial.fetch_add(1, Ordering::Relaxed);
            self.free.lock().expect("free slots").push(index as u32);
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Free the slot of an exited process.
    pub fn remove(&self, pid: Term) {
        let index = pid_slot(pid);
        let Some(slot) = self.slot(index) else { return };
        let guard = epoch::pin();
        let p = slot.cell.load(Ordering::Acquire);
        // SAFETY: a non-null pointer is a live cell (as in `with_cell`).
        if p.is_null() || unsafe { (*p).pid } != pid {
            return;
        }
        if slot
            .cell
            .compare_exchange(p, std::ptr::null_mut(), Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        let p = p as usize;
        // SAFETY: the slot's reference, now unreachable from the table, is
        // dropped once every guard that might still read it is gone.
        unsafe { guard.defer_unchecked(move || drop(Arc::from_raw(p as *const ProcCell))) };
        slot.serial.fetch_add(1, Ordering::Relaxed);
        self.free.lock().expect("free slots").push(index as u32);
        self.count.fetch_sub(1, Ordering::Relaxed);
    }

    /// Every live process.
    pub fn all(&self) -> Vec<Term> {
        let n = (self.next.load(Ordering::Relaxed) as usize).min(self.limit);
        let mut out = Vec::new();
        for i in 0..n {
            if let Some(slot) = self.slot(i) {
                if let Some(Some(pid)) = slot.with_cell(|c| c.is_alive().then_some(c.pid)) {
                    out.push(pid);
                }
            }
        }
        out
    }

    /// Bytes held by every live process (as of their last time slice),
    /// `me` counted from its current state.
    pub fn memory_of_processes(&self, me: &Process) -> usize {
        let n = (self.next.load(Ordering::Relaxed) as usize).min(self.limit);
        let mut total = 0;
        for i in 0..n {
            if let Some(slot) = self.existing_slot(i) {
                total += slot
                    .with_cell(|c| {
                        // The cell around the body, and the Arc counts.
                        std::mem::size_of::<ProcCell>() - std::mem::size_of::<Process>()
                            + 16
                            + if c.pid == me.pid() {
                                me.memory_bytes()
                            } else {
                                c.memory.load(Ordering::Relaxed)
                            }
                    })
                    .unwrap_or(0);
            }
        }
        total
    }

    // ---------------------------------------------------------------- names

    pub fn whereis(&self, name: Term) -> Option<Term> {
        self.names.read().expect("names").get(&name).copied()
    }

    /// Register `name` for `pid`; false if either is taken.
    pub fn register(&self, name: Term, pid: Term) -> bool {
        let mut names = self.names.write().expect("names");
        if names.contains_key(&name) || names.values().any(|p| *p == pid) {
            return false;
        }
        names.insert(name, pid);
        true
    }

    pub fn unregister(&self, name: Term) -> Option<Term> {
        self.names.write().expect("names").remove(&name)
    }

    /// The name a process is registered under.
    pub fn name_of(&self, pid: Term) -> Option<Term> {
        let names = self.names.read().expect("names");
        names.iter().find(|(_, p)| **p == pid).map(|(n, _)| *n)
    }

    /// Drop the name of an exiting process.
    pub fn unregister_pid(&self, pid: Term) {
        self.names.write().expect("names").retain(|_, p| *p != pid);
    }

    pub fn registered(&self) -> Vec<Term> {
        self.names.read().expect("names").keys().copied().collect()
    }
}
#[cfg(test)]
mod tests {
    /// An idle process costs its cell, a slot and a few small blocks: keep
    /// the cell small enough that the whole stays under 1,000 bytes (the
    /// spawn1m benchmark measures the total).
    #[test]
    fn a_process_cell_stays_small() {
        let cell = std::mem::size_of::<super::ProcCell>();
        assert!(cell <= 680, "ProcCell grew to {cell} bytes");
        assert!(std::mem::size_of::<super::Slot>() <= 16);
    }

    /// A popped cell is claimed once per turn: claiming one that is not
    /// RUNNABLE (two schedulers would share its body) stops the VM.
    #[test]
    fn a_cell_is_claimed_once_per_turn() {
        use super::*;
        let cell = ProcCell::new(Term::pid(1), Priority::Normal, Process::new(1, 16));
        // SAFETY: the cell was never queued; this test is its only user.
        let p = unsafe { cell.claim() };
        assert_eq!(p.id, 1);
        assert_eq!(cell.state(), state::RUNNING);
        let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // SAFETY: the claim must refuse before handing out the body.
            let _ = unsafe { cell.claim() };
        }));
        assert!(again.is_err(), "a second claim in the same turn");
        cell.state.store(state::RUNNABLE, Ordering::Relaxed);
        // SAFETY: as above, a new turn.
        assert_eq!(unsafe { cell.claim() }.id, 1);
    }

    /// Lookups race with removals and reuse of the same slots: a lookup
    /// finds the process its pid names or nothing, never the slot's next
    /// occupant, and the cell it borrowed is still the one it loaded.
    #[test]
    fn lookups_racing_removals_see_the_right_process_or_none() {
        use super::*;
        use std::sync::atomic::AtomicBool;
        let table = Arc::new(ProcTable::new(64));
        let spawn = |t: &ProcTable| {
            let pid = t.reserve().expect("a free slot");
            let body = Process::new(pid.pid_index(), 16);
            t.insert(Arc::new(ProcCell::new(pid, Priority::Normal, body)));
            pid
        };
        let pids: Arc<Vec<std::sync::Mutex<Term>>> =
            Arc::new((0..8).map(|_| std::sync::Mutex::new(spawn(&table))).collect());
        let stop = Arc::new(AtomicBool::new(false));
        let found = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (table, pids, stop, found) = (table.clone(), pids.clone(), stop.clone(), found.clone());
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        for m in pids.iter() {
                            let pid = *m.lock().expect("pid");
                            if let Some(seen) = table.with(pid, |c| c.pid) {
                                assert_eq!(seen, pid);
                                found.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                })
            })
            .collect();
        // At least 20,000 rounds, and on until the readers (which a busy
        // machine may not have scheduled yet) have seen processes.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut round = 0;
        while round < 20_000 || (found.load(Ordering::Relaxed) == 0 && std::time::Instant::now() < deadline) {
            let m = &pids[round % pids.len()];
            let old = *m.lock().expect("pid");
            table.remove(old);
            assert!(table.lookup(old).is_none(), "a removed pid is gone");
            *m.lock().expect("pid") = spawn(&table);
            round += 1;
        }
        stop.store(true, Ordering::Relaxed);
        for r in readers {
            r.join().expect("reader");
        }
        assert!(found.load(Ordering::Relaxed) > 0);
    }

    #[test]
    fn lazy_heaps_allocate_on_first_use() {
        let mut p = crate::process::Process::new(1, 64);
        assert_eq!(p.heap.used_words(), 0);
        assert_eq!(p.heap.size_words(), 64);
        let t = p.heap.tuple(&[crate::term::Term::small(1)]);
        assert_eq!(t.tuple_elems()[0].small_value(), 1);
        assert!(
            !p.heap.wants_gc(),
            "the first block is the young generation, not a fragment"
        );
    }
}
