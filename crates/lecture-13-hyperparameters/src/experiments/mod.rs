//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which runs, writes
//! `out/lecture-13-hyperparameters/<name>.json` and its pictures, and returns the numbers its
//! claim test reads: the binary and the claim tests call the same function.

pub mod controller_search;
pub mod curves;
pub mod hyperband_steps;
pub mod mnist_search;
pub mod model_based;
pub mod random_vs_grid;
