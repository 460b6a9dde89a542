//! Schedulers: N threads that run processes (DESIGN §5).
//!
//! Each scheduler has local run queues (one per priority: max, high, and
//! normal, which low shares) and steals from the others and from the
//! global injectors when it runs dry; with nothing to do it parks until
//! woken or until its next timer is due. A process runs for a slice of
//! [`SLICE`](crate::interp::SLICE) reductions, then goes to the back of
//! its queue.
//!
//! Ownership of a process moves with its `Arc<ProcCell>`: a cell is in at
//! most one run queue, and only the scheduler that popped it locks its
//! body. The state machine in `ProcCell::state` (see `ptab::state`) makes
//! sure a signal to a waiting process enqueues it exactly once.

pub mod ptab;
pub mod signals;
pub mod timer;

use crate::interp::{self, Outcome, X_REGS};
use crate::process::ReceiveTimer;
use crate::signal::{Payload, Signal};
use crate::term::Term;
use crate::vm::Vm;
use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use crossbeam_utils::sync::{Parker, Unparker};
use ptab::{state, Priority, ProcCell};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use timer::{TimerId, TimerWheel};

/// Run queues per scheduler: max, high, normal, low.
const QUEUES: usize = 4;
const NORMAL: usize = 2;
const LOW: usize = 3;

/// A waiting low-priority process gets one turn for this many turns of
/// normal ones (BEAM reschedules a low process 8 times before running it).
const LOW_EVERY: u32 = 8;

/// A process waiting alone behind a running one is stolen after this long.
const STEAL_AFTER_NS: u64 = 100_000;

/// How long an idle scheduler looks for work before it parks (rounds of
/// a queue check and 64 spin hints: some tens of microseconds).
const SPIN_ROUNDS: usize = 300;

fn queue_of(p: Priority) -> usize {
    match p {
        Priority::Max => 0,
        Priority::High => 1,
        Priority::Normal => NORMAL,
        Priority::Low => LOW,
    }
}

/// What a timer does when it fires.
pub enum TimerAction {
    /// A `receive ... after` timeout of `pid`.
    Timeout { pid: Term, token: u64 },
    /// `erlang:send_after/3` or `start_timer/3`: deliver a message.
    Send { to: Term, msg: Payload },
}

