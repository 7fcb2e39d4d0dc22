//! Bayesian optimisation with a Gaussian process (Snoek, Larochelle and Adams 2012).
//!
//! ```text
//! first `initial` trials: uniform random points
//! then, one trial at a time:
//!     y  = standardise(values of all trials)                          mean 0, variance 1
//!     GP = fit of a Matern 5/2 GP to (points, y), evidence maximised   gp/gaussian_process.rs
//!     x  = argmax EI(x) over candidates                                gp/expected_improvement.rs
//!          (CANDIDATES uniform points, then LOCAL perturbations of the best trials)
//!     train x
//! ```
//!
//! [`Model::Constant`] replaces the GP by a constant posterior `N(0, 1)` everywhere: EI is then
//! the same at every candidate, the first (uniform) one wins, and the search is random search
//! through the same code. It is the negative control of claim 2.

use super::random::uniform_point;
use crate::gp::expected_improvement::expected_improvement;
use crate::gp::gaussian_process::{GaussianProcess, Hyperparameters};
use crate::strategy::SearchStrategy;
use crate::trial::{History, Request};
use anyhow::Result;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

/// Uniform candidates at which EI is evaluated per proposal.
const CANDIDATES: usize = 500;
/// Perturbed copies of each of the `INCUMBENTS` best trials added to the candidates.
const LOCAL: usize = 20;
const INCUMBENTS: usize = 5;
/// Standard deviation of the perturbations, in unit-cube coordinates.
const LOCAL_SD: f64 = 0.05;

/// What predicts a trial's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// The GP, refitted after every trial.
    GaussianProcess,
    /// A constant posterior: the control (random search through the same code).
    Constant,
}

/// GP-EI search.
pub struct BayesianOptimisation {
    dimensions: usize,
    budget: u64,
    initial: usize,
    model: Model,
    /// The last fit's hyperparameters: the next fit's warm start.
    last: Option<Hyperparameters>,
}

impl BayesianOptimisation {
    /// `initial` random trials, then GP-EI; every trial at `budget`.
    pub fn new(dimensions: usize, budget: u64, initial: usize, model: Model) -> BayesianOptimisation {
        BayesianOptimisation { dimensions, budget, initial: initial.max(2), model, last: None }
    }

    /// The GP fitted to `history` (values standardised), as the next proposal would use it, and
    /// the standardisation `(mean, sd)`.
    pub fn fit(&mut self, history: &History) -> Result<(GaussianProcess, f64, f64)> {
        let x: Vec<Vec<f64>> = history.trials.iter().map(|t| t.point.clone()).collect();
        let values: Vec<f64> = history.trials.iter().map(|t| t.value).collect();
        let (mean, sd) = shared::stats::mean_and_std(&values);
        let sd = if sd > 0.0 { sd } else { 1.0 };
        let y: Vec<f64> = values.iter().map(|v| (v - mean) / sd).collect();
        let mut starts = vec![Hyperparameters::default_for(self.dimensions)];
        starts.extend(self.last.clone());
        let gp = GaussianProcess::fit(&x, &y, &starts)?;
        self.last = Some(gp.hyperparameters.clone());
        Ok((gp, mean, sd))
    }

    /// The candidate of largest EI under `posterior`: uniform points first (so that a constant
    /// EI picks a uniform point), then perturbations of the best trials.
    fn propose(
        &self,
        history: &History,
        rng: &mut StdRng,
        posterior: impl Fn(&[f64]) -> (f64, f64),
        best: f64,
    ) -> Vec<f64> {
        let mut candidates: Vec<Vec<f64>> =
            (0..CANDIDATES).map(|_| uniform_point(self.dimensions, rng)).collect();
        let mut ranked: Vec<_> = history.trials.iter().collect();
        ranked.sort_by(|a, b| a.value.total_cmp(&b.value));
        let noise = Normal::new(0.0, LOCAL_SD).expect("a positive standard deviation");
        for trial in ranked.iter().take(INCUMBENTS) {
            for _ in 0..LOCAL {
                candidates
                    .push(trial.point.iter().map(|u| (u + noise.sample(rng)).clamp(0.0, 1.0)).collect());
            }
        }
        let mut chosen = (f64::NEG_INFINITY, 0);
        for (i, c) in candidates.iter().enumerate() {
            let (mean, variance) = posterior(c);
            let ei = expected_improvement(mean, variance, best);
            if ei > chosen.0 {
                chosen = (ei, i);
            }
        }
        candidates.swap_remove(chosen.1)
    }
}

impl SearchStrategy for BayesianOptimisation {
    fn name(&self) -> String {
        match self.model {
            Model::GaussianProcess => "GP-EI".to_string(),
            Model::Constant => "GP-EI without model".to_string(),
        }
    }

    fn ask(&mut self, history: &History, rng: &mut StdRng) -> Result<Vec<Request>> {
        if history.len() < self.initial {
            let points = (history.len()..self.initial).map(|_| uniform_point(self.dimensions, rng));
            return Ok(points.map(|point| Request { point, budget: self.budget }).collect());
        }
        let point = match self.model {
            Model::GaussianProcess => {
                let (gp, mean, sd) = self.fit(history)?;
                let best = (history.best_value() - mean) / sd;
                self.propose(history, rng, |x| gp.posterior(x), best)
            }
            Model::Constant => self.propose(history, rng, |_| (0.0, 1.0), 0.0),
        };
        Ok(vec![Request { point, budget: self.budget }])
    }
}
