//! Training an encoder-decoder on a digit-token task and measuring it by what it generates, as
//! every token experiment does; training runs in the shared loop ([`shared::train::Fit`]).
//!
//! Every step draws a fresh batch (no training set to memorise) whose sequences all share one
//! length, drawn uniformly from `shortest..=longest`, so no padding is needed. The loss is the
//! mean cross-entropy of the target tokens (digits and EOS). Adam with per-tensor gradient-norm
//! clipping takes the step. The measure is **token accuracy under greedy decoding**: the share
//! of target digits the model writes at the right position when it feeds itself its own
//! outputs, as at test time (a missing digit counts as wrong).

use crate::decoding::{Hypothesis, Strategy, decode};
use crate::seq2seq::Seq2Seq;
use anyhow::Result;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::*;
use rand::RngExt;
use serde::{Serialize, Serializer};
use shared::data::synthetic::seeded_rng;
use shared::data::synthetic::token_tasks::{PAD, TokenPairs, TokenTask, token_pairs};
use shared::data::{batch_seed, sub_seed};
use shared::report::ExperimentRecord;
use shared::train::{Fit, FusedAdamConfig};

/// How to train on a token task.
#[derive(Clone, Debug, Serialize)]
pub struct TokenTraining {
    /// Copy, reverse or sort.
    #[serde(serialize_with = "task_name")]
    pub task: TokenTask,
    /// Shortest and longest training sequence (digits, before EOS).
    pub shortest: usize,
    pub longest: usize,
    /// Sequences per step.
    pub batch: usize,
    /// Optimiser steps.
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Each parameter tensor's gradient is rescaled to at most this L2 norm.
    pub clip_norm: f32,
}

fn task_name<S: Serializer>(task: &TokenTask, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{task:?}").to_lowercase())
}

/// The random streams of the test sets, one sub-stream per sequence length (training batches
/// use [`batch_seed`]).
const TEST_SETS: u64 = 0;

/// The seed of a run's test set of sequences of `length`: apart from every training batch's seed.
pub fn test_seed(seed: u64, length: usize) -> u64 {
    sub_seed(sub_seed(seed, TEST_SETS), length as u64)
}

/// Mean cross-entropy of `logits: [batch, T, V]` against `targets: [batch, T]`, PAD ignored.
pub fn token_cross_entropy(logits: Tensor<3>, targets: Tensor<2, Int>) -> Tensor<1> {
    let [batch, time, vocab] = logits.dims();
    CrossEntropyLossConfig::new()
        .with_pad_tokens(Some(vec![PAD as usize]))
        .init(&logits.device())
        .forward(logits.reshape([batch * time, vocab]), targets.reshape([batch * time]))
}

/// The teacher-forced loss of `model` on `pairs`.
pub fn teacher_forced_loss(model: &Seq2Seq, pairs: &TokenPairs, device: &Device) -> Result<Tensor<1>> {
    let output = model.forward(pairs.source_tensor(device)?, pairs.decoder_input_tensor(device)?);
    Ok(token_cross_entropy(output.logits, pairs.decoder_target_tensor(device)?))
}

/// Trains `model` for `training.steps` steps with `loss(model, batch, step)`, tracing the loss
/// into the record's curve `<label> loss`. A NaN or infinite loss is an error.
pub fn train(
    label: &str,
    model: Seq2Seq,
    training: &TokenTraining,
    seed: u64,
    record: &mut ExperimentRecord,
    mut loss: impl FnMut(&Seq2Seq, &TokenPairs, u64) -> Result<Tensor<1>>,
) -> Result<Seq2Seq> {
    let mut lengths = seeded_rng(seed);
    let schedule = Schedule {
        steps: training.steps,
        learning_rate: training.learning_rate,
        clip_norm: training.clip_norm,
    };
    fit(label, model, &schedule, "cross-entropy per token (nats)", record, |model, step| {
        let length = lengths.random_range(training.shortest..=training.longest);
        let pairs = token_pairs(training.task, training.batch, length..=length, batch_seed(seed, step))?;
        loss(model, &pairs, step)
    })
}

