//! Lecture 1-2: recurrent neural networks and the basic structures of deep learning.
//!
//! Every model is written from tensor operations, one concept per file; the experiments in
//! [`experiments`] reproduce the lecture's claims.

pub mod cnn_basics;
pub mod experiments;
pub mod stack_rnn;
