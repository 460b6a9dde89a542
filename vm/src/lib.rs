//! Beryl's runtime: an embeddable Erlang virtual machine.
//!
//! See `ARCHITECTURE.md` at the repository root for the map of the code and
//! its invariants.

pub mod atom;
pub mod bif;
pub mod binary;
pub mod bits;
pub mod block;
pub mod code;
pub mod copy;
pub mod errfmt;
pub mod etf;
pub mod ets;
pub mod filemap;
pub mod fun;
pub mod gc;
pub mod heap;
pub mod hugepage;
pub mod interp;
pub mod iopool;
pub mod iov;
pub mod jit;
pub mod map;
pub mod offheap;
pub mod order;
pub mod pretty;
pub mod print;
pub mod process;
pub mod sched;
pub mod signal;
pub mod term;
pub mod vm;

pub use term::Term;
pub use vm::{Config, Vm};
