//! Claim 7: a three-layer pyramidal RNN reads 8x fewer steps at the top and trains faster per
//! step than a three-layer stacked RNN of the same width, at similar accuracy, on a long-sequence
//! task.
//!
//! **Task** ("majority"): `T` binary symbols fed one-hot (`[batch, T, 2]`); the label is the
//! symbol that occurs more often. The majority count is drawn uniformly from
//! `T/2 + margin ..= 3T/4` (no ties) and its positions at random, so every step counts and the
//! answer needs the whole sequence. (With a margin of 1 instead of `T/16`, the stacked LSTM did
//! not learn the quick task in 400 steps, 0.49, where the pyramid reached 0.98: its shorter paths
//! through time make the gradient's job easier, too.)
//!
//! **Models**: [`StackedRnn`] and [`PyramidalRnn`], each three LSTM layers of width `hidden`, and
//! a linear read-out of the top layer's last output. The stacked net runs `3T` cell steps per
//! sequence; the pyramid `T/2 + T/4 + T/8 = 7T/8` (on inputs twice as wide), its top layer `T/8`.
//!
//! **Timing**: each model trains in the shared loop on the same batches, the stacked one first;
//! a step is forward, backward and the Adam update, timed by the wall clock from the loss to the
//! end of the update, and the median over all steps is reported (so a stretch of other work on
//! the machine moves it only if it lasts for half the run).

use super::sequence_metrics::masked_cross_entropy;
use crate::any_cell::{AnyCell, CellKind};
use crate::feedforward::{FeedForward, FeedForwardConfig};
use crate::pyramidal::{PyramidalRnn, PyramidalRnnConfig};
use crate::stacked::{StackedRnn, StackedRnnConfig};
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::prelude::{Device, Int, Tensor};
use burn::tensor::s;
use rand::RngExt;
use rand::seq::index::sample;
use serde::Serialize;
use shared::data::synthetic::{float_tensor, int_tensor, seeded_rng};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::stats::median;
use shared::train::{Fit, FusedAdamConfig, accuracy};
use std::cell::{Cell, RefCell};
use std::time::Instant;

/// Number of layers of both models; the pyramid's top reads `2^LAYERS` times fewer steps.
pub const LAYERS: usize = 3;

/// The settings of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Sequence length T, a multiple of `2^LAYERS = 8`.
    pub time: usize,
    /// The majority symbol occurs at least `T/2 + margin` times.
    pub margin: usize,
    /// Width of every layer of both models.
    pub hidden: usize,
    /// Sequences per training batch.
    pub batch: usize,
    /// Training steps of each model.
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Test accuracy is measured every this many steps.
    pub eval_every: u64,
    /// Sequences in the test set.
    pub test_size: usize,
}

impl Config {
    /// Quick: T = 64, margin T/16, 400 steps; full: T = 128, margin T/8, 800 steps (with margin
    /// T/16 at T = 128 the stacked LSTM stayed at 0.51 after 800 steps, the pyramid reached 1.0).
    pub fn for_run(run: &Run) -> Config {
        let time = run.size(64, 128);
        Config {
            time,
            margin: time / run.size(16, 8),
            hidden: 24,
            batch: 32,
            steps: run.steps_or(400, 800),
            learning_rate: 5e-3,
            eval_every: run.size(50, 100),
            test_size: 512,
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.time > 0 && self.time.is_multiple_of(1 << LAYERS),
            "pyramidal: the sequence length {} must be a positive multiple of {}",
            self.time,
            1 << LAYERS
        );
        ensure!(
            self.margin >= 1 && self.time / 2 + self.margin <= 3 * self.time / 4,
            "pyramidal: the margin {} must be in 1..={}",
            self.margin,
            self.time / 4
        );
        ensure!(
            self.hidden > 0 && self.batch > 0 && self.test_size > 0 && self.eval_every > 0,
            "pyramidal: hidden, batch, test_size and eval_every must be positive"
        );
        Ok(())
    }
}

/// One model's measurements.
#[derive(Clone, Debug)]
pub struct ModelResult {
    /// Final test accuracy.
    pub accuracy: f64,
    /// Median wall time of one training step, seconds.
    pub median_step_s: f64,
    /// Steps each layer reads, bottom first.
    pub steps_per_layer: Vec<usize>,
    /// `(step, test accuracy)`.
    pub curve: Vec<(f64, f64)>,
}

