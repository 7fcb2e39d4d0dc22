//! `char_lstm`: a character-level LSTM language model, the recurrent workload.
//!
//! tokens `[B, T]` -> Embedding `[B, T, E]` -> burn's `Lstm` `[B, T, H]` -> Linear `[B, T, V]`
//! -> cross-entropy against the next token at every position, averaged over `B * T`.

use super::inputs::{batch_rng, classes};
use super::{Trainee, Workload};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig, Lstm, LstmConfig};
use burn::prelude::*;

/// The sizes of a [`CharLstm`].
#[derive(Clone, Copy, Debug)]
pub struct CharLstmSizes {
    pub vocab: usize,
    pub embedding: usize,
    pub hidden: usize,
    pub batch: usize,
    pub seq_len: usize,
}

/// Embedding, one LSTM layer and a linear read-out to the vocabulary.
#[derive(Module, Debug)]
pub struct CharLstmModel {
    embed: Embedding,
    lstm: Lstm,
    head: Linear,
}

impl CharLstmModel {
    fn new(sizes: CharLstmSizes, device: &Device) -> Self {
        Self {
            embed: EmbeddingConfig::new(sizes.vocab, sizes.embedding).init(device),
            lstm: LstmConfig::new(sizes.embedding, sizes.hidden, true).init(device),
            head: LinearConfig::new(sizes.hidden, sizes.vocab).init(device),
        }
    }

    /// Mean next-token cross-entropy of `targets` `[B, T]` given `tokens` `[B, T]`.
    fn loss(&self, tokens: Tensor<2, Int>, targets: Tensor<2, Int>) -> Tensor<1> {
        let [batch, time] = tokens.dims();
        let (hidden, _state) = self.lstm.forward(self.embed.forward(tokens), None);
        let logits = self.head.forward(hidden);
        let vocab = logits.dims()[2];
        CrossEntropyLossConfig::new()
            .init(&logits.device())
            .forward(logits.reshape([batch * time, vocab]), targets.reshape([batch * time]))
    }
}

/// The workload: the model, Adam, and one fixed batch of random text.
pub struct CharLstm {
    trainee: Trainee<CharLstmModel>,
    tokens: Tensor<2, Int>,
    targets: Tensor<2, Int>,
}

impl CharLstm {
    /// vocab 65, embedding 64, hidden 256, batch 32, sequence length 64.
    pub const BENCH: CharLstmSizes =
        CharLstmSizes { vocab: 65, embedding: 64, hidden: 256, batch: 32, seq_len: 64 };

    /// A fresh model and a random batch: `seq_len + 1` tokens per row, the targets being the
    /// inputs shifted by one.
    pub fn new(sizes: CharLstmSizes, device: &Device) -> Self {
        let CharLstmSizes { batch, seq_len, vocab, .. } = sizes;
        let text = classes(&mut batch_rng(), [batch, seq_len + 1], vocab, device);
        Self {
            trainee: Trainee::new(CharLstmModel::new(sizes, device)),
            tokens: text.clone().narrow(1, 0, seq_len),
            targets: text.narrow(1, 1, seq_len),
        }
    }
}

impl Workload for CharLstm {
    fn name(&self) -> &'static str {
        "char_lstm"
    }

    fn description(&self) -> &'static str {
        "char-LSTM LM: vocab 65, embedding 64, burn Lstm hidden 256, batch 32, seq 64, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(self.tokens.clone(), self.targets.clone()))
    }
}
