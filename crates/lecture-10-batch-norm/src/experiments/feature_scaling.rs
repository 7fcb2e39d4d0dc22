//! Claim 1: scaling the input features speeds up training of a plain net.
//!
//! The plain 3x100 sigmoid net (no BN) is trained three times from the same initial weights, with
//! the same learning rate and batches, on three versions of the same pixels: raw bytes 0-255,
//! bytes divided by 255, and every pixel standardised with the training set's statistics
//! ([`crate::scaling::Standardizer`]). Compared: the training loss over the last tenth of the
//! steps and the test accuracy at the end.

use super::data::{InputScaling, MnistData};
use super::training::{Schedule, train};
use crate::sigmoid_net::SigmoidNetConfig;
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-10-batch-norm/feature-scaling.json`.
pub const NAME: &str = "feature-scaling";

/// The three inputs, worst scaled first.
pub const SCALINGS: [InputScaling; 3] = [InputScaling::Bytes, InputScaling::Unit, InputScaling::Standardized];

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub schedule: Schedule,
    pub n_train: usize,
    pub n_test: usize,
}

impl Config {
    /// Quick: 400 steps; full: 3000 steps; batch 60, learning rate 0.5 for all three.
    pub fn for_run(run: &Run) -> Config {
        Config {
            schedule: Schedule {
                steps: run.steps_or(400, 3000),
                batch: 60,
                learning_rate: 0.5,
                eval_every: run.size(50, 100),
            },
            n_train: 10_000,
            n_test: run.size(1000, 10_000),
        }
    }
}

/// One input's result.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ScalingResult {
    pub scaling: InputScaling,
    /// Mean training loss over the last tenth of the steps.
    pub final_loss: f64,
    pub final_accuracy: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// In the order of [`SCALINGS`].
    pub results: Vec<ScalingResult>,
}

impl Outcome {
    /// The result for `scaling`.
    pub fn result(&self, scaling: InputScaling) -> Option<&ScalingResult> {
        self.results.iter().find(|r| r.scaling == scaling)
    }
}

/// Trains the plain net on each input; writes `feature-scaling.json` and
/// `feature-scaling-loss.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist()?;
    let mut results = Vec::new();
    for scaling in SCALINGS {
        let data = MnistData::new(&mnist, &run.device, config.n_train, config.n_test, scaling)?;
        let net = seeded_on(&run.device, run.seed, |device| SigmoidNetConfig::mnist(false).init(device));
        let label = scaling.name();
        let trained = train(label, net, &data, &config.schedule, run, &mut record, |_, _| Ok(()))?
            .require_finite(label)?;
        record.set_metric(format!("{label}: final train loss"), trained.final_loss);
        record.set_metric(format!("{label}: final test accuracy"), trained.final_accuracy());
        results.push(ScalingResult {
            scaling,
            final_loss: trained.final_loss,
            final_accuracy: trained.final_accuracy(),
        });
    }
    let curves: Vec<String> = SCALINGS.iter().map(|s| format!("{} train loss", s.name())).collect();
    let names: Vec<&str> = curves.iter().map(String::as_str).collect();
    record
        .curve_chart("Plain 3x100 sigmoid net: training loss by input scaling", &names)?
        .x_label("training step")
        .y_label("cross-entropy (log scale)")
        .log_y(true)
        .save_svg(run.picture_path("feature-scaling-loss.svg"))?;
    record.add_picture("feature-scaling-loss.svg");
    add_claims(&mut record, &results);
    run.finish(&mut record)?;
    Ok(Outcome { record, results })
}

fn add_claims(record: &mut ExperimentRecord, results: &[ScalingResult]) {
    let loss = |s: InputScaling| results.iter().find(|r| r.scaling == s).map_or(f64::NAN, |r| r.final_loss);
    let (bytes, unit, standardized) =
        (loss(InputScaling::Bytes), loss(InputScaling::Unit), loss(InputScaling::Standardized));
    record.add_claim(
        "feature scaling speeds up training of a plain net",
        "final train loss: standardised < pixels/255 < raw bytes",
        format!("standardised {standardized:.3}, pixels/255 {unit:.3}, raw bytes {bytes:.3}"),
        standardized < unit && unit < bytes,
    );
}