/// What the experiment measured.
#[derive(Debug)]
pub struct Outcome {
    /// The record written to `out/<crate>/pyramidal.json`.
    pub record: ExperimentRecord,
    /// The three-layer stacked LSTM.
    pub stacked: ModelResult,
    /// The three-layer pyramidal LSTM.
    pub pyramidal: ModelResult,
    /// The input length T.
    pub time: usize,
}

/// A batch of the majority task: one-hot inputs `[batch, T, 2]` and labels `[batch, 1]`.
struct TaskBatch {
    inputs: Tensor<3>,
    labels: Tensor<2, Int>,
}

/// Draws `batch` sequences, a pure function of `seed`.
fn task_batch(config: &Config, batch: usize, seed: u64, device: &Device) -> Result<TaskBatch> {
    let time = config.time;
    let mut rng = seeded_rng(seed);
    let mut one_hot = vec![0.0f32; batch * time * 2];
    let mut labels = Vec::with_capacity(batch);
    for b in 0..batch {
        let majority = rng.random_range(0..2usize);
        let count = rng.random_range(time / 2 + config.margin..=3 * time / 4);
        let mut symbols = vec![1 - majority; time];
        for t in sample(&mut rng, time, count).iter() {
            symbols[t] = majority;
        }
        for (t, &symbol) in symbols.iter().enumerate() {
            one_hot[(b * time + t) * 2 + symbol] = 1.0;
        }
        labels.push(majority as i64);
    }
    Ok(TaskBatch {
        inputs: float_tensor(&one_hot, [batch, time, 2], device)?,
        labels: int_tensor(&labels, [batch, 1], device)?,
    })
}

/// The two encoders compared.
#[derive(Module, Debug)]
pub enum Encoder {
    /// Every layer reads all T steps.
    Stacked(StackedRnn<AnyCell>),
    /// Layer l reads `T / 2^l` steps.
    Pyramidal(PyramidalRnn<AnyCell>),
}

/// An encoder and a linear read-out of its top layer's last output.
#[derive(Module, Debug)]
pub struct Classifier {
    /// The recurrent layers.
    pub encoder: Encoder,
    /// `h_last -> 2` logits.
    pub head: FeedForward,
}

impl Classifier {
    /// Logits `[batch, 1, 2]` for `inputs: [batch, T, 2]`.
    fn logits(&self, inputs: Tensor<3>) -> Result<Tensor<3>> {
        let top = match &self.encoder {
            Encoder::Stacked(stack) => stack.forward(inputs, None).0,
            Encoder::Pyramidal(pyramid) => pyramid.forward(inputs)?.0,
        };
        let [batch, time, hidden] = top.dims();
        let last = top.slice(s![.., time - 1..time, ..]).reshape([batch, hidden]);
        Ok(self.head.forward(last).unsqueeze_dim(1))
    }

    /// Steps each layer reads for `time` input steps, bottom first.
    fn steps_per_layer(&self, time: usize) -> Result<Vec<usize>> {
        match &self.encoder {
            Encoder::Stacked(stack) => Ok(vec![time; stack.depth()]),
            Encoder::Pyramidal(pyramid) => pyramid.steps_per_layer(time),
        }
    }

    /// Mean cross-entropy of a batch.
    fn loss(&self, batch: &TaskBatch) -> Result<Tensor<1>> {
        let logits = self.logits(batch.inputs.clone())?;
        let mask = batch.labels.clone().float().ones_like();
        Ok(masked_cross_entropy(logits, batch.labels.clone(), mask))
    }

    /// Fraction of a batch classified right (evaluated without gradients).
    fn accuracy(&self, batch: &TaskBatch) -> Result<f64> {
        let logits = self.valid().logits(batch.inputs.clone())?;
        let [rows, _, classes] = logits.dims();
        Ok(accuracy(logits.reshape([rows, classes]), batch.labels.clone().reshape([rows])))
    }
}

/// The random stream of the test set (training batches use [`batch_seed`]).
const TEST_SET: u64 = 0;

