//! The `file` module's natives: whole-file reads and writes, open files,
//! directories and file information. `stdlib/erl/file.erl` holds the parts
//! written in Erlang (consult, the record conversions, `'$await'`).
//!
//! Operations that can block (open, close, read_file, write_file, reads,
//! writes, positioning, sync and truncation of open files, directory and
//! file-information calls) check their arguments here on the scheduler,
//! then run on an I/O thread (`offload`, `crate::iopool`) while the
//! process waits in a receive; `consult` and the cwd calls still run on
//! the scheduler thread (docs/files.md).
//!
//! An open file is `{file_descriptor, beryl_file, Id}` whatever the modes
//! (OTP gives a pid for a non-raw file and `{file_descriptor, prim_file,
//! #{...}}` for a raw one); `Id` indexes a table of open files shared by
//! the VM, so any process may use a handle. `read_ahead` and
//! `delayed_write` buffer as OTP does (`OpenState`).

use super::{BifFn, Ctx};
use crate::atom;
use crate::binary;
use crate::heap::Heap;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use crate::vm::Vm;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt, PermissionsExt};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub fn register(t: &mut Vec<(&'static str, &'static str, u32, BifFn)>) {
    for (m, n, a, f) in [
        ("file", "read_file", 1, read_file as BifFn),
        ("file", "write_file", 2, write_file2),
        ("file", "write_file", 3, write_file3),
        ("file", "open", 2, open),
        ("file", "close", 1, close),
        ("file", "read", 2, read),
        ("file", "read_line", 1, read_line),
        ("file", "write", 2, write),
        ("file", "pread", 3, pread),
        ("file", "pwrite", 3, pwrite),
        ("file", "position", 2, position),
        ("file", "sync", 1, sync),
        ("file", "datasync", 1, sync),
        ("file", "truncate", 1, truncate),
        ("file", "list_dir", 1, list_dir),
        ("file", "delete", 1, delete),
        ("file", "make_dir", 1, make_dir),
        ("file", "del_dir", 1, del_dir),
        ("file", "rename", 2, rename),
        ("file", "get_cwd", 0, get_cwd),
        ("file", "set_cwd", 1, set_cwd),
        ("file", "$file_info", 2, file_info),
        ("file", "$file_info", 3, file_info),
        ("file", "read_link", 1, read_link),
        ("file", "read_link_all", 1, read_link),
        ("file", "make_symlink", 2, make_symlink),
        ("file", "make_link", 2, make_link),
        ("file", "change_mode", 2, change_mode),
        ("file", "list_dir_all", 1, list_dir),
        ("file", "$read_all", 1, read_all),
        ("file", "consult", 1, consult),
    ] {
        t.push((m, n, a, f));
    }
}

/// An open file.
struct Open {
    /// The VM (its address) and process that opened it: the file is
    /// closed when that process exits, as OTP does.
    owner: (usize, Term),
    binary: bool,
    read: bool,
    write: bool,
    /// The file and its buffers: locked by the I/O thread working on it.
    state: Mutex<OpenState>,
}

/// OTP's default buffer size for `read_ahead` and `delayed_write`.
const DEFAULT_BUFFER: usize = 64 * 1024;
/// OTP's default delay of `delayed_write`, in milliseconds.
const DEFAULT_DELAY_MS: u64 = 2000;

/// The `read_ahead` and `delayed_write` modes of an open file.
#[derive(Clone, Copy, Default)]
struct Buffering {
    /// Read this many bytes at a time (0: no read buffer).
    read_ahead: usize,
    /// Keep writes until this many bytes or this many milliseconds.
    delayed: Option<(usize, u64)>,
}

/// The file and its buffers (OTP's semantics: a `read_ahead` buffer holds
/// bytes read past the position and is given back (the file offset moved
/// back) before anything but another read; a `delayed_write` buffer is
/// written out when it would exceed its size, when its delay has passed
/// (checked by the next operation and by the flusher thread), and before
/// any other operation (read, position, pread, pwrite, sync, truncate,
/// close). An error of a write that was delayed is the answer of the
/// operation that wrote it out.
struct OpenState {
    file: File,
    key: Option<(u64, u64)>,
    /// A regular file (else a pipe, device...: reads are not repeated).
    regular: bool,
    modes: Buffering,
    /// Bytes read ahead; `rpos` is the next one to give.
    rbuf: Vec<u8>,
    rpos: usize,
    /// Bytes whose write is delayed, and since when.
    wbuf: Vec<u8>,
    wsince: Option<std::time::Instant>,
    /// The flusher has a deadline for them.
    watched: bool,
}

impl OpenState {
    fn new(file: File, key: Option<(u64, u64)>, modes: Buffering) -> OpenState {
        OpenState {
            regular: file.metadata().is_ok_and(|m| m.is_file()),
            file,
            key,
            modes,
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
            wsince: None,
            watched: false,
        }
    }

