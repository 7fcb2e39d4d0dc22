//! Random search: every trial an independent uniform point of the unit cube.
//!
//! ```text
//! u_i ~ U(0, 1) for every axis i            uniform on linear axes, log-uniform on log axes
//! ```
//!
//! `B` random trials try `B` distinct values of *every* hyperparameter: when only a few matter,
//! the search covers those few as densely as if it searched them alone (Bergstra and Bengio
//! 2012). The trials need no feedback, so they are asked for in batches and trained in parallel.

use crate::strategy::SearchStrategy;
use crate::trial::{History, Request};
use anyhow::Result;
use rand::RngExt;
use rand::rngs::StdRng;

/// Trials asked for at a time (any batch gives the same points: they depend on the stream only).
const BATCH: usize = 16;

/// Uniform points, `BATCH` at a time, each at `budget`.
pub struct RandomSearch {
    dimensions: usize,
    budget: u64,
}

impl RandomSearch {
    pub fn new(dimensions: usize, budget: u64) -> RandomSearch {
        RandomSearch { dimensions, budget }
    }
}

/// One uniform point of `[0, 1]^d`.
pub fn uniform_point(dimensions: usize, rng: &mut StdRng) -> Vec<f64> {
    (0..dimensions).map(|_| rng.random::<f64>()).collect()
}

impl SearchStrategy for RandomSearch {
    fn name(&self) -> String {
        "random".to_string()
    }

    fn ask(&mut self, _: &History, rng: &mut StdRng) -> Result<Vec<Request>> {
        Ok((0..BATCH)
            .map(|_| Request { point: uniform_point(self.dimensions, rng), budget: self.budget })
            .collect())
    }
}
