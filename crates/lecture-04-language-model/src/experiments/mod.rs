//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-04-language-model/<name>.json` and its pictures, and returns the numbers its
//! claim test reads: the binary and the claim tests call the same function.

pub mod class_softmax;
pub mod counting;
pub mod factorisation;
pub mod shakespeare;
pub mod word_lm;
