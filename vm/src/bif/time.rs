//! Time: monotonic and system time, time units (DESIGN §6: no global lock;
//! the monotonic clock is the OS's, read directly).

use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("erlang", "monotonic_time", 0, monotonic0 as BifFn),
        ("erlang", "monotonic_time", 1, monotonic1),
        ("erlang", "system_time", 0, system0),
        ("erlang", "system_time", 1, system1),
        ("erlang", "time_offset", 0, offset0),
        ("erlang", "time_offset", 1, offset1),
        ("erlang", "convert_time_unit", 3, convert),
        ("erlang", "timestamp", 0, timestamp),
        ("erlang", "now", 0, now),
        ("erlang", "unique_integer", 0, unique0),
        ("erlang", "unique_integer", 1, unique1),
        ("erlang", "date", 0, date),
        ("erlang", "time", 0, time),
        ("erlang", "localtime", 0, localtime),
        ("erlang", "universaltime", 0, universaltime),
        ("os", "system_time", 0, os_system0),
        ("os", "system_time", 1, os_system1),
        ("os", "timestamp", 0, os_timestamp),
        ("erts_internal", "report_timestamp", 0, report_timestamp0),
    ] {
        t.push((m, n, a, f));
    }
}

/// Native time unit: nanoseconds.
const NATIVE: i128 = 1_000_000_000;

fn start() -> Instant {
    static S: OnceLock<Instant> = OnceLock::new();
    *S.get_or_init(Instant::now)
}

/// Monotonic time in nanoseconds. Like OTP's, it does not start at zero.
fn mono_ns() -> i128 {
    start().elapsed().as_nanos() as i128 - 576_460_752_303_423_488
}

/// The operating system's clock (os:system_time/0).
fn os_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

/// The time offset, fixed when the VM starts (OTP's default no_time_warp
/// mode): Erlang system time is monotonic time plus this, so it never
/// jumps, and no call takes a lock to read it.
fn offset_ns() -> i128 {
    static OFFSET: OnceLock<i128> = OnceLock::new();
    *OFFSET.get_or_init(|| os_ns() - mono_ns())
}

/// Monotonic time in milliseconds (for absolute timers).
pub fn monotonic_ms() -> i64 {
    mono_ns().div_euclid(1_000_000) as i64
}

/// Erlang system time.
fn system_ns() -> i128 {
    mono_ns() + offset_ns()
}

/// Units per second of a time unit term.
pub fn unit_per_second(u: Term) -> Option<i128> {
    if u.is_small() && u.small_value() > 0 {
        return Some(u.small_value() as i128);
    }
    if !u.is_atom() {
        return None;
    }
    Some(match atom::name(u) {
        "second" | "seconds" => 1,
        "millisecond" | "milli_seconds" => 1_000,
        "microsecond" | "micro_seconds" => 1_000_000,
        "nanosecond" | "nano_seconds" => 1_000_000_000,
        "native" => NATIVE,
        "perf_counter" => NATIVE,
        _ => return None,
    })
}

/// Convert like erlang:convert_time_unit/3 (rounding toward negative
/// infinity).
pub fn convert_units(t: i128, from: i128, to: i128) -> i128 {
    let n = t * to;
    n.div_euclid(from)
}

fn in_unit(c: &mut Ctx, ns: i128, u: Term) -> BifResult {
    let per = unit_per_second(u).ok_or_else(Exc::badarg)?;
    Ok(c.proc.heap.i128(convert_units(ns, NATIVE, per)))
}

fn monotonic0(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.i128(mono_ns()))
}
fn monotonic1(c: &mut Ctx, a: &[Term]) -> BifResult {
    in_unit(c, mono_ns(), a[0])
}
fn system0(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.i128(system_ns()))
}
fn system1(c: &mut Ctx, a: &[Term]) -> BifResult {
    in_unit(c, system_ns(), a[0])
}
fn offset0(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.i128(offset_ns()))
}
fn offset1(c: &mut Ctx, a: &[Term]) -> BifResult {
    in_unit(c, offset_ns(), a[0])
}
fn os_system0(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.i128(os_ns()))
}
fn os_system1(c: &mut Ctx, a: &[Term]) -> BifResult {
    in_unit(c, os_ns(), a[0])
}

/// `{MegaSecs, Secs, MicroSecs}` of a time in nanoseconds.
fn mega_sec_micro(c: &mut Ctx, ns: i128) -> Term {
    let us = ns.div_euclid(1000);
    let (mega, rest) = (us.div_euclid(1_000_000_000_000), us.rem_euclid(1_000_000_000_000));
    let t = [
        Term::small(mega as i64),
        Term::small((rest / 1_000_000) as i64),
        Term::small((rest % 1_000_000) as i64),
    ];
    c.proc.heap.tuple(&t)
}

fn timestamp(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(mega_sec_micro(c, system_ns()))
}

fn os_timestamp(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(mega_sec_micro(c, os_ns()))
}

