//! The VM as a whole: erlang:system_info/1, statistics/1, system_flag/2,
//! and init:stop/0,1.

use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("erlang", "system_info", 1, system_info as BifFn),
        ("erlang", "statistics", 1, statistics),
        ("erlang", "system_flag", 2, system_flag),
        ("erlang", "memory", 0, memory0),
        ("erlang", "memory", 1, memory1),
        ("init", "stop", 0, init_stop),
        ("init", "stop", 1, init_stop),
    ] {
        t.push((m, n, a, f));
    }
}

/// statistics(scheduler_wall_time) is off until system_flag turns it on.
static WALL_TIME_ON: AtomicBool = AtomicBool::new(false);

fn system_info(c: &mut Ctx, a: &[Term]) -> BifResult {
    let item = a[0];
    if !item.is_atom() {
        return Err(Exc::badarg());
    }
    let n = c.vm.scheds.count() as i64;
    let h = &mut c.proc.heap;
    Ok(match atom::name(item) {
        "schedulers"
        | "logical_processors"
        | "logical_processors_available"
        | "logical_processors_online" => Term::small(n),
        "schedulers_online" => Term::small(c.vm.scheds.online() as i64),
        "dirty_cpu_schedulers" | "dirty_cpu_schedulers_online" => Term::small(n),
        "dirty_io_schedulers" => Term::small(10),
        "process_count" => Term::small(c.vm.ptab.count() as i64),
        "process_limit" => Term::small(c.vm.ptab.limit() as i64),
        "atom_count" => Term::small(atom::count() as i64),
        "atom_limit" => Term::small(atom::MAX_ATOMS as i64),
        "port_count" => Term::small(0),
        "port_limit" => Term::small(65536),
        "otp_release" => h.string("25"),
        "version" => h.string("13.1.5"),
        "machine" => h.string("BEAM"),
        "system_architecture" => h.string("x86_64-pc-linux-gnu"),
        "system_version" => h.string(&format!(
            "Beryl {} (Erlang/OTP 25 compatible) [smp:{n}:{n}]\n",
            env!("CARGO_PKG_VERSION")
        )),
        "wordsize" => Term::small(8),
        "smp_support" | "threads" => atom::TRUE,
        "thread_pool_size" => Term::small(1),
        "build_type" => atom::atom("opt"),
        "heap_type" => atom::atom("private"),
        "kernel_poll" => atom::FALSE,
        "emu_flavor" => atom::atom("emu"),
        "time_warp_mode" => atom::atom("no_time_warp"),
        "time_correction" => atom::TRUE,
        "os_monotonic_time_source" | "cpu_topology" => atom::UNDEFINED,
        _ => return Err(Exc::badarg()),
    })
}

/// "Since the last call" values, global to the VM as in OTP.
struct Last {
    reductions: AtomicU64,
    runtime: AtomicU64,
    wall: AtomicU64,
}

static LAST: Last = Last {
    reductions: AtomicU64::new(0),
    runtime: AtomicU64::new(0),
    wall: AtomicU64::new(0),
};

/// CPU time the whole VM has used, in milliseconds.
fn cpu_ms() -> u64 {
    // SAFETY: clock_gettime only writes the timespec we pass.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: as above; CLOCK_PROCESS_CPUTIME_ID is always available on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1000 + ts.tv_nsec as u64 / 1_000_000
}

fn pair(c: &mut Ctx, total: u64, last: &AtomicU64) -> Term {
    let before = last.swap(total, Ordering::Relaxed);
    let t = c.proc.heap.int(total as i64);
    let d = c.proc.heap.int(total.saturating_sub(before) as i64);
    c.proc.heap.tuple(&[t, d])
}

