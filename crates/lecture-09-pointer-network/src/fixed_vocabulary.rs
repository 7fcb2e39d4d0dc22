//! The baseline of Vinyals et al. (2015): sequence-to-sequence with attention whose output is
//! a fixed vocabulary of position numbers.
//!
//! ```text
//! c_t = Σ_j softmax_j(u_tj) e_j                   the attention glimpse      [B, T, H]
//! logits_t = W_o [d_t; c_t] + b_o                 classes STOP, 1, .., n_max [B, T, n_max + 1]
//! ```
//!
//! Same encoder, decoder and attention as the pointer network: only the output differs. Class
//! `k` means "input `k`", a symbol whose meaning the model must learn from examples; an input
//! past `n_max` has no class, so no training can teach the model to name it.

use crate::attention::AdditiveAttention;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

/// The read-out `W_o`.
#[derive(Module, Debug)]
pub struct FixedVocabulary {
    pub read: Linear,
}

impl FixedVocabulary {
    /// A read-out from `[d; c]` (`2 * hidden`) to `n_max + 1` classes.
    pub fn new(hidden: usize, n_max: usize, device: &Device) -> Self {
        Self { read: LinearConfig::new(2 * hidden, n_max + 1).init(device) }
    }

    /// The number of classes, `n_max + 1`.
    pub fn classes(&self) -> usize {
        self.read.weight.dims()[1]
    }

    /// `logits: [B, T, n_max + 1]` of decoder states `d: [B, T, H]` over encoder states `e`.
    pub fn logits(&self, attention: &AdditiveAttention, decoder: Tensor<3>, encoder: Tensor<3>) -> Tensor<3> {
        let glimpse = attention.glimpse(decoder.clone(), encoder);
        self.read.forward(Tensor::cat(vec![decoder, glimpse], 2))
    }
}
