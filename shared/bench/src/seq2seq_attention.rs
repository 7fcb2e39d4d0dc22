//! `seq2seq_attention`: a GRU encoder-decoder with dot-product (Luong) attention, trained with
//! teacher forcing to reverse a random token sequence.
//!
//! ```text
//! source [B, S] -> Embedding -> burn Gru (encoder)               outputs e [B, S, H]
//! h_0 = e[:, S-1]                                                [B, H]
//! for t in 0..T (decoder input y_{t-1}, y_{-1} = start token 0):
//!     h_t = Gru cell(embed(y_{t-1}), h_{t-1})                    [B, H]
//!     a_t = softmax_s(e_s . h_t)                                 [B, S]   dot-product scores
//!     c_t = sum_s a_ts e_s                                       [B, H]   context
//!     o_t = tanh(W_c [c_t; h_t])                                 [B, H]   attentional state
//! logits = W_o o                                                 [B, T, V]
//! loss = cross-entropy(logits, target) averaged over B * T
//! ```
//!
//! Luong attention reads the decoder state after the recurrence, so the decoder does not depend
//! on the attention and both can run over the whole sequence at once. Two workloads, the same
//! function:
//!
//! - `seq2seq_attention`: encoder and decoder are [`FusedGru`] layers over whole sequences, and
//!   the attention is batched over all decoder steps (`[B, T, H] x [B, H, S]` scores);
//! - `seq2seq_attention_stepwise`: burn's `Gru`, the decoder run one step at a time with the
//!   attention of each step, as the formulas above read.

use super::inputs::{batch_rng, classes};
use super::{Trainee, Workload};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Embedding, EmbeddingConfig, Gru, GruConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::softmax;
use shared_kernels::fast_ops::{linear, tanh};
use shared_kernels::recurrent::{FusedGru, FusedGruConfig};

/// The decoder's first input; sequences use tokens `1..vocab`.
const START_TOKEN: i64 = 0;

/// The sizes of a [`Seq2SeqAttention`] (source and target have the same length).
#[derive(Clone, Copy, Debug)]
pub struct Seq2SeqSizes {
    pub vocab: usize,
    pub embedding: usize,
    pub hidden: usize,
    pub length: usize,
    pub batch: usize,
}

/// How the recurrences and the attention run (the same function either way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seq2SeqKind {
    /// [`FusedGru`] over whole sequences, attention batched over the decoder steps.
    Fused,
    /// burn's `Gru`, the decoder and its attention one step at a time.
    Stepwise,
}

/// A GRU layer, either implementation.
// One per model: the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum GruLayer {
    Fused(FusedGru),
    Burn(Gru),
}

impl GruLayer {
    fn new(kind: Seq2SeqKind, input: usize, hidden: usize, device: &Device) -> Self {
        match kind {
            Seq2SeqKind::Fused => GruLayer::Fused(FusedGruConfig::new(input, hidden).init(device)),
            Seq2SeqKind::Stepwise => GruLayer::Burn(GruConfig::new(input, hidden, true).init(device)),
        }
    }

    /// Hidden states `[B, T, H]` of `inputs: [B, T, E]` from `initial: [B, H]` (zeros if `None`).
    fn forward(&self, inputs: Tensor<3>, initial: Option<Tensor<2>>) -> Tensor<3> {
        match self {
            GruLayer::Fused(gru) => gru.forward(inputs, initial),
            GruLayer::Burn(gru) => gru.forward(inputs, initial),
        }
    }
}

/// Encoder, decoder, attention combination and read-out.
#[derive(Module, Debug)]
pub struct Seq2SeqModel {
    source_embed: Embedding,
    encoder: GruLayer,
    target_embed: Embedding,
    decoder: GruLayer,
    combine: Linear,
    readout: Linear,
}

impl Seq2SeqModel {
    fn new(sizes: Seq2SeqSizes, kind: Seq2SeqKind, device: &Device) -> Self {
        let Seq2SeqSizes { vocab, embedding, hidden, .. } = sizes;
        Self {
            source_embed: EmbeddingConfig::new(vocab, embedding).init(device),
            encoder: GruLayer::new(kind, embedding, hidden, device),
            target_embed: EmbeddingConfig::new(vocab, embedding).init(device),
            decoder: GruLayer::new(kind, embedding, hidden, device),
            combine: LinearConfig::new(2 * hidden, hidden).init(device),
            readout: LinearConfig::new(hidden, vocab).init(device),
        }
    }

