//! The SELU constants, derived rather than typed in.
//!
//! Let a layer's inputs have mean `μ` and variance `ν`, and its weights sum to `ω = Σ w_i` with
//! `τ = Σ w_i²`. For many inputs the pre-activation `z = Σ w_i x_i` is close to normal,
//! `z ~ N(μω, ντ)`, and the layer's outputs `f(z)` have the moments
//!
//! ```text
//! μ̃ = E[f(z)],    ν̃ = E[f(z)²] - μ̃².
//! ```
//!
//! Klambauer et al. (2017) ask for an activation `f(z) = λ z` (z > 0), `λ α (exp(z) - 1)`
//! (z <= 0) whose map `(μ, ν) -> (μ̃, ν̃)` has the fixed point `(0, 1)` when `ω = 0, τ = 1`
//! (weights of mean 0 and variance `1/k` over `k` inputs): with `z ~ N(0, 1)`,
//!
//! ```text
//! E[f(z)] = 0   and   E[f(z)²] = 1.
//! ```
//!
//! [`SeluConstants::solve`] solves these two equations for `(α, λ)` by Newton's method, each
//! expectation computed by quadrature (Simpson's rule split at the kink). The answer is
//! `α ≈ 1.6733`, `λ ≈ 1.0507`. The fixed point is attracting: the map's Jacobian there
//! ([`SeluConstants::jacobian`]) has spectral radius below 1, so layer after layer pulls the
//! moments back towards `(0, 1)`.

use std::sync::OnceLock;

/// Half-width of the integration range, in standard deviations.
const RANGE_SDS: f64 = 12.0;
/// Simpson intervals on each side of the kink (even).
const INTERVALS: usize = 4000;

/// SELU's `α` and `λ`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct SeluConstants {
    /// Scale of the negative saturation: `f(z) -> -λα` as `z -> -∞`.
    pub alpha: f64,
    /// Overall scale `λ` (the paper's lambda; burn calls it gamma).
    pub lambda: f64,
}

/// `∫ g` over `[a, b]` by composite Simpson with `INTERVALS` intervals.
fn simpson(g: &impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let h = (b - a) / INTERVALS as f64;
    let inner: f64 = (1..INTERVALS).map(|i| g(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 }).sum();
    (g(a) + inner + g(b)) * h / 3.0
}

/// `E[g(z)]` for `z ~ N(mean, var)`, integrating separately on each side of 0 (where the
/// activations have their kink).
pub fn gaussian_expectation(g: impl Fn(f64) -> f64, mean: f64, var: f64) -> f64 {
    let sd = var.sqrt();
    let density =
        |z: f64| (-(z - mean).powi(2) / (2.0 * var)).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt());
    let integrand = |z: f64| g(z) * density(z);
    let (low, high) = (mean - RANGE_SDS * sd, mean + RANGE_SDS * sd);
    if low < 0.0 && 0.0 < high {
        simpson(&integrand, low, 0.0) + simpson(&integrand, 0.0, high)
    } else {
        simpson(&integrand, low, high)
    }
}

impl SeluConstants {
    /// The constants, solved once per process and then remembered.
    pub fn get() -> SeluConstants {
        static SOLVED: OnceLock<SeluConstants> = OnceLock::new();
        *SOLVED.get_or_init(SeluConstants::solve)
    }

    /// Solves `E[f(z)] = 0`, `E[f(z)²] = 1` for `z ~ N(0, 1)` by Newton's method from
    /// `α = λ = 1` (ELU), with the Jacobian by central differences.
    pub fn solve() -> SeluConstants {
        let residual = |alpha: f64, lambda: f64| {
            let c = SeluConstants { alpha, lambda };
            [
                gaussian_expectation(|z| c.apply(z), 0.0, 1.0),
                gaussian_expectation(|z| c.apply(z).powi(2), 0.0, 1.0) - 1.0,
            ]
        };
        let (mut alpha, mut lambda) = (1.0, 1.0);
        for _ in 0..50 {
            let r = residual(alpha, lambda);
            if r[0].abs().max(r[1].abs()) < 1e-13 {
                break;
            }
            let h = 1e-6;
            let (ra_plus, ra_minus) = (residual(alpha + h, lambda), residual(alpha - h, lambda));
            let (rl_plus, rl_minus) = (residual(alpha, lambda + h), residual(alpha, lambda - h));
            let j = [
                [(ra_plus[0] - ra_minus[0]) / (2.0 * h), (rl_plus[0] - rl_minus[0]) / (2.0 * h)],
                [(ra_plus[1] - ra_minus[1]) / (2.0 * h), (rl_plus[1] - rl_minus[1]) / (2.0 * h)],
            ];
            let det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
            alpha -= (j[1][1] * r[0] - j[0][1] * r[1]) / det;
            lambda -= (j[0][0] * r[1] - j[1][0] * r[0]) / det;
        }
        SeluConstants { alpha, lambda }
    }

