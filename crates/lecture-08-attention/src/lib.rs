//! Lecture 8: conditional generation by RNNs, attention, and memory.
//!
//! Every model is written from tensor operations, one concept per file; the experiments in
//! [`experiments`] reproduce the lecture's claims.

pub mod additive_attention;
pub mod attention;
pub mod attention_penalty;
pub mod babi;
pub mod bench_workload;
pub mod caption;
pub mod decoding;
pub mod digit_strip;
pub mod dot_attention;
pub mod experiments;
pub mod fused_lstm;
pub mod gru;
pub mod memory_network;
pub mod ntm;
pub mod recurrence;
pub mod reinforce;
pub mod seq2seq;
pub mod story_lstm;
pub mod training_regime;
