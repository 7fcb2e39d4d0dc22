//! `shared`: what every lecture crate stands on, and its one import root.
//!
//! The shared layer is several crates, one per job, all under `shared/`. A lecture depends on
//! this one only: it re-exports the others under the paths a lecture uses (`shared::data`,
//! `shared::plot`, `shared::recurrent`, ...).
//!
//! | crate (folder) | job | depends on |
//! |---|---|---|
//! | `shared-report` (`shared/report`) | [`report`] records, [`plot`]s, [`atomic`] writes, [`stats`] | no burn (xtask uses it too) |
//! | `shared-backend` (`shared/backend`) | [`backend`]: the burn `Device`, the seed lock, the `wgpu` feature | burn |
//! | `shared-testing` (`shared/testing`) | [`testing`]: gradient checks, `assert_close`, parity weights | shared-backend |
//! | `shared-data` (`shared/data`) | [`data`]: vendored data sets, parsers, batching, synthetic tasks | burn |
//! | `shared-kernels` (`shared/kernels`) | fast CPU operations for burn-flex: [`recurrent`], [`convolution`], [`fast_ops`], [`leaky_relu`], [`log_softmax`], [`threads`], the fused Adam ([`train::FusedAdamConfig`]) | burn |
//! | `shared-bench` (`shared/bench`) | [`bench`](mod@bench): the training-speed workloads, their timer and the `bench` binary | shared-backend, shared-kernels, shared-report |
//! | `shared` (`shared/src`) | [`cli`], [`dispatch`], [`experiment`], [`train`] (the training loop), [`init`], [`testing`]'s command-line check; re-exports all of the above | all of the above |
//!
//! Dependencies point one way (lecture -> `shared` -> the layers -> burn); nothing in the data
//! or report layers knows about the kernels.
//!
//! - [`backend`]: which burn `Device` to run on (ndarray, flex, wgpu), seeded, with autodiff.
//! - [`cli`]: the flags every lecture binary shares; [`dispatch`]: running the experiments they name.
//! - [`experiment`]: one experiment run's settings ([`experiment::Run`]), shared by binary and tests.
//! - [`data`]: vendored data sets, their parsers, batching and synthetic task generators.
//! - [`gan`]: the pieces the GAN lectures share (MLP, generator, objectives, the digit judge).
//! - [`train`]: the supervised training loop ([`train::Fit`]) and its kit (progress bar,
//!   divergence guard, loss trace, accuracy, fused Adam).
//! - [`testing`]: gradient checks, `assert_close`, weight copying for parity tests.
//! - [`plot`] and [`report`]: pictures and the JSON record of an experiment.
//! - [`atomic`]: writes that never leave half a file.
//! - [`stats`]: median, mean and standard deviation of a few numbers.
//! - [`init`]: weight initialisation (LeCun's and He's scaled normal).
//! - [`bench`](mod@bench): the training-speed workloads and timer behind `cargo xtask bench`.

pub mod bench;
pub mod cli;
pub mod dispatch;
pub mod experiment;
pub mod gan;
pub mod init;
pub mod testing;
pub mod train;

pub use shared_backend as backend;
pub use shared_data as data;
pub use shared_kernels::{convolution, fast_ops, leaky_relu, log_softmax, recurrent, threads};
pub use shared_report::{atomic, plot, report, stats};
