//! Large files read whole through a memory mapping: `file:read_file` of a
//! regular file of at least [`MAP_AT_LEAST`] bytes maps it read-only and
//! makes the result a refc binary whose off-heap block owns the mapping
//! (`offheap::Backing::Map`). Nothing is copied; pages are read on first
//! touch and the mapping goes when the last reference to the binary does.
//! Small files, empty ones, and files that are not regular (`/proc`,
//! pipes, devices) are read with `read` as before.
//!
//! A binary must never change, and a mapping shows later changes to its
//! file (and faults with SIGBUS past a truncated end). So every change
//! the VM itself makes to a file goes through [`before_writing`] or
//! [`before_writing_path`]: when the file is mapped, each of its mappings
//! is first replaced, at the same address, by a private anonymous copy
//! (`mremap`, so readers on other threads see the same bytes throughout).
//! Mapping takes [`GATE`] exclusively and writers hold it shared for their
//! whole change, so no in-VM write overlaps the moment a file is mapped.
//! Changes made by other programs to a mapped file are not guarded
//! against: like every reader that maps files, the binary then sees them
//! (documented in docs/vm.md).

use crate::offheap::{Block, OffHeap};
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard};

/// Files of at least this many bytes are mapped.
pub const MAP_AT_LEAST: u64 = 64 * 1024;

/// Held exclusively while a file is mapped, shared while one is changed.
static GATE: RwLock<()> = RwLock::new(());

/// A mapping still backed by its file: block address, start, length.
type Entry = (usize, usize, usize);

/// Mappings still backed by their file, by (device, inode).
type Files = Option<HashMap<(u64, u64), Vec<Entry>>>;

/// The mappings still backed by their file.
static REGISTRY: Mutex<Files> = Mutex::new(None);

/// How many entries REGISTRY holds (writers skip it when 0).
static MAPPED: AtomicUsize = AtomicUsize::new(0);

/// File mappings made so far (for tests and statistics).
static MAPS_MADE: AtomicUsize = AtomicUsize::new(0);

pub fn maps_made() -> usize {
    MAPS_MADE.load(Ordering::Relaxed)
}

fn registry() -> std::sync::MutexGuard<'static, Files> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Map an open file whole, as a block with one reference, when it is a
/// regular file of at least `MAP_AT_LEAST` bytes; `None` when it is not
/// or the mapping fails (the caller then reads it).
pub fn map_file(file: &File) -> Option<Block> {
    let _gate = GATE.write().unwrap_or_else(|e| e.into_inner());
    // Measured under the gate: no in-VM writer is changing it now.
    let md = file.metadata().ok()?;
    if !md.is_file() || md.len() < MAP_AT_LEAST {
        return None;
    }
    let len = usize::try_from(md.len()).ok()?;
    // SAFETY: the mapping is read-only and private to the block; the VM's
    // own writers replace it by a copy before changing the file (module
    // comment); changes by other programs are the documented exception.
    let map = unsafe { memmap2::MmapOptions::new().len(len).map(file) }.ok()?;
    let start = map.as_ptr() as usize;
    let block = OffHeap::from_map(map);
    registry()
        .get_or_insert_with(HashMap::new)
        .entry((md.dev(), md.ino()))
        .or_default()
        .push((block as usize, start, len));
    MAPPED.fetch_add(1, Ordering::AcqRel);
    MAPS_MADE.fetch_add(1, Ordering::Relaxed);
    Some(Block::new(block))
}

/// The last reference to a mapped block went: forget it, then unmap.
pub fn unmap(block: usize, map: memmap2::Mmap) {
    if MAPPED.load(Ordering::Acquire) > 0 {
        let mut r = registry();
        if let Some(files) = r.as_mut() {
            files.retain(|_, entries| {
                let before = entries.len();
                entries.retain(|e| e.0 != block);
                if entries.len() < before {
                    MAPPED.fetch_sub(before - entries.len(), Ordering::AcqRel);
                }
                !entries.is_empty()
            });
        }
    }
    drop(map);
}

