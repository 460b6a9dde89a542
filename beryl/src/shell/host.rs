//! The shell's VM side: a VM with the `beryl_shell` server process
//! running in it, the native `beryl_host` functions the Erlang side
//! calls back into, and the round trip of one entry.

use crate::loader;
use compiler::bytecode;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock, RwLock};
use vm::atom;
use vm::bif::Ctx;
use vm::process::{BifResult, Class, Exc};
use vm::sched::Schedulers;
use vm::signal::Payload;
use vm::vm::{SpawnOpts, Start};
use vm::{Config, Term, Vm};

const SHELL_SOURCE: &str = include_str!("beryl_shell.erl");
/// How many results `v(N)` can reach back (OTP's default).
const RESULTS: usize = 20;

/// A term handed from the VM to the host, owned by its own block.
struct Reply(Payload);
// SAFETY: the payload's block is owned and no process refers to it.
unsafe impl Send for Reply {}

struct Host {
    tx: Mutex<mpsc::Sender<Reply>>,
    dirs: RwLock<Vec<PathBuf>>,
    quit: AtomicBool,
}

static HOST: OnceLock<Host> = OnceLock::new();

/// What became of an entry.
pub enum Outcome {
    Value(Payload),
    /// An exception (class, reason, stack trace), in a payload
    /// `{Class, Reason, Stack}`.
    Exception(Payload),
    /// The evaluator was killed by an exit signal: the reason.
    Exit(Payload),
}

pub struct Session {
    pub vm: Arc<Vm>,
    server: Term,
    rx: mpsc::Receiver<Reply>,
    /// Bound variables, in the order of `values`.
    pub names: Arc<Mutex<Vec<String>>>,
    /// A tuple of the bound values.
    values: Payload,
    /// Results of earlier entries, newest first: (entry number, value).
    history: VecDeque<(usize, Payload)>,
    seq: i64,
    modules: usize,
}

pub struct ShellOptions {
    pub code_path: Vec<PathBuf>,
    pub schedulers: Option<usize>,
    pub process_limit: Option<usize>,
}

impl Session {
    pub fn start(opts: &ShellOptions) -> Result<Session, String> {
        let mut dirs = vec![PathBuf::from(".")];
        dirs.extend(opts.code_path.iter().cloned());
        let defaults = Config::default();
        let config = Config {
            code_path: dirs.clone(),
            schedulers: opts.schedulers.unwrap_or(defaults.schedulers),
            process_limit: opts.process_limit.unwrap_or(defaults.process_limit),
            ..defaults
        };
        let (tx, rx) = mpsc::channel();
        let host = Host {
            tx: Mutex::new(tx),
            dirs: RwLock::new(dirs),
            quit: AtomicBool::new(false),
        };
        if HOST.set(host).is_err() {
            return Err("a shell is already running in this process".into());
        }
        let vm = Vm::new(config);
        vm.set_finder(Box::new(|_vm, name| loader::find_module(&host_dirs(), name)));
        for (f, a, fun) in [
            ("reply", 1, native_reply as vm::bif::BifFn),
            ("c", 1, native_c),
            ("l", 1, native_l),
            ("q", 0, native_q),
            ("pwd", 0, native_pwd),
            ("cd", 1, native_cd),
        ] {
            vm.code.register_native("beryl_host", f, a, fun);
        }
        let shell = loader::compile_text("beryl_shell.erl", SHELL_SOURCE.to_string(), &[], false)
            .map_err(|_| "the shell module does not compile".to_string())?;
        vm.load(&shell).map_err(|e| e.0)?;
        Schedulers::start(&vm);
        let start = Start::Apply(atom::atom("beryl_shell"), atom::atom("start"), Vec::new());
        let (server, _) = vm
            .spawn(None, start, SpawnOpts::default())
            .map_err(|_| "cannot start the shell process".to_string())?;
        Ok(Session {
            vm,
            server,
            rx,
            names: Arc::new(Mutex::new(Vec::new())),
            values: Payload::compose(|h| h.tuple(&[])),
            history: VecDeque::new(),
            seq: 0,
            modules: 0,
        })
    }

