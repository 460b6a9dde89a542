//! A process: its heap, stack, dictionary and mailbox.

use crate::atom;
use crate::heap::Heap;
use crate::term::Term;
use std::collections::VecDeque;

/// The class of an exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Error,
    Exit,
    Throw,
}

impl Class {
    pub fn atom(self) -> Term {
        match self {
            Class::Error => atom::ERROR,
            Class::Exit => atom::EXIT,
            Class::Throw => atom::THROW,
        }
    }

    pub fn from_atom(t: Term) -> Option<Class> {
        match t {
            atom::ERROR => Some(Class::Error),
            atom::EXIT => Some(Class::Exit),
            atom::THROW => Some(Class::Throw),
            _ => None,
        }
    }
}

/// How the first frames of an exception's stack trace are made.
#[derive(Clone, Copy, Debug)]
pub enum TraceKind {
    /// Raised by a BIF: a frame `{erlang, Name, Args, ErrorInfo}` first.
    Bif,
    /// Raised by the current function (erlang:error/1, match errors...).
    Here,
    /// erlang:error/2: the current function's frame carries these args.
    Args(Term),
    /// erlang:raise/3 or a rethrow: exactly this trace.
    Given(Term),
}

/// An exception raised by a BIF, or a request to call Erlang code instead
/// (BIFs cannot call back into the interpreter).
#[derive(Clone, Debug)]
pub enum Exc {
    Raise {
        class: Class,
        reason: Term,
        trace: TraceKind,
    },
    /// Continue by calling `module:function(args)`.
    Apply {
        module: Term,
        function: Term,
        args: Vec<Term>,
    },
    /// Continue by calling a fun.
    ApplyFun { fun: Term, args: Vec<Term> },
}

impl Exc {
    pub fn error(reason: Term) -> Exc {
        Exc::Raise {
            class: Class::Error,
            reason,
            trace: TraceKind::Bif,
        }
    }
    pub fn badarg() -> Exc {
        Exc::error(atom::BADARG)
    }
    pub fn badarith() -> Exc {
        Exc::error(atom::BADARITH)
    }
    pub fn system_limit() -> Exc {
        Exc::error(atom::SYSTEM_LIMIT)
    }
    /// An exception raised on purpose by the caller (error/1, throw/1...).
    pub fn raise(class: Class, reason: Term) -> Exc {
        Exc::Raise {
            class,
            reason,
            trace: TraceKind::Here,
        }
    }
}

pub type BifResult = Result<Term, Exc>;

/// The process dictionary: insertion-ordered pairs, with exact key equality.
#[derive(Default)]
pub struct Dictionary {
    pub entries: Vec<(Term, Term)>,
    index: std::collections::HashMap<u64, Vec<usize>>,
}

impl Dictionary {
    fn find(&self, key: Term) -> Option<usize> {
        let h = crate::map::key_hash(key);
        self.index
            .get(&h)?
            .iter()
            .copied()
            .find(|&i| crate::order::exact_equal(self.entries[i].0, key))
    }

    pub fn get(&self, key: Term) -> Option<Term> {
        self.find(key).map(|i| self.entries[i].1)
    }

    /// Store; returns the previous value.
    pub fn put(&mut self, key: Term, value: Term) -> Option<Term> {
        if let Some(i) = self.find(key) {
            return Some(std::mem::replace(&mut self.entries[i].1, value));
        }
        let h = crate::map::key_hash(key);
        self.index.entry(h).or_default().push(self.entries.len());
        self.entries.push((key, value));
        None
    }

    pub fn erase(&mut self, key: Term) -> Option<Term> {
        let i = self.find(key)?;
        let (_, v) = self.entries.remove(i);
        self.rebuild();
        Some(v)
    }

    pub fn clear(&mut self) -> Vec<(Term, Term)> {
        self.index.clear();
        std::mem::take(&mut self.entries)
    }

    fn rebuild(&mut self) {
        self.index.clear();
        for (i, (k, _)) in self.entries.iter().enumerate() {
            self.index.entry(crate::map::key_hash(*k)).or_default().push(i);
        }
    }

    /// Keys were moved by the collector: hashes of boxed keys are by value,
    /// so the index stays valid; nothing to do. Kept for clarity at call
    /// sites that mutate keys in place.
    pub fn terms_mut(&mut self) -> impl Iterator<Item = &mut Term> {
        self.entries.iter_mut().flat_map(|(k, v)| [k, v])
    }
}

