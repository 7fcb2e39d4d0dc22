//! Generating an output sequence from a trained encoder-decoder, one token at a time, behind one
//! interface: [`decode`] with a [`Strategy`].
//!
//! ```text
//! greedy:       y_t = argmax_y p(y | y_<t, x)
//! beam (k):     keep the k prefixes of highest log p(y_≤t | x) = Σ_i log p(y_i | y_<i, x);
//!               extend each by every token, keep the best k; a prefix ending in EOS is done
//! sampling (τ): y_t ~ softmax(logits / τ)   (τ → 0: greedy; τ = 1: the model's distribution;
//!               τ > 1: flatter, more diverse, more mistakes)
//! ```
//!
//! Greedy decoding is beam search with k = 1. Neither is guaranteed to find the most probable
//! sequence (that would need all V^T of them), but a wider beam looks at more of them. Every
//! [`Hypothesis`] carries its log-probability under the model, so strategies can be compared.

use crate::seq2seq::{Encoded, Seq2Seq, StepOutput};
use anyhow::{Result, ensure};
use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use rand::RngExt;
use serde::Serialize;
use shared::data::synthetic::seeded_rng;
use shared::data::synthetic::token_tasks::{BOS, EOS};

/// A decoder that writes one token at a time while reading an encoded source: the
/// encoder-decoder ([`Seq2Seq`]) and the captioner ([`crate::caption::Captioner`]).
pub trait StepDecoder {
    /// The next token's logits from the previous tokens `[batch]` and the decoder state
    /// `[batch, H]`.
    fn step(&self, encoded: &Encoded, previous: Tensor<1, Int>, state: Tensor<2>) -> StepOutput;
}

impl StepDecoder for Seq2Seq {
    fn step(&self, encoded: &Encoded, previous: Tensor<1, Int>, state: Tensor<2>) -> StepOutput {
        Seq2Seq::step(self, encoded, previous, state)
    }
}

/// Greedy decoding of every row of an already encoded source, at most `max_steps` tokens.
pub fn greedy(model: &impl StepDecoder, encoded: Encoded, max_steps: usize) -> Vec<Hypothesis> {
    stepwise(model, encoded, max_steps, argmax)
}

/// How to pick the next token.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Strategy {
    /// The most probable token at every step.
    Greedy,
    /// Beam search keeping `width` prefixes.
    Beam { width: usize },
    /// A draw from the softmax of `logits / temperature`.
    Sample { temperature: f64 },
}

/// One generated sequence.
#[derive(Clone, Debug, PartialEq)]
pub struct Hypothesis {
    /// The tokens before EOS (all of them if EOS never came within the step limit).
    pub tokens: Vec<i64>,
    /// `Σ_t log p(y_t | y_<t, x)` over the generated tokens, EOS included.
    pub log_prob: f64,
    /// For an attending model, `α_t` over the source `[S]` for every generated token (EOS
    /// included); empty otherwise.
    pub weights: Vec<Vec<f32>>,
}

/// Decodes each row of `source: [batch, S]` with `strategy`, at most `max_steps` tokens
/// (EOS included); `seed` drives sampling.
pub fn decode(
    model: &Seq2Seq,
    source: Tensor<2, Int>,
    max_steps: usize,
    strategy: Strategy,
    seed: u64,
) -> Result<Vec<Hypothesis>> {
    ensure!(max_steps >= 1, "decoding needs at least one step, got max_steps = 0");
    match strategy {
        Strategy::Greedy => Ok(greedy(model, model.encode(source), max_steps)),
        Strategy::Beam { width } => {
            ensure!(width >= 1, "beam search needs a width of at least 1, got 0");
            let batch = source.dims()[0];
            (0..batch).map(|i| beam(model, source.clone().narrow(0, i, 1), max_steps, width)).collect()
        }
        Strategy::Sample { temperature } => {
            ensure!(
                temperature.is_finite() && temperature > 0.0,
                "the sampling temperature must be positive and finite, got {temperature}"
            );
            let mut rng = seeded_rng(seed);
            Ok(stepwise(model, model.encode(source), max_steps, |row| sample(row, temperature, &mut rng)))
        }
    }
}

/// `log softmax(logits)` of a step, `[rows, V]`, as one `Vec` per row.
fn log_probs(logits: Tensor<2>) -> Vec<Vec<f32>> {
    let vocab = logits.dims()[1];
    let flat: Vec<f32> = log_softmax(logits, 1).into_data().iter::<f32>().collect();
    flat.chunks(vocab).map(<[f32]>::to_vec).collect()
}

fn rows(weights: Option<Tensor<2>>) -> Vec<Vec<f32>> {
    weights.map_or_else(Vec::new, |w| {
        let sources = w.dims()[1];
        let flat: Vec<f32> = w.into_data().iter::<f32>().collect();
        flat.chunks(sources).map(<[f32]>::to_vec).collect()
    })
}

