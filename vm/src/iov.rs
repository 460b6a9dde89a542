//! Output of iolists with `writev`: the list is walked into an I/O vector
//! whose entries point into the binaries themselves (no flattening copy);
//! pieces below a threshold are gathered into one buffer so that a list of
//! many tiny pieces does not become as many vectors; each `writev` carries
//! at most `max_vectors` entries and the rest follows in further calls.
//!
//! OTP hard-codes its limits (it flattens a list of more than about 15
//! pieces and gathers pieces under 256 bytes); here both are settings
//! (`IovSettings`, from `BERYL_IOV_MAX` and `BERYL_IOV_GATHER`), and the
//! default keeps the zero-copy path up to the operating system's limit.
//!
//! The bytes written are those OTP's standard_io writes with its default
//! latin1 encoding: a binary is read as UTF-8 chardata (or byte by byte if
//! it is not UTF-8) and each character up to 255 becomes one byte, others
//! `\x{HEX}`. A binary that is ASCII, or not UTF-8, is therefore written as
//! it is, in place; other binaries and integers go through the buffer.

use crate::binary;
use crate::term::Term;
use std::io::IoSlice;

/// The operating system's limit on vectors per call.
const OS_IOV_MAX: usize = 1024;

#[derive(Clone, Copy, Debug)]
pub struct IovSettings {
    /// At most this many vectors per `writev`.
    pub max_vectors: usize,
    /// Binaries shorter than this are copied into the gather buffer.
    pub gather_below: usize,
}

impl Default for IovSettings {
    fn default() -> Self {
        IovSettings {
            max_vectors: OS_IOV_MAX,
            gather_below: 256,
        }
    }
}

impl IovSettings {
    /// The defaults, overridden by `BERYL_IOV_MAX` and `BERYL_IOV_GATHER`
    /// (`BERYL_IOV_MAX=15` gives OTP's vector length).
    pub fn from_env() -> Self {
        let get = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<usize>().ok());
        let d = IovSettings::default();
        IovSettings {
            max_vectors: get("BERYL_IOV_MAX").unwrap_or(d.max_vectors).clamp(1, OS_IOV_MAX),
            gather_below: get("BERYL_IOV_GATHER").unwrap_or(d.gather_below),
        }
    }
}

/// Where the VM's standard output goes: any writer, and for a file
/// descriptor, the descriptor (so iolists can be written with `writev`).
pub trait OutputSink: std::io::Write + Send {
    fn raw_fd(&self) -> Option<i32> {
        None
    }
}

impl OutputSink for std::io::Stdout {
    fn raw_fd(&self) -> Option<i32> {
        Some(1)
    }
}

enum Piece<'a> {
    /// Bytes of a binary, in place.
    InPlace(&'a [u8]),
    /// A range of the gather buffer.
    Gathered(usize, usize),
}

/// An iolist ready to write.
pub struct Iov<'a> {
    pieces: Vec<Piece<'a>>,
    buf: Vec<u8>,
    /// For an owned Iov (`of_iodata_owned`): the off-heap blocks its
    /// in-place pieces point into, each with a reference held.
    keep: Vec<crate::offheap::Block>,
}

/// Not chardata.
#[derive(Debug)]
pub struct BadIolist;

