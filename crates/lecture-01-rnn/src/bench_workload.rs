//! This lecture's benchmark workload: the character LSTM language model of
//! `cargo xtask bench` (workload `char_lstm`), with our from-scratch [`LstmCell`] in place of
//! burn's `Lstm`, so the two recurrent layers are timed side by side on the same sizes.
//!
//! tokens `[B, T]` -> Embedding `[B, T, E]` -> our LSTM unrolled `[B, T, H]` -> Linear
//! `[B, T, V]` -> cross-entropy against the next token at every position; Adam.

use crate::lstm_cell::{LstmCell, LstmCellConfig};
use crate::unroll::unroll;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use shared::bench::inputs::{batch_rng, classes};
use shared::bench::{CharLstm, CharLstmSizes, Trainee, Workload};

/// Embedding, our LSTM cell unrolled over time, and a linear read-out to the vocabulary.
#[derive(Module, Debug)]
pub struct ScratchCharLm {
    embed: Embedding,
    lstm: LstmCell,
    head: Linear,
}

impl ScratchCharLm {
    fn new(sizes: CharLstmSizes, device: &Device) -> Self {
        Self {
            embed: EmbeddingConfig::new(sizes.vocab, sizes.embedding).init(device),
            lstm: LstmCellConfig::new(sizes.embedding, sizes.hidden).init(device),
            head: LinearConfig::new(sizes.hidden, sizes.vocab).init(device),
        }
    }

    /// Mean next-token cross-entropy of `targets` `[B, T]` given `tokens` `[B, T]`.
    fn loss(&self, tokens: Tensor<2, Int>, targets: Tensor<2, Int>) -> Tensor<1> {
        let [batch, time] = tokens.dims();
        let (hidden, _state) = unroll(&self.lstm, self.embed.forward(tokens), None);
        let logits = self.head.forward(hidden);
        let vocab = logits.dims()[2];
        CrossEntropyLossConfig::new()
            .init(&logits.device())
            .forward(logits.reshape([batch * time, vocab]), targets.reshape([batch * time]))
    }
}

/// The workload: the model, Adam, and one fixed batch of random text (the same batch as
/// `char_lstm`'s, from the same seeded generator).
pub struct ScratchCharLstm {
    trainee: Trainee<ScratchCharLm>,
    tokens: Tensor<2, Int>,
    targets: Tensor<2, Int>,
}

impl ScratchCharLstm {
    /// `char_lstm`'s sizes: vocab 65, embedding 64, hidden 256, batch 32, sequence length 64.
    pub const BENCH: CharLstmSizes = CharLstm::BENCH;

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 8;

    /// A fresh model and the fixed batch.
    pub fn new(sizes: CharLstmSizes, device: &Device) -> Self {
        let CharLstmSizes { batch, seq_len, vocab, .. } = sizes;
        let text = classes(&mut batch_rng(), [batch, seq_len + 1], vocab, device);
        Self {
            trainee: Trainee::new(ScratchCharLm::new(sizes, device)),
            tokens: text.clone().narrow(1, 0, seq_len),
            targets: text.narrow(1, 1, seq_len),
        }
    }
}

impl Workload for ScratchCharLstm {
    fn name(&self) -> &'static str {
        "char_lstm_scratch"
    }

    fn description(&self) -> &'static str {
        "char-LSTM LM as char_lstm, with this lecture's LstmCell (one matmul for all gates)"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(self.tokens.clone(), self.targets.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_trains_on_its_fixed_batch() {
        let sizes = CharLstmSizes { vocab: 7, embedding: 4, hidden: 8, batch: 3, seq_len: 5 };
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = ScratchCharLstm::new(sizes, device);
            (0..150).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[149] < losses[0] - 0.15, "Adam fits one batch: {} -> {}", losses[0], losses[149]);
    }
}