/// Held while the VM changes a regular file (see the module comment).
pub struct Writing(#[allow(dead_code)] Option<RwLockReadGuard<'static, ()>>);

/// About to change the regular file with this device and inode (`None`:
/// not a regular file, nothing to guard): detach its mappings first.
/// Hold the guard until the change is made. Never held across a wait
/// that may last (a pipe's write), so that mapping is never held up.
pub fn before_writing(key: Option<(u64, u64)>) -> std::io::Result<Writing> {
    let Some(key) = key else {
        return Ok(Writing(None));
    };
    let gate = Writing(Some(GATE.read().unwrap_or_else(|e| e.into_inner())));
    if MAPPED.load(Ordering::Acquire) > 0 {
        detach(key)?;
    }
    Ok(gate)
}

/// About to open the file at `path` to change it (write, truncate): a
/// regular file, or one that does not exist yet, is guarded.
pub fn before_writing_path(path: &Path) -> std::io::Result<Writing> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Ok(Writing(None)),
        Ok(m) => before_writing(Some((m.dev(), m.ino()))),
        Err(_) => before_writing(Some((0, 0))),
    }
}

/// The identity of an open regular file, for `before_writing`.
pub fn key_of(file: &File) -> Option<(u64, u64)> {
    file.metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| (m.dev(), m.ino()))
}

/// Replace every mapping of a file by a private copy at the same address.
fn detach(key: (u64, u64)) -> std::io::Result<()> {
    let mut r = registry();
    let Some(entries) = r.as_mut().and_then(|files| files.remove(&key)) else {
        return Ok(());
    };
    MAPPED.fetch_sub(entries.len(), Ordering::AcqRel);
    let mut failed = Vec::new();
    let mut result = Ok(());
    for (block, start, len) in entries {
        // SAFETY: [start, start + len) is a live read-only mapping: its
        // block cannot be unmapped meanwhile, as `unmap` needs the
        // registry lock held here. The copy is made in fresh anonymous
        // memory and moved over the old mapping in one `mremap`, which
        // replaces the pages atomically for every thread.
        unsafe {
            let copy = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if copy == libc::MAP_FAILED {
                result = Err(std::io::Error::last_os_error());
                failed.push((block, start, len));
                continue;
            }
            std::ptr::copy_nonoverlapping(start as *const u8, copy as *mut u8, len);
            let moved = libc::mremap(
                copy,
                len,
                len,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                start as *mut libc::c_void,
            );
            if moved == libc::MAP_FAILED {
                result = Err(std::io::Error::last_os_error());
                failed.push((block, start, len));
                libc::munmap(copy, len);
            }
        }
    }
    // Still backed by the file: the write must not happen.
    if !failed.is_empty() {
        MAPPED.fetch_add(failed.len(), Ordering::AcqRel);
        r.get_or_insert_with(HashMap::new).insert(key, failed);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_is_detached_before_the_vm_rewrites_its_file() {
        let path = std::env::temp_dir().join(format!("beryl-filemap-{}", std::process::id()));
        std::fs::write(&path, vec![7u8; 100_000]).unwrap();
        let small = path.with_extension("small");
        std::fs::write(&small, vec![1u8; 1000]).unwrap();
        assert!(
            map_file(&File::open(&small).unwrap()).is_none(),
            "small files are read"
        );
        let block = map_file(&File::open(&path).unwrap()).expect("mapped").into_raw();
        // SAFETY: the reference taken from the Block keeps the block alive
        // until it is handed back below.
        let bytes = unsafe { std::slice::from_raw_parts((*block).data(), (*block).len()) };
        {
            let _writing = before_writing_path(&path).unwrap();
            // Truncated: the mapping's pages past the end would fault.
            std::fs::write(&path, b"x").unwrap();
        }
        assert_eq!(bytes.len(), 100_000);
        assert!(bytes.iter().all(|&b| b == 7));
        drop(Block::new(block));
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(&small);
    }
}
