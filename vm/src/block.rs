//! Message blocks: the exact-size blocks a message is copied into
//! (`copy::copy_to_block`), owned by the message and then by the receiving
//! heap until its next collection.
//!
//! They come from mimalloc rather than the system allocator. A message is
//! allocated on the sender's scheduler thread and freed on the receiver's;
//! with glibc (one arena, see `main`) that producer/consumer pattern takes
//! the arena lock on nearly every allocation and free, and schedulers end
//! up sleeping on it (`perf`: most of a many-senders benchmark in
//! `__lll_lock_wake_private` and the kernel's futex wake-ups). mimalloc
//! keeps a heap per thread and returns a block freed by another thread to
//! its owner through a lock-free list. Only message blocks use it: process
//! heaps, which are large and reused in place, stay with the system
//! allocator (using mimalloc for everything made some benchmarks slower
//! and less predictable).

use std::ptr::NonNull;

/// mimalloc's `mi_option_allow_thp` (`include/mimalloc.h` of the mimalloc
/// v3 sources in libmimalloc-sys 0.1.49, which Cargo.toml pins for this).
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// Configure mimalloc before the first message block: no transparent huge
/// pages for its memory. With them, a mailbox that grows by hundreds of
/// megabytes spent half its time in the kernel zeroing huge pages that
/// mimalloc had purged and touched again (the `counter` benchmark ran
/// 0.5–1.9 s from run to run; 0.7–0.8 s without). Set at run time rather
/// than through MIMALLOC_ALLOW_THP, which would disable huge pages for the
/// whole process (and with them the ETS tables' `hugepage::advise`).
pub fn configure() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: mi_option_set only stores an option value.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0) };
    });
}

/// An owned block of `len` words from mimalloc.
pub struct Block {
    ptr: NonNull<u64>,
    len: usize,
}

// SAFETY: a Block owns its words like a Box<[u64]>; mimalloc frees blocks
// from any thread.
unsafe impl Send for Block {}
// SAFETY: shared access only reads.
unsafe impl Sync for Block {}

impl Block {
    /// An uninitialised block of `len` words (none allocated for 0).
    pub fn uninit(len: usize) -> Block {
        if len == 0 {
            return Block {
                ptr: NonNull::dangling(),
                len: 0,
            };
        }
        configure();
        let bytes = len.checked_mul(8).expect("block size");
        // SAFETY: a non-zero size; mimalloc aligns every block to at least
        // 16 bytes.
        let p = unsafe { libmimalloc_sys::mi_malloc(bytes) } as *mut u64;
        match NonNull::new(p) {
            Some(ptr) => Block { ptr, len },
            None => {
                std::alloc::handle_alloc_error(std::alloc::Layout::array::<u64>(len).expect("block size"))
            }
        }
    }

    /// A block of `len` words (`len > 0`) followed, in the same
    /// allocation, by `tail` bytes for the caller (8-byte aligned), which
    /// live exactly as long as the block: dropping the block frees both.
    /// A message and its inbox node are made this way (`signal.rs`).
    pub fn uninit_with_tail(len: usize, tail: usize) -> (Block, *mut u8) {
        assert!(len > 0, "a tail needs a block");
        configure();
        let bytes = len
            .checked_mul(8)
            .and_then(|b| b.checked_add(tail))
            .expect("block size");
        // SAFETY: a non-zero size; mimalloc aligns blocks to 16 bytes, and
        // mi_free frees the whole allocation from its start.
        let p = unsafe { libmimalloc_sys::mi_malloc(bytes) } as *mut u64;
        match NonNull::new(p) {
            Some(ptr) => {
                // SAFETY: `len` words into an allocation of at least that.
                let tail = unsafe { ptr.as_ptr().add(len) } as *mut u8;
                (Block { ptr, len }, tail)
            }
            None => std::alloc::handle_alloc_error(
                std::alloc::Layout::from_size_align(bytes, 16).expect("layout"),
            ),
        }
    }

    /// The block `uninit_with_tail` made at `ptr`, given up by
    /// `mem::forget` and taken back.
    ///
    /// # Safety
    /// `ptr` and `len` are those of a block forgotten before and not
    /// rebuilt since.
    pub unsafe fn from_raw_parts(ptr: *mut u64, len: usize) -> Block {
        Block {
            ptr: NonNull::new(ptr).expect("a block's address"),
            len,
        }
    }

    pub fn as_mut_ptr(&mut self) -> *mut u64 {
        self.ptr.as_ptr()
    }

    /// Return freed memory held by this thread's mimalloc heap (and
    /// purge what other threads left) to the operating system.
    pub fn trim() {
        // SAFETY: mi_collect has no preconditions.
        unsafe { libmimalloc_sys::mi_collect(true) };
    }
}

impl std::ops::Deref for Block {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        // SAFETY: `len` words at `ptr`, initialised by whoever filled the
        // block before handing it out (see `copy::copy_to_block`).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl std::ops::DerefMut for Block {
    fn deref_mut(&mut self) -> &mut [u64] {
        // SAFETY: as for deref; the block is ours.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        if self.len > 0 {
            // SAFETY: allocated by mi_malloc in `uninit`, freed once.
            unsafe { libmimalloc_sys::mi_free(self.ptr.as_ptr() as *mut std::ffi::c_void) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Block;

    /// Blocks made on one thread and dropped on another keep their words.
    #[test]
    fn blocks_cross_threads() {
        let blocks: Vec<Block> = (1..500usize)
            .map(|n| {
                let mut b = Block::uninit(n);
                b.iter_mut()
                    .enumerate()
                    .for_each(|(i, w)| *w = (n * 1000 + i) as u64);
                b
            })
            .collect();
        std::thread::spawn(move || {
            for (k, b) in blocks.iter().enumerate() {
                let n = k + 1;
                assert_eq!(b.len(), n);
                assert!(b.iter().enumerate().all(|(i, w)| *w == (n * 1000 + i) as u64));
            }
            drop(blocks);
        })
        .join()
        .unwrap();
        assert_eq!(Block::uninit(0).len(), 0);
        Block::trim();
    }

    /// Switching mimalloc's huge pages off must not switch them off for
    /// the process (the ETS tables advise huge pages for their arrays).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_process_keeps_transparent_huge_pages() {
        drop(Block::uninit(8));
        // SAFETY: PR_GET_THP_DISABLE only reads the calling process's flag.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 0);
    }
}
