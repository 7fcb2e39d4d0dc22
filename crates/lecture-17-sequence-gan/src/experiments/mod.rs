//! One experiment per group of claims. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which runs, writes
//! `out/lecture-17-sequence-gan/<name>.json` and its pictures, and returns the numbers its claim
//! tests read: the binary and the claim tests call the same function.

pub mod gumbel;
pub mod oracle;
pub mod oracle_report;
