//! The conformance suite: every program in `lang-tests/tests/` runs on
//! Beryl and its standard output and exit status must equal what OTP 25
//! produced (`NAME.out`, made by `lang-tests/bless`). Each program runs
//! six times: normally, with the collector forced at every safe point
//! (`BERYL_GC_STRESS=1`), with one and with four schedulers, with every
//! function compiled to native code at its first call (`BERYL_JIT=eager`),
//! and with both.

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::Command;

/// How a program is run: normally, with the collector forced at every safe
/// point, with one and with four scheduler threads, and with the JIT
/// compiling every function at once (with and without the collector
/// forced).
#[derive(Clone, Copy)]
enum Mode {
    Normal,
    GcStress,
    Schedulers(u32),
    JitEager,
    JitEagerGcStress,
}

fn run_one(file: &Path, expected: &Path, mode: Mode) -> Result<(), Failed> {
    let gc_stress = matches!(mode, Mode::GcStress | Mode::JitEagerGcStress);
    let want = std::fs::read_to_string(expected).map_err(|e| format!("{}: {e}", expected.display()))?;
    let status_file = expected.with_extension("status");
    let want_status: i32 = std::fs::read_to_string(&status_file)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beryl"));
    // Helper modules are loaded on demand from tests/lib.
    let lib = file.parent().expect("tests dir").join("lib");
    cmd.arg("run").arg("-pa").arg(lib);
    if let Mode::Schedulers(n) = mode {
        cmd.arg("+S").arg(n.to_string());
    }
    cmd.arg(file);
    if gc_stress {
        cmd.env("BERYL_GC_STRESS", "1");
    } else {
        cmd.env_remove("BERYL_GC_STRESS");
    }
    if let Mode::JitEager | Mode::JitEagerGcStress = mode {
        cmd.env("BERYL_JIT", "eager");
    } else {
        cmd.env_remove("BERYL_JIT");
    }
    // A function Cranelift refuses to compile stops the program.
    cmd.env("BERYL_JIT_STRICT", "1");
    let out = output_within(cmd, TIME_LIMIT)?;
    let got = String::from_utf8_lossy(&out.stdout);
    let status = out.status.code().unwrap_or(-1);
    if got != want || status != want_status {
        let diff = first_difference(&want, &got);
        return Err(format!(
            "exit status {status} (want {want_status}); {diff}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// A program that runs longer than this has hung (the slowest takes a few
/// seconds under GC stress): it is killed and fails, rather than holding up
/// the suite until CI's own limit.
const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Run `cmd` to completion, or kill it after `limit`.
fn output_within(mut cmd: Command, limit: std::time::Duration) -> Result<std::process::Output, Failed> {
    use std::process::Stdio;
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running beryl: {e}"))?;
    let pid = child.id();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let out = child.wait_with_output();
        let _ = done_tx.send(());
        out
    });
    if done_rx.recv_timeout(limit).is_err() {
        // The child has not been reaped (the waiter still waits on it), so
        // the pid is still its own.
        let _ = Command::new("kill").arg("-KILL").arg(pid.to_string()).status();
        let _ = waiter.join();
        return Err(format!("killed after {} s: the program hung", limit.as_secs()).into());
    }
    let out = waiter.join().map_err(|_| "waiter panicked".to_string())?;
    Ok(out.map_err(|e| format!("running beryl: {e}"))?)
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n  want: {w}\n  got:  {g}", i + 1);
        }
    }
    format!(
        "want {} lines, got {} lines",
        want.lines().count(),
        got.lines().count()
    )
}

fn main() {
    let args = Arguments::from_args();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lang-tests/tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("lang-tests/tests")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "erl"))
        .collect();
    files.sort();
    let mut trials = Vec::new();
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let expected = f.with_extension("out");
        for mode in [
            Mode::Normal,
            Mode::GcStress,
            Mode::Schedulers(1),
            Mode::Schedulers(4),
            Mode::JitEager,
            Mode::JitEagerGcStress,
        ] {
            let (f, e) = (f.clone(), expected.clone());
            let label = match mode {
                Mode::Normal => name.clone(),
                Mode::GcStress => format!("{name}[gc-stress]"),
                Mode::Schedulers(n) => format!("{name}[+S {n}]"),
                Mode::JitEager => format!("{name}[jit-eager]"),
                Mode::JitEagerGcStress => format!("{name}[jit-eager+gc-stress]"),
            };
            trials.push(Trial::test(label, move || run_one(&f, &e, mode)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
