//! The training-speed benchmark behind `cargo xtask bench`: eight fixed workloads built from
//! burn's modules, each a full training step (forward, loss, backward, Adam), timed warm.
//!
//! - [`Workload`] and [`WorkloadKind`]: what is measured, by name.
//! - [`char_lstm`], [`mlp`], [`cnn`], [`capsnet`], [`gan`], [`seq2seq_attention`]: the workloads
//!   (the two recurrent ones each with the fused layers and with burn's own).
//! - [`runner`]: warm-up, timed runs, median steps per second.
//! - [`record`]: the JSON record (same schema as `bench/pytorch_bench.py` writes).
//! - [`suite`]: builds, times and records a list of workloads: the `bench` binary's engine, and
//!   the `bench` subcommand a lecture adds for its own models (`shared::bench::suite` adds
//!   `run_lecture_suite`, which reads a lecture's run settings). Freed memory stays in the
//!   process during the timed loop (`shared_kernels::allocator`).
//!
//! The binary is `shared/bench/src/bin/bench.rs`; `bench/README.md` describes the protocol.
//! Lectures reach this crate as `shared::bench`.

pub mod capsnet;
pub mod char_lstm;
pub mod cnn;
pub mod gan;
pub mod inputs;
pub mod mlp;
pub mod record;
pub mod runner;
pub mod seq2seq_attention;
pub mod suite;
pub mod trainee;
pub mod workload;

pub use capsnet::CapsNet;
pub use char_lstm::{CharLstm, CharLstmSizes, LstmKind};
pub use cnn::Cnn;
pub use gan::{Gan, GanSizes};
pub use mlp::{Mlp, MlpSizes};
pub use record::{BenchRecord, WorkloadRecord};
pub use runner::{Measurement, Protocol, measure};
pub use seq2seq_attention::{Seq2SeqAttention, Seq2SeqKind, Seq2SeqSizes};
pub use trainee::Trainee;
pub use workload::{Workload, WorkloadKind};

#[cfg(test)]
mod tests;
