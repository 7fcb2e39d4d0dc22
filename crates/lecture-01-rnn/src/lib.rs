//! Lecture 1-2: recurrent neural networks and the basic structures of deep learning.
//!
//! Every model is written from tensor operations, one concept per file; the experiments in
//! [`experiments`] reproduce the lecture's claims.

pub mod any_cell;
pub mod bench_workload;
pub mod bidirectional;
pub mod cell;
pub mod cnn_basics;
pub mod cnn_rnn;
pub mod experiments;
pub mod feedforward;
pub mod fused;
pub mod gru_cell;
pub mod lstm_cell;
pub mod many_to_one;
pub mod pyramidal;
pub mod rnn_cell;
pub mod stack_rnn;
pub mod stacked;
pub mod unroll;