/// How long and how fast [`fit`] trains.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    /// Optimiser steps.
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Each parameter tensor's gradient is rescaled to at most this L2 norm.
    pub clip_norm: f32,
}

/// Trains in the shared loop: `schedule.steps` Adam steps (with per-tensor gradient-norm
/// clipping) on `loss(model, step)`, which draws its own batch. Traces the loss (measured in
/// `unit`) into the record's curve `<label> loss` and sets the metric `<label> final training
/// loss`; a NaN or infinite loss is an error.
pub fn fit<M: Module>(
    label: &str,
    model: M,
    schedule: &Schedule,
    unit: &str,
    record: &mut ExperimentRecord,
    loss: impl FnMut(&M, u64) -> Result<Tensor<1>>,
) -> Result<M> {
    let optimiser = FusedAdamConfig::new()
        .with_grad_clipping(Some(GradientClippingConfig::Norm(schedule.clip_norm)))
        .init();
    let fitted = Fit::new(label, schedule.steps, schedule.learning_rate)
        .loss_curve(format!("{label} loss"), unit)
        .curve_points(50)
        .run(model, optimiser, record, loss)?;
    record.set_metric(format!("{label} final training loss"), fitted.final_loss);
    Ok(fitted.model)
}

/// `count` test sequences of `length` digits and the model's decoding of each, on `device`
/// without autodiff.
pub fn decode_test_set(
    model: &Seq2Seq,
    task: TokenTask,
    length: usize,
    count: usize,
    seed: u64,
    strategy: Strategy,
    device: &Device,
) -> Result<(TokenPairs, Vec<Hypothesis>)> {
    let plain = device.clone().inner();
    let pairs = token_pairs(task, count, length..=length, test_seed(seed, length))?;
    let model = model.valid();
    let decoded = decode(&model, pairs.source_tensor(&plain)?, length + 1, strategy, seed)?;
    Ok((pairs, decoded))
}

/// The share of target digits of `pairs` that `decoded` has at the right position.
pub fn token_accuracy(pairs: &TokenPairs, decoded: &[Hypothesis]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    for (i, h) in decoded.iter().enumerate() {
        let length = pairs.lengths[i];
        let target = &pairs.decoder_target[i * pairs.time..i * pairs.time + length];
        right += target.iter().zip(&h.tokens).filter(|(t, y)| t == y).count();
        total += length;
    }
    right as f64 / total.max(1) as f64
}

/// Greedy token accuracy of `model` on `count` fresh sequences of `length` digits.
pub fn greedy_accuracy(
    model: &Seq2Seq,
    task: TokenTask,
    length: usize,
    count: usize,
    seed: u64,
    device: &Device,
) -> Result<f64> {
    let (pairs, decoded) = decode_test_set(model, task, length, count, seed, Strategy::Greedy, device)?;
    Ok(token_accuracy(&pairs, &decoded))
}

/// Token accuracy of `model` on `count` fresh sequences of `length` digits when every step is
/// fed the true previous token (teacher forcing at test time): what the model could do if it
/// never saw its own mistakes.
pub fn teacher_forced_accuracy(
    model: &Seq2Seq,
    task: TokenTask,
    length: usize,
    count: usize,
    seed: u64,
    device: &Device,
) -> Result<f64> {
    let plain = device.clone().inner();
    let pairs = token_pairs(task, count, length..=length, test_seed(seed, length))?;
    let model = model.valid();
    let logits = model.forward(pairs.source_tensor(&plain)?, pairs.decoder_input_tensor(&plain)?).logits;
    let predicted: Vec<i64> = logits.argmax(2).into_data().iter::<i64>().collect();
    let decoded: Vec<Hypothesis> = predicted
        .chunks(pairs.time)
        .map(|row| Hypothesis { tokens: row.to_vec(), log_prob: 0.0, weights: Vec::new() })
        .collect();
    Ok(token_accuracy(&pairs, &decoded))
}