    pub fn bound_names(&self) -> Vec<String> {
        self.names.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// A fresh name for an entry's module.
    pub fn next_module(&mut self) -> String {
        self.modules += 1;
        format!("$beryl_shell_{}", self.modules)
    }

    /// The bindings as (name, value) pairs, for `b()`.
    pub fn bindings(&self) -> Vec<(String, Term)> {
        let values = self.values.term.as_tuple().unwrap_or(&[]);
        self.bound_names()
            .into_iter()
            .zip(values.iter().copied())
            .collect()
    }

    /// Forget every binding (`f()`).
    pub fn forget_all(&mut self) {
        if let Ok(mut n) = self.names.lock() {
            n.clear();
        }
        self.values = Payload::compose(|h| h.tuple(&[]));
    }

    /// Forget one binding (`f(X)`).
    pub fn forget(&mut self, name: &str) {
        let mut names = self.bound_names();
        let Some(i) = names.iter().position(|n| n == name) else {
            return;
        };
        names.remove(i);
        let old: Vec<Term> = self.values.term.as_tuple().unwrap_or(&[]).to_vec();
        self.values = Payload::compose(|h| {
            let kept: Vec<Term> = old
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, t)| *t)
                .collect();
            h.tuple(&kept)
        });
        if let Ok(mut n) = self.names.lock() {
            *n = names;
        }
    }

    /// Did `q()` ask the shell to stop?
    pub fn quit_requested(&self) -> bool {
        HOST.get().is_some_and(|h| h.quit.load(Ordering::SeqCst))
    }

    /// Reports of evaluators that died between entries.
    pub fn idle_reports(&self) -> Vec<Payload> {
        let mut out = Vec::new();
        while let Ok(Reply(p)) = self.rx.try_recv() {
            if let Some(r) = idle_exit(&p) {
                out.push(r);
            }
        }
        out
    }

    /// Load an entry's module and evaluate it in the shell's evaluator.
    /// `new_names` are the variables it binds; on success they join the
    /// bindings and the value joins the history as entry `number`.
    /// Reports of earlier evaluators' deaths come first in the result.
    pub fn eval(
        &mut self,
        module: &bytecode::Module,
        new_names: &[String],
        number: usize,
    ) -> Result<(Vec<Payload>, Outcome), String> {
        self.vm.load(module).map_err(|e| e.0)?;
        self.seq += 1;
        let seq = self.seq;
        let m = atom::intern(&module.name).ok_or("the atom table is full")?;
        let values = self.values.term;
        let history: Vec<(usize, Term)> = self.history.iter().map(|(n, p)| (*n, p.term)).collect();
        let msg = Payload::compose(|h| {
            let hist: Vec<Term> = history
                .iter()
                .map(|(n, v)| {
                    let n = h.int(*n as i64);
                    h.tuple(&[n, *v])
                })
                .collect();
            let hist = h.list(&hist);
            let tag = atom::atom("eval");
            h.tuple(&[tag, Term::small(seq), m, values, hist])
        });
        self.vm.send_payload(self.server, msg);
        let mut earlier = Vec::new();
        loop {
            let Ok(Reply(p)) = self.rx.recv() else {
                return Err("the shell process is gone".into());
            };
            if let Some(r) = idle_exit(&p) {
                earlier.push(r);
                continue;
            }
            let Some([s, outcome]) = p.term.as_tuple() else {
                continue;
            };
            if !s.is_small() || s.small_value() != seq {
                continue;
            }
            let Some(parts) = outcome.as_tuple() else { continue };
            let outcome = match (atom::name(parts[0]), parts.len()) {
                ("value", 3) => {
                    let (v, new) = (parts[1], parts[2]);
                    let old: Vec<Term> = values.as_tuple().unwrap_or(&[]).to_vec();
                    let added: Vec<Term> = new.as_tuple().unwrap_or(&[]).to_vec();
                    self.values = Payload::compose(|h| {
                        let all: Vec<Term> = old.iter().chain(added.iter()).copied().collect();
                        h.tuple(&all)
                    });
                    if let Ok(mut n) = self.names.lock() {
                        n.extend(new_names.iter().cloned());
                    }
                    self.history.push_front((number, Payload::copy_of(v)));
                    self.history.truncate(RESULTS);
                    Outcome::Value(Payload::copy_of(v))
                }
                ("exception", 4) => Outcome::Exception(Payload::compose(|h| h.tuple(&parts[1..]))),
                ("exit", 2) => Outcome::Exit(Payload::copy_of(parts[1])),
                _ => continue,
            };
            return Ok((earlier, outcome));
        }
    }
}

