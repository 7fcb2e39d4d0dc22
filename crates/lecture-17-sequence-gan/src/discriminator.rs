//! The discriminator: a whole sentence in, the logit of "the oracle wrote this" out. A
//! convolutional sentence classifier (Kim 2014), as in SeqGAN (without its highway layer and
//! dropout):
//!
//! ```text
//! e = E[y]                                             y: [B, L]      e: [B, L, d]
//! for each window width k (F filters each):
//!     u_j = [e_j, e_{j+1}, .., e_{j+k-1}]              u: [B, L - k + 1, k d]
//!     a   = relu(u W_k + b_k)                          a: [B, L - k + 1, F]    (a 1-D convolution)
//!     m_k = max_j a_j                                  m_k: [B, F]             (max over time)
//! l = [m_k1, m_k2, ..] w + c                           l: [B, 1]
//! D(y) = sigmoid(l)
//! ```
//!
//! The convolution is written as a product over unfolded windows; `tests/parity.rs` holds it to
//! burn's `Conv1d` with the same weights. The loss is the binary cross-entropy on logits:
//! `L_D = E_real[softplus(-l)] + E_fake[softplus(l)]` (`-log sigmoid(l) = softplus(-l)`).
//!
//! The generator cannot pass a gradient through this network: its input is a sampled token
//! *index*, and the embedding lookup `E[y]` has no derivative with respect to `y`.

use crate::sequences::Sequences;
use anyhow::{Result, ensure};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{relu, sigmoid};
use serde::Serialize;
use shared::fast_ops;

/// Sizes of a [`Discriminator`].
#[derive(Clone, Debug, Serialize)]
pub struct DiscriminatorConfig {
    /// `V`.
    pub vocab: usize,
    /// `d`: width of a token's embedding.
    pub embedding: usize,
    /// Window widths `k` of the convolutions (each at most the sentence length).
    pub windows: Vec<usize>,
    /// `F`: filters per window width.
    pub filters: usize,
}

impl DiscriminatorConfig {
    /// A fresh discriminator; an error for no window or a window of width 0.
    pub fn init(&self, device: &Device) -> Result<Discriminator> {
        ensure!(!self.windows.is_empty(), "the discriminator needs at least one window width");
        ensure!(self.windows.iter().all(|&k| k > 0), "window widths must be positive: {:?}", self.windows);
        Ok(Discriminator {
            embedding: EmbeddingConfig::new(self.vocab, self.embedding).init(device),
            convolutions: self
                .windows
                .iter()
                .map(|&k| LinearConfig::new(k * self.embedding, self.filters).init(device))
                .collect(),
            output: LinearConfig::new(self.windows.len() * self.filters, 1).init(device),
        })
    }
}

/// Embedding, one convolution per window width with max-over-time pooling, a linear read-out.
#[derive(Module, Debug)]
pub struct Discriminator {
    pub embedding: Embedding,
    /// Convolution `k`'s weights `W_k: [k d, F]`, `b_k: [F]`.
    pub convolutions: Vec<Linear>,
    pub output: Linear,
}

impl Discriminator {
    /// The logits `[B, 1]` of `tokens: [B, L]`.
    pub fn forward(&self, tokens: Tensor<2, Int>) -> Tensor<2> {
        let e = self.embedding.forward(tokens);
        let pooled =
            self.convolutions.iter().map(|conv| max_over_time(relu(convolve(conv, e.clone())))).collect();
        fast_ops::linear(&self.output, Tensor::cat(pooled, 1))
    }

    /// `D(y)` of every sentence, on the discriminator's device.
    pub fn probabilities(&self, sentences: &Sequences) -> Vec<f64> {
        let logits = self.forward(sentences.tensor(&self.output.weight.device()));
        sigmoid(logits).into_data().iter::<f64>().collect()
    }
}

/// One convolution over `e: [B, L, d]` as a product with its unfolded windows: `[B, L - k + 1, F]`.
fn convolve(conv: &Linear, e: Tensor<3>) -> Tensor<3> {
    let [_, length, d] = e.dims();
    let k = conv.weight.dims()[0] / d;
    let positions = length + 1 - k;
    let windows = Tensor::cat((0..k).map(|j| e.clone().narrow(1, j, positions)).collect(), 2);
    fast_ops::linear(conv, windows)
}

/// `max_j a[:, j, :]`: `[B, T, F]` to `[B, F]`.
fn max_over_time(a: Tensor<3>) -> Tensor<2> {
    let [batch, _, filters] = a.dims();
    a.max_dim(1).reshape([batch, filters])
}
