//! The external term format (ETF), as OTP 25 writes and reads it.
//!
//! `encode` turns a term into bytes (`Vec<u8>`, starting with the version
//! byte 131); `decode` reads bytes back into a process heap. Neither needs
//! a process: distribution reuses both (`Env` carries the node name and the
//! code server that closures are looked up in).
//!
//! Both walk terms with an explicit work stack, never by recursion, so a
//! deeply nested term cannot overflow the native stack. The decoder checks
//! every length a header claims against the bytes that are left before it
//! allocates, so a short input cannot make it allocate much: every pending
//! element must still have at least one byte of input.
//!
//! Compression is zlib (RFC 1950) through `miniz_oxide`, a pure-Rust
//! inflate/deflate: no C toolchain or system zlib is needed to build the
//! VM, which keeps it embeddable. Its deflate output is valid zlib that OTP
//! reads, but it is not always the same bytes as OTP's zlib produces for
//! the same level; uncompressed encodings are byte-identical to OTP's.

pub mod decode;
pub mod encode;

use crate::code::CodeServer;
use crate::term::Term;

pub use decode::{decode, DecodeOpts};
pub use encode::{encode, EncodeOpts};

pub const VERSION: u8 = 131;

pub const NEW_FLOAT_EXT: u8 = 70;
pub const BIT_BINARY_EXT: u8 = 77;
pub const COMPRESSED: u8 = 80;
pub const NEW_PID_EXT: u8 = 88;
pub const NEW_PORT_EXT: u8 = 89;
pub const NEWER_REFERENCE_EXT: u8 = 90;
pub const SMALL_INTEGER_EXT: u8 = 97;
pub const INTEGER_EXT: u8 = 98;
pub const FLOAT_EXT: u8 = 99;
pub const ATOM_EXT: u8 = 100;
pub const REFERENCE_EXT: u8 = 101;
pub const PORT_EXT: u8 = 102;
pub const PID_EXT: u8 = 103;
pub const SMALL_TUPLE_EXT: u8 = 104;
pub const LARGE_TUPLE_EXT: u8 = 105;
pub const NIL_EXT: u8 = 106;
pub const STRING_EXT: u8 = 107;
pub const LIST_EXT: u8 = 108;
pub const BINARY_EXT: u8 = 109;
pub const SMALL_BIG_EXT: u8 = 110;
pub const LARGE_BIG_EXT: u8 = 111;
pub const NEW_FUN_EXT: u8 = 112;
pub const EXPORT_EXT: u8 = 113;
pub const NEW_REFERENCE_EXT: u8 = 114;
pub const SMALL_ATOM_EXT: u8 = 115;
pub const MAP_EXT: u8 = 116;
pub const ATOM_UTF8_EXT: u8 = 118;
pub const SMALL_ATOM_UTF8_EXT: u8 = 119;
pub const V4_PORT_EXT: u8 = 120;

/// What the codec needs to know about the node it runs on.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// This node's name (`nonode@nohost` when not distributed).
    pub node: Term,
    /// This node's creation (0 when not distributed).
    pub creation: u32,
    /// Where closures are looked up when decoding `NEW_FUN_EXT`.
    pub code: Option<&'a CodeServer>,
}

/// Malformed input, a missing atom under `safe`, or a term that cannot be
/// represented: all of them `badarg` to Erlang code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

#[cfg(test)]
mod tests;
