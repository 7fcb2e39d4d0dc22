//! Attention: a query looks at every position of the source and reads a weighted average.
//!
//! ```text
//! e_ts = score(q_t, k_s)                 [batch, T, S]   how well query t matches key s
//! α_ts = exp(e_ts) / Σ_s' exp(e_ts')      [batch, T, S]   softmax over the source, rows sum to 1
//! c_t  = Σ_s α_ts v_s                    [batch, T, H]   the context read for query t
//! ```
//!
//! The keys and values here are the encoder's outputs; the queries are the decoder's states.
//! Only `score` differs between the two kinds: [`AdditiveAttention`] (Bahdanau et al. 2015) and
//! [`DotAttention`] (Luong et al. 2015). All `T` queries of a sequence are scored in one go.

use crate::additive_attention::AdditiveAttention;
use crate::dot_attention::DotAttention;
use burn::prelude::*;
use burn::tensor::activation::softmax;
use serde::Serialize;
use std::fmt;

/// Which attention an encoder-decoder uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AttentionKind {
    /// No attention: the decoder sees the source only through the encoder's last state.
    None,
    /// Bahdanau's additive score `v · tanh(W_q q + W_k k)`.
    Additive,
    /// Luong's bilinear ("general") dot-product score `(q W) · k / sqrt(H)`.
    Dot,
}

impl fmt::Display for AttentionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AttentionKind::None => "no attention",
            AttentionKind::Additive => "additive attention",
            AttentionKind::Dot => "dot-product attention",
        })
    }
}

/// A scoring function with its parameters (one per model, so the variants' sizes do not matter).
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Attention {
    Additive(AdditiveAttention),
    Dot(DotAttention),
}

impl Attention {
    /// A fresh scorer of `kind` for queries of width `query` and keys of width `key` (`None`
    /// for no attention).
    pub fn new(kind: AttentionKind, query: usize, key: usize, device: &Device) -> Option<Attention> {
        match kind {
            AttentionKind::None => None,
            AttentionKind::Additive => Some(Attention::Additive(AdditiveAttention::new(query, key, device))),
            AttentionKind::Dot => Some(Attention::Dot(DotAttention::new(query, key, device))),
        }
    }

    /// Scores `e: [batch, T, S]` of queries `[batch, T, Hq]` against keys `[batch, S, Hk]`.
    pub fn scores(&self, queries: Tensor<3>, keys: Tensor<3>) -> Tensor<3> {
        match self {
            Attention::Additive(a) => a.scores(queries, keys),
            Attention::Dot(a) => a.scores(queries, keys),
        }
    }

    /// The contexts `[batch, T, H]` and weights `[batch, T, S]` of queries over `memory`
    /// `[batch, S, H]` (keys and values both).
    pub fn forward(&self, queries: Tensor<3>, memory: Tensor<3>) -> (Tensor<3>, Tensor<3>) {
        attend(self.scores(queries, memory.clone()), memory)
    }
}

/// Softmax of `scores: [batch, T, S]` over the source and the weighted sum of `values`
/// `[batch, S, H]`: returns `(contexts [batch, T, H], weights [batch, T, S])`.
pub fn attend(scores: Tensor<3>, values: Tensor<3>) -> (Tensor<3>, Tensor<3>) {
    let weights = softmax(scores, 2);
    (weights.clone().matmul(values), weights)
}
