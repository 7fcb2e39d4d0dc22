//! Lecture 11: from ReLU to self-normalising networks.
//!
//! The activations are written from tensor operations, one per file ([`relu`], [`leaky_relu`],
//! [`prelu`], [`rrelu`], [`elu`], [`selu`]); [`selu_constants`] derives SELU's `α` and `λ`
//! from its fixed-point conditions; [`alpha_dropout`] is the dropout that keeps SELU's moments;
//! [`deep_net`] stacks any of them. The experiments in [`experiments`] reproduce the lecture's
//! claims.

pub mod activation;
pub mod alpha_dropout;
pub mod bench_workload;
pub mod deep_net;
pub mod elu;
pub mod experiments;
pub mod leaky_relu;
pub mod moments;
pub mod prelu;
pub mod relu;
pub mod rrelu;
pub mod selu;
pub mod selu_constants;
