//! The virtual machine: loaded code, configuration, and running processes.

use crate::atom;
use crate::code::{CodeServer, LoadError};
use crate::heap::Heap;
use crate::interp;
use crate::process::{Class, Exc, Monitor, Process};
use crate::sched::ptab::{Priority, ProcCell, ProcTable};
use crate::sched::{signals, Schedulers};
use crate::signal::{Payload, Signal};
use crate::term::Term;
use compiler::bytecode::{self, Instr};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, RwLock};

/// Settings of a VM.
#[derive(Clone, Debug)]
pub struct Config {
    /// Collect garbage at every safe point (for testing the collector).
    pub gc_stress: bool,
    /// Directories searched for modules loaded on demand (`-pa`).
    pub code_path: Vec<PathBuf>,
    /// Initial heap size of a process, in words.
    pub heap_words: usize,
    /// Scheduler threads (`+S N`); default: the number of logical CPUs.
    pub schedulers: usize,
    /// The most processes that may exist at once (`+P N`).
    pub process_limit: usize,
    /// When functions are compiled to native code (`BERYL_JIT`).
    pub jit: crate::jit::JitMode,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            gc_stress: std::env::var("BERYL_GC_STRESS").is_ok_and(|v| !v.is_empty() && v != "0"),
            code_path: Vec::new(),
            heap_words: crate::heap::MIN_HEAP_WORDS,
            schedulers: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            process_limit: 262_144,
            jit: crate::jit::JitMode::from_env(),
        }
    }
}

/// How a program's main process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MainExit {
    /// It returned (or exited with reason `normal`).
    Normal,
    /// It crashed or exited abnormally: the report to print (escript's
    /// shape, `prefix: exception ...`).
    Failed(String),
}

/// How a new process starts.
pub enum Start {
    /// `Fun()`.
    Fun(Term),
    /// `apply(Module, Function, Args)`.
    Apply(Term, Term, Vec<Term>),
}

/// `spawn_opt` options.
#[derive(Clone, Copy, Debug)]
pub struct SpawnOpts {
    pub link: bool,
    pub monitor: bool,
    pub priority: Priority,
    pub min_heap_size: usize,
    /// The program's main process (its end ends `run_main`).
    pub main: bool,
}

impl Default for SpawnOpts {
    fn default() -> SpawnOpts {
        SpawnOpts {
            link: false,
            monitor: false,
            priority: Priority::Normal,
            min_heap_size: 0,
            main: false,
        }
    }
}

/// Finds and compiles a module that is called but not loaded.
pub type ModuleFinder = dyn Fn(&Vm, &str) -> Option<bytecode::Module> + Send + Sync;

pub struct Vm {
    pub code: CodeServer,
    pub config: Config,
    pub code_path: RwLock<Vec<PathBuf>>,
    /// The arguments the program's main/1 got (`init:get_plain_arguments/0`).
    pub plain_args: RwLock<Vec<String>>,
    finder: RwLock<Option<Box<ModuleFinder>>>,
    /// Where io:format and friends write standard output.
    pub stdout: Mutex<Box<dyn crate::iov::OutputSink>>,
    /// How iolists are written (`iov.rs`).
    pub iov: crate::iov::IovSettings,
    next_ref: AtomicU64,
    /// Modules that failed to load on demand (so we don't retry forever).
    failed: Mutex<std::collections::HashSet<u32>>,
    pub ptab: ProcTable,
    pub scheds: Schedulers,
    /// ETS tables (`crate::ets`).
    pub ets: crate::ets::Registry,
    /// Threads for blocking file operations (`iopool.rs`).
    pub io: crate::iopool::IoPool,
    /// Native code of hot functions (`crate::jit`).
    pub jit: crate::jit::Jit,
    main_done: Mutex<Option<MainExit>>,
    main_cv: Condvar,
}