impl<'a> Iov<'a> {
    /// Walk chardata `t` (binaries, code points, nested lists, a binary
    /// tail) into pieces. The terms must stay put while the result lives:
    /// it is built and written inside one BIF, where nothing collects.
    pub fn of_chardata(t: Term, settings: &IovSettings) -> Result<Iov<'a>, BadIolist> {
        let mut iov = Iov {
            pieces: Vec::new(),
            buf: Vec::new(),
            keep: Vec::new(),
        };
        let mut gathered_from = 0;
        let mut stack = vec![t];
        while let Some(t) = stack.pop() {
            if t.is_nil() {
                continue;
            }
            if t.is_cons() {
                let (h, tl) = t.cons_parts();
                stack.push(tl);
                stack.push(h);
                continue;
            }
            if t.is_small() {
                let c = u32::try_from(t.small_value()).map_err(|_| BadIolist)?;
                let ch = char::from_u32(c).ok_or(BadIolist)?;
                push_latin1(&mut iov.buf, ch);
                continue;
            }
            let Some(bytes) = binary::bytes_of::<'a>(t) else {
                return Err(BadIolist);
            };
            let unchanged = bytes.is_ascii() || std::str::from_utf8(bytes).is_err();
            if unchanged && bytes.len() >= settings.gather_below.max(1) {
                if iov.buf.len() > gathered_from {
                    iov.pieces.push(Piece::Gathered(gathered_from, iov.buf.len()));
                    gathered_from = iov.buf.len();
                }
                iov.pieces.push(Piece::InPlace(bytes));
            } else if unchanged {
                iov.buf.extend_from_slice(bytes);
            } else {
                let s = std::str::from_utf8(bytes).map_err(|_| BadIolist)?;
                s.chars().for_each(|ch| push_latin1(&mut iov.buf, ch));
            }
        }
        if iov.buf.len() > gathered_from {
            iov.pieces.push(Piece::Gathered(gathered_from, iov.buf.len()));
        }
        Ok(iov)
    }

    /// Walk iodata `t` (binaries, bytes 0..=255, nested lists, a binary
    /// tail) into pieces: binaries in place from the gather size up, the
    /// rest gathered. Same lifetime rule as `of_chardata`.
    pub fn of_iodata(t: Term, settings: &IovSettings) -> Result<Iov<'a>, BadIolist> {
        Self::walk_iodata(t, settings, false)
    }

    fn walk_iodata(t: Term, settings: &IovSettings, owned: bool) -> Result<Iov<'a>, BadIolist> {
        let mut iov = Iov {
            pieces: Vec::new(),
            buf: Vec::new(),
            keep: Vec::new(),
        };
        let mut gathered_from = 0;
        let mut stack = vec![t];
        while let Some(t) = stack.pop() {
            if t.is_nil() {
                continue;
            }
            if t.is_cons() {
                let (h, tl) = t.cons_parts();
                stack.push(tl);
                stack.push(h);
                continue;
            }
            if t.is_small() {
                let b = u8::try_from(t.small_value()).map_err(|_| BadIolist)?;
                iov.buf.push(b);
                continue;
            }
            let Some(bytes) = binary::bytes_of::<'a>(t) else {
                return Err(BadIolist);
            };
            // Owned: in place only when an off-heap block holds the bytes
            // (a reference to it is kept), else copied.
            let kept = if owned && bytes.len() >= settings.gather_below.max(1) {
                binary::retain_block(t)
            } else {
                None
            };
            let in_place = bytes.len() >= settings.gather_below.max(1) && (!owned || kept.is_some());
            if in_place {
                iov.keep.extend(kept);
                if iov.buf.len() > gathered_from {
                    iov.pieces.push(Piece::Gathered(gathered_from, iov.buf.len()));
                    gathered_from = iov.buf.len();
                }
                iov.pieces.push(Piece::InPlace(bytes));
            } else {
                iov.buf.extend_from_slice(bytes);
            }
        }
        if iov.buf.len() > gathered_from {
            iov.pieces.push(Piece::Gathered(gathered_from, iov.buf.len()));
        }
        Ok(iov)
    }

    /// Iodata `t` as an Iov that owns what it points to, to be written
    /// later on another thread while the process may collect or exit:
    /// pieces in place only in off-heap blocks, each retained until the
    /// Iov is dropped; everything else copied into the gather buffer.
    pub fn of_iodata_owned(t: Term, settings: &IovSettings) -> Result<Iov<'static>, BadIolist> {
        Iov::walk_iodata(t, settings, true)
    }

    /// Bytes in all.
    pub fn len(&self) -> usize {
        self.slices().iter().map(|s| s.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The I/O vector.
    pub fn slices(&self) -> Vec<IoSlice<'_>> {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::InPlace(b) => IoSlice::new(b),
                Piece::Gathered(a, z) => IoSlice::new(&self.buf[*a..*z]),
            })
            .collect()
    }

    /// All the bytes, flattened (for writers that are not a file).
    pub fn to_vec(&self) -> Vec<u8> {
        self.slices().iter().flat_map(|s| s.iter().copied()).collect()
    }

    /// Write everything to file descriptor `fd` with `writev`, at most
    /// `max_vectors` per call, resuming after partial writes.
    pub fn write_to_fd(&self, fd: i32, settings: &IovSettings) -> std::io::Result<()> {
        self.write_vectored(fd, None, settings)
    }

    /// Write everything to `fd` at byte `offset` with `pwritev` (the file
    /// position does not move), at most `max_vectors` per call.
    pub fn write_to_fd_at(&self, fd: i32, offset: u64, settings: &IovSettings) -> std::io::Result<()> {
        self.write_vectored(fd, Some(offset), settings)
    }

    fn write_vectored(&self, fd: i32, mut at: Option<u64>, settings: &IovSettings) -> std::io::Result<()> {
        let mut owned = self.slices();
        let mut slices: &mut [IoSlice<'_>] = &mut owned;
        while !slices.is_empty() {
            let n = slices.len().min(settings.max_vectors.max(1));
            let iov = slices.as_ptr() as *const libc::iovec;
            let written = match at {
                // SAFETY: IoSlice is ABI-compatible with struct iovec (std
                // guarantees it on Unix) and the n entries are valid slices.
                None => unsafe { libc::writev(fd, iov, n as libc::c_int) },
                Some(off) => {
                    let off = libc::off_t::try_from(off)
                        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
                    // SAFETY: as for writev.
                    unsafe { libc::pwritev(fd, iov, n as libc::c_int, off) }
                }
            };
            if written < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            if let Some(off) = at.as_mut() {
                *off += written as u64;
            }
            IoSlice::advance_slices(&mut slices, written as usize);
        }
        Ok(())
    }
}

