//! Compile the standard library (`erl/*.erl`) when Beryl is built, into
//! one image of bytecode modules that the binary carries (`IMAGE` in
//! lib.rs): a program that uses `lists` decodes it instead of compiling it.

use compiler::diag::render;
use compiler::pp::{FsResolver, Options};
use compiler::source::{decode_source, SourceFile, SourceMap};
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join("erl");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("stdlib/erl")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "erl"))
        .collect();
    paths.sort();
    let mut modules = Vec::new();
    let mut failed = false;
    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = format!("{}.erl", path.file_stem().expect("stem").to_string_lossy());
        let text = decode_source(&std::fs::read(path).expect("read stdlib source"));
        let mut sources = SourceMap::new();
        let main = sources.add(SourceFile::new(&name, text));
        let resolver = FsResolver { lib_roots: vec![] };
        let opts = Options {
            include_dirs: vec![dir.clone()],
            ..Options::default()
        };
        match compiler::compile(&mut sources, main, &resolver, &opts) {
            Ok((m, _warnings)) => modules.push(m),
            Err(diags) => {
                failed = true;
                for d in diags.iter().filter(|d| d.is_error()) {
                    eprintln!("{}", render(d, &sources, false));
                }
            }
        }
    }
    if failed {
        panic!("the standard library does not compile");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("stdlib.img");
    std::fs::write(&out, compiler::image::encode_image(&modules)).expect("write stdlib.img");
}