/// Trains `model` with Adam, timing every step; its curves `<name> test accuracy` (from step 0,
/// every `eval_every` steps and after the last) and `<name> train loss` go into `record`.
fn train(
    name: &str,
    model: Classifier,
    config: &Config,
    run: &Run,
    test: &TaskBatch,
    record: &mut ExperimentRecord,
) -> Result<ModelResult> {
    let started = Cell::new(Instant::now());
    let step_seconds = RefCell::new(Vec::new());
    let fitted = Fit::new(name, config.steps, config.learning_rate)
        .loss_unit("cross-entropy")
        .evaluate_every(config.eval_every, "test accuracy", |_, model: &Classifier| model.accuracy(test))
        .after_step(|_, _, _| {
            step_seconds.borrow_mut().push(started.get().elapsed().as_secs_f64());
            Ok(())
        })
        .run(model, FusedAdamConfig::new().init(), record, |model, step| {
            // training batches are numbered from 1
            let batch = task_batch(config, config.batch, batch_seed(run.seed, step + 1), &run.device)?;
            started.set(Instant::now());
            model.loss(&batch)
        })?;
    Ok(ModelResult {
        accuracy: fitted.final_evaluation(),
        median_step_s: median(&step_seconds.into_inner()),
        steps_per_layer: fitted.model.steps_per_layer(config.time)?,
        curve: fitted.evaluations.iter().map(|&(step, accuracy)| (step as f64, accuracy)).collect(),
    })
}

/// Trains both models on the same batches and checks claim 7.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    config.validate()?;
    let device = &run.device;
    let mut record = run.record("pyramidal").with_config(config)?;
    let test = task_batch(config, config.test_size, sub_seed(run.seed, TEST_SET), device)?;
    let stack = StackedRnnConfig::new(CellKind::LSTM, 2, config.hidden, LAYERS).init(device)?;
    let pyramid = PyramidalRnnConfig::new(CellKind::LSTM, 2, config.hidden, LAYERS).init(device)?;
    let head = || FeedForwardConfig::new(vec![config.hidden, 2]).init(device);
    let stacked = Classifier { encoder: Encoder::Stacked(stack), head: head()? };
    let pyramid = Classifier { encoder: Encoder::Pyramidal(pyramid), head: head()? };
    let stacked = train("stacked", stacked, config, run, &test, &mut record)?;
    let pyramidal = train("pyramidal", pyramid, config, run, &test, &mut record)?;
    for (name, result) in [("stacked", &stacked), ("pyramidal", &pyramidal)] {
        record.set_metric(format!("{name} test accuracy"), result.accuracy);
        record.set_metric(format!("{name} median step ms"), 1e3 * result.median_step_s);
        record.set_metric(
            format!("{name} top-layer steps"),
            *result.steps_per_layer.last().unwrap_or(&0) as f64,
        );
    }
    add_claims(&mut record, &stacked, &pyramidal, config.time);
    LineChart::new(format!("Majority of {} symbols: test accuracy", config.time))
        .x_label("training step")
        .y_label("accuracy")
        .series("stacked (3 x T steps)", stacked.curve.clone())
        .series("pyramidal (T/2 + T/4 + T/8 steps)", pyramidal.curve.clone())
        .reference_line("chance", 0.5)
        .save_svg(run.picture_path("pyramidal.svg"))?;
    record.add_picture("pyramidal.svg");
    run.finish(&mut record)?;
    Ok(Outcome { record, stacked, pyramidal, time: config.time })
}

/// The pyramid's accuracy may trail the stacked net's by at most this much ("similar accuracy").
pub const SIMILAR_ACCURACY: f64 = 0.05;

fn add_claims(record: &mut ExperimentRecord, stacked: &ModelResult, pyramidal: &ModelResult, time: usize) {
    let top = |r: &ModelResult| r.steps_per_layer.last().copied().unwrap_or(0);
    record.add_claim(
        "claim 7a: a three-layer pyramid reads 8x fewer steps at the top",
        format!("top layer reads T/8 = {} of T = {time} steps (stacked: {time})", time / 8),
        format!("pyramid {:?}, stacked {:?}", pyramidal.steps_per_layer, stacked.steps_per_layer),
        8 * top(pyramidal) == time && top(stacked) == time,
    );
    let speedup = stacked.median_step_s / pyramidal.median_step_s;
    record.add_claim(
        "claim 7b: the pyramid trains faster per step",
        "median training-step time: pyramid < stacked",
        format!(
            "pyramid {:.1} ms, stacked {:.1} ms ({speedup:.2}x faster)",
            1e3 * pyramidal.median_step_s,
            1e3 * stacked.median_step_s
        ),
        speedup > 1.0,
    );
    record.add_claim(
        "claim 7c: ... at similar accuracy",
        format!("pyramid accuracy >= stacked - {SIMILAR_ACCURACY}"),
        format!("pyramid {:.3}, stacked {:.3}", pyramidal.accuracy, stacked.accuracy),
        pyramidal.accuracy >= stacked.accuracy - SIMILAR_ACCURACY,
    );
}
