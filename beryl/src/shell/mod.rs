//! `beryl` with no arguments: the shell, modelled on OTP's `erl` shell.
//! See docs/repl.md for the design and for how it differs from `erl`.

mod entry;
mod host;

pub use host::ShellOptions;

use entry::{Command, Style};
use host::{Outcome, Session};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use vm::signal::Payload;
use vm::{atom, Term, Vm};

/// The shell's print depth (`~P` depth), as OTP's `?LINEMAX`.
const DEPTH: usize = 30;
/// io_lib_pretty's `line_max_chars` in the shell, as OTP's `?CHAR_MAX`.
const CHAR_MAX: usize = 60;

struct Repl {
    session: Session,
    style: Style,
    /// The number of the next entry (the prompt's).
    number: usize,
    /// Entries and their values' text, for `h()`.
    entries: Vec<(usize, String)>,
    columns: usize,
    /// Errors go to stderr (`beryl -e`) rather than with the values.
    errors_to_stderr: bool,
    /// Some entry failed (a diagnostic or an exception).
    failed: bool,
}

pub fn main(opts: ShellOptions) -> ExitCode {
    let session = match Session::start(&opts) {
        Ok(s) => s,
        Err(e) => {
            errln!("beryl: {e}");
            return ExitCode::from(1);
        }
    };
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let mut repl = Repl {
        session,
        style: if tty {
            Style::Rendered { color: true }
        } else {
            Style::Otp
        },
        number: 1,
        entries: Vec::new(),
        columns: terminal_columns().unwrap_or(80),
        errors_to_stderr: false,
        failed: false,
    };
    if tty {
        interactive(&mut repl)
    } else {
        piped(&mut repl)
    }
}

/// `beryl -e 'Exprs.'`: evaluate the entries (the last full stop may be
/// left out) and print the last value; a diagnostic or an exception goes
/// to stderr and makes the status 1.
pub fn eval(text: &str, opts: ShellOptions) -> ExitCode {
    let session = match Session::start(&opts) {
        Ok(s) => s,
        Err(e) => {
            errln!("beryl: {e}");
            return ExitCode::from(1);
        }
    };
    let mut repl = Repl {
        session,
        style: Style::Otp,
        number: 1,
        entries: Vec::new(),
        columns: 80,
        errors_to_stderr: true,
        failed: false,
    };
    let mut text = text.to_string();
    if !entry::is_complete(&text) {
        text.push_str("\n.");
    }
    let (entries, _) = entry::split(&text);
    for e in entries {
        if !repl.run_entry(&e) || repl.failed {
            break;
        }
    }
    repl.session.vm.flush_stdout();
    if repl.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Standard input is not a terminal: read entries from it and print each
/// value on a line of its own (no banner, no prompts). A last entry
/// without its full stop is evaluated at the end of input.
fn piped(repl: &mut Repl) -> ExitCode {
    let mut buf = String::new();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock();
    loop {
        let mut line = String::new();
        let eof = !matches!(lines.read_line(&mut line), Ok(n) if n > 0);
        buf.push_str(&line);
        if eof && entry::has_tokens(&buf) && !entry::is_complete(&buf) {
            buf.push_str("\n.");
        }
        let (entries, rest) = entry::split(&buf);
        buf = rest;
        for e in entries {
            if !repl.run_entry(&e) {
                return ExitCode::SUCCESS;
            }
        }
        if eof {
            return ExitCode::SUCCESS;
        }
    }
}

fn history_file() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".beryl_history"))
}

