//! Matrix-factorisation smoothing: the bigram table as a product of two thin matrices.
//!
//! Counting fills a `V x V` table of `P(w | v)` that is almost all zeros. Writing its logarithm
//! as a rank-`r` product,
//!
//! ```text
//! log P(w | v) = u_v · e_w + b_w - log Σ_w' exp(u_v · e_w' + b_w')    U: [V, r], E: [r, V]
//! ```
//!
//! and fitting `U`, `E`, `b` to the observed bigrams (maximum likelihood, i.e. cross-entropy
//! against each row of counts) forces words that occur in similar contexts to share vectors.
//! An unseen bigram `(v, w)` then gets the probability that `v`'s vector and `w`'s vector
//! imply, never exactly zero. This is the lecture's bridge from counting to learning: a neural
//! LM with one context word and no hidden layer.

use crate::feedforward_lm::WindowLm;
use crate::output_layer::ids;
use burn::module::Module;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::log_softmax;

/// `log P(w | v) = log softmax(U[v] E + b)[w]`.
#[derive(Module, Debug)]
pub struct LowRankBigram {
    /// `U: [V, r]`, the context vectors.
    pub context: Embedding,
    /// `E: [r, V]` and `b: [V]`, the word vectors and biases.
    pub words: Linear,
}

impl LowRankBigram {
    /// A rank-`rank` factorisation of a `vocab x vocab` table.
    pub fn new(vocab: usize, rank: usize, device: &Device) -> LowRankBigram {
        LowRankBigram {
            context: EmbeddingConfig::new(vocab, rank).init(device),
            words: LinearConfig::new(rank, vocab).init(device),
        }
    }

    /// The full rows `log P(. | v)` for the context words `previous` -> `[N, V]`.
    pub fn log_probs(&self, previous: &[usize]) -> Tensor<2> {
        let n = previous.len();
        let u = self.context.forward(ids([n, 1], previous, &self.context.weight.device()));
        let [_, _, rank] = u.dims();
        log_softmax(self.words.forward(u.reshape([n, rank])), 1)
    }
}

impl WindowLm for LowRankBigram {
    fn context_size(&self) -> usize {
        1
    }

    fn target_log_probs(&self, contexts: &[usize], targets: &[usize]) -> Tensor<1> {
        let log_probs = self.log_probs(contexts);
        let index = ids([targets.len(), 1], targets, &log_probs.device());
        log_probs.gather(1, index).reshape([targets.len()])
    }
}
