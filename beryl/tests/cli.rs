//! The `beryl` command as a user runs it: arguments, exit statuses, error
//! reports, modules found next to the program and in `-pa` directories.

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

/// A fresh directory with the given files.
fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("beryl-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn main_gets_the_arguments_as_strings() {
    let dir = scratch(
        "args",
        &[(
            "echo.erl",
            "-module(echo).\n-export([main/1]).\nmain(Args) -> io:format(\"~p~n\", [Args]).\n",
        )],
    );
    let out = beryl(&["run", "echo.erl", "a", "b c", "42"], &dir);
    assert_eq!(text(&out.stdout), "[\"a\",\"b c\",\"42\"]\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn uncaught_exception_reports_on_stderr_and_exits_1() {
    let dir = scratch(
        "boom",
        &[(
            "boom.erl",
            "-module(boom).\n-export([main/1]).\nmain(Args) -> io:format(\"before~n\"), f(length(Args)).\n\
             f(N) -> N + list_to_atom(\"x\").\n",
        )],
    );
    let out = beryl(&["run", "boom.erl", "a", "b"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "before\n");
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "beryl: exception error: an error occurred when evaluating an arithmetic expression\n"
        ),
        "{err}"
    );
    assert!(err.contains("boom:f/1 (boom.erl, line 4)"), "{err}");
}