    /// `f(z)` for one number: `λ z` if `z > 0`, else `λ α (exp(z) - 1)`.
    pub fn apply(&self, z: f64) -> f64 {
        if z > 0.0 { self.lambda * z } else { self.lambda * self.alpha * z.exp_m1() }
    }

    /// Mean and variance of `f(z)` for `z ~ N(z_mean, z_var)`.
    pub fn output_moments(&self, z_mean: f64, z_var: f64) -> (f64, f64) {
        let mean = gaussian_expectation(|z| self.apply(z), z_mean, z_var);
        let second = gaussian_expectation(|z| self.apply(z).powi(2), z_mean, z_var);
        (mean, second - mean * mean)
    }

    /// The paper's map `(μ, ν) -> (μ̃, ν̃)` of one layer whose weights have `Σ w = ω`,
    /// `Σ w² = τ`: `z ~ N(μω, ντ)`.
    pub fn moment_map(&self, mean: f64, var: f64, omega: f64, tau: f64) -> (f64, f64) {
        self.output_moments(mean * omega, var * tau)
    }

    /// The Jacobian `∂(μ̃, ν̃) / ∂(μ, ν)` of [`Self::moment_map`] at `(0, 1)` with `ω = 0`,
    /// `τ = 1`, by central differences; rows `(μ̃, ν̃)`, columns `(μ, ν)`.
    pub fn jacobian(&self) -> [[f64; 2]; 2] {
        let h = 1e-5;
        let map = |mean: f64, var: f64| self.moment_map(mean, var, 0.0, 1.0);
        let (mp, mm) = (map(h, 1.0), map(-h, 1.0));
        let (vp, vm) = (map(0.0, 1.0 + h), map(0.0, 1.0 - h));
        [
            [(mp.0 - mm.0) / (2.0 * h), (vp.0 - vm.0) / (2.0 * h)],
            [(mp.1 - mm.1) / (2.0 * h), (vp.1 - vm.1) / (2.0 * h)],
        ]
    }

    /// The largest absolute eigenvalue of a 2 x 2 matrix (the Jacobian): below 1 means the
    /// fixed point attracts.
    pub fn spectral_radius(j: [[f64; 2]; 2]) -> f64 {
        let (trace, det) = (j[0][0] + j[1][1], j[0][0] * j[1][1] - j[0][1] * j[1][0]);
        let disc = trace * trace / 4.0 - det;
        if disc >= 0.0 {
            let root = disc.sqrt();
            (trace / 2.0 + root).abs().max((trace / 2.0 - root).abs())
        } else {
            det.sqrt()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadrature_knows_the_normal_moments() {
        assert!((gaussian_expectation(|z| z, 0.5, 3.0) - 0.5).abs() < 1e-12);
        assert!((gaussian_expectation(|z| z * z, 0.5, 3.0) - 3.25).abs() < 1e-10);
        // E[max(z, 0)] = 1/sqrt(2π) for z ~ N(0, 1).
        let half_mean = gaussian_expectation(|z| z.max(0.0), 0.0, 1.0);
        assert!((half_mean - 1.0 / (2.0 * std::f64::consts::PI).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn the_solved_constants_match_the_paper_and_satisfy_the_conditions() {
        let c = SeluConstants::solve();
        // Klambauer et al. 2017, eq. (14): α01 ≈ 1.6732632423543772, λ01 ≈ 1.0507009873554805.
        assert!((c.alpha - 1.6732632423543772).abs() < 1e-8, "{c:?}");
        assert!((c.lambda - 1.0507009873554805).abs() < 1e-8, "{c:?}");
        let (mean, var) = c.output_moments(0.0, 1.0);
        assert!(mean.abs() < 1e-10 && (var - 1.0).abs() < 1e-10, "{mean} {var}");
    }

    #[test]
    fn the_fixed_point_attracts() {
        let c = SeluConstants::get();
        let j = c.jacobian();
        // With ω = 0 the next mean does not depend on the current mean: the first column is 0.
        assert!(j[0][0].abs() < 1e-6 && j[1][0].abs() < 1e-6, "{j:?}");
        let radius = SeluConstants::spectral_radius(j);
        assert!(radius > 0.5 && radius < 0.9, "spectral radius {radius}");
        // Iterating the map from (0.5, 3) with ω = 0, τ = 1 lands next to (0, 1).
        let (mut mean, mut var) = (0.5, 3.0);
        for _ in 0..20 {
            (mean, var) = c.moment_map(mean, var, 0.0, 1.0);
        }
        assert!(mean.abs() < 1e-3 && (var - 1.0).abs() < 1e-2, "{mean} {var}");
    }

    #[test]
    fn spectral_radius_of_known_matrices() {
        assert!((SeluConstants::spectral_radius([[0.5, 0.0], [0.0, -0.8]]) - 0.8).abs() < 1e-12);
        assert!((SeluConstants::spectral_radius([[0.0, -0.25], [1.0, 0.0]]) - 0.5).abs() < 1e-12);
    }
}