/// The scheduler a thread is, and its local queues.
struct Local {
    id: usize,
    queues: [Worker<Arc<ProcCell>>; QUEUES],
    /// Normal-priority turns since a low-priority process last ran here.
    normal_turns: std::cell::Cell<u32>,
    /// `receive ... after` timeouts started on this scheduler: touched by
    /// its own thread only, so without a lock. A process that moved to
    /// another scheduler does not cancel its timeout here; it fires in due
    /// course and its stale token is ignored (`Signal::Timeout`).
    receive_timers: RefCell<TimerWheel<(Term, u64)>>,
    /// At or before the next of them (u64::MAX: none), so the loop looks
    /// at the wheel only when one may be due.
    next_receive_ms: std::cell::Cell<u64>,
    /// Receive timeouts reserved in `receive_timers` and not armed yet,
    /// with their milliseconds, oldest first: armed by a later fresh clock
    /// reading (see `carried`) or before the scheduler sleeps, counting
    /// from a reading taken after their start, so none fires early.
    unarmed: RefCell<Vec<(TimerId, u64)>>,
    /// How many of `unarmed` (the first ones) were started before the last
    /// fresh clock reading, which was at `carried_since_ns`: the next fresh
    /// reading arms those, counting from that reading. Timeouts started
    /// since wait one more reading, so the common one (cancelled by a reply
    /// within microseconds) is never placed in the wheel at all.
    carried: std::cell::Cell<usize>,
    carried_since_ns: std::cell::Cell<u64>,
    /// Tokens of those timeouts: unique with the scheduler id in the low
    /// bits.
    next_token: std::cell::Cell<u64>,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// The id of the scheduler running on this thread (0 elsewhere).
pub fn current_scheduler() -> usize {
    LOCAL.with(|l| l.borrow().as_ref().map(|l| l.id).unwrap_or(0))
}

/// What one scheduler counts, on cache lines of its own: only its thread
/// writes (plain load + store, no locked instruction), others read.
#[repr(align(128))]
struct PerScheduler {
    /// Time not parked, for statistics(scheduler_wall_time), in ns.
    busy_ns: AtomicU64,
    /// When the current process started running (0: none).
    running_since: AtomicU64,
    context_switches: AtomicU64,
    reductions: AtomicU64,
    /// A tick (ms) at or before which the next timer on this scheduler's
    /// wheel fires; `u64::MAX` when it is empty. Lets the loop skip the
    /// wheel's lock when nothing is due.
    next_timer_ms: AtomicU64,
}

impl Default for PerScheduler {
    fn default() -> Self {
        PerScheduler {
            busy_ns: AtomicU64::new(0),
            running_since: AtomicU64::new(0),
            context_switches: AtomicU64::new(0),
            reductions: AtomicU64::new(0),
            next_timer_ms: AtomicU64::new(u64::MAX),
        }
    }
}

/// Add to a counter only its owner thread writes.
fn bump(c: &AtomicU64, n: u64) {
    c.store(c.load(Ordering::Relaxed).wrapping_add(n), Ordering::Relaxed);
}

/// Machine stack of a scheduler thread (reserved, touched as used): room
/// for the interpreter, the BIFs and native code's budget.
const SCHEDULER_STACK_BYTES: usize = 4 << 20;

pub struct Schedulers {
    n: usize,
    injectors: [Injector<Arc<ProcCell>>; QUEUES],
    stealers: OnceLock<Vec<[Stealer<Arc<ProcCell>>; QUEUES]>>,
    unparkers: OnceLock<Vec<Unparker>>,
    /// Bit i set: scheduler i is parked (or about to park).
    sleeping: AtomicU64,
    timers: Vec<Mutex<TimerWheel<TimerAction>>>,
    epoch: Instant,
    next_token: AtomicU64,
    started: AtomicBool,
    per: Vec<PerScheduler>,
    threads: Mutex<Vec<std::thread::JoinHandle<()>>>,
    online: AtomicUsize,
}

impl Schedulers {
    pub fn new(n: usize) -> Schedulers {
        let n = n.clamp(1, 64);
        Schedulers {
            n,
            injectors: [Injector::new(), Injector::new(), Injector::new(), Injector::new()],
            stealers: OnceLock::new(),
            unparkers: OnceLock::new(),
            sleeping: AtomicU64::new(0),
            timers: (0..n).map(|_| Mutex::new(TimerWheel::new(0))).collect(),
            epoch: Instant::now(),
            next_token: AtomicU64::new(1),
            started: AtomicBool::new(false),
            per: (0..n).map(|_| PerScheduler::default()).collect(),
            threads: Mutex::new(Vec::new()),
            online: AtomicUsize::new(n),
        }
    }

    pub fn count(&self) -> usize {
        self.n
    }

    pub fn online(&self) -> usize {
        self.online.load(Ordering::Relaxed)
    }

    pub fn busy_ns(&self, i: usize) -> u64 {
        self.per[i].busy_ns.load(Ordering::Relaxed)
    }

    pub fn context_switches(&self) -> u64 {
        self.per
            .iter()
            .map(|p| p.context_switches.load(Ordering::Relaxed))
            .sum()
    }

    /// Reductions of the slices that have ended, on every scheduler.
    pub fn total_reductions(&self) -> u64 {
        self.per
            .iter()
            .map(|p| p.reductions.load(Ordering::Relaxed))
            .sum()
    }

    pub fn uptime(&self) -> Duration {
        self.epoch.elapsed()
    }

