//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-08-attention/<name>.json` and its pictures, and returns the numbers its claim
//! test reads: the binary and the claim tests call the same function.

pub mod attention_penalty;
pub mod caption;
pub mod decoding;
pub mod long_inputs;
pub mod memory;
pub mod ntm_copy;
pub mod regimes;
pub mod reinforce;
pub mod token_training;
