//! `beryl check`: preprocess and parse files, report diagnostics.

use compiler::diag::render;
use compiler::pp::{FsResolver, Options};
use compiler::source::{decode_source, SourceFile, SourceMap};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub fn main(args: &[String]) -> ExitCode {
    let mut opts = Options::default();
    let mut lib_roots = Vec::new();
    let mut files = Vec::new();
    let mut summary = false;
    let mut brief = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-I" => match it.next() {
                Some(d) => opts.include_dirs.push(PathBuf::from(d)),
                None => return usage("-I needs a directory"),
            },
            "--lib-root" => match it.next() {
                Some(d) => lib_roots.push(PathBuf::from(d)),
                None => return usage("--lib-root needs a directory"),
            },
            "-D" => match it.next() {
                Some(d) => opts.defines.push(split_define(d)),
                None => return usage("-D needs a macro name"),
            },
            "--summary" => summary = true,
            "--brief" => brief = true,
            s if s.starts_with("-I") && s.len() > 2 => opts.include_dirs.push(PathBuf::from(&s[2..])),
            s if s.starts_with("-D") && s.len() > 2 => opts.defines.push(split_define(&s[2..])),
            s if s.starts_with('-') && s != "-" => return usage(&format!("unknown option {s}")),
            f => files.push(PathBuf::from(f)),
        }
    }
    if files.is_empty() {
        return usage("no files given");
    }
    if lib_roots.is_empty() && PathBuf::from("/usr/lib/erlang/lib").is_dir() {
        lib_roots.push(PathBuf::from("/usr/lib/erlang/lib"));
    }
    let resolver = FsResolver { lib_roots };
    let color = std::io::stderr().is_terminal();
    let start = Instant::now();
    let (mut ok, mut failed, mut lines) = (0usize, 0usize, 0usize);
    for f in &files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                errln!("{}: {e}", f.display());
                failed += 1;
                continue;
            }
        };
        let text = decode_source(&bytes);
        lines += text.lines().count();
        let mut sources = SourceMap::new();
        let main = sources.add(SourceFile::new(f.to_string_lossy(), text));
        let parsed = compiler::parse_file(&mut sources, main, &resolver, &opts);
        for d in &parsed.diagnostics {
            if brief {
                errln!("{}", d.short(&sources));
            } else {
                err!("{}", render(d, &sources, color));
            }
        }
        if parsed.has_errors() {
            failed += 1;
        } else {
            ok += 1;
        }
    }
    if summary {
        let secs = start.elapsed().as_secs_f64();
        outln!(
            "{} files: {ok} parsed, {failed} failed; {lines} lines in {secs:.2} s ({:.0} lines/s)",
            files.len(),
            lines as f64 / secs.max(1e-9)
        );
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn split_define(d: &str) -> (String, String) {
    match d.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (d.to_string(), "true".to_string()),
    }
}

fn usage(msg: &str) -> ExitCode {
    errln!("beryl check: {msg} (see beryl --help)");
    ExitCode::from(2)
}
