//! The virtual machine: loaded code, configuration, and running processes.

use crate::atom;
use crate::code::{CodeServer, LoadError};
use crate::interp::{self, Outcome};
use crate::process::{Exc, Process};
use crate::term::Term;
use compiler::bytecode;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// Settings of a VM.
#[derive(Clone, Debug)]
pub struct Config {
    /// Collect garbage at every safe point (for testing the collector).
    pub gc_stress: bool,
    /// Directories searched for modules loaded on demand (`-pa`).
    pub code_path: Vec<PathBuf>,
    /// Initial heap size of a process, in words.
    pub heap_words: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            gc_stress: std::env::var("BERYL_GC_STRESS").is_ok_and(|v| !v.is_empty() && v != "0"),
            code_path: Vec::new(),
            heap_words: crate::heap::MIN_HEAP_WORDS,
        }
    }
}

/// Finds and compiles a module that is called but not loaded.
pub type ModuleFinder = dyn Fn(&Vm, &str) -> Option<bytecode::Module> + Send + Sync;

pub struct Vm {
    pub code: CodeServer,
    pub config: Config,
    pub code_path: RwLock<Vec<PathBuf>>,
    finder: RwLock<Option<Box<ModuleFinder>>>,
    /// Where io:format and friends write standard output.
    pub stdout: Mutex<Box<dyn Write + Send>>,
    next_pid: AtomicU64,
    next_ref: AtomicU64,
    /// Modules that failed to load on demand (so we don't retry forever).
    failed: Mutex<std::collections::HashSet<u32>>,
}

impl Vm {
    pub fn new(config: Config) -> Arc<Vm> {
        let vm = Vm {
            code: CodeServer::default(),
            code_path: RwLock::new(config.code_path.clone()),
            config,
            finder: RwLock::new(None),
            stdout: Mutex::new(Box::new(std::io::stdout())),
            next_pid: AtomicU64::new(0),
            next_ref: AtomicU64::new(1),
            failed: Mutex::new(Default::default()),
        };
        crate::bif::register_all(&vm.code);
        Arc::new(vm)
    }

    /// Install the function that finds modules loaded on demand.
    pub fn set_finder(&self, f: Box<ModuleFinder>) {
        *self.finder.write().expect("finder") = Some(f);
    }

    pub fn load(&self, m: &bytecode::Module) -> Result<(), LoadError> {
        self.code.load(m).map(|_| ())
    }

    /// Make sure a module is loaded, finding and compiling it if needed.
    pub fn ensure_loaded(&self, m: Term) -> bool {
        if self.code.module(m).is_some() {
            return true;
        }
        if self.failed.lock().expect("failed").contains(&m.atom_index()) {
            return false;
        }
        let module = {
            let finder = self.finder.read().expect("finder");
            match finder.as_ref() {
                Some(f) => f(self, atom::name(m)),
                None => None,
            }
        };
        match module {
            Some(bc) if bc.name == atom::name(m) && self.load(&bc).is_ok() => true,
            _ => {
                self.failed.lock().expect("failed").insert(m.atom_index());
                false
            }
        }
    }

    pub fn new_pid(&self) -> u64 {
        self.next_pid.fetch_add(1, Ordering::Relaxed)
    }

    pub fn new_ref(&self) -> u64 {
        self.next_ref.fetch_add(1, Ordering::Relaxed)
    }

    /// Send a message. With one process, only sends to itself arrive.
    pub fn send(&self, p: &mut Process, to: Term, msg: Term) -> Result<(), Exc> {
        if to.is_local_pid() {
            if to.pid_index() == p.id {
                let mut h = crate::heap::Heap::new(crate::copy::size_of(msg).max(8));
                let copy = crate::copy::copy(&mut h, msg);
                p.mailbox.push_back(crate::process::Message {
                    term: copy,
                    heap: Some(h),
                });
            }
            return Ok(());
        }
        if to.is_atom() {
            return Err(Exc::badarg());
        }
        Err(Exc::badarg())
    }

    /// Run `Module:Function(Args)` in a new process until it returns or
    /// raises.
    pub fn run(
        &self,
        module: &str,
        function: &str,
        args: &[Term],
        build_args: impl FnOnce(&mut Process) -> Vec<Term>,
    ) -> (Outcome, Process) {
        let mut p = Process::new(self.new_pid(), self.config.heap_words);
        p.heap.set_stress(self.config.gc_stress);
        let built = build_args(&mut p);
        let all: Vec<Term> = args.iter().copied().chain(built).collect();
        let m = atom::atom(module);
        let f = atom::atom(function);
        let mut x = vec![Term::NIL; interp::X_REGS];
        for (i, a) in all.iter().enumerate() {
            x[i] = *a;
        }
        if !self.ensure_loaded(m) {
            let reason = atom::UNDEF;
            return (
                Outcome::Raised(crate::process::Class::Error, reason, Term::NIL),
                p,
            );
        }
        let e = self.code.export(m, f, all.len() as u32);
        let code = e.code();
        if code.is_null() {
            return (
                Outcome::Raised(crate::process::Class::Error, atom::UNDEF, Term::NIL),
                p,
            );
        }
        let out = interp::run(self, &mut p, code, all.len(), &mut x);
        let _ = self.stdout.lock().map(|mut o| o.flush());
        (out, p)
    }
}