    /// Write out the delayed bytes.
    fn flush(&mut self) -> std::io::Result<()> {
        self.wsince = None;
        self.watched = false;
        if self.wbuf.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.wbuf);
        let _writing = crate::filemap::before_writing(self.key)?;
        self.file.write_all(&bytes)
    }

    /// When the delayed bytes are due.
    fn deadline(&self) -> Option<std::time::Instant> {
        let (_, ms) = self.modes.delayed?;
        Some(self.wsince? + std::time::Duration::from_millis(ms))
    }

    /// Write out the delayed bytes if their delay has passed.
    fn flush_if_due(&mut self) -> std::io::Result<()> {
        match (self.wsince, self.modes.delayed) {
            (Some(t), Some((_, ms))) if t.elapsed().as_millis() as u64 >= ms => self.flush(),
            _ => Ok(()),
        }
    }

    /// Give back the bytes read ahead: the file offset goes back to the
    /// position the program sees (on a pipe, which cannot seek, they stay
    /// buffered for the next read).
    fn unread(&mut self) {
        let ahead = self.rbuf.len() - self.rpos;
        if ahead > 0 && self.file.seek(SeekFrom::Current(-(ahead as i64))).is_err() {
            // A pipe: keep them for the next read.
            return;
        }
        self.rbuf.clear();
        self.rpos = 0;
    }

    /// Read more into the read buffer (at least one `read`): false at the
    /// end of the file.
    fn fill(&mut self, chunk: usize) -> std::io::Result<bool> {
        if self.rpos > 0 {
            self.rbuf.drain(..self.rpos);
            self.rpos = 0;
        }
        let have = self.rbuf.len();
        self.rbuf.resize(have + chunk.max(1), 0);
        loop {
            match self.file.read(&mut self.rbuf[have..]) {
                Ok(k) => {
                    self.rbuf.truncate(have + k);
                    return Ok(k > 0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.rbuf.truncate(have);
                    return Err(e);
                }
            }
        }
    }

    /// Up to `n` bytes from the position: fewer only at the end of a
    /// regular file; from a pipe or device, what one `read` gives. With
    /// `read_ahead`, as OTP's prim_file: bytes buffered first, then one
    /// `read` of the rest plus the read-ahead size, whose excess is kept.
    fn read(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        self.flush()?;
        let buffered = self.rbuf.len() - self.rpos;
        let take = buffered.min(n);
        let mut out = self.rbuf[self.rpos..self.rpos + take].to_vec();
        self.rpos += take;
        if out.len() == n || (!out.is_empty() && !self.regular) {
            return Ok(out);
        }
        self.rbuf.clear();
        self.rpos = 0;
        let rest = n - out.len();
        if self.modes.read_ahead == 0 {
            self.read_direct(&mut out, rest)?;
            return Ok(out);
        }
        let mut more = Vec::new();
        self.read_direct(&mut more, rest + self.modes.read_ahead)?;
        if more.len() > rest {
            self.rbuf = more.split_off(rest);
        }
        out.extend_from_slice(&more);
        Ok(out)
    }

    /// Read up to `rest` more bytes into `out`: from a regular file until
    /// a short read (its end), from anything else one `read`.
    fn read_direct(&mut self, out: &mut Vec<u8>, rest: usize) -> std::io::Result<()> {
        let mut rest = rest;
        if rest > 16 * DEFAULT_BUFFER && self.regular {
            // Never more room than the file has left.
            let left = self
                .file
                .metadata()?
                .len()
                .saturating_sub(self.file.stream_position()?);
            rest = rest.min(usize::try_from(left).unwrap_or(usize::MAX));
        }
        let start = out.len();
        out.resize(start + rest, 0);
        let mut got = 0;
        while got < rest {
            let want = rest - got;
            match self.file.read(&mut out[start + got..]) {
                Ok(0) => break,
                Ok(k) => {
                    got += k;
                    // Linux's largest single read is 0x7ffff000 bytes.
                    if !self.regular || (k < want && k != 0x7fff_f000) {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    out.truncate(start + got);
                    return Err(e);
                }
            }
        }
        out.truncate(start + got);
        Ok(())
    }

    /// The next line, `\n` included (None at the end of the file).
    fn read_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        self.flush()?;
        let chunk = if self.modes.read_ahead > 0 {
            self.modes.read_ahead
        } else {
            4096
        };
        let mut searched = self.rpos;
        let line = loop {
            if let Some(i) = self.rbuf[searched..].iter().position(|&b| b == b'\n') {
                let end = searched + i + 1;
                let line = self.rbuf[self.rpos..end].to_vec();
                self.rpos = end;
                break line;
            }
            searched = self.rbuf.len() - self.rpos;
            if !self.fill(chunk)? {
                let line = self.rbuf[self.rpos..].to_vec();
                self.rpos = self.rbuf.len();
                break line;
            }
            // `fill` moved the unread bytes to the front.
            searched = searched.min(self.rbuf.len());
        };
        if self.modes.read_ahead == 0 {
            self.unread();
        }
        if line.is_empty() {
            return Ok(None);
        }
        let mut line = line;
        // OTP turns a "\r\n" ending into "\n".
        if line.ends_with(b"\r\n") {
            line.truncate(line.len() - 2);
            line.push(b'\n');
        }
        Ok(Some(line))
    }

    /// Write iodata at the position: delayed when it fits in the buffer,
    /// else written (after the delayed bytes) with `writev`.
    fn write_iov(
        &mut self,
        iov: crate::iov::Iov<'static>,
        settings: &crate::iov::IovSettings,
    ) -> std::io::Result<()> {
        self.unread();
        if let Some((size, _)) = self.modes.delayed {
            // OTP's raw_file_io_delayed: kept while smaller than the room
            // left; else added to what is kept and all written at once;
            // written directly when nothing is kept.
            if self.wbuf.len() + iov.len() < size || !self.wbuf.is_empty() {
                for s in iov.slices() {
                    self.wbuf.extend_from_slice(&s);
                }
                self.wsince.get_or_insert_with(std::time::Instant::now);
                if self.wbuf.len() >= size {
                    return self.flush();
                }
                return self.flush_if_due();
            }
        }
        let _writing = crate::filemap::before_writing(self.key)?;
        iov.write_to_fd(std::os::fd::AsRawFd::as_raw_fd(&self.file), settings)
    }

    /// Bytes at the position (io:format to a file).
    fn write_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.unread();
        if let Some((size, _)) = self.modes.delayed {
            if self.wbuf.len() + bytes.len() < size || !self.wbuf.is_empty() {
                self.wbuf.extend_from_slice(bytes);
                self.wsince.get_or_insert_with(std::time::Instant::now);
                if self.wbuf.len() >= size {
                    return self.flush();
                }
                return self.flush_if_due();
            }
        }
        let _writing = crate::filemap::before_writing(self.key)?;
        self.file.write_all(bytes)
    }

    fn pread(&mut self, pos: u64, n: usize) -> std::io::Result<Vec<u8>> {
        self.flush()?;
        // No bigger than what the file holds past `pos`.
        let room = self
            .file
            .metadata()
            .map(|m| m.len().saturating_sub(pos))
            .unwrap_or(0);
        let mut buf = vec![0u8; n.min(usize::try_from(room).unwrap_or(usize::MAX))];
        let mut got = 0;
        while got < buf.len() {
            match self.file.read_at(&mut buf[got..], pos + got as u64) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        buf.truncate(got);
        Ok(buf)
    }

    fn pwrite_iov(
        &mut self,
        iov: crate::iov::Iov<'static>,
        pos: u64,
        settings: &crate::iov::IovSettings,
    ) -> std::io::Result<()> {
        self.flush()?;
        self.unread();
        let _writing = crate::filemap::before_writing(self.key)?;
        iov.write_to_fd_at(std::os::fd::AsRawFd::as_raw_fd(&self.file), pos, settings)
    }

    fn seek(&mut self, from: SeekFrom) -> std::io::Result<u64> {
        self.flush()?;
        self.unread();
        self.file.seek(from)
    }

    fn truncate(&mut self) -> std::io::Result<()> {
        self.flush()?;
        self.unread();
        let _writing = crate::filemap::before_writing(self.key)?;
        let p = self.file.stream_position()?;
        self.file.set_len(p)
    }
}

impl Drop for OpenState {
    /// The last user let go (closed, or its owner exited): delayed bytes
    /// are written (an error has nobody to tell).
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Writes out delayed bytes whose delay has passed while the file is not
/// used (OTP's timer in raw_file_io_delayed): one thread, started with
/// the first delayed write, waiting for the earliest deadline.
mod flusher {
    use super::Open;
    use std::sync::{Arc, Condvar, Mutex, TryLockError, Weak};
    use std::time::{Duration, Instant};

