//! `shared`: what every lecture crate stands on.
//!
//! - [`backend`]: which burn `Device` to run on (ndarray, flex, wgpu), seeded, with autodiff.
//! - [`cli`]: the flags every lecture binary shares.
//! - [`data`]: vendored data sets, their parsers, batching and synthetic task generators.
//! - [`train`]: progress bar, metric log, early stopping, divergence guard, checkpoints.
//! - [`testing`]: gradient checks, `assert_close`, weight copying for parity tests.
//! - [`plot`] and [`report`]: pictures and the JSON record of an experiment.
//! - [`atomic`]: writes that never leave half a file.
//! - [`bench`]: the training-speed workloads and timer behind `cargo xtask bench`.

pub mod atomic;
pub mod backend;
pub mod bench;
