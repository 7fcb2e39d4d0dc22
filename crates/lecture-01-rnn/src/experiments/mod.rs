//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-01-rnn/<name>.json` and its pictures, and returns the numbers its claim test reads.

pub mod adding;
pub mod adding_training;
pub mod vanishing;