    struct Queue {
        due: Vec<(Instant, Weak<Open>)>,
        started: bool,
    }

    static QUEUE: Mutex<Queue> = Mutex::new(Queue {
        due: Vec::new(),
        started: false,
    });
    static WAKE: Condvar = Condvar::new();

    /// Flush `f`'s delayed bytes at `at` if still there.
    pub fn watch(f: &Arc<Open>, at: Instant) {
        let mut q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
        q.due.push((at, Arc::downgrade(f)));
        if !q.started {
            q.started = std::thread::Builder::new()
                .name("beryl-flusher".into())
                .spawn(run)
                .is_ok();
        }
        drop(q);
        WAKE.notify_one();
    }

    fn run() {
        loop {
            let due = {
                let mut q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    let now = Instant::now();
                    let (due, later): (Vec<_>, Vec<_>) = q.due.drain(..).partition(|(t, _)| *t <= now);
                    q.due = later;
                    if !due.is_empty() {
                        break due;
                    }
                    q = match q.due.iter().map(|(t, _)| *t).min() {
                        Some(t) => WAKE.wait_timeout(q, t - now).unwrap_or_else(|e| e.into_inner()).0,
                        None => WAKE.wait(q).unwrap_or_else(|e| e.into_inner()),
                    };
                }
            };
            for (_, w) in due {
                let Some(f) = w.upgrade() else { continue };
                let again = match f.state.try_lock() {
                    Ok(mut st) => {
                        // An error has nobody to tell (as on OTP).
                        let _ = st.flush_if_due();
                        let again = st.deadline();
                        st.watched = again.is_some();
                        again
                    }
                    // Busy (an operation is running): look again soon.
                    Err(TryLockError::WouldBlock) => Some(Instant::now() + Duration::from_millis(10)),
                    Err(TryLockError::Poisoned(_)) => None,
                };
                if let Some(at) = again {
                    watch(&f, at);
                }
            }
        }
    }
}

type Table = Mutex<HashMap<u64, Arc<Open>>>;

fn table() -> &'static (Table, Mutex<u64>) {
    static T: OnceLock<(Table, Mutex<u64>)> = OnceLock::new();
    T.get_or_init(|| (Mutex::new(HashMap::new()), Mutex::new(0)))
}

/// A file name: a (deep) list of characters, an atom or a binary (raw
/// bytes). Characters are encoded in UTF-8, as OTP does with its default
/// `+fnu` file name encoding.
pub fn path_arg(t: Term) -> Option<PathBuf> {
    use std::ffi::OsStr;
    if let Some(b) = binary::bytes_of(t) {
        if b.contains(&0) {
            return None;
        }
        return Some(PathBuf::from(OsStr::from_bytes(b)));
    }
    if t.is_atom() {
        return Some(PathBuf::from(atom::name(t)));
    }
    let mut s = String::new();
    flat_chars(t, &mut s, 0)?;
    if s.contains('\0') {
        return None;
    }
    Some(PathBuf::from(s))
}

fn flat_chars(t: Term, out: &mut String, depth: usize) -> Option<()> {
    if depth > 1_000 {
        return None;
    }
    let mut cur = t;
    while cur.is_cons() {
        let (h, tl) = cur.cons_parts();
        if h.is_small() {
            out.push(char::from_u32(u32::try_from(h.small_value()).ok()?)?);
        } else if h.is_atom() {
            out.push_str(atom::name(h));
        } else if h.is_list() {
            flat_chars(h, out, depth + 1)?;
        } else if let Some(b) = binary::bytes_of(h) {
            out.push_str(std::str::from_utf8(b).ok()?);
        } else {
            return None;
        }
        cur = tl;
    }
    cur.is_nil().then_some(())
}

/// The POSIX name of an error, as OTP spells it.
pub fn errno_atom(e: &std::io::Error) -> Term {
    let name = match e.raw_os_error() {
        Some(libc::ENOENT) => "enoent",
        Some(libc::EACCES) => "eacces",
        Some(libc::EEXIST) => "eexist",
        Some(libc::ENOTDIR) => "enotdir",
        Some(libc::EISDIR) => "eisdir",
        // OTP reports a non-empty directory as eexist.
        Some(libc::ENOTEMPTY) => "eexist",
        Some(libc::EBADF) => "ebadf",
        Some(libc::EINVAL) => "einval",
        Some(libc::EXDEV) => "exdev",
        Some(libc::ENOSPC) => "enospc",
        Some(libc::EPERM) => "eperm",
        Some(libc::EBUSY) => "ebusy",
        Some(libc::EROFS) => "erofs",
        Some(libc::ELOOP) => "eloop",
        Some(libc::ENAMETOOLONG) => "enametoolong",
        Some(libc::EMFILE) => "emfile",
        Some(libc::ENFILE) => "enfile",
        Some(libc::EIO) => "eio",
        Some(libc::EFBIG) => "efbig",
        Some(libc::ESPIPE) => "espipe",
        Some(libc::EAGAIN) => "eagain",
        Some(libc::EINTR) => "eintr",
        Some(libc::EDQUOT) => "edquot",
        Some(libc::ENXIO) => "enxio",
        Some(libc::ENODEV) => "enodev",
        Some(libc::ENOMEM) => "enomem",
        _ => match e.kind() {
            std::io::ErrorKind::NotFound => "enoent",
            std::io::ErrorKind::PermissionDenied => "eacces",
            std::io::ErrorKind::AlreadyExists => "eexist",
            std::io::ErrorKind::InvalidInput => "einval",
            _ => "eio",
        },
    };
    atom::atom(name)
}

fn error(c: &mut Ctx, reason: Term) -> Term {
    c.proc.heap.tuple(&[atom::atom("error"), reason])
}

fn ok(c: &mut Ctx, v: Term) -> Term {
    c.proc.heap.tuple(&[atom::OK, v])
}

fn io_err(c: &mut Ctx, e: &std::io::Error) -> Term {
    let r = errno_atom(e);
    error(c, r)
}

/// A whole file's contents: bytes read, or a block over a mapping of it.
pub enum Contents {
    Bytes(Vec<u8>),
    Mapped(crate::offheap::Block),
}

/// Read a whole file: mapped when it is a large regular file
/// (`filemap.rs`), else read (also `/proc` files, pipes, devices).
pub fn read_contents(p: &std::path::Path) -> std::io::Result<Contents> {
    let mut f = File::open(p)?;
    let md = f.metadata()?;
    if md.is_dir() {
        return Err(std::io::Error::from_raw_os_error(libc::EISDIR));
    }
    if md.is_file() && md.len() >= crate::filemap::MAP_AT_LEAST {
        if let Some(b) = crate::filemap::map_file(&f) {
            return Ok(Contents::Mapped(b));
        }
    }
    let mut v = Vec::with_capacity(if md.is_file() { md.len() as usize } else { 0 });
    f.read_to_end(&mut v)?;
    Ok(Contents::Bytes(v))
}

