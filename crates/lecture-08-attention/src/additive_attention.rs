//! Additive attention (Bahdanau, Cho & Bengio 2015): a one-hidden-layer net scores each pair.
//!
//! ```text
//! e_ts = v · tanh(W_q q_t + W_k k_s + b)     W_q: [Hq, A], W_k: [Hk, A], b: [A], v: [A]
//! ```
//!
//! Shapes: queries `[batch, T, Hq]`, keys `[batch, S, Hk]`, scores `[batch, T, S]`. The keys are
//! projected once per sequence; the `[batch, T, S, A]` sum is broadcast, not looped.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use shared::fast_ops::tanh;

/// `W_q` (with the bias `b`), `W_k` and `v`.
#[derive(Module, Debug)]
pub struct AdditiveAttention {
    /// `q W_q + b`, `[Hq] -> [A]`.
    pub query: Linear,
    /// `k W_k`, `[Hk] -> [A]`, no bias (`b` is on the query side).
    pub key: Linear,
    /// `v`, `[A] -> [1]`, no bias (a constant shift would cancel in the softmax).
    pub score: Linear,
}

impl AdditiveAttention {
    /// A scorer for queries of width `query_size` and keys of width `key_size`; the hidden
    /// width `A` equals `query_size`.
    pub fn new(query_size: usize, key_size: usize, device: &Device) -> Self {
        Self {
            query: LinearConfig::new(query_size, query_size).init(device),
            key: LinearConfig::new(key_size, query_size).with_bias(false).init(device),
            score: LinearConfig::new(query_size, 1).with_bias(false).init(device),
        }
    }

    /// `e: [batch, T, S]` for queries `[batch, T, Hq]` and keys `[batch, S, Hk]`.
    pub fn scores(&self, queries: Tensor<3>, keys: Tensor<3>) -> Tensor<3> {
        let q = self.query.forward(queries).unsqueeze_dim::<4>(2); // [B, T, 1, A]
        let k = self.key.forward(keys).unsqueeze_dim::<4>(1); // [B, 1, S, A]
        self.score.forward(tanh(q + k)).squeeze_dim(3) // [B, T, S]
    }
}
