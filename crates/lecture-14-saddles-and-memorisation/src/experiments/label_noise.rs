//! Claims 3 and 4: simple patterns first, and early stopping. Under label noise the clean test
//! accuracy rises, peaks, then falls as the network memorises the noisy examples; the clean
//! training examples are fitted well before the noisy ones; early stopping on a clean
//! validation split keeps a model near the peak and clearly better than the last one.
//!
//! Arpit et al. (2017, Figs. 5-7) trained MLPs on MNIST with 20-80% random labels: validation
//! accuracy peaks early and then falls, and noisy examples are fitted last. Here: an MLP
//! `784 -> width ReLU -> 10` ([`crate::mlp`]) on the first `n` embedded MNIST training images
//! with a fraction `p` of labels random ([`crate::label_noise`]), Adam, in the shared loop;
//! every `eval_every` steps: training accuracy of the clean and the noisy group (against the
//! labels trained on), accuracy on a clean validation split (training images after the first
//! `n`) and on test images. Early stopping keeps the evaluation with the best validation
//! accuracy. The negative control flags the same examples as noisy but keeps their labels.

use crate::label_noise::NoisyLabels;
use crate::mlp::Mlp;
use anyhow::{Result, ensure};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::AdamConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::backend::seeded_on;
use shared::data::batching::Batches;
use shared::data::mnist::CLASSES;
use shared::data::{LabelledImages, sub_seed};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::train::{Fit, correct};

/// The experiment's name: its record is `out/lecture-14-saddles-and-memorisation/label-noise.json`.
pub const NAME: &str = "label-noise";

/// "Rises, peaks, then falls": the peak test accuracy beats the last by at least this.
pub const FALL: f64 = 0.05;
/// "Clean examples are fitted well before noisy ones": the clean group reaches
/// [`FITTED`] training accuracy in at most this fraction of the noisy group's steps.
pub const EARLIER: f64 = 0.5;
/// A group counts as fitted at this training accuracy.
pub const FITTED: f64 = 0.9;
/// "Close to the peak": the early-stopped test accuracy within this of the peak.
pub const NEAR_PEAK: f64 = 0.02;

const LABELS_STREAM: u64 = 1;
const WEIGHTS_STREAM: u64 = 2;
const BATCHES_STREAM: u64 = 3;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Training images (the first ones of the training split).
    pub train: usize,
    /// Clean validation images (the training split's next ones) and test images.
    pub validation: usize,
    pub test: usize,
    pub width: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub steps: u64,
    pub eval_every: u64,
    /// The noise levels trained (each also with its flag-only control).
    pub noise: Vec<f64>,
}

impl Config {
    /// Width 256, batch 50, Adam 1e-3; quick: 500 images, 600 steps (60 epochs), noise 0.4;
    /// full: 1000 images, 3000 steps, noise 0.4 and 0.8.
    pub fn for_run(run: &Run) -> Config {
        Config {
            train: run.size(500, 1000),
            validation: run.size(500, 1000),
            test: run.size(1000, 2000),
            width: 256,
            batch: 50,
            learning_rate: 1e-3,
            steps: run.steps_or(600, 3000),
            eval_every: run.size(50, 100),
            noise: run.size(vec![0.4], vec![0.4, 0.8]),
        }
    }
}

/// One evaluation.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Point {
    pub step: u64,
    pub clean_train: f64,
    pub noisy_train: f64,
    pub validation: f64,
    pub test: f64,
}

/// One trained arm's evaluations.
#[derive(Clone, Debug)]
pub struct Curves {
    pub name: String,
    pub points: Vec<Point>,
}

impl Curves {
    /// The highest test accuracy seen.
    pub fn peak_test(&self) -> f64 {
        self.points.iter().map(|p| p.test).fold(0.0, f64::max)
    }

    /// The last test accuracy.
    pub fn final_test(&self) -> f64 {
        self.points.last().map_or(f64::NAN, |p| p.test)
    }

    /// The evaluation early stopping keeps: the best validation accuracy (the first of ties).
    pub fn early_stopped(&self) -> Point {
        *self
            .points
            .iter()
            .reduce(|best, p| if p.validation > best.validation { p } else { best })
            .expect("evaluations")
    }

