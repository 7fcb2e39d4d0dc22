//! The pointer network (Vinyals, Fortunato and Jaitly 2015): the attention over the inputs IS
//! the output.
//!
//! ```text
//! e, d   = encoder and decoder states (crate::encoder_decoder)   e: [B, n + 1, H], d: [B, T, H]
//! u_tj   = v · tanh(W_1 e_j + W_2 d_t)                          [B, T, n + 1]
//! p(c_t = j | c_<t, P) = softmax_j(u_tj) over the allowed j     (crate::masking)
//! loss   = - Σ_t log p(c_t = true_t) / answer length            teacher forcing
//! ```
//!
//! The classes are the `n + 1` positions of this instance (STOP and the inputs), so one set of
//! weights answers for any `n`. [`OutputKind::FixedVocabulary`] swaps the output for the
//! baseline's `n_max + 1` classes ([`crate::fixed_vocabulary`]): the same model in every other
//! respect.

use crate::attention::{AdditiveAttention, masked_log_softmax};
use crate::encoder_decoder::{Encoded, EncoderDecoderConfig, PointEncoderDecoder};
use crate::fixed_vocabulary::FixedVocabulary;
use crate::tasks::PointerBatch;
use burn::prelude::*;
use serde::Serialize;
use shared::fast_ops::target_log_probs;
use shared::recurrent::LstmState;

/// What the decoder outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OutputKind {
    /// A distribution over this instance's input positions.
    Pointer,
    /// A softmax over the fixed classes STOP, 1, .., `n_max`.
    FixedVocabulary { n_max: usize },
}

/// Sizes and output of a [`PointerNet`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PointerNetConfig {
    pub core: EncoderDecoderConfig,
    pub output: OutputKind,
}

impl PointerNetConfig {
    /// A fresh model (attention width = LSTM width).
    pub fn init(&self, device: &Device) -> PointerNet {
        let hidden = self.core.hidden;
        PointerNet {
            core: self.core.init(device),
            attention: AdditiveAttention::new(hidden, hidden, hidden, device),
            vocabulary: match self.output {
                OutputKind::Pointer => None,
                OutputKind::FixedVocabulary { n_max } => Some(FixedVocabulary::new(hidden, n_max, device)),
            },
        }
    }
}

/// Encoder, decoder, attention, and the fixed read-out when the output is not a pointer.
#[derive(Module, Debug)]
pub struct PointerNet {
    pub core: PointEncoderDecoder,
    pub attention: AdditiveAttention,
    pub vocabulary: Option<FixedVocabulary>,
}

impl PointerNet {
    /// Output classes for instances of `n` inputs: `n + 1`, or the fixed `n_max + 1`.
    pub fn classes(&self, n: usize) -> usize {
        self.vocabulary.as_ref().map_or(n + 1, FixedVocabulary::classes)
    }

    /// Encodes `inputs: [B, n, F]`.
    pub fn encode(&self, inputs: Tensor<3>) -> Encoded {
        self.core.encode(inputs)
    }

    /// Unmasked scores `[B, T, classes]` of `previous: [B, T]` choices from decoder `state`,
    /// and the decoder's state after them.
    pub fn scores(
        &self,
        encoded: &Encoded,
        previous: Tensor<2, Int>,
        state: LstmState,
    ) -> (Tensor<3>, LstmState) {
        let (decoder, state) = self.core.decode(encoded, previous, state);
        let scores = match &self.vocabulary {
            None => self.attention.scores(decoder, encoded.states.clone()),
            Some(vocabulary) => vocabulary.logits(&self.attention, decoder, encoded.states.clone()),
        };
        (scores, state)
    }

    /// Teacher forcing: `log p(c_t = j)` `[B, T, classes]` for every step of `batch`'s answers.
    pub fn log_probs(&self, batch: &PointerBatch, device: &Device) -> Tensor<3> {
        let encoded = self.encode(batch.inputs_tensor(device));
        let last = encoded.last.clone();
        let (scores, _) = self.scores(&encoded, batch.previous_tensor(device), last);
        let classes = scores.dims()[2];
        masked_log_softmax(scores, batch.mask_tensor(classes, device))
    }

    /// The mean negative log-likelihood of the true answers per answer step (STOP included).
    pub fn loss(&self, batch: &PointerBatch, device: &Device) -> Tensor<1> {
        let encoded = self.encode(batch.inputs_tensor(device));
        let last = encoded.last.clone();
        let (scores, _) = self.scores(&encoded, batch.previous_tensor(device), last);
        let classes = scores.dims()[2];
        let masked = scores.mask_fill(batch.mask_tensor(classes, device), crate::attention::FORBIDDEN_SCORE);
        let targets: Vec<usize> = batch.targets.iter().map(|&t| t as usize).collect();
        let log_p = target_log_probs(masked.reshape([batch.batch * batch.time, classes]), &targets);
        let weights = batch.weights_tensor(device).reshape([batch.batch * batch.time]);
        -(log_p * weights).sum() / batch.weights.iter().sum::<f32>()
    }
}
