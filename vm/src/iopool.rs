//! The I/O threads: blocking file operations run here instead of on a
//! scheduler thread (BEAM's dirty I/O schedulers play this part).
//!
//! A file BIF checks its arguments, makes a reference, hands the operation
//! to the pool ([`IoPool::submit`]) and traps to `file:'$await'(Ref)`,
//! whose `receive {'$beryl_io', Ref, Result} -> Result end` suspends the
//! process exactly as any receive does (the scheduler runs others). An I/O
//! thread runs the operation, builds `Result` in a scratch heap and sends
//! the tuple to the process as an ordinary message, which wakes it. The
//! reference is made by the process just before the receive, so the
//! receive marks skip every message queued earlier (no mailbox scan).
//!
//! An operation never touches the process's heap: everything it needs is
//! taken before it is queued (paths, counts, iodata with its off-heap
//! binaries retained, see `iov::Iov::of_iodata_owned`). A process that
//! exits meanwhile is simply not there to receive the reply, which is
//! dropped (releasing its binaries).
//!
//! Threads are started on demand, one whenever an operation is queued and
//! no idle thread is left for it, up to `BERYL_IO_THREADS` (default 10, as BEAM's
//! dirty I/O schedulers; 0 runs every operation on the scheduler thread,
//! as before the pool); they stop when the VM goes.

use crate::heap::Heap;
use crate::signal::Payload;
use crate::term::Term;
use crate::vm::Vm;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, Weak};

/// An operation: does the I/O and builds its result in the heap given.
pub type Op = Box<dyn FnOnce(&Vm, &mut Heap) -> Term + Send>;

struct Job {
    op: Op,
    /// Who waits, and the reference it waits for (in its own block).
    pid: Term,
    reference: Payload,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    idle: usize,
    threads: usize,
    closed: bool,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
}

pub struct IoPool {
    vm: Weak<Vm>,
    shared: Arc<Shared>,
    max_threads: usize,
}

impl IoPool {
    pub fn new(vm: Weak<Vm>) -> IoPool {
        let max_threads = std::env::var("BERYL_IO_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(10)
            .min(1024);
        IoPool {
            vm,
            shared: Arc::default(),
            max_threads,
        }
    }

    /// Queue `op` for process `pid`, which will wait for
    /// `{'$beryl_io', Ref, Result}`; the operation back if no thread
    /// could be started (the caller then runs it itself).
    pub fn submit(&self, pid: Term, reference: Term, op: Op) -> Result<(), Op> {
        let mut q = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        if self.max_threads == 0 {
            return Err(op);
        }
        // Each idle thread will take one queued operation (woken ones
        // count as idle until they have taken theirs): a thread more
        // when the operations waiting outnumber them, or a burst of
        // blocking operations would queue behind each other.
        if q.jobs.len() >= q.idle && q.threads < self.max_threads {
            let shared = self.shared.clone();
            let vm = self.vm.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("beryl-io-{}", q.threads + 1))
                .spawn(move || worker(shared, vm));
            match spawned {
                Ok(_) => q.threads += 1,
                Err(_) if q.threads == 0 => return Err(op),
                Err(_) => {}
            }
        }
        q.jobs.push_back(Job {
            op,
            pid,
            reference: Payload::copy_of(reference),
        });
        drop(q);
        self.shared.ready.notify_one();
        Ok(())
    }
}

impl Drop for IoPool {
    fn drop(&mut self) {
        self.shared.queue.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        self.shared.ready.notify_all();
    }
}

fn worker(shared: Arc<Shared>, vm: Weak<Vm>) {
    loop {
        let job = {
            let mut q = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if q.closed {
                    return;
                }
                if let Some(j) = q.jobs.pop_front() {
                    break j;
                }
                q.idle += 1;
                q = shared.ready.wait(q).unwrap_or_else(|e| e.into_inner());
                q.idle -= 1;
            }
        };
        let Job { op, pid, reference } = job;
        let Some(vm) = vm.upgrade() else {
            return;
        };
        // An operation that panicked (a bug) still answers, so that its
        // process does not wait for ever: `{error, eio}`.
        let reply = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Payload::compose(|h| {
                let result = op(&vm, h);
                h.tuple(&[crate::atom::atom("$beryl_io"), reference.term, result])
            })
        }))
        .unwrap_or_else(|_| {
            Payload::compose(|h| {
                let e = h.tuple(&[crate::atom::atom("error"), crate::atom::atom("eio")]);
                h.tuple(&[crate::atom::atom("$beryl_io"), reference.term, e])
            })
        });
        drop(reference);
        vm.send_payload(pid, reply);
    }
}