#[test]
fn compile_error_prints_diagnostics_and_exits_1() {
    let dir = scratch(
        "bad",
        &[(
            "bad.erl",
            "-module(bad).\n-export([main/1]).\nmain(_) -> X + 1.\n",
        )],
    );
    let out = beryl(&["run", "bad.erl"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("variable 'X' is unbound"), "{err}");
    assert!(err.contains("bad.erl:3:12"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn modules_are_found_next_to_the_program_and_in_pa_dirs() {
    let dir = scratch(
        "mods",
        &[
            (
                "app/main.erl",
                "-module(main).\n-export([main/1]).\n\
                 main(_) -> io:format(\"~p ~p~n\", [sibling:v(), other:v()]),\n\
                 try missing_mod:v() catch error:undef -> io:format(\"undef~n\") end.\n",
            ),
            (
                "app/sibling.erl",
                "-module(sibling).\n-export([v/0]).\nv() -> sibling.\n",
            ),
            (
                "lib/other.erl",
                "-module(other).\n-export([v/0]).\nv() -> other.\n",
            ),
        ],
    );
    let out = beryl(&["run", "-pa", "lib", "app/main.erl"], &dir);
    assert_eq!(
        text(&out.stdout),
        "sibling other\nundef\n",
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
    // Without -pa the other module is undefined.
    let out = beryl(&["run", "app/main.erl"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("undefined function other:v/0"));
}

#[test]
fn disasm_prints_the_code_and_survives_a_closed_pipe() {
    let dir = scratch(
        "disasm",
        &[(
            "d.erl",
            "-module(d).\n-export([f/1]).\nf(X) when X < 2 -> X;\nf(X) -> f(X - 1) + 1.\n",
        )],
    );
    let out = beryl(&["disasm", "d.erl"], &dir);
    let s = text(&out.stdout);
    assert!(s.contains("function f/1:") && s.contains("IsLt"), "{s}");
    assert_eq!(out.status.code(), Some(0));
}

/// A receive whose every clause needs a reference bound before it (the
/// gen_server:call shape) starts at that reference's mailbox mark; one
/// that also accepts other messages does not.
#[test]
fn receive_on_a_fresh_reference_uses_its_marker() {
    let src = "-module(m).\n-export([call/2, any/1]).\n\
               call(Pid, Req) ->\n    Ref = monitor(process, Pid),\n    Pid ! {Ref, Req},\n\
               \x20   receive {Ref, R} -> R; {'DOWN', Ref, _, _, Why} -> exit(Why) end.\n\
               any(Ref) -> receive {Ref, R} -> R; other -> other end.\n";
    let dir = scratch("marker", &[("m.erl", src)]);
    let out = beryl(&["disasm", "m.erl"], &dir);
    let listing = text(&out.stdout);
    let call = listing.split("any/1").next().unwrap();
    let any = listing.split("any/1").nth(1).expect("any/1 in the listing");
    assert!(call.contains("RecvMarkerUse"), "{listing}");
    assert!(!any.contains("RecvMarkerUse"), "{listing}");
}

/// A function that matches the rest of a binary and calls itself with it
/// passes the match context on (`BsTailCtx`); when the rest or the
/// parameter is also used as a value, or a guard reads the rest, it makes a
/// sub-binary (`BsGetTail`).
#[test]
fn binary_rest_passes_its_match_context_only_when_unseen() {
    let src = "-module(m).\n-export([walk/2, keep/2, whole/2, guarded/2]).\n\
               walk(<<X, R/binary>>, A) -> walk(R, A + X);\nwalk(<<>>, A) -> A.\n\
               keep(<<X, R/binary>>, A) -> keep(R, [{X, R} | A]);\nkeep(<<>>, A) -> A.\n\
               whole(<<X, R/binary>> = B, A) -> whole(R, [{X, B} | A]);\nwhole(<<>>, A) -> A.\n\
               guarded(<<X, R/binary>>, A) when byte_size(R) > 2 -> guarded(R, A + X);\nguarded(_, A) -> A.\n";
    let dir = scratch("bsm", &[("m.erl", src)]);
    let out = beryl(&["disasm", "m.erl"], &dir);
    let listing = text(&out.stdout);
    let function = |name: &str| {
        let from = listing
            .find(&format!("function {name}/2:"))
            .expect("function in the listing");
        let rest = &listing[from + 1..];
        rest[..rest.find("function ").unwrap_or(rest.len())].to_string()
    };
    assert!(function("walk").contains("BsTailCtx"), "{listing}");
    for name in ["keep", "whole", "guarded"] {
        let f = function(name);
        assert!(
            !f.contains("BsTailCtx") && f.contains("BsGetTail"),
            "{name}: {listing}"
        );
    }
}

/// With one scheduler, runnable processes run by priority: high before
/// normal before low, whatever the order they were spawned in.
#[test]
fn priorities_order_runnable_processes() {
    let src = "-module(prio).\n-export([main/1]).\n\
               main(_) ->\n    Self = self(),\n\
               \x20   spawn_opt(fun() -> Self ! low end, [{priority, low}]),\n\
               \x20   spawn_opt(fun() -> Self ! normal end, [{priority, normal}]),\n\
               \x20   spawn_opt(fun() -> Self ! high end, [{priority, high}]),\n\
               \x20   A = receive X -> X end, B = receive Y -> Y end, C = receive Z -> Z end,\n\
               \x20   io:format(\"~p~n\", [[A, B, C]]).\n";
    let dir = scratch("prio", &[("prio.erl", src)]);
    let out = beryl(&["run", "+S", "1", "prio.erl"], &dir);
    assert_eq!(text(&out.stdout), "[high,normal,low]\n");
}

/// A process that crashes prints OTP's error report on stderr; the others
/// go on.
#[test]
fn a_crashing_process_prints_an_error_report() {
    let src = "-module(crash).\n-export([main/1]).\n\
               main(_) ->\n    {P, R} = spawn_monitor(fun() -> 1 = length([a, b]) end),\n\
               \x20   receive {'DOWN', R, process, P, {Why, _}} -> io:format(\"~p~n\", [Why]) end.\n";
    let dir = scratch("crash", &[("crash.erl", src)]);
    let out = beryl(&["run", "crash.erl"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "{badmatch,2}\n");
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("=ERROR REPORT==== ") && lines[0].ends_with(" ==="),
        "{err}"
    );
    assert!(
        lines[1].starts_with("Error in process <0.") && lines[1].ends_with(".0> with exit value:"),
        "{err}"
    );
    assert!(lines[2].starts_with("{{badmatch,2},[{crash,"), "{err}");
}

/// io:put_chars of an iolist of 14 binaries of 1 KB goes out in one
/// `writev` whose vectors point at the binaries (1,024 bytes each: nothing
/// flattened). Needs strace (CI installs it).
#[test]
fn iolists_are_written_with_one_writev_in_place() {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("strace is not installed: skipped");
        return;
    }
    let src = "-module(wv).\n-export([main/1]).\n\
               main(_) ->\n    Bins = [binary:copy(<<($a + I)>>, 1024) || I <- lists:seq(0, 13)],\n\
               \x20   io:put_chars([Bins, \"\\n\"]).\n";
    let dir = scratch("writev", &[("wv.erl", src)]);
    let trace = dir.join("trace.txt");
    let out = Command::new("strace")
        .args(["-f", "-e", "trace=writev", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_beryl"))
        .args(["run", "wv.erl"])
        .current_dir(&dir)
        .env_remove("BERYL_GC_STRESS")
        .output()
        .expect("run strace");
    assert_eq!(out.stdout.len(), 14 * 1024 + 1);
    let trace = joined(std::fs::read_to_string(&trace).unwrap());
    let call = trace
        .lines()
        .find(|l| l.contains("writev(1, ["))
        .unwrap_or_else(|| panic!("no writev to stdout in:\n{trace}"));
    // `writev(1, [...], 15) = 14337`
    let (args, result) = call.rsplit_once(") = ").expect("a finished call");
    let vectors: usize = args.rsplit_once(", ").unwrap().1.parse().unwrap();
    assert!(vectors >= 14, "{call}");
    assert_eq!(result.trim().parse::<usize>().unwrap(), 14 * 1024 + 1);
    assert_eq!(call.matches("iov_len=1024").count(), 14, "{call}");
}

/// Run a program with the given standard input.
fn beryl_with_input(dir: &Path, file: &str, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_beryl"))
        .args(["run", file])
        .current_dir(dir)
        .env_remove("BERYL_GC_STRESS")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run beryl");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait")
}

#[test]
fn io_get_line_reads_standard_input() {
    let dir = scratch(
        "getline",
        &[(
            "gl.erl",
            "-module(gl).\n-export([main/1]).\n\
             main(_) ->\n\
             A = io:get_line(\"first> \"),\n\
             B = io:get_line(''),\n\
             C = io:get_line(\"third> \"),\n\
             D = io:get_line(\"x\"),\n\
             io:format(\"~p~n\", [{A, B, C, D}]).\n",
        )],
    );
    // The last line has no newline: get_line gives it as it is, then eof.
    let out = beryl_with_input(&dir, "gl.erl", b"one\ntwo\nthree");
    // What OTP 25 prints (erl -noshell, the same input piped).
    assert_eq!(
        text(&out.stdout),
        "first> third> x{\"one\\n\",\"two\\n\",\"three\",eof}\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn io_read_reads_terms_from_standard_input() {
    let dir = scratch(
        "ioread",
        &[(
            "rd.erl",
            "-module(rd).\n-export([main/1]).\n\
             main(_) ->\n\
             A = io:read(\"t> \"),\n\
             B = io:read(''),\n\
             C = io:read(\"again> \"),\n\
             D = io:read(\"last> \"),\n\
             io:format(\"~p~n\", [{A, B, C, D}]).\n",
        )],
    );
    // What OTP 25 prints for the same input (erl -noshell).
    let out = beryl_with_input(&dir, "rd.erl", b"{a, 1}.\n[1,\n 2, \"s\"].\n#{k => v}.\n");
    assert_eq!(
        text(&out.stdout),
        "t> again> last> {{ok,{a,1}},{ok,[1,2,\"s\"]},{ok,#{k => v}},eof}\n"
    );
    let out = beryl_with_input(&dir, "rd.erl", b"foo bar.\n");
    assert_eq!(
        text(&out.stdout),
        "t> again> last> {{error,{1,erl_parse,[\"syntax error before: \",\"bar\"]}},eof,eof,eof}\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// A trace with each call on one line: when threads interleave, strace
/// splits a call into `PID call(args <unfinished ...>` and, later,
/// `PID <... call resumed>rest`; put the two halves back together.
fn joined(trace: String) -> String {
    let mut pending: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut out = String::with_capacity(trace.len());
    for line in trace.lines() {
        let (pid, rest) = line.split_once(' ').unwrap_or(("", line));
        if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            pending.insert(pid.to_string(), format!("{pid} {head}"));
            continue;
        }
        if let Some(after) = rest.strip_prefix("<... ") {
            if let (Some(head), Some((_, tail))) = (pending.remove(pid), after.split_once(" resumed>")) {
                out.push_str(&head);
                out.push_str(tail);
                out.push('\n');
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Run `beryl run FILE` under `strace -f -e trace=CALLS`; the program's
/// output and the trace.
fn strace_run(dir: &Path, file: &str, calls: &str, env: &[(&str, &str)]) -> Option<(Output, String)> {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("strace is not installed: skipped");
        return None;
    }
    let trace = dir.join(format!("{file}.trace"));
    let out = Command::new("strace")
        .args(["-f", "-e", &format!("trace={calls}"), "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_beryl"))
        .args(["run", file])
        .current_dir(dir)
        .env_remove("BERYL_GC_STRESS")
        .envs(env.iter().copied())
        .output()
        .expect("run strace");
    let trace = joined(std::fs::read_to_string(&trace).unwrap());
    Some((out, trace))
}

/// file:pwrite/3 of an iolist of 14 binaries of 1 KB is one `pwritev` at
/// the offset whose vectors point at the binaries; pwrite/2 writes each
/// piece at its own offset. The file then holds exactly what OTP writes.
#[test]
fn pwrite_is_one_pwritev_in_place_at_the_offset() {
    let src = "-module(pw).\n-export([main/1]).\n\
               main(_) ->\n\
               \x20   Bins = [binary:copy(<<($a + I)>>, 1024) || I <- lists:seq(0, 13)],\n\
               \x20   {ok, F} = file:open(\"out.bin\", [write, raw, binary]),\n\
               \x20   ok = file:pwrite(F, 100, [Bins, <<\"!\">>]),\n\
               \x20   ok = file:pwrite(F, [{0, <<\"head\">>}, {50, [\"mid\", $d, <<\"le\">>]}]),\n\
               \x20   {error, badarg} = file:pwrite(F, 0, [foo]),\n\
               \x20   ok = file:close(F),\n\
               \x20   {ok, B} = file:read_file(\"out.bin\"),\n\
               \x20   io:format(\"~w ~w ~w ~w~n\", [byte_size(B), binary:part(B, 0, 8), binary:part(B, 50, 8),\n\
               \x20                             erlang:md5(B)]).\n";
    let dir = scratch("pwritev", &[("pw.erl", src)]);
    let Some((out, trace)) = strace_run(&dir, "pw.erl", "pwritev,pwrite64", &[]) else {
        return;
    };
    // What OTP 25 prints for the same program.
    assert_eq!(
        text(&out.stdout),
        "14437 <<104,101,97,100,0,0,0,0>> <<109,105,100,100,108,101,0,0>> \
         <<76,63,223,225,53,38,179,187,6,181,177,227,103,233,2,122>>\n",
        "{}",
        text(&out.stderr)
    );
    let call = trace
        .lines()
        .find(|l| l.contains("pwritev(") && l.contains("iov_len=1024"))
        .unwrap_or_else(|| panic!("no pwritev of the binaries in:\n{trace}"));
    // `pwritev(3, [...], 15, 100) = 14337`
    let (args, result) = call.rsplit_once(") = ").expect("a finished call");
    let (rest, offset) = args.rsplit_once(", ").unwrap();
    assert_eq!(offset, "100", "{call}");
    let vectors: usize = rest.rsplit_once(", ").unwrap().1.parse().unwrap();
    assert_eq!(vectors, 15, "{call}");
    assert_eq!(result.trim().parse::<usize>().unwrap(), 14 * 1024 + 1);
    assert_eq!(call.matches("iov_len=1024").count(), 14, "{call}");
    assert!(!trace.contains("pwrite64("), "{trace}");
}

/// file:read_file of a 4 MB file maps it (one `mmap` of its size, on the
/// file's descriptor, and no `read` of it); a 1 KB file is read.
#[test]
fn read_file_maps_large_files_and_reads_small_ones() {
    let big: Vec<u8> = (0..4 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let src = "-module(mm).\n-export([main/1]).\n\
               main(_) ->\n\
               \x20   {ok, B} = file:read_file(\"big.bin\"),\n\
               \x20   {ok, S} = file:read_file(\"small.bin\"),\n\
               \x20   io:format(\"~w ~w ~w~n\", [byte_size(B), erlang:crc32(B), byte_size(S)]).\n";
    let dir = scratch("mmap", &[("mm.erl", src), ("small.bin", &"s".repeat(1000))]);
    std::fs::write(dir.join("big.bin"), &big).unwrap();
    let Some((out, trace)) = strace_run(&dir, "mm.erl", "openat,mmap,read", &[]) else {
        return;
    };
    let crc = {
        // CRC-32 (IEEE), as erlang:crc32.
        let mut c = !0u32;
        for &b in &big {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0xedb8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    };
    assert_eq!(
        text(&out.stdout),
        format!("{} {crc} 1000\n", big.len()),
        "{}",
        text(&out.stderr)
    );
    let fd_of = |name: &str| -> String {
        let open = trace
            .lines()
            .find(|l| l.contains(&format!("\"{name}\"")) && l.contains("openat("))
            .unwrap_or_else(|| panic!("no open of {name} in:\n{trace}"));
        open.rsplit_once(" = ").unwrap().1.trim().to_string()
    };
    let (big_fd, small_fd) = (fd_of("big.bin"), fd_of("small.bin"));
    let map = format!("mmap(NULL, {}, PROT_READ, MAP_SHARED, {big_fd}, 0)", big.len());
    assert!(trace.contains(&map), "no {map} in:\n{trace}");
    // Between opening the large file and opening the small one: no read.
    let from = trace.find("\"big.bin\"").unwrap();
    let to = trace.find("\"small.bin\"").unwrap();
    assert!(!trace[from..to].contains(&format!("read({big_fd}, ")), "{trace}");
    assert!(
        trace
            .lines()
            .any(|l| l.contains(&format!("read({small_fd}, ")) && l.ends_with("= 1000")),
        "{trace}"
    );
}

/// `read_ahead` and `delayed_write` buffer for real: reading a 100,000-byte
/// file 10 bytes at a time makes 10,001 `read`s without read_ahead and a
/// handful with it; 1,000 writes of 10 bytes make 1,000 `writev`s without
/// delayed_write and one `write` with it (counted with strace).
#[test]
fn read_ahead_and_delayed_write_save_system_calls() {
    let src = "-module(buf).\n-export([main/1]).\n\
               main([Mode]) ->\n\
               \x20   Opts = case Mode of \"ahead\" -> [read_ahead]; \"delayed\" -> [delayed_write]; _ -> [] end,\n\
               \x20   case Mode of\n\
               \x20       \"delayed\" -> write(Opts); \"wplain\" -> write(Opts);\n\
               \x20       _ -> {ok, F} = file:open(\"data.bin\", [read, raw, binary | Opts]),\n\
               \x20            io:format(\"~p~n\", [read(F, 0)])\n\
               \x20   end.\n\
               read(F, N) -> case file:read(F, 10) of {ok, B} -> read(F, N + byte_size(B)); eof -> N end.\n\
               write(Opts) ->\n\
               \x20   {ok, F} = file:open(\"out.bin\", [write, raw, binary | Opts]),\n\
               \x20   [ok = file:write(F, <<\"0123456789\">>) || _ <- lists:seq(1, 1000)],\n\
               \x20   ok = file:close(F),\n\
               \x20   {ok, B} = file:read_file(\"out.bin\"),\n\
               \x20   io:format(\"~p~n\", [byte_size(B)]).\n";
    let dir = scratch(
        "buffering",
        &[("buf.erl", src), ("data.bin", &"x".repeat(100_000))],
    );
    // The output, and the calls `calls` on the descriptor `name` was
    // first opened as, until it is closed.
    let run = |mode: &str, name: &str, calls: &str| -> Option<(String, usize)> {
        if Command::new("strace").arg("-V").output().is_err() {
            eprintln!("strace is not installed: skipped");
            return None;
        }
        let trace = dir.join(format!("{mode}.trace"));
        let out = Command::new("strace")
            .args(["-f", "-e", &format!("trace=openat,close,{calls}"), "-o"])
            .arg(&trace)
            .arg(env!("CARGO_BIN_EXE_beryl"))
            .args(["run", "buf.erl", mode])
            .current_dir(&dir)
            .env_remove("BERYL_GC_STRESS")
            .output()
            .expect("run strace");
        let trace = joined(std::fs::read_to_string(&trace).unwrap());
        let open = trace
            .lines()
            .find(|l| l.contains(&format!("\"{name}\"")) && l.contains("openat("))
            .unwrap_or_else(|| panic!("no open of {name} in:\n{trace}"));
        let fd = open.rsplit_once(" = ").unwrap().1.trim().to_string();
        let from = trace.find(open).unwrap();
        let names: Vec<&str> = calls.split(',').collect();
        let n = trace[from..]
            .lines()
            .skip(1)
            .take_while(|l| !l.contains(&format!("close({fd})")))
            .filter(|l| names.iter().any(|c| l.contains(&format!("{c}({fd}, "))))
            .count();
        Some((text(&out.stdout), n))
    };
    let Some((out, plain)) = run("plain", "data.bin", "read") else {
        return;
    };
    assert_eq!(out, "100000\n");
    assert_eq!(plain, 10_001, "one read per file:read, and one for eof");
    let (out, ahead) = run("ahead", "data.bin", "read").unwrap();
    assert_eq!(out, "100000\n");
    assert!(ahead <= 4, "{ahead} reads with read_ahead");
    let (out, wplain) = run("wplain", "out.bin", "write,writev").unwrap();
    assert_eq!(out, "10000\n");
    assert_eq!(wplain, 1000);
    let (out, delayed) = run("delayed", "out.bin", "write,writev").unwrap();
    assert_eq!(out, "10000\n");
    assert_eq!(delayed, 1, "one write of the delayed bytes, at close");
}

/// Run `beryl ARGS` in `dir`; its output, or its OS pid if it was still
/// running after `secs` seconds (then killed).
fn run_with_deadline(dir: &Path, args: &[&str], env: &[(&str, &str)], secs: u64) -> Result<Output, u32> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beryl"))
        .args(args)
        .current_dir(dir)
        .env_remove("BERYL_GC_STRESS")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run beryl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return Ok(child.wait_with_output().expect("output"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(child.id())
}

/// On one scheduler, a process blocked opening and reading a FIFO does not
/// stop the timer-driven process that writes to it (lang-tests/tests/
/// file_fifo.erl, whose expected output OTP printed). With the I/O
/// threads turned off (`BERYL_IO_THREADS=0`) the same program hangs: the
/// reader holds the only scheduler.
#[test]
fn a_blocked_file_operation_does_not_stop_one_scheduler() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lang-tests/tests");
    let want = std::fs::read_to_string(tests.join("file_fifo.out")).unwrap();
    let args = ["run", "+S", "1", "file_fifo.erl"];
    let out = run_with_deadline(&tests, &args, &[], 30).expect("file_fifo hung on +S 1");
    assert_eq!(text(&out.stdout), want, "{}", text(&out.stderr));
    match run_with_deadline(&tests, &args, &[("BERYL_IO_THREADS", "0")], 3) {
        // Killed: remove the FIFO it made (named after its OS pid).
        Err(pid) => {
            let _ = std::fs::remove_file(format!("/tmp/file_fifo_{pid}"));
        }
        Ok(out) => panic!(
            "without I/O threads the reader should have blocked the scheduler: {}",
            text(&out.stdout)
        ),
    }
}

/// `BERYL_JIT` as a user sets it: a hot function is compiled (and
/// `BERYL_JIT_DUMP` shows its machine code) unless the JIT is off; the
/// program prints the same either way.
#[test]
fn hot_functions_are_compiled_unless_the_jit_is_off() {
    let dir = scratch(
        "jit",
        &[(
            "hot.erl",
            "-module(hot).\n-export([main/1]).\n\
             fib(N) when N < 2 -> N;\nfib(N) -> fib(N - 1) + fib(N - 2).\n\
             main(_) -> io:format(\"~p~n\", [fib(20)]).\n",
        )],
    );
    let run = |mode: &str| {
        Command::new(env!("CARGO_BIN_EXE_beryl"))
            .args(["run", "hot.erl"])
            .current_dir(&dir)
            .env_remove("BERYL_GC_STRESS")
            .env("BERYL_JIT", mode)
            .env("BERYL_JIT_DUMP", "1")
            .output()
            .expect("run beryl")
    };
    let hot = run("hot");
    assert_eq!(text(&hot.stdout), "6765\n");
    let dump = text(&hot.stderr);
    assert!(dump.contains("= hot:fib/1"), "{dump}");
    assert!(!dump.contains("= hot:main/1"), "main/1 runs once: {dump}");
    let off = run("off");
    assert_eq!(text(&off.stdout), "6765\n");
    assert!(!text(&off.stderr).contains("beryl_jit_"), "{}", text(&off.stderr));
}
