//! What the decoder is fed during training: the truth, its own output, or a schedule between the
//! two (Bengio et al. 2015, "Scheduled sampling").
//!
//! ```text
//! teacher forcing:      y_in_t = y*_{t-1}                         (the true previous token)
//! own output:           y_in_t = argmax p(y | ·)_{t-1}            (what the model just wrote)
//! scheduled sampling:   y_in_t = y*_{t-1} with probability ε_i, else the model's own token,
//!                       ε_i = k / (k + exp(i / k))                 (inverse-sigmoid decay in step i)
//! ```
//!
//! The loss is always the cross-entropy of the true next token `y*_t`. Teacher forcing trains on
//! prefixes the model never produces itself at test time ("exposure bias"): one mistake puts it
//! off the road it was trained on. Feeding its own output from the start trains on garbage
//! prefixes while the model is still bad. Scheduled sampling starts with the truth and hands
//! over to the model as it improves. The own-output token is an argmax, not differentiated
//! through (as in the paper).

use crate::seq2seq::Seq2Seq;
use anyhow::{Result, ensure};
use burn::prelude::*;
use rand::RngExt;
use serde::Serialize;
use std::fmt;

/// A training regime.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Regime {
    /// Always the true previous token.
    TeacherForcing,
    /// Always the model's own previous output.
    OwnOutput,
    /// The truth with probability `k / (k + exp(step / k))`.
    ScheduledSampling { k: f64 },
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Regime::TeacherForcing => f.write_str("teacher forcing"),
            Regime::OwnOutput => f.write_str("own output"),
            Regime::ScheduledSampling { .. } => f.write_str("scheduled sampling"),
        }
    }
}

impl Regime {
    /// ε_i: the probability of feeding the true token at training step `step`.
    pub fn truth_probability(&self, step: u64) -> f64 {
        match *self {
            Regime::TeacherForcing => 1.0,
            Regime::OwnOutput => 0.0,
            Regime::ScheduledSampling { k } => k / (k + (step as f64 / k).exp()),
        }
    }
}

/// Logits `[batch, T, V]` of a decoder that, at each step and for each sequence, reads the true
/// previous token (`decoder_input: [batch, T]`, row-major) with probability `truth`, else its
/// own argmax from the step before.
pub fn mixed_feed_logits(
    model: &Seq2Seq,
    source: Tensor<2, Int>,
    decoder_input: &[i64],
    truth: f64,
    rng: &mut impl RngExt,
) -> Result<Tensor<3>> {
    let [batch, _] = source.dims();
    ensure!(
        batch > 0 && decoder_input.len().is_multiple_of(batch),
        "decoder input of {} tokens does not fit a batch of {batch}",
        decoder_input.len()
    );
    let time = decoder_input.len() / batch;
    let device = source.device();
    if truth >= 1.0 {
        let input = Tensor::from_data(TensorData::new(decoder_input.to_vec(), [batch, time]), &device);
        return Ok(model.forward(source, input).logits);
    }
    let encoded = model.encode(source);
    let mut state = encoded.last.clone();
    let mut own: Vec<i64> = Vec::new();
    let mut steps = Vec::with_capacity(time);
    for t in 0..time {
        let fed: Vec<i64> = (0..batch)
            .map(|b| {
                let true_token = decoder_input[b * time + t];
                if t == 0 || rng.random::<f64>() < truth { true_token } else { own[b] }
            })
            .collect();
        let previous = Tensor::from_data(TensorData::new(fed, [batch]), &device);
        let output = model.step(&encoded, previous, state);
        state = output.state;
        own = output.logits.clone().detach().argmax(1).into_data().iter::<i64>().collect();
        steps.push(output.logits);
    }
    Ok(Tensor::stack(steps, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inverse_sigmoid_schedule_starts_near_one_and_decays_to_zero() {
        let regime = Regime::ScheduledSampling { k: 50.0 };
        assert!((regime.truth_probability(0) - 50.0 / 51.0).abs() < 1e-12);
        let probabilities: Vec<f64> = (0..1000).step_by(50).map(|i| regime.truth_probability(i)).collect();
        assert!(probabilities.windows(2).all(|w| w[1] < w[0]), "{probabilities:?}");
        // ε = 1/2 where exp(i/k) = k: i = k ln k ≈ 195.6.
        assert!((regime.truth_probability(196) - 0.5).abs() < 0.01);
        assert!(regime.truth_probability(999) < 1e-6);
        assert_eq!(Regime::TeacherForcing.truth_probability(10_000), 1.0);
        assert_eq!(Regime::OwnOutput.truth_probability(0), 0.0);
    }
}
