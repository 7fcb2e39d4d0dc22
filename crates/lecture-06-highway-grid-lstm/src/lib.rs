//! Lecture 6: highway networks, residual networks and grid LSTM: how to train very deep nets.
//!
//! Every model is written from tensor operations, one concept per file; the experiments in
//! [`experiments`] reproduce the lecture's claims.

pub mod deep_net;
pub mod highway;
pub mod layer;
pub mod plain;
pub mod residual;
pub mod experiments;
