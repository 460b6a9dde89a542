//! Parser conformance on hand-picked sources: every `tests/parse/*.erl` is
//! preprocessed and parsed, and each form printed in OTP's abstract format
//! must equal what OTP 25 printed for it (`tests/parse/*.forms`, made by
//! `tests/parse/bless`, never edited by hand).

use compiler::abstract_format;
use compiler::pp::{FsResolver, Options};
use compiler::source::{decode_source, SourceFile, SourceMap};
use std::path::{Path, PathBuf};

#[test]
fn forms_match_otp() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parse");
    // Relative names, as the bless script uses, so ?FILE is checkout-independent.
    std::env::set_current_dir(&dir).expect("cd tests/parse");
    let mut files: Vec<PathBuf> = std::fs::read_dir(".")
        .expect("list tests/parse")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "erl"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let resolver = FsResolver { lib_roots: vec![] };
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = decode_source(&std::fs::read(path).expect("read"));
        let mut sources = SourceMap::new();
        let main = sources.add(SourceFile::new(name.clone(), text));
        let opts = Options {
            include_dirs: vec![PathBuf::from(".")],
            ..Options::default()
        };
        let parsed = compiler::parse_file(&mut sources, main, &resolver, &opts);
        for d in &parsed.diagnostics {
            failures.push(format!("{name}: unexpected diagnostic {}", d.short(&sources)));
        }
        let ours: Vec<String> = parsed.forms.iter().filter_map(abstract_format::form).collect();
        let expected_file = path.with_extension("forms");
        let theirs: Vec<String> = std::fs::read_to_string(&expected_file)
            .expect("read .forms (run tests/parse/bless)")
            .lines()
            .map(str::to_string)
            .collect();
        if ours.len() != theirs.len() {
            failures.push(format!("{name}: {} forms, OTP has {}", ours.len(), theirs.len()));
        }
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            if a != b {
                failures.push(format!("{name}: form {i} differs\n  beryl: {a}\n  otp:   {b}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