    /// The first step at which a group's training accuracy reaches [`FITTED`] (the last
    /// step + 1 if never).
    pub fn fitted_at(&self, group: fn(&Point) -> f64) -> f64 {
        self.reached_at(group, FITTED)
    }

    /// The first step at which a group's training accuracy reaches `level` (the last step + 1
    /// if never).
    pub fn reached_at(&self, group: fn(&Point) -> f64, level: f64) -> f64 {
        let last = self.points.last().map_or(0, |p| p.step + 1);
        self.points.iter().find(|p| group(p) >= level).map_or(last, |p| p.step) as f64
    }

    /// The highest training accuracy a group reached.
    pub fn best(&self, group: fn(&Point) -> f64) -> f64 {
        self.points.iter().map(group).fold(0.0, f64::max)
    }

    /// Claim 3: the test accuracy falls from its peak, and the clean group is fitted first.
    pub fn simple_patterns_first(&self) -> bool {
        self.peak_test() - self.final_test() >= FALL
            && self.fitted_at(|p| p.clean_train) <= EARLIER * self.fitted_at(|p| p.noisy_train)
    }

    /// Claim 4: the early-stopped model is near the peak and clearly better than the last.
    pub fn early_stopping_helps(&self) -> bool {
        let kept = self.early_stopped().test;
        kept >= self.peak_test() - NEAR_PEAK && kept >= self.final_test() + FALL
    }

    fn summary(&self) -> String {
        format!(
            "test peak {:.3}, last {:.3}, early-stopped {:.3} (step {}); clean fitted at {}, noisy at {}",
            self.peak_test(),
            self.final_test(),
            self.early_stopped().test,
            self.early_stopped().step,
            self.fitted_at(|p| p.clean_train),
            self.fitted_at(|p| p.noisy_train)
        )
    }
}

/// What the experiment measured: per noise level, the noisy arm and its flag-only control.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub arms: Vec<(f64, Curves, Curves)>,
}

/// Trains every arm; writes `label-noise.json` and `label-noise.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist()?;
    let have = mnist.train.len();
    ensure!(
        have >= config.train + config.validation,
        "{}: {have} training images, fewer than the {} to train on and {} to validate on",
        run.data_dir
            .as_ref()
            .map_or("the embedded MNIST".to_string(), |d| format!("the MNIST of --data-dir {}", d.display())),
        config.train,
        config.validation
    );
    let mut arms = Vec::new();
    for &p in &config.noise {
        let true_labels = &mnist.train.labels()[..config.train];
        let seed = sub_seed(run.seed, LABELS_STREAM);
        let noisy = NoisyLabels::corrupt(true_labels, p, CLASSES as u8, seed);
        let flagged = NoisyLabels::flag_only(true_labels, p, seed);
        let noisy = train(
            run,
            config,
            run.seed,
            &mnist.train,
            &mnist.test,
            &noisy,
            &format!("{p} noise"),
            &mut record,
        )?
        .curves;
        let flagged = train(
            run,
            config,
            run.seed,
            &mnist.train,
            &mnist.test,
            &flagged,
            &format!("{p} flagged, clean"),
            &mut record,
        )?
        .curves;
        for curves in [&noisy, &flagged] {
            println!("{:<18} {}", curves.name, curves.summary());
        }
        add_claims(&mut record, p, &noisy, &flagged);
        arms.push((p, noisy, flagged));
    }
    draw(run, &arms, &mut record)?;
    run.finish(&mut record)?;
    Ok(Outcome { record, arms })
}

/// A trained MLP, the weights it started from, and its evaluations.
pub struct Trained {
    pub curves: Curves,
    pub initial: Mlp,
    pub model: Mlp,
}