    /// Milliseconds since the schedulers started: the timers' clock.
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// The tick at which a timer of `ms` milliseconds started now fires:
    /// rounded up, so that it never fires before `ms` have fully passed
    /// (`receive after 5` waits at least 5 ms, as on OTP).
    fn deadline_after(&self, ms: u64) -> u64 {
        let micros = self.epoch.elapsed().as_micros() as u64;
        micros.div_ceil(1000) + ms
    }

    /// Start the scheduler threads (once).
    pub fn start(vm: &Arc<Vm>) {
        let s = &vm.scheds;
        if s.started.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut locals = Vec::new();
        let mut stealers = Vec::new();
        let mut parkers = Vec::new();
        let mut unparkers = Vec::new();
        for id in 0..s.n {
            let queues = [
                Worker::new_fifo(),
                Worker::new_fifo(),
                Worker::new_fifo(),
                Worker::new_fifo(),
            ];
            stealers.push(std::array::from_fn(|q| queues[q].stealer()));
            locals.push(Local {
                id,
                queues,
                normal_turns: std::cell::Cell::new(0),
                receive_timers: RefCell::new(TimerWheel::new(0)),
                next_receive_ms: std::cell::Cell::new(u64::MAX),
                unarmed: RefCell::new(Vec::new()),
                carried: std::cell::Cell::new(0),
                carried_since_ns: std::cell::Cell::new(0),
                next_token: std::cell::Cell::new(1),
            });
            let p = Parker::new();
            unparkers.push(p.unparker().clone());
            parkers.push(p);
        }
        let _ = s.stealers.set(stealers);
        let _ = s.unparkers.set(unparkers);
        let mut threads = s.threads.lock().expect("threads");
        for (local, parker) in locals.into_iter().zip(parkers) {
            let vm = vm.clone();
            let t = std::thread::Builder::new()
                .name(format!("beryl-sched-{}", local.id + 1))
                // Set, not inherited from RUST_MIN_STACK: native code may
                // use `jit::NATIVE_STACK_BYTES` below the interpreter.
                .stack_size(SCHEDULER_STACK_BYTES)
                .spawn(move || scheduler_loop(vm, local, parker))
                .expect("spawn scheduler thread");
            threads.push(t);
        }
    }

    /// Put a runnable process in a run queue: this scheduler's own if the
    /// caller is one, the global injector otherwise.
    pub fn enqueue(&self, cell: Arc<ProcCell>) {
        let q = queue_of(cell.priority());
        let leftover = LOCAL.with(|l| match l.borrow().as_ref() {
            Some(local) => {
                local.queues[q].push(cell);
                // Work beyond what this scheduler will pick next: let an
                // idle one steal it.
                if local.queues[q].len() > 1 {
                    self.wake_one();
                }
                None
            }
            None => Some(cell),
        });
        if let Some(cell) = leftover {
            self.injectors[q].push(cell);
            self.wake_one();
        }
    }

    /// Wake one parked scheduler, if any.
    fn wake_one(&self) {
        let mut s = self.sleeping.load(Ordering::SeqCst);
        while s != 0 {
            let bit = s & s.wrapping_neg();
            match self
                .sleeping
                .compare_exchange(s, s & !bit, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => {
                    if let Some(u) = self.unparkers.get() {
                        u[bit.trailing_zeros() as usize].unpark();
                    }
                    return;
                }
                Err(now) => s = now,
            }
        }
    }

    fn wake_all(&self) {
        self.sleeping.store(0, Ordering::SeqCst);
        if let Some(us) = self.unparkers.get() {
            for u in us {
                u.unpark();
            }
        }
    }

