//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which runs, writes
//! `out/lecture-11-selu/<name>.json` and its pictures, and returns the numbers its claim test
//! reads: the binary and the claim tests call the same function.

pub mod alpha_dropout;
pub mod dead_units;
pub mod deep_mnist;
pub mod mnist_training;
pub mod self_normalising;
pub mod selu_constants;
