//! The `beryl` command: a thin layer over the `compiler` and `vm` crates.

/// Printing that never panics: a closed pipe (`beryl disasm f.erl | head`)
/// or a closed stderr is not an error worth a crash.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = std::io::stdout().lock().write_all(format!($($t)*).as_bytes());
    }};
}
macro_rules! outln {
    ($($t:tt)*) => {{
        out!("{}\n", format_args!($($t)*));
    }};
}
macro_rules! err {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = std::io::stderr().lock().write_all(format!($($t)*).as_bytes());
    }};
}
macro_rules! errln {
    ($($t:tt)*) => {{
        err!("{}\n", format_args!($($t)*));
    }};
}

mod check;
mod disasm;
mod loader;
mod run;
mod shell;

use std::process::ExitCode;

const HELP: &str = "\
beryl — an Erlang compiler and virtual machine

USAGE:
    beryl [VM OPTIONS]                Start the shell (reads entries from standard
                                      input when it is not a terminal)
    beryl [VM OPTIONS] FILE [ARGS...] Run an escript-style script: FILE's main/1
                                      gets ARGS as a list of strings (a first
                                      `#!` line and `-module` are optional)
    beryl [VM OPTIONS] -e EXPRS       Evaluate `Expr, ... .` and print the value
    beryl run [VM OPTIONS] FILE.erl [ARGS...]
                                      Compile FILE.erl and call its main/1 with
                                      ARGS as a list of strings (as escript does)
    beryl disasm FILE.erl             Print the module's bytecode
    beryl check [OPTIONS] FILE...     Preprocess and parse files, print diagnostics
    beryl --help                      Show this help
    beryl --version                   Show the version

VM OPTIONS:
    +S N              N scheduler threads (default: the number of CPUs)
    +P N              At most N processes (default 262144)
    -pa DIR           Also look for modules in DIR (repeatable)
    -sname NAME, -name NAME, -setcookie COOKIE
                      Reserved for distribution, which is not available yet

OPTIONS for check:
    -I DIR            Add DIR to the include search path (after the file's own
                      directory; repeatable, searched in order)
    --lib-root DIR    Where -include_lib(\"app/...\") finds `app` or `app-VSN`
                      (repeatable; default: /usr/lib/erlang/lib if present)
    -D NAME[=VALUE]   Predefine a macro
    --summary         Print how many files parsed, and how fast
    --brief           One line per diagnostic instead of the source excerpt

Exit status: 0, or N after halt(N); 1 after an uncaught exception or a
compile error; 2 for a usage error.
";

/// Parse the VM options at `args[*i..]`, stopping at the first argument
/// that is not one. `Err` is the exit status of a usage error.
fn vm_options(cmd: &str, args: &[String], i: &mut usize, opts: &mut run::RunOptions) -> Result<(), ExitCode> {
    while *i < args.len() {
        let value = args.get(*i + 1);
        match (args[*i].as_str(), value) {
            ("-pa", Some(d)) => opts.code_path.push(std::path::PathBuf::from(d)),
            ("+S", Some(n)) => match n.split(':').next().and_then(|n| n.parse().ok()) {
                Some(n) if (1..=64).contains(&n) => opts.schedulers = Some(n),
                _ => {
                    errln!("{cmd}: +S takes a number of schedulers from 1 to 64");
                    return Err(ExitCode::from(2));
                }
            },
            ("+P", Some(n)) => match n.parse() {
                Ok(n) => opts.process_limit = Some(n),
                Err(_) => {
                    errln!("{cmd}: +P takes a number of processes");
                    return Err(ExitCode::from(2));
                }
            },
            (flag @ ("-sname" | "-name" | "-setcookie"), _) => {
                errln!("{cmd}: {flag}: distribution is not available yet");
                return Err(ExitCode::from(2));
            }
            (flag @ ("-pa" | "+S" | "+P"), None) => {
                errln!("{cmd}: {flag} needs a value (see beryl --help)");
                return Err(ExitCode::from(2));
            }
            _ => return Ok(()),
        }
        *i += 2;
    }
    Ok(())
}

fn main() -> ExitCode {
    // One malloc arena for all threads: process heaps are freed on other
    // threads than those that made them, and per-thread arenas would keep
    // that memory from the operating system long after the processes are
    // gone. (Each thread's malloc cache still serves small blocks without
    // locking.)
    // SAFETY: mallopt only sets an allocator parameter; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--help" | "-h" | "help") => {
            out!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("--version" | "-V") => {
            outln!("beryl {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("check") => check::main(&args[1..]),
        Some("disasm") => match args.get(1) {
            Some(f) => disasm::disasm(f),
            None => {
                errln!("beryl disasm: no file given");
                ExitCode::from(2)
            }
        },
        Some("run") => {
            let mut opts = run::RunOptions::default();
            let mut i = 1;
            if let Err(code) = vm_options("beryl run", &args, &mut i, &mut opts) {
                return code;
            }
            match args.get(i) {
                Some(f) => run::run(f, &args[i + 1..], opts),
                None => {
                    errln!("beryl run: no file given");
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            let mut opts = run::RunOptions::default();
            let mut i = 0;
            if let Err(code) = vm_options("beryl", &args, &mut i, &mut opts) {
                return code;
            }
            let shell_opts = |o: run::RunOptions| shell::ShellOptions {
                code_path: o.code_path,
                schedulers: o.schedulers,
                process_limit: o.process_limit,
            };
            match args.get(i).map(String::as_str) {
                None => shell::main(shell_opts(opts)),
                Some("-e") => match args.get(i + 1) {
                    Some(e) => shell::eval(e, shell_opts(opts)),
                    None => {
                        errln!("beryl -e: no expression given");
                        ExitCode::from(2)
                    }
                },
                Some(f) if f.starts_with('-') || f.starts_with('+') => {
                    errln!("beryl: unknown option '{f}' (see beryl --help)");
                    ExitCode::from(2)
                }
                Some(f) if !std::path::Path::new(f).is_file() => {
                    errln!("beryl: unknown command or file '{f}' (see beryl --help)");
                    ExitCode::from(2)
                }
                Some(f) => run::run_script(f, &args[i + 1..], opts),
            }
        }
    }
}