    /// A process that may run: local queues and the injectors, highest
    /// priority first, then other schedulers' queues.
    // `q` indexes three parallel arrays (local, global, others' queues).
    #[allow(clippy::needless_range_loop)]
    fn find_work(&self, local: &Local) -> Option<Arc<ProcCell>> {
        let stealers = self.stealers.get()?;
        // Low-priority processes are not starved by normal ones: every
        // LOW_EVERY normal turns one of them runs (max and high still first).
        if local.normal_turns.get() >= LOW_EVERY && local.queues[0].is_empty() && local.queues[1].is_empty() {
            if let Some(c) = local.queues[LOW].pop() {
                local.normal_turns.set(0);
                return Some(c);
            }
        }
        for q in 0..QUEUES {
            if let Some(c) = local.queues[q].pop() {
                if q == NORMAL {
                    local.normal_turns.set(local.normal_turns.get() + 1);
                } else if q == LOW {
                    local.normal_turns.set(0);
                }
                return Some(c);
            }
            // Two loads tell an empty injector, cheaper than a steal
            // attempt, and the injectors are empty most of the time.
            while !self.injectors[q].is_empty() {
                match self.injectors[q].steal_batch_and_pop(&local.queues[q]) {
                    Steal::Success(c) => return Some(c),
                    Steal::Retry => continue,
                    Steal::Empty => break,
                }
            }
        }
        // Other schedulers' queues only when this one has nothing at any
        // priority, as OTP's schedulers do: looking at another queue's
        // length takes a fence and reads lines the other core writes (a
        // tenth of a message ring's scheduling cost when done for the
        // empty max and high queues before every normal process).
        for q in 0..QUEUES {
            for k in 1..self.n {
                let other = (local.id + k) % self.n;
                if !self.worth_stealing(other, &stealers[other][q]) {
                    continue;
                }
                loop {
                    match stealers[other][q].steal_batch_and_pop(&local.queues[q]) {
                        Steal::Success(c) => return Some(c),
                        Steal::Retry => continue,
                        Steal::Empty => break,
                    }
                }
            }
        }
        None
    }

    /// Take work from another scheduler only when it has more than it will
    /// get to soon: two or more waiting, or one waiting behind a process
    /// that has run for a while. (A process woken by a message is best run
    /// where its sender is; moving it costs more than the wait.)
    fn worth_stealing(&self, other: usize, q: &Stealer<Arc<ProcCell>>) -> bool {
        match q.len() {
            0 => false,
            1 => {
                let since = self.per[other].running_since.load(Ordering::Relaxed);
                since != 0 && self.now_ns().saturating_sub(since) > STEAL_AFTER_NS
            }
            _ => true,
        }
    }

    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64 + 1
    }

    /// Work this scheduler could take (its own queues are empty here).
    fn has_work(&self) -> bool {
        self.injectors.iter().any(|i| !i.is_empty())
            || self.stealers.get().is_some_and(|s| {
                s.iter()
                    .enumerate()
                    .any(|(i, qs)| qs.iter().any(|q| self.worth_stealing(i, q)))
            })
    }

    fn park(&self, local: &Local, parker: &Parker) {
        // Spin a little first: under message traffic work comes back within
        // microseconds, and a sleep and a wake-up cost more than that.
        for _ in 0..SPIN_ROUNDS {
            if self.has_work() {
                return;
            }
            for _ in 0..64 {
                std::hint::spin_loop();
            }
        }
        // Sleeping waits for the next deadline: arm the receive timers set
        // since the last clock reading. Only now, after the spin: a reply
        // that arrives meanwhile cancels a timer that was never placed.
        if !local.unarmed.borrow().is_empty() {
            self.arm_receive_timers(local, self.now_ns());
        }
        let bit = 1u64 << local.id;
        self.sleeping.fetch_or(bit, Ordering::SeqCst);
        // Work that arrived before the bit was visible would not wake us.
        if self.has_work() {
            self.sleeping.fetch_and(!bit, Ordering::SeqCst);
            return;
        }
        let own = local.next_receive_ms.get();
        match self.per[local.id].next_timer_ms.load(Ordering::SeqCst).min(own) {
            u64::MAX => parker.park(),
            t => {
                let now = self.now_ms();
                if t > now {
                    parker.park_timeout(Duration::from_millis(t - now));
                }
            }
        }
        self.sleeping.fetch_and(!bit, Ordering::SeqCst);
    }

