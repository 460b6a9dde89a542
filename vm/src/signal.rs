//! Signals between processes, and the lock-free inbox that carries them.
//!
//! Everything one process tells another — a message, an exit signal, a
//! link, a monitor — is a [`Signal`] pushed onto the receiver's [`Inbox`].
//! Senders push with one compare-and-swap; the receiver takes the whole
//! inbox at once and handles the signals in the order they were sent (so
//! signals between a pair of processes keep their order, as in OTP).
//! When a process exits its inbox is closed: a push then fails and hands
//! the signal back, so the sender answers for the dead process (a link
//! gets `noproc`, a monitor an immediate `'DOWN'`) and nothing is lost.

use crate::heap::Heap;
use crate::process::Message;
use crate::term::Term;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// A term copied out of its sender's heap into a block of its own, owned
/// by the signal (immediates need none).
pub struct Payload {
    pub term: Term,
    pub heap: Option<crate::block::Block>,
}

impl Payload {
    pub fn copy_of(t: Term) -> Payload {
        if t.is_immediate() {
            return Payload { term: t, heap: None };
        }
        let (term, block) = Heap::fragment_of(t);
        Payload {
            term,
            heap: Some(block),
        }
    }

    /// A term built for the purpose (a 'DOWN' or 'EXIT' message, a reply):
    /// made in a scratch heap, then copied into its own fragment.
    pub fn compose(build: impl FnOnce(&mut Heap) -> Term) -> Payload {
        let mut scratch = Heap::new(64);
        let t = build(&mut scratch);
        Payload::copy_of(t)
    }

    pub fn into_message(mut self) -> Message {
        Message {
            term: self.term,
            heap: self.heap.take(),
        }
    }
}

impl Drop for Payload {
    /// A payload never delivered gives back its off-heap binaries.
    fn drop(&mut self) {
        if let Some(b) = self.heap.take() {
            crate::offheap::release_block(&b);
        }
    }
}

/// Why an exit signal was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// A linked process exited.
    Link,
    /// `exit(Pid, Reason)`.
    Exit2,
}

pub enum Signal {
    Message(Message),
    /// A message sent to alias `reference` of the receiver: delivered only
    /// while the alias is active.
    AliasMessage {
        reference: u64,
        msg: Message,
    },
    Exit {
        from: Term,
        reason: Payload,
        kind: ExitKind,
    },
    Link {
        from: Term,
    },
    Unlink {
        from: Term,
    },
    /// `from` monitors the receiver; `name` is set when it monitored a
    /// registered name.
    Monitor {
        from: Term,
        reference: u64,
        name: Option<Term>,
    },
    Demonitor {
        reference: u64,
    },
    /// A monitored process ended: `msg` is the `'DOWN'` message, queued
    /// only if the receiver still has monitor `reference` (after
    /// `demonitor` no `'DOWN'` of it may appear, as on OTP).
    Down {
        reference: u64,
        msg: Message,
    },
    /// A receive timeout set by the receiver fired.
    Timeout {
        token: u64,
    },
    /// Run again: sent to itself by a process that yields in a BIF.
    Wake,
    /// process_info asked by `from`: answer `{Ref, Info}` (items: None for
    /// all, an atom or a list of atoms).
    Info {
        from: Term,
        reference: u64,
        items: Option<Payload>,
    },
}

/// A link in an inbox's chain: the address of a `Node`, or of a
/// `MessageNode` with the low bit set (both are 8-byte aligned and start
/// with their link to the next).
type Link = *mut Node;

/// The kind bit of a link: set for a `MessageNode`.
const MESSAGE_NODE: usize = 1;

#[repr(C)]
struct Node {
    next: Link,
    signal: Signal,
}

/// A message's node, kept at the end of the block holding the message
/// (`Node::message`): one allocation for both, of the message's words and
/// three more. The receiver reads one allocation rather than two scattered
/// ones, and there is one allocation and one free fewer per message (in
/// `big`, walking a freshly taken inbox was a sixth of the time, a cache
/// miss a node). The block is rebuilt from the node's address and `words`.
#[repr(C)]
struct MessageNode {
    next: Link,
    words: usize,
    term: Term,
}

