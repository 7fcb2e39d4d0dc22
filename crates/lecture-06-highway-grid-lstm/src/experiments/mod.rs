//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-06-highway-grid-lstm/<name>.json` and its pictures, and returns the numbers its
//! claim test reads: the binary and the claim tests call the same function.

pub mod addition;
pub mod depth;
pub mod gates;
pub mod lesion;
pub mod mnist_training;
pub mod parity;
pub mod training;