/// `{idle, {exit, Reason}}`: the reason.
fn idle_exit(p: &Payload) -> Option<Payload> {
    let [tag, inner] = p.term.as_tuple()? else {
        return None;
    };
    if !tag.is_atom() || atom::name(*tag) != "idle" {
        return None;
    }
    let [_, reason] = inner.as_tuple()? else {
        return None;
    };
    Some(Payload::copy_of(*reason))
}

fn host_dirs() -> Vec<PathBuf> {
    HOST.get()
        .and_then(|h| h.dirs.read().ok().map(|d| d.clone()))
        .unwrap_or_default()
}

/// The class atom of an exception.
pub fn class_of(t: Term) -> Class {
    match atom::name(t) {
        "throw" => Class::Throw,
        "exit" => Class::Exit,
        _ => Class::Error,
    }
}

// ------------------------------------------------------------ natives

fn native_reply(_ctx: &mut Ctx, args: &[Term]) -> BifResult {
    let host = HOST.get().ok_or_else(Exc::badarg)?;
    let p = Payload::copy_of(args[0]);
    if let Ok(tx) = host.tx.lock() {
        let _ = tx.send(Reply(p));
    }
    Ok(atom::atom("ok"))
}

/// An atom or a string argument as text.
fn text_arg(t: Term) -> Option<String> {
    if t.is_atom() {
        Some(atom::name(t).to_string())
    } else {
        vm::bif::char_list(t)
    }
}

/// `c(File)`: compile and load a module; print its diagnostics as OTP's
/// `c/1` does (`file:line:col: message`).
fn native_c(ctx: &mut Ctx, args: &[Term]) -> BifResult {
    let name = text_arg(args[0]).ok_or_else(Exc::badarg)?;
    let file = if name.ends_with(".erl") {
        name
    } else {
        format!("{name}.erl")
    };
    ctx.vm.flush_stdout();
    let error = atom::atom("error");
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(_) => {
            say(ctx.vm, &format!("{file}: no such file or directory\n"));
            return Ok(error);
        }
    };
    let text = loader::strip_shebang(compiler::source::decode_source(&bytes));
    match loader::compile_text_quiet(&file, text) {
        Ok((module, diags)) => {
            say(ctx.vm, &diags);
            match ctx.vm.load(&module) {
                Ok(()) => {
                    let m = atom::intern(&module.name).ok_or_else(Exc::system_limit)?;
                    let ok = atom::atom("ok");
                    Ok(ctx.proc.heap.tuple(&[ok, m]))
                }
                Err(e) => {
                    say(ctx.vm, &format!("{file}: {}\n", e.0));
                    Ok(error)
                }
            }
        }
        Err(diags) => {
            say(ctx.vm, &diags);
            Ok(error)
        }
    }
}

/// `l(Mod)`: (re)load a module from the code path or the standard library.
fn native_l(ctx: &mut Ctx, args: &[Term]) -> BifResult {
    if !args[0].is_atom() {
        return Err(Exc::badarg());
    }
    let name = atom::name(args[0]);
    ctx.vm.flush_stdout();
    match loader::find_module(&host_dirs(), name) {
        Some(m) if ctx.vm.load(&m).is_ok() => {
            let tag = atom::atom("module");
            Ok(ctx.proc.heap.tuple(&[tag, args[0]]))
        }
        _ => {
            let tag = atom::atom("error");
            let why = atom::atom("nofile");
            Ok(ctx.proc.heap.tuple(&[tag, why]))
        }
    }
}

fn native_q(_ctx: &mut Ctx, _args: &[Term]) -> BifResult {
    if let Some(h) = HOST.get() {
        h.quit.store(true, Ordering::SeqCst);
    }
    Ok(atom::atom("ok"))
}

fn native_pwd(ctx: &mut Ctx, _args: &[Term]) -> BifResult {
    let dir = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    say(ctx.vm, &format!("{dir}\n"));
    Ok(atom::atom("ok"))
}

fn native_cd(ctx: &mut Ctx, args: &[Term]) -> BifResult {
    let dir = text_arg(args[0]).ok_or_else(Exc::badarg)?;
    let _ = std::env::set_current_dir(&dir);
    native_pwd(ctx, args)
}

/// Write to the VM's standard output, after what processes wrote.
pub fn say(vm: &Vm, text: &str) {
    if let Ok(mut out) = vm.stdout.lock() {
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
}

use std::io::Write;