/// erlang:now/0: system time in microseconds, strictly increasing across
/// all calls in the VM (one atomic compare-and-swap, no lock).
fn now(c: &mut Ctx, _: &[Term]) -> BifResult {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let t = (system_ns() / 1000) as i64;
    let mut last = LAST.load(Ordering::Relaxed);
    let v = loop {
        let v = t.max(last + 1);
        match LAST.compare_exchange_weak(last, v, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => break v,
            Err(l) => last = l,
        }
    };
    Ok(mega_sec_micro(c, v as i128 * 1000))
}

/// Unique integers. Plain ones come from a per-thread counter tagged with
/// the thread's number (no shared state at all); monotonic ones from one
/// atomic counter.
fn unique(c: &mut Ctx, monotonic: bool, positive: bool) -> BifResult {
    static MONO: AtomicI64 = AtomicI64::new(1);
    static THREADS: AtomicI64 = AtomicI64::new(0);
    thread_local! {
        static LOCAL: std::cell::Cell<(i64, i64)> = const { std::cell::Cell::new((-1, 0)) };
    }
    let v: i128 = if monotonic {
        MONO.fetch_add(1, Ordering::Relaxed) as i128
    } else {
        LOCAL.with(|l| {
            let (mut thread, n) = l.get();
            if thread < 0 {
                thread = THREADS.fetch_add(1, Ordering::Relaxed);
            }
            l.set((thread, n + 1));
            ((n as i128) << 10) | (thread as i128 & 1023)
        })
    };
    // Without `positive`, OTP's unique integers start far below zero.
    let v = if positive { v + 1 } else { v - (1i128 << 59) };
    Ok(c.proc.heap.i128(v))
}

fn unique0(c: &mut Ctx, _: &[Term]) -> BifResult {
    unique(c, false, false)
}

fn unique1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (mut monotonic, mut positive) = (false, false);
    let mut cur = a[0];
    while cur.is_cons() {
        let (h, t) = cur.cons_parts();
        match h {
            x if x == atom::atom("monotonic") => monotonic = true,
            x if x == atom::atom("positive") => positive = true,
            _ => return Err(Exc::badarg()),
        }
        cur = t;
    }
    if !cur.is_nil() {
        return Err(Exc::badarg());
    }
    unique(c, monotonic, positive)
}

/// Broken-down time: (year, month, day, hour, minute, second).
pub fn broken_down(secs: i64, local: bool) -> (i64, i64, i64, i64, i64, i64) {
    // SAFETY: libc::tm is plain data; zeroed is a valid value for it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t: libc::time_t = secs as libc::time_t;
    // SAFETY: localtime_r/gmtime_r only write the struct we pass and read
    // `t`; both pointers are valid for the call.
    let ok = unsafe {
        if local {
            !libc::localtime_r(&t, &mut tm).is_null()
        } else {
            !libc::gmtime_r(&t, &mut tm).is_null()
        }
    };
    if !ok {
        return (1970, 1, 1, 0, 0, 0);
    }
    (
        tm.tm_year as i64 + 1900,
        tm.tm_mon as i64 + 1,
        tm.tm_mday as i64,
        tm.tm_hour as i64,
        tm.tm_min as i64,
        tm.tm_sec as i64,
    )
}

fn now_secs() -> i64 {
    os_ns().div_euclid(1_000_000_000) as i64
}

fn date_time(c: &mut Ctx, local: bool, date: bool, time: bool) -> Term {
    let (y, mo, d, h, mi, s) = broken_down(now_secs(), local);
    let dt = c
        .proc
        .heap
        .tuple(&[Term::small(y), Term::small(mo), Term::small(d)]);
    let tt = c
        .proc
        .heap
        .tuple(&[Term::small(h), Term::small(mi), Term::small(s)]);
    match (date, time) {
        (true, false) => dt,
        (false, true) => tt,
        _ => c.proc.heap.tuple(&[dt, tt]),
    }
}

fn date(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(date_time(c, true, true, false))
}
fn time(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(date_time(c, true, false, true))
}
fn localtime(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(date_time(c, true, true, true))
}
fn universaltime(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(date_time(c, false, true, true))
}

/// `erts_internal:report_timestamp()`: the stamp error_logger's reports
/// print after `=ERROR REPORT====`, as a string.
fn report_timestamp0(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.heap.string(&report_timestamp()))
}

/// The local time stamp of logger's reports: `23-Nov-2026::18:27:19.604865`.
pub fn report_timestamp() -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let ns = os_ns();
    let (y, mo, d, h, mi, s) = broken_down(ns.div_euclid(1_000_000_000) as i64, true);
    let us = (ns.rem_euclid(1_000_000_000) / 1000) as i64;
    format!(
        "{d}-{}-{y}::{h:02}:{mi:02}:{s:02}.{us:06}",
        MONTHS[(mo - 1).clamp(0, 11) as usize]
    )
}
fn convert(c: &mut Ctx, a: &[Term]) -> BifResult {
    let t = crate::heap::to_bigint(a[0]).ok_or_else(Exc::badarg)?;
    let t: i128 = num_traits::ToPrimitive::to_i128(&t).ok_or_else(Exc::badarg)?;
    let from = unit_per_second(a[1]).ok_or_else(Exc::badarg)?;
    let to = unit_per_second(a[2]).ok_or_else(Exc::badarg)?;
    Ok(c.proc.heap.i128(convert_units(t, from, to)))
}