    /// Mean cross-entropy of `targets` `[B, T]` given `source` `[B, S]` and the teacher-forced
    /// decoder inputs `[B, T]`.
    fn loss(&self, source: Tensor<2, Int>, inputs: Tensor<2, Int>, targets: Tensor<2, Int>) -> Tensor<1> {
        let [batch, length] = targets.dims();
        let encoded = self.encoder.forward(self.source_embed.forward(source), None);
        let source_len = encoded.dims()[1];
        let last = encoded.clone().narrow(1, source_len - 1, 1).squeeze_dim::<2>(1);
        let embedded = self.target_embed.forward(inputs);
        let states = match self.decoder {
            GruLayer::Fused(_) => self.attend_all(encoded, self.decoder.forward(embedded, Some(last))),
            GruLayer::Burn(_) => self.decode_stepwise(encoded, embedded, last),
        };
        let logits = linear(&self.readout, states);
        let vocab = logits.dims()[2];
        CrossEntropyLossConfig::new()
            .init(&logits.device())
            .forward(logits.reshape([batch * length, vocab]), targets.reshape([batch * length]))
    }

    /// Attentional states `[B, T, H]`, one decoder step after another: `embedded: [B, T, E]`,
    /// `hidden: [B, H]` the decoder's initial state.
    fn decode_stepwise(&self, encoded: Tensor<3>, embedded: Tensor<3>, mut hidden: Tensor<2>) -> Tensor<3> {
        let length = embedded.dims()[1];
        let mut states = Vec::with_capacity(length);
        for t in 0..length {
            let input = embedded.clone().narrow(1, t, 1);
            hidden = self.decoder.forward(input, Some(hidden)).squeeze_dim::<2>(1);
            states.push(self.attend(encoded.clone(), hidden.clone()));
        }
        Tensor::stack::<3>(states, 1)
    }

    /// Attentional state `tanh(W_c [c; h])` `[B, H]` from encoder outputs `[B, S, H]` and the
    /// decoder state `h` `[B, H]`.
    fn attend(&self, encoded: Tensor<3>, hidden: Tensor<2>) -> Tensor<2> {
        let scores = encoded.clone().matmul(hidden.clone().unsqueeze_dim::<3>(2)); // [B, S, 1]
        let weights = softmax(scores, 1).swap_dims(1, 2); // [B, 1, S]
        let context = weights.matmul(encoded).squeeze_dim::<2>(1); // [B, H]
        tanh(linear(&self.combine, Tensor::cat(vec![context, hidden], 1)))
    }

    /// [`Seq2SeqModel::attend`] for all decoder states `[B, T, H]` at once: `[B, T, H]`.
    fn attend_all(&self, encoded: Tensor<3>, decoded: Tensor<3>) -> Tensor<3> {
        let scores = decoded.clone().matmul(encoded.clone().swap_dims(1, 2)); // [B, T, S]
        let context = softmax(scores, 2).matmul(encoded); // [B, T, H]
        tanh(linear(&self.combine, Tensor::cat(vec![context, decoded], 2)))
    }
}

/// The workload: the model, Adam, and one fixed batch of sequences to reverse.
pub struct Seq2SeqAttention {
    kind: Seq2SeqKind,
    trainee: Trainee<Seq2SeqModel>,
    source: Tensor<2, Int>,
    inputs: Tensor<2, Int>,
    targets: Tensor<2, Int>,
}

impl Seq2SeqAttention {
    /// vocab 20, embedding 32, hidden 128, length 20, batch 64.
    pub const BENCH: Seq2SeqSizes =
        Seq2SeqSizes { vocab: 20, embedding: 32, hidden: 128, length: 20, batch: 64 };

    /// A fresh model and a batch of random sequences over tokens `1..vocab`; the target is the
    /// source reversed, the decoder inputs are the target shifted right behind the start token.
    pub fn new(sizes: Seq2SeqSizes, kind: Seq2SeqKind, device: &Device) -> Self {
        let Seq2SeqSizes { vocab, length, batch, .. } = sizes;
        let source = classes(&mut batch_rng(), [batch, length], vocab - 1, device).add_scalar(1);
        let targets = source.clone().flip([1]);
        let start = Tensor::<2, Int>::full([batch, 1], START_TOKEN, device);
        let inputs = Tensor::cat(vec![start, targets.clone().narrow(1, 0, length - 1)], 1);
        Self { kind, trainee: Trainee::new(Seq2SeqModel::new(sizes, kind, device)), source, inputs, targets }
    }
}

impl Workload for Seq2SeqAttention {
    fn name(&self) -> &'static str {
        match self.kind {
            Seq2SeqKind::Fused => "seq2seq_attention",
            Seq2SeqKind::Stepwise => "seq2seq_attention_stepwise",
        }
    }

    fn description(&self) -> &'static str {
        match self.kind {
            Seq2SeqKind::Fused => {
                "GRU encoder-decoder (FusedGru), Luong dot attention batched over steps: vocab 20, emb 32, hidden 128, len 20, batch 64, Adam"
            }
            Seq2SeqKind::Stepwise => {
                "GRU encoder-decoder (burn Gru, decoder step by step), Luong dot attention: vocab 20, emb 32, hidden 128, len 20, batch 64, Adam"
            }
        }
    }

    fn step(&mut self) -> f32 {
        self.trainee
            .train_step(|model| model.loss(self.source.clone(), self.inputs.clone(), self.targets.clone()))
    }
}
