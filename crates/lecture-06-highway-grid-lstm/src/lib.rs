//! Lecture 6: highway networks, residual networks and grid LSTM: how to train very deep nets.
//!
//! Every model is written from tensor operations, one concept per file; the experiments in
//! [`experiments`] reproduce the lecture's claims.

pub mod bench_workload;
pub mod deep_net;
pub mod experiments;
pub mod grid1d;
pub mod grid2d;
pub mod grid_block;
pub mod highway;
pub mod highway_gru;
pub mod layer;
pub mod lstm;
pub mod plain;
pub mod residual;