/// `{ok, Binary}` of the contents.
pub fn contents_term(heap: &mut crate::heap::Heap, contents: Contents) -> Term {
    match contents {
        Contents::Bytes(v) => binary::binary(heap, &v),
        Contents::Mapped(b) => binary::of_block(heap, b),
    }
}

/// The whole file as a string of bytes (for consult), or `{error, R}`.
fn read_all(c: &mut Ctx, a: &[Term]) -> BifResult {
    path_op(c, a[0], |h, p| match std::fs::read(&p) {
        Ok(bytes) => {
            let b = h.byte_list(&bytes);
            h_ok(h, b)
        }
        Err(e) => h_io_err(h, &e),
    })
}

// ------------------------------------------------------------ off the scheduler

/// Run `op` on an I/O thread (`iopool.rs`) while the process waits in
/// `file:'$await'/1` for its result; inline when no thread can be had.
/// `op` must own all it uses: no term of the process survives until it
/// runs.
fn offload(c: &mut Ctx, op: impl FnOnce(&Vm, &mut Heap) -> Term + Send + 'static) -> BifResult {
    let n = c.vm.new_ref();
    let id = c.proc.id;
    let r = c.proc.fresh_ref(n, id);
    let pid = c.proc.pid();
    match c.vm.io.submit(pid, r, Box::new(op)) {
        Ok(()) => Err(Exc::Apply {
            module: atom::atom("file"),
            function: atom::atom("$await"),
            args: vec![r],
        }),
        Err(op) => Ok(op(c.vm, &mut c.proc.heap)),
    }
}

fn h_io_err(h: &mut Heap, e: &std::io::Error) -> Term {
    h.tuple(&[atom::atom("error"), errno_atom(e)])
}

fn h_ok(h: &mut Heap, v: Term) -> Term {
    h.tuple(&[atom::OK, v])
}

fn h_unit(h: &mut Heap, r: std::io::Result<()>) -> Term {
    match r {
        Ok(()) => atom::OK,
        Err(e) => h_io_err(h, &e),
    }
}

fn h_data(h: &mut Heap, bytes: &[u8], bin: bool) -> Term {
    if bin {
        binary::binary(h, bytes)
    } else {
        h.byte_list(bytes)
    }
}

// ------------------------------------------------------------ whole files

fn read_file(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(p) = path_arg(a[0]) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    offload(c, move |_, h| match read_contents(&p) {
        Ok(contents) => {
            let b = contents_term(h, contents);
            h_ok(h, b)
        }
        Err(e) => h_io_err(h, &e),
    })
}

fn write_file_with(c: &mut Ctx, name: Term, d: Term, modes: Term) -> BifResult {
    let settings = c.vm.iov;
    let (Some(p), Ok(iov)) = (path_arg(name), crate::iov::Iov::of_iodata_owned(d, &settings)) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let Some(modes) = modes.list_to_vec() else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let mut o = OpenOptions::new();
    o.write(true).create(true);
    let mut exclusive = false;
    let mut append = false;
    for m in modes {
        if m == atom::atom("append") {
            append = true;
        } else if m == atom::atom("exclusive") {
            exclusive = true;
        }
    }
    if append {
        o.append(true);
    } else {
        o.truncate(true);
    }
    if exclusive {
        o.create_new(true);
    }
    offload(c, move |_, h| {
        let r = crate::filemap::before_writing_path(&p).and_then(|_writing| {
            o.open(&p)
                .and_then(|f| iov.write_to_fd(std::os::fd::AsRawFd::as_raw_fd(&f), &settings))
        });
        h_unit(h, r)
    })
}

fn write_file2(c: &mut Ctx, a: &[Term]) -> BifResult {
    write_file_with(c, a[0], a[1], Term::NIL)
}

fn write_file3(c: &mut Ctx, a: &[Term]) -> BifResult {
    write_file_with(c, a[0], a[1], a[2])
}

// ------------------------------------------------------------ open files

fn open(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(p) = path_arg(a[0]) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let Some(modes) = a[1].list_to_vec() else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let (mut read, mut write, mut append, mut exclusive, mut bin) = (false, false, false, false, false);
    let mut raw = false;
    let mut buffering = Buffering::default();
    for m in modes {
        if m.is_atom() {
            match atom::name(m) {
                "read" => read = true,
                "write" => write = true,
                "append" => append = true,
                "exclusive" => exclusive = true,
                "binary" => bin = true,
                "list" => bin = false,
                "raw" => raw = true,
                "read_ahead" => buffering.read_ahead = DEFAULT_BUFFER,
                "delayed_write" => buffering.delayed = Some((DEFAULT_BUFFER, DEFAULT_DELAY_MS)),
                "sync" | "directory" => {}
                _ => return Ok(error(c, atom::atom("badarg"))),
            }
        } else if m.is_tuple() {
            let e = m.tuple_elems();
            let size = |t: Term| (t.is_small() && t.small_value() >= 0).then(|| t.small_value() as usize);
            match (e.len(), e.first().filter(|t| t.is_atom()).map(|&t| atom::name(t))) {
                (2, Some("read_ahead")) => match size(e[1]) {
                    Some(n) if n > 0 => buffering.read_ahead = n,
                    _ => return Ok(error(c, atom::atom("badarg"))),
                },
                (3, Some("delayed_write")) => match (size(e[1]), size(e[2])) {
                    (Some(n), Some(ms)) => buffering.delayed = Some((n, ms as u64)),
                    _ => return Ok(error(c, atom::atom("badarg"))),
                },
                (2, Some("binary")) => bin = e[1] == atom::TRUE,
                (_, Some("encoding")) => {}
                _ => return Ok(error(c, atom::atom("badarg"))),
            }
        } else {
            return Ok(error(c, atom::atom("badarg")));
        }
    }
    if !read && !write && !append {
        read = true;
    }
    let mut o = OpenOptions::new();
    o.read(read);
    if write || append {
        o.write(true).create(true);
    }
    let truncating = write && !read && !append;
    if truncating {
        o.truncate(true);
    }
    if append {
        o.append(true);
    }
    if exclusive {
        o.create_new(true);
    }
    if !read {
        buffering.read_ahead = 0;
    }
    if !(write || append) {
        buffering.delayed = None;
    }
    let owner = (c.vm as *const Vm as usize, c.proc.pid());
    // Opening may block (a FIFO waits for its other end): off the scheduler.
    offload(c, move |vm, h| {
        let opened = if truncating {
            crate::filemap::before_writing_path(&p).and_then(|_writing| o.open(&p))
        } else {
            o.open(&p)
        };
        let file = match opened {
            Ok(f) => f,
            Err(e) => return h_io_err(h, &e),
        };
        let key = if write || append {
            crate::filemap::key_of(&file)
        } else {
            None
        };
        // The low bit of the id says whether the file is raw.
        let id = {
            let mut n = table().1.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            *n * 2 + u64::from(raw)
        };
        let open = Open {
            owner,
            binary: bin,
            read,
            write: write || append,
            state: Mutex::new(OpenState::new(file, key, buffering)),
        };
        {
            let mut t = table().0.lock().unwrap_or_else(|e| e.into_inner());
            t.insert(id, Arc::new(open));
            OPEN_COUNT.fetch_add(1, Ordering::AcqRel);
            // The opener may have exited meanwhile, its files already
            // closed (its state is EXITED before `on_exit` runs): close
            // this one too.
            let gone = vm
                .ptab
                .lookup(owner.1)
                .is_none_or(|cell| cell.state.load(Ordering::SeqCst) == crate::sched::ptab::state::EXITED);
            if gone {
                t.remove(&id);
                OPEN_COUNT.fetch_sub(1, Ordering::AcqRel);
            }
        }
        let idt = h.int(id as i64);
        let handle = h.tuple(&[atom::atom("file_descriptor"), atom::atom("beryl_file"), idt]);
        h_ok(h, handle)
    })
}

