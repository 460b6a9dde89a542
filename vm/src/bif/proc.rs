//! Processes: spawning, links, monitors, exit signals, names, flags,
//! process_info, and the other process-level BIFs.

use super::{BifFn, Ctx};
use crate::atom;
use crate::heap::ref_id;
use crate::process::{AliasMode, BifResult, Exc, Monitor, Process};
use crate::sched::ptab::Priority;
use crate::sched::signals;
use crate::signal::{ExitKind, Payload, Signal};
use crate::term::Term;
use crate::vm::{SpawnOpts, Start};
use std::sync::atomic::Ordering;

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (n, a, f) in [
        ("spawn", 1, spawn1 as BifFn),
        ("spawn", 3, spawn3),
        ("spawn_link", 1, spawn_link1),
        ("spawn_link", 3, spawn_link3),
        ("spawn_monitor", 1, spawn_monitor1),
        ("spawn_monitor", 3, spawn_monitor3),
        ("spawn_opt", 2, spawn_opt2),
        ("spawn_opt", 4, spawn_opt4),
        ("link", 1, link),
        ("unlink", 1, unlink),
        ("monitor", 2, monitor2),
        ("monitor", 3, monitor3),
        ("demonitor", 1, demonitor1),
        ("demonitor", 2, demonitor2),
        ("alias", 0, alias0),
        ("alias", 1, alias1),
        ("unalias", 1, unalias),
        ("exit", 2, exit2),
        ("process_flag", 2, process_flag),
        ("register", 2, register2),
        ("unregister", 1, unregister),
        ("whereis", 1, whereis),
        ("registered", 0, registered),
        ("is_process_alive", 1, is_process_alive),
        ("processes", 0, processes),
        ("process_info", 1, process_info1),
        ("process_info", 2, process_info2),
        ("yield", 0, yield0),
        ("group_leader", 0, group_leader0),
        ("group_leader", 2, group_leader2),
        ("send", 2, send2),
        ("send", 3, send3),
    ] {
        t.push(("erlang", n, a, f));
    }
}

/// How spawn/1,3 starts: funs of arity 0 directly; other funs through
/// `erlang:apply(F, [])`, which fails with badarity in the new process, as
/// OTP's spawn does.
fn start_of(a: &[Term]) -> Result<Start, Exc> {
    match a {
        [f] if f.is_fun() && crate::fun::arity(*f) == 0 => Ok(Start::Fun(*f)),
        [f] if f.is_fun() => Ok(Start::Apply(atom::ERLANG, atom::APPLY, vec![*f, Term::NIL])),
        [m, f, args] if m.is_atom() && f.is_atom() => {
            let args = args.list_to_vec().ok_or_else(Exc::badarg)?;
            Ok(Start::Apply(*m, *f, args))
        }
        _ => Err(Exc::badarg()),
    }
}

fn do_spawn(c: &mut Ctx, start: Start, opts: SpawnOpts) -> BifResult {
    let (pid, mon) = c.vm.spawn(Some(c.proc), start, opts)?;
    match mon {
        Some(r) => {
            let id = c.proc.id;
            let r = c.proc.fresh_ref(r, id);
            Ok(c.proc.heap.tuple(&[pid, r]))
        }
        None => Ok(pid),
    }
}

fn spawn1(c: &mut Ctx, a: &[Term]) -> BifResult {
    do_spawn(c, start_of(a)?, SpawnOpts::default())
}
fn spawn3(c: &mut Ctx, a: &[Term]) -> BifResult {
    do_spawn(c, start_of(a)?, SpawnOpts::default())
}
fn spawn_link1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let o = SpawnOpts {
        link: true,
        ..SpawnOpts::default()
    };
    do_spawn(c, start_of(a)?, o)
}
fn spawn_link3(c: &mut Ctx, a: &[Term]) -> BifResult {
    spawn_link1(c, a)
}
fn spawn_monitor1(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !(a[0].is_fun() && crate::fun::arity(a[0]) == 0) {
        return Err(Exc::badarg());
    }
    let o = SpawnOpts {
        monitor: true,
        ..SpawnOpts::default()
    };
    do_spawn(c, start_of(a)?, o)
}
fn spawn_monitor3(c: &mut Ctx, a: &[Term]) -> BifResult {
    spawn_monitor1(c, a)
}

