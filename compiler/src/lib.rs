//! Beryl's compiler: Erlang source text to bytecode.
//!
//! The pipeline is lexer → preprocessor → parser → (later phases). The crate
//! does no file or network I/O: `-include` goes through a resolver the caller
//! supplies, so the same code serves the command line, the REPL and embedders.

pub mod abstract_format;
pub mod ast;
pub mod bifs;
pub mod bsm;
pub mod bytecode;
pub mod codegen;
pub mod core;
pub mod diag;
pub mod image;
pub mod kernel;
pub mod lexer;
pub mod lower;
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

/// Compile the module in `main` (already in `sources`) to bytecode.
/// On success, the module and the warnings; on failure, every diagnostic.
pub fn compile(
    sources: &mut SourceMap,
    main: FileId,
    resolver: &dyn pp::Resolver,
    opts: &pp::Options,
) -> Result<(bytecode::Module, Vec<Diagnostic>), Vec<Diagnostic>> {
    let parsed = parse_file(sources, main, resolver, opts);
    let mut diags = parsed.diagnostics;
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let file = sources.get(main).name.clone();
    let (core, lower_diags) = lower::lower_module(sources, &parsed.forms, &file);
    diags.extend(lower_diags);
    // OTP lists errors before warnings, each in source order.
    diags.sort_by_key(|d| (!d.is_error(), d.span.file, d.span.lo));
    let Some(core) = core else { return Err(diags) };
    let kernel = kernel::kernel_module(&core, Some(sources));
    Ok((codegen::codegen(&kernel), diags))
}