/// The id in a handle, if it is one of ours.
fn handle_id(t: Term) -> Option<u64> {
    if !t.is_tuple() {
        return None;
    }
    let e = t.tuple_elems();
    if e.len() == 3
        && e[0] == atom::atom("file_descriptor")
        && e[1] == atom::atom("beryl_file")
        && e[2].is_small()
    {
        u64::try_from(e[2].small_value()).ok()
    } else {
        None
    }
}

/// Files open anywhere (so that a process exit skips the table's lock).
static OPEN_COUNT: AtomicUsize = AtomicUsize::new(0);

/// A process exited: close the files it opened (delayed writes are
/// flushed when the last user of the file lets go of it).
pub fn on_exit(vm: &Vm, pid: Term) {
    if OPEN_COUNT.load(Ordering::Acquire) == 0 {
        return;
    }
    let owner = (vm as *const Vm as usize, pid);
    let mut t = table().0.lock().unwrap_or_else(|e| e.into_inner());
    let before = t.len();
    t.retain(|_, f| f.owner != owner);
    OPEN_COUNT.fetch_sub(before - t.len(), Ordering::AcqRel);
}

/// Is this a handle of an open file (for io functions on it)?
pub fn is_handle(t: Term) -> bool {
    matches!(lookup(t), Ok(Some(_)))
}

/// io:format and friends on a file: write the bytes at its position (on
/// the scheduler thread).
pub fn write_to(t: Term, bytes: &[u8]) -> std::io::Result<()> {
    match lookup(t) {
        Ok(Some(f)) => {
            let mut st = f.state.lock().unwrap_or_else(|e| e.into_inner());
            let r = st.write_bytes(bytes);
            watch_delayed(&f, &mut st);
            r
        }
        _ => Err(std::io::Error::from_raw_os_error(libc::EBADF)),
    }
}

/// io:get_line/2 on a file: a line (a list or, in binary mode, a binary),
/// `eof` at the end (on the scheduler thread).
pub fn io_get_line(c: &mut Ctx, t: Term) -> BifResult {
    let Some(f) = lookup(t)? else {
        return Ok(closed(c, t));
    };
    check_owner(c, t, &f)?;
    if !f.read {
        return Ok(ebadf(c));
    }
    let r = f.state.lock().unwrap_or_else(|e| e.into_inner()).read_line();
    Ok(match r {
        Ok(Some(line)) => h_data(&mut c.proc.heap, &line, f.binary),
        Ok(None) => atom::atom("eof"),
        Err(e) => io_err(c, &e),
    })
}

/// The open file behind a handle: badarg for anything else, `None` (the
/// caller answers `{error, einval}`) for a closed one.
fn lookup(t: Term) -> Result<Option<Arc<Open>>, Exc> {
    let id = handle_id(t).ok_or_else(Exc::badarg)?;
    Ok(table()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
        .cloned())
}

/// Is the handle (with a valid id) one of a raw file?
fn is_raw(t: Term) -> bool {
    handle_id(t).is_some_and(|id| id & 1 == 1)
}

/// What using a closed file answers: OTP's raw files say `einval`, the
/// others (whose server process is gone) `terminated`.
fn closed(c: &mut Ctx, t: Term) -> Term {
    let r = if is_raw(t) { "einval" } else { "terminated" };
    error(c, atom::atom(r))
}

/// A raw file serves only the process that opened it, as in OTP.
fn check_owner(c: &Ctx, t: Term, f: &Open) -> Result<(), Exc> {
    if is_raw(t) && f.owner != (c.vm as *const Vm as usize, c.proc.pid()) {
        return Err(Exc::error(atom::atom("not_on_controlling_process")));
    }
    Ok(())
}

/// Delayed bytes are waiting: have the flusher write them when due.
fn watch_delayed(f: &Arc<Open>, st: &mut OpenState) {
    if let (Some(at), false) = (st.deadline(), st.watched) {
        st.watched = true;
        flusher::watch(f, at);
    }
}

/// What an operation on an open file needs besides the file.
#[derive(Clone, Copy, PartialEq)]
enum Need {
    Nothing,
    Read,
    Write,
}

/// Check the handle (badarg, closed, owner, mode) on the scheduler, then
/// run `op` on the file's state off it.
fn file_op(
    c: &mut Ctx,
    t: Term,
    need: Need,
    op: impl FnOnce(&Arc<Open>, &mut OpenState, &mut Heap) -> Term + Send + 'static,
) -> BifResult {
    let Some(f) = lookup(t)? else {
        return Ok(closed(c, t));
    };
    check_owner(c, t, &f)?;
    if (need == Need::Read && !f.read) || (need == Need::Write && !f.write) {
        return Ok(ebadf(c));
    }
    offload(c, move |_, h| {
        let mut st = f.state.lock().unwrap_or_else(|e| e.into_inner());
        op(&f, &mut st, h)
    })
}

