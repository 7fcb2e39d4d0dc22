//! The tasks, generated from a seed, and their exact answers.
//!
//! - [`sorting`]: real numbers in [0, 1), answered by the positions in increasing order;
//! - [`convex_hull`]: points in the unit square, answered by the hull's vertices;
//! - [`tsp`]: cities in the unit square, answered by the shortest (or a 2-opt) tour;
//! - [`names`]: sentences carrying names, translated word for word into a toy language; the
//!   test names never occur in training.
//!
//! The three geometric tasks share [`PointerTask`] and [`PointerBatch`]: a batch of `n` inputs
//! per example and answers as input positions.

pub mod batch;
pub mod convex_hull;
pub mod names;
pub mod sorting;
pub mod tsp;

pub use batch::{PointerBatch, STOP};

use anyhow::{Result, ensure};
use rand::RngExt;
use rand::rngs::StdRng;
use serde::Serialize;
use std::fmt;

/// Which pointer task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PointerTask {
    /// Sort `n` numbers: the answer is their positions in increasing order of value.
    Sort,
    /// The convex hull of `n` points, counter-clockwise from its lowest position.
    ConvexHull,
    /// A shortest tour of `n` cities from city 0 ([`tsp::reference_tour`]).
    Tsp,
}

impl fmt::Display for PointerTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PointerTask::Sort => "sorting",
            PointerTask::ConvexHull => "convex hull",
            PointerTask::Tsp => "TSP",
        })
    }
}

/// When the decoder may point at STOP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopRule {
    /// Only once every input has been chosen (sorting, tours: the answer is a permutation).
    AfterAll,
    /// After the first choice (a hull has as many vertices as it has).
    AfterFirst,
}

impl PointerTask {
    /// Numbers per input: 1 for a number to sort, 2 for a point.
    pub fn features(self) -> usize {
        match self {
            PointerTask::Sort => 1,
            PointerTask::ConvexHull | PointerTask::Tsp => 2,
        }
    }

    /// When STOP is allowed.
    pub fn stop_rule(self) -> StopRule {
        match self {
            PointerTask::Sort | PointerTask::Tsp => StopRule::AfterAll,
            PointerTask::ConvexHull => StopRule::AfterFirst,
        }
    }

    /// One instance of `n` inputs, uniform in [0, 1) per feature: `(inputs [n * features], answer)`.
    pub fn instance(self, n: usize, rng: &mut StdRng) -> Result<(Vec<f32>, Vec<usize>)> {
        ensure!(n >= 1, "a {self} instance needs at least one input");
        ensure!(self != PointerTask::Tsp || n >= 3, "a TSP instance needs at least 3 cities, got {n}");
        let inputs: Vec<f32> = (0..n * self.features()).map(|_| rng.random::<f32>()).collect();
        let answer = self.answer(&inputs);
        Ok((inputs, answer))
    }

    /// The exact answer for `inputs` (`[n * features]`).
    pub fn answer(self, inputs: &[f32]) -> Vec<usize> {
        match self {
            PointerTask::Sort => sorting::sorted_positions(inputs),
            PointerTask::ConvexHull => convex_hull::convex_hull(&points(inputs)),
            PointerTask::Tsp => tsp::reference_tour(&points(inputs)),
        }
    }
}

/// `[n * 2]` coordinates as `n` points in f64.
pub fn points(inputs: &[f32]) -> Vec<[f64; 2]> {
    inputs.chunks_exact(2).map(|p| [f64::from(p[0]), f64::from(p[1])]).collect()
}
