//! Message timers: erlang:send_after/3,4, start_timer/3,4, cancel_timer/1,2,
//! read_timer/1,2. They live in the timer wheel of the scheduler that
//! starts them; a timer's reference says which wheel and which entry.

use super::{BifFn, Ctx};
use crate::atom;
use crate::heap::ref_id;
use crate::process::{BifResult, Exc};
use crate::sched::timer::TimerId;
use crate::signal::{Payload, Signal};
use crate::term::Term;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("send_after", 3, send_after3 as BifFn),
        ("send_after", 4, send_after4),
        ("start_timer", 3, start_timer3),
        ("start_timer", 4, start_timer4),
        ("cancel_timer", 1, cancel_timer1),
        ("cancel_timer", 2, cancel_timer2),
        ("read_timer", 1, read_timer1),
        ("read_timer", 2, read_timer2),
    ] {
        t.push(("erlang", n, a, f));
    }
}

/// The creator word that marks a timer reference.
pub(crate) const TIMER_MARK: u64 = u64::MAX >> 4;

fn timer_ref_id(scheduler: usize, id: TimerId) -> u64 {
    ((scheduler as u64) << 56) | (((id.gen as u64) & 0xff_ffff) << 32) | id.index as u64
}

fn decode(t: Term) -> Option<(usize, TimerId)> {
    let (n, creator) = ref_id(t)?;
    if creator != TIMER_MARK {
        return None;
    }
    Some((
        (n >> 56) as usize,
        TimerId {
            index: n as u32,
            gen: ((n >> 32) & 0xff_ffff) as u32,
        },
    ))
}

fn options(list: Term, known: &[&str]) -> Result<Vec<(String, bool)>, Exc> {
    let mut out = Vec::new();
    for o in list.list_to_vec().ok_or_else(Exc::badarg)? {
        match o.as_tuple() {
            Some([k, v]) if k.is_atom() && v.is_boolean() && known.contains(&atom::name(*k)) => {
                out.push((atom::name(*k).to_string(), *v == atom::TRUE));
            }
            _ => return Err(Exc::badarg()),
        }
    }
    Ok(out)
}

fn start(c: &mut Ctx, time: Term, dest: Term, msg: Term, wrap: bool, abs: bool) -> BifResult {
    if !(dest.is_local_pid() || dest.is_atom()) {
        return Err(Exc::badarg());
    }
    let t = crate::heap::to_bigint(time).ok_or_else(Exc::badarg)?;
    let t: i64 = num_traits::ToPrimitive::to_i64(&t).ok_or_else(Exc::badarg)?;
    let ms = if abs {
        let now = crate::bif::time::monotonic_ms();
        (t - now).max(0) as u64
    } else if t < 0 {
        return Err(Exc::badarg());
    } else {
        t as u64
    };
    let (scheduler, id) = c.vm.scheds.start_message_timer(ms, dest, |scheduler, id| {
        if wrap {
            // {timeout, TRef, Msg}
            Payload::compose(|h| {
                let r = h.make_ref(timer_ref_id(scheduler, id), TIMER_MARK);
                h.tuple(&[atom::TIMEOUT, r, msg])
            })
        } else {
            Payload::copy_of(msg)
        }
    });
    Ok(c.proc.fresh_ref(timer_ref_id(scheduler, id), TIMER_MARK))
}

fn abs_option(list: Term) -> Result<bool, Exc> {
    Ok(options(list, &["abs"])?.iter().any(|(k, v)| k == "abs" && *v))
}

fn send_after3(c: &mut Ctx, a: &[Term]) -> BifResult {
    start(c, a[0], a[1], a[2], false, false)
}
fn send_after4(c: &mut Ctx, a: &[Term]) -> BifResult {
    let abs = abs_option(a[3])?;
    start(c, a[0], a[1], a[2], false, abs)
}
fn start_timer3(c: &mut Ctx, a: &[Term]) -> BifResult {
    start(c, a[0], a[1], a[2], true, false)
}
fn start_timer4(c: &mut Ctx, a: &[Term]) -> BifResult {
    let abs = abs_option(a[3])?;
    start(c, a[0], a[1], a[2], true, abs)
}

/// Cancel or read; the answer is the milliseconds left or `false`.
fn cancel_or_read(c: &mut Ctx, r: Term, cancel: bool, opts: Term) -> BifResult {
    if !r.is_reference() {
        return Err(Exc::badarg());
    }
    let opts = options(opts, &["async", "info"])?;
    let async_ = opts.iter().rev().find(|(k, _)| k == "async").is_some_and(|o| o.1);
    let info = opts.iter().rev().find(|(k, _)| k == "info").is_none_or(|o| o.1);
    let result = match decode(r) {
        Some((s, id)) => {
            let left = if cancel {
                c.vm.scheds.cancel_message_timer(s, id)
            } else {
                c.vm.scheds.read_message_timer(s, id)
            };
            left.map(|ms| Term::small(ms as i64)).unwrap_or(atom::FALSE)
        }
        _ => atom::FALSE,
    };
    if async_ {
        if info {
            // {cancel_timer | read_timer, TRef, Result} to the caller.
            let tag = atom::atom(if cancel { "cancel_timer" } else { "read_timer" });
            let msg = c.proc.heap.tuple(&[tag, r, result]);
            let me = c.proc.pid();
            let m = Payload::copy_of(msg).into_message();
            crate::sched::signals::send_signal(c.vm, me, Signal::Message(m));
        }
        return Ok(atom::OK);
    }
    if !info {
        return Ok(atom::OK);
    }
    Ok(result)
}

fn cancel_timer1(c: &mut Ctx, a: &[Term]) -> BifResult {
    cancel_or_read(c, a[0], true, Term::NIL)
}
fn cancel_timer2(c: &mut Ctx, a: &[Term]) -> BifResult {
    cancel_or_read(c, a[0], true, a[1])
}
fn read_timer1(c: &mut Ctx, a: &[Term]) -> BifResult {
    cancel_or_read(c, a[0], false, Term::NIL)
}
fn read_timer2(c: &mut Ctx, a: &[Term]) -> BifResult {
    cancel_or_read(c, a[0], false, a[1])
}
