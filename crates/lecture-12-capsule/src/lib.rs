//! Lecture 12: capsule networks with dynamic routing (Sabour, Frosst & Hinton 2017).
//!
//! Every piece is written from tensor operations, one concept per file: [`squash`],
//! [`primary_capsules`], [`digit_capsules`] with [`routing`] by agreement, the [`margin_loss`],
//! the reconstruction [`decoder`], the whole [`capsnet`], and the [`cnn`] baseline. The
//! experiments in [`experiments`] reproduce the lecture's claims.

pub mod bench_workload;
pub mod capsnet;
pub mod classifier;
pub mod cnn;
pub mod decoder;
pub mod digit_capsules;
pub mod experiments;
pub mod margin_loss;
pub mod primary_capsules;
pub mod routing;
pub mod squash;