fn statistics(c: &mut Ctx, a: &[Term]) -> BifResult {
    let item = a[0];
    if !item.is_atom() {
        return Err(Exc::badarg());
    }
    let s = &c.vm.scheds;
    Ok(match atom::name(item) {
        "run_queue" | "total_run_queue_lengths" | "total_run_queue_lengths_all" => {
            let n: usize = s.queue_lengths().iter().sum::<usize>() + s.injected();
            Term::small(n as i64)
        }
        "run_queue_lengths" | "run_queue_lengths_all" => {
            // One per scheduler, the first also counting the global
            // queue, then the dirty CPU queue (always empty here), as OTP.
            let mut v: Vec<Term> = s.queue_lengths().iter().map(|n| Term::small(*n as i64)).collect();
            if let Some(first) = v.first_mut() {
                *first = Term::small(first.small_value() + s.injected() as i64);
            }
            v.push(Term::small(0));
            c.proc.heap.list(&v)
        }
        "reductions" | "exact_reductions" => {
            let total = s.total_reductions() + c.proc.reductions;
            pair(c, total, &LAST.reductions)
        }
        "runtime" => pair(c, cpu_ms(), &LAST.runtime),
        "wall_clock" => pair(c, s.uptime_ms(), &LAST.wall),
        "context_switches" => {
            let n = c.proc.heap.int(s.context_switches() as i64);
            c.proc.heap.tuple(&[n, Term::small(0)])
        }
        "garbage_collection" => c
            .proc
            .heap
            .tuple(&[Term::small(0), Term::small(0), Term::small(0)]),
        "io" => {
            let i = c.proc.heap.tuple(&[atom::atom("input"), Term::small(0)]);
            let o = c.proc.heap.tuple(&[atom::atom("output"), Term::small(0)]);
            c.proc.heap.tuple(&[i, o])
        }
        "scheduler_wall_time" | "scheduler_wall_time_all" => {
            if !WALL_TIME_ON.load(Ordering::Relaxed) {
                return Ok(atom::UNDEFINED);
            }
            // {Id, ActiveTime, TotalTime} in nanoseconds since the VM started.
            let total = s.uptime().as_nanos() as i64;
            let items: Vec<Term> = (0..s.count())
                .map(|i| {
                    let busy = c.proc.heap.int(s.busy_ns(i) as i64);
                    let tot = c.proc.heap.int(total);
                    c.proc.heap.tuple(&[Term::small(i as i64 + 1), busy, tot])
                })
                .collect();
            c.proc.heap.list(&items)
        }
        "active_tasks" | "active_tasks_all" => {
            let v: Vec<Term> = s.queue_lengths().iter().map(|n| Term::small(*n as i64)).collect();
            c.proc.heap.list(&v)
        }
        "total_active_tasks" | "total_active_tasks_all" => {
            Term::small(s.queue_lengths().iter().sum::<usize>() as i64 + 1)
        }
        _ => return Err(Exc::badarg()),
    })
}

fn system_flag(_: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    match atom::name(a[0]) {
        "scheduler_wall_time" if a[1].is_boolean() => {
            let old = WALL_TIME_ON.swap(a[1] == atom::TRUE, Ordering::Relaxed);
            Ok(Term::boolean(old))
        }
        "schedulers_online" if a[1].is_small() => Ok(a[1]),
        _ => Err(Exc::badarg()),
    }
}

/// init:stop/0,1: the program ends (with status 0, or the given one).
fn init_stop(c: &mut Ctx, a: &[Term]) -> BifResult {
    let status = match a.first() {
        None => 0,
        Some(t) if t.is_small() && t.small_value() >= 0 => t.small_value() as i32,
        Some(_) => return Err(Exc::badarg()),
    };
    c.vm.halt(status)
}

/// Bytes the VM holds from the operating system (resident set), after
/// handing freed memory back to it.
pub fn resident_bytes() -> u64 {
    // SAFETY: malloc_trim only releases free memory held by the allocator.
    unsafe {
        libc::malloc_trim(0);
    }
    crate::block::Block::trim();
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    pages * page
}

/// erlang:memory/0: only the totals Beryl can measure truthfully so far
/// (`total`, the resident set; `atom`/`atom_used`, the atom table).
fn memory0(c: &mut Ctx, _: &[Term]) -> BifResult {
    let items = [
        "total",
        "processes",
        "processes_used",
        "system",
        "atom",
        "atom_used",
        "binary",
        "code",
        "ets",
    ];
    let mut out = Vec::new();
    for i in items {
        let v = memory_item(c, i).ok_or_else(Exc::badarg)?;
        out.push(c.proc.heap.tuple(&[atom::atom(i), v]));
    }
    Ok(c.proc.heap.list(&out))
}

fn memory_item(c: &mut Ctx, item: &str) -> Option<Term> {
    let processes = || c.vm.ptab.memory_of_processes(c.proc) as u64;
    let bytes = match item {
        "total" => resident_bytes(),
        "processes" | "processes_used" => processes(),
        "system" => resident_bytes().saturating_sub(processes()),
        "atom" | "atom_used" => atom::bytes() as u64,
        "code" => c.vm.code.code_bytes() as u64,
        "binary" => crate::offheap::live_bytes() as u64,
        // ETS tables are counted in `system` for now.
        "ets" => 0,
        _ => return None,
    };
    Some(c.proc.heap.int(bytes as i64))
}

fn memory1(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0].is_atom() {
        return memory_item(c, atom::name(a[0])).ok_or_else(Exc::badarg);
    }
    let items = a[0].list_to_vec().ok_or_else(Exc::badarg)?;
    let mut out = Vec::new();
    for i in items {
        if !i.is_atom() {
            return Err(Exc::badarg());
        }
        let v = memory_item(c, atom::name(i)).ok_or_else(Exc::badarg)?;
        out.push(c.proc.heap.tuple(&[i, v]));
    }
    Ok(c.proc.heap.list(&out))
}
