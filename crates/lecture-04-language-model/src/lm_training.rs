//! Training (in the shared loop, [`shared::train::Fit`]) and scoring the neural language models.
//!
//! The loss is the mean negative log-likelihood of the next token, `-(1/N) Σ log P(w | h)`,
//! whose exponential is the perplexity. Adam takes the steps, each parameter tensor's gradient
//! clipped to a maximum norm. Recurrent models read the training text as `B` streams in windows
//! of `T` steps, carrying the state across windows (truncated BPTT); window models (feed-forward,
//! low-rank bigram) read random positions. Scoring returns `log P` of every position
//! `1 ..= B L` of a split (see [`crate::streams`]), so the numbers of different models can be
//! compared and mixed token by token.

use crate::feedforward_lm::WindowLm;
use crate::recurrent_lm::{RecurrentLm, RecurrentState};
use crate::streams::Streams;
use anyhow::{Context, Result};
use burn::module::Module;
use burn::optim::ModuleOptimizer;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::Tensor;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use shared::report::ExperimentRecord;
use shared::train::{Fit, FusedAdamConfig};
use std::time::Instant;

/// How to train one neural LM.
#[derive(Clone, Debug, Serialize)]
pub struct Training {
    /// Optimiser steps.
    pub steps: u64,
    /// Streams (recurrent) or positions (window models) per step.
    pub batch: usize,
    /// Steps of backpropagation through time per window (recurrent models only).
    pub time: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Each parameter tensor's gradient norm is clipped to this.
    pub clip_norm: f32,
}

/// A trained model and how long its steps took.
pub struct Trained<M> {
    pub model: M,
    /// Mean training loss (nats per token) over the last tenth of the steps.
    pub final_loss: f64,
    /// Wall-clock seconds per optimiser step.
    pub seconds_per_step: f64,
}

/// Trains a recurrent LM on `tokens` by truncated BPTT; the curve `<label> train loss` goes into
/// `record`.
pub fn train_recurrent(
    label: &str,
    model: RecurrentLm,
    tokens: &[usize],
    training: &Training,
    record: &mut ExperimentRecord,
) -> Result<Trained<RecurrentLm>> {
    let streams = Streams::new(tokens, training.batch).context("training text")?;
    let mut windows = streams.windows(training.time);
    let mut state: Option<RecurrentState> = None;
    fit(label, model, training, record, |model, _| {
        let window = match windows.next() {
            Some(window) => window,
            None => {
                windows = streams.windows(training.time);
                state = None;
                windows.next().expect("a pass has at least one window")
            }
        };
        let (log_probs, _, next) = model.window_log_probs(&window, state.take());
        state = Some(next.detach());
        Ok(log_probs.mean().neg())
    })
}

/// Trains a window LM on random positions of `tokens` (seeded by `seed`).
pub fn train_window<M: WindowLm + Module>(
    label: &str,
    model: M,
    tokens: &[usize],
    training: &Training,
    seed: u64,
    record: &mut ExperimentRecord,
) -> Result<Trained<M>> {
    anyhow::ensure!(tokens.len() > 1, "{label}: the training text has fewer than two tokens");
    let mut rng = StdRng::seed_from_u64(seed);
    fit(label, model, training, record, |model, _| {
        let positions: Vec<usize> = (0..training.batch).map(|_| rng.random_range(1..tokens.len())).collect();
        let contexts = contexts_of(tokens, &positions, model.context_size());
        let targets: Vec<usize> = positions.iter().map(|&p| tokens[p]).collect();
        Ok(model.target_log_probs(&contexts, &targets).mean().neg())
    })
}

/// How both kinds of LM train, in the shared loop: Adam with clipped gradients on `loss_at`, the
/// curve `<label> train loss` in nats per token, and the wall time per step.
fn fit<M: Module>(
    label: &str,
    model: M,
    training: &Training,
    record: &mut ExperimentRecord,
    loss_at: impl FnMut(&M, u64) -> Result<Tensor<1>>,
) -> Result<Trained<M>> {
    let started = Instant::now();
    let fitted = Fit::new(label, training.steps, training.learning_rate)
        .loss_unit("nats per token")
        .curve_points(50)
        .run(model, adam(training), record, loss_at)?;
    let seconds_per_step = started.elapsed().as_secs_f64() / training.steps.max(1) as f64;
    Ok(Trained { model: fitted.model, final_loss: fitted.final_loss, seconds_per_step })
}

