//! The shell (`beryl` with no arguments): driven through a real
//! pseudo-terminal, and fed from a pipe.

use expectrl::{Eof, Regex, Session};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("beryl-repl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn shell(dir: &Path) -> Session {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_beryl"));
    cmd.current_dir(dir)
        .env("HOME", dir)
        .env("TERM", "xterm")
        .env_remove("BERYL_GC_STRESS");
    let mut s = Session::spawn(cmd).expect("spawn beryl in a pty");
    // Generous: the machine may be busy; nothing here measures time.
    s.set_expect_timeout(Some(Duration::from_secs(120)));
    s
}

/// Type an entry and press Enter.
fn enter(s: &mut Session, text: &str) {
    s.send(format!("{text}\r")).unwrap();
}

fn expect(s: &mut Session, what: &str) {
    if let Err(e) = s.expect(what) {
        panic!("waiting for {what:?}: {e}");
    }
}

fn expect_re(s: &mut Session, re: &str) {
    if let Err(e) = s.expect(Regex(re)) {
        panic!("waiting for /{re}/: {e}");
    }
}

#[test]
fn interactive_session_in_a_terminal() {
    let dir = scratch("tty");
    std::fs::write(
        dir.join("greet.erl"),
        "-module(greet).\n-export([hello/1]).\nhello(Name) -> {hello, Name}.\n",
    )
    .unwrap();
    let mut s = shell(&dir);
    expect(&mut s, "1> ");

    // Bindings, several expressions, the last one's value.
    enter(&mut s, "X = 6 * 7, X + 1.");
    expect_re(&mut s, "\n43\r?\n");
    expect(&mut s, "2> ");

    // An expression over several lines.
    enter(&mut s, "Y = X");
    enter(&mut s, "  * 2.");
    expect_re(&mut s, "\n84\r?\n");
    expect(&mut s, "3> ");

    // Rebinding to another value is a badmatch; the shell goes on.
    enter(&mut s, "X = 5.");
    expect(&mut s, "** exception error: no match of right hand side value 5");
    expect(&mut s, "4> ");
    enter(&mut s, "1 / 0.");
    expect(
        &mut s,
        "** exception error: an error occurred when evaluating an arithmetic expression",
    );
    expect(&mut s, "5> ");
    enter(&mut s, "X + Y.");
    expect_re(&mut s, "\n126\r?\n");
    expect(&mut s, "6> ");

    // f(X) forgets X.
    enter(&mut s, "f(X).");
    expect_re(&mut s, "\nok\r?\n");
    expect(&mut s, "7> ");
    enter(&mut s, "X.");
    expect(&mut s, "variable 'X' is unbound");
    expect(&mut s, "8> ");

    // A syntax error: a diagnostic, and the prompt's number is kept.
    enter(&mut s, "1 + .");
    expect(&mut s, "syntax error before: '.'");
    expect(&mut s, "8> ");

    // Tab completes a module's function.
    s.send("lists:rev\t").unwrap();
    expect(&mut s, "reverse(");
    enter(&mut s, "[1,2,3]).");
    expect(&mut s, "[3,2,1]");
    expect(&mut s, "9> ");

    // Up arrow recalls the last entry.
    s.send("\x1b[A").unwrap();
    s.send("\r").unwrap();
    expect(&mut s, "[3,2,1]");
    expect(&mut s, "10> ");

    // The shell is a process: messages to self() arrive.
    enter(&mut s, "self() ! ping, receive M -> {got, M} end.");
    expect(&mut s, "{got,ping}");
    expect(&mut s, "11> ");

    // c(File) compiles and loads a module.
    enter(&mut s, "c(greet).");
    expect(&mut s, "{ok,greet}");
    expect(&mut s, "12> ");
    enter(&mut s, "greet:hello(Y).");
    expect(&mut s, "{hello,84}");
    expect(&mut s, "13> ");

    // Ctrl-C abandons the entry being typed.
    s.send("this is abandoned").unwrap();
    s.send("\x03").unwrap();
    expect(&mut s, "13> ");

    enter(&mut s, "q().");
    expect(&mut s, "ok");
    s.expect(Eof).expect("the shell ends after q()");

    // The history was kept.
    let history = std::fs::read_to_string(dir.join(".beryl_history")).unwrap();
    assert!(history.contains("greet:hello(Y)."), "{history}");
}

#[test]
fn ctrl_d_leaves() {
    let dir = scratch("eof");
    let mut s = shell(&dir);
    expect(&mut s, "1> ");
    s.send("\x04").unwrap();
    s.expect(Eof).expect("the shell ends on Ctrl-D");
}

/// `tests/shell/session.in` piped through `beryl`, compared with
/// `tests/shell/session.out`, which OTP 25 produced: `tests/shell/bless`
/// pipes the same file through `erl` and removes its banner and prompts.
#[test]
fn piped_entries_match_otp() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shell");
    let input = std::fs::read(here.join("session.in")).unwrap();
    let expected = std::fs::read_to_string(here.join("session.out")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_beryl"))
        .current_dir(&here)
        .env_remove("BERYL_GC_STRESS")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run beryl");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let got = String::from_utf8_lossy(&out.stdout);
    assert_eq!(got, expected, "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
}
