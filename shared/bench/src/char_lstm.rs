//! `char_lstm`: a character-level LSTM language model, the recurrent workload.
//!
//! tokens `[B, T]` -> Embedding `[B, T, E]` -> LSTM `[B, T, H]` -> Linear `[B, T, V]`
//! -> cross-entropy against the next token at every position, averaged over `B * T`.
//!
//! Two workloads share it: `char_lstm` runs the LSTM as [`FusedLstm`] (one autodiff node, BPTT
//! by hand), `char_lstm_burn` as burn's own `Lstm` (a few autodiff nodes per gate and step):
//! the same function, so their ratio is what the fused layer buys.

use super::inputs::{batch_rng, classes};
use super::{Trainee, Workload};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig, Lstm, LstmConfig};
use burn::prelude::*;
use shared_kernels::fast_ops::{cross_entropy, linear};
use shared_kernels::recurrent::{FusedLstm, FusedLstmConfig};

/// The sizes of a [`CharLstm`].
#[derive(Clone, Copy, Debug)]
pub struct CharLstmSizes {
    pub vocab: usize,
    pub embedding: usize,
    pub hidden: usize,
    pub batch: usize,
    pub seq_len: usize,
}

/// Which LSTM implementation a [`CharLstm`] trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LstmKind {
    /// [`FusedLstm`].
    Fused,
    /// burn's `Lstm`.
    Burn,
}

/// The recurrent layer, either implementation.
// One per model: the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Recurrence {
    Fused(FusedLstm),
    Burn(Lstm),
}

impl Recurrence {
    fn new(kind: LstmKind, input: usize, hidden: usize, device: &Device) -> Self {
        match kind {
            LstmKind::Fused => Recurrence::Fused(FusedLstmConfig::new(input, hidden).init(device)),
            LstmKind::Burn => Recurrence::Burn(LstmConfig::new(input, hidden, true).init(device)),
        }
    }
}

/// Embedding, one LSTM layer and a linear read-out to the vocabulary.
#[derive(Module, Debug)]
pub struct CharLstmModel {
    embed: Embedding,
    lstm: Recurrence,
    head: Linear,
}

impl CharLstmModel {
    fn new(sizes: CharLstmSizes, kind: LstmKind, device: &Device) -> Self {
        Self {
            embed: EmbeddingConfig::new(sizes.vocab, sizes.embedding).init(device),
            lstm: Recurrence::new(kind, sizes.embedding, sizes.hidden, device),
            head: LinearConfig::new(sizes.hidden, sizes.vocab).init(device),
        }
    }

    /// Mean next-token cross-entropy of `targets` `[B, T]` given `tokens` `[B, T]`.
    fn loss(&self, tokens: Tensor<2, Int>, targets: Tensor<2, Int>) -> Tensor<1> {
        match &self.lstm {
            Recurrence::Fused(lstm) => {
                // Time-major throughout (the tokens swapped, not the activations): the fused
                // layer's own layout, so no activation or gradient is copied to change it. The
                // loss is a mean over every position, whatever their order.
                let hidden = lstm.forward_time_major(self.embed.forward(tokens.swap_dims(0, 1)), None);
                let logits = linear(&self.head, hidden);
                cross_entropy(logits.flatten(0, 1), targets.swap_dims(0, 1).flatten(0, 1))
            }
            Recurrence::Burn(lstm) => {
                let hidden = lstm.forward(self.embed.forward(tokens), None).0;
                let logits = self.head.forward(hidden).flatten(0, 1);
                CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, targets.flatten(0, 1))
            }
        }
    }
}

/// The workload: the model, Adam, and one fixed batch of random text.
pub struct CharLstm {
    kind: LstmKind,
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
    pub fn new(sizes: CharLstmSizes, kind: LstmKind, device: &Device) -> Self {
        let CharLstmSizes { batch, seq_len, vocab, .. } = sizes;
        let text = classes(&mut batch_rng(), [batch, seq_len + 1], vocab, device);
        Self {
            kind,
            trainee: Trainee::new(CharLstmModel::new(sizes, kind, device)),
            tokens: text.clone().narrow(1, 0, seq_len),
            targets: text.narrow(1, 1, seq_len),
        }
    }
}

impl Workload for CharLstm {
    fn name(&self) -> &'static str {
        match self.kind {
            LstmKind::Fused => "char_lstm",
            LstmKind::Burn => "char_lstm_burn",
        }
    }

    fn description(&self) -> &'static str {
        match self.kind {
            LstmKind::Fused => {
                "char-LSTM LM: vocab 65, embedding 64, FusedLstm hidden 256, batch 32, seq 64, Adam"
            }
            LstmKind::Burn => {
                "char-LSTM LM: vocab 65, embedding 64, burn Lstm hidden 256, batch 32, seq 64, Adam"
            }
        }
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(self.tokens.clone(), self.targets.clone()))
    }
}
