//! What a search minimises: a function of a point of the unit cube and a training budget.

use crate::space::Space;
use anyhow::Result;

/// One trial's result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// Lower is better.
    pub value: f64,
    /// The work done, in training steps.
    pub cost: u64,
}

/// A function to minimise over a [`Space`]. `evaluate` must depend on its arguments only (its
/// randomness drawn from `seed`), so trials can run in any order, on any thread.
pub trait Objective: Sync {
    fn name(&self) -> String;

    fn space(&self) -> &Space;

    /// The budget of a full trial (Hyperband's `R`).
    fn max_budget(&self) -> u64;

    /// The value at unit point `point` after `budget` units of training, with randomness from `seed`.
    fn evaluate(&self, point: &[f64], budget: u64, seed: u64) -> Result<Evaluation>;
}
