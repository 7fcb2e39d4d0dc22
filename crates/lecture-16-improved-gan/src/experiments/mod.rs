//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-16-improved-gan/<name>.json` and its pictures, and returns the numbers its claim
//! test reads: the binary and the claim tests call the same function.

pub mod disjoint_supports;
pub mod toy;
pub mod w1_tracking;
