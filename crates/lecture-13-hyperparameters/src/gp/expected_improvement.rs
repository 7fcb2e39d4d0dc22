//! Expected improvement: how much a trial at `x` is expected to beat the best value so far,
//! under the GP's posterior `f(x) ~ N(μ, σ²)` (we minimise).
//!
//! ```text
//! γ(x)  = (f_best - μ(x)) / σ(x)
//! EI(x) = E[max(f_best - f(x), 0)] = σ(x) (γ Φ(γ) + φ(γ))
//! ```
//!
//! Large where the mean is low (exploitation) or the uncertainty is high (exploration).

use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// The standard normal density `φ(z)`.
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * PI).sqrt()
}

/// The standard normal distribution function `Φ(z) = erfc(-z/√2) / 2`.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z * FRAC_1_SQRT_2)
}

/// `EI` at a point whose posterior is `N(mean, variance)`, with `best` the lowest value seen.
pub fn expected_improvement(mean: f64, variance: f64, best: f64) -> f64 {
    let sigma = variance.sqrt();
    let gamma = (best - mean) / sigma;
    sigma * (gamma * normal_cdf(gamma) + normal_pdf(gamma))
}
