//! Lecture 03: the framework differentiates by the chain rule on the computational graph.
//!
//! Here we build that machine ourselves, over burn tensors used *without* burn's autodiff:
//!
//! - [`engine`]: the operations a model is written in, once, whatever evaluates it;
//! - [`reverse`]: reverse mode (backpropagation): a graph of nodes, a topological order, and a
//!   backward pass applying each node's local derivative; gradient checkpointing as an option;
//! - [`forward_mode`]: forward mode (dual numbers, one Jacobian-vector product per pass);
//! - [`eager`]: plain evaluation on burn tensors, which on an autodiff device is burn's autodiff;
//! - [`mlp`] and [`rnn`]: the models trained with our engine (MNIST, the adding problem);
//! - [`picture`]: the graph as Graphviz DOT and as an SVG laid out here.

pub mod bench_workload;
pub mod differentiate;
pub mod eager;
pub mod engine;
pub mod experiments;
pub mod forward_mode;
pub mod mlp;
pub mod ops;
pub mod parameters;
pub mod picture;
pub mod reverse;
pub mod rnn;
pub mod training;
pub mod work;
