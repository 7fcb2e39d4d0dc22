//! Claims 2 and 3: when the label depends on future input, a bidirectional RNN solves the task, a
//! unidirectional one cannot, and a unidirectional one whose targets are delayed can again.
//!
//! **Task** ("look ahead"): `x_1 .. x_T` are symbols drawn uniformly from `K`, fed one-hot
//! (`[batch, T, K]`); the label of step t is the symbol `L = lookahead` steps later,
//! `y_t = x_{t+L}`. The last `L` steps have no label (their future lies past the end) and are
//! masked out of loss and accuracy. Three readers, each an LSTM with a linear head per step:
//!
//! - **unidirectional**: output at t is scored against `y_t`. It has seen only `x_1 .. x_t`, and
//!   `x_{t+L}` is independent of them: the best it can do is chance, `1/K`.
//! - **bidirectional** ([`crate::bidirectional`]): the backward half at t has read `x_T .. x_t`,
//!   which includes `x_{t+L}`.
//! - **delayed** (Graves & Schmidhuber 2005's "target delay"): the same unidirectional LSTM, but
//!   the output at step s is scored against `y_{s-D}` with `D = delay >= L`, i.e. against
//!   `x_{s-D+L}`, an input it read `D - L` steps ago. Steps `s < D` have no target and are masked,
//!   as are the last `L` (so it is scored on `T - D` steps, the others on `T - L`).
//!
//! **The paper**: Graves & Schmidhuber 2005 ("Framewise phoneme classification with bidirectional
//! LSTM and other neural network architectures") compared BLSTM with unidirectional LSTM, with and
//! without a target delay of a few frames, on TIMIT: the bidirectional nets were the most
//! accurate, and a delay helped the unidirectional net without closing the gap (we cite their
//! finding, not their table's figures, which we did not retrieve). Speech needs an open-ended amount
//! of future context, so a fixed delay recovers only part of it; here the needed future is exactly
//! `L` steps, so a delay `D >= L` recovers all of it and the delayed net catches up completely.
//!
//! The unidirectional reader gets the hidden width whose parameter count (cell + head) is closest
//! to the bidirectional one's, so that it does not lose for want of parameters. Every LSTM is
//! the cell of [`crate::lstm_cell`] at `--quick` size and the fused layer computing the same
//! function at full size ([`CellKind::lstm_for`]).

use super::sequence_metrics::{masked_accuracy, masked_cross_entropy};
use crate::any_cell::{AnyCell, CellKind};
use crate::bidirectional::{Bidirectional, BidirectionalConfig};
use crate::cell::RecurrentCell;
use crate::feedforward::{FeedForward, FeedForwardConfig};
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::prelude::{Device, Int, Tensor};
use rand::RngExt;
use serde::Serialize;
use shared::data::synthetic::{float_tensor, int_tensor, seeded_rng};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig};

/// The settings of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Alphabet size K (chance accuracy is `1/K`).
    pub symbols: usize,
    /// Sequence length T.
    pub time: usize,
    /// L: the label of step t is `x_{t+L}`.
    pub lookahead: usize,
    /// D >= L: the delayed reader is scored at step s against `y_{s-D}`.
    pub delay: usize,
    /// Hidden width of each direction of the bidirectional LSTM.
    pub hidden: usize,
    /// The LSTM: the cell at `--quick` size, the fused layer at full size.
    pub lstm: CellKind,
    /// Sequences per training batch.
    pub batch: usize,
    /// Training steps per reader (a fresh batch each).
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Test accuracy is measured every this many steps.
    pub eval_every: u64,
    /// Sequences in the (fixed) test set.
    pub test_size: usize,
}

impl Config {
    /// Quick: T = 16, 200 steps; full: T = 32, 1500 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            symbols: 4,
            time: run.size(16, 32),
            lookahead: 3,
            delay: 5,
            hidden: run.size(16, 32),
            lstm: CellKind::lstm_for(run),
            batch: 32,
            steps: run.steps_or(200, 1500),
            learning_rate: 1e-2,
            eval_every: run.size(20, 50),
            test_size: 256,
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.symbols >= 2, "bidirectional: need at least 2 symbols, got {}", self.symbols);
        ensure!(self.lookahead >= 1, "bidirectional: the lookahead must be at least 1");
        ensure!(
            self.delay >= self.lookahead && self.delay < self.time,
            "bidirectional: the delay {} must be in {}..{} (lookahead ..  sequence length)",
            self.delay,
            self.lookahead,
            self.time
        );
        ensure!(
            self.hidden > 0 && self.batch > 0 && self.test_size > 0 && self.eval_every > 0,
            "bidirectional: hidden, batch, test_size and eval_every must be positive"
        );
        Ok(())
    }
}

/// The three ways of reading the sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// A forward LSTM, scored at t against `y_t`.
    Unidirectional,
    /// A bidirectional LSTM, scored at t against `y_t`.
    Bidirectional,
    /// A forward LSTM, scored at s against `y_{s-D}`.
    Delayed,
}

