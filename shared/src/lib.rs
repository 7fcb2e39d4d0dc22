//! `shared`: what every lecture crate stands on.
//!
//! - [`backend`]: which burn `Device` to run on (ndarray, flex, wgpu), seeded, with autodiff.
//! - [`cli`]: the flags every lecture binary shares; [`dispatch`]: running the experiments they name.
//! - [`experiment`]: one experiment run's settings ([`experiment::Run`]), shared by binary and tests.
//! - [`data`]: vendored data sets, their parsers, batching and synthetic task generators.
//! - [`train`]: progress bar, metric log, early stopping, divergence guard, checkpoints.
//! - [`testing`]: gradient checks, `assert_close`, weight copying for parity tests.
//! - [`plot`] and [`report`]: pictures and the JSON record of an experiment.
//! - [`atomic`]: writes that never leave half a file.
//! - [`stats`]: median, mean and standard deviation of a few numbers.
//! - [`bench`]: the training-speed workloads and timer behind `cargo xtask bench`.

pub mod bench;
pub mod cli;
pub mod dispatch;
pub mod experiment;
pub mod testing;
pub mod train;

pub use shared_backend as backend;
pub use shared_data as data;
pub use shared_kernels::{convolution, fast_ops, leaky_relu, log_softmax, recurrent, threads};
pub use shared_report::{atomic, plot, report, stats};