fn spawn_options(list: Term) -> Result<SpawnOpts, Exc> {
    let mut o = SpawnOpts::default();
    for item in list.list_to_vec().ok_or_else(Exc::badarg)? {
        if item == atom::atom("link") {
            o.link = true;
        } else if item == atom::atom("monitor") {
            o.monitor = true;
        } else if let Some([k, v]) = item.as_tuple().map(|t| t.to_vec()).as_deref() {
            match atom::name(*k) {
                "priority" if v.is_atom() => {
                    o.priority = Priority::from_name(atom::name(*v)).ok_or_else(Exc::badarg)?;
                }
                "min_heap_size" if v.is_small() && v.small_value() >= 0 => {
                    o.min_heap_size = v.small_value() as usize;
                }
                "fullsweep_after" | "min_bin_vheap_size" | "max_heap_size" | "message_queue_data" => {}
                _ => return Err(Exc::badarg()),
            }
        } else {
            return Err(Exc::badarg());
        }
    }
    Ok(o)
}

fn spawn_opt2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let opts = spawn_options(a[1])?;
    do_spawn(c, start_of(&a[..1])?, opts)
}
fn spawn_opt4(c: &mut Ctx, a: &[Term]) -> BifResult {
    let opts = spawn_options(a[3])?;
    do_spawn(c, start_of(&a[..3])?, opts)
}

fn link(c: &mut Ctx, a: &[Term]) -> BifResult {
    let pid = a[0];
    if !pid.is_local_pid() {
        return Err(Exc::badarg());
    }
    if pid == c.proc.pid() || c.proc.is_linked(pid) {
        return Ok(atom::TRUE);
    }
    c.proc.add_link(pid);
    signals::send_signal(c.vm, pid, Signal::Link { from: c.proc.pid() });
    Ok(atom::TRUE)
}

fn unlink(c: &mut Ctx, a: &[Term]) -> BifResult {
    let pid = a[0];
    if !pid.is_local_pid() {
        return Err(Exc::badarg());
    }
    if c.proc.remove_link(pid) {
        signals::send_signal(c.vm, pid, Signal::Unlink { from: c.proc.pid() });
    }
    Ok(atom::TRUE)
}

/// monitor(process, Pid | Name | {Name, Node}).
fn monitor2(c: &mut Ctx, a: &[Term]) -> BifResult {
    if a[0] != atom::PROCESS {
        return Err(Exc::badarg());
    }
    let target = a[1];
    let (pid, name) = if target.is_local_pid() {
        (Some(target), None)
    } else if target.is_atom() {
        (c.vm.ptab.whereis(target), Some(target))
    } else if let Some([n, node]) = target.as_tuple().map(|t| t.to_vec()).as_deref() {
        if !n.is_atom() || *node != c.vm.node_name() {
            return Err(Exc::badarg());
        }
        (c.vm.ptab.whereis(*n), Some(*n))
    } else {
        return Err(Exc::badarg());
    };
    let reference = c.vm.new_ref();
    let me = c.proc.pid();
    match pid {
        Some(pid) => {
            c.proc.monitors.push(Monitor {
                reference,
                target: pid,
                name,
            });
            signals::send_signal(
                c.vm,
                pid,
                Signal::Monitor {
                    from: me,
                    reference,
                    name,
                },
            );
        }
        None => {
            // Nobody has the name: at once 'DOWN' with noproc.
            c.proc.monitors.push(Monitor {
                reference,
                target: atom::UNDEFINED,
                name,
            });
            signals::send_down_named(c.vm, me, reference, None, name, atom::NOPROC);
        }
    }
    let id = c.proc.id;
    Ok(c.proc.fresh_ref(reference, id))
}

fn monitor3(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut alias = None;
    for opt in a[2].list_to_vec().ok_or_else(Exc::badarg)? {
        match opt.as_tuple().map(|t| t.to_vec()).as_deref() {
            Some([k, mode]) if *k == atom::atom("alias") => {
                alias = Some(match atom::name(*mode) {
                    "explicit_unalias" if mode.is_atom() => AliasMode::Explicit,
                    "demonitor" if mode.is_atom() => AliasMode::Demonitor,
                    "reply_demonitor" if mode.is_atom() => AliasMode::ReplyDemonitor,
                    _ => return Err(Exc::badarg()),
                });
            }
            _ => return Err(Exc::badarg()),
        }
    }
    let r = monitor2(c, &a[..2])?;
    if let (Some(mode), Some((reference, _))) = (alias, ref_id(r)) {
        c.proc.add_alias(reference, mode);
    }
    Ok(r)
}

