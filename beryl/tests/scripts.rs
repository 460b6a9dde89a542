//! Scripts: `beryl FILE args`, `#!/usr/bin/env beryl` files, exit
//! statuses as escript's (halt(N) → N, an uncaught exception → a report
//! on stderr and status 1), `beryl -e`, and the reserved node flags.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn beryl(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_beryl"))
        .args(args)
        .current_dir(dir)
        .env_remove("BERYL_GC_STRESS")
        .output()
        .expect("run beryl")
}

fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("beryl-scripts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SCRIPT: &str = "#!/usr/bin/env beryl\n\
%% No -module: the script is named after its file, as with escript.\n\
main(Args) ->\n\
    io:format(\"args ~p~n\", [Args]),\n\
    case Args of\n\
        [\"halt\", N] -> halt(list_to_integer(N));\n\
        [\"boom\"] -> 1 + list_to_atom(\"a\");\n\
        _ -> ok\n\
    end.\n";

#[test]
fn shebang_script_runs_directly_with_its_arguments() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("shebang", &[("hello", SCRIPT)]);
    let file = dir.join("hello");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    // `#!/usr/bin/env beryl` finds beryl on PATH.
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_beryl"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Another test thread forking while the script was being written
    // holds a copy of its write descriptor until that child execs, and
    // exec fails with ETXTBSY meanwhile: try again.
    let mut tries = 0;
    let out = loop {
        match Command::new(&file)
            .args(["a", "b c"])
            .current_dir(&dir)
            .env("PATH", &path)
            .env_remove("BERYL_GC_STRESS")
            .output()
        {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            r => break r.expect("run the script"),
        }
    };
    assert_eq!(
        text(&out.stdout),
        "args [\"a\",\"b c\"]\n",
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn script_file_as_first_argument() {
    let dir = scratch("plain", &[("s.erl", SCRIPT)]);
    let out = beryl(&["s.erl", "x"], &dir);
    assert_eq!(text(&out.stdout), "args [\"x\"]\n", "{}", text(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn halt_sets_the_exit_status() {
    let dir = scratch("halt", &[("s.erl", SCRIPT)]);
    let out = beryl(&["s.erl", "halt", "3"], &dir);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stdout), "args [\"halt\",\"3\"]\n");
}

#[test]
fn uncaught_error_reports_and_fails() {
    let dir = scratch("boom", &[("s.erl", SCRIPT)]);
    let out = beryl(&["s.erl", "boom"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "beryl: exception error: an error occurred when evaluating an arithmetic expression\n"
        ),
        "{err}"
    );
    assert!(err.contains("s:main/1 (s.erl, line 7)"), "{err}");
}

#[test]
fn script_with_module_and_options() {
    let dir = scratch(
        "module",
        &[(
            "m.erl",
            "-module(m).\n-export([main/1]).\nmain(_) -> io:format(\"~p~n\", [erlang:system_info(schedulers)]).\n",
        )],
    );
    let out = beryl(&["+S", "1", "m.erl"], &dir);
    assert_eq!(text(&out.stdout), "1\n", "{}", text(&out.stderr));
}

#[test]
fn eval_prints_the_value() {
    let dir = scratch("eval", &[]);
    let out = beryl(&["-e", "X = 6 * 7, X + 1."], &dir);
    assert_eq!(text(&out.stdout), "43\n");
    assert_eq!(out.status.code(), Some(0));
    // The full stop may be left out.
    let out = beryl(&["-e", "lists:reverse(\"abc\")"], &dir);
    assert_eq!(text(&out.stdout), "\"cba\"\n");
    let out = beryl(&["-e", "1 = 2."], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "** exception error: no match of right hand side value 2\n"
    );
    let out = beryl(&["-e", "1 +."], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "* 1:4: syntax error before: '.'\n");
}

#[test]
fn node_flags_are_reserved() {
    let dir = scratch("node", &[]);
    for flag in ["-sname", "-name", "-setcookie"] {
        let out = beryl(&[flag, "x"], &dir);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("distribution is not available yet"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn help_lists_every_command_and_flag() {
    let dir = scratch("help", &[]);
    let out = beryl(&["--help"], &dir);
    let help = text(&out.stdout);
    for word in [
        "run",
        "disasm",
        "check",
        "-e",
        "+S",
        "+P",
        "-pa",
        "-sname",
        "-name",
        "-setcookie",
        "--version",
    ] {
        assert!(help.contains(word), "{word} missing from --help");
    }
    let out = beryl(&["--version"], &dir);
    assert!(text(&out.stdout).starts_with("beryl "));
}
