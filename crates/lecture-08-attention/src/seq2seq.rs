//! The encoder-decoder for conditional generation (Sutskever et al. 2014; Cho et al. 2014), with
//! or without attention over the encoder's states (Luong et al. 2015's arrangement).
//!
//! ```text
//! encoder:   f_s = GRU_fwd(E_src x_s, f_{s-1}),  b_s = GRU_bwd(E_src x_s, b_{s+1})
//!            m_s = [f_s; b_s]                         memory m: [batch, S, 2H]
//! decoder:   h_0 = tanh(W_0 [f_S; b_1] + b_0)         the fixed-size summary of the source
//!            h_t = GRU_dec(E_tgt y_{t-1}, h_{t-1})     y_0 = BOS,  h: [batch, T, H]
//! attention: c_t = Σ_s α_ts m_s,  α_t = softmax_s(score(h_t, m_s))        c: [batch, T, H]
//! read-out:  o_t = tanh(W_o [h_t; c_t] + b_o)          (without attention: tanh(W_o h_t + b_o))
//!            p(y_t | y_<t, x) = softmax(W_v o_t + b_v) logits: [batch, T, V]
//! ```
//!
//! The encoder is bidirectional (as in Bahdanau et al. 2015) so that `m_s` is centred on token
//! `s`: it knows what comes before and after it, and an attention peak on `s` means "token `s`".
//! Without attention everything the decoder knows of the source has to pass through `h_0`, a
//! vector of `H` numbers however long the source is; with attention the decoder looks back at
//! every `m_s` at every step. Training feeds the true previous token (teacher forcing,
//! [`Seq2Seq::forward`]); generation feeds the model's own ([`Seq2Seq::step`] and
//! [`crate::decoding`]).

use crate::attention::{Attention, AttentionKind};
use crate::recurrence::{Gru, Recurrence};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use serde::Serialize;
use shared::fast_ops::{linear, tanh};

/// Sizes and kind of a [`Seq2Seq`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Seq2SeqConfig {
    /// Tokens in the (shared) source and target vocabulary.
    pub vocab: usize,
    /// Width of the token embeddings.
    pub embedding: usize,
    /// Width `H` of encoder and decoder states.
    pub hidden: usize,
    /// Which attention, if any.
    pub attention: AttentionKind,
    /// How the three GRUs run: the lecture's step-wise layer or the fused one (the same function).
    pub recurrence: Recurrence,
}

impl Seq2SeqConfig {
    /// A fresh model.
    pub fn init(&self, device: &Device) -> Seq2Seq {
        let Seq2SeqConfig { vocab, embedding, hidden, attention, recurrence } = *self;
        let gru = || Gru::new(recurrence, embedding, hidden, device);
        let read_width = if attention == AttentionKind::None { hidden } else { 3 * hidden };
        Seq2Seq {
            source_embed: EmbeddingConfig::new(vocab, embedding).init(device),
            forward_encoder: gru(),
            backward_encoder: gru(),
            bridge: LinearConfig::new(2 * hidden, hidden).init(device),
            target_embed: EmbeddingConfig::new(vocab, embedding).init(device),
            decoder: gru(),
            attention: Attention::new(attention, hidden, 2 * hidden, device),
            combine: LinearConfig::new(read_width, hidden).init(device),
            readout: LinearConfig::new(hidden, vocab).init(device),
        }
    }
}

/// Encoder, decoder, optional attention and read-out.
#[derive(Module, Debug)]
pub struct Seq2Seq {
    pub source_embed: Embedding,
    pub forward_encoder: Gru,
    pub backward_encoder: Gru,
    pub bridge: Linear,
    pub target_embed: Embedding,
    pub decoder: Gru,
    pub attention: Option<Attention>,
    pub combine: Linear,
    pub readout: Linear,
}

/// The encoded source: what the decoder reads at every step.
#[derive(Clone, Debug)]
pub struct Encoded {
    /// Every encoder state `m: [batch, S, 2H]`.
    pub memory: Tensor<3>,
    /// The summary `h_0: [batch, H]` the decoder starts from.
    pub last: Tensor<2>,
}

/// A teacher-forced pass over whole sequences.
#[derive(Clone, Debug)]
pub struct Seq2SeqOutput {
    /// `[batch, T, V]`.
    pub logits: Tensor<3>,
    /// Attention weights `α: [batch, T, S]`, if the model attends.
    pub weights: Option<Tensor<3>>,
}

/// One generation step.
#[derive(Clone, Debug)]
pub struct StepOutput {
    /// `[batch, V]`: scores of the next token.
    pub logits: Tensor<2>,
    /// The decoder state `h_t: [batch, H]` to feed to the next step.
    pub state: Tensor<2>,
    /// `α_t: [batch, S]`, if the model attends.
    pub weights: Option<Tensor<2>>,
}

impl Seq2Seq {
    /// Whether the decoder attends over the encoder's states.
    pub fn attends(&self) -> bool {
        self.attention.is_some()
    }

    /// Runs both encoders over `source: [batch, S]`.
    pub fn encode(&self, source: Tensor<2, Int>) -> Encoded {
        let embedded = self.source_embed.forward(source);
        let (forward, forward_last) = self.forward_encoder.forward(embedded.clone(), None);
        let (backward, backward_last) = self.backward_encoder.forward(embedded.flip([1]), None);
        let memory = Tensor::cat(vec![forward, backward.flip([1])], 2);
        let last = tanh(linear(&self.bridge, Tensor::cat(vec![forward_last, backward_last], 1)));
        Encoded { memory, last }
    }

    /// `o` from decoder states `h: [batch, T, H]` and memory `[batch, S, 2H]`: the attentional read-out and the weights.
    fn read(&self, states: Tensor<3>, memory: Tensor<3>) -> (Tensor<3>, Option<Tensor<3>>) {
        match &self.attention {
            None => (tanh(linear(&self.combine, states)), None),
            Some(attention) => {
                let (contexts, weights) = attention.forward(states.clone(), memory);
                (tanh(linear(&self.combine, Tensor::cat(vec![states, contexts], 2))), Some(weights))
            }
        }
    }

    /// Teacher forcing: logits for every step given the true previous tokens
    /// `decoder_input: [batch, T]` (BOS, then the target shifted right).
    pub fn forward(&self, source: Tensor<2, Int>, decoder_input: Tensor<2, Int>) -> Seq2SeqOutput {
        let encoded = self.encode(source);
        let (states, _) = self.decoder.forward(self.target_embed.forward(decoder_input), Some(encoded.last));
        let (read, weights) = self.read(states, encoded.memory);
        Seq2SeqOutput { logits: linear(&self.readout, read), weights }
    }

    /// One step of generation: the previous tokens `[batch]` and decoder state `[batch, H]` in,
    /// the next token's logits and the new state out.
    pub fn step(&self, encoded: &Encoded, previous: Tensor<1, Int>, state: Tensor<2>) -> StepOutput {
        let embedded = self.target_embed.forward(previous.unsqueeze_dim(1)).squeeze_dim(1); // [B, E]
        let state = self.decoder.step(embedded, state);
        let (read, weights) = self.read(state.clone().unsqueeze_dim(1), encoded.memory.clone());
        StepOutput {
            logits: linear(&self.readout, read).squeeze_dim(1),
            state,
            weights: weights.map(|w| w.squeeze_dim(1)),
        }
    }
}