/// Closing a closed file: `{error, einval}` for a raw one, `ok` for the
/// others (as OTP's file:close on a server that is gone). Delayed writes
/// are flushed, and their error is close's answer.
fn close(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(f) = lookup(a[0])? else {
        return Ok(if is_raw(a[0]) {
            error(c, atom::atom("einval"))
        } else {
            atom::OK
        });
    };
    check_owner(c, a[0], &f)?;
    let id = handle_id(a[0]).ok_or_else(Exc::badarg)?;
    if table()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id)
        .is_some()
    {
        OPEN_COUNT.fetch_sub(1, Ordering::AcqRel);
    }
    offload(c, move |_, h| {
        let mut st = f.state.lock().unwrap_or_else(|e| e.into_inner());
        let r = st.flush();
        h_unit(h, r)
    })
}

fn ebadf(c: &mut Ctx) -> Term {
    error(c, atom::atom("ebadf"))
}

fn count_arg(t: Term) -> Result<usize, Exc> {
    if t.is_small() && t.small_value() >= 0 {
        Ok(t.small_value() as usize)
    } else {
        Err(Exc::badarg())
    }
}

fn read(c: &mut Ctx, a: &[Term]) -> BifResult {
    let n = count_arg(a[1])?;
    file_op(c, a[0], Need::Read, move |f, st, h| match st.read(n) {
        Ok(v) if v.is_empty() && n > 0 => atom::atom("eof"),
        Ok(v) => {
            let d = h_data(h, &v, f.binary);
            h_ok(h, d)
        }
        Err(e) => h_io_err(h, &e),
    })
}

fn read_line(c: &mut Ctx, a: &[Term]) -> BifResult {
    file_op(c, a[0], Need::Read, move |f, st, h| match st.read_line() {
        Ok(Some(line)) => {
            let d = h_data(h, &line, f.binary);
            h_ok(h, d)
        }
        Ok(None) => atom::atom("eof"),
        Err(e) => h_io_err(h, &e),
    })
}

fn write(c: &mut Ctx, a: &[Term]) -> BifResult {
    // Written with writev, pointing into the binaries (`iov.rs`).
    let settings = c.vm.iov;
    let iov = crate::iov::Iov::of_iodata_owned(a[1], &settings);
    let Some(f) = lookup(a[0])? else {
        return Ok(closed(c, a[0]));
    };
    check_owner(c, a[0], &f)?;
    let Ok(iov) = iov else {
        return Ok(error(c, atom::atom("badarg")));
    };
    file_op(c, a[0], Need::Write, move |f, st, h| {
        let r = st.write_iov(iov, &settings);
        watch_delayed(f, st);
        h_unit(h, r)
    })
}

fn offset_arg(t: Term) -> Option<u64> {
    if t.is_small() && t.small_value() >= 0 {
        Some(t.small_value() as u64)
    } else {
        None
    }
}

fn pread(c: &mut Ctx, a: &[Term]) -> BifResult {
    let n = count_arg(a[2])?;
    let Some(f) = lookup(a[0])? else {
        return Ok(closed(c, a[0]));
    };
    check_owner(c, a[0], &f)?;
    let Some(pos) = offset_arg(a[1]) else {
        return Ok(error(c, atom::atom("einval")));
    };
    // OTP's non-raw files (file_io_server) read at the offset by moving
    // the position there: the position ends after what was read.
    let moves = !is_raw(a[0]);
    file_op(c, a[0], Need::Read, move |f, st, h| {
        let r = if moves {
            st.seek(SeekFrom::Start(pos)).and_then(|_| st.read(n))
        } else {
            st.pread(pos, n)
        };
        match r {
            Ok(v) if v.is_empty() && n > 0 => atom::atom("eof"),
            Ok(v) => {
                let d = h_data(h, &v, f.binary);
                h_ok(h, d)
            }
            Err(e) => h_io_err(h, &e),
        }
    })
}

fn pwrite(c: &mut Ctx, a: &[Term]) -> BifResult {
    // Written with pwritev at the offset, pointing into the binaries.
    let settings = c.vm.iov;
    let iov = crate::iov::Iov::of_iodata_owned(a[2], &settings);
    let Some(f) = lookup(a[0])? else {
        return Ok(closed(c, a[0]));
    };
    check_owner(c, a[0], &f)?;
    let Ok(iov) = iov else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let Some(pos) = offset_arg(a[1]) else {
        return Ok(error(c, atom::atom("einval")));
    };
    // On a non-raw file (OTP's file_io_server) the position moves to the
    // end of what was written.
    let moves = !is_raw(a[0]);
    file_op(c, a[0], Need::Write, move |_, st, h| {
        let len = iov.len() as u64;
        let mut r = st.pwrite_iov(iov, pos, &settings);
        if moves && r.is_ok() {
            r = st.seek(SeekFrom::Start(pos + len)).map(|_| ());
        }
        h_unit(h, r)
    })
}

fn position(c: &mut Ctx, a: &[Term]) -> BifResult {
    let p = a[1];
    let small = |t: Term| if t.is_small() { Some(t.small_value()) } else { None };
    let (whence, off) = if let Some(n) = small(p) {
        ("bof", n)
    } else if p.is_atom() {
        (atom::name(p), 0)
    } else if p.is_tuple() && p.tuple_elems().len() == 2 && p.tuple_elems()[0].is_atom() {
        let e = p.tuple_elems();
        match small(e[1]) {
            Some(n) => (atom::name(e[0]), n),
            None => return Ok(error(c, atom::atom("einval"))),
        }
    } else {
        return Ok(error(c, atom::atom("einval")));
    };
    let from = match whence {
        "bof" if off >= 0 => SeekFrom::Start(off as u64),
        "bof" => return Ok(error(c, atom::atom("einval"))),
        "cur" => SeekFrom::Current(off),
        "eof" => SeekFrom::End(off),
        _ => return Ok(error(c, atom::atom("einval"))),
    };
    file_op(c, a[0], Need::Nothing, move |_, st, h| match st.seek(from) {
        Ok(n) => {
            let t = h.int(n as i64);
            h_ok(h, t)
        }
        Err(e) => h_io_err(h, &e),
    })
}

fn sync(c: &mut Ctx, a: &[Term]) -> BifResult {
    file_op(c, a[0], Need::Nothing, move |_, st, h| {
        let r = st.flush().and_then(|()| st.file.sync_all());
        h_unit(h, r)
    })
}

fn truncate(c: &mut Ctx, a: &[Term]) -> BifResult {
    file_op(c, a[0], Need::Nothing, move |_, st, h| {
        let r = st.truncate();
        h_unit(h, r)
    })
}

/// A name as Erlang sees it: characters when it is UTF-8, else its bytes
/// as a binary (OTP's raw file names).
fn name_term(c: &mut Ctx, bytes: &[u8]) -> Term {
    h_name_term(&mut c.proc.heap, bytes)
}

fn h_name_term(h: &mut Heap, bytes: &[u8]) -> Term {
    match std::str::from_utf8(bytes) {
        Ok(s) => h.string(s),
        Err(_) => binary::binary(h, bytes),
    }
}

