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

use std::process::ExitCode;

const HELP: &str = "\
beryl — an Erlang compiler and virtual machine

USAGE:
    beryl run [-pa DIR]... [+S N] [+P N] FILE.erl [ARGS...]
                                      Compile FILE.erl and call its main/1 with
                                      ARGS as a list of strings (as escript does);
                                      +S: scheduler threads (default: CPUs),
                                      +P: process limit (default 262144)
    beryl disasm FILE.erl             Print the module's bytecode
    beryl check [OPTIONS] FILE...     Preprocess and parse files, print diagnostics
    beryl --help                      Show this help
    beryl --version                   Show the version

OPTIONS for check:
    -I DIR            Add DIR to the include search path (after the file's own
                      directory; repeatable, searched in order)
    --lib-root DIR    Where -include_lib(\"app/...\") finds `app` or `app-VSN`
                      (repeatable; default: /usr/lib/erlang/lib if present)
    -D NAME[=VALUE]   Predefine a macro
    --summary         Print how many files parsed, and how fast
    --brief           One line per diagnostic instead of the source excerpt
";

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
        None | Some("--help" | "-h" | "help") => {
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
            while i < args.len() {
                let value = args.get(i + 1);
                match (args[i].as_str(), value) {
                    ("-pa", Some(d)) => opts.code_path.push(std::path::PathBuf::from(d)),
                    ("+S", Some(n)) => match n.split(':').next().and_then(|n| n.parse().ok()) {
                        Some(n) if (1..=64).contains(&n) => opts.schedulers = Some(n),
                        _ => {
                            errln!("beryl run: +S takes a number of schedulers from 1 to 64");
                            return ExitCode::from(2);
                        }
                    },
                    ("+P", Some(n)) => match n.parse() {
                        Ok(n) => opts.process_limit = Some(n),
                        Err(_) => {
                            errln!("beryl run: +P takes a number of processes");
                            return ExitCode::from(2);
                        }
                    },
                    _ => break,
                }
                i += 2;
            }
            match args.get(i) {
                Some(f) => run::run(f, &args[i + 1..], opts),
                None => {
                    errln!("beryl run: no file given");
                    ExitCode::from(2)
                }
            }
        }
        Some(other) => {
            errln!("beryl: unknown command '{other}' (see beryl --help)");
            ExitCode::from(2)
        }
    }
}