fn alias0(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(new_alias(c, AliasMode::Explicit))
}

fn alias1(c: &mut Ctx, a: &[Term]) -> BifResult {
    let mut mode = AliasMode::Explicit;
    for opt in a[0].list_to_vec().ok_or_else(Exc::badarg)? {
        match atom::name(opt) {
            "explicit_unalias" if opt.is_atom() => mode = AliasMode::Explicit,
            "reply" if opt.is_atom() => mode = AliasMode::Reply,
            _ => return Err(Exc::badarg()),
        }
    }
    Ok(new_alias(c, mode))
}

fn new_alias(c: &mut Ctx, mode: AliasMode) -> Term {
    let reference = c.vm.new_ref();
    let id = c.proc.id;
    c.proc.add_alias(reference, mode);
    c.proc.fresh_ref(reference, id)
}

fn unalias(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (reference, _) = ref_id(a[0]).ok_or_else(Exc::badarg)?;
    Ok(Term::boolean(c.proc.unalias(reference)))
}

fn demonitor(c: &mut Ctx, r: Term, flush: bool, info: bool) -> BifResult {
    let (reference, _) = ref_id(r).ok_or_else(Exc::badarg)?;
    let found = match c.proc.monitors.iter().position(|m| m.reference == reference) {
        Some(i) => {
            let m = c.proc.monitors.swap_remove(i);
            c.proc.monitor_ended(reference);
            if m.target.is_pid() {
                signals::send_signal(c.vm, m.target, Signal::Demonitor { reference });
            }
            true
        }
        None => false,
    };
    // While the monitor was active its 'DOWN' cannot have been queued (a
    // `Signal::Down` becomes a message only for an active monitor, and
    // none will now). Otherwise it may be in the mailbox, and not before
    // the position the reference was made at.
    if flush && !found {
        let p = &mut *c.proc;
        let start = p.ref_mark(r).unwrap_or(0);
        let at = (start..p.mailbox.len()).find(|&i| is_down_of(p.mailbox[i].term, reference));
        if let Some(i) = at {
            p.remove_message(i);
            if p.recv_pos > i {
                p.recv_pos -= 1;
            }
        }
    }
    if info {
        Ok(Term::boolean(found))
    } else {
        Ok(atom::TRUE)
    }
}

fn is_down_of(t: Term, reference: u64) -> bool {
    match t.as_tuple() {
        Some(e) if e.len() == 5 && e[0] == atom::DOWN => ref_id(e[1]).is_some_and(|(r, _)| r == reference),
        _ => false,
    }
}

fn demonitor1(c: &mut Ctx, a: &[Term]) -> BifResult {
    demonitor(c, a[0], false, false)
}

fn demonitor2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (mut flush, mut info) = (false, false);
    for o in a[1].list_to_vec().ok_or_else(Exc::badarg)? {
        match o {
            x if x == atom::atom("flush") => flush = true,
            x if x == atom::atom("info") => info = true,
            _ => return Err(Exc::badarg()),
        }
    }
    // With flush, messages still in the inbox must be considered too.
    if flush {
        super::proc::take_inbox(c);
    }
    demonitor(c, a[0], flush, info)
}

/// Move what is in this process's inbox to its mailbox (signals act now).
pub fn take_inbox(c: &mut Ctx) {
    if let Some(cell) = c.vm.ptab.lookup(c.proc.pid()) {
        if let Some(reason) = signals::handle(c.vm, &cell.inbox, c.proc) {
            // An exit signal arrived: it takes effect at the next receive;
            // put it back so it is not lost.
            let me = c.proc.pid();
            let _ = cell.inbox.push(Signal::Exit {
                from: me,
                reason: Payload::copy_of(reason),
                kind: ExitKind::Exit2,
            });
        }
    }
}

fn exit2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (to, reason) = (a[0], a[1]);
    if !to.is_local_pid() {
        return Err(Exc::badarg());
    }
    let me = c.proc.pid();
    signals::send_signal(
        c.vm,
        to,
        Signal::Exit {
            from: me,
            reason: Payload::copy_of(reason),
            kind: ExitKind::Exit2,
        },
    );
    Ok(atom::TRUE)
}