impl Reader {
    /// All three, in the order they are trained.
    pub const ALL: [Reader; 3] = [Reader::Unidirectional, Reader::Bidirectional, Reader::Delayed];

    /// The name used in tables, curves and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Reader::Unidirectional => "unidirectional",
            Reader::Bidirectional => "bidirectional",
            Reader::Delayed => "delayed",
        }
    }

    /// The delay of the targets: `D` for [`Reader::Delayed`], else 0.
    fn delay(self, config: &Config) -> usize {
        if self == Reader::Delayed { config.delay } else { 0 }
    }
}

/// What the experiment measured.
#[derive(Debug)]
pub struct Outcome {
    /// The record written to `out/<crate>/bidirectional.json`.
    pub record: ExperimentRecord,
    /// Final test accuracy (over labelled steps) of each reader, in [`Reader::ALL`] order.
    pub accuracy: [f64; 3],
    /// Trainable parameters of each reader (cell(s) + head).
    pub parameters: [usize; 3],
    /// `1 / K`.
    pub chance: f64,
}

impl Outcome {
    /// The final test accuracy of `reader`.
    pub fn accuracy_of(&self, reader: Reader) -> f64 {
        self.accuracy[reader as usize]
    }
}

/// One batch of the look-ahead task, as the tensors a reader with target delay `delay` eats.
struct TaskBatch {
    /// One-hot symbols `[batch, T, K]`.
    inputs: Tensor<3>,
    /// `[batch, T]`: at step s, `x_{s-delay+L}` (0 where masked).
    targets: Tensor<2, Int>,
    /// `[batch, T]`: 1 where step s has a target.
    mask: Tensor<2>,
}

/// Draws `batch` sequences (a pure function of `seed`) and lays out the targets for `delay`.
fn task_batch(config: &Config, batch: usize, delay: usize, seed: u64, device: &Device) -> Result<TaskBatch> {
    let (time, symbols) = (config.time, config.symbols);
    let mut rng = seeded_rng(seed);
    let sequences: Vec<usize> = (0..batch * time).map(|_| rng.random_range(0..symbols)).collect();
    let mut one_hot = vec![0.0f32; batch * time * symbols];
    let mut targets = vec![0i64; batch * time];
    let mut mask = vec![0.0f32; batch * time];
    for b in 0..batch {
        for s in 0..time {
            one_hot[(b * time + s) * symbols + sequences[b * time + s]] = 1.0;
            // the label index t = s - delay must exist and its look-ahead t + L stay in the sequence
            let source = (s + config.lookahead).checked_sub(delay).filter(|&i| i < time && s >= delay);
            if let Some(i) = source {
                targets[b * time + s] = sequences[b * time + i] as i64;
                mask[b * time + s] = 1.0;
            }
        }
    }
    Ok(TaskBatch {
        inputs: float_tensor(&one_hot, [batch, time, symbols], device)?,
        targets: int_tensor(&targets, [batch, time], device)?,
        mask: float_tensor(&mask, [batch, time], device)?,
    })
}

/// The recurrent part of a tagger: one direction or both.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)] // one value per model, never moved in a loop
pub enum Encoder {
    /// A forward cell.
    Forward(AnyCell),
    /// A forward and a backward cell.
    Both(Bidirectional<AnyCell>),
}

/// An encoder followed by a linear layer applied at every step.
#[derive(Module, Debug)]
pub struct Tagger {
    /// Reads `[batch, T, K]` into `[batch, T, width]`.
    pub encoder: Encoder,
    /// `[.., width] -> [.., K]` logits.
    pub head: FeedForward,
}

impl Tagger {
    fn new(reader: Reader, config: &Config, device: &Device) -> Result<Tagger> {
        let (k, h) = (config.symbols, config.hidden);
        let (encoder, width) = match reader {
            Reader::Bidirectional => {
                (Encoder::Both(BidirectionalConfig::new(config.lstm, k, h).init(device)), 2 * h)
            }
            _ => {
                let width = matching_hidden_size(config);
                (Encoder::Forward(config.lstm.init(k, width, device)), width)
            }
        };
        Ok(Tagger { encoder, head: FeedForwardConfig::new(vec![width, k]).init(device)? })
    }

    /// `inputs: [batch, T, K]` -> logits `[batch, T, K]`.
    fn logits(&self, inputs: Tensor<3>) -> Tensor<3> {
        let features = match &self.encoder {
            Encoder::Forward(cell) => cell.unroll(inputs, None).0,
            Encoder::Both(both) => both.forward(inputs, None).outputs,
        };
        let [batch, time, width] = features.dims();
        let logits = self.head.forward(features.reshape([batch * time, width]));
        let classes = logits.dims()[1];
        logits.reshape([batch, time, classes])
    }
}

/// Parameters of an LSTM cell (`K` inputs, width `w`) plus a linear head from `head_input` to `K`.
fn tagger_parameters(symbols: usize, cells: usize, width: usize, head_input: usize) -> usize {
    cells * 4 * ((symbols + width) * width + width) + head_input * symbols + symbols
}

