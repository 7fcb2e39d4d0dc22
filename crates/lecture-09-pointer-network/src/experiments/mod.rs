//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which runs, writes
//! `out/lecture-09-pointer-network/<name>.json` and its pictures, and returns the numbers its
//! claim test reads: the binary and the claim tests call the same function.

pub mod convex_hull;
pub mod copying;
pub mod length_generalisation;
pub mod plane;
pub mod pointer_training;
pub mod tsp;
