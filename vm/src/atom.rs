//! The global atom table. Reading an atom's name takes no lock: names live
//! in fixed chunks that are never moved or freed, published with atomics.
//! Interning a new atom takes a mutex. Running out of atoms is
//! `system_limit`, never an abort.

use crate::term::Term;
use std::collections::HashMap;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The largest number of atoms (BEAM's default).
pub const MAX_ATOMS: usize = 1 << 20;
const CHUNK: usize = 1 << 12;

struct Table {
    /// Chunk i holds atoms i*CHUNK .. (i+1)*CHUNK; each slot a leaked name.
    chunks: Box<[AtomicPtr<[AtomicPtr<String>; CHUNK]>]>,
    count: AtomicUsize,
    index: Mutex<HashMap<&'static str, u32>>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let chunks: Vec<AtomicPtr<[AtomicPtr<String>; CHUNK]>> = (0..MAX_ATOMS / CHUNK)
            .map(|_| AtomicPtr::new(std::ptr::null_mut()))
            .collect();
        let t = Table {
            chunks: chunks.into_boxed_slice(),
            count: AtomicUsize::new(0),
            index: Mutex::new(HashMap::new()),
        };
        {
            let mut idx = t.index.lock().expect("atom index");
            for name in PREDEFINED {
                insert_locked(&t, &mut idx, name).expect("predefined atoms fit");
            }
        }
        t
    })
}

fn insert_locked(t: &Table, idx: &mut HashMap<&'static str, u32>, name: &str) -> Option<u32> {
    if let Some(i) = idx.get(name) {
        return Some(*i);
    }
    let n = t.count.load(Ordering::Relaxed);
    if n >= MAX_ATOMS {
        return None;
    }
    let (c, slot) = (n / CHUNK, n % CHUNK);
    let mut chunk = t.chunks[c].load(Ordering::Acquire);
    if chunk.is_null() {
        let fresh: Box<[AtomicPtr<String>; CHUNK]> =
            Box::new(std::array::from_fn(|_| AtomicPtr::new(std::ptr::null_mut())));
        chunk = Box::into_raw(fresh);
        t.chunks[c].store(chunk, Ordering::Release);
    }
    let leaked: *mut String = Box::into_raw(Box::new(name.to_string()));
    // SAFETY: the string is leaked: never freed or mutated.
    let name_ref: &'static str = unsafe { (*leaked).as_str() };
    // SAFETY: the chunk was allocated above or earlier and is never freed.
    unsafe { (*chunk)[slot].store(leaked, Ordering::Release) };
    t.count.store(n + 1, Ordering::Release);
    idx.insert(name_ref, n as u32);
    Some(n as u32)
}

/// Slots of the per-thread cache of recently interned atoms.
const CACHE_SLOTS: usize = 256;

thread_local! {
    /// Atom index + 1 (0: empty), by a hash of the name: a name decoded or
    /// converted again (binary_to_term, list_to_atom) is found without the
    /// table's lock and its SipHash. A slot is only a hint, checked
    /// against the atom's name, so collisions cost a miss and nothing else.
    static RECENT: [std::cell::Cell<u32>; CACHE_SLOTS] =
        const { [const { std::cell::Cell::new(0) }; CACHE_SLOTS] };
}

/// FNV-1a of the name, to pick a cache slot.
fn slot_of(name: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h = (h ^ b as u32).wrapping_mul(0x0100_0193);
    }
    (h as usize) % CACHE_SLOTS
}

fn cached(name: &str, slot: usize) -> Option<Term> {
    let v = RECENT.with(|r| r[slot].get());
    (v != 0 && name_of(v - 1) == name).then(|| Term::atom(v - 1))
}

fn remember(slot: usize, a: Term) {
    RECENT.with(|r| r[slot].set(a.atom_index() + 1));
}

/// Intern an atom. `None` when the table is full (system_limit).
pub fn intern(name: &str) -> Option<Term> {
    let slot = slot_of(name);
    if let Some(a) = cached(name, slot) {
        return Some(a);
    }
    let t = table();
    let a = {
        let mut idx = t.index.lock().expect("atom index");
        insert_locked(t, &mut idx, name).map(Term::atom)?
    };
    remember(slot, a);
    Some(a)
}

/// Intern an atom that must exist (names used by the VM itself).
pub fn atom(name: &str) -> Term {
    intern(name).expect("atom table full while interning a VM atom")
}

