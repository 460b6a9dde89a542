//! The parse corpus, judged against OTP itself.
//!
//! `tools/otp-corpus` prints OTP 25's verdict on every `.erl` file installed
//! under /usr/lib/erlang/lib (Debian's erlang-src), with the include
//! directories to search. This test runs Beryl's preprocessor and parser on
//! each file with the same directories and requires the same verdict: the
//! files OTP accepts parse without errors, and the files OTP rejects fail
//! with a missing-include or undefined-macro diagnostic at the same line.
//!
//! It then goes further than the verdict: for every accepted file it prints
//! each form in OTP's abstract format (`tools/otp-forms` does the same on the
//! OTP side) and requires the two to be identical, so precedence, literal
//! values and structure all agree with erl_parse.
//!
//! Without OTP installed the test says it was skipped; CI installs it.

use compiler::abstract_format;
use compiler::diag::DiagKind;
use compiler::pp::{FsResolver, Options};
use compiler::source::{decode_source, SourceFile, SourceMap};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const LIB_ROOT: &str = "/usr/lib/erlang/lib";

fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools")
}

fn otp_available() -> bool {
    Path::new(LIB_ROOT).is_dir()
        && Command::new("escript")
            .arg("-h")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
}

struct Verdict {
    file: String,
    includes: Vec<PathBuf>,
    /// `None` for ok; the line of OTP's first error otherwise.
    error_line: Option<u32>,
}

fn otp_verdicts() -> (String, Vec<Verdict>) {
    let out = Command::new("escript")
        .arg(tools_dir().join("otp-corpus"))
        .output()
        .expect("run otp-corpus");
    assert!(
        out.status.success(),
        "otp-corpus failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    let verdicts = text
        .lines()
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            Verdict {
                file: parts[1].to_string(),
                includes: parts[2].split(':').map(PathBuf::from).collect(),
                error_line: if parts[0] == "ok" {
                    None
                } else {
                    Some(parts[3].parse().expect("line"))
                },
            }
        })
        .collect();
    (text, verdicts)
}

fn otp_forms(verdicts_text: &str) -> HashMap<String, Vec<String>> {
    let mut child = Command::new("escript")
        .arg(tools_dir().join("otp-forms"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run otp-forms");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = verdicts_text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("otp-forms output");
    writer.join().expect("writer").expect("write");
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let mut current = String::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(f) = line.strip_prefix("=FILE ") {
            current = f.to_string();
            map.entry(current.clone()).or_default();
        } else {
            map.entry(current.clone()).or_default().push(line.to_string());
        }
    }
    map
}

#[test]
fn agrees_with_otp_on_the_parse_corpus() {
    if !otp_available() {
        eprintln!("SKIPPED: OTP 25 (erlang-base, erlang-src) is not installed");
        return;
    }
    let (text, verdicts) = otp_verdicts();
    let forms_thread = std::thread::spawn(move || otp_forms(&text));

    let resolver = FsResolver {
        lib_roots: vec![PathBuf::from(LIB_ROOT)],
    };
    let mut mismatches = Vec::new();
    let (mut accepted, mut rejected, mut lines) = (0, 0, 0usize);
    let mut ours: HashMap<String, Vec<String>> = HashMap::new();
    // Time spent reading, preprocessing and parsing only (not comparing).
    let mut busy = std::time::Duration::ZERO;
    for v in &verdicts {
        let start = Instant::now();
        let bytes = std::fs::read(&v.file).expect("read corpus file");
        let text = decode_source(&bytes);
        lines += text.lines().count();
        let mut sources = SourceMap::new();
        let main = sources.add(SourceFile::new(v.file.clone(), text));
        let opts = Options {
            include_dirs: v.includes.clone(),
            ..Options::default()
        };
        let parsed = compiler::parse_file(&mut sources, main, &resolver, &opts);
        busy += start.elapsed();
        let first_error = parsed.diagnostics.iter().find(|d| d.is_error());
        match (v.error_line, first_error) {
            (None, None) => {
                accepted += 1;
                ours.insert(
                    v.file.clone(),
                    parsed.forms.iter().filter_map(abstract_format::form).collect(),
                );
            }
            (Some(line), Some(d))
                if matches!(d.kind, DiagKind::MissingInclude | DiagKind::UndefinedMacro)
                    && sources.get(d.span.file).line(d.span.lo) == line =>
            {
                rejected += 1
            }
            (want, got) => mismatches.push(format!(
                "{}: OTP says {}, Beryl says {}",
                v.file,
                want.map(|l| format!("error at line {l}")).unwrap_or("ok".into()),
                got.map(|d| d.short(&sources)).unwrap_or("ok".into())
            )),
        }
    }
    let elapsed = busy.as_secs_f64();
    println!(
        "parse corpus: {} files, {accepted} accepted and {rejected} rejected as OTP does, {} disagree; \
         {lines} lines in {elapsed:.2} s ({:.0} lines/s, including file reads)",
        verdicts.len(),
        mismatches.len(),
        lines as f64 / elapsed
    );

    let theirs = forms_thread.join().expect("otp-forms thread");
    let mut form_diffs = Vec::new();
    for (file, our_forms) in &ours {
        let Some(their_forms) = theirs.get(file) else {
            form_diffs.push(format!("{file}: OTP printed no forms"));
            continue;
        };
        if our_forms.len() != their_forms.len() {
            form_diffs.push(format!(
                "{file}: {} forms, OTP has {}",
                our_forms.len(),
                their_forms.len()
            ));
        }
        for (a, b) in our_forms.iter().zip(their_forms) {
            if a != b {
                let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                let lo = at.saturating_sub(60);
                form_diffs.push(format!(
                    "{file}: forms differ\n  beryl: ...{}\n  otp:   ...{}",
                    &a[lo..(at + 60).min(a.len())],
                    &b[lo..(at + 60).min(b.len())]
                ));
                break;
            }
        }
    }
    let total_forms: usize = ours.values().map(Vec::len).sum();
    println!(
        "abstract format: {total_forms} forms of {} files compared, {} files differ",
        ours.len(),
        form_diffs.len()
    );
    for m in mismatches.iter().chain(&form_diffs).take(40) {
        println!("{m}");
    }
    assert!(
        mismatches.is_empty(),
        "{} verdicts differ from OTP's",
        mismatches.len()
    );
    assert!(
        form_diffs.is_empty(),
        "{} files parse differently from OTP",
        form_diffs.len()
    );
}
