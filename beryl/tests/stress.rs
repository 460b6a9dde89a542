//! The concurrency stress test: `tests/programs/chaos.erl` runs thousands
//! of processes that send, link, monitor, trap exits and kill each other at
//! random for a few seconds, on 2 and on 4 schedulers. Afterwards every
//! process has ended, no message was lost or duplicated, and memory is
//! back near where it started.

use std::process::Command;

fn chaos(schedulers: &str, secs: &str, workers: &str) -> String {
    let program = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/chaos.erl");
    let out = Command::new(env!("CARGO_BIN_EXE_beryl"))
        .args(["run", "+S", schedulers, program, secs, workers])
        .env_remove("BERYL_GC_STRESS")
        .output()
        .expect("run beryl");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "chaos failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn check(out: &str) {
    for want in [
        "workers ended: true",
        "pairs true, messages true, gaps or duplicates []",
        "processes back to start: true",
        "memory back to start: true",
        "kinds of exit: [chaos,noproc]",
    ] {
        assert!(out.lines().any(|l| l == want), "missing {want:?} in:\n{out}");
    }
}

#[test]
fn chaos_on_two_schedulers() {
    check(&chaos("2", "3", "2000"));
}

#[test]
fn chaos_on_four_schedulers() {
    check(&chaos("4", "2", "2000"));
}

/// `tests/programs/refc.erl`: large binaries shared, sliced, appended to
/// and sent between processes; every off-heap byte is freed at the end.
fn refc(args: &[&str], gc_stress: bool) {
    let program = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/refc.erl");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beryl"));
    cmd.arg("run").args(args).arg(program);
    if gc_stress {
        cmd.env("BERYL_GC_STRESS", "1");
    } else {
        cmd.env_remove("BERYL_GC_STRESS");
    }
    let out = cmd.output().expect("run beryl");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "refc failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in [
        "built 400000 1847998580",
        "parsed 999949972",
        "shared true",
        "some live true",
        "ets 1000",
        "freed true",
    ] {
        assert!(
            stdout.lines().any(|l| l == want),
            "missing {want:?} in:\n{stdout}"
        );
    }
}

#[test]
fn refc_binaries_are_shared_and_freed() {
    refc(&["+S", "1"], false);
    refc(&["+S", "4"], false);
    refc(&[], true);
}
