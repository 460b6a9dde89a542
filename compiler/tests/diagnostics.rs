//! Snapshot tests of diagnostics for malformed sources: each must point at
//! the right line and column, with OTP's wording.

use compiler::diag::render;
use compiler::pp::{Options, Resolver};
use compiler::source::{SourceFile, SourceMap};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files held in memory, so these tests touch no disk.
struct MemResolver(HashMap<PathBuf, String>);

impl Resolver for MemResolver {
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        self.0.get(path).map(|s| s.as_bytes().to_vec())
    }
}

fn check_with(src: &str, headers: &[(&str, &str)]) -> String {
    let resolver = MemResolver(
        headers
            .iter()
            .map(|(n, t)| (PathBuf::from(n), t.to_string()))
            .collect(),
    );
    let mut sources = SourceMap::new();
    let main = sources.add(SourceFile::new("t.erl", src));
    let parsed = compiler::parse_file(&mut sources, main, &resolver, &Options::default());
    let mut out = String::new();
    for d in &parsed.diagnostics {
        out.push_str(&d.short(&sources));
        out.push('\n');
        out.push_str(&render(d, &sources, false));
    }
    out
}

fn check(src: &str) -> String {
    check_with(src, &[])
}

#[test]
fn unterminated_string() {
    insta::assert_snapshot!(check("-module(t).\nf() ->\n    \"abc.\n"));
}

#[test]
fn missing_end() {
    insta::assert_snapshot!(check(
        "-module(t).\nf(X) ->\n    case X of\n        1 -> one\n    .\ng() -> ok.\n"
    ));
}

#[test]
fn stray_token() {
    insta::assert_snapshot!(check("-module(t).\nf() -> ok ok.\n"));
}

#[test]
fn incomplete_expression() {
    insta::assert_snapshot!(check("-module(t).\nf() ->\n    X = 1 +.\n"));
}

#[test]
fn unknown_macro() {
    insta::assert_snapshot!(check("-module(t).\nf() -> ?NOPE + 1.\n"));
}

#[test]
fn unterminated_ifdef() {
    insta::assert_snapshot!(check("-module(t).\n-ifdef(DEBUG).\nf() -> ok.\n"));
}

#[test]
fn missing_include() {
    insta::assert_snapshot!(check("-module(t).\n-include(\"nothere.hrl\").\n"));
}

#[test]
fn errors_in_a_header_point_into_it() {
    insta::assert_snapshot!(check_with(
        "-module(t).\n-include(\"h.hrl\").\nf() -> ?X.\n",
        &[("h.hrl", "-define(X, 1).\n-define(X, 2).\n")]
    ));
}

#[test]
fn one_broken_function_does_not_hide_the_next() {
    insta::assert_snapshot!(check("-module(t).\nf() -> (.\ng() -> ok.\nh() -> ].\n"));
}

#[test]
fn illegal_character_and_bad_escape() {
    insta::assert_snapshot!(check("-module(t).\nf() -> \"\\x{110000}\".\ng() -> a ☃ b.\n"));
}

#[test]
fn head_mismatch() {
    insta::assert_snapshot!(check("-module(t).\nf(1) -> a;\ng(2) -> b.\n"));
}

#[test]
fn user_error_directive() {
    insta::assert_snapshot!(check(
        "-module(t).\n-error(\"not supported\").\n-warning({careful, 1}).\n"
    ));
}

#[test]
fn circular_macro() {
    insta::assert_snapshot!(check(
        "-module(t).\n-define(A, ?B).\n-define(B, ?A).\nf() -> ?A.\n"
    ));
}
