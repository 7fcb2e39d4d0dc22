//! One experiment per claim of the lecture. Each exposes `Config::for_run(&Run)` (quick or full
//! size) and `run(&Run, &Config) -> Result<Outcome>`, which trains, writes
//! `out/lecture-15-gan/<name>.json` and its pictures, and returns the numbers its claim test
//! reads: the binary and the claim tests call the same function.

pub mod conditional;
pub mod image_gan;
pub mod mixture_training;
pub mod overfitting;
pub mod remedies;
pub mod saturation;
pub mod vae_vs_gan;
