//! A critical-point finder: Newton steps that drive the gradient to zero, attracted to saddles
//! as much as to minima (Dauphin et al. 2014; Pennington and Bahri 2017 minimise `‖∇L‖²`).
//!
//! ```text
//! repeat until ‖g‖ < tolerance (converged) or ‖g‖² stops falling (stalled):
//!     g, H = ∇L(θ), ∇²L(θ);   H = Σ_k λ_k v_k v_kᵀ                     (crate::hessian, crate::eigen)
//!     d(μ) = -(H² + μ I)⁻¹ H g = -Σ_k λ_k / (λ_k² + μ) (v_kᵀ g) v_k      damped Newton step
//!     θ ← θ + d(μ) for the μ in a range with the least ‖∇L(θ + d(μ))‖²
//! index(θ) = #{k : λ_k < -threshold} / P                                 0 at a minimum
//! ```
//!
//! Gradient descent on `L` runs away from negative curvature; Newton's step `-H⁻¹g` divides by
//! `λ_k`, so along a negative direction it climbs, and it converges to whatever critical point is
//! near. `d(μ)` is Levenberg-Marquardt's step for the residual `g(θ)` whose Jacobian is `H`:
//! Newton's step as `μ → 0`, a short step down `½‖g‖²` (whose gradient is `H g`) as `μ` grows,
//! and safe where `H` is nearly singular.

use crate::eigen::symmetric_eigen;
use crate::hessian::{Curvature, hessian, norm};
use crate::landscape::Landscape;
use serde::Serialize;

/// The finder's settings.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Newton {
    pub max_iterations: usize,
    /// Converged when `‖∇L‖` falls below this.
    pub tolerance: f64,
    /// The finite-difference step of the Hessian.
    pub eps: f64,
}

/// The dampings `μ / max λ²` tried at every step, all in one batch: from Newton's step (`μ`
/// negligible) to a short step down `½‖g‖²` (`μ` large).
const DAMPINGS: [f64; 10] = [1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

/// Where the finder stopped.
#[derive(Clone, Debug, Serialize)]
pub struct CriticalPoint {
    pub theta: Vec<f64>,
    pub loss: f64,
    pub gradient_norm: f64,
    /// The Hessian's eigenvalues there, ascending.
    pub eigenvalues: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

impl CriticalPoint {
    /// The fraction of eigenvalues below `-relative × max |λ|`.
    pub fn index(&self, relative: f64) -> f64 {
        index(&self.eigenvalues, relative)
    }
}

/// The fraction of `eigenvalues` below `-relative × max |λ|`.
pub fn index(eigenvalues: &[f64], relative: f64) -> f64 {
    let largest = eigenvalues.iter().fold(0.0f64, |m, l| m.max(l.abs()));
    let negative = eigenvalues.iter().filter(|&&l| l < -relative * largest).count();
    negative as f64 / eigenvalues.len() as f64
}

/// Runs the Newton iteration of the module docs from `start`.
pub fn find_critical_point(landscape: &impl Landscape, start: &[f64], newton: &Newton) -> CriticalPoint {
    let mut theta = start.to_vec();
    let mut iterations = 0;
    loop {
        let curvature = hessian(landscape, &theta, newton.eps);
        let eigen = symmetric_eigen(&curvature.hessian, theta.len());
        let converged = curvature.gradient_norm() < newton.tolerance;
        let step = (!converged && iterations < newton.max_iterations)
            .then(|| damped_step(landscape, &theta, &curvature, &eigen.values, &eigen.vectors))
            .flatten();
        match step {
            Some(next) => {
                theta = next;
                iterations += 1;
            }
            None => {
                return CriticalPoint {
                    gradient_norm: curvature.gradient_norm(),
                    loss: curvature.loss,
                    theta,
                    eigenvalues: eigen.values,
                    iterations,
                    converged,
                };
            }
        }
    }
}

/// The damped step `θ + d(μ)` with the least `‖∇L‖²` over the dampings [`DAMPINGS`], or `None`
/// when none lowers it.
fn damped_step(
    landscape: &impl Landscape,
    theta: &[f64],
    curvature: &Curvature,
    values: &[f64],
    vectors: &[Vec<f64>],
) -> Option<Vec<f64>> {
    let largest = values.iter().fold(0.0f64, |m, l| m.max(l * l));
    let along: Vec<f64> =
        vectors.iter().map(|v| v.iter().zip(&curvature.gradient).map(|(a, b)| a * b).sum()).collect();
    let candidates: Vec<Vec<f64>> = DAMPINGS
        .iter()
        .map(|relative| {
            let mu = relative * largest;
            let mut next = theta.to_vec();
            for ((lambda, v), a) in values.iter().zip(vectors).zip(&along) {
                let scale = lambda / (lambda * lambda + mu) * a;
                next.iter_mut().zip(v).for_each(|(x, vi)| *x -= scale * vi);
            }
            next
        })
        .collect();
    let norms: Vec<f64> = landscape.gradients(&candidates).iter().map(|(_, g)| norm(g)).collect();
    let (best, best_norm) =
        norms.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).map(|(k, n)| (k, *n))?;
    (best_norm < curvature.gradient_norm()).then(|| candidates[best].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_counts_clearly_negative_eigenvalues() {
        assert_eq!(index(&[-2.0, -1e-6, 0.5, 4.0], 1e-3), 0.25);
        assert_eq!(index(&[1e-9, 1.0], 1e-3), 0.0);
    }
}
