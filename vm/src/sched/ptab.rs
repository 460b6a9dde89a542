//! The process table (pid → process) and the registry of names.
//!
//! A pid names a slot and the slot's serial number at the time the process
//! was created, so a pid of a dead process never reaches the slot's next
//! occupant. Slots live in chunks allocated on first use; the table never
//! moves them.

use crate::signal::Inbox;
use crate::term::Term;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU8, AtomicUsize, Ordering};
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

/// A process as others see it: its pid, inbox and scheduling state. The
/// body (heap, stack, mailbox...) is locked by whoever runs it.
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
    pub body: Mutex<Process>,
}

impl ProcCell {
    pub fn new(pid: Term, priority: Priority, body: Process) -> ProcCell {
        ProcCell {
            pid,
            inbox: Inbox::default(),
            state: AtomicU8::new(state::RUNNABLE),
            priority: AtomicU8::new(priority as u8),
            registered: AtomicBool::new(false),
            memory: AtomicUsize::new(0),
            body: Mutex::new(body),
        }
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
    cell: Mutex<Option<Arc<ProcCell>>>,
    serial: AtomicU32,
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
        *slot.cell.lock().expect("slot") = Some(cell);
    }

    /// Run `f` on the live process `pid`, under its slot's lock (so it
    /// cannot be removed meanwhile) and without taking a reference count.
    /// `f` must not look up other processes (lock order).
    pub fn with<R>(&self, pid: Term, f: impl FnOnce(&Arc<ProcCell>) -> R) -> Option<R> {
        if !pid.is_local_pid() {
            return None;
        }
        let slot = self.existing_slot(pid_slot(pid))?;
        let guard = slot.cell.lock().expect("slot");
        match &*guard {
            Some(c) if c.pid == pid => Some(f(c)),
            _ => None,
        }
    }

    pub fn lookup(&self, pid: Term) -> Option<Arc<ProcCell>> {
        if !pid.is_local_pid() {
            return None;
        }
        let slot = self.existing_slot(pid_slot(pid))?;
        let guard = slot.cell.lock().expect("slot");
        match &*guard {
            Some(c) if c.pid == pid => Some(c.clone()),
            _ => None,
        }
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
        let mut guard = slot.cell.lock().expect("slot");
        if guard.as_ref().is_some_and(|c| c.pid == pid) {
            *guard = None;
            slot.serial.fetch_add(1, Ordering::Relaxed);
            drop(guard);
            self.free.lock().expect("free slots").push(index as u32);
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Every live process.
    pub fn all(&self) -> Vec<Term> {
        let n = (self.next.load(Ordering::Relaxed) as usize).min(self.limit);
        let mut out = Vec::new();
        for i in 0..n {
            if let Some(slot) = self.slot(i) {
                if let Some(c) = &*slot.cell.lock().expect("slot") {
                    if c.is_alive() {
                        out.push(c.pid);
                    }
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
                if let Some(c) = &*slot.cell.lock().expect("slot") {
                    // The cell around the body, and the Arc counts.
                    total += std::mem::size_of::<ProcCell>() - std::mem::size_of::<Process>() + 16;
                    total += if c.pid == me.pid() {
                        me.memory_bytes()
                    } else {
                        c.memory.load(Ordering::Relaxed)
                    };
                }
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
        assert!(std::mem::size_of::<super::Slot>() <= 24);
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
