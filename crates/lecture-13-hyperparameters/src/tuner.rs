//! The search loop: ask the strategy, train the requested trials, record them.
//!
//! Trials are independent, so each batch a strategy asks for runs on all cores
//! ([`Execution::Parallel`], rayon). Trial `k` draws its randomness from `sub_seed(trials, k)`,
//! whatever thread runs it, and results enter the history in the order they were asked for: a
//! parallel search is identical to a sequential one with the same seed (`tests/tuner.rs`).

use crate::objective::Objective;
use crate::strategy::SearchStrategy;
use crate::trial::{History, Trial};
use anyhow::{Context, Result};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rayon::prelude::*;
use shared::data::sub_seed;

/// The random stream of the strategy's proposals.
const STRATEGY_STREAM: u64 = 1;
/// The family of streams of the trials (weights, batches, dropout), one per trial index.
const TRIALS_STREAM: u64 = 2;

/// How the trials of one batch run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Execution {
    Sequential,
    Parallel,
}

/// Runs `strategy` on `objective` for at most `max_trials` trials.
pub fn search(
    strategy: &mut dyn SearchStrategy,
    objective: &dyn Objective,
    max_trials: usize,
    seed: u64,
    execution: Execution,
) -> Result<History> {
    let mut rng = StdRng::seed_from_u64(sub_seed(seed, STRATEGY_STREAM));
    let trial_seeds = sub_seed(seed, TRIALS_STREAM);
    let mut history = History::default();
    let name = strategy.name();
    while history.len() < max_trials {
        let mut requests = strategy.ask(&history, &mut rng)?;
        if requests.is_empty() {
            break;
        }
        requests.truncate(max_trials - history.len());
        let start = history.len();
        let run = |(k, request): (usize, &crate::trial::Request)| {
            let index = start + k;
            objective
                .evaluate(&request.point, request.budget, sub_seed(trial_seeds, index as u64))
                .with_context(|| format!("{}: trial {index} of {name}", objective.name()))
                .map(|e| Trial {
                    index,
                    point: request.point.clone(),
                    budget: request.budget,
                    value: e.value,
                    cost: e.cost,
                })
        };
        let trials: Vec<Result<Trial>> = match execution {
            Execution::Sequential => requests.iter().enumerate().map(run).collect(),
            Execution::Parallel => requests.par_iter().enumerate().map(run).collect(),
        };
        for trial in trials {
            history.trials.push(trial?);
        }
    }
    Ok(history)
}
