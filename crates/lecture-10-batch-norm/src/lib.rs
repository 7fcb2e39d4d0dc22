//! Lecture 10: feature scaling and batch normalisation.
//!
//! Every model is written from tensor operations, one concept per file: [`scaling`] (input
//! standardisation), [`batch_norm`] (the layer, training and evaluation modes) and
//! [`sigmoid_net`] (the paper's 3x100 sigmoid MNIST net, with or without BN). The experiments in
//! [`experiments`] reproduce the lecture's claims; [`bench_workload`] times the training step.

pub mod batch_norm;
pub mod bench_workload;
pub mod experiments;
pub mod scaling;
pub mod sigmoid_net;
