//! Claim 7: a three-layer pyramidal RNN reads 8x fewer steps at the top, and does several times
//! less work per sequence, than a three-layer stacked RNN of the same width, at similar accuracy,
//! on a long-sequence task. The negative control shortens the sequence the naive way, a stacked
//! RNN reading every 8th input: as short at the top, but it has thrown away what it did not read.
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
//! The control, "strided", is the stacked net reading steps 8, 16, ..., T only (`T/8` per layer).
//!
//! **Work and time**: the work of a model is counted as the multiply-adds of its recurrent
//! layers per sequence, `Σ_layers steps × weights` (one multiply-add per weight per step; the
//! claim rests on accuracy, the count is arithmetic on the shapes). Each model trains in the
//! shared loop on the same batches; a step is also timed by the wall clock, from the loss to the
//! end of the update, and the median over all steps is reported (reported only: time on a shared
//! machine is noise; `cargo xtask bench` measures speed).

use super::sequence_metrics::masked_cross_entropy;
use crate::any_cell::{AnyCell, CellKind};
use crate::cell::RecurrentCell;
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
use shared::testing::seeded_on;
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
    /// Median wall time of one training step, seconds (reported, never asserted).
    pub median_step_s: f64,
    /// Steps each layer reads, bottom first.
    pub steps_per_layer: Vec<usize>,
    /// Multiply-adds of the recurrent layers for one sequence: `Σ_layers steps × weights`.
    pub multiply_adds: usize,
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
    /// The control: the stacked LSTM reading every 8th input.
    pub strided: ModelResult,
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

/// The encoders compared.
#[derive(Module, Debug)]
pub enum Encoder {
    /// Every layer reads all T steps.
    Stacked(StackedRnn<AnyCell>),
    /// Layer l reads `T / 2^l` steps.
    Pyramidal(PyramidalRnn<AnyCell>),
    /// Every layer reads the `T / 2^LAYERS` steps `2^LAYERS, 2 · 2^LAYERS, ..., T` of the input.
    Strided(StackedRnn<AnyCell>),
}

/// Every `2^LAYERS`-th step of `inputs: [batch, T, features]`, ending with the last:
/// `[batch, T / 2^LAYERS, features]`.
fn every_stride_th_step(inputs: Tensor<3>) -> Tensor<3> {
    let [batch, time, features] = inputs.dims();
    let stride = 1 << LAYERS;
    let groups = inputs.reshape([batch, time / stride, stride, features]);
    groups.slice(s![.., .., stride - 1..stride, ..]).reshape([batch, time / stride, features])
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
            Encoder::Strided(stack) => stack.forward(every_stride_th_step(inputs), None).0,
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
            Encoder::Strided(stack) => Ok(vec![time >> LAYERS; stack.depth()]),
        }
    }

    /// Multiply-adds of the recurrent layers for one sequence of `time` steps: each layer does
    /// one per weight per step it reads.
    fn multiply_adds(&self, time: usize) -> Result<usize> {
        let layers = match &self.encoder {
            Encoder::Stacked(stack) | Encoder::Strided(stack) => &stack.layers,
            Encoder::Pyramidal(pyramid) => &pyramid.layers,
        };
        let steps = self.steps_per_layer(time)?;
        Ok(layers.iter().zip(steps).map(|(layer, steps)| steps * layer_weights(layer)).sum())
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

/// The weights of a recurrent layer, biases left out: `gates · hidden · (input + hidden)`.
fn layer_weights(layer: &AnyCell) -> usize {
    let gates = match layer.kind() {
        CellKind::Rnn => 1,
        CellKind::Gru | CellKind::FusedGru => 3,
        CellKind::Lstm(_) | CellKind::FusedLstm => 4,
    };
    gates * layer.hidden_size() * (layer.input_size() + layer.hidden_size())
}

/// The random stream of the test set (training batches use [`batch_seed`]).
const TEST_SET: u64 = 0;
/// The random stream of the three models' initial weights.
const WEIGHTS: u64 = 1;

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
        multiply_adds: fitted.model.multiply_adds(config.time)?,
        curve: fitted.evaluations.iter().map(|&(step, accuracy)| (step as f64, accuracy)).collect(),
    })
}