    // ---------------------------------------------------------------- timers

    /// Start the timeout of a receive by `pid` on this scheduler's own
    /// wheel (see `Local::receive_timers`).
    pub fn start_receive_timer(&self, pid: Term, ms: u64) -> ReceiveTimer {
        let on_scheduler = LOCAL.with(|l| {
            let l = l.borrow();
            let local = l.as_ref()?;
            let n = local.next_token.get();
            local.next_token.set(n + 1);
            let token = n << 6 | local.id as u64;
            // No clock read here: the scheduler loop arms it (see `unarmed`).
            let id = local.receive_timers.borrow_mut().reserve((pid, token));
            local.unarmed.borrow_mut().push((id, ms));
            Some(ReceiveTimer {
                scheduler: local.id,
                id,
                token,
                shared: false,
            })
        });
        if let Some(t) = on_scheduler {
            return t;
        }
        // Not on a scheduler thread: the shared wheel of scheduler 0.
        let deadline = self.deadline_after(ms);
        let token = self.next_token.fetch_add(1, Ordering::Relaxed) << 6 | 63;
        let id = self.timers[0]
            .lock()
            .expect("timers")
            .insert(deadline, TimerAction::Timeout { pid, token });
        self.per[0].next_timer_ms.fetch_min(deadline, Ordering::SeqCst);
        self.wake_all();
        ReceiveTimer {
            scheduler: 0,
            id,
            token,
            shared: true,
        }
    }

    pub fn cancel_receive_timer(&self, t: ReceiveTimer) {
        if t.shared {
            self.timers[t.scheduler].lock().expect("timers").cancel(t.id);
            return;
        }
        LOCAL.with(|l| {
            if let Some(local) = l.borrow().as_ref().filter(|local| local.id == t.scheduler) {
                local.receive_timers.borrow_mut().cancel(t.id);
            }
        });
    }

    /// A message timer (send_after/start_timer) on this scheduler's wheel;
    /// `make_msg` builds the message once the timer's id is known.
    pub fn start_message_timer(
        &self,
        ms: u64,
        to: Term,
        make_msg: impl FnOnce(usize, TimerId) -> Payload,
    ) -> (usize, TimerId) {
        let scheduler = current_scheduler();
        let deadline = self.deadline_after(ms);
        let mut w = self.timers[scheduler].lock().expect("timers");
        let id = w.insert(
            deadline,
            TimerAction::Send {
                to,
                msg: Payload::copy_of(Term::NIL),
            },
        );
        let msg = make_msg(scheduler, id);
        if let Some(TimerAction::Send { msg: m, .. }) = w.action_mut(id) {
            *m = msg;
        }
        self.per[scheduler]
            .next_timer_ms
            .fetch_min(deadline, Ordering::SeqCst);
        (scheduler, id)
    }

    /// Milliseconds since the VM started (wall clock).
    pub fn uptime_ms(&self) -> u64 {
        self.now_ms()
    }

    /// Runnable processes in each scheduler's queues.
    pub fn queue_lengths(&self) -> Vec<usize> {
        match self.stealers.get() {
            Some(st) => st.iter().map(|qs| qs.iter().map(|q| q.len()).sum()).collect(),
            None => vec![0; self.n],
        }
    }

    /// Runnable processes in the global queues.
    pub fn injected(&self) -> usize {
        self.injectors.iter().map(|i| i.len()).sum()
    }

    /// Cancel a message timer: the milliseconds it had left, if pending.
    pub fn cancel_message_timer(&self, scheduler: usize, id: TimerId) -> Option<u64> {
        let mut w = self.timers.get(scheduler)?.lock().expect("timers");
        let deadline = w.deadline(id)?;
        w.cancel(id);
        Some(self.ms_until(deadline))
    }

