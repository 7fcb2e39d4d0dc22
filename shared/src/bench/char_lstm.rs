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
use crate::fast_ops::linear;
use crate::recurrent::{FusedLstm, FusedLstmConfig};
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

    /// Hidden states `[B, T, H]` of `inputs: [B, T, E]`, from a zero state.
    fn forward(&self, inputs: Tensor<3>) -> Tensor<3> {
        match self {
            Recurrence::Fused(lstm) => lstm.forward(inputs, None),
            Recurrence::Burn(lstm) => lstm.forward(inputs, None).0,
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
        let [batch, time] = tokens.dims();
        let hidden = self.lstm.forward(self.embed.forward(tokens));
        // The fused variant reads out on the packed tile too; the other stays all burn.
        let logits = match self.lstm {
            Recurrence::Fused(_) => linear(&self.head, hidden),
            Recurrence::Burn(_) => self.head.forward(hidden),
        };
        let vocab = logits.dims()[2];
        CrossEntropyLossConfig::new()
            .init(&logits.device())
            .forward(logits.reshape([batch * time, vocab]), targets.reshape([batch * time]))
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
