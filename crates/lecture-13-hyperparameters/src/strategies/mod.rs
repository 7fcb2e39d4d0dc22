//! The search strategies, one a file, all behind [`crate::strategy::SearchStrategy`].

pub mod bayesian;
pub mod controller;
pub mod grid;
pub mod hyperband;
pub mod random;
pub mod tpe;
