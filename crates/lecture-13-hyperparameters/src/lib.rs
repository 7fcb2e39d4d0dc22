//! Lecture 13: hyperparameter search, from the grid to a learned controller.
//!
//! A small tuner library: a [`space::Space`] maps the unit cube to hyperparameter values; every
//! strategy implements [`strategy::SearchStrategy`] (ask for trials, given the history);
//! [`tuner::search`] runs the trials, in parallel, identically to a sequential run. The
//! strategies ([`strategies`]): grid, random, Bayesian optimisation with a Gaussian process
//! ([`gp`]), the tree-structured Parzen estimator, Hyperband, and an RNN controller trained with
//! REINFORCE ([`controller`]). The [`objectives`]: synthetic functions with a known optimum, and
//! a small MNIST MLP ([`mnist_model`]). The [`experiments`] reproduce the lecture's claims.

pub mod bench_workload;
pub mod controller;
pub mod experiments;
pub mod gp;
pub mod mnist_model;
pub mod objective;
pub mod objectives;
pub mod space;
pub mod strategies;
pub mod strategy;
pub mod trial;
pub mod tuner;