impl Vm {
    pub fn new(config: Config) -> Arc<Vm> {
        let vm = Arc::new_cyclic(|me| Vm {
            code: CodeServer::default(),
            code_path: RwLock::new(config.code_path.clone()),
            plain_args: RwLock::new(Vec::new()),
            config: config.clone(),
            finder: RwLock::new(None),
            stdout: Mutex::new(Box::new(std::io::stdout())),
            iov: crate::iov::IovSettings::from_env(),
            next_ref: AtomicU64::new(1),
            failed: Mutex::new(Default::default()),
            ptab: ProcTable::new(config.process_limit),
            scheds: Schedulers::new(config.schedulers),
            ets: crate::ets::Registry::new(config.schedulers),
            io: crate::iopool::IoPool::new(me.clone()),
            jit: crate::jit::Jit::new(config.jit),
            main_done: Mutex::new(None),
            main_cv: Condvar::new(),
        });
        crate::bif::register_all(&vm.code);
        vm
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

    /// Forget which modules failed to load (the code path changed).
    pub fn forget_failures(&self) {
        if let Ok(mut f) = self.failed.lock() {
            f.clear();
        }
    }

    pub fn new_ref(&self) -> u64 {
        self.next_ref.fetch_add(1, Ordering::Relaxed)
    }

    /// This node's name (`nonode@nohost` until distribution starts).
    pub fn node_name(&self) -> Term {
        atom::NONODE
    }

    // ------------------------------------------------------------ messages

    /// `To ! Msg`: to a pid (dead ones swallow it), a registered name or
    /// `{Name, Node}` on this node (badarg when nobody has the name).
    pub fn send(&self, _from: &mut Process, to: Term, msg: Term) -> Result<(), Exc> {
        let pid = match self.resolve_dest(to) {
            Some(pid) => pid,
            None => return self.send_to_reference(to, msg),
        };
        signals::send_message(self, pid, msg);
        Ok(())
    }

    /// `Ref ! Msg`: a process alias. The reference's creator decides on
    /// arrival whether the alias is active; any other reference swallows
    /// the message. Anything else is badarg.
    fn send_to_reference(&self, to: Term, msg: Term) -> Result<(), Exc> {
        let (reference, creator) = crate::heap::ref_id(to).ok_or_else(Exc::badarg)?;
        if creator != crate::bif::timer::TIMER_MARK {
            let msg = Payload::copy_of(msg).into_message();
            signals::send_signal(self, Term::pid(creator), Signal::AliasMessage { reference, msg });
        }
        Ok(())
    }

    fn resolve_dest(&self, to: Term) -> Option<Term> {
        if to.is_local_pid() {
            return Some(to);
        }
        if to.is_atom() {
            return self.ptab.whereis(to);
        }
        if let Some([name, node]) = to.as_tuple().map(|t| t.to_vec()).as_deref() {
            if name.is_atom() && *node == self.node_name() {
                return self.ptab.whereis(*name);
            }
        }
        None
    }

    /// Deliver an already copied message (timers); unknown names drop it.
    pub fn send_payload(&self, to: Term, msg: Payload) {
        if let Some(pid) = self.resolve_dest(to) {
            signals::send_signal(self, pid, Signal::Message(msg.into_message()));
        }
    }

    // ------------------------------------------------------------ processes

    /// Create a process; with `parent`, link or monitor it as `opts` ask.
    /// Returns the pid and the monitor reference number.
    pub fn spawn(
        &self,
        parent: Option<&mut Process>,
        start: Start,
        opts: SpawnOpts,
    ) -> Result<(Term, Option<u64>), Exc> {
        let pid = self.ptab.reserve().ok_or_else(Exc::system_limit)?;
        let heap_words = self.config.heap_words.max(opts.min_heap_size);
        let mut p = Process::new(pid.pid_index(), heap_words);
        p.heap.set_stress(self.config.gc_stress);
        let (ip, x, initial) = match start {
            Start::Fun(f) => {
                // Beside the heap, so an idle process needs no heap block.
                let (f, block) = Heap::fragment_of(f);
                p.heap.absorb_block(block);
                (spawn_code(None), vec![f], (atom::ERLANG, atom::APPLY, 2))
            }
            Start::Apply(m, f, args) => {
                let n = args.len();
                if n > 255 {
                    self.ptab.release(pid);
                    return Err(Exc::badarg());
                }
                let mut x: Vec<Term> = args
                    .iter()
                    .map(|a| {
                        let (a, block) = Heap::fragment_of(*a);
                        p.heap.absorb_block(block);
                        a
                    })
                    .collect();
                x.push(m);
                x.push(f);
                (spawn_code(Some(n)), x, (m, f, n as u32))
            }
        };
        p.resume_ip = ip as usize;
        p.resume_cp = interp::exit_ptr() as usize;
        p.saved_x = x;
        p.initial_call = initial;
        p.is_main = opts.main;
        let mut monitor = None;
        if let Some(parent) = parent {
            p.group_leader = parent.group_leader;
            if opts.link {
                p.add_link(parent.pid());
                parent.add_link(pid);
            }
            if opts.monitor {
                let r = self.new_ref();
                p.monitored_by.push((r, parent.pid(), None));
                parent.monitors.push(Monitor {
                    reference: r,
                    target: pid,
                    name: None,
                });
                monitor = Some(r);
            }
        }
        let cell = Arc::new(ProcCell::new(pid, opts.priority, p));
        self.ptab.insert(cell.clone());
        self.scheds.enqueue(cell);
        Ok((pid, monitor))
    }

    /// Run `Module:Function(Args)` as the program's main process, on the
    /// schedulers, until it ends; other processes keep running.
    pub fn run_main(
        self: &Arc<Self>,
        module: &str,
        function: &str,
        build_args: impl FnOnce(&mut crate::heap::Heap) -> Vec<Term>,
    ) -> MainExit {
        Schedulers::start(self);
        let mut scratch = crate::heap::Heap::new(64);
        let args = build_args(&mut scratch);
        let (m, f) = (atom::atom(module), atom::atom(function));
        *self.main_done.lock().expect("main") = None;
        let opts = SpawnOpts {
            main: true,
            ..SpawnOpts::default()
        };
        if self.spawn(None, Start::Apply(m, f, args), opts).is_err() {
            return MainExit::Failed("beryl: cannot start the main process\n".into());
        }
        let mut done = self.main_done.lock().expect("main");
        while done.is_none() {
            done = self.main_cv.wait(done).expect("main");
        }
        self.flush_stdout();
        done.take().unwrap_or(MainExit::Normal)
    }

    /// The main process ended (called by its exit).
    pub(crate) fn main_exited(&self, p: &mut Process, reason: Term, crash: Option<(Class, Term, Term)>) {
        let result = match crash {
            Some((class, r, trace)) => {
                MainExit::Failed(crate::errfmt::format_exception("beryl", class, r, trace))
            }
            None if reason == atom::NORMAL => MainExit::Normal,
            None => MainExit::Failed(crate::errfmt::format_exception(
                "beryl",
                Class::Exit,
                reason,
                Term::NIL,
            )),
        };
        let _ = p;
        self.flush_stdout();
        *self.main_done.lock().expect("main") = Some(result);
        self.main_cv.notify_all();
    }

    /// A process crashed: the error report OTP's logger prints.
    pub(crate) fn report_crash(&self, pid: Term, value: Term) {
        let head = format!(
            "=ERROR REPORT==== {} ===\nError in process {} with exit value:\n",
            crate::bif::time::report_timestamp(),
            crate::print::write(pid)
        );
        let body = crate::pretty::print(value, 80, 1, usize::MAX, true, false);
        let text = format!("{head}{body}\n\n");
        self.flush_stdout();
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }

    pub fn flush_stdout(&self) {
        let _ = self.stdout.lock().map(|mut o| o.flush());
    }

    /// Stop the whole program with an exit status (erlang:halt/1).
    pub fn halt(&self, status: i32) -> ! {
        self.flush_stdout();
        let _ = std::io::stderr().flush();
        std::process::exit(status)
    }
}

/// The code a new process starts at: `apply` of x(n), x(n+1) to n
/// arguments, or (None) a call of the fun in x0.
fn spawn_code(arity: Option<usize>) -> *const Instr {
    static CODE: OnceLock<Vec<Instr>> = OnceLock::new();
    let code = CODE.get_or_init(|| {
        let mut v: Vec<Instr> = (0..=255u32).map(|arity| Instr::ApplyOnly { arity }).collect();
        v.push(Instr::CallFunOnly { arity: 0 });
        v
    });
    match arity {
        Some(n) => &code[n] as *const Instr,
        None => &code[256] as *const Instr,
    }
}
