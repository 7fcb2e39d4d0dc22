//! Lecture 7: recursive neural networks over parse trees.
//!
//! A sentence's binary parse tree is read bottom-up: every word is a vector, every phrase a
//! vector composed from its two children, and a softmax at every node says how positive the
//! phrase is. The composition functions, one per file, are the lecture's subject:
//!
//! | file | model | parent from children |
//! |---|---|---|
//! | [`bag`] | bag of vectors | mean of the words below (order and structure ignored) |
//! | [`recursive_net`] | recursive neural network | `tanh([l; r] W + b)` |
//! | [`rntn`] | recursive neural tensor network | adds `[l; r]ᵀ V [l; r]` |
//! | [`mv_rnn`] | matrix-vector RNN | each child's matrix transforms the other's vector |
//! | [`tree_lstm`] | binary Tree-LSTM | LSTM cell with one forget gate per child |
//!
//! [`tree_batch`] lays many trees out level by level (all nodes of equal height together) and
//! [`levels`] runs any composition over that plan, one batched step per height; the
//! node-at-a-time loop it replaces is kept for the equivalence tests and the speed comparison;
//! [`work`] counts the calls each makes.

pub mod bag;
pub mod bench_workload;
pub mod composition;
pub mod experiments;
pub mod levels;
pub mod model;
pub mod mv_rnn;
pub mod negation;
pub mod params;
pub mod recursive_net;
pub mod rntn;
pub mod training;
pub mod tree_batch;
pub mod tree_lstm;
pub mod treebank;
pub mod work;