/// Look up an existing atom without creating it.
pub fn existing(name: &str) -> Option<Term> {
    let slot = slot_of(name);
    if let Some(a) = cached(name, slot) {
        return Some(a);
    }
    let t = table();
    let a = {
        let idx = t.index.lock().expect("atom index");
        idx.get(name).map(|i| Term::atom(*i))?
    };
    remember(slot, a);
    Some(a)
}

/// The name of an atom.
pub fn name(a: Term) -> &'static str {
    name_of(a.atom_index())
}

pub fn name_of(index: u32) -> &'static str {
    let t = table();
    let i = index as usize;
    let chunk = t.chunks[i / CHUNK].load(Ordering::Acquire);
    assert!(!chunk.is_null(), "atom index out of range");
    // SAFETY: the chunk is never freed; the slot is published before the
    // atom's index is handed out.
    let p = unsafe { (*chunk)[i % CHUNK].load(Ordering::Acquire) };
    assert!(!p.is_null(), "atom index out of range");
    // SAFETY: names are leaked and never freed or mutated.
    unsafe { (*p).as_str() }
}

/// Bytes the atom names take (an estimate of the table's size).
pub fn bytes() -> usize {
    let t = table();
    let n = t.count.load(Ordering::Relaxed);
    (0..n).map(|i| name(Term::atom(i as u32)).len() + 24).sum()
}

pub fn count() -> usize {
    table().count.load(Ordering::Acquire)
}

macro_rules! predefined {
    ( $( $c:ident = $s:literal ),* $(,)? ) => {
        const PREDEFINED: &[&str] = &[ $( $s ),* ];
        predefined!(@consts 0u32; $( $c ),*);
    };
    (@consts $n:expr; $c:ident $(, $rest:ident)*) => {
        pub const $c: Term = Term::atom($n);
        predefined!(@consts $n + 1; $( $rest ),*);
    };
    (@consts $n:expr;) => {};
}

predefined! {
    FALSE = "false", TRUE = "true", OK = "ok", ERROR = "error", EXIT = "exit",
    THROW = "throw", UNDEFINED = "undefined", BADARG = "badarg", BADARITH = "badarith",
    BADMATCH = "badmatch", CASE_CLAUSE = "case_clause", IF_CLAUSE = "if_clause",
    TRY_CLAUSE = "try_clause", FUNCTION_CLAUSE = "function_clause", UNDEF = "undef",
    BADFUN = "badfun", BADARITY = "badarity", BADKEY = "badkey", BADMAP = "badmap",
    BADRECORD = "badrecord", SYSTEM_LIMIT = "system_limit", ERLANG = "erlang",
    EXIT_UPPER = "EXIT", NORMAL = "normal", KILL = "kill", KILLED = "killed",
    INFINITY = "infinity", NIL_ATOM = "nil", FILE = "file", LINE = "line",
    NOCATCH = "nocatch", BAD_GENERATOR = "bad_generator", BAD_FILTER = "bad_filter",
    ELSE_CLAUSE = "else_clause", MODULE = "module", EXPORTS = "exports",
    ATTRIBUTES = "attributes", COMPILE = "compile", MD5 = "md5", FUNCTIONS = "functions",
    ARITY = "arity", NAME = "name", ENV = "env", TYPE = "type", LOCAL = "local",
    EXTERNAL = "external", INDEX = "index", NEW_INDEX = "new_index", NEW_UNIQ = "new_uniq",
    UNIQ = "uniq", PID = "pid", NONODE = "nonode@nohost", DOWN = "DOWN", PROCESS = "process",
    NOPROC = "noproc", NOCONNECTION = "noconnection", TIMEOUT = "timeout", APPLY = "apply",
    STACKTRACE = "stacktrace", ERROR_INFO = "error_info",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predefined_atoms_have_fixed_indices() {
        assert_eq!(name(TRUE), "true");
        assert_eq!(atom("true"), TRUE);
        assert_eq!(name(STACKTRACE), "stacktrace");
    }

    #[test]
    fn interning_is_idempotent() {
        let a = atom("some_new_atom_for_test");
        assert_eq!(a, atom("some_new_atom_for_test"));
        assert_eq!(name(a), "some_new_atom_for_test");
        assert_eq!(existing("never_interned_zzz"), None);
    }
}