/// A message: its term lives in its own heap (a fragment owned by the
/// message) until the receiver takes it.
pub struct Message {
    pub term: Term,
    /// The block holding the term (None for an immediate).
    pub heap: Option<crate::block::Block>,
}

impl Drop for Message {
    /// A message never received (its process ended first) gives back the
    /// off-heap binaries its block holds.
    fn drop(&mut self) {
        if let Some(b) = self.heap.take() {
            crate::offheap::release_block(&b);
        }
    }
}

/// A monitor this process holds on another: `monitor(process, Target)`.
#[derive(Clone, Copy, Debug)]
pub struct Monitor {
    pub reference: u64,
    pub target: Term,
    /// Set when monitoring a registered name (DOWN names `{Name, Node}`).
    pub name: Option<Term>,
}

/// The receive timeout in progress: its timer and the token its expiry
/// carries (a stale expiry is recognised and ignored).
#[derive(Clone, Copy, Debug)]
pub struct ReceiveTimer {
    pub scheduler: usize,
    pub id: crate::sched::timer::TimerId,
    pub token: u64,
    /// On the shared (locked) wheel rather than a scheduler's own.
    pub shared: bool,
}

pub struct Process {
    /// The pid's payload (see `Term::pid`).
    pub id: u64,
    pub heap: Heap,
    /// The stack: frames of `[continuation, y(n-1), ..., y0]`, growing up.
    pub stack: Vec<Term>,
    pub dict: Dictionary,
    /// Messages taken from the inbox, in arrival order.
    pub mailbox: VecDeque<Message>,
    /// Position of the receive scan in the mailbox.
    pub recv_pos: usize,
    pub reductions: u64,
    /// Active try/catch markers on the stack.
    pub catches: u32,
    /// Mailbox messages whose term was copied into the heap (see
    /// `Process::scan_message`): roots of a collection, found by walking
    /// the mailbox until this many were seen.
    pub heap_messages: u32,
    /// Where to resume (code addresses as integers, so a process can move
    /// between scheduler threads) and the x registers live there.
    pub resume_ip: usize,
    pub resume_cp: usize,
    pub saved_x: Vec<Term>,
    /// Set by a BIF (erlang:yield/0) to end the time slice at the next call.
    pub force_yield: bool,
    pub timer: Option<ReceiveTimer>,
    pub timeout_fired: bool,
    /// Blocked in a receive (for process_info's status).
    pub in_receive: bool,
    pub links: Vec<Term>,
    pub monitors: Vec<Monitor>,
    /// Monitors others hold on this process: (reference, watcher, name the
    /// watcher used).
    pub monitored_by: Vec<(u64, Term, Option<Term>)>,
    pub trap_exit: bool,
    pub group_leader: Term,
    /// `{Module, Function, Arity}` the process was spawned with.
    pub initial_call: (Term, Term, u32),
    /// The process whose return ends the program (`beryl run`'s main/1).
    pub is_main: bool,
    /// Where the mailbox ended when recent references were made.
    pub ref_marks: RefMarks,
    /// Active process aliases (reference ids) and how each ends; boxed,
    /// as most processes never have one and an idle process must stay
    /// small (see `ptab`'s size test): one word here, not a Vec's three.
    #[allow(clippy::box_collection)]
    aliases: Option<Box<Vec<(u64, AliasMode)>>>,
}

impl Process {
    /// Give back what an exited process holds (its heap with the references
    /// to off-heap binaries, stack, dictionary, mailbox): its cell can
    /// outlive it a little (a sender's borrowed view, the process table's
    /// deferred release), and binaries must be freed when it exits.
    pub fn release_memory(&mut self) {
        self.heap = Heap::lazy(0);
        self.stack = Vec::new();
        self.dict = Dictionary::default();
        self.mailbox = VecDeque::new();
        self.heap_messages = 0;
        self.saved_x = Vec::new();
    }

    /// The term of the mailbox message at `i`, for a receive to match.
    /// A small message's block is copied into the heap first and freed at
    /// once: the block goes back to the allocator while it is still in the
    /// cache, so the next message sent from this thread reuses hot memory
    /// (absorbing it instead kept it until the next collection, and every
    /// message was then written to and freed from cold memory: a fifth of
    /// the `ring` benchmark). Larger messages are absorbed without a copy
    /// when removed.
    #[inline]
    pub fn scan_message(&mut self, i: usize) -> Option<Term> {
        let msg = self.mailbox.get_mut(i)?;
        match &msg.heap {
            Some(b) if b.len() <= SMALL_MESSAGE_WORDS => {
                let block = msg.heap.take().expect("block");
                let t = crate::copy::copy(&mut self.heap, msg.term);
                // The copy holds its own references to off-heap binaries.
                crate::offheap::release_block(&block);
                msg.term = t;
                self.heap_messages += 1;
                Some(t)
            }
            _ => Some(msg.term),
        }
    }

