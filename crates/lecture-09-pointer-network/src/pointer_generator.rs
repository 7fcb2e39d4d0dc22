//! The pointer-generator (See, Liu and Manning 2017): a sequence-to-sequence model with
//! attention that, at every step, either generates a word from its vocabulary or copies one
//! from the source, mixed by a learned switch.
//!
//! ```text
//! e_s   = LSTM_enc(E w_s, e_{s-1})                 source words w: [B, S] -> e: [B, S, H]
//! d_t   = LSTM_dec(E y_{t-1}, d_{t-1})              d_0 = e_S;  d: [B, T, H]
//! α_t   = softmax_s(v · tanh(W_1 e_s + W_2 d_t))    [B, T, S] (padding masked)
//! c_t   = Σ_s α_ts e_s                              [B, T, H]
//! P_vocab = softmax(W_o [d_t; c_t] + b_o)           [B, T, V]
//! p_gen = σ(w_c · c_t + w_d · d_t + w_y · E y_{t-1} + b)   [B, T, 1]
//! P(w)  = p_gen P_vocab(w) + (1 - p_gen) Σ_{s: w_s = w} α_ts      [B, T, V_ext]
//! ```
//!
//! `V_ext` counts every word that can occur, `V` only those the model has a vector and an
//! output for; a word outside the vocabulary is read as UNK but can still be written, by
//! copying. Without the switch ([`PointerGeneratorConfig::copy`] false) `p_gen = 1`: a plain
//! sequence-to-sequence model with attention, which writes UNK for what it has no word for.

use crate::attention::{AdditiveAttention, FORBIDDEN_SCORE};
use crate::tasks::names::{BOS, EOS, NamesBatch, NamesTask};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{sigmoid, softmax};
use serde::Serialize;
use shared::recurrent::{FusedLstm, FusedLstmConfig, LstmState};

/// Added to a probability before its logarithm: a target no part of the model can produce
/// costs `-ln 1e-12 ≈ 27.6` instead of infinity.
pub const LOG_FLOOR: f64 = 1e-12;

/// Sizes and switch of a [`PointerGenerator`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PointerGeneratorConfig {
    /// `V`: words the model reads and generates.
    pub vocabulary: usize,
    pub embedding: usize,
    pub hidden: usize,
    /// Whether the switch may copy; false forces `p_gen = 1`.
    pub copy: bool,
}

impl PointerGeneratorConfig {
    /// A fresh model.
    pub fn init(&self, device: &Device) -> PointerGenerator {
        let (e, h) = (self.embedding, self.hidden);
        let lstm = || FusedLstmConfig::new(e, h).with_forget_bias(1.0).init(device);
        PointerGenerator {
            embed: EmbeddingConfig::new(self.vocabulary, e).init(device),
            encoder: lstm(),
            decoder: lstm(),
            attention: AdditiveAttention::new(h, h, h, device),
            read: LinearConfig::new(2 * h, self.vocabulary).init(device),
            switch: self.copy.then(|| LinearConfig::new(2 * h + e, 1).init(device)),
        }
    }
}

/// See the module docs.
#[derive(Module, Debug)]
pub struct PointerGenerator {
    pub embed: Embedding,
    pub encoder: FusedLstm,
    pub decoder: FusedLstm,
    pub attention: AdditiveAttention,
    /// `W_o`, `b_o`.
    pub read: Linear,
    /// `[w_c; w_d; w_y]`, `b`: absent when the model only generates.
    pub switch: Option<Linear>,
}

/// The source, encoded.
#[derive(Clone, Debug)]
pub struct EncodedSource {
    /// `e: [B, S, H]`.
    pub states: Tensor<3>,
    /// `[B, S]`: true on padding.
    pub padding: Tensor<2, Bool>,
    /// `[B, S, V_ext]`: row `s` is the one-hot of source word `w_s` (zeros on padding).
    pub copy_matrix: Tensor<3>,
    pub last: LstmState,
}

/// The model's distribution over the next words, and how it got there.
#[derive(Clone, Debug)]
pub struct Mixture {
    /// `P(w)`: `[B, T, V_ext]`.
    pub probabilities: Tensor<3>,
    /// `α`: `[B, T, S]`.
    pub attention: Tensor<3>,
    /// `p_gen`: `[B, T]`.
    pub generate: Tensor<2>,
}

impl PointerGenerator {
    /// Encodes `batch`'s sources (extended ids, read through `task`).
    pub fn encode(&self, task: &NamesTask, batch: &NamesBatch, device: &Device) -> EncodedSource {
        let (b, s, extended) = (batch.batch, batch.source_time, task.extended());
        let readable: Vec<i64> = batch.source.iter().map(|&w| task.readable(w as usize) as i64).collect();
        let words = Tensor::<1, Int>::from_ints(readable.as_slice(), device).reshape([b, s]);
        let (states, last) =
            self.encoder.forward_with_state(self.embed.forward(words), None, &batch.source_lengths);
        let padding: Vec<bool> = (0..b * s).map(|i| i % s >= batch.source_lengths[i / s]).collect();
        let mut copy = vec![0.0f32; b * s * extended];
        for (i, &w) in batch.source.iter().enumerate() {
            if !padding[i] {
                copy[i * extended + w as usize] = 1.0;
            }
        }
        EncodedSource {
            states,
            padding: Tensor::from_data(TensorData::new(padding, [b, s]), device),
            copy_matrix: Tensor::from_data(TensorData::new(copy, [b, s, extended]), device),
            last,
        }
    }