fn interactive(repl: &mut Repl) -> ExitCode {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .max_history_size(1000)
        .map(|b| b.build());
    let config = config.unwrap_or_default();
    let mut rl: Editor<ShellHelper, FileHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            errln!("beryl: cannot open the terminal: {e}");
            return ExitCode::from(1);
        }
    };
    rl.set_helper(Some(ShellHelper {
        vm: repl.session.vm.clone(),
        names: repl.session.names.clone(),
    }));
    let history = history_file();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    outln!(
        "Beryl {} shell (Erlang/OTP 25 semantics; q(). or Ctrl-D to leave)",
        env!("CARGO_PKG_VERSION")
    );
    loop {
        for r in repl.session.idle_reports() {
            repl.say(&exit_report(r.term));
        }
        let prompt = format!("{}> ", repl.number);
        match rl.readline(&prompt) {
            Ok(line) => {
                if entry::has_tokens(&line) {
                    let _ = rl.add_history_entry(line.trim_end());
                    if let Some(h) = &history {
                        let _ = rl.save_history(h);
                    }
                }
                let (entries, rest) = entry::split(&line);
                for e in entries {
                    if !repl.run_entry(&e) {
                        return ExitCode::SUCCESS;
                    }
                }
                // Text after the last full stop (only blanks when the
                // validator let the line through) is dropped.
                let _ = rest;
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return ExitCode::SUCCESS,
            Err(e) => {
                errln!("beryl: {e}");
                return ExitCode::from(1);
            }
        }
    }
}

impl Repl {
    fn say(&self, text: &str) {
        host::say(&self.session.vm, text);
    }

    /// Report a failed entry.
    fn fail(&mut self, text: &str) {
        self.failed = true;
        if self.errors_to_stderr {
            self.session.vm.flush_stdout();
            err!("{text}");
        } else {
            self.say(text);
        }
    }

    /// Evaluate one entry (text ending with its full stop) and print the
    /// outcome. False when the shell should stop (`q()`).
    fn run_entry(&mut self, text: &str) -> bool {
        self.columns = terminal_columns().unwrap_or(80);
        let parsed = match entry::parse(text, self.style) {
            Ok(p) => p,
            Err(diag) => {
                // A syntax error does not use up the entry's number.
                self.fail(&diag);
                return true;
            }
        };
        let number = self.number;
        self.number += 1;
        // Leading shell commands the host carries out itself.
        let mut from = 0;
        let mut last = String::from("ok");
        while let Some(cmd) = parsed.exprs.get(from).and_then(entry::command) {
            match cmd {
                Command::ForgetAll => self.session.forget_all(),
                Command::Forget(n) => self.session.forget(&n),
                Command::Bindings => self.print_bindings(),
                Command::History => self.print_history(),
            }
            from += 1;
            last = "ok".into();
        }
        if from == parsed.exprs.len() {
            self.say(&format!("{last}\n"));
            self.entries.push((number, parsed.text.trim_end().to_string()));
            return true;
        }
        let module = self.session.next_module();
        let bound = self.session.bound_names();
        let (compiled, new_names) = match entry::compile(&parsed, from, &bound, &module, self.style) {
            Ok(c) => c,
            Err(diags) => {
                self.fail(&diags);
                return true;
            }
        };
        self.entries.push((number, parsed.text.trim_end().to_string()));
        match self.session.eval(&compiled, &new_names, number) {
            Err(e) => {
                self.say(&format!("*** beryl: {e}\n"));
                false
            }
            Ok((earlier, outcome)) => {
                self.session.vm.flush_stdout();
                for r in earlier {
                    self.fail(&exit_report(r.term));
                }
                match outcome {
                    Outcome::Value(v) => {
                        let s = vm::pretty::print_max_chars(
                            v.term,
                            self.columns,
                            1,
                            DEPTH,
                            Some(CHAR_MAX),
                            true,
                            false,
                        );
                        self.say(&format!("{s}\n"));
                    }
                    Outcome::Exception(p) => {
                        if let Some([c, r, s]) = p.term.as_tuple() {
                            self.fail(&exception_report(host::class_of(*c), *r, *s));
                        }
                    }
                    Outcome::Exit(r) => self.fail(&exit_report(r.term)),
                }
                !self.session.quit_requested()
            }
        }
    }

