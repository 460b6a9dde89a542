//! Compiling source files for the VM: the module being run, modules found
//! on demand next to it or on the code path, and the standard library.

use compiler::bytecode;
use compiler::diag::{render, Diagnostic};
use compiler::pp::{FsResolver, Options};
use compiler::source::{decode_source, SourceFile, SourceMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Compile the source text of a file. Errors (and warnings, when asked)
/// are rendered to stderr.
pub fn compile_text(
    name: &str,
    text: String,
    include: &[PathBuf],
    show_warnings: bool,
) -> Result<bytecode::Module, Vec<Diagnostic>> {
    let mut sources = SourceMap::new();
    let main = sources.add(SourceFile::new(name, text));
    let mut lib_roots = Vec::new();
    if Path::new("/usr/lib/erlang/lib").is_dir() {
        lib_roots.push(PathBuf::from("/usr/lib/erlang/lib"));
    }
    let resolver = FsResolver { lib_roots };
    let opts = Options {
        include_dirs: include.to_vec(),
        ..Options::default()
    };
    let color = std::io::stderr().is_terminal();
    match compiler::compile(&mut sources, main, &resolver, &opts) {
        Ok((m, warnings)) => {
            if show_warnings {
                for w in &warnings {
                    err!("{}", render(w, &sources, color));
                }
            }
            Ok(m)
        }
        Err(diags) => {
            for d in &diags {
                err!("{}", render(d, &sources, color));
            }
            Err(diags)
        }
    }
}

/// Compile a file from disk.
pub fn compile_file(path: &Path, show_warnings: bool) -> Result<bytecode::Module, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = decode_source(&bytes);
    // An escript's first line may be `#!...`: blank it, keeping line numbers.
    let text = strip_shebang(text);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    compile_text(&path.to_string_lossy(), text, &[dir], show_warnings)
        .map_err(|_| format!("{}: compilation failed", path.display()))
}

pub fn strip_shebang(text: String) -> String {
    if text.starts_with("#!") {
        match text.find('\n') {
            Some(i) => format!("{}{}", " ".repeat(0), &text[i..]),
            None => String::new(),
        }
    } else {
        text
    }
}

/// Find a module that is called but not loaded: `NAME.erl` in the search
/// directories, then the standard library.
pub fn find_module(dirs: &[PathBuf], name: &str) -> Option<bytecode::Module> {
    for d in dirs {
        let p = d.join(format!("{name}.erl"));
        if p.is_file() {
            return compile_file(&p, false).ok();
        }
    }
    // Precompiled into the binary.
    stdlib::module(name)
}

/// Compile source text, giving the diagnostics as text in OTP's one-line
/// form (`file:line:col: message`, as `c/1` prints them) instead of
/// printing them: `Ok` with the warnings, `Err` with everything.
pub fn compile_text_quiet(name: &str, text: String) -> Result<(bytecode::Module, String), String> {
    let mut sources = SourceMap::new();
    let main = sources.add(SourceFile::new(name, text));
    let mut lib_roots = Vec::new();
    if Path::new("/usr/lib/erlang/lib").is_dir() {
        lib_roots.push(PathBuf::from("/usr/lib/erlang/lib"));
    }
    let resolver = FsResolver { lib_roots };
    let dir = Path::new(name)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let opts = Options {
        include_dirs: vec![dir],
        ..Options::default()
    };
    let text = |diags: &[Diagnostic], sources: &SourceMap| -> String {
        diags.iter().map(|d| format!("{}\n", d.short(sources))).collect()
    };
    match compiler::compile(&mut sources, main, &resolver, &opts) {
        Ok((m, warnings)) => Ok((m, text(&warnings, &sources))),
        Err(diags) => Err(text(&diags, &sources)),
    }
}
