//! `beryl run FILE.erl [ARGS...]`: compile a module and call `main/1` with
//! the arguments as a list of strings, as escript does.

use crate::loader;
use std::path::PathBuf;
use std::process::ExitCode;
use vm::vm::MainExit;
use vm::{Config, Vm};

#[derive(Default)]
pub struct RunOptions {
    pub code_path: Vec<PathBuf>,
    pub schedulers: Option<usize>,
    pub process_limit: Option<usize>,
}

pub fn run(file: &str, args: &[String], opts: RunOptions) -> ExitCode {
    let path = PathBuf::from(file);
    let module = match loader::compile_file(&path, false) {
        Ok(m) => m,
        Err(e) => {
            errln!("beryl: {e}");
            return ExitCode::from(1);
        }
    };
    run_module(module, file, args, opts)
}

/// `beryl FILE args` or a `#!/usr/bin/env beryl` file: an escript-style
/// script. Its `-module` is optional (without one the module is named
/// after the file and `main/1` is exported for it, as escript does).
pub fn run_script(file: &str, args: &[String], opts: RunOptions) -> ExitCode {
    let path = PathBuf::from(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            errln!("beryl: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let text = loader::strip_shebang(compiler::source::decode_source(&bytes));
    let text = if has_module_attribute(&text) {
        text
    } else {
        // On the first line, so that line numbers stay the file's.
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "script".into());
        let name = compiler::pretty::quote_atom(&stem);
        format!("-module({name}). -export([main/1]). {text}")
    };
    let dir = path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let module = match loader::compile_text(file, text, &[dir], false) {
        Ok(m) => m,
        Err(_) => {
            errln!("beryl: {file}: compilation failed");
            return ExitCode::from(1);
        }
    };
    run_module(module, file, args, opts)
}

/// Does the source declare its module (`-module(...)` as a form)?
fn has_module_attribute(text: &str) -> bool {
    use compiler::token::Tok;
    let toks = compiler::lexer::scan(compiler::source::FileId(0), text).tokens;
    let mut form_start = true;
    for w in toks.windows(2) {
        if form_start && w[0].tok == Tok::Minus && w[1].tok == Tok::Atom("module".into()) {
            return true;
        }
        form_start = w[0].tok == Tok::Dot;
    }
    false
}

fn run_module(module: compiler::bytecode::Module, file: &str, args: &[String], opts: RunOptions) -> ExitCode {
    let path = PathBuf::from(file);
    let mut dirs = vec![path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        })
        .unwrap_or_else(|| PathBuf::from("."))];
    dirs.extend(opts.code_path.iter().cloned());
    let defaults = Config::default();
    let config = Config {
        code_path: dirs,
        schedulers: opts.schedulers.unwrap_or(defaults.schedulers),
        process_limit: opts.process_limit.unwrap_or(defaults.process_limit),
        ..defaults
    };
    let vm = Vm::new(config);
    // The finder reads the VM's code path, which code:add_patha/z change.
    vm.set_finder(Box::new(|vm, name| {
        let dirs = vm.code_path.read().map(|d| d.clone()).unwrap_or_default();
        loader::find_module(&dirs, name)
    }));
    if let Ok(mut p) = vm.plain_args.write() {
        *p = args.to_vec();
    }
    if let Err(e) = vm.load(&module) {
        errln!("beryl: loading {file}: {}", e.0);
        return ExitCode::from(1);
    }
    let name = module.name.clone();
    let strings: Vec<String> = args.to_vec();
    let result = vm.run_main(&name, "main", |h| {
        let items: Vec<vm::Term> = strings.iter().map(|s| h.string(s)).collect();
        vec![h.list(&items)]
    });
    match result {
        MainExit::Normal => ExitCode::SUCCESS,
        MainExit::Failed(report) => {
            err!("{report}");
            ExitCode::from(1)
        }
    }
}
