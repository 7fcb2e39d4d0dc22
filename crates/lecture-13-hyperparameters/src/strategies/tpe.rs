//! The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl 2011).
//!
//! Instead of modelling `p(y | x)` as the GP does, model `p(x | y)` on two sides of a quantile:
//!
//! ```text
//! y*   = the γ-quantile of the values so far                 (γ = 0.25: the best quarter)
//! l(x) = p(x | y < y*),   g(x) = p(x | y ≥ y*)               Parzen windows, axis by axis
//!        each a mixture of Gaussians truncated to [0, 1], one per trial plus a wide prior
//!        component N(0.5, 1); a trial's width is its distance to the farther neighbour
//! EI(x) ∝ (γ + (1 - γ) g(x)/l(x))⁻¹                          so maximise l(x) / g(x):
//! x    = argmax over SAMPLES draws from l of Σ_axes log l_i(x_i) - log g_i(x_i)
//! ```
//!
//! Each axis is modelled on its own (the "tree" is the conditional structure of a space; ours is
//! flat, so the tree is a row of independent leaves). The cost per proposal is linear in the
//! number of trials, against the GP's cubic.

use super::random::uniform_point;
use crate::gp::expected_improvement::normal_cdf;
use crate::strategy::SearchStrategy;
use crate::trial::{History, Request};
use anyhow::Result;
use rand::RngExt;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

/// The quantile that splits good from bad trials.
const GAMMA: f64 = 0.25;
/// Draws from `l` among which the best ratio is chosen.
const SAMPLES: usize = 24;
/// The prior component: `N(0.5, 1)` truncated to [0, 1].
const PRIOR: (f64, f64) = (0.5, 1.0);

/// A mixture of equally weighted Gaussians truncated to [0, 1]: `(centre, width)` each.
struct Parzen {
    components: Vec<(f64, f64)>,
}

impl Parzen {
    /// The estimator of `points` (coordinates on one axis) with the prior component.
    fn new(points: &[f64]) -> Parzen {
        let mut centres: Vec<f64> = points.to_vec();
        centres.sort_by(f64::total_cmp);
        let smallest = 1.0 / (points.len() as f64 + 1.0).min(100.0);
        let mut components: Vec<(f64, f64)> = (0..centres.len())
            .map(|i| {
                let left = if i == 0 { 0.0 } else { centres[i - 1] };
                let right = centres.get(i + 1).copied().unwrap_or(1.0);
                let width = (centres[i] - left).max(right - centres[i]);
                (centres[i], width.clamp(smallest, PRIOR.1))
            })
            .collect();
        components.push(PRIOR);
        Parzen { components }
    }

    /// The density at `x`.
    fn density(&self, x: f64) -> f64 {
        let total: f64 = self
            .components
            .iter()
            .map(|&(mu, sd)| {
                let mass = normal_cdf((1.0 - mu) / sd) - normal_cdf(-mu / sd);
                (-0.5 * ((x - mu) / sd).powi(2)).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt() * mass)
            })
            .sum();
        total / self.components.len() as f64
    }

    /// A draw: a component chosen uniformly, then its Gaussian until it falls in [0, 1].
    fn sample(&self, rng: &mut StdRng) -> f64 {
        let (mu, sd) = self.components[rng.random_range(0..self.components.len())];
        let normal = Normal::new(mu, sd).expect("a positive width");
        (0..100).map(|_| normal.sample(rng)).find(|x| (0.0..=1.0).contains(x)).unwrap_or(mu)
    }
}

/// TPE search: `initial` random trials, then one proposal at a time.
pub struct Tpe {
    dimensions: usize,
    budget: u64,
    initial: usize,
}

impl Tpe {
    pub fn new(dimensions: usize, budget: u64, initial: usize) -> Tpe {
        Tpe { dimensions, budget, initial: initial.max(2) }
    }
}

impl SearchStrategy for Tpe {
    fn name(&self) -> String {
        "TPE".to_string()
    }

    fn ask(&mut self, history: &History, rng: &mut StdRng) -> Result<Vec<Request>> {
        if history.len() < self.initial {
            let points = (history.len()..self.initial).map(|_| uniform_point(self.dimensions, rng));
            return Ok(points.map(|point| Request { point, budget: self.budget }).collect());
        }
        let mut ranked: Vec<&[f64]> = {
            let mut trials: Vec<_> = history.trials.iter().collect();
            trials.sort_by(|a, b| a.value.total_cmp(&b.value));
            trials.into_iter().map(|t| t.point.as_slice()).collect()
        };
        let good_count = ((GAMMA * ranked.len() as f64).ceil() as usize).max(1);
        let bad = ranked.split_off(good_count);
        let axis =
            |points: &[&[f64]], i: usize| Parzen::new(&points.iter().map(|p| p[i]).collect::<Vec<_>>());
        let good: Vec<Parzen> = (0..self.dimensions).map(|i| axis(&ranked, i)).collect();
        let bad: Vec<Parzen> = (0..self.dimensions).map(|i| axis(&bad, i)).collect();
        let score = |x: &[f64]| -> f64 {
            (0..self.dimensions).map(|i| good[i].density(x[i]).ln() - bad[i].density(x[i]).ln()).sum()
        };
        let mut best: Option<(f64, Vec<f64>)> = None;
        for _ in 0..SAMPLES {
            let x: Vec<f64> = good.iter().map(|l| l.sample(rng)).collect();
            let s = score(&x);
            if best.as_ref().is_none_or(|b| s > b.0) {
                best = Some((s, x));
            }
        }
        let point = best.expect("at least one sample").1;
        Ok(vec![Request { point, budget: self.budget }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parzen_densities_integrate_to_one_on_the_unit_interval() {
        let parzen = Parzen::new(&[0.1, 0.15, 0.8]);
        let n = 10_000;
        let integral: f64 =
            (0..n).map(|i| parzen.density((i as f64 + 0.5) / n as f64)).sum::<f64>() / n as f64;
        assert!((integral - 1.0).abs() < 1e-3, "{integral}");
    }
}