impl Node {
    /// A node from mimalloc: made on the sender's thread, freed on the
    /// receiver's (see `block.rs` for why not the system allocator).
    fn alloc(signal: Signal) -> Link {
        const { assert!(std::mem::align_of::<Node>() <= 16) };
        crate::block::configure();
        // SAFETY: a non-zero size; mimalloc aligns blocks to 16 bytes,
        // enough for a Node (checked above).
        let p = unsafe { libmimalloc_sys::mi_malloc(std::mem::size_of::<Node>()) } as *mut Node;
        if p.is_null() {
            std::alloc::handle_alloc_error(std::alloc::Layout::new::<Node>());
        }
        // SAFETY: fresh, suitably sized and aligned memory.
        unsafe {
            p.write(Node {
                next: ptr::null_mut(),
                signal,
            })
        };
        p
    }

    /// The link of a message for `t`: a boxed term is copied into a block
    /// followed by its `MessageNode`.
    fn message(t: Term) -> Link {
        if t.is_immediate() {
            return Node::alloc(Signal::Message(Message { term: t, heap: None }));
        }
        const { assert!(std::mem::align_of::<MessageNode>() == 8) };
        let (term, block, tail) = crate::copy::copy_to_block_with_tail(t, std::mem::size_of::<MessageNode>());
        let words = block.len();
        // The node owns the block from here on (`take` rebuilds it).
        std::mem::forget(block);
        let p = tail as *mut MessageNode;
        // SAFETY: `tail` is 8-byte aligned (it follows whole words of a
        // 16-byte aligned allocation) with room for a MessageNode.
        unsafe {
            p.write(MessageNode {
                next: ptr::null_mut(),
                words,
                term,
            })
        };
        (p as usize | MESSAGE_NODE) as Link
    }

    /// The link after `link`.
    ///
    /// # Safety
    /// `link` is a live node's link.
    unsafe fn next_of(link: Link) -> Link {
        // SAFETY: both node kinds start with their link (repr(C)).
        unsafe { *(untag(link) as *const Link) }
    }

    /// # Safety
    /// `link` is a live node's link, owned by the caller.
    unsafe fn set_next(link: Link, next: Link) {
        // SAFETY: as in next_of.
        unsafe { *(untag(link) as *mut Link) = next };
    }

    /// Take a node's signal and free the node (a message node goes with
    /// its block, which the signal now owns).
    ///
    /// # Safety
    /// `link` came from `Node::alloc` or `Node::message` and is owned by
    /// the caller; it is not used again.
    unsafe fn take(link: Link) -> Signal {
        if link as usize & MESSAGE_NODE != 0 {
            let m = untag(link) as *mut MessageNode;
            // SAFETY: a MessageNode written by Node::message, right after
            // the `words` words of its block (one mimalloc allocation).
            unsafe {
                let MessageNode { words, term, .. } = m.read();
                let block = crate::block::Block::from_raw_parts((m as *mut u64).sub(words), words);
                return Signal::Message(Message {
                    term,
                    heap: Some(block),
                });
            }
        }
        // SAFETY: the caller owns an initialised node.
        let n = unsafe { link.read() };
        // SAFETY: allocated by mi_malloc; its contents were moved out.
        unsafe { libmimalloc_sys::mi_free(link as *mut std::ffi::c_void) };
        n.signal
    }
}

fn untag(link: Link) -> *mut u8 {
    (link as usize & !MESSAGE_NODE) as *mut u8
}

/// A message copied out of its sender's heap with its inbox node, ready
/// to push (made before the receiver is looked up, so that the lookup and
/// the push touch the receiver's line back to back).
pub struct OutgoingMessage(Link);

impl OutgoingMessage {
    pub fn new(t: Term) -> OutgoingMessage {
        OutgoingMessage(Node::message(t))
    }
}

