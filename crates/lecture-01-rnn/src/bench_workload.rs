//! This lecture's benchmark workloads: the character LSTM language model of
//! `cargo xtask bench` (workload `char_lstm`), with our from-scratch LSTM in place of burn's
//! `Lstm`, so the recurrent layers are timed side by side on the same sizes:
//! `char_lstm_scratch` unrolls our [`crate::lstm_cell::LstmCell`] step by step,
//! `char_lstm_scratch_fused` runs the same function as a fused layer ([`crate::fused`]).
//!
//! tokens `[B, T]` -> Embedding `[B, T, E]` -> our LSTM over the sequence `[B, T, H]` -> Linear
//! `[B, T, V]` -> cross-entropy against the next token at every position; Adam.

use crate::any_cell::{AnyCell, CellKind};
use crate::cell::RecurrentCell;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use shared::bench::inputs::{batch_rng, classes};
use shared::bench::{CharLstm, CharLstmSizes, Trainee, Workload};
use shared::fast_ops;

/// Embedding, our LSTM over time (the cell unrolled, or fused), and a linear read-out to the
/// vocabulary.
#[derive(Module, Debug)]
pub struct ScratchCharLm {
    embed: Embedding,
    lstm: AnyCell,
    head: Linear,
}

impl ScratchCharLm {
    fn new(sizes: CharLstmSizes, lstm: CellKind, device: &Device) -> Self {
        Self {
            embed: EmbeddingConfig::new(sizes.vocab, sizes.embedding).init(device),
            lstm: lstm.init(sizes.embedding, sizes.hidden, device),
            head: LinearConfig::new(sizes.hidden, sizes.vocab).init(device),
        }
    }

    /// Mean next-token cross-entropy of `targets` `[B, T]` given `tokens` `[B, T]`. The
    /// read-out and the loss run on shared's fused operations in both workloads, so that they
    /// differ in the recurrent layer alone.
    fn loss(&self, tokens: Tensor<2, Int>, targets: Tensor<2, Int>) -> Tensor<1> {
        let (hidden, _state) = self.lstm.unroll(self.embed.forward(tokens), None);
        let logits = fast_ops::linear(&self.head, hidden);
        fast_ops::cross_entropy(logits.flatten(0, 1), targets.flatten(0, 1))
    }
}

/// The workload: the model, Adam, and one fixed batch of random text (the same batch as
/// `char_lstm`'s, from the same seeded generator).
pub struct ScratchCharLstm {
    /// [`CellKind::LSTM`] (`char_lstm_scratch`) or [`CellKind::FusedLstm`] (`_fused`).
    lstm: CellKind,
    trainee: Trainee<ScratchCharLm>,
    tokens: Tensor<2, Int>,
    targets: Tensor<2, Int>,
}

impl ScratchCharLstm {
    /// `char_lstm`'s sizes: vocab 65, embedding 64, hidden 256, batch 32, sequence length 64.
    pub const BENCH: CharLstmSizes = CharLstm::BENCH;

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 8;

    /// A fresh model whose LSTM is `lstm` ([`CellKind::LSTM`] or [`CellKind::FusedLstm`]) and
    /// the fixed batch.
    pub fn new(sizes: CharLstmSizes, lstm: CellKind, device: &Device) -> Self {
        let CharLstmSizes { batch, seq_len, vocab, .. } = sizes;
        let text = classes(&mut batch_rng(), [batch, seq_len + 1], vocab, device);
        Self {
            lstm,
            trainee: Trainee::new(ScratchCharLm::new(sizes, lstm, device)),
            tokens: text.clone().narrow(1, 0, seq_len),
            targets: text.narrow(1, 1, seq_len),
        }
    }
}

impl Workload for ScratchCharLstm {
    fn name(&self) -> &'static str {
        match self.lstm {
            CellKind::FusedLstm => "char_lstm_scratch_fused",
            _ => "char_lstm_scratch",
        }
    }

    fn description(&self) -> &'static str {
        match self.lstm {
            CellKind::FusedLstm => "char-LSTM LM as char_lstm_scratch, the LSTM fused (shared::recurrent)",
            _ => "char-LSTM LM as char_lstm, with this lecture's LstmCell (one matmul for all gates)",
        }
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
        let losses = |lstm: CellKind| -> Vec<f32> {
            seeded(0, |device| {
                let mut workload = ScratchCharLstm::new(sizes, lstm, device);
                (0..150).map(|_| workload.step()).collect()
            })
        };
        let (cell, fused) = (losses(CellKind::LSTM), losses(CellKind::FusedLstm));
        assert!(cell.iter().all(|l| l.is_finite()));
        assert!(cell[149] < cell[0] - 0.15, "Adam fits one batch: {} -> {}", cell[0], cell[149]);
        for (step, (a, b)) in cell.iter().zip(&fused).enumerate().step_by(30) {
            assert!((a - b).abs() < 1e-3, "the fused LSTM trains as the cell: step {step}, {a} vs {b}");
        }
    }
}
