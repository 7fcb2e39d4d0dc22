//! Claim 5: along the straight line from the initial to the trained weights the training loss
//! falls without a barrier.
//!
//! Goodfellow, Vinyals and Saxe (2015, Figs. 1-3) evaluated `L((1 - α) θ_0 + α θ_T)` for
//! `α ∈ [0, 1]` on MLPs, CNNs and LSTMs: the loss falls monotonically, with no bump. Here: the
//! label-noise experiment's MLP trained on the true labels ([`label_noise::train`]), its
//! full-batch training cross-entropy at [`Config::points`] evenly spaced `α`. The negative
//! control is the line between two nets trained from independent starts and batch orders:
//! hidden units are interchangeable, the two nets order them differently, and their average
//! mixes unrelated units, so the loss rises in the middle of that line.
//!
//! ```text
//! rise = max_{i < j} (L(α_j) - L(α_i))     the largest climb met walking from α = 0 to 1
//! ```

use crate::experiments::label_noise::{self, Trained};
use crate::label_noise::NoisyLabels;
use crate::mlp::Mlp;
use anyhow::Result;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::{LabelledImages, sub_seed};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;

/// The experiment's name: its record is `out/lecture-14-saddles-and-memorisation/interpolation.json`.
pub const NAME: &str = "interpolation";

/// "Without a barrier": the largest climb along the line is at most this (nats).
pub const TOLERANCE: f64 = 0.01;
/// The control's barrier: its largest climb is at least this (nats), ten times the tolerance.
pub const BARRIER: f64 = 0.1;

const SECOND_NET_STREAM: u64 = 4;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// The label-noise experiment's sizes (its `noise` unused).
    pub base: label_noise::Config,
    /// Points on each line, `α = 0, 1/(points - 1), ..., 1`.
    pub points: usize,
}

impl Config {
    /// As [`label_noise::Config::for_run`] (quick: 500 images, 600 steps; full: 1000, 3000), 21 points.
    pub fn for_run(run: &Run) -> Config {
        Config {
            base: label_noise::Config { noise: vec![], ..label_noise::Config::for_run(run) },
            points: 21,
        }
    }
}

/// The training loss at evenly spaced points of a line.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub alpha: Vec<f64>,
    pub loss: Vec<f64>,
}

impl Line {
    /// The largest climb met walking from `α = 0` to `α = 1`: `max_{i < j} L_j - L_i` (0 if
    /// the loss never rises).
    pub fn rise(&self) -> f64 {
        let mut lowest = f64::INFINITY;
        let mut rise = 0.0f64;
        for &l in &self.loss {
            rise = rise.max(l - lowest);
            lowest = lowest.min(l);
        }
        rise
    }

    fn summary(&self) -> String {
        let middle = self.loss[self.loss.len() / 2];
        let (first, last) = (self.loss[0], self.loss[self.loss.len() - 1]);
        format!("L(0) {first:.3}, L(0.5) {middle:.3}, L(1) {last:.4}; largest climb {:.4}", self.rise())
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// From the initial to the trained weights.
    pub init_to_trained: Line,
    /// Between two nets trained from independent starts (the control).
    pub trained_to_trained: Line,
}

/// Trains two nets on the true labels; writes `interpolation.json` and `interpolation.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist()?;
    let base = &config.base;
    let labels = NoisyLabels::flag_only(&mnist.train.labels()[..base.train], 0.0, 0);
    let mut train = |seed, name| {
        label_noise::train(run, base, seed, &mnist.train, &mnist.test, &labels, name, &mut record)
    };
    let a: Trained = train(run.seed, "net a")?;
    let b: Trained = train(sub_seed(run.seed, SECOND_NET_STREAM), "net b")?;
    let loss_line = |from: &Mlp, to: &Mlp| line(run, config, &mnist.train, &labels, from, to);
    let init_to_trained = loss_line(&a.initial, &a.model);
    let trained_to_trained = loss_line(&a.model, &b.model);
    println!("initial -> trained        {}", init_to_trained.summary());
    println!("trained a -> trained b    {}", trained_to_trained.summary());
    record.add_claim(
        "along the line from the initial to the trained weights the training loss falls without a barrier",
        format!("largest climb <= {TOLERANCE} nats over {} points", config.points),
        init_to_trained.summary(),
        init_to_trained.rise() <= TOLERANCE,
    );
    record.add_claim(
        "control: the line between two independently trained nets has a barrier",
        format!("largest climb >= {BARRIER} nats"),
        trained_to_trained.summary(),
        trained_to_trained.rise() >= BARRIER,
    );
    for (name, l) in
        [("initial -> trained", &init_to_trained), ("trained a -> trained b", &trained_to_trained)]
    {
        record.define_curve(name, "alpha", "training cross-entropy");
        l.alpha.iter().zip(&l.loss).for_each(|(&a, &v)| record.push_point(name, a, v));
    }
    record.set_metric("init_to_trained_rise", init_to_trained.rise());
    record.set_metric("trained_to_trained_rise", trained_to_trained.rise());
    let series = |l: &Line| l.alpha.iter().copied().zip(l.loss.iter().copied()).collect::<Vec<_>>();
    LineChart::new("Training loss along straight lines in weight space")
        .x_label("α")
        .y_label("training cross-entropy")
        .series("initial (α = 0) -> trained (α = 1)", series(&init_to_trained))
        .series("trained a (α = 0) -> trained b (α = 1)", series(&trained_to_trained))
        .save_svg(run.picture_path("interpolation.svg"))?;
    record.add_picture("interpolation.svg");
    run.finish(&mut record)?;
    Ok(Outcome { record, init_to_trained, trained_to_trained })
}

/// The full-batch training cross-entropy at `config.points` evenly spaced points from `from`
/// to `to`.
fn line(
    run: &Run,
    config: &Config,
    images: &LabelledImages,
    labels: &NoisyLabels,
    from: &Mlp,
    to: &Mlp,
) -> Line {
    let plain = run.device.clone().inner();
    let indices: Vec<usize> = (0..config.base.train).collect();
    let x = images.features_tensor(&indices, &plain);
    let values: Vec<i64> = labels.labels.iter().map(|&l| i64::from(l)).collect();
    let targets = Tensor::<1, Int>::from_data(TensorData::new(values, [indices.len()]), &plain);
    let loss = CrossEntropyLossConfig::new().init(&plain);
    let (from, to) = (from.valid(), to.valid());
    let alpha: Vec<f64> = (0..config.points).map(|k| k as f64 / (config.points - 1) as f64).collect();
    let loss = alpha
        .iter()
        .map(|&a| {
            let logits = Mlp::interpolate(&from, &to, a).forward(x.clone());
            loss.forward(logits, targets.clone()).into_scalar::<f64>()
        })
        .collect();
    Line { alpha, loss }
}