fn with_path(c: &mut Ctx, t: Term, f: impl FnOnce(&mut Ctx, PathBuf) -> Term) -> BifResult {
    match path_arg(t) {
        Some(p) => Ok(f(c, p)),
        None => Ok(error(c, atom::atom("badarg"))),
    }
}

/// An operation on a named file, run on an I/O thread (`offload`).
fn path_op(c: &mut Ctx, t: Term, f: impl FnOnce(&mut Heap, PathBuf) -> Term + Send + 'static) -> BifResult {
    match path_arg(t) {
        Some(p) => offload(c, move |_, h| f(h, p)),
        None => Ok(error(c, atom::atom("badarg"))),
    }
}

fn list_dir(c: &mut Ctx, a: &[Term]) -> BifResult {
    path_op(c, a[0], |h, p| {
        let names: std::io::Result<Vec<Vec<u8>>> = std::fs::read_dir(&p)
            .and_then(|rd| rd.map(|e| e.map(|e| e.file_name().as_bytes().to_vec())).collect());
        match names {
            Ok(names) => {
                let items: Vec<Term> = names.iter().map(|n| h_name_term(h, n)).collect();
                let l = h.list(&items);
                h_ok(h, l)
            }
            Err(e) => h_io_err(h, &e),
        }
    })
}

fn delete(c: &mut Ctx, a: &[Term]) -> BifResult {
    path_op(c, a[0], |h, p| {
        let r = std::fs::remove_file(&p);
        // OTP reports deleting a directory as eperm (POSIX's unlink).
        match r {
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => {
                h.tuple(&[atom::atom("error"), atom::atom("eperm")])
            }
            r => h_unit(h, r),
        }
    })
}

fn make_dir(c: &mut Ctx, a: &[Term]) -> BifResult {
    path_op(c, a[0], |h, p| {
        let r = std::fs::create_dir(&p);
        h_unit(h, r)
    })
}

fn del_dir(c: &mut Ctx, a: &[Term]) -> BifResult {
    path_op(c, a[0], |h, p| {
        let r = std::fs::remove_dir(&p);
        h_unit(h, r)
    })
}

fn rename(c: &mut Ctx, a: &[Term]) -> BifResult {
    two_paths(c, a, std::fs::rename)
}

fn get_cwd(c: &mut Ctx, _: &[Term]) -> BifResult {
    Ok(match std::env::current_dir() {
        Ok(d) => {
            let n = name_term(c, d.as_os_str().as_bytes());
            ok(c, n)
        }
        Err(e) => io_err(c, &e),
    })
}

fn set_cwd(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_path(c, a[0], |c, p| {
        let r = std::env::set_current_dir(&p);
        h_unit(&mut c.proc.heap, r)
    })
}

/// `'$file_info'(Name, Local[, Follow])`: `{ok, #file_info{}}` with times
/// as local (`true`) or universal date-time tuples or (`posix`) seconds, or `{error, Reason}`;
/// with `Follow` false a symbolic link is described itself (`lstat`).
fn file_info(c: &mut Ctx, a: &[Term]) -> BifResult {
    let local = a[1] == atom::TRUE;
    let posix = a[1] == atom::atom("posix");
    let follow = a.get(2).is_none_or(|&f| f != atom::FALSE);
    path_op(c, a[0], move |hp, p| {
        let md = if follow {
            std::fs::metadata(&p)
        } else {
            std::fs::symlink_metadata(&p)
        };
        let md = match md {
            Ok(m) => m,
            Err(e) => return h_io_err(hp, &e),
        };
        let ft = md.file_type();
        let ty = if ft.is_dir() {
            "directory"
        } else if ft.is_file() {
            "regular"
        } else if ft.is_symlink() {
            "symlink"
        } else {
            use std::os::unix::fs::FileTypeExt;
            if ft.is_block_device() || ft.is_char_device() {
                "device"
            } else {
                "other"
            }
        };
        let mode = md.permissions().mode();
        let cpath = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap_or_default();
        // SAFETY: access reads the NUL-terminated path we own for the call.
        let can = |m| unsafe { libc::access(cpath.as_ptr(), m) == 0 };
        let access = match (can(libc::R_OK), can(libc::W_OK)) {
            (true, true) => "read_write",
            (true, false) => "read",
            (false, true) => "write",
            (false, false) => "none",
        };
        let time = |hp: &mut Heap, secs: i64| {
            if posix {
                return hp.int(secs);
            }
            let (y, mo, d, h, mi, s) = super::time::broken_down(secs, local);
            let dt = hp.tuple(&[Term::small(y), Term::small(mo), Term::small(d)]);
            let tt = hp.tuple(&[Term::small(h), Term::small(mi), Term::small(s)]);
            hp.tuple(&[dt, tt])
        };
        let at = time(hp, md.atime());
        let mt = time(hp, md.mtime());
        let ct = time(hp, md.ctime());
        let size = hp.int(md.size() as i64);
        let ino = hp.int(md.ino() as i64);
        let major = hp.int(md.dev() as i64);
        let rec = hp.tuple(&[
            atom::atom("file_info"),
            size,
            atom::atom(ty),
            atom::atom(access),
            at,
            mt,
            ct,
            Term::small(i64::from(mode)),
            Term::small(md.nlink() as i64),
            major,
            Term::small((md.rdev() & 0xff) as i64),
            ino,
            Term::small(i64::from(md.uid())),
            Term::small(i64::from(md.gid())),
        ]);
        h_ok(hp, rec)
    })
}

/// `consult(Name)`: the terms of a file, each ended by a full stop, read
/// with Beryl's own scanner and parser: `{ok, Terms}`, `{error, Posix}`,
/// or `{error, {Line, erl_parse, Message}}` for a term that is not a
/// literal or does not parse.
fn consult(c: &mut Ctx, a: &[Term]) -> BifResult {
    use compiler::source::decode_source;
    let Some(p) = path_arg(a[0]) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let bytes = match std::fs::read(&p) {
        Ok(b) => b,
        Err(e) => return Ok(io_err(c, &e)),
    };
    let text = decode_source(&bytes);
    Ok(match read_terms(c, &text, usize::MAX) {
        Ok(terms) => {
            let l = c.proc.heap.list(&terms);
            ok(c, l)
        }
        Err(reason) => error(c, reason),
    })
}

/// Does this text hold a full stop token (a whole term for io:read)?
pub fn has_full_stop(text: &str) -> bool {
    use compiler::source::{SourceFile, SourceMap};
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("read", text.to_string()));
    compiler::lexer::scan(file, text)
        .tokens
        .iter()
        .any(|t| t.tok == compiler::token::Tok::Dot)
}

