//! Lint conformance: for every `tests/lint/NAME.erl`, the compile errors and
//! warnings Beryl reports must equal OTP's, in order, with the same line,
//! column and message. `NAME.lint` holds OTP's verdict, made by
//! `tools/otp-lint` (`compiler/tests/lint/bless`); CI regenerates it.

use compiler::diag::Severity;
use compiler::pp::{FsResolver, Options};
use compiler::source::{decode_source, SourceFile, SourceMap};
use std::path::PathBuf;

fn beryl_lint(path: &PathBuf) -> String {
    let text = decode_source(&std::fs::read(path).expect("read lint test"));
    let mut sources = SourceMap::new();
    let main = sources.add(SourceFile::new(path.display().to_string(), text));
    let resolver = FsResolver { lib_roots: vec![] };
    let diags = match compiler::compile(&mut sources, main, &resolver, &Options::default()) {
        Ok((_, d)) | Err(d) => d,
    };
    let mut out = String::new();
    for d in diags {
        let (l, c) = sources.get(d.span.file).line_col(d.span.lo);
        let kind = if d.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        out.push_str(&format!("{l}:{c}: {kind}: {}\n", d.message.replace('\n', "\\n")));
    }
    out
}

#[test]
fn lint_agrees_with_otp() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/lint")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "erl"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for f in &files {
        let want = std::fs::read_to_string(f.with_extension("lint")).expect("blessed .lint file");
        let got = beryl_lint(f);
        if want != got {
            failures.push(format!("{}:\n--- OTP\n{want}--- Beryl\n{got}", f.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(!files.is_empty());
}