    pub fn read_message_timer(&self, scheduler: usize, id: TimerId) -> Option<u64> {
        let deadline = self.timers.get(scheduler)?.lock().expect("timers").deadline(id)?;
        Some(self.ms_until(deadline))
    }

    /// Whole milliseconds left until tick `deadline` (never more than the
    /// timer was started with, although its deadline was rounded up).
    fn ms_until(&self, deadline: u64) -> u64 {
        let micros = self.epoch.elapsed().as_micros() as u64;
        (deadline * 1000).saturating_sub(micros) / 1000
    }

    /// Arm every pending receive timeout, counting from `now_ns` (taken
    /// after they started): before sleeping.
    fn arm_receive_timers(&self, local: &Local, now_ns: u64) {
        let n = local.unarmed.borrow().len();
        self.arm_first_receive_timers(local, n, now_ns);
        local.carried.set(0);
    }

    /// At a fresh clock reading `now_ns`: arm the timeouts started before
    /// the previous one, counting from it; carry those started since.
    fn arm_carried_receive_timers(&self, local: &Local, now_ns: u64) {
        let carried = local.carried.get();
        if carried > 0 {
            self.arm_first_receive_timers(local, carried, local.carried_since_ns.get());
        }
        local.carried.set(local.unarmed.borrow().len());
        local.carried_since_ns.set(now_ns);
    }

    /// Arm the first `n` pending receive timeouts, counting from `base_ns`.
    fn arm_first_receive_timers(&self, local: &Local, n: usize, base_ns: u64) {
        let mut unarmed = local.unarmed.borrow_mut();
        if n == 0 {
            return;
        }
        let base_ms = base_ns.div_ceil(1_000_000);
        let mut w = local.receive_timers.borrow_mut();
        let mut next = local.next_receive_ms.get();
        for (id, ms) in unarmed.drain(..n) {
            if w.arm(id, base_ms + ms) {
                next = next.min(base_ms + ms);
            }
        }
        local.next_receive_ms.set(next);
    }

    /// Fire the receive timeouts of this scheduler's own wheel that are due.
    fn expire_receive_timers(&self, vm: &Vm, local: &Local, now_ms: u64, due: &mut Vec<(Term, u64)>) {
        if now_ms < local.next_receive_ms.get() {
            return;
        }
        {
            let mut w = local.receive_timers.borrow_mut();
            w.advance(now_ms, due);
            local.next_receive_ms.set(w.next_deadline().unwrap_or(u64::MAX));
        }
        for (pid, token) in due.drain(..) {
            if let Some(cell) = vm.ptab.lookup(pid) {
                signals::deliver(vm, &cell, Signal::Timeout { token });
            }
        }
    }

    fn expire_timers(&self, vm: &Vm, id: usize, now_ms: u64, due: &mut Vec<TimerAction>) {
        let next = &self.per[id].next_timer_ms;
        if now_ms < next.load(Ordering::SeqCst) {
            return;
        }
        {
            let mut w = self.timers[id].lock().expect("timers");
            w.advance(now_ms, due);
            next.store(w.next_deadline().unwrap_or(u64::MAX), Ordering::SeqCst);
        }
        for action in due.drain(..) {
            match action {
                TimerAction::Timeout { pid, token } => {
                    if let Some(cell) = vm.ptab.lookup(pid) {
                        signals::deliver(vm, &cell, Signal::Timeout { token });
                    }
                }
                TimerAction::Send { to, msg } => vm.send_payload(to, msg),
            }
        }
    }

    /// Stop every scheduler thread (the VM is halting).
    pub fn stop(&self) {
        self.started.store(false, Ordering::SeqCst);
        self.wake_all();
    }
}

