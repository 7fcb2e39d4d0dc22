//! The Matern 5/2 covariance with one length scale per axis (automatic relevance determination).
//!
//! ```text
//! r² = Σ_d (x_d - x'_d)² / ℓ_d²
//! k(x, x') = σ_f² (1 + √5 r + 5 r²/3) exp(-√5 r)
//! ∂k/∂ log σ_f² = k
//! ∂k/∂ log ℓ_d  = σ_f² (5/3) (1 + √5 r) exp(-√5 r) (x_d - x'_d)² / ℓ_d²
//! ```
//!
//! Twice differentiable sample functions: smooth enough to model, rough enough for the response
//! of a training run, where the squared exponential would be too smooth (Snoek et al. 2012).

const SQRT5: f64 = 2.236_067_977_499_79;

/// The kernel's hyperparameters.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Matern52 {
    /// `ℓ_d`, one per axis.
    pub lengthscales: Vec<f64>,
    /// `σ_f²`, the prior variance of the function.
    pub amplitude: f64,
}

impl Matern52 {
    /// The squared scaled distance `r²` between `x` and `y`.
    fn scaled_distance2(&self, x: &[f64], y: &[f64]) -> f64 {
        x.iter().zip(y).zip(&self.lengthscales).map(|((x, y), l)| ((x - y) / l).powi(2)).sum()
    }

    /// `k(x, y)`.
    pub fn covariance(&self, x: &[f64], y: &[f64]) -> f64 {
        let r = self.scaled_distance2(x, y).sqrt();
        self.amplitude * (1.0 + SQRT5 * r + 5.0 / 3.0 * r * r) * (-SQRT5 * r).exp()
    }

    /// `k(x, y)` and its gradient with respect to `(log ℓ_1, ..., log ℓ_d, log σ_f²)`.
    pub fn covariance_and_gradient(&self, x: &[f64], y: &[f64]) -> (f64, Vec<f64>) {
        let r = self.scaled_distance2(x, y).sqrt();
        let decay = (-SQRT5 * r).exp();
        let k = self.amplitude * (1.0 + SQRT5 * r + 5.0 / 3.0 * r * r) * decay;
        let common = self.amplitude * 5.0 / 3.0 * (1.0 + SQRT5 * r) * decay;
        let mut gradient: Vec<f64> = x
            .iter()
            .zip(y)
            .zip(&self.lengthscales)
            .map(|((x, y), l)| common * ((x - y) / l).powi(2))
            .collect();
        gradient.push(k);
        (k, gradient)
    }
}
