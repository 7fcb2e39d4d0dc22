//! Content-based attention (Bahdanau et al. 2015), the score that a pointer network turns into
//! its output.
//!
//! ```text
//! u_tj = v · tanh(W_1 e_j + W_2 d_t)       e: encoder states [B, S, H], d: decoder states [B, T, H]
//!                                          W_1, W_2: [H, A], v: [A], u: [B, T, S]
//! ```
//!
//! A sequence-to-sequence model reads the weighted sum `Σ_j softmax_j(u_tj) e_j` (a glimpse of
//! the input, [`AdditiveAttention::glimpse`]); a pointer network stops there and outputs
//! `softmax_j(u_tj)` itself: a distribution over the input positions ([`masked_log_softmax`]).
//! The `[B, T, S, A]` sum is broadcast, not looped.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{log_softmax, softmax};
use shared::fast_ops::tanh;

/// What a forbidden position scores: far below any real score, so that its probability is 0
/// in f32 and a row with a real score stays a distribution over the real ones.
pub const FORBIDDEN_SCORE: f32 = -1e9;

/// `W_1`, `W_2` and `v`.
#[derive(Module, Debug)]
pub struct AdditiveAttention {
    /// `e W_1`, `[H] -> [A]`, no bias.
    pub key: Linear,
    /// `d W_2 + b`, `[H] -> [A]`.
    pub query: Linear,
    /// `v`, `[A] -> [1]`, no bias (a constant shift cancels in the softmax).
    pub score: Linear,
}

impl AdditiveAttention {
    /// A scorer of decoder states `[.., query]` against encoder states `[.., key]`, hidden
    /// width `A = width`.
    pub fn new(key: usize, query: usize, width: usize, device: &Device) -> Self {
        Self {
            key: LinearConfig::new(key, width).with_bias(false).init(device),
            query: LinearConfig::new(query, width).init(device),
            score: LinearConfig::new(width, 1).with_bias(false).init(device),
        }
    }

    /// `u: [B, T, S]` of decoder states `[B, T, Hq]` against encoder states `[B, S, Hk]`.
    pub fn scores(&self, decoder: Tensor<3>, encoder: Tensor<3>) -> Tensor<3> {
        let keys = self.key.forward(encoder).unsqueeze_dim::<4>(1); // [B, 1, S, A]
        let queries = self.query.forward(decoder).unsqueeze_dim::<4>(2); // [B, T, 1, A]
        self.score.forward(tanh(keys + queries)).squeeze_dim(3)
    }

    /// The glimpse `Σ_j α_tj e_j: [B, T, Hk]` with `α = softmax_j(u)` `[B, T, S]`.
    pub fn glimpse(&self, decoder: Tensor<3>, encoder: Tensor<3>) -> Tensor<3> {
        softmax(self.scores(decoder, encoder.clone()), 2).matmul(encoder)
    }
}

/// `log softmax_j` of `scores: [B, T, S]` over the positions not `forbidden` (`[B, T, S]`): the
/// forbidden ones get probability 0 and the others sum to 1.
pub fn masked_log_softmax(scores: Tensor<3>, forbidden: Tensor<3, Bool>) -> Tensor<3> {
    log_softmax(scores.mask_fill(forbidden, FORBIDDEN_SCORE), 2)
}