fn process_flag(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (flag, v) = (a[0], a[1]);
    if !flag.is_atom() {
        return Err(Exc::badarg());
    }
    match atom::name(flag) {
        "trap_exit" if v.is_boolean() => {
            let old = c.proc.trap_exit;
            c.proc.trap_exit = v == atom::TRUE;
            Ok(Term::boolean(old))
        }
        "priority" if v.is_atom() => {
            let new = Priority::from_name(atom::name(v)).ok_or_else(Exc::badarg)?;
            let cell = c.vm.ptab.lookup(c.proc.pid()).ok_or_else(Exc::badarg)?;
            let old = cell.priority();
            cell.priority.store(new as u8, Ordering::Relaxed);
            Ok(atom::atom(old.name()))
        }
        "min_heap_size" if v.is_small() && v.small_value() >= 0 => {
            let old = c.proc.heap.min_words;
            c.proc.heap.min_words = (v.small_value() as usize).max(16);
            Ok(Term::small(old as i64))
        }
        "sensitive" | "save_calls" | "message_queue_data" | "fullsweep_after" | "max_heap_size" => {
            Ok(atom::FALSE)
        }
        _ => Err(Exc::badarg()),
    }
}

fn register2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let (name, pid) = (a[0], a[1]);
    if !name.is_atom() || name == atom::UNDEFINED || !pid.is_local_pid() {
        return Err(Exc::badarg());
    }
    let cell =
        c.vm.ptab
            .lookup(pid)
            .filter(|c| c.is_alive())
            .ok_or_else(Exc::badarg)?;
    if !c.vm.ptab.register(name, pid) {
        return Err(Exc::badarg());
    }
    cell.registered.store(true, Ordering::Relaxed);
    Ok(atom::TRUE)
}

fn unregister(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    c.vm.ptab
        .unregister(a[0])
        .map(|_| atom::TRUE)
        .ok_or_else(Exc::badarg)
}

fn whereis(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_atom() {
        return Err(Exc::badarg());
    }
    Ok(c.vm.ptab.whereis(a[0]).unwrap_or(atom::UNDEFINED))
}

fn registered(c: &mut Ctx, _: &[Term]) -> BifResult {
    let names = c.vm.ptab.registered();
    Ok(c.proc.heap.list(&names))
}

fn is_process_alive(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_local_pid() {
        return Err(Exc::badarg());
    }
    if a[0] == c.proc.pid() {
        return Ok(atom::TRUE);
    }
    Ok(Term::boolean(
        c.vm.ptab.lookup(a[0]).is_some_and(|c| c.is_alive()),
    ))
}

fn processes(c: &mut Ctx, _: &[Term]) -> BifResult {
    let mut all = c.vm.ptab.all();
    all.sort_by_key(|p| crate::sched::ptab::pid_slot(*p));
    Ok(c.proc.heap.list(&all))
}

fn yield0(c: &mut Ctx, _: &[Term]) -> BifResult {
    c.proc.force_yield = true;
    Ok(atom::TRUE)
}

fn group_leader0(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(c.proc.group_leader)
}

fn group_leader2(c: &mut Ctx, a: &[Term]) -> BifResult {
    if !a[0].is_pid() || !a[1].is_local_pid() {
        return Err(Exc::badarg());
    }
    if a[1] == c.proc.pid() {
        c.proc.group_leader = a[0];
    }
    Ok(atom::TRUE)
}

fn send2(c: &mut Ctx, a: &[Term]) -> BifResult {
    c.vm.send(c.proc, a[0], a[1])?;
    Ok(a[1])
}

fn send3(c: &mut Ctx, a: &[Term]) -> BifResult {
    a[2].list_to_vec().ok_or_else(Exc::badarg)?;
    c.vm.send(c.proc, a[0], a[1])?;
    Ok(atom::OK)
}

// ------------------------------------------------------------ process_info

/// The items process_info/1 reports, in OTP's order.
const INFO_ITEMS: &[&str] = &[
    "current_function",
    "initial_call",
    "status",
    "message_queue_len",
    "links",
    "dictionary",
    "trap_exit",
    "error_handler",
    "priority",
    "group_leader",
    "total_heap_size",
    "heap_size",
    "stack_size",
    "reductions",
    "garbage_collection",
    "suspending",
];

