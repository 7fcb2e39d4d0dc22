//! Element-wise loops the compiler vectorises: compiled for AVX-512 or for AVX2 with FMA when
//! the CPU has them, and written over fixed blocks of [`LANES`] floats copied into locals.

/// Defines `fn $name(args)` that runs `$body(args)` compiled for AVX-512 when the CPU has it
/// (so that the element-wise loops `$body` inlines, gate activations above all, are vectorised
/// 16 floats wide instead of the baseline's 4), for AVX2 + FMA (8 wide) when it has those, and
/// as compiled for the baseline elsewhere. `$body` must be `#[inline(always)]`.
macro_rules! vectorised {
    ($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) => $body:path) => {
        $(#[$doc])*
        fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            if $crate::cpu::use_avx512() {
                #[target_feature(enable = "avx512f")]
                fn wide($($arg: $ty),*) {
                    $body($($arg),*)
                }
                // SAFETY: the CPU has AVX-512F (`use_avx512` checks it).
                return unsafe { wide($($arg),*) };
            }
            #[cfg(target_arch = "x86_64")]
            if $crate::cpu::use_avx2() {
                #[target_feature(enable = "avx2,fma")]
                fn eight_wide($($arg: $ty),*) {
                    $body($($arg),*)
                }
                // SAFETY: the CPU has AVX2 and FMA (`use_avx2` checks them).
                return unsafe { eight_wide($($arg),*) };
            }
            $body($($arg),*)
        }
    };
}
pub(crate) use vectorised;

/// Floats per block of the element-wise loops: one AVX-512 register. The loops copy each block
/// of every stream into a local array first: locals cannot alias, so the compiler vectorises
/// the arithmetic (slices split from one buffer would need run-time overlap checks it gives up
/// on).
pub const LANES: usize = 16;

/// `values` (at most [`LANES`]) copied into a zero-padded block.
#[inline(always)]
pub fn lanes(values: &[f32]) -> [f32; LANES] {
    match <&[f32; LANES]>::try_from(values) {
        Ok(full) => *full,
        Err(_) => {
            let mut block = [0.0; LANES];
            block[..values.len()].copy_from_slice(values);
            block
        }
    }
}

/// Writes the first `out.len()` (at most [`LANES`]) floats of `block` into `out`.
#[inline(always)]
pub fn store(out: &mut [f32], block: &[f32; LANES]) {
    match <&mut [f32; LANES]>::try_from(&mut *out) {
        Ok(full) => *full = *block,
        Err(_) => {
            let n = out.len();
            out.copy_from_slice(&block[..n]);
        }
    }
}
