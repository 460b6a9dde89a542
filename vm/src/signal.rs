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

struct Node {
    next: *mut Node,
    signal: Signal,
}

impl Node {
    /// A node from mimalloc: made on the sender's thread, freed on the
    /// receiver's (see `block.rs` for why not the system allocator).
    fn alloc(signal: Signal) -> *mut Node {
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

    /// Take a node's contents and free it.
    ///
    /// # Safety
    /// `p` came from `Node::alloc` and is owned by the caller; it is not
    /// used again.
    unsafe fn take(p: *mut Node) -> Node {
        // SAFETY: the caller owns an initialised node.
        let n = unsafe { p.read() };
        // SAFETY: allocated by mi_malloc; its contents were moved out.
        unsafe { libmimalloc_sys::mi_free(p as *mut std::ffi::c_void) };
        n
    }
}

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
        let node = Node::alloc(signal);
        let mut head = self.head.load(Ordering::Acquire);
        loop {
            if head == closed() {
                // SAFETY: `node` came from Node::alloc above and was never
                // shared.
                let b = unsafe { Node::take(node) };
                return Err(b.signal);
            }
            // SAFETY: the node is still ours until the exchange succeeds.
            unsafe { (*node).next = head };
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
            // Node::alloc in push.
            unsafe {
                let next = (*head).next;
                (*head).next = prev;
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
        let b = unsafe { Node::take(self.next) };
        self.next = b.next;
        Some(b.signal)
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
