//! Claim 2: an MLP memorises random labels. Trained on images whose every label is random, it
//! reaches 100% training accuracy while its test accuracy stays at chance (1/10), and it needs
//! more steps than on the true labels.
//!
//! Zhang et al. (2017, Fig. 1a) trained Inception, AlexNet and MLPs on CIFAR-10 with random
//! labels: 100% training accuracy, test accuracy at chance, a few times more steps than with the
//! true labels. Here: the label-noise experiment's MLP and training ([`label_noise::train`])
//! with noise 1.0 (every label uniform on the 10 classes) and 0.0 (the true labels). The
//! negative control removes the memorisation capacity: the same random labels fitted by an MLP
//! with [`Config::small_width`] hidden units.

use crate::experiments::label_noise::{self, Curves, Point};
use crate::label_noise::NoisyLabels;
use anyhow::Result;
use serde::Serialize;
use shared::data::mnist::CLASSES;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;

/// The experiment's name: its record is `out/lecture-14-saddles-and-memorisation/random-labels.json`.
pub const NAME: &str = "random-labels";

/// "100% training accuracy".
pub const MEMORISED: f64 = 1.0;
/// "At chance": the last test accuracy within this of `1 / 10`.
pub const NEAR_CHANCE: f64 = 0.05;
/// "More steps": random labels take at least this many times the true labels' steps to 100%.
pub const SLOWER: f64 = 2.0;

const LABELS_STREAM: u64 = 1;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// The label-noise experiment's sizes (its `noise` unused) with more steps.
    pub base: label_noise::Config,
    /// The control's hidden units: too few to memorise the random labels.
    pub small_width: usize,
}

impl Config {
    /// As [`label_noise::Config::for_run`], 256 units; quick: 1000 steps (100 epochs of 500
    /// images); full: 3000 steps (150 epochs of 1000); the control has 4 units.
    pub fn for_run(run: &Run) -> Config {
        let base = label_noise::Config {
            steps: run.steps_or(1000, 3000),
            noise: vec![],
            ..label_noise::Config::for_run(run)
        };
        Config { base, small_width: 4 }
    }
}

/// The three arms' evaluations.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// Random labels, the full-width MLP.
    pub random: Curves,
    /// True labels, the full-width MLP.
    pub true_labels: Curves,
    /// Random labels, [`Config::small_width`] units (the control).
    pub small: Curves,
}

/// Training accuracy against the labels trained on (every example is in one group).
pub fn train_accuracy(p: &Point) -> f64 {
    if p.noisy_train.is_nan() { p.clean_train } else { p.noisy_train }
}

/// The chance test accuracy, `1 / 10`.
pub fn chance() -> f64 {
    1.0 / CLASSES as f64
}

/// Claim 2's first half on one arm: 100% training accuracy, last test accuracy at chance.
pub fn memorised(curves: &Curves) -> bool {
    curves.best(train_accuracy) >= MEMORISED && (curves.final_test() - chance()).abs() <= NEAR_CHANCE
}

/// Steps to 100% training accuracy (the last step + 1 if never).
pub fn steps_to_memorise(curves: &Curves) -> f64 {
    curves.reached_at(train_accuracy, MEMORISED)
}

fn summary(c: &Curves) -> String {
    format!(
        "best training accuracy {:.3}, at 100% from step {}; last test accuracy {:.3}",
        c.best(train_accuracy),
        steps_to_memorise(c),
        c.final_test()
    )
}

/// Trains the three arms; writes `random-labels.json` and `random-labels.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist()?;
    let true_labels = &mnist.train.labels()[..config.base.train];
    let seed = sub_seed(run.seed, LABELS_STREAM);
    let random = NoisyLabels::corrupt(true_labels, 1.0, CLASSES as u8, seed);
    let clean = NoisyLabels::flag_only(true_labels, 0.0, seed);
    let small_config = label_noise::Config { width: config.small_width, ..config.base.clone() };
    let mut arm = |config: &label_noise::Config, labels: &NoisyLabels, name: &str| {
        let trained =
            label_noise::train(run, config, run.seed, &mnist.train, &mnist.test, labels, name, &mut record)?;
        println!("{name:<28} {}", summary(&trained.curves));
        anyhow::Ok(trained.curves)
    };
    let random_curves = arm(&config.base, &random, "random labels")?;
    let true_curves = arm(&config.base, &clean, "true labels")?;
    let small = arm(&small_config, &random, &format!("random labels, {} units", config.small_width))?;
    let outcome = Outcome { record, random: random_curves, true_labels: true_curves, small };
    finish(run, outcome)
}

fn finish(run: &Run, mut outcome: Outcome) -> Result<Outcome> {
    let Outcome { record, random, true_labels, small } = &mut outcome;
    record.add_claim(
        "an MLP fits random labels to 100% training accuracy, test accuracy at chance, in more steps than the true labels",
        format!("training accuracy {MEMORISED}; |test - 0.1| <= {NEAR_CHANCE}; steps >= {SLOWER} x the true labels'"),
        format!("random: {}; true: {}", summary(random), summary(true_labels)),
        memorised(random) && steps_to_memorise(random) >= SLOWER * steps_to_memorise(true_labels),
    );
    record.add_claim(
        "control: too small an MLP cannot memorise the random labels",
        format!("training accuracy < {MEMORISED}"),
        summary(small),
        !memorised(small),
    );
    let mut chart =
        LineChart::new("Random labels: training accuracy reaches 100%, test accuracy stays at chance")
            .x_label("step")
            .y_label("accuracy");
    for c in [&*random, &*true_labels, &*small] {
        let series =
            |f: fn(&Point) -> f64| c.points.iter().map(|p| (p.step as f64, f(p))).collect::<Vec<_>>();
        chart = chart
            .series(format!("{}: train", c.name), series(train_accuracy))
            .series(format!("{}: test", c.name), series(|p| p.test));
    }
    chart.save_svg(run.picture_path("random-labels.svg"))?;
    record.add_picture("random-labels.svg");
    run.finish(record)?;
    Ok(outcome)
}