impl Drop for OutgoingMessage {
    /// Never sent (no such process): give back what the message holds.
    fn drop(&mut self) {
        // SAFETY: the link is ours and never pushed.
        drop(unsafe { Node::take(self.0) });
    }
}

// SAFETY: it owns its node and block like a Signal does.
unsafe impl Send for OutgoingMessage {}

/// The sentinel of a closed inbox.
fn closed() -> *mut Node {
    // A dangling, never dereferenced, well-aligned address.
    ptr::NonNull::<Node>::dangling().as_ptr()
}

/// A multi-producer, single-consumer stack of signals (a Treiber stack
/// whose consumer always takes everything, so there is no ABA problem).
pub struct Inbox {
    head: AtomicPtr<Node>,
}

impl Default for Inbox {
    fn default() -> Inbox {
        Inbox {
            head: AtomicPtr::new(ptr::null_mut()),
        }
    }
}

impl Inbox {
    /// Push a signal; on a closed inbox, give it back.
    pub fn push(&self, signal: Signal) -> Result<(), Signal> {
        self.push_node(Node::alloc(signal))
    }

    /// Push a message made by `OutgoingMessage::new`; on a closed inbox,
    /// the signal comes back.
    pub fn push_message(&self, m: OutgoingMessage) -> Result<(), Signal> {
        let link = m.0;
        std::mem::forget(m);
        self.push_node(link)
    }