    fn print_bindings(&self) {
        let mut b = self.session.bindings();
        b.sort_by(|x, y| x.0.cmp(&y.0));
        let mut out = String::new();
        for (name, v) in b {
            let col = name.chars().count() + 4;
            let s = vm::pretty::print_max_chars(v, self.columns, col, DEPTH, Some(CHAR_MAX), true, false);
            out.push_str(&format!("{name} = {s}\n"));
        }
        self.say(&out);
    }

    fn print_history(&self) {
        let mut out = String::new();
        for (n, text) in &self.entries {
            out.push_str(&format!("{n}: {text}\n"));
        }
        self.say(&out);
    }
}

/// `** exception exit: Reason`, for an evaluator killed by a signal.
fn exit_report(reason: Term) -> String {
    format!(
        "** exception exit: {}\n",
        vm::pretty::print_max_chars(reason, 80, 21, DEPTH, Some(CHAR_MAX), true, false)
    )
}

fn is_shell_frame(frame: Term) -> bool {
    let Some(f) = frame.as_tuple() else { return false };
    !f.is_empty() && f[0].is_atom() && {
        let m = atom::name(f[0]);
        m == "beryl_shell" || m.starts_with("$beryl_shell_")
    }
}

/// An exception as OTP's shell reports it: `** exception error: ...`
/// and the stack without the shell's own frames.
pub fn exception_report(class: vm::process::Class, reason: Term, trace: Term) -> String {
    let mut frames: Vec<Term> = trace.iter_list().collect();
    while frames.last().is_some_and(|f| is_shell_frame(*f)) {
        frames.pop();
    }
    let kept = Payload::compose(|h| h.list(&frames));
    let full = vm::errfmt::format_exception("*", class, reason, kept.term);
    let mut out = String::new();
    for (i, line) in full.lines().enumerate() {
        if i == 0 {
            out.push_str("**");
            out.push_str(line.strip_prefix("*:").unwrap_or(line));
            // erl_error names where a function clause was missing.
            if reason == atom::atom("function_clause") {
                if let Some(e) = frames.first().and_then(|f| f.as_tuple()) {
                    if e.len() == 4 {
                        out.push_str(&location(e[3]));
                    }
                }
            }
            out.push('\n');
        }
    }
    // The frames, in erl_error's layout.
    let skip_first = reason == atom::atom("undef") || reason == atom::atom("function_clause");
    let mut first = true;
    for (i, f) in frames.iter().enumerate() {
        if skip_first && i == 0 {
            continue;
        }
        let Some(e) = f.as_tuple() else { continue };
        if e.len() != 4 || !e[0].is_atom() || !e[1].is_atom() {
            continue;
        }
        let (m, fun, args) = (atom::name(e[0]), e[1], e[2]);
        let arity = if args.is_small() {
            args.small_value() as usize
        } else {
            args.list_length().unwrap_or(0)
        };
        let fname = vm::print::write(fun);
        let label = if first { "in function " } else { "in call from" };
        if m == "erlang" && args.is_list() {
            let a: Vec<String> = args.iter_list().map(vm::print::print_flat).collect();
            let op = atom::name(fun);
            if is_operator(op, a.len()) {
                out.push_str(&format!("     in operator  {fname}/{arity}\n"));
                let called = if a.len() == 2 {
                    format!("{} {op} {}", a[0], a[1])
                } else {
                    format!("{op} {}", a[0])
                };
                out.push_str(&format!("        called as {called}\n"));
            } else {
                out.push_str(&format!("     {label} {fname}/{arity}\n"));
                out.push_str(&format!("        called as {fname}({})\n", a.join(",")));
            }
        } else {
            out.push_str(&format!(
                "     {label} {}:{fname}/{arity}{}\n",
                vm::print::write(e[0]),
                location(e[3])
            ));
        }
        first = false;
    }
    out
}

