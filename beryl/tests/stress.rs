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
