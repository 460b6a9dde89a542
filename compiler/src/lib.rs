//! Beryl's compiler: Erlang source text to bytecode.
//!
//! The pipeline is lexer → preprocessor → parser → (later phases). The crate
//! does no file or network I/O: `-include` goes through a resolver the caller
//! supplies, so the same code serves the command line, the REPL and embedders.

pub mod ast;
pub mod diag;
pub mod lexer;
pub mod parser;
pub mod pretty;
pub mod source;
pub mod token;
