//! Lexer, preprocessor and parser on arbitrary input: nothing may panic.
//! Includes resolve against a tiny in-memory file set so that include paths
//! are exercised too.
#![no_main]

use compiler::pp::{Options, Resolver};
use compiler::source::{decode_source, SourceFile, SourceMap};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

struct Headers;

impl Resolver for Headers {
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        match path.file_name()?.to_str()? {
            "a.hrl" => Some(b"-define(A, 1).\n-define(F(X), {X, ??X}).\n".to_vec()),
            "self.hrl" => Some(b"-include(\"self.hrl\").\n".to_vec()),
            _ => None,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = decode_source(data);
    let mut sources = SourceMap::new();
    let main = sources.add(SourceFile::new("fuzz.erl", text));
    let parsed = compiler::parse_file(&mut sources, main, &Headers, &Options::default());
    for d in &parsed.diagnostics {
        // Rendering must not panic either (spans must be in range).
        let _ = compiler::diag::render(d, &sources, false);
    }
});
