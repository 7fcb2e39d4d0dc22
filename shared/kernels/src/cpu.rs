//! Which vector instructions the kernels run: AVX-512 where the CPU has it, else AVX2 with FMA
//! (most laptops and cloud machines), else the portable code (which the compiler vectorises for
//! the baseline: SSE2 on x86-64, NEON on ARM).

use std::sync::OnceLock;

/// The environment variable that turns the AVX-512 paths off on a CPU that has them, so that
/// an AVX-512 machine runs what a laptop without AVX-512 runs (other rounding, other speed):
/// `SHARED_KERNELS_NO_AVX512=1 cargo run -p lecture-08-attention`.
pub const NO_AVX512: &str = "SHARED_KERNELS_NO_AVX512";

/// Whether the kernels take their AVX-512 paths: the CPU has AVX-512F and [`NO_AVX512`] is not
/// set. Read once per process.
pub fn use_avx512() -> bool {
    static USE: OnceLock<bool> = OnceLock::new();
    *USE.get_or_init(|| cpu_has_avx512() && std::env::var_os(NO_AVX512).is_none())
}

/// The environment variable that turns the AVX2 paths off as well: with it (and [`NO_AVX512`])
/// an x86-64 machine runs the portable code, as a CPU with neither would.
pub const NO_AVX2: &str = "SHARED_KERNELS_NO_AVX2";

/// Whether the kernels take their AVX2 + FMA paths: not [`use_avx512`], the CPU has AVX2 and
/// FMA, and [`NO_AVX2`] is not set. Read once per process.
pub fn use_avx2() -> bool {
    static USE: OnceLock<bool> = OnceLock::new();
    *USE.get_or_init(|| !use_avx512() && cpu_has_avx2_fma() && std::env::var_os(NO_AVX2).is_none())
}

#[cfg(target_arch = "x86_64")]
fn cpu_has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(not(target_arch = "x86_64"))]
fn cpu_has_avx2_fma() -> bool {
    false
}

#[cfg(target_arch = "x86_64")]
fn cpu_has_avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

#[cfg(not(target_arch = "x86_64"))]
fn cpu_has_avx512() -> bool {
    false
}