/// The three models, named: stacked, pyramidal and strided LSTMs of `LAYERS` layers of width
/// `hidden`, each with a linear read-out.
fn classifiers(config: &Config, device: &Device) -> Result<[(&'static str, Classifier); 3]> {
    let stack = || StackedRnnConfig::new(CellKind::LSTM, 2, config.hidden, LAYERS).init(device);
    let pyramid = PyramidalRnnConfig::new(CellKind::LSTM, 2, config.hidden, LAYERS).init(device)?;
    let classifier = |encoder| -> Result<Classifier> {
        Ok(Classifier { encoder, head: FeedForwardConfig::new(vec![config.hidden, 2]).init(device)? })
    };
    Ok([
        ("stacked", classifier(Encoder::Stacked(stack()?))?),
        ("pyramidal", classifier(Encoder::Pyramidal(pyramid))?),
        ("strided", classifier(Encoder::Strided(stack()?))?),
    ])
}

/// Trains the three models on the same batches and checks claim 7.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    config.validate()?;
    let device = &run.device;
    let mut record = run.record("pyramidal").with_config(config)?;
    let test = task_batch(config, config.test_size, sub_seed(run.seed, TEST_SET), device)?;
    let mut trained = Vec::new();
    for (name, model) in seeded_on(device, sub_seed(run.seed, WEIGHTS), |device| classifiers(config, device))?
    {
        let result = train(name, model, config, run, &test, &mut record)?;
        record.set_metric(format!("{name} test accuracy"), result.accuracy);
        record.set_metric(format!("{name} median step ms"), 1e3 * result.median_step_s);
        record.set_metric(format!("{name} multiply-adds per sequence"), result.multiply_adds as f64);
        record.set_metric(
            format!("{name} top-layer steps"),
            *result.steps_per_layer.last().unwrap_or(&0) as f64,
        );
        trained.push(result);
    }
    let [stacked, pyramidal, strided]: [ModelResult; 3] =
        trained.try_into().map_err(|_| anyhow::anyhow!("three models trained"))?;
    LineChart::new(format!("Majority of {} symbols: test accuracy", config.time))
        .x_label("training step")
        .y_label("accuracy")
        .series("stacked (3 x T steps)", stacked.curve.clone())
        .series("pyramidal (T/2 + T/4 + T/8 steps)", pyramidal.curve.clone())
        .series("strided: every 8th input (3 x T/8 steps)", strided.curve.clone())
        .reference_line("chance", 0.5)
        .save_svg(run.picture_path("pyramidal.svg"))?;
    record.add_picture("pyramidal.svg");
    let mut outcome = Outcome { record, stacked, pyramidal, strided, time: config.time };
    outcome.add_claims();
    run.finish(&mut outcome.record)?;
    Ok(outcome)
}

/// The pyramid's accuracy may trail the stacked net's by at most this much ("similar accuracy");
/// the strided control must trail the pyramid by more.
pub const SIMILAR_ACCURACY: f64 = 0.05;

impl Outcome {
    /// Claim 7's accuracy part: the pyramid within [`SIMILAR_ACCURACY`] of the stacked net.
    pub fn pyramid_matches_the_stack(&self) -> bool {
        self.pyramidal.accuracy >= self.stacked.accuracy - SIMILAR_ACCURACY
    }

    /// The control: reading every 8th input leaves the strided net more than
    /// [`SIMILAR_ACCURACY`] below the pyramid, at the same number of top-layer steps.
    pub fn striding_loses_accuracy(&self) -> bool {
        self.strided.accuracy < self.pyramidal.accuracy - SIMILAR_ACCURACY
    }

    fn add_claims(&mut self) {
        let (stacked, pyramidal, strided) = (&self.stacked, &self.pyramidal, &self.strided);
        let work = stacked.multiply_adds as f64 / pyramidal.multiply_adds as f64;
        let measured = format!(
            "pyramid {:.3}, stacked {:.3}; steps per layer {:?} vs {:?}, {work:.1}x fewer multiply-adds",
            pyramidal.accuracy, stacked.accuracy, pyramidal.steps_per_layer, stacked.steps_per_layer
        );
        let (matches, loses) = (self.pyramid_matches_the_stack(), self.striding_loses_accuracy());
        self.record.add_claim(
            "claim 7: a pyramid reading 8x fewer steps at the top learns as well as the stacked net",
            format!("pyramid accuracy >= stacked - {SIMILAR_ACCURACY}"),
            measured,
            matches,
        );
        let measured = format!("strided {:.3}, pyramid {:.3}", strided.accuracy, pyramidal.accuracy);
        self.record.add_claim(
            "claim 7, control: a stack reading every 8th input, as short at the top, does not",
            format!("strided accuracy < pyramid - {SIMILAR_ACCURACY}"),
            measured,
            loses,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::backend::test_device;

    /// The work the claim quotes, counted on the models: at T = 64 and width 24 the stacked net
    /// reads 64 steps in each layer, the pyramid 32, 16 and 8 on inputs twice as wide, the
    /// strided net 8 in each layer; one multiply-add per weight (`4 h (input + h)`) per step.
    #[test]
    fn the_pyramid_reads_eight_times_fewer_steps_at_the_top_and_does_less_work() {
        let config = Config { time: 64, hidden: 24, ..Config::for_run(&Run::for_test("lecture-01-rnn", 0)) };
        let [(_, stacked), (_, pyramid), (_, strided)] = classifiers(&config, &test_device()).unwrap();
        let lstm = |input: usize| 4 * 24 * (input + 24);
        assert_eq!(stacked.steps_per_layer(64).unwrap(), vec![64, 64, 64]);
        assert_eq!(pyramid.steps_per_layer(64).unwrap(), vec![32, 16, 8]);
        assert_eq!(strided.steps_per_layer(64).unwrap(), vec![8, 8, 8]);
        assert_eq!(stacked.multiply_adds(64).unwrap(), 64 * lstm(2) + 2 * 64 * lstm(24));
        assert_eq!(pyramid.multiply_adds(64).unwrap(), 32 * lstm(4) + (16 + 8) * lstm(48));
        assert_eq!(strided.multiply_adds(64).unwrap(), 8 * lstm(2) + 2 * 8 * lstm(24));
        let ratio = stacked.multiply_adds(64).unwrap() as f64 / pyramid.multiply_adds(64).unwrap() as f64;
        assert!(ratio > 1.5, "the pyramid should do well under the stack's work: {ratio:.2}");
    }

    #[test]
    fn striding_keeps_every_eighth_step_ending_with_the_last() {
        let device = test_device();
        let steps: Vec<f32> = (0..16).map(|t| t as f32).collect();
        let inputs = Tensor::<1>::from_floats(steps.as_slice(), &device).reshape([1, 16, 1]);
        let kept: Vec<f32> = every_stride_th_step(inputs).into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(kept, vec![7.0, 15.0]);
    }
}
