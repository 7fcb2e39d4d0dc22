//! Gaussian-process regression with a zero prior mean: the posterior at new points, and the
//! kernel's hyperparameters fitted by maximising the marginal likelihood.
//!
//! ```text
//! data:       X [n, d], y [n];   K = k(X, X) + σ_n² I = L Lᵀ,   α = K⁻¹ y
//! posterior:  μ(x)  = k(x, X) α
//!             σ²(x) = k(x, x) - |L⁻¹ k(X, x)|²
//! evidence:   log p(y | θ) = -½ yᵀ α - Σ_j log L_jj - (n/2) log 2π
//! gradient:   ∂ log p / ∂θ_j = ½ tr((α αᵀ - K⁻¹) ∂K/∂θ_j),   θ = (log ℓ_1..d, log σ_f², log σ_n²)
//! ```
//!
//! The fit climbs the evidence from a few starts: gradient steps in `θ`, each step halved until
//! the evidence rises, every coordinate kept in [`BOUNDS`] (lengths from 0.02 to 5 of the unit
//! cube, signal and noise variances of a standardised `y`).

use super::cholesky::Cholesky;
use super::kernel::Matern52;
use anyhow::Result;
use std::f64::consts::PI;

/// Bounds of `(log ℓ, log σ_f², log σ_n²)`.
pub const BOUNDS: [(f64, f64); 3] = [(-3.912, 1.609), (-3.0, 3.0), (-13.8, 0.0)];

/// Gradient steps per start of the fit.
const FIT_STEPS: usize = 25;

/// The covariance hyperparameters: kernel and noise variance `σ_n²`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Hyperparameters {
    pub kernel: Matern52,
    pub noise: f64,
}

impl Hyperparameters {
    /// Length 0.3 on every axis, unit signal, noise 1e-3: the fit's first start.
    pub fn default_for(dimensions: usize) -> Hyperparameters {
        Hyperparameters {
            kernel: Matern52 { lengthscales: vec![0.3; dimensions], amplitude: 1.0 },
            noise: 1e-3,
        }
    }

    /// `θ = (log ℓ_1..d, log σ_f², log σ_n²)`.
    pub fn to_log(&self) -> Vec<f64> {
        let mut theta: Vec<f64> = self.kernel.lengthscales.iter().map(|l| l.ln()).collect();
        theta.extend([self.kernel.amplitude.ln(), self.noise.ln()]);
        theta
    }

    /// The hyperparameters of `θ`, clamped to [`BOUNDS`].
    pub fn from_log(theta: &[f64]) -> Hyperparameters {
        let d = theta.len() - 2;
        let clamp = |v: f64, (low, high): (f64, f64)| v.clamp(low, high);
        Hyperparameters {
            kernel: Matern52 {
                lengthscales: theta[..d].iter().map(|&t| clamp(t, BOUNDS[0]).exp()).collect(),
                amplitude: clamp(theta[d], BOUNDS[1]).exp(),
            },
            noise: clamp(theta[d + 1], BOUNDS[2]).exp(),
        }
    }
}

/// A GP conditioned on data.
#[derive(Clone, Debug)]
pub struct GaussianProcess {
    x: Vec<Vec<f64>>,
    pub hyperparameters: Hyperparameters,
    factor: Cholesky,
    alpha: Vec<f64>,
}

impl GaussianProcess {
    /// Conditions the prior of `hyperparameters` on `y[i] = f(x[i]) + noise`.
    pub fn new(x: &[Vec<f64>], y: &[f64], hyperparameters: Hyperparameters) -> Result<GaussianProcess> {
        let factor = Cholesky::new(&covariance_matrix(x, &hyperparameters), x.len())?;
        let alpha = factor.solve(y);
        Ok(GaussianProcess { x: x.to_vec(), hyperparameters, factor, alpha })
    }

