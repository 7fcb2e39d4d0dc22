//! The one interface every search strategy implements.
//!
//! ```text
//! history = []
//! loop:
//!     requests = strategy.ask(history)          a batch of configurations (and budgets) to try
//!     stop if requests is empty or the trial limit is reached
//!     results  = train every request            independent: in parallel (tuner.rs)
//!     history += results, in the order asked
//! ```
//!
//! A strategy sees only the history and its own random generator, so a search depends on the
//! seed alone, not on how many trials ran at once. Strategies that need no feedback (grid,
//! random) ask for many trials at a time; model-based ones (the GP, TPE) for one; Hyperband for
//! a rung of its successive halving; the controller for one batch of its samples.

use crate::trial::{History, Request};
use anyhow::Result;
use rand::rngs::StdRng;

/// A hyperparameter search strategy.
pub trait SearchStrategy: Send {
    /// A short name for tables and plots.
    fn name(&self) -> String;

    /// The next trials to run, given every finished trial so far; empty when the strategy has
    /// nothing more to try.
    fn ask(&mut self, history: &History, rng: &mut StdRng) -> Result<Vec<Request>>;
}
