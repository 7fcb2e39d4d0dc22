//! Training and scoring the neural language models: the loops every experiment shares.
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
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::Tensor;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use shared::report::ExperimentRecord;
use shared::train::{FusedAdamConfig, LossTrace, Progress, ensure_finite};
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

/// One optimiser step's bookkeeping: NaN check, curve, progress.
fn observe(
    label: &str,
    step: u64,
    loss: &Tensor<1>,
    trace: &mut LossTrace,
    record: &mut ExperimentRecord,
    progress: &Progress,
) -> Result<()> {
    let value = loss.clone().into_scalar::<f32>() as f64;
    ensure_finite(step, "training loss", value).with_context(|| format!("{label} diverged"))?;
    trace.observe(step, value, record, progress);
    Ok(())
}

/// Trains a recurrent LM on `tokens` by truncated BPTT; the curve `<label> train loss` goes into
/// `record`.
pub fn train_recurrent(
    label: &str,
    mut model: RecurrentLm,
    tokens: &[usize],
    training: &Training,
    record: &mut ExperimentRecord,
) -> Result<Trained<RecurrentLm>> {
    let streams = Streams::new(tokens, training.batch).context("training text")?;
    let mut optimizer = adam(training);
    let curve = format!("{label} train loss");
    record.define_curve(&curve, "step", "nats per token");
    let mut trace = LossTrace::new(curve, training.steps, 50);
    let progress = Progress::new(label, training.steps);
    let started = Instant::now();
    let mut windows = streams.windows(training.time);
    let mut state: Option<RecurrentState> = None;
    for step in 0..training.steps {
        let window = match windows.next() {
            Some(window) => window,
            None => {
                windows = streams.windows(training.time);
                state = None;
                windows.next().expect("a pass has at least one window")
            }
        };
        let (log_probs, _, next) = model.window_log_probs(&window, state);
        state = Some(next.detach());
        let loss = log_probs.mean().neg();
        observe(label, step, &loss, &mut trace, record, &progress)?;
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(training.learning_rate, model, grads);
    }
    progress.finish(&[("loss", trace.final_loss())]);
    let seconds_per_step = started.elapsed().as_secs_f64() / training.steps.max(1) as f64;
    Ok(Trained { model, final_loss: trace.final_loss(), seconds_per_step })
}

/// Trains a window LM on random positions of `tokens` (seeded by `seed`).
pub fn train_window<M: WindowLm + Module>(
    label: &str,
    mut model: M,
    tokens: &[usize],
    training: &Training,
    seed: u64,
    record: &mut ExperimentRecord,
) -> Result<Trained<M>> {
    anyhow::ensure!(tokens.len() > 1, "{label}: the training text has fewer than two tokens");
    let mut optimizer = adam(training);
    let mut rng = StdRng::seed_from_u64(seed);
    let curve = format!("{label} train loss");
    record.define_curve(&curve, "step", "nats per token");
    let mut trace = LossTrace::new(curve, training.steps, 50);
    let progress = Progress::new(label, training.steps);
    let started = Instant::now();
    for step in 0..training.steps {
        let positions: Vec<usize> = (0..training.batch).map(|_| rng.random_range(1..tokens.len())).collect();
        let contexts = contexts_of(tokens, &positions, model.context_size());
        let targets: Vec<usize> = positions.iter().map(|&p| tokens[p]).collect();
        let loss = model.target_log_probs(&contexts, &targets).mean().neg();
        observe(label, step, &loss, &mut trace, record, &progress)?;
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(training.learning_rate, model, grads);
    }
    progress.finish(&[("loss", trace.final_loss())]);
    let seconds_per_step = started.elapsed().as_secs_f64() / training.steps.max(1) as f64;
    Ok(Trained { model, final_loss: trace.final_loss(), seconds_per_step })
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
