//! Time: monotonic and system time, time units (DESIGN §6: no global lock;
//! the monotonic clock is the OS's, read directly).

use super::{BifFn, Ctx};
use crate::atom;
use crate::process::{BifResult, Exc};
use crate::term::Term;
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
        ("os", "system_time", 0, system0),
        ("os", "system_time", 1, system1),
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

fn system_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
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
    Ok(c.proc.heap.i128(system_ns() - mono_ns()))
}
fn offset1(c: &mut Ctx, a: &[Term]) -> BifResult {
    in_unit(c, system_ns() - mono_ns(), a[0])
}
fn convert(c: &mut Ctx, a: &[Term]) -> BifResult {
    let t = crate::heap::to_bigint(a[0]).ok_or_else(Exc::badarg)?;
    let t: i128 = num_traits::ToPrimitive::to_i128(&t).ok_or_else(Exc::badarg)?;
    let from = unit_per_second(a[1]).ok_or_else(Exc::badarg)?;
    let to = unit_per_second(a[2]).ok_or_else(Exc::badarg)?;
    Ok(c.proc.heap.i128(convert_units(t, from, to)))
}
