//! The baseline reader of the memory-network experiment: an LSTM that reads the whole story, then
//! the question, word by word, and answers from its last hidden state. The LSTM is burn's `Lstm`
//! computed by the fused layer ([`crate::fused_lstm`]: the same function, several times faster).
//!
//! ```text
//! words w_1..w_L = story sentences, then the question     L = 4 n + 4
//! h_t = LSTM(E w_t, h_{t-1})                               [batch, L, H]
//! â = softmax(W h_L + b)                                   [batch, V]
//! ```
//!
//! Everything it needs to answer has to survive in `h` until the question arrives, and it does
//! not know the question while it reads: it must keep every person's and object's whereabouts.

use crate::fused_lstm::fused_lstm;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use shared::recurrent::FusedLstm;

/// Embedding, LSTM, read-out.
#[derive(Module, Debug)]
pub struct StoryLstm {
    pub embed: Embedding,
    pub lstm: FusedLstm,
    pub readout: Linear,
}

impl StoryLstm {
    /// A fresh reader over `vocab` words with embedding width `embedding` and `hidden` units.
    pub fn new(vocab: usize, embedding: usize, hidden: usize, device: &Device) -> Self {
        Self {
            embed: EmbeddingConfig::new(vocab, embedding).init(device),
            lstm: fused_lstm(embedding, hidden, device),
            readout: LinearConfig::new(hidden, vocab).init(device),
        }
    }

    /// Answer logits `[batch, V]` for `story: [batch, n, J]` and `question: [batch, J]`.
    pub fn forward(&self, story: Tensor<3, Int>, question: Tensor<2, Int>) -> Tensor<2> {
        let [batch, n, words] = story.dims();
        let text = Tensor::cat(vec![story.reshape([batch, n * words]), question], 1);
        let (_, state) = self.lstm.forward_with_state(self.embed.forward(text), None, &[]);
        self.readout.forward(state.hidden)
    }
}
