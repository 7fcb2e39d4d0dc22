//! Lecture 5: spatial transformer networks (Jaderberg, Simonyan, Zisserman & Kavukcuoglu 2015).
//!
//! A spatial transformer is a differentiable module that looks at its input, predicts an affine
//! transform, and resamples the input with it, so that the network behind it sees the object
//! upright, centred and at a standard size. Every piece is written from tensor operations, one
//! concept per file; the experiments in [`experiments`] reproduce the lecture's claims.

pub mod affine_grid;
pub mod bench_workload;
pub mod classifier;
pub mod experiments;
pub mod glimpses;
pub mod localisation;
pub mod models;
pub mod sampler;
pub mod transformer;