/// One process_info item of `p` (built in `p`'s heap); None for an
/// unknown item.
pub fn info_item(vm: &crate::vm::Vm, p: &mut Process, item: Term, status: &str) -> Option<Term> {
    let name = if item.is_atom() {
        atom::name(item)
    } else {
        return None;
    };
    let words_in_heap = (p.heap.size_words() + p.heap.old_size_words()) as i64;
    let value = match name {
        "message_queue_len" => Term::small(p.mailbox.len() as i64),
        "messages" => {
            let msgs: Vec<Term> = p.mailbox.iter().map(|m| m.term).collect();
            let copies: Vec<Term> = msgs.iter().map(|t| crate::copy::copy(&mut p.heap, *t)).collect();
            p.heap.list(&copies)
        }
        "links" => {
            let l = p.links.clone();
            p.heap.list(&l)
        }
        "monitors" => {
            let ms = p.monitors.clone();
            let items: Vec<Term> = ms
                .iter()
                .map(|m| {
                    let target = match m.name {
                        Some(n) => p.heap.tuple(&[n, vm.node_name()]),
                        None => m.target,
                    };
                    p.heap.tuple(&[atom::PROCESS, target])
                })
                .collect();
            p.heap.list(&items)
        }
        "monitored_by" => {
            let ws: Vec<Term> = p.monitored_by.iter().map(|m| m.1).collect();
            p.heap.list(&ws)
        }
        "memory" => Term::small(p.memory_bytes() as i64),
        "heap_size" => Term::small(p.heap.size_words() as i64),
        "total_heap_size" => Term::small(words_in_heap),
        "stack_size" => Term::small(p.stack.len() as i64),
        "reductions" => p.heap.int(p.reductions as i64),
        "registered_name" => match vm.ptab.name_of(p.pid()) {
            Some(n) => n,
            None => Term::NIL,
        },
        "status" => atom::atom(status),
        "dictionary" => {
            let entries = p.dict.entries.clone();
            let pairs: Vec<Term> = entries.iter().map(|(k, v)| p.heap.tuple(&[*k, *v])).collect();
            p.heap.list(&pairs)
        }
        "trap_exit" => Term::boolean(p.trap_exit),
        "initial_call" => {
            let (m, f, a) = p.initial_call;
            p.heap.tuple(&[m, f, Term::small(a as i64)])
        }
        "current_function" => {
            let (m, f, a) = p.initial_call;
            p.heap.tuple(&[m, f, Term::small(a as i64)])
        }
        "priority" => {
            let pr = vm
                .ptab
                .lookup(p.pid())
                .map(|c| c.priority())
                .unwrap_or(Priority::Normal);
            atom::atom(pr.name())
        }
        "group_leader" => p.group_leader,
        "error_handler" => atom::atom("error_handler"),
        "garbage_collection" => {
            let items = [
                ("max_heap_size", Term::small(0)),
                ("min_bin_vheap_size", Term::small(46422)),
                ("min_heap_size", Term::small(p.heap.min_words as i64)),
                ("fullsweep_after", Term::small(65535)),
                ("minor_gcs", Term::small(p.heap.minor_gcs as i64)),
            ];
            let ts: Vec<Term> = items
                .iter()
                .map(|(k, v)| p.heap.tuple(&[atom::atom(k), *v]))
                .collect();
            p.heap.list(&ts)
        }
        "suspending" => Term::NIL,
        "min_heap_size" => Term::small(p.heap.min_words as i64),
        _ => return None,
    };
    Some(p.heap.tuple(&[item, value]))
}

/// process_info of the calling process itself.
fn own_info(c: &mut Ctx, items: Option<Term>) -> BifResult {
    let vm = c.vm;
    match items {
        None => {
            let all: Vec<Term> = INFO_ITEMS
                .iter()
                .filter_map(|n| info_item(vm, c.proc, atom::atom(n), "running"))
                .collect();
            let mut v = all;
            if let Some(name) = vm.ptab.name_of(c.proc.pid()) {
                let t = c.proc.heap.tuple(&[atom::atom("registered_name"), name]);
                v.insert(0, t);
            }
            Ok(c.proc.heap.list(&v))
        }
        Some(item) if item.is_atom() => {
            let r = info_item(vm, c.proc, item, "running").ok_or_else(Exc::badarg)?;
            if item == atom::atom("registered_name") && r.tuple_elems()[1].is_nil() {
                return Ok(Term::NIL);
            }
            Ok(r)
        }
        Some(list) => {
            let items = list.list_to_vec().ok_or_else(Exc::badarg)?;
            let mut out = Vec::new();
            for i in items {
                out.push(info_item(vm, c.proc, i, "running").ok_or_else(Exc::badarg)?);
            }
            Ok(c.proc.heap.list(&out))
        }
    }
}

