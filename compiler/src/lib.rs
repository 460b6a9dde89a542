//! Beryl's compiler: Erlang source text to bytecode.
//!
//! The pipeline is lexer → preprocessor → parser → (later phases). The crate
//! does no file or network I/O: `-include` goes through a resolver the caller
//! supplies, so the same code serves the command line, the REPL and embedders.

pub mod abstract_format;
pub mod ast;
pub mod bifs;
pub mod diag;
pub mod lexer;
pub mod parser;
pub mod pp;
pub mod pretty;
pub mod source;
pub mod token;

use diag::Diagnostic;
use source::{FileId, SourceMap};

/// A file preprocessed and parsed, as `epp:parse_file/2` gives it: the forms
/// that parsed, and every diagnostic in source order.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub forms: Vec<ast::Form>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedFile {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Preprocess and parse the file `main` (already in `sources`).
pub fn parse_file(
    sources: &mut SourceMap,
    main: FileId,
    resolver: &dyn pp::Resolver,
    opts: &pp::Options,
) -> ParsedFile {
    let items = pp::Preprocessor::new(sources, main, resolver, opts).run();
    let mut out = ParsedFile::default();
    for item in items {
        match item {
            pp::Item::Form(toks) => match parser::parse_form(&toks) {
                Ok(f) => out.forms.push(f),
                Err(d) => out.diagnostics.push(d),
            },
            pp::Item::Error(d) | pp::Item::Warning(d) => out.diagnostics.push(d),
        }
    }
    out
}
