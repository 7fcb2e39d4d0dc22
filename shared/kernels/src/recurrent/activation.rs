//! Branch-free `f32` sigmoid and tanh for the CPU kernels, written so the compiler vectorises
//! the loops that call them (`f32::exp` is a library call per element and does not; see
//! [`super::vectorise`]).
//!
//! ```text
//! e^x     = 2^n · 2^f,  t = x log2(e),  n = round(t),  f = t - n ∈ [-1/2, 1/2]
//! 2^f     = e^(f ln 2) ≈ Σ_{k=0..6} (f ln 2)^k / k!      truncation < |0.35|^7 / 7! ≈ 1.3e-7
//! σ(x)    = 1 / (1 + e^(-x))
//! tanh(x) = 2 σ(2x) - 1
//! ```
//!
//! Both stay within 3e-7 of the exact value (absolute) for every finite input, which the tests
//! check on a dense grid; that is below the f32 tolerance of every parity test.

use super::vectorise::vectorised;
use std::f32::consts::{LN_2, LOG2_E};

/// Adding then subtracting 1.5 · 2^23 rounds an f32 of magnitude below 2^22 to an integer.
const ROUND_MAGIC: f32 = 12_582_912.0;

/// `e^x` to a relative error below `3e-7 + 6e-8 |x|` (the second term is the rounding of
/// `x log2(e)` to f32); clamped where f32 stops being normal.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let t = (x * LOG2_E).clamp(-126.0, 126.0);
    // `rounded` = 1.5 · 2^23 + n exactly, so its low mantissa bits hold the integer n (read
    // without a float-to-int conversion, which would stop the loops from vectorising).
    let rounded = t + ROUND_MAGIC;
    let n = rounded - ROUND_MAGIC;
    let y = (t - n) * LN_2;
    let p = 1.0
        + y * (1.0
            + y * (1.0 / 2.0 + y * (1.0 / 6.0 + y * (1.0 / 24.0 + y * (1.0 / 120.0 + y * (1.0 / 720.0))))));
    let n_bits = rounded.to_bits().wrapping_sub(ROUND_MAGIC.to_bits());
    let two_to_n = f32::from_bits(n_bits.wrapping_add(127) << 23);
    p * two_to_n
}

/// The logistic function `σ(x) = 1 / (1 + e^(-x))`.
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// The hyperbolic tangent, `2 σ(2x) - 1`.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    2.0 * sigmoid(2.0 * x) - 1.0
}

vectorised! {
    /// `out[i] = tanh(x[i])`.
    fn tanh_into(x: &[f32], out: &mut [f32]) => tanh_into_body
}

#[inline(always)]
fn tanh_into_body(x: &[f32], out: &mut [f32]) {
    out.iter_mut().zip(x).for_each(|(out, &x)| *out = tanh(x));
}

/// [`tanh`] of every element.
pub fn tanh_all(x: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0; x.len()];
    tanh_into(x, &mut out);
    out
}

/// The gradient of `y = tanh(x)` from `y` itself: `δx = δy (1 - y²)`.
pub fn tanh_backward(y: &[f32], d_y: &[f32]) -> Vec<f32> {
    y.iter().zip(d_y).map(|(&y, &d)| d * (1.0 - y * y)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every 1e-4 over [-20, 20] plus the extremes.
    fn grid() -> impl Iterator<Item = f32> {
        (-200_000..=200_000).map(|i| i as f32 * 1e-4).chain([-1e30, -88.0, 88.0, 1e30, f32::MIN, f32::MAX])
    }

    fn max_error(approx: fn(f32) -> f32, exact: fn(f64) -> f64) -> f64 {
        grid().map(|x| (approx(x) as f64 - exact(x as f64)).abs()).fold(0.0, f64::max)
    }

    #[test]
    fn sigmoid_is_within_3e7_of_the_exact_value() {
        let error = max_error(sigmoid, |x| 1.0 / (1.0 + (-x).exp()));
        assert!(error < 3e-7, "max |error| {error}");
    }

    #[test]
    fn tanh_is_within_3e7_of_the_exact_value() {
        let error = max_error(tanh, f64::tanh);
        assert!(error < 3e-7, "max |error| {error}");
    }

    #[test]
    fn the_slice_versions_match_the_scalar_tanh_and_its_derivative() {
        let x: Vec<f32> = (-40..=40).map(|i| i as f32 * 0.1).collect();
        let y = tanh_all(&x);
        assert!(x.iter().zip(&y).all(|(&x, &y)| y == tanh(x)), "element-wise tanh");
        let d_y: Vec<f32> = (0..x.len()).map(|i| 1.0 + i as f32).collect();
        for ((&x, &d), d_x) in x.iter().zip(&d_y).zip(tanh_backward(&y, &d_y)) {
            let exact = d as f64 / (x as f64).cosh().powi(2);
            assert!((d_x as f64 - exact).abs() < 1e-5 * d as f64, "tanh'({x}) · {d}: {d_x} vs {exact}");
        }
    }

    #[test]
    fn exp_has_small_relative_error_on_the_range_the_gates_use() {
        for x in (-20_000..=20_000).map(|i| i as f32 * 1e-3) {
            let exact = (x as f64).exp();
            let relative = ((exp(x) as f64 - exact) / exact).abs();
            let bound = 3e-7 + 6e-8 * x.abs() as f64;
            assert!(relative < bound, "exp({x}): relative error {relative}, bound {bound}");
        }
    }
}
