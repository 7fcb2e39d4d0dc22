//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-10-batch-norm/<name>.json` and its pictures, and returns the numbers its claim
//! test reads: the binary and the claim tests call the same function.

pub mod batch_independence;
pub mod covariate_shift;
pub mod data;
pub mod dropout;
pub mod feature_scaling;
pub mod initialisation;
pub mod learning_rate;
pub mod training;
