//! The LSTM encoder and decoder that read a set of points and the answer so far (Vinyals,
//! Fortunato and Jaitly 2015, section 2).
//!
//! ```text
//! x_j  = W_in P_j + b_in           j = 1..n     inputs P: [B, n, F] -> x: [B, n + 1, E]
//! x_0  = g                                        a learned vector: STOP's slot and "nothing yet"
//! e_j  = LSTM_enc(x_j, e_{j-1})    j = 0..n      encoder states e: [B, n + 1, H]
//! d_t  = LSTM_dec(x_{c_{t-1}}, d_{t-1})           d_0 = e_n (state and cell); c_{-1} = 0
//!                                                 decoder states d: [B, T, H]
//! ```
//!
//! `c_t` is the position chosen at step `t`: under teacher forcing the true answer's, when
//! decoding the model's own. The decoder's input is the embedding of the point it chose last,
//! so it reads coordinates, never a position's number: nothing here depends on `n`. Both LSTMs
//! are `shared::recurrent::FusedLstm` (gate blocks i, f, g, o; one fused node per sequence).

use burn::module::{Initializer, Param};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use serde::Serialize;
use shared::recurrent::{FusedLstm, FusedLstmConfig, LstmState};

/// Sizes of a [`PointEncoderDecoder`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct EncoderDecoderConfig {
    /// `F`: numbers per input.
    pub features: usize,
    /// `E`: width of an input's embedding.
    pub embedding: usize,
    /// `H`: LSTM width.
    pub hidden: usize,
}

impl EncoderDecoderConfig {
    /// Fresh weights; the LSTMs' forget gates start biased to 1.
    pub fn init(&self, device: &Device) -> PointEncoderDecoder {
        let lstm = || FusedLstmConfig::new(self.embedding, self.hidden).with_forget_bias(1.0).init(device);
        let bound = 1.0 / (self.embedding as f64).sqrt();
        PointEncoderDecoder {
            embed: LinearConfig::new(self.features, self.embedding).init(device),
            go: Initializer::Uniform { min: -bound, max: bound }.init([self.embedding], device),
            encoder: lstm(),
            decoder: lstm(),
        }
    }
}

/// Input embedding, the vector `g`, and the two LSTMs.
#[derive(Module, Debug)]
pub struct PointEncoderDecoder {
    pub embed: Linear,
    pub go: Param<Tensor<1>>,
    pub encoder: FusedLstm,
    pub decoder: FusedLstm,
}

/// The encoded inputs.
#[derive(Clone, Debug)]
pub struct Encoded {
    /// `x: [B, n + 1, E]`, `g` first.
    pub embedded: Tensor<3>,
    /// `e: [B, n + 1, H]`.
    pub states: Tensor<3>,
    /// The encoder's final state, the decoder's first.
    pub last: LstmState,
}

impl PointEncoderDecoder {
    /// Encodes `inputs: [B, n, F]`.
    pub fn encode(&self, inputs: Tensor<3>) -> Encoded {
        let [batch, _, _] = inputs.dims();
        let go = self.go.val().unsqueeze_dims::<3>(&[0, 1]).repeat_dim(0, batch);
        let embedded = Tensor::cat(vec![go, self.embed.forward(inputs)], 1);
        let (states, last) = self.encoder.forward_with_state(embedded.clone(), None, &[]);
        Encoded { embedded, states, last }
    }

    /// Decoder states `[B, T, H]` and the final state, from `state` (the encoder's last for a
    /// fresh answer) over the previous choices `previous: [B, T]` (output positions).
    pub fn decode(
        &self,
        encoded: &Encoded,
        previous: Tensor<2, Int>,
        state: LstmState,
    ) -> (Tensor<3>, LstmState) {
        let width = encoded.embedded.dims()[2];
        let index = previous.unsqueeze_dim::<3>(2).repeat_dim(2, width); // [B, T, E]
        let inputs = encoded.embedded.clone().gather(1, index);
        self.decoder.forward_with_state(inputs, Some(state), &[])
    }
}
