//! The objectives: cheap synthetic functions with a known optimum, and real training runs of a
//! small MNIST MLP.

pub mod mnist_mlp;
pub mod synthetic;