/// OTP's latin1 standard_io: one byte up to 255, `\x{HEX}` above.
pub fn push_latin1(buf: &mut Vec<u8>, ch: char) {
    let v = ch as u32;
    if v <= 255 {
        buf.push(v as u8);
    } else {
        buf.extend_from_slice(format!("\\x{{{v:X}}}").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::Heap;

    #[test]
    fn large_binaries_in_place_small_pieces_gathered() {
        let mut h = Heap::new(1024);
        let big = binary::binary(&mut h, &[b'a'; 300]);
        let small = binary::binary(&mut h, b"xy");
        let utf8 = binary::binary(&mut h, "é".as_bytes());
        let l = h.list(&[
            big,
            Term::small(b'!' as i64),
            small,
            big,
            utf8,
            Term::small(0x3b1),
        ]);
        let s = IovSettings::default();
        let iov = Iov::of_chardata(l, &s).unwrap();
        let slices = iov.slices();
        assert_eq!(slices.len(), 4, "big, gathered, big, gathered");
        assert_eq!(slices[0].len(), 300);
        assert_eq!(&*slices[1], b"!xy");
        let mut want = vec![b'a'; 300];
        want.extend_from_slice(b"!xy");
        want.extend(vec![b'a'; 300]);
        want.push(0xe9);
        want.extend_from_slice(b"\\x{3B1}");
        assert_eq!(iov.to_vec(), want);
        assert!(Iov::of_chardata(h.list(&[crate::atom::OK]), &s).is_err());
        assert!(Iov::of_iodata_owned(h.list(&[Term::small(256)]), &s).is_err());
        assert!(Iov::of_chardata(h.list(&[Term::small(-1)]), &s).is_err());
    }

    #[test]
    fn an_owned_iov_keeps_its_blocks_and_copies_heap_binaries() {
        let mut h = Heap::new(1024);
        let big = binary::binary(&mut h, &[b'b'; 300]);
        let small = binary::binary(&mut h, b"heap");
        let part = binary::sub(&mut h, big, 8 * 10, 8 * 280);
        let l = h.list(&[small, big, Term::small(b'!' as i64), part]);
        // Everything in place from the gather size down to one byte: the
        // heap binary is still copied (it may move or go with the heap).
        let s = IovSettings {
            max_vectors: 16,
            gather_below: 1,
        };
        let iov = Iov::of_iodata_owned(l, &s).unwrap();
        let big_at = binary::bytes_of(big).unwrap().as_ptr();
        {
            let slices = iov.slices();
            assert_eq!(slices.len(), 4, "heap, big, gathered, part");
            assert_eq!(&*slices[0], b"heap");
            assert_ne!(slices[0].as_ptr(), binary::bytes_of(small).unwrap().as_ptr());
            assert_eq!(slices[1].as_ptr(), big_at, "in place");
            assert_eq!(slices[3].as_ptr(), big_at.wrapping_add(10), "in place");
        }
        // The heap and its references go; the Iov's keep the block.
        drop(h);
        let mut want = b"heap".to_vec();
        want.extend(vec![b'b'; 300]);
        want.push(b'!');
        want.extend(vec![b'b'; 280]);
        assert_eq!(iov.to_vec(), want);
        assert_eq!(iov.len(), want.len());
    }
}