    /// Take the mailbox message at `i` out of the mailbox.
    pub fn remove_message(&mut self, i: usize) -> Option<Message> {
        let mut msg = self.mailbox.remove(i)?;
        self.ref_marks.removed(i);
        if msg.heap.is_none() && !msg.term.is_immediate() {
            self.heap_messages -= 1;
        }
        if let Some(h) = msg.heap.take() {
            self.heap.absorb_block(h);
        }
        Some(msg)
    }

    /// Apply `visit` to the mailbox terms that live in the heap.
    pub fn visit_heap_messages(
        mailbox: &mut VecDeque<Message>,
        count: u32,
        visit: &mut dyn FnMut(&mut Term),
    ) {
        let mut left = count;
        for m in mailbox.iter_mut() {
            if left == 0 {
                break;
            }
            if m.heap.is_none() && !m.term.is_immediate() {
                visit(&mut m.term);
                left -= 1;
            }
        }
    }
}

/// Messages of at most this many words are copied into the receiver's heap
/// when a receive first looks at them (`Process::scan_message`).
const SMALL_MESSAGE_WORDS: usize = 16;

/// What becomes of a message sent to an alias.
pub enum AliasDelivery {
    Drop,
    Deliver,
    /// Deliver, and the monitor on this target was removed with the alias.
    DeliverAndDemonitor(Term),
}

/// How an alias (erlang:alias/1, monitor/3's `{alias, Mode}`) is
/// deactivated besides `unalias/1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasMode {
    /// Only by `unalias/1`.
    Explicit,
    /// With its monitor (demonitor or the 'DOWN' message).
    Demonitor,
    /// With its monitor, or after the first message sent to it.
    ReplyDemonitor,
    /// After the first message sent to it (`alias([reply])`).
    Reply,
}

/// How many recent references remember their mailbox position.
const REF_MARKS: usize = 4;

/// The receive-marker optimisation (BEAM's `recv_marker_*`): a message
/// that arrived before a reference was made cannot contain it, so a
/// `receive` whose every clause requires that reference (the
/// `gen_server:call` pattern) starts its scan where the mailbox ended when
/// the reference was made instead of rescanning older messages.
///
/// The few most recent references made by this process (`make_ref`,
/// `monitor`, `spawn_monitor`, timers) are kept with that position; the
/// compiler emits `RecvMarkerUse Ref` before such a receive. Positions are
/// indexes into `Process::mailbox` and move down when an earlier message is
/// removed. A reference not found here simply scans from the start.
#[derive(Default)]
pub struct RefMarks {
    /// Keys; 0 = unused. The key is the reference id, with the top bit set
    /// when the creator word is not the process's own (timer references):
    /// ids never reach 2^63.
    keys: [u64; REF_MARKS],
    /// Mailbox positions (u32 keeps an idle process small; a position
    /// past u32::MAX is recorded as u32::MAX, which only makes the scan
    /// start earlier than it could).
    positions: [u32; REF_MARKS],
    next: u8,
}

fn mark_key(id: u64, creator: u64, own: u64) -> u64 {
    if creator == own {
        id
    } else {
        id | 1 << 63
    }
}

impl RefMarks {
    pub fn note(&mut self, key: u64, pos: usize) {
        let i = self.next as usize;
        self.keys[i] = key;
        self.positions[i] = u32::try_from(pos).unwrap_or(u32::MAX);
        self.next = ((i + 1) % REF_MARKS) as u8;
    }

    /// The mailbox position recorded for a reference with this key.
    pub fn find(&self, key: u64) -> Option<usize> {
        if key == 0 {
            return None;
        }
        let i = self.keys.iter().position(|k| *k == key)?;
        Some(self.positions[i] as usize)
    }

    /// The message at `index` left the mailbox.
    pub fn removed(&mut self, index: usize) {
        for p in &mut self.positions {
            if *p as usize > index {
                *p -= 1;
            }
        }
    }

    /// Messages left the mailbox out of order: forget every position.
    pub fn clear(&mut self) {
        *self = RefMarks::default();
    }
}

