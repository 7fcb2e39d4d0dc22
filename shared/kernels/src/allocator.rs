//! Keeping freed memory in the process, so a timed training loop does not pay the kernel for
//! the same buffers every step.
//!
//! A training step allocates and frees the same large buffers every step (activations,
//! gradients, Adam's temporaries: hundreds of KiB to MiB each). glibc's malloc serves blocks
//! above its mmap threshold (128 KiB at first) with a fresh `mmap` and gives the top of its heap
//! back to the kernel once more than the trim threshold (128 KiB) is free there; either way the
//! next step touches new pages and takes a page fault (a zeroed page from the kernel) for every
//! 4 KiB. Profiles of the `mlp` workload on flex put 10-18% of the step in page faults;
//! raising both thresholds (below) made `mlp` ~30% and `gan` ~10% faster, arithmetic unchanged.
//! PyTorch's ops mostly update in place and allocate far less.

/// Largest block malloc takes from its heap rather than from `mmap`: 32 MiB, the largest mmap
/// threshold every glibc takes on 64-bit targets (older ones refuse more). The workloads'
/// buffers are below it.
const MMAP_THRESHOLD: i32 = 32 << 20;

/// Free memory at the top of the heap that malloc keeps rather than returns: 512 MiB.
const TRIM_THRESHOLD: i32 = 512 << 20;

/// Tells glibc's malloc to serve blocks up to [`MMAP_THRESHOLD`] from its heap and to keep up
/// to [`TRIM_THRESHOLD`] of freed memory; returns whether both settings were taken. Elsewhere
/// (another C library, another OS) it does nothing and returns `false`.
///
/// Call it once, before the timed loop; it changes only where memory comes from.
pub fn keep_freed_memory() -> bool {
    glibc::set(glibc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) && glibc::set(glibc::M_TRIM_THRESHOLD, TRIM_THRESHOLD)
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_int;

    /// `M_TRIM_THRESHOLD` of glibc's `<malloc.h>`.
    pub const M_TRIM_THRESHOLD: c_int = -1;
    /// `M_MMAP_THRESHOLD` of glibc's `<malloc.h>`.
    pub const M_MMAP_THRESHOLD: c_int = -3;

    unsafe extern "C" {
        /// glibc's `int mallopt(int param, int value)`: 1 on success, 0 on error.
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }

    /// Sets one malloc parameter; `true` when glibc accepted it.
    pub fn set(param: c_int, value: c_int) -> bool {
        // SAFETY: `mallopt` only reads its two integer arguments; glibc serialises it with
        // the allocator's own lock, so calling it while other threads allocate is sound.
        unsafe { mallopt(param, value) == 1 }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod glibc {
    pub const M_TRIM_THRESHOLD: i32 = -1;
    pub const M_MMAP_THRESHOLD: i32 = -3;

    /// No glibc: nothing to set.
    pub fn set(_param: i32, _value: i32) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn glibc_takes_both_settings_and_allocation_still_works() {
        assert!(keep_freed_memory());
        // A block between the old and the new mmap threshold, written, freed and taken again.
        let block = vec![1.0f32; (1 << 20) / 4];
        assert_eq!(block.iter().sum::<f32>(), (1 << 18) as f32);
        drop(block);
        assert!(vec![0u8; 2 << 20].iter().all(|&b| b == 0));
    }
}
