//! The `file` module's natives: whole-file reads and writes, open files,
//! directories and file information. `stdlib/erl/file.erl` holds the parts
//! written in Erlang (consult, the record conversions).
//!
//! The calls block the scheduler thread while the operating system works
//! (plain `std::fs` calls). That is acceptable for now: files are local and
//! operations short; an I/O thread pool can come later.
//!
//! An open file is `{file_descriptor, beryl_file, Id}` whatever the modes
//! (OTP gives a pid for a non-raw file and `{file_descriptor, prim_file,
//! #{...}}` for a raw one); `Id` indexes a table of open files shared by
//! the VM, so any process may use a handle. `read_ahead` and
//! `delayed_write` are accepted and do nothing (writes go straight to the
//! file).

use super::{BifFn, Ctx};
use crate::atom;
use crate::binary;
use crate::process::{BifResult, Exc};
use crate::term::Term;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt, PermissionsExt};
use std::path::PathBuf;
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
    file: File,
    /// Device and inode of a file opened for writing (`filemap`).
    key: Option<(u64, u64)>,
    binary: bool,
    read: bool,
    write: bool,
}

type Table = Mutex<HashMap<u64, Arc<Mutex<Open>>>>;

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

fn data(c: &mut Ctx, bytes: &[u8], bin: bool) -> Term {
    if bin {
        binary::binary(&mut c.proc.heap, bytes)
    } else {
        c.proc.heap.byte_list(bytes)
    }
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

fn read_file(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(p) = path_arg(a[0]) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    Ok(match read_contents(&p) {
        Ok(contents) => {
            let b = contents_term(&mut c.proc.heap, contents);
            ok(c, b)
        }
        Err(e) => io_err(c, &e),
    })
}

/// The whole file as a string of bytes (for consult), or `{error, R}`.
fn read_all(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(p) = path_arg(a[0]) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    Ok(match std::fs::read(&p) {
        Ok(bytes) => {
            let b = data(c, &bytes, false);
            ok(c, b)
        }
        Err(e) => io_err(c, &e),
    })
}

fn write_file_with(c: &mut Ctx, name: Term, d: Term, modes: Term) -> BifResult {
    let settings = c.vm.iov;
    let (Some(p), Ok(iov)) = (path_arg(name), crate::iov::Iov::of_iodata(d, &settings)) else {
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
    let r = crate::filemap::before_writing_path(&p).and_then(|_writing| {
        o.open(&p)
            .and_then(|f| iov.write_to_fd(std::os::fd::AsRawFd::as_raw_fd(&f), &settings))
    });
    Ok(match r {
        Ok(()) => atom::OK,
        Err(e) => io_err(c, &e),
    })
}

fn write_file2(c: &mut Ctx, a: &[Term]) -> BifResult {
    write_file_with(c, a[0], a[1], Term::NIL)
}

fn write_file3(c: &mut Ctx, a: &[Term]) -> BifResult {
    write_file_with(c, a[0], a[1], a[2])
}

fn open(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(p) = path_arg(a[0]) else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let Some(modes) = a[1].list_to_vec() else {
        return Ok(error(c, atom::atom("badarg")));
    };
    let (mut read, mut write, mut append, mut exclusive, mut bin) = (false, false, false, false, false);
    let mut raw = false;
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
                "read_ahead" | "delayed_write" | "sync" | "directory" => {}
                _ => return Ok(error(c, atom::atom("badarg"))),
            }
        } else if m.is_tuple() {
            let e = m.tuple_elems();
            let known = !e.is_empty()
                && e[0].is_atom()
                && matches!(
                    atom::name(e[0]),
                    "read_ahead" | "delayed_write" | "encoding" | "binary"
                );
            if !known {
                return Ok(error(c, atom::atom("badarg")));
            }
            if e.len() == 2 && e[0] == atom::atom("binary") {
                bin = e[1] == atom::TRUE;
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
    if write && !read && !append {
        o.truncate(true);
    }
    if append {
        o.append(true);
    }
    if exclusive {
        o.create_new(true);
    }
    let truncating = write && !read && !append;
    let opened = if truncating {
        crate::filemap::before_writing_path(&p).and_then(|_writing| o.open(&p))
    } else {
        o.open(&p)
    };
    let file = match opened {
        Ok(f) => f,
        Err(e) => return Ok(io_err(c, &e)),
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
        owner: (c.vm as *const crate::vm::Vm as usize, c.proc.pid()),
        file,
        key,
        binary: bin,
        read,
        write: write || append,
    };
    table()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, Arc::new(Mutex::new(open)));
    OPEN_COUNT.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    let idt = c.proc.heap.int(id as i64);
    let h = c
        .proc
        .heap
        .tuple(&[atom::atom("file_descriptor"), atom::atom("beryl_file"), idt]);
    Ok(ok(c, h))
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
static OPEN_COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A process exited: close the files it opened.
pub fn on_exit(vm: &crate::vm::Vm, pid: Term) {
    use std::sync::atomic::Ordering;
    if OPEN_COUNT.load(Ordering::Acquire) == 0 {
        return;
    }
    let owner = (vm as *const crate::vm::Vm as usize, pid);
    let mut t = table().0.lock().unwrap_or_else(|e| e.into_inner());
    let before = t.len();
    t.retain(|_, f| f.lock().map(|f| f.owner != owner).unwrap_or(true));
    OPEN_COUNT.fetch_sub(before - t.len(), Ordering::AcqRel);
}

/// Is this a handle of an open file (for io functions on it)?
pub fn is_handle(t: Term) -> bool {
    matches!(lookup(t), Ok(Some(_)))
}

/// io:format and friends on a file: write the bytes at its position.
pub fn write_to(t: Term, bytes: &[u8]) -> std::io::Result<()> {
    match lookup(t) {
        Ok(Some(h)) => {
            let mut f = h.lock().unwrap_or_else(|e| e.into_inner());
            let _writing = crate::filemap::before_writing(f.key)?;
            f.file.write_all(bytes)
        }
        _ => Err(std::io::Error::from_raw_os_error(libc::EBADF)),
    }
}

/// io:get_line/2 on a file: a line (a list or, in binary mode, a binary),
/// `eof` at the end.
pub fn io_get_line(c: &mut Ctx, t: Term) -> BifResult {
    let r = read_line(c, &[t])?;
    if r.is_tuple() && r.tuple_elems().len() == 2 && r.tuple_elems()[0] == atom::OK {
        return Ok(r.tuple_elems()[1]);
    }
    Ok(r)
}

/// The open file behind a handle: badarg for anything else, `None` (the
/// caller answers `{error, einval}`) for a closed one.
fn lookup(t: Term) -> Result<Option<Arc<Mutex<Open>>>, Exc> {
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
    if is_raw(t) && f.owner != (c.vm as *const crate::vm::Vm as usize, c.proc.pid()) {
        return Err(Exc::error(atom::atom("not_on_controlling_process")));
    }
    Ok(())
}

macro_rules! with_file {
    ($c:expr, $t:expr, $f:ident => $body:expr) => {{
        let Some(h) = lookup($t)? else {
            return Ok(closed($c, $t));
        };
        let mut guard = h.lock().unwrap_or_else(|e| e.into_inner());
        let $f: &mut Open = &mut guard;
        check_owner($c, $t, $f)?;
        $body
    }};
}

/// Closing a closed file: `{error, einval}` for a raw one, `ok` for the
/// others (as OTP's file:close on a server that is gone).
fn close(c: &mut Ctx, a: &[Term]) -> BifResult {
    let Some(h) = lookup(a[0])? else {
        return Ok(if is_raw(a[0]) {
            error(c, atom::atom("einval"))
        } else {
            atom::OK
        });
    };
    check_owner(c, a[0], &h.lock().unwrap_or_else(|e| e.into_inner()))?;
    let id = handle_id(a[0]).ok_or_else(Exc::badarg)?;
    if table()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id)
        .is_some()
    {
        OPEN_COUNT.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
    Ok(atom::OK)
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

fn read_up_to(f: &mut File, n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    f.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

fn read(c: &mut Ctx, a: &[Term]) -> BifResult {
    let n = count_arg(a[1])?;
    with_file!(c, a[0], f => {
        if !f.read {
            return Ok(ebadf(c));
        }
        let bin = f.binary;
        match read_up_to(&mut f.file, n) {
            Ok(v) if v.is_empty() && n > 0 => Ok(atom::atom("eof")),
            Ok(v) => {
                let d = data(c, &v, bin);
                Ok(ok(c, d))
            }
            Err(e) => Ok(io_err(c, &e)),
        }
    })
}

fn read_line(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_file!(c, a[0], f => {
        if !f.read {
            return Ok(ebadf(c));
        }
        let bin = f.binary;
        let mut line = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match f.file.read(&mut chunk) {
                Ok(0) => break,
                Ok(k) => {
                    if let Some(i) = chunk[..k].iter().position(|&b| b == b'\n') {
                        line.extend_from_slice(&chunk[..=i]);
                        let back = (k - i - 1) as i64;
                        if let Err(e) = f.file.seek(SeekFrom::Current(-back)) {
                            return Ok(io_err(c, &e));
                        }
                        break;
                    }
                    line.extend_from_slice(&chunk[..k]);
                }
                Err(e) => return Ok(io_err(c, &e)),
            }
        }
        if line.is_empty() {
            return Ok(atom::atom("eof"));
        }
        // OTP turns a "\r\n" ending into "\n".
        if line.ends_with(b"\r\n") {
            line.truncate(line.len() - 2);
            line.push(b'\n');
        }
        let d = data(c, &line, bin);
        Ok(ok(c, d))
    })
}

fn write(c: &mut Ctx, a: &[Term]) -> BifResult {
    // Written with writev, pointing into the binaries (`iov.rs`).
    let settings = c.vm.iov;
    let iov = crate::iov::Iov::of_iodata(a[1], &settings);
    with_file!(c, a[0], f => {
        let Ok(iov) = iov else {
            return Ok(error(c, atom::atom("badarg")));
        };
        if !f.write {
            return Ok(ebadf(c));
        }
        let r = crate::filemap::before_writing(f.key)
            .and_then(|_writing| iov.write_to_fd(std::os::fd::AsRawFd::as_raw_fd(&f.file), &settings));
        Ok(match r {
            Ok(()) => atom::OK,
            Err(e) => io_err(c, &e),
        })
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
    with_file!(c, a[0], f => {
        let Some(pos) = offset_arg(a[1]) else {
            return Ok(error(c, atom::atom("einval")));
        };
        if !f.read {
            return Ok(ebadf(c));
        }
        let bin = f.binary;
        // No bigger than what the file holds past `pos`.
        let room = f.file.metadata().map(|m| m.len().saturating_sub(pos)).unwrap_or(0);
        let mut buf = vec![0u8; n.min(usize::try_from(room).unwrap_or(usize::MAX))];
        let mut got = 0;
        while got < buf.len() {
            match f.file.read_at(&mut buf[got..], pos + got as u64) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) => return Ok(io_err(c, &e)),
            }
        }
        if got == 0 && n > 0 {
            return Ok(atom::atom("eof"));
        }
        let d = data(c, &buf[..got], bin);
        Ok(ok(c, d))
    })
}

fn pwrite(c: &mut Ctx, a: &[Term]) -> BifResult {
    // Written with pwritev at the offset, pointing into the binaries.
    let settings = c.vm.iov;
    let iov = crate::iov::Iov::of_iodata(a[2], &settings);
    with_file!(c, a[0], f => {
        let Ok(iov) = iov else {
            return Ok(error(c, atom::atom("badarg")));
        };
        let Some(pos) = offset_arg(a[1]) else {
            return Ok(error(c, atom::atom("einval")));
        };
        if !f.write {
            return Ok(ebadf(c));
        }
        let fd = std::os::fd::AsRawFd::as_raw_fd(&f.file);
        let r = crate::filemap::before_writing(f.key)
            .and_then(|_writing| iov.write_to_fd_at(fd, pos, &settings));
        Ok(match r {
            Ok(()) => atom::OK,
            Err(e) => io_err(c, &e),
        })
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
    with_file!(c, a[0], f => {
        Ok(match f.file.seek(from) {
            Ok(n) => {
                let t = c.proc.heap.int(n as i64);
                ok(c, t)
            }
            Err(e) => io_err(c, &e),
        })
    })
}

fn sync(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_file!(c, a[0], f => {
        Ok(match f.file.sync_all() {
            Ok(()) => atom::OK,
            Err(e) => io_err(c, &e),
        })
    })
}

fn truncate(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_file!(c, a[0], f => {
        let r = crate::filemap::before_writing(f.key)
            .and_then(|_writing| f.file.stream_position().and_then(|p| f.file.set_len(p)));
        Ok(match r {
            Ok(()) => atom::OK,
            Err(e) => io_err(c, &e),
        })
    })
}

/// A name as Erlang sees it: characters when it is UTF-8, else its bytes
/// as a binary (OTP's raw file names).
fn name_term(c: &mut Ctx, bytes: &[u8]) -> Term {
    match std::str::from_utf8(bytes) {
        Ok(s) => c.proc.heap.string(s),
        Err(_) => binary::binary(&mut c.proc.heap, bytes),
    }
}

fn with_path(c: &mut Ctx, t: Term, f: impl FnOnce(&mut Ctx, PathBuf) -> Term) -> BifResult {
    match path_arg(t) {
        Some(p) => Ok(f(c, p)),
        None => Ok(error(c, atom::atom("badarg"))),
    }
}

fn unit(c: &mut Ctx, r: std::io::Result<()>) -> Term {
    match r {
        Ok(()) => atom::OK,
        Err(e) => io_err(c, &e),
    }
}

fn list_dir(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_path(c, a[0], |c, p| {
        let names: std::io::Result<Vec<Vec<u8>>> = std::fs::read_dir(&p)
            .and_then(|rd| rd.map(|e| e.map(|e| e.file_name().as_bytes().to_vec())).collect());
        match names {
            Ok(names) => {
                let items: Vec<Term> = names.iter().map(|n| name_term(c, n)).collect();
                let l = c.proc.heap.list(&items);
                ok(c, l)
            }
            Err(e) => io_err(c, &e),
        }
    })
}

fn delete(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_path(c, a[0], |c, p| {
        let r = std::fs::remove_file(&p);
        // OTP reports deleting a directory as eperm (POSIX's unlink).
        match r {
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => error(c, atom::atom("eperm")),
            r => unit(c, r),
        }
    })
}

fn make_dir(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_path(c, a[0], |c, p| {
        let r = std::fs::create_dir(&p);
        unit(c, r)
    })
}

fn del_dir(c: &mut Ctx, a: &[Term]) -> BifResult {
    with_path(c, a[0], |c, p| {
        let r = std::fs::remove_dir(&p);
        unit(c, r)
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
        unit(c, r)
    })
}

/// `'$file_info'(Name, Local[, Follow])`: `{ok, #file_info{}}` with times
/// as local (`true`) or universal date-time tuples or (`posix`) seconds, or `{error, Reason}`;
/// with `Follow` false a symbolic link is described itself (`lstat`).
fn file_info(c: &mut Ctx, a: &[Term]) -> BifResult {
    let local = a[1] == atom::TRUE;
    let posix = a[1] == atom::atom("posix");
    let follow = a.get(2).is_none_or(|&f| f != atom::FALSE);
    with_path(c, a[0], |c, p| {
        let md = if follow {
            std::fs::metadata(&p)
        } else {
            std::fs::symlink_metadata(&p)
        };
        let md = match md {
            Ok(m) => m,
            Err(e) => return io_err(c, &e),
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
        let time = |c: &mut Ctx, secs: i64| {
            if posix {
                return c.proc.heap.int(secs);
            }
            let (y, mo, d, h, mi, s) = super::time::broken_down(secs, local);
            let dt = c
                .proc
                .heap
                .tuple(&[Term::small(y), Term::small(mo), Term::small(d)]);
            let tt = c
                .proc
                .heap
                .tuple(&[Term::small(h), Term::small(mi), Term::small(s)]);
            c.proc.heap.tuple(&[dt, tt])
        };
        let at = time(c, md.atime());
        let mt = time(c, md.mtime());
        let ct = time(c, md.ctime());
        let size = c.proc.heap.int(md.size() as i64);
        let ino = c.proc.heap.int(md.ino() as i64);
        let major = c.proc.heap.int(md.dev() as i64);
        let rec = c.proc.heap.tuple(&[
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
        ok(c, rec)
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
    with_path(c, a[0], |c, p| match std::fs::read_link(&p) {
        Ok(t) => {
            let n = name_term(c, t.as_os_str().as_bytes());
            ok(c, n)
        }
        Err(e) => io_err(c, &e),
    })
}

fn two_paths(c: &mut Ctx, a: &[Term], f: impl FnOnce(PathBuf, PathBuf) -> std::io::Result<()>) -> BifResult {
    match (path_arg(a[0]), path_arg(a[1])) {
        (Some(x), Some(y)) => {
            let r = f(x, y);
            Ok(unit(c, r))
        }
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
    with_path(c, a[0], |c, p| {
        let r = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode));
        unit(c, r)
    })
}