fn argmax(row: &[f32]) -> usize {
    (0..row.len()).fold(0, |best, i| if row[i] > row[best] { i } else { best })
}

/// A draw from `softmax(log_probs / τ)` (log-probabilities differ from logits by a constant).
fn sample(row: &[f32], temperature: f64, rng: &mut impl RngExt) -> usize {
    let top = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let weights: Vec<f64> = row.iter().map(|&l| ((l as f64 - top) / temperature).exp()).collect();
    let mut u = rng.random::<f64>() * weights.iter().sum::<f64>();
    for (token, w) in weights.iter().enumerate() {
        u -= w;
        if u <= 0.0 {
            return token;
        }
    }
    weights.len() - 1
}

fn tokens_tensor(tokens: &[i64], device: &Device) -> Tensor<1, Int> {
    Tensor::from_data(TensorData::new(tokens.to_vec(), [tokens.len()]), device)
}

/// Greedy or sampled decoding of the whole batch at once; `choose(log_probs)` picks a
/// row's next token.
fn stepwise(
    model: &impl StepDecoder,
    encoded: Encoded,
    max_steps: usize,
    mut choose: impl FnMut(&[f32]) -> usize,
) -> Vec<Hypothesis> {
    let batch = encoded.memory.dims()[0];
    let device = encoded.memory.device();
    let mut state = encoded.last.clone();
    let mut previous = vec![BOS; batch];
    let mut out = vec![Hypothesis { tokens: Vec::new(), log_prob: 0.0, weights: Vec::new() }; batch];
    let mut done = vec![false; batch];
    for _ in 0..max_steps {
        let output = model.step(&encoded, tokens_tensor(&previous, &device), state);
        state = output.state;
        let weights = rows(output.weights);
        for (i, row) in log_probs(output.logits).iter().enumerate() {
            let token = choose(row) as i64;
            previous[i] = token;
            if done[i] {
                continue;
            }
            let h = &mut out[i];
            h.log_prob += row[token as usize] as f64;
            if let Some(w) = weights.get(i) {
                h.weights.push(w.clone());
            }
            if token == EOS {
                done[i] = true;
            } else {
                h.tokens.push(token);
            }
        }
        if done.iter().all(|&d| d) {
            break;
        }
    }
    out
}

/// Beam search of width `width` for one source row `[1, S]`.
fn beam(model: &Seq2Seq, source: Tensor<2, Int>, max_steps: usize, width: usize) -> Result<Hypothesis> {
    let device = source.device();
    let encoded = model.encode(source);
    let mut alive = vec![Hypothesis { tokens: Vec::new(), log_prob: 0.0, weights: Vec::new() }];
    let mut states = encoded.last.clone();
    let mut finished: Vec<Hypothesis> = Vec::new();
    for _ in 0..max_steps {
        let count = alive.len();
        let expanded = Encoded {
            memory: encoded.memory.clone().repeat_dim(0, count),
            last: encoded.last.clone().repeat_dim(0, count),
        };
        let previous: Vec<i64> = alive.iter().map(|h| h.tokens.last().copied().unwrap_or(BOS)).collect();
        let output = model.step(&expanded, tokens_tensor(&previous, &device), states);
        let weights = rows(output.weights);
        let scores = log_probs(output.logits);
        let mut candidates: Vec<(f64, usize, usize)> = Vec::with_capacity(count * scores[0].len());
        for (b, row) in scores.iter().enumerate() {
            for (token, &lp) in row.iter().enumerate() {
                candidates.push((alive[b].log_prob + lp as f64, b, token));
            }
        }
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0));
        let mut next: Vec<(Hypothesis, i64)> = Vec::with_capacity(width);
        for &(log_prob, b, token) in candidates.iter().take(width) {
            let mut h = alive[b].clone();
            h.log_prob = log_prob;
            if let Some(w) = weights.get(b) {
                h.weights.push(w.clone());
            }
            if token as i64 == EOS {
                finished.push(h);
            } else {
                h.tokens.push(token as i64);
                next.push((h, b as i64));
            }
        }
        let best_finished = finished.iter().map(|h| h.log_prob).fold(f64::NEG_INFINITY, f64::max);
        // Log-probabilities only fall as a prefix grows: a live prefix that already trails a
        // finished sequence can never beat it.
        next.retain(|(h, _)| h.log_prob > best_finished);
        if next.is_empty() {
            break;
        }
        let parents: Vec<i64> = next.iter().map(|&(_, b)| b).collect();
        states = output.state.select(0, tokens_tensor(&parents, &device));
        alive = next.into_iter().map(|(h, _)| h).collect();
    }
    // Sequences that reached EOS first; only if none did, the best unfinished prefix.
    let pool = if finished.is_empty() { alive } else { finished };
    pool.into_iter().max_by(|a, b| a.log_prob.total_cmp(&b.log_prob)).ok_or_else(|| {
        anyhow::anyhow!("beam search ended with no hypothesis (width {width}, {max_steps} steps)")
    })
}