fn scheduler_loop(vm: Arc<Vm>, local: Local, parker: Parker) {
    let id = local.id;
    LOCAL.with(|l| *l.borrow_mut() = Some(local));
    let mut x = vec![Term::NIL; X_REGS];
    let mut due = Vec::new();
    let mut due_receive = Vec::new();
    let s = &vm.scheds;
    let me = &s.per[id];
    // One clock read per turn of the loop: it times the timers, the steal
    // heuristic and the busy time. After a short run (a message handed on,
    // a few calls) the last reading is still good to within microseconds,
    // so up to SHORT_RUNS_PER_CLOCK such turns reuse it: in a ring of
    // processes the clock read was 5% of the time.
    let mut last = s.now_ns();
    let mut short_runs = 0;
    let mut last_reductions = u64::MAX;
    while s.started.load(Ordering::Relaxed) {
        let fresh = !(last_reductions < SHORT_RUN_REDUCTIONS && short_runs < SHORT_RUNS_PER_CLOCK);
        let now = if fresh {
            short_runs = 0;
            s.now_ns()
        } else {
            short_runs += 1;
            last
        };
        bump(&me.busy_ns, now - last);
        last = now;
        last_reductions = u64::MAX;
        s.expire_timers(&vm, id, now / 1_000_000, &mut due);
        let work = LOCAL.with(|l| {
            let l = l.borrow();
            let local = l.as_ref().expect("scheduler state");
            if fresh {
                s.arm_carried_receive_timers(local, now);
            }
            s.expire_receive_timers(&vm, local, now / 1_000_000, &mut due_receive);
            s.find_work(local)
        });
        match work {
            Some(cell) => {
                me.running_since.store(now, Ordering::Relaxed);
                last_reductions = run_process(&vm, cell, &mut x, me);
                me.running_since.store(0, Ordering::Relaxed);
            }
            None => {
                LOCAL.with(|l| {
                    let l = l.borrow();
                    s.park(l.as_ref().expect("scheduler state"), &parker)
                });
                last = s.now_ns();
            }
        }
    }
}

/// A run of fewer reductions than this is short (see `scheduler_loop`).
const SHORT_RUN_REDUCTIONS: u64 = 100;
/// Turns of the scheduler loop that may reuse one clock reading.
const SHORT_RUNS_PER_CLOCK: u32 = 8;

/// Run one slice of a process and put it where its outcome says; the
/// reductions it used.
fn run_process(vm: &Arc<Vm>, cell: Arc<ProcCell>, x: &mut [Term], me: &PerScheduler) -> u64 {
    bump(&me.context_switches, 1);
    // SAFETY: popped from a run queue; `p` is not used after the state
    // stores below that hand the process on.
    let p = unsafe { cell.claim() };
    // Every send looks its receiver up under an epoch guard (`ptab`); with
    // one held for the slice those are nested pins, a counter increment
    // instead of a fence each (`pin` was 4–5% of `ring`). Removed cells
    // wait at most a slice longer to be freed.
    let _guard = crossbeam_epoch::pin();
    let before = p.reductions;
    let outcome = match signals::handle(vm, &cell.inbox, p) {
        Some(reason) => Outcome::Exited(reason),
        None => interp::execute(vm, &cell.inbox, p, x),
    };
    let used = p.reductions - before;
    bump(&me.reductions, used);
    cell.memory.store(p.memory_bytes(), Ordering::Relaxed);
    match outcome {
        Outcome::Yielded => {
            // Senders leave a RUNNING or RUNNABLE process alone alike, so
            // no fence is needed; the run queue's push publishes the body.
            cell.state.store(state::RUNNABLE, Ordering::Release);
            vm.scheds.enqueue(cell);
        }
        Outcome::Waiting => {
            cell.state.store(state::WAITING, Ordering::SeqCst);
            // A signal pushed while we were still running saw RUNNING and
            // left the wake-up to us.
            if !cell.inbox.is_empty()
                && cell
                    .state
                    .compare_exchange(
                        state::WAITING,
                        state::RUNNABLE,
                        Ordering::SeqCst,
                        Ordering::SeqCst,
                    )
                    .is_ok()
            {
                vm.scheds.enqueue(cell);
            }
        }
        other => signals::exit(vm, &cell, p, other),
    }
    used
}