fn adam(training: &Training) -> ModuleOptimizer {
    FusedAdamConfig::new().with_grad_clipping(Some(GradientClippingConfig::Norm(training.clip_norm))).init()
}

/// The `context` tokens before each position, row-major `[N, context]`; positions before the
/// start of the text read token 0 (`<unk>`).
pub fn contexts_of(tokens: &[usize], positions: &[usize], context: usize) -> Vec<usize> {
    let mut contexts = Vec::with_capacity(positions.len() * context);
    for &p in positions {
        contexts.extend((0..context).map(|k| (p + k).checked_sub(context).map_or(0, |i| tokens[i])));
    }
    contexts
}

/// `log P(w_p | w_{p-n+1} .. w_{p-1})` of a window LM for positions `1 ..= count`.
pub fn window_log_probs(model: &impl WindowLm, tokens: &[usize], count: usize) -> Vec<f64> {
    let positions: Vec<usize> = (1..=count).collect();
    let mut out = Vec::with_capacity(count);
    for chunk in positions.chunks(1024) {
        let contexts = contexts_of(tokens, chunk, model.context_size());
        let targets: Vec<usize> = chunk.iter().map(|&p| tokens[p]).collect();
        out.extend(to_f64(model.target_log_probs(&contexts, &targets)));
    }
    out
}

/// `log P(w_p | w_0 .. w_{p-1})` of a recurrent LM (no autodiff) for positions `1 ..= B L` of
/// `tokens` read as `batch` streams in windows of `time` steps. `visit` sees every window's
/// targets, hidden states `[B, T, hidden]` and log-probabilities, in order (for the cache).
pub fn recurrent_log_probs(
    model: &RecurrentLm,
    tokens: &[usize],
    batch: usize,
    time: usize,
    mut visit: impl FnMut(&crate::streams::Window, Tensor<3>, &[f64]),
) -> Result<Vec<f64>> {
    let streams = Streams::new(tokens, batch)?;
    let mut out = vec![0.0; streams.predictions()];
    let mut state = None;
    for window in streams.windows(time) {
        let (log_probs, hidden, next) = model.window_log_probs(&window, state);
        state = Some(next);
        let log_probs = to_f64(log_probs);
        for (&position, &lp) in window.positions.iter().zip(&log_probs) {
            out[position - 1] = lp;
        }
        visit(&window, hidden, &log_probs);
    }
    Ok(out)
}

/// A `[N]` tensor's values as `f64`.
pub fn to_f64(tensor: Tensor<1>) -> Vec<f64> {
    tensor.into_data().iter::<f64>().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diverging_run_is_an_error_that_says_so() {
        use crate::feedforward_lm::FeedForwardLm;
        use shared::testing::seeded;
        let tokens: Vec<usize> = (0..200).map(|i| (i * 7) % 5).collect();
        let training = Training { steps: 30, batch: 8, time: 1, learning_rate: 1e38, clip_norm: 1e30 };
        let err = seeded(0, |device| {
            let model = FeedForwardLm::new(5, 2, [3, 4], 0.0, device);
            let mut record = ExperimentRecord::new("lecture-99-demo", "diverge");
            train_window("FF", model, &tokens, &training, 0, &mut record).err().expect("lr 1e38 must blow up")
        });
        let message = format!("{err:#}");
        assert!(message.contains("FF diverged") && message.contains("training loss"), "{message}");
    }

    #[test]
    fn contexts_pad_the_start_with_token_zero() {
        assert_eq!(contexts_of(&[5, 6, 7, 8], &[1, 3], 2), vec![0, 5, 6, 7]);
    }
}