/// Up to `max` terms of a text, each ended by a full stop; the error is
/// erl_parse's `{Line, erl_parse, Message}`.
pub fn read_terms(c: &mut Ctx, text: &str, max: usize) -> Result<Vec<Term>, Term> {
    use compiler::source::{SourceFile, SourceMap};
    use compiler::token::Tok;
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("consult", text.to_string()));
    let scanned = compiler::lexer::scan(file, text);
    let mut terms = Vec::new();
    let mut start = 0;
    let toks = &scanned.tokens;
    let reason = |c: &mut Ctx, offset: u32, msg: Term| {
        let line = sources.get(file).line(offset);
        c.proc
            .heap
            .tuple(&[Term::small(i64::from(line)), atom::atom("erl_parse"), msg])
    };
    for (i, t) in toks.iter().enumerate() {
        if terms.len() >= max {
            break;
        }
        if let Tok::Error(_) = t.tok {
            let m = c.proc.heap.string("syntax error");
            return Err(reason(c, t.span.lo, m));
        }
        // Tokens after the last full stop are parsed too (as io:read does
        // at the end of the file), to report their syntax error.
        if t.tok != Tok::Dot && i + 1 < toks.len() {
            continue;
        }
        let form = &toks[start..=i];
        start = i + 1;
        match compiler::parser::parse_exprs(form) {
            Ok(_) if t.tok != Tok::Dot => {
                let m = c.proc.heap.string("premature end");
                return Err(reason(c, t.span.hi, m));
            }
            Ok(es) if es.len() == 1 => match literal(c, &es[0], 0) {
                Some(v) => terms.push(v),
                None => {
                    let m = c.proc.heap.string("bad term");
                    return Err(reason(c, form[0].span.lo, m));
                }
            },
            Ok(_) => {
                let m = c.proc.heap.string("syntax error");
                return Err(reason(c, form[0].span.lo, m));
            }
            Err(d) => {
                // erl_parse's ["syntax error before: ", Token].
                let m = match d.message.strip_prefix("syntax error before: ") {
                    Some(tok) => {
                        let a = c.proc.heap.string("syntax error before: ");
                        let b = c.proc.heap.string(tok);
                        c.proc.heap.list(&[a, b])
                    }
                    None => c.proc.heap.string(&d.message),
                };
                return Err(reason(c, d.span.lo, m));
            }
        }
    }
    Ok(terms)
}

/// A literal expression as a term.
fn literal(c: &mut Ctx, e: &compiler::ast::Expr, depth: usize) -> Option<Term> {
    use compiler::ast::{ExprKind, UnOp};
    use compiler::token::IntLit;
    if depth > 1_000 {
        return None;
    }
    let int = |c: &mut Ctx, i: &IntLit, neg: bool| match i {
        IntLit::Small(n) => {
            let v = if neg { -i128::from(*n) } else { i128::from(*n) };
            c.proc.heap.i128(v)
        }
        IntLit::Big(b) => {
            let v = if neg { -(**b).clone() } else { (**b).clone() };
            c.proc.heap.bigint(&v)
        }
    };
    Some(match &e.kind {
        ExprKind::Atom(a) => atom::atom(a),
        ExprKind::Integer(i) => int(c, i, false),
        ExprKind::Float(f) => c.proc.heap.float(*f),
        ExprKind::Char(ch) => Term::small(i64::from(u32::from(*ch))),
        ExprKind::String(s) => c.proc.heap.string(s),
        ExprKind::Nil => Term::NIL,
        ExprKind::Unary(op, x) => {
            let neg = matches!(op, UnOp::Minus);
            if !neg && !matches!(op, UnOp::Plus) {
                return None;
            }
            match &x.kind {
                ExprKind::Integer(i) => int(c, i, neg),
                ExprKind::Float(f) => c.proc.heap.float(if neg { -*f } else { *f }),
                ExprKind::Char(ch) => {
                    let v = i64::from(u32::from(*ch));
                    Term::small(if neg { -v } else { v })
                }
                _ => return None,
            }
        }
        ExprKind::Cons(h, t) => {
            let h = literal(c, h, depth + 1)?;
            let t = literal(c, t, depth + 1)?;
            c.proc.heap.cons(h, t)
        }
        ExprKind::Tuple(es) => {
            let mut v = Vec::with_capacity(es.len());
            for x in es {
                v.push(literal(c, x, depth + 1)?);
            }
            c.proc.heap.tuple(&v)
        }
        ExprKind::MapNew(fs) => {
            let mut v = Vec::with_capacity(fs.len());
            for f in fs {
                if f.exact {
                    return None;
                }
                let k = literal(c, &f.key, depth + 1)?;
                let x = literal(c, &f.value, depth + 1)?;
                v.push((k, x));
            }
            crate::map::from_pairs(&mut c.proc.heap, &v)
        }
        ExprKind::Binary(elems) => {
            let mut bytes = Vec::new();
            for el in elems {
                if el.size.is_some() || el.types.is_some() {
                    return None;
                }
                match &el.value.kind {
                    ExprKind::String(s) => bytes.extend(s.chars().map(|ch| ch as u32 as u8)),
                    ExprKind::Integer(IntLit::Small(n)) => bytes.push(*n as u8),
                    ExprKind::Char(ch) => bytes.push(u32::from(*ch) as u8),
                    _ => return None,
                }
            }
            binary::binary(&mut c.proc.heap, &bytes)
        }
        _ => return None,
    })
}

fn read_link(c: &mut Ctx, a: &[Term]) -> BifResult {
    path_op(c, a[0], |h, p| match std::fs::read_link(&p) {
        Ok(t) => {
            let n = h_name_term(h, t.as_os_str().as_bytes());
            h_ok(h, n)
        }
        Err(e) => h_io_err(h, &e),
    })
}

fn two_paths(
    c: &mut Ctx,
    a: &[Term],
    f: impl FnOnce(PathBuf, PathBuf) -> std::io::Result<()> + Send + 'static,
) -> BifResult {
    match (path_arg(a[0]), path_arg(a[1])) {
        (Some(x), Some(y)) => offload(c, move |_, h| {
            let r = f(x, y);
            h_unit(h, r)
        }),
        _ => Ok(error(c, atom::atom("badarg"))),
    }
}

fn make_symlink(c: &mut Ctx, a: &[Term]) -> BifResult {
    two_paths(c, a, std::os::unix::fs::symlink)
}

fn make_link(c: &mut Ctx, a: &[Term]) -> BifResult {
    two_paths(c, a, std::fs::hard_link)
}

fn change_mode(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(mode) = offset_arg(a[1]).and_then(|m| u32::try_from(m).ok()) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    path_op(c, a[0], move |h, p| {
        let r = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode));
        h_unit(h, r)
    })
}
