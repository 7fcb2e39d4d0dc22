//! Training a [`PointerNet`] on a pointer task in the shared loop, and measuring its answers.
//!
//! Each step draws a fresh batch: one `n` uniform in the training range and `batch` instances
//! with `n` inputs (one length per batch, so no padding of the inputs). The loss is the mean
//! negative log-likelihood of the true answer's steps under teacher forcing
//! ([`PointerNet::loss`]); Adam with gradients clipped at norm 2 (as Vinyals et al.) takes the
//! step. Test sets are drawn from their own seed stream, one per `n`.

use crate::decoding::{beam_search, greedy};
use crate::encoder_decoder::EncoderDecoderConfig;
use crate::pointer_net::{OutputKind, PointerNet, PointerNetConfig};
use crate::tasks::{PointerBatch, PointerTask};
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig};

/// The seed stream of the weights.
const WEIGHTS: u64 = 1;
/// The seed stream of the test sets (one sub-stream per `n`).
const TEST_SETS: u64 = 2;

/// How to train.
#[derive(Clone, Debug, Serialize)]
pub struct Training {
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    /// Inputs per training instance: uniform in `shortest..=longest`.
    pub shortest: usize,
    pub longest: usize,
}

/// The two arms every point experiment compares, trained alike on `task`: the pointer network
/// (`"pointer"`) and the same encoder-decoder whose output is a fixed vocabulary of positions
/// `1..=n_max`, `n_max` the longest training input (`"fixed vocabulary"`): `(label, output
/// kind, trained model)` each.
pub fn train_both_arms(
    task: PointerTask,
    embedding: usize,
    hidden: usize,
    training: &Training,
    run: &Run,
    record: &mut ExperimentRecord,
) -> Result<Vec<(&'static str, OutputKind, PointerNet)>> {
    let core = EncoderDecoderConfig { features: task.features(), embedding, hidden };
    let arms = [
        ("pointer", OutputKind::Pointer),
        ("fixed vocabulary", OutputKind::FixedVocabulary { n_max: training.longest }),
    ];
    arms.into_iter()
        .map(|(label, output)| {
            let config = PointerNetConfig { core, output };
            Ok((label, output, train(label, &config, task, training, run.seed, &run.device, record)?))
        })
        .collect()
}

/// Trains a model of `config` on `task`; adds `<label> train loss` to `record`.
pub fn train(
    label: &str,
    config: &PointerNetConfig,
    task: PointerTask,
    training: &Training,
    seed: u64,
    device: &Device,
    record: &mut ExperimentRecord,
) -> Result<PointerNet> {
    ensure!(
        training.shortest >= 1 && training.shortest <= training.longest,
        "training lengths {}..={} are not a range of input counts",
        training.shortest,
        training.longest
    );
    let model = seeded_on(device, sub_seed(seed, WEIGHTS), |d| config.init(d));
    let optimiser = FusedAdamConfig::new().with_grad_clipping(Some(GradientClippingConfig::Norm(2.0))).init();
    let span = (training.longest - training.shortest + 1) as u64;
    let fitted = Fit::new(label, training.steps, training.learning_rate)
        .loss_unit("negative log-likelihood")
        .run(model, optimiser, record, |model, step| {
            let batch_seed = batch_seed(seed, step);
            let n = training.shortest + (sub_seed(batch_seed, 0) % span) as usize;
            let batch = PointerBatch::draw(task, training.batch, n, batch_seed)?;
            Ok(model.loss(&batch, device))
        })?;
    Ok(fitted.model)
}

/// `count` test instances of `task` with `n` inputs, the same for every model of a run.
pub fn test_set(task: PointerTask, n: usize, count: usize, seed: u64) -> Result<PointerBatch> {
    PointerBatch::draw(task, count, n, sub_seed(sub_seed(seed, TEST_SETS), n as u64))
}

/// The answers of `model` to `batch`, decoded greedily (`beam` 1) or by beam search, without
/// autodiff.
pub fn answers(model: &PointerNet, batch: &PointerBatch, beam: usize, device: &Device) -> Vec<Vec<usize>> {
    let plain = device.clone().inner();
    let model = model.valid();
    let inputs = batch.inputs_tensor(&plain);
    match beam {
        1 => greedy(&model, inputs, batch.task.stop_rule()).answers,
        width => beam_search(&model, inputs, batch.task.stop_rule(), width),
    }
}

/// How many of `answers` equal the true ones exactly, and how many of the true answers' steps
/// they got right (position by position), as fractions.
pub fn exact_and_stepwise(batch: &PointerBatch, answers: &[Vec<usize>]) -> (f64, f64) {
    let exact = answers.iter().zip(&batch.answers).filter(|(a, t)| a == t).count();
    let steps: usize = batch.answers.iter().map(Vec::len).sum();
    let right: usize = answers
        .iter()
        .zip(&batch.answers)
        .map(|(a, t)| a.iter().zip(t).filter(|(x, y)| x == y).count())
        .sum();
    (exact as f64 / answers.len() as f64, right as f64 / steps as f64)
}
