//! Signals in OTP's semantics: delivering them, acting on them in the
//! receiving process, and what a process sends when it exits.

use super::ptab::{state, ProcCell};
use crate::atom;
use crate::interp::Outcome;
use crate::process::{AliasDelivery, Class, Process};
use crate::signal::{ExitKind, Inbox, OutgoingMessage, Payload, Signal};
use crate::term::Term;
use crate::vm::Vm;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Push a signal; wake the process if it waits; answer for it if it has
/// exited.
pub fn deliver(vm: &Vm, cell: &Arc<ProcCell>, sig: Signal) {
    match cell.inbox.push(sig) {
        Ok(()) => notify(vm, cell),
        Err(sig) => answer_for_dead(vm, cell.pid, sig),
    }
}

/// Make a waiting process runnable (exactly once, whoever gets there first).
pub fn notify(vm: &Vm, cell: &Arc<ProcCell>) {
    if cell.state.load(Ordering::SeqCst) == state::WAITING
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
        vm.scheds.enqueue(cell.clone());
    }
}

/// Send a signal to a pid, alive or not.
pub fn send_signal(vm: &Vm, to: Term, sig: Signal) {
    let mut sig = Some(sig);
    // A closed inbox hands the signal back, answered after the lookup
    // (answering sends other signals).
    let pushed = vm.ptab.with(to, |cell| {
        let s = sig.take().expect("signal");
        push_and_notify(vm, cell, |inbox| inbox.push(s))
    });
    match pushed {
        Some(None) => {}
        Some(Some(s)) => answer_for_dead(vm, to, s),
        None => answer_for_dead(vm, to, sig.take().expect("signal")),
    }
}

/// Send `msg` (a term in the sender's heap) to a pid; a message to a
/// process that no longer exists is dropped, as on OTP.
///
/// Where the copy goes depends on the receiver. To one waiting in a
/// receive it is made between the lookup and the push: the lookup's cache
/// miss on the receiver's cell overlaps with the copy (with the copy first,
/// `ring` was 12% slower). To a busy one that many senders push to, it is
/// made before the lookup, so that the lookup and the push touch the
/// receiver's line back to back (with the copy between them, other senders
/// took the line meanwhile: `counter` 12% slower). Which case applies is
/// known only after the lookup: each scheduler thread remembers the last
/// receiver it found busy, and copies first when sending to it again.
pub fn send_message(vm: &Vm, to: Term, msg: Term) {
    thread_local!(static BUSY_RECEIVER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) });
    let busy_before = BUSY_RECEIVER.with(|b| b.get() == to.0);
    let mut early = busy_before.then(|| OutgoingMessage::new(msg));
    vm.ptab.with(to, |cell| {
        let busy = cell.state.load(Ordering::Relaxed) != state::WAITING;
        if busy != busy_before {
            BUSY_RECEIVER.with(|b| b.set(if busy { to.0 } else { 0 }));
        }
        let m = early.take().unwrap_or_else(|| OutgoingMessage::new(msg));
        push_and_notify(vm, cell, |inbox| inbox.push_message(m))
    });
}

/// Push with `push`; wake the process if it waits. A closed inbox (the
/// process is exiting) gives the signal back.
#[inline]
fn push_and_notify(
    vm: &Vm,
    cell: &Arc<ProcCell>,
    push: impl FnOnce(&Inbox) -> Result<(), Signal>,
) -> Option<Signal> {
    match push(&cell.inbox) {
        Ok(()) => {
            notify(vm, cell);
            None
        }
        Err(s) => Some(s),
    }
}

/// A signal reached a process that no longer exists: a link gets an exit
/// signal `noproc`, a monitor an immediate `'DOWN'` with `noproc`.
fn answer_for_dead(vm: &Vm, dead: Term, sig: Signal) {
    match sig {
        Signal::Link { from } => send_signal(
            vm,
            from,
            Signal::Exit {
                from: dead,
                reason: Payload::copy_of(atom::NOPROC),
                kind: ExitKind::Link,
            },
        ),
        Signal::Monitor {
            from,
            reference,
            name,
        } => {
            let object = if name.is_some() { None } else { Some(dead) };
            send_down_named(vm, from, reference, object, name, atom::NOPROC);
        }
        _ => {}
    }
}

/// Send `{'DOWN', Ref, process, Object, Reason}` to `to`, where Object is
/// `object`, or `{Name, node()}` for a monitor set on a registered name.
pub fn send_down_named(
    vm: &Vm,
    to: Term,
    reference: u64,
    object: Option<Term>,
    name: Option<Term>,
    reason: Term,
) {
    let p = Payload::compose(|h| {
        let r = h.make_ref(reference, to.pid_index());
        let obj = match (object, name) {
            (Some(o), _) => o,
            (None, Some(n)) => h.tuple(&[n, vm.node_name()]),
            (None, None) => atom::UNDEFINED,
        };
        h.tuple(&[atom::DOWN, r, atom::PROCESS, obj, reason])
    });
    let msg = p.into_message();
    send_signal(vm, to, Signal::Down { reference, msg });
}