impl Process {
    /// A message sent to alias `reference` arrived: whether it is
    /// delivered, deactivating a one-shot alias (and its monitor).
    pub fn accept_alias_message(&mut self, reference: u64) -> AliasDelivery {
        let Some(mode) = self.alias_mode(reference) else {
            return AliasDelivery::Drop;
        };
        match mode {
            AliasMode::Explicit | AliasMode::Demonitor => AliasDelivery::Deliver,
            AliasMode::Reply => {
                self.unalias(reference);
                AliasDelivery::Deliver
            }
            AliasMode::ReplyDemonitor => {
                self.unalias(reference);
                match self.monitors.iter().position(|m| m.reference == reference) {
                    Some(m) => AliasDelivery::DeliverAndDemonitor(self.monitors.swap_remove(m).target),
                    None => AliasDelivery::Deliver,
                }
            }
        }
    }

    /// A monitor ended: an alias tied to it ends with it.
    pub fn monitor_ended(&mut self, reference: u64) {
        if matches!(
            self.alias_mode(reference),
            Some(AliasMode::Demonitor | AliasMode::ReplyDemonitor)
        ) {
            self.unalias(reference);
        }
    }

    pub fn add_alias(&mut self, reference: u64, mode: AliasMode) {
        self.aliases
            .get_or_insert_with(Default::default)
            .push((reference, mode));
    }

    fn alias_mode(&self, reference: u64) -> Option<AliasMode> {
        self.aliases
            .as_ref()?
            .iter()
            .find(|a| a.0 == reference)
            .map(|a| a.1)
    }

    /// Deactivate an alias; whether it was active.
    pub fn unalias(&mut self, reference: u64) -> bool {
        let Some(list) = self.aliases.as_mut() else {
            return false;
        };
        let Some(i) = list.iter().position(|a| a.0 == reference) else {
            return false;
        };
        list.swap_remove(i);
        if list.is_empty() {
            self.aliases = None;
        }
        true
    }

    pub fn new(id: u64, heap_words: usize) -> Process {
        Process {
            id,
            heap: Heap::lazy(heap_words),
            stack: Vec::new(),
            dict: Dictionary::default(),
            mailbox: VecDeque::new(),
            recv_pos: 0,
            reductions: 0,
            catches: 0,
            heap_messages: 0,
            aliases: None,
            resume_ip: 0,
            resume_cp: 0,
            saved_x: Vec::new(),
            force_yield: false,
            timer: None,
            timeout_fired: false,
            in_receive: false,
            links: Vec::new(),
            monitors: Vec::new(),
            monitored_by: Vec::new(),
            trap_exit: false,
            group_leader: Term::NIL,
            initial_call: (atom::atom("erlang"), atom::atom("apply"), 2),
            is_main: false,
            ref_marks: RefMarks::default(),
        }
    }

    /// Make a reference on this process's heap and remember where the
    /// mailbox ends now (see `RefMarks`).
    pub fn fresh_ref(&mut self, id: u64, creator: u64) -> Term {
        let key = mark_key(id, creator, self.id);
        self.ref_marks.note(key, self.mailbox.len());
        self.heap.make_ref(id, creator)
    }

    /// Bytes this process holds: its structure, heap blocks, stack and
    /// queued messages (process_info memory, erlang:memory(processes)).
    pub fn memory_bytes(&self) -> usize {
        // Queued messages at a typical size: summing them would make this
        // O(queue length), and it runs after every time slice.
        let messages = self.mailbox.len() * 64;
        std::mem::size_of::<Process>()
            + 8 * (self.heap.reserved_words() + self.stack.capacity() + self.saved_x.capacity())
            + self.dict.entries.capacity() * 16
            + messages
    }

    /// The mailbox position where reference `r` was made, if recent.
    pub fn ref_mark(&self, r: Term) -> Option<usize> {
        let (id, creator) = crate::heap::ref_id(r)?;
        self.ref_marks.find(mark_key(id, creator, self.id))
    }

    pub fn pid(&self) -> Term {
        Term::pid(self.id)
    }

    pub fn is_linked(&self, pid: Term) -> bool {
        self.links.contains(&pid)
    }

    pub fn add_link(&mut self, pid: Term) {
        if !self.links.contains(&pid) {
            self.links.push(pid);
        }
    }

    pub fn remove_link(&mut self, pid: Term) -> bool {
        match self.links.iter().position(|l| *l == pid) {
            Some(i) => {
                self.links.swap_remove(i);
                true
            }
            None => false,
        }
    }
}