    /// `P(w)` for each step after the previous words `previous: [B, T]` (vocabulary ids), from
    /// decoder `state`; the decoder's state after them.
    pub fn step(
        &self,
        source: &EncodedSource,
        previous: Tensor<2, Int>,
        state: LstmState,
    ) -> (Mixture, LstmState) {
        let inputs = self.embed.forward(previous); // [B, T, E]
        let (decoder, state) = self.decoder.forward_with_state(inputs.clone(), Some(state), &[]);
        let [b, t, _] = decoder.dims();
        let s = source.states.dims()[1];
        let padding = source.padding.clone().unsqueeze_dim::<3>(1).expand([b, t, s]);
        let scores =
            self.attention.scores(decoder.clone(), source.states.clone()).mask_fill(padding, FORBIDDEN_SCORE);
        let attention = softmax(scores, 2);
        let context = attention.clone().matmul(source.states.clone());
        let both = Tensor::cat(vec![decoder, context], 2);
        let vocabulary = softmax(self.read.forward(both.clone()), 2);
        let extended = source.copy_matrix.dims()[2];
        let [_, _, v] = vocabulary.dims();
        let generated =
            Tensor::cat(vec![vocabulary, Tensor::zeros([b, t, extended - v], &inputs.device())], 2);
        let (probabilities, generate) = match &self.switch {
            None => (generated, Tensor::ones([b, t], &inputs.device())),
            Some(switch) => {
                let generate = sigmoid(switch.forward(Tensor::cat(vec![both, inputs], 2))); // [B, T, 1]
                let copied = attention.clone().matmul(source.copy_matrix.clone());
                let mixed = generate.clone() * generated + (generate.clone().neg() + 1.0) * copied;
                (mixed, generate.squeeze_dim(2))
            }
        };
        (Mixture { probabilities, attention, generate }, state)
    }

    /// The words the model is trained to write: the true ones when it can copy, else the true
    /// ones with every word outside its vocabulary replaced by UNK.
    pub fn trained_targets(&self, task: &NamesTask, batch: &NamesBatch) -> Vec<i64> {
        match self.switch {
            Some(_) => batch.targets.clone(),
            None => batch.targets.iter().map(|&w| task.readable(w as usize) as i64).collect(),
        }
    }

    /// Teacher forcing: the mean of `-ln(P(y_t) + LOG_FLOOR)` over the target words and EOS.
    pub fn loss(&self, task: &NamesTask, batch: &NamesBatch, device: &Device) -> Tensor<1> {
        let source = self.encode(task, batch, device);
        let previous = Tensor::<1, Int>::from_ints(batch.decoder_input.as_slice(), device)
            .reshape([batch.batch, batch.time]);
        let last = source.last.clone();
        let (mixture, _) = self.step(&source, previous, last);
        let targets = Tensor::<1, Int>::from_ints(self.trained_targets(task, batch).as_slice(), device);
        let chosen = mixture.probabilities.gather(2, targets.reshape([batch.batch, batch.time, 1]));
        let weights =
            Tensor::<1>::from_floats(batch.weights.as_slice(), device).reshape([batch.batch, batch.time, 1]);
        let total: f32 = batch.weights.iter().sum();
        -((chosen + LOG_FLOOR).log() * weights).sum() / total
    }
}

/// One word written by greedy decoding, and where it came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Written {
    pub word: usize,
    /// `p_gen` at this step.
    pub generate: f32,
    /// The source position with the most attention.
    pub attended: usize,
}

/// Greedy translation of `batch`'s sources: per sentence, the words up to EOS (at most
/// `max_words`). Run it on a model without autodiff.
pub fn translate(
    model: &PointerGenerator,
    task: &NamesTask,
    batch: &NamesBatch,
    max_words: usize,
    device: &Device,
) -> Vec<Vec<Written>> {
    let source = model.encode(task, batch, device);
    let mut state = source.last.clone();
    let mut previous = vec![BOS as i64; batch.batch];
    let mut written: Vec<Vec<Written>> = vec![Vec::new(); batch.batch];
    let mut done = vec![false; batch.batch];
    for _ in 0..max_words {
        let input = Tensor::<1, Int>::from_ints(previous.as_slice(), device).unsqueeze_dim(1);
        let (mixture, next) = model.step(&source, input, state);
        state = next;
        let words: Vec<i64> =
            mixture.probabilities.argmax(2).into_data().convert::<i64>().try_into_vec().expect("ids");
        let attended: Vec<i64> =
            mixture.attention.argmax(2).into_data().convert::<i64>().try_into_vec().expect("ids");
        let generate: Vec<f32> =
            mixture.generate.into_data().convert::<f32>().try_into_vec().expect("floats");
        for b in 0..batch.batch {
            let word = words[b] as usize;
            if !done[b] && word == EOS {
                done[b] = true;
            } else if !done[b] {
                written[b].push(Written { word, generate: generate[b], attended: attended[b] as usize });
            }
            previous[b] = task.readable(word) as i64;
        }
        if done.iter().all(|&d| d) {
            break;
        }
    }
    written
}