/// Take the inbox and act on each signal. Messages join the mailbox; the
/// return value is an exit reason (in the process's heap) when a signal
/// ends the process.
pub fn handle(vm: &Vm, inbox: &Inbox, p: &mut Process) -> Option<Term> {
    if inbox.is_empty() {
        return None;
    }
    for sig in inbox.take_all() {
        match sig {
            Signal::Message(m) => p.mailbox.push_back(m),
            Signal::AliasMessage { reference, msg } => match p.accept_alias_message(reference) {
                AliasDelivery::Drop => {}
                AliasDelivery::Deliver => p.mailbox.push_back(msg),
                AliasDelivery::DeliverAndDemonitor(target) => {
                    if target.is_pid() {
                        send_signal(vm, target, Signal::Demonitor { reference });
                    }
                    p.mailbox.push_back(msg);
                }
            },
            Signal::Exit {
                from,
                mut reason,
                kind,
            } => {
                if kind == ExitKind::Link && !p.remove_link(from) {
                    // Unlinked meanwhile: the signal is void.
                    continue;
                }
                let r = reason.term;
                if kind == ExitKind::Exit2 && r == atom::KILL {
                    return Some(atom::KILLED);
                }
                if p.trap_exit {
                    let m = Payload::compose(|h| h.tuple(&[atom::EXIT_UPPER, from, r]));
                    drop(reason);
                    p.mailbox.push_back(m.into_message());
                } else if r == atom::NORMAL {
                    // exit(self(), normal) is the one normal exit signal
                    // that ends a process.
                    if kind == ExitKind::Exit2 && from == p.pid() {
                        return Some(atom::NORMAL);
                    }
                } else {
                    if let Some(h) = reason.heap.take() {
                        p.heap.absorb_block(h);
                    }
                    return Some(r);
                }
            }
            Signal::Link { from } => p.add_link(from),
            Signal::Unlink { from } => {
                p.remove_link(from);
            }
            Signal::Monitor {
                from,
                reference,
                name,
            } => p.monitored_by.push((reference, from, name)),
            Signal::Demonitor { reference } => p.monitored_by.retain(|m| m.0 != reference),
            Signal::Down { reference, msg } => {
                if let Some(i) = p.monitors.iter().position(|m| m.reference == reference) {
                    p.monitors.swap_remove(i);
                    p.monitor_ended(reference);
                    p.mailbox.push_back(msg);
                }
            }
            Signal::Timeout { token } => {
                if p.timer.is_some_and(|t| t.token == token) {
                    p.timer = None;
                    p.timeout_fired = true;
                }
            }
            Signal::Wake => {}
            Signal::Info {
                from,
                reference,
                items,
            } => {
                let status = if p.in_receive { "waiting" } else { "runnable" };
                crate::bif::proc::answer_info(vm, p, from, reference, items, status);
            }
        }
    }
    None
}

/// The exit value a crash reports and links receive: `{Reason, Stack}` for
/// errors, `{{nocatch, Value}, Stack}` for throws, the reason for exits.
fn exit_reason(p: &mut Process, class: Class, reason: Term, trace: Term) -> Term {
    match class {
        Class::Exit => reason,
        Class::Error => p.heap.tuple(&[reason, trace]),
        Class::Throw => {
            let nocatch = p.heap.tuple(&[atom::NOCATCH, reason]);
            p.heap.tuple(&[nocatch, trace])
        }
    }
}

/// A process ends: tell its links and monitors, free its name and slot.
pub fn exit(vm: &Arc<Vm>, cell: &Arc<ProcCell>, p: &mut Process, outcome: Outcome) {
    let pid = p.pid();
    let (reason, crash) = match outcome {
        Outcome::Returned(_) => (atom::NORMAL, None),
        Outcome::Exited(r) => (r, None),
        Outcome::Raised(class, r, trace) => {
            let value = exit_reason(p, class, r, trace);
            (value, (class != Class::Exit).then_some((class, r, trace)))
        }
        Outcome::Yielded | Outcome::Waiting => unreachable!("not an exit"),
    };
    if p.is_main {
        vm.main_exited(p, reason, crash);
    } else if crash.is_some() {
        vm.report_crash(pid, reason);
    }
    cell.state.store(state::EXITED, Ordering::SeqCst);
    // Signals that arrived too late are answered now, as by a dead process
    // (but with the real exit reason).
    for sig in cell.inbox.close() {
        match sig {
            Signal::Link { from } => p.add_link(from),
            Signal::Monitor {
                from,
                reference,
                name,
            } => p.monitored_by.push((reference, from, name)),
            Signal::Unlink { from } => {
                p.remove_link(from);
            }
            Signal::Demonitor { reference } => p.monitored_by.retain(|m| m.0 != reference),
            Signal::Down { reference, msg } => {
                if let Some(i) = p.monitors.iter().position(|m| m.reference == reference) {
                    p.monitors.swap_remove(i);
                    p.monitor_ended(reference);
                    p.mailbox.push_back(msg);
                }
            }
            Signal::Info { from, reference, .. } => {
                // Too late to answer with facts: as for a dead process.
                let m = Payload::compose(|h| {
                    let r = h.make_ref(reference, from.pid_index());
                    h.tuple(&[r, atom::UNDEFINED])
                });
                send_signal(vm, from, Signal::Message(m.into_message()));
            }
            _ => {}
        }
    }
    if let Some(t) = p.timer.take() {
        vm.scheds.cancel_receive_timer(t);
    }
    if cell.registered.load(Ordering::Relaxed) {
        vm.ptab.unregister_pid(pid);
    }
    // Tables it owns go to their heirs or are deleted.
    crate::ets::on_exit(vm, pid);
    // Files it opened are closed.
    crate::bif::file::on_exit(vm, pid);
    for to in std::mem::take(&mut p.links) {
        send_signal(
            vm,
            to,
            Signal::Exit {
                from: pid,
                reason: Payload::copy_of(reason),
                kind: ExitKind::Link,
            },
        );
    }
    for (reference, watcher, name) in std::mem::take(&mut p.monitored_by) {
        let object = if name.is_some() { None } else { Some(pid) };
        send_down_named(vm, watcher, reference, object, name, reason);
    }
    for m in std::mem::take(&mut p.monitors) {
        send_signal(
            vm,
            m.target,
            Signal::Demonitor {
                reference: m.reference,
            },
        );
    }
    vm.ptab.remove(pid);
    p.release_memory();
}
