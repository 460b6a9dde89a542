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
        code_path: dirs.clone(),
        schedulers: opts.schedulers.unwrap_or(defaults.schedulers),
        process_limit: opts.process_limit.unwrap_or(defaults.process_limit),
        ..defaults
    };
    let vm = Vm::new(config);
    vm.set_finder(Box::new(move |_vm, name| loader::find_module(&dirs, name)));
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