    /// The posterior mean `μ(x)` and variance `σ²(x)` of `f` at `point`.
    pub fn posterior(&self, point: &[f64]) -> (f64, f64) {
        let kernel = &self.hyperparameters.kernel;
        let k_star: Vec<f64> = self.x.iter().map(|x| kernel.covariance(x, point)).collect();
        let mean = k_star.iter().zip(&self.alpha).map(|(k, a)| k * a).sum();
        let v = self.factor.solve_lower(&k_star);
        let variance = kernel.amplitude - v.iter().map(|v| v * v).sum::<f64>();
        (mean, variance.max(1e-12))
    }

    /// The GP whose hyperparameters maximise the evidence of `(x, y)`, climbing from each of
    /// `starts`; the best start wins.
    pub fn fit(x: &[Vec<f64>], y: &[f64], starts: &[Hyperparameters]) -> Result<GaussianProcess> {
        let mut best: Option<(f64, Vec<f64>)> = None;
        for start in starts {
            let Ok(climbed) = climb(x, y, start.to_log()) else { continue };
            if best.as_ref().is_none_or(|(evidence, _)| climbed.0 > *evidence) {
                best = Some(climbed);
            }
        }
        let theta = best.map_or_else(|| Hyperparameters::default_for(x[0].len()).to_log(), |b| b.1);
        GaussianProcess::new(x, y, Hyperparameters::from_log(&theta))
    }
}

/// `K = k(X, X) + σ_n² I`, row-major.
fn covariance_matrix(x: &[Vec<f64>], h: &Hyperparameters) -> Vec<f64> {
    let n = x.len();
    let mut k = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let c = h.kernel.covariance(&x[i], &x[j]);
            k[i * n + j] = c;
            k[j * n + i] = c;
        }
        k[i * n + i] += h.noise;
    }
    k
}

/// `log p(y | θ)` and its gradient with respect to `θ` (see the module docs).
pub fn log_evidence(x: &[Vec<f64>], y: &[f64], theta: &[f64]) -> Result<(f64, Vec<f64>)> {
    let h = Hyperparameters::from_log(theta);
    let n = x.len();
    let factor = Cholesky::new(&covariance_matrix(x, &h), n)?;
    let alpha = factor.solve(y);
    let value = -0.5 * y.iter().zip(&alpha).map(|(y, a)| y * a).sum::<f64>()
        - 0.5 * factor.log_det()
        - 0.5 * n as f64 * (2.0 * PI).ln();
    let inverse = factor.inverse();
    let mut gradient = vec![0.0; theta.len()];
    for i in 0..n {
        for j in 0..n {
            let weight = 0.5 * (alpha[i] * alpha[j] - inverse[i * n + j]);
            let (_, dk) = h.kernel.covariance_and_gradient(&x[i], &x[j]);
            for (g, dk) in gradient.iter_mut().zip(dk) {
                *g += weight * dk;
            }
            if i == j {
                gradient[theta.len() - 1] += weight * h.noise;
            }
        }
    }
    Ok((value, gradient))
}

/// Gradient ascent on the evidence from `theta`: each step at most 1 in every log coordinate,
/// halved until the evidence rises; stops when no halving helps. Returns `(evidence, θ)`.
fn climb(x: &[Vec<f64>], y: &[f64], mut theta: Vec<f64>) -> Result<(f64, Vec<f64>)> {
    theta = Hyperparameters::from_log(&theta).to_log();
    let (mut value, mut gradient) = log_evidence(x, y, &theta)?;
    for _ in 0..FIT_STEPS {
        let largest = gradient.iter().fold(1.0f64, |m, g| m.max(g.abs()));
        let mut step = 1.0 / largest;
        let mut improved = None;
        for _ in 0..8 {
            let trial: Vec<f64> = theta.iter().zip(&gradient).map(|(t, g)| t + step * g).collect();
            let trial = Hyperparameters::from_log(&trial).to_log();
            if let Ok((v, g)) = log_evidence(x, y, &trial)
                && v > value + 1e-9
            {
                improved = Some((v, g, trial));
                break;
            }
            step /= 2.0;
        }
        let Some((v, g, t)) = improved else { break };
        (value, gradient, theta) = (v, g, t);
    }
    Ok((value, theta))
}