/// Trains an MLP of `config.width` units on the first `config.train` images with `labels`,
/// evaluating as it goes; `seed` draws its initial weights and its batches.
#[allow(clippy::too_many_arguments)]
pub fn train(
    run: &Run,
    config: &Config,
    seed: u64,
    train: &LabelledImages,
    test: &LabelledImages,
    labels: &NoisyLabels,
    name: &str,
    record: &mut ExperimentRecord,
) -> Result<Trained> {
    let device = &run.device;
    let plain = device.clone().inner();
    let model = seeded_on(device, sub_seed(seed, WEIGHTS_STREAM), |d| Mlp::new(config.width, d));
    let initial = model.clone();
    let mut batches =
        Batches::new(config.train, config.batch, sub_seed(seed, BATCHES_STREAM), true)?.stream();
    let loss = CrossEntropyLossConfig::new().init(device);
    let label_tensor = |indices: &[usize], d: &Device| {
        let values: Vec<i64> = indices.iter().map(|&i| i64::from(labels.labels[i])).collect();
        Tensor::<1, Int>::from_data(TensorData::new(values, [indices.len()]), d)
    };
    let (clean, noisy) = (labels.group(false), labels.group(true));
    let validation: Vec<usize> = (config.train..config.train + config.validation).collect();
    let test_indices: Vec<usize> = (0..config.test).collect();
    let mut points = Vec::new();
    let fitted = Fit::new(name, config.steps, config.learning_rate)
        .evaluate_every(config.eval_every, "test accuracy", |step, model: &Mlp| {
            let model = model.valid();
            let accuracy = |set: &LabelledImages, indices: &[usize], ours: bool| {
                if indices.is_empty() {
                    return f64::NAN;
                }
                let logits = model.forward(set.features_tensor(indices, &plain));
                let targets =
                    if ours { label_tensor(indices, &plain) } else { set.labels_tensor(indices, &plain) };
                correct(logits, targets) as f64 / indices.len() as f64
            };
            let point = Point {
                step,
                clean_train: accuracy(train, &clean, true),
                noisy_train: accuracy(train, &noisy, true),
                validation: accuracy(train, &validation, false),
                test: accuracy(test, &test_indices, false),
            };
            points.push(point);
            Ok(point.test)
        })
        .run(model, AdamConfig::new().init(), record, |model: &Mlp, step| {
            let indices = batches.at(step);
            let logits = model.forward(train.features_tensor(indices, device));
            Ok(loss.forward(logits, label_tensor(indices, device)))
        })?;
    Ok(Trained { curves: Curves { name: name.to_string(), points }, initial, model: fitted.model })
}

fn add_claims(record: &mut ExperimentRecord, p: f64, noisy: &Curves, flagged: &Curves) {
    record.add_claim(
        format!("with {p} label noise the test accuracy rises, peaks and falls; clean examples are fitted first"),
        format!("peak - last >= {FALL}; clean group at {FITTED} accuracy in <= {EARLIER} x the noisy group's steps"),
        noisy.summary(),
        noisy.simple_patterns_first(),
    );
    record.add_claim(
        format!("with {p} label noise early stopping on clean validation keeps a model near the peak"),
        format!("early-stopped test >= peak - {NEAR_PEAK} and >= last + {FALL}"),
        noisy.summary(),
        noisy.early_stopping_helps(),
    );
    record.add_claim(
        "control: the same examples flagged but their labels kept: no fall, no gain from stopping early",
        "both tests fail",
        flagged.summary(),
        !flagged.simple_patterns_first() && !flagged.early_stopping_helps(),
    );
}

fn draw(run: &Run, arms: &[(f64, Curves, Curves)], record: &mut ExperimentRecord) -> Result<()> {
    let mut chart = LineChart::new("Test accuracy and each group's training accuracy under label noise")
        .x_label("step")
        .y_label("accuracy");
    for (_, noisy, flagged) in arms {
        let series = |c: &Curves, f: fn(&Point) -> f64| {
            c.points.iter().map(|p| (p.step as f64, f(p))).collect::<Vec<_>>()
        };
        let stop = noisy.early_stopped();
        chart = chart
            .series(format!("{}: test", noisy.name), series(noisy, |p| p.test))
            .series(format!("{}: clean train", noisy.name), series(noisy, |p| p.clean_train))
            .series(format!("{}: noisy train", noisy.name), series(noisy, |p| p.noisy_train))
            .series(
                format!("{}: early stop", noisy.name),
                [(stop.step as f64, 0.0), (stop.step as f64, stop.test)],
            )
            .series(format!("{}: test", flagged.name), series(flagged, |p| p.test));
    }
    chart.save_svg(run.picture_path("label-noise.svg"))?;
    record.add_picture("label-noise.svg");
    Ok(())
}
