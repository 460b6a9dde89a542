//! Transparent huge pages for large, randomly accessed arrays (the bucket
//! arrays of big ETS hash tables). A lookup in a table of a million keys
//! touches a random bucket: with 4 KiB pages nearly every lookup also
//! misses the TLB, with 2 MiB pages almost none does. Linux backs an
//! anonymous range with huge pages when it is advised so (the default
//! `madvise` mode of `transparent_hugepage`).

const HUGE_PAGE: usize = 2 << 20;

/// Advise the kernel to back the whole 2 MiB pages inside the spare
/// capacity of `v` with huge pages. Call it on a fresh vector, before its
/// elements are written: the advice applies when the pages are first
/// touched. Small vectors and other systems are left alone.
pub fn advise<T>(v: &mut Vec<T>) {
    let bytes = v.capacity() * std::mem::size_of::<T>();
    if bytes < 2 * HUGE_PAGE {
        return;
    }
    let start = v.as_mut_ptr() as usize;
    let first = start.next_multiple_of(HUGE_PAGE);
    let end = (start + bytes) & !(HUGE_PAGE - 1);
    if end <= first {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: [first, end) lies inside the vector's allocation and is
    // page-aligned; MADV_HUGEPAGE is advice that changes neither the
    // mapping's contents nor its permissions. A failure (an old kernel,
    // huge pages disabled) leaves ordinary pages, which is harmless.
    unsafe {
        libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
    }
}

#[cfg(test)]
mod tests {
    /// The advice reaches the kernel: the mapping holding the vector's
    /// aligned middle carries the `hg` (MADV_HUGEPAGE) flag in
    /// /proc/self/smaps. Skipped where the kernel has no transparent huge
    /// pages. The vector still works as a vector.
    #[cfg(target_os = "linux")]
    #[test]
    fn big_vectors_are_advised() {
        let mut v: Vec<u64> = Vec::with_capacity(1 << 20);
        super::advise(&mut v);
        v.extend(0..1 << 20);
        assert_eq!(v.iter().sum::<u64>(), (1u64 << 20) * ((1 << 20) - 1) / 2);
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage/enabled").exists() {
            return;
        }
        let inside = (v.as_ptr() as usize).next_multiple_of(super::HUGE_PAGE);
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let mut here = false;
        let mut flags = None;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ') {
                if let Some((lo, hi)) = range.split_once('-') {
                    if let (Ok(lo), Ok(hi)) = (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16)) {
                        here = lo <= inside && inside < hi;
                        continue;
                    }
                }
            }
            if here {
                if let Some(f) = line.strip_prefix("VmFlags:") {
                    flags = Some(f.split_whitespace().map(str::to_owned).collect::<Vec<_>>());
                }
            }
        }
        let flags = flags.expect("the vector's mapping is in smaps");
        assert!(
            flags.iter().any(|f| f == "hg"),
            "no MADV_HUGEPAGE flag: {flags:?}"
        );
    }

    #[test]
    fn small_vectors_are_left_alone() {
        let mut small: Vec<u8> = Vec::with_capacity(10);
        super::advise(&mut small);
        small.push(1);
        assert_eq!(small, [1]);
    }
}