    fn push_node(&self, node: Link) -> Result<(), Signal> {
        let mut head = self.head.load(Ordering::Acquire);
        loop {
            if head == closed() {
                // SAFETY: `node` came from Node::alloc or Node::message and
                // was never shared.
                return Err(unsafe { Node::take(node) });
            }
            // SAFETY: the node is still ours until the exchange succeeds.
            unsafe { Node::set_next(node, head) };
            match self
                .head
                .compare_exchange_weak(head, node, Ordering::SeqCst, Ordering::Acquire)
            {
                Ok(_) => return Ok(()),
                Err(h) => head = h,
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        let h = self.head.load(Ordering::SeqCst);
        h.is_null() || h == closed()
    }

    /// Take every signal, oldest first. Only the owner calls this.
    pub fn take_all(&self) -> Signals {
        let head = self.head.swap(ptr::null_mut(), Ordering::SeqCst);
        if head == closed() {
            self.head.store(closed(), Ordering::SeqCst);
            return Signals {
                next: ptr::null_mut(),
            };
        }
        Signals::reversed(head)
    }

    /// Close the inbox (the process is exiting) and return what was in it.
    pub fn close(&self) -> Signals {
        let head = self.head.swap(closed(), Ordering::SeqCst);
        if head == closed() {
            return Signals {
                next: ptr::null_mut(),
            };
        }
        Signals::reversed(head)
    }
}

/// Signals taken from an inbox, oldest first (the chain reversed in place:
/// no allocation).
pub struct Signals {
    next: *mut Node,
}

impl Signals {
    fn reversed(mut head: *mut Node) -> Signals {
        let mut prev = ptr::null_mut();
        while !head.is_null() {
            // SAFETY: the detached chain is ours; every node came from
            // Node::alloc or Node::message through push_node.
            unsafe {
                let next = Node::next_of(head);
                Node::set_next(head, prev);
                prev = head;
                head = next;
            }
        }
        Signals { next: prev }
    }
}

impl Iterator for Signals {
    type Item = Signal;

    fn next(&mut self) -> Option<Signal> {
        if self.next.is_null() {
            return None;
        }
        // SAFETY: as in `reversed`: we own the chain; each node is taken
        // once.
        let link = self.next;
        // SAFETY: read before the node is taken (and maybe freed).
        self.next = unsafe { Node::next_of(link) };
        // SAFETY: the link is ours, taken once.
        Some(unsafe { Node::take(link) })
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for _ in self.by_ref() {}
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        let head = *self.head.get_mut();
        if head != closed() {
            drop(Signals::reversed(head));
        }
    }
}

// The inbox hands signals from one thread to another: they must be Send
// (their terms live in heaps the signals own).
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Signal>();
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn token(s: &Signal) -> u64 {
        match s {
            Signal::Timeout { token } => *token,
            _ => panic!("not a timeout"),
        }
    }

    #[test]
    fn keeps_order_and_closes() {
        let inbox = Inbox::default();
        for i in 0..5 {
            assert!(inbox.push(Signal::Timeout { token: i }).is_ok());
        }
        let got: Vec<u64> = inbox.take_all().map(|s| token(&s)).collect();
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
        assert!(inbox.is_empty());
        inbox.push(Signal::Timeout { token: 9 }).ok();
        let rest = inbox.close();
        assert_eq!(rest.count(), 1);
        assert!(inbox.push(Signal::Timeout { token: 10 }).is_err());
        assert_eq!(inbox.take_all().count(), 0);
    }

    /// Messages in their blocks' nodes and ordinary signals share one
    /// chain: order kept, terms intact, a closed inbox hands the message
    /// back, and an unsent message is freed (the block's length, rebuilt
    /// from the node, must be the message's size).
    #[test]
    fn message_nodes_mix_with_signals() {
        let mut h = Heap::new(64);
        let inbox = Inbox::default();
        let mut want = Vec::new();
        for i in 0..50i64 {
            if i % 5 == 0 {
                inbox.push(Signal::Timeout { token: i as u64 }).ok();
            } else {
                let l = h.list(&[Term::small(i), Term::small(i + 1)]);
                let t = h.tuple(&[Term::small(i), l]);
                want.push(t);
                inbox
                    .push_message(OutgoingMessage::new(if i % 7 == 0 { Term::small(i) } else { t }))
                    .ok();
            }
        }
        let mut got_timeouts = 0;
        let mut k = 0;
        for (i, s) in (0..50i64).zip(inbox.take_all()) {
            match s {
                Signal::Timeout { token } => {
                    assert_eq!(token, i as u64);
                    got_timeouts += 1;
                }
                Signal::Message(m) => {
                    if i % 7 == 0 {
                        assert_eq!(m.term, Term::small(i));
                        assert!(m.heap.is_none());
                    } else {
                        assert_eq!(
                            crate::order::compare(m.term, want[k], true),
                            std::cmp::Ordering::Equal
                        );
                        let b = m.heap.as_ref().expect("a block");
                        assert_eq!(b.len(), crate::copy::size_of(want[k]));
                    }
                    k += 1;
                }
                _ => panic!("unexpected signal"),
            }
        }
        assert_eq!((got_timeouts, k), (10, 40));
        let t = h.tuple(&[Term::small(1), Term::small(2)]);
        drop(OutgoingMessage::new(t));
        drop(inbox.close());
        match inbox.push_message(OutgoingMessage::new(t)) {
            Err(Signal::Message(m)) => {
                assert_eq!(crate::order::compare(m.term, t, true), std::cmp::Ordering::Equal)
            }
            _ => panic!("a closed inbox hands the message back"),
        }
    }

    #[test]
    fn many_senders_lose_nothing() {
        let inbox = Arc::new(Inbox::default());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let inbox = inbox.clone();
                std::thread::spawn(move || {
                    for i in 0..10_000u64 {
                        inbox
                            .push(Signal::Timeout {
                                token: t * 100_000 + i,
                            })
                            .ok();
                    }
                })
            })
            .collect();
        let mut seen = Vec::new();
        while seen.len() < 40_000 {
            seen.extend(inbox.take_all().map(|s| token(&s)));
        }
        for t in threads {
            t.join().unwrap();
        }
        // Per sender, in order.
        for t in 0..4u64 {
            let mine: Vec<u64> = seen.iter().copied().filter(|v| v / 100_000 == t).collect();
            assert_eq!(mine.len(), 10_000);
            assert!(mine.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