fn process_info1(c: &mut Ctx, a: &[Term]) -> BifResult {
    process_info(c, a[0], None)
}

fn process_info2(c: &mut Ctx, a: &[Term]) -> BifResult {
    let item = a[1];
    let known = |t: Term| t.is_atom() && KNOWN_ITEMS.contains(&atom::name(t));
    let ok = if item.is_atom() {
        known(item)
    } else {
        item.list_to_vec().is_some_and(|l| l.into_iter().all(known))
    };
    if !ok {
        return Err(Exc::badarg());
    }
    process_info(c, a[0], Some(item))
}

/// Every item info_item knows.
const KNOWN_ITEMS: &[&str] = &[
    "message_queue_len",
    "messages",
    "links",
    "monitors",
    "monitored_by",
    "memory",
    "heap_size",
    "total_heap_size",
    "stack_size",
    "reductions",
    "registered_name",
    "status",
    "dictionary",
    "trap_exit",
    "initial_call",
    "current_function",
    "priority",
    "group_leader",
    "error_handler",
    "garbage_collection",
    "suspending",
    "min_heap_size",
];

fn process_info(c: &mut Ctx, pid: Term, items: Option<Term>) -> BifResult {
    if !pid.is_local_pid() {
        return Err(Exc::badarg());
    }
    if pid == c.proc.pid() {
        return own_info(c, items);
    }
    // Ask the process itself: a signal, answered with `{Ref, Info}` when it
    // handles its signals; meanwhile we wait for the answer in Erlang.
    let Some(cell) = c.vm.ptab.lookup(pid).filter(|c| c.is_alive()) else {
        return Ok(atom::UNDEFINED);
    };
    let reference = c.vm.new_ref();
    let me = c.proc.pid();
    let request = Signal::Info {
        from: me,
        reference,
        items: items.map(Payload::copy_of),
    };
    if cell.inbox.push(request).is_err() {
        return Ok(atom::UNDEFINED);
    }
    signals::notify(c.vm, &cell);
    let id = c.proc.id;
    let r = c.proc.fresh_ref(reference, id);
    Err(Exc::Apply {
        module: atom::atom("erts_internal"),
        function: atom::atom("await_result"),
        args: vec![r],
    })
}

/// Answer a process_info request (in the target process).
pub fn answer_info(
    vm: &crate::vm::Vm,
    p: &mut Process,
    from: Term,
    reference: u64,
    items: Option<Payload>,
    status: &str,
) {
    let items = items.map(|i| crate::copy::copy(&mut p.heap, i.term));
    let answer = match items {
        None => {
            let mut v: Vec<Term> = INFO_ITEMS
                .iter()
                .filter_map(|n| info_item(vm, p, atom::atom(n), status))
                .collect();
            if let Some(name) = vm.ptab.name_of(p.pid()) {
                let t = p.heap.tuple(&[atom::atom("registered_name"), name]);
                v.insert(0, t);
            }
            p.heap.list(&v)
        }
        Some(item) if item.is_atom() => match info_item(vm, p, item, status) {
            Some(r) if item == atom::atom("registered_name") && r.tuple_elems()[1].is_nil() => Term::NIL,
            Some(r) => r,
            None => atom::UNDEFINED,
        },
        Some(list) => {
            let items = list.list_to_vec().unwrap_or_default();
            let mut out = Vec::new();
            for i in items {
                match info_item(vm, p, i, status) {
                    Some(r) => out.push(r),
                    None => {
                        out.clear();
                        break;
                    }
                }
            }
            p.heap.list(&out)
        }
    };
    let r = p.heap.make_ref(reference, from.pid_index());
    let msg = p.heap.tuple(&[r, answer]);
    let payload = Payload::copy_of(msg);
    signals::send_signal(vm, from, Signal::Message(payload.into_message()));
}
