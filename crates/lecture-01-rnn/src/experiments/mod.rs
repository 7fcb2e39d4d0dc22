//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-01-rnn/<name>.json` and its pictures, and returns the numbers its claim test
//! reads: the binary and the claim tests call the same function.

pub mod adding;
pub mod adding_training;
pub mod bidirectional;
pub mod cnn_basics;
pub mod cnn_rnn;
pub mod digit_sums;
pub mod gate_ablation;
pub mod pyramidal;
pub mod sequence_metrics;
pub mod stack_rnn;
pub mod vanishing;