/// The forward LSTM width whose parameter count is closest to the bidirectional tagger's.
fn matching_hidden_size(config: &Config) -> usize {
    let (k, h) = (config.symbols, config.hidden);
    let target = tagger_parameters(k, 2, h, 2 * h);
    (1..=4 * h)
        .min_by_key(|&w| tagger_parameters(k, 1, w, w).abs_diff(target))
        .expect("the range is not empty")
}

/// The random stream of the test set (training batches use [`batch_seed`]).
const TEST_SET: u64 = 0;
/// The random stream of the readers' initial weights, one sub-stream per reader.
const WEIGHTS: u64 = 1;

/// A trained reader's final test accuracy, its test-accuracy curve and its parameter count.
struct Trained {
    accuracy: f64,
    curve: Vec<(f64, f64)>,
    parameters: usize,
}

/// Trains `reader` with Adam; its curves `<reader> test accuracy` (from step 0, every
/// `eval_every` steps and after the last) and `<reader> train loss` go into `record`.
fn train_reader(
    run: &Run,
    config: &Config,
    reader: Reader,
    record: &mut ExperimentRecord,
) -> Result<Trained> {
    let device = &run.device;
    let delay = reader.delay(config);
    let test = task_batch(config, config.test_size, delay, sub_seed(run.seed, TEST_SET), device)?;
    let weights = sub_seed(sub_seed(run.seed, WEIGHTS), reader as u64);
    let model = seeded_on(device, weights, |device| Tagger::new(reader, config, device))?;
    let parameters = model.num_params();
    let fitted = Fit::new(reader.name(), config.steps, config.learning_rate)
        .loss_unit("cross-entropy")
        .evaluate_every(config.eval_every, "test accuracy", |_, model: &Tagger| {
            let model = model.valid();
            Ok(masked_accuracy(model.logits(test.inputs.clone()), test.targets.clone(), test.mask.clone()))
        })
        .run(model, FusedAdamConfig::new().init(), record, |model, step| {
            // training batches are numbered from 1
            let batch = task_batch(config, config.batch, delay, batch_seed(run.seed, step + 1), device)?;
            Ok(masked_cross_entropy(model.logits(batch.inputs), batch.targets, batch.mask))
        })?;
    let curve = fitted.evaluations.iter().map(|&(step, accuracy)| (step as f64, accuracy)).collect();
    Ok(Trained { accuracy: fitted.final_evaluation(), curve, parameters })
}

/// Trains the three readers on the same batches and checks claims 2 and 3.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    config.validate()?;
    let mut record = run.record("bidirectional").with_config(config)?;
    let mut chart = LineChart::new("Label = input 3 steps ahead: test accuracy")
        .x_label("training step")
        .y_label("per-step accuracy");
    let (mut accuracy, mut parameters) = ([0.0; 3], [0; 3]);
    for (i, reader) in Reader::ALL.into_iter().enumerate() {
        let trained = train_reader(run, config, reader, &mut record)?;
        chart = chart.series(reader.name(), trained.curve);
        record.set_metric(format!("{} accuracy", reader.name()), trained.accuracy);
        record.set_metric(format!("{} parameters", reader.name()), trained.parameters as f64);
        (accuracy[i], parameters[i]) = (trained.accuracy, trained.parameters);
    }
    let chance = 1.0 / config.symbols as f64;
    add_claims(&mut record, accuracy, chance);
    chart.reference_line("chance (1/K)", chance).save_svg(run.picture_path("bidirectional.svg"))?;
    record.add_picture("bidirectional.svg");
    run.finish(&mut record)?;
    Ok(Outcome { record, accuracy, parameters, chance })
}

/// Accuracy at which a reader counts as having solved the task.
pub const SOLVED: f64 = 0.9;
/// A reader within this much of `1/K` is "near chance".
pub const NEAR_CHANCE: f64 = 0.1;
/// The delayed reader is "comparable" to the bidirectional one within this much accuracy.
pub const COMPARABLE: f64 = 0.05;

fn add_claims(record: &mut ExperimentRecord, [uni, bi, delayed]: [f64; 3], chance: f64) {
    record.add_claim(
        "claim 2: a bidirectional LSTM solves a task whose label is the input 3 steps ahead; a \
         unidirectional one of similar size stays at chance",
        format!("bidirectional >= {SOLVED}, unidirectional <= chance {chance:.2} + {NEAR_CHANCE}"),
        format!("bidirectional {bi:.3}, unidirectional {uni:.3}"),
        bi >= SOLVED && uni <= chance + NEAR_CHANCE,
    );
    record.add_claim(
        "claim 3: delaying the targets lets the unidirectional LSTM solve the same task",
        format!("delayed >= {SOLVED} and >= bidirectional - {COMPARABLE}"),
        format!("delayed {delayed:.3}, bidirectional {bi:.3}"),
        delayed >= SOLVED && delayed >= bi - COMPARABLE,
    );
}
