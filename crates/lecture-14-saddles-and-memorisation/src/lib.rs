//! Lecture 14: why training stalls, and what a network learns first.
//!
//! The loss surface: [`flat_net`] writes a small tanh net as a function of one parameter
//! vector, [`landscape`] gives its loss and gradient at many points at once, [`hessian`] builds
//! the Hessian from those gradients, [`eigen`] decomposes it, and [`critical_points`] finds
//! critical points by Newton steps on [`teacher`]'s 2-D toy task, [`descent`] follows
//! gradient descent across a plateau. Memorisation: [`label_noise`] corrupts MNIST labels,
//! [`mlp`] is the network trained on them.

pub mod bench_workload;
pub mod critical_points;
pub mod descent;
pub mod eigen;
pub mod experiments;
pub mod flat_net;
pub mod hessian;
pub mod label_noise;
pub mod landscape;
pub mod mlp;
pub mod rank_correlation;
pub mod teacher;