fn is_operator(op: &str, arity: usize) -> bool {
    const BINARY: &[&str] = &[
        "+", "-", "*", "/", "div", "rem", "band", "bor", "bxor", "bsl", "bsr", "and", "or", "xor", "==",
        "/=", "=<", "<", ">=", ">", "=:=", "=/=", "++", "--", "!",
    ];
    const UNARY: &[&str] = &["+", "-", "bnot", "not"];
    (arity == 2 && BINARY.contains(&op)) || (arity == 1 && UNARY.contains(&op))
}

/// ` (file.erl, line N)` from a frame's location list.
fn location(loc: Term) -> String {
    let (mut file, mut line) = (None, None);
    for item in loc.iter_list() {
        if let Some([k, v]) = item.as_tuple() {
            if *k == atom::atom("file") {
                file = vm::bif::char_list(*v);
            } else if *k == atom::atom("line") {
                line = Some(vm::print::write(*v));
            }
        }
    }
    match (file, line) {
        (Some(f), Some(l)) => format!(" ({f}, line {l})"),
        (Some(f), None) => format!(" ({f})"),
        _ => String::new(),
    }
}

fn terminal_columns() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ fills a winsize; fd 1 is open.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        if libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) == 0 && ws.ws_col > 0 {
            return Some(ws.ws_col as usize);
        }
    }
    None
}

// ------------------------------------------------------------ line editing

struct ShellHelper {
    vm: Arc<Vm>,
    names: Arc<Mutex<Vec<String>>>,
}

impl ShellHelper {
    fn modules(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .vm
            .code
            .loaded_modules()
            .into_iter()
            .map(|m| atom::name(m).to_string())
            .filter(|m| !m.starts_with('$') && m != "beryl_shell")
            .collect();
        out.extend(stdlib::MODULES.iter().map(|m| m.to_string()));
        out.extend(["erlang", "io", "io_lib"].map(String::from));
        if let Ok(dir) = std::fs::read_dir(".") {
            for e in dir.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if let Some(m) = name.strip_suffix(".erl") {
                    out.push(m.to_string());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn functions(&self, module: &str) -> Vec<String> {
        let Some(m) = atom::intern(module) else {
            return Vec::new();
        };
        self.vm.ensure_loaded(m);
        let mut out: Vec<String> = match self.vm.code.module(m) {
            Some(lm) => lm
                .exports
                .iter()
                .map(|(f, _)| atom::name(*f).to_string())
                .collect(),
            None => Vec::new(),
        };
        out.retain(|f| f != "module_info");
        out.sort();
        out.dedup();
        out
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let word_char = |c: char| c.is_alphanumeric() || c == '_' || c == '@' || c == ':';
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !word_char(*c))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = &before[start..];
        let pairs = |items: Vec<String>, prefix: &str, suffix: &str| -> Vec<Pair> {
            items
                .into_iter()
                .map(|s| Pair {
                    display: s.clone(),
                    replacement: format!("{prefix}{s}{suffix}"),
                })
                .collect()
        };
        if let Some((m, f)) = word.split_once(':') {
            let fs: Vec<String> = self
                .functions(m)
                .into_iter()
                .filter(|x| x.starts_with(f))
                .collect();
            return Ok((start, pairs(fs, &format!("{m}:"), "(")));
        }
        if word.starts_with(|c: char| c.is_uppercase() || c == '_') {
            let names = self.names.lock().map(|n| n.clone()).unwrap_or_default();
            let vs: Vec<String> = names.into_iter().filter(|n| n.starts_with(word)).collect();
            return Ok((start, pairs(vs, "", "")));
        }
        if word.is_empty() {
            return Ok((start, Vec::new()));
        }
        let ms: Vec<String> = self
            .modules()
            .into_iter()
            .filter(|m| m.starts_with(word))
            .collect();
        Ok((start, pairs(ms, "", ":")))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if entry::is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for ShellHelper {}
