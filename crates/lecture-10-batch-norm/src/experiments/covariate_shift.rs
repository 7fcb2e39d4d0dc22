//! Claims 2, 3 and 8, the paper's Fig. 1: the same 3x100 sigmoid net trained with and without
//! batch normalisation, same data, learning rate and steps.
//!
//! - (a) test accuracy against training steps: BN reaches a given accuracy in far fewer steps;
//! - (b, c) the input of sigmoids in the last hidden layer, as the 15th, 50th and 85th
//!   percentiles over a fixed batch of test images, at every test step: without BN the
//!   distribution drifts while the layers below it learn (internal covariate shift), with BN it
//!   stays put.
//! - claim 8, a third net, plain at a tenth of the learning rate: the remedy the notes name
//!   before BN, a smaller step that should keep the sigmoid inputs steadier at the price of
//!   slower learning (measured: slower, but not steadier; see the README).
//!
//! The drift of a unit is how far its median wanders over training (after the first test),
//! in units of its typical 15-85 spread: `(max_t p50 - min_t p50) / mean_t (p85 - p15)`.
//! Dividing by the spread makes the plain and the BN net comparable whatever their scales.

use super::data::{InputScaling, MnistData};
use super::training::{Schedule, Trained, train};
use crate::sigmoid_net::{SigmoidNet, SigmoidNetConfig};
use anyhow::Result;
use burn::prelude::*;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-10-batch-norm/covariate-shift.json`.
pub const NAME: &str = "covariate-shift";

/// BN's median drift is below this fraction of the plain net's.
pub const DRIFT_RATIO_BELOW: f64 = 0.5;
/// BN needs at most this fraction of the plain net's steps to reach the target accuracy.
pub const STEPS_RATIO_BELOW: f64 = 0.5;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub schedule: Schedule,
    /// The learning rate of the third, plain net (the schedule's rate for the other two).
    pub small_learning_rate: f64,
    pub n_train: usize,
    pub n_test: usize,
    /// Test images whose sigmoid inputs are followed.
    pub probe: usize,
    /// "Reached" means a test accuracy of at least this.
    pub target_accuracy: f64,
}

impl Config {
    /// Quick: 600 steps (seconds); full: 4000 steps of batch 60 (the paper ran 50,000). Learning
    /// rate 0.5, the small-rate plain net 0.05.
    pub fn for_run(run: &Run) -> Config {
        Config {
            schedule: Schedule {
                steps: run.steps_or(600, 4000),
                batch: 60,
                learning_rate: 0.5,
                eval_every: run.size(25, 100),
            },
            small_learning_rate: 0.05,
            n_train: 10_000,
            n_test: run.size(1000, 10_000),
            probe: 500,
            target_accuracy: run.size(0.85, 0.9),
        }
    }
}

/// The 15th, 50th and 85th percentile of one unit's sigmoid input, at every test step.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PercentileTrace {
    pub steps: Vec<u64>,
    pub p15: Vec<f64>,
    pub p50: Vec<f64>,
    pub p85: Vec<f64>,
}

impl PercentileTrace {
    /// `(max p50 - min p50) / mean (p85 - p15)` over the tests after step 0.
    pub fn drift(&self) -> f64 {
        let later = |v: &[f64]| v.iter().skip(1).copied().collect::<Vec<f64>>();
        let p50 = later(&self.p50);
        let spread: Vec<f64> =
            later(&self.p85).iter().zip(later(&self.p15)).map(|(hi, lo)| hi - lo).collect();
        let (min, max) =
            p50.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        (max - min) / (spread.iter().sum::<f64>() / spread.len() as f64)
    }
}

/// One net's measurements.
#[derive(Clone, Debug, Serialize)]
pub struct NetResult {
    /// Every unit of the last hidden layer.
    pub units: Vec<PercentileTrace>,
    pub final_accuracy: f64,
    pub steps_to_target: Option<u64>,
}

impl NetResult {
    /// The mean drift over the last hidden layer's units.
    pub fn mean_drift(&self) -> f64 {
        self.units.iter().map(PercentileTrace::drift).sum::<f64>() / self.units.len() as f64
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub plain: NetResult,
    pub bn: NetResult,
    /// The plain net at [`Config::small_learning_rate`].
    pub small_rate: NetResult,
}

/// Steps to the target accuracy, or one more than the schedule's when never reached.
pub fn steps_or_beyond(result: &NetResult, config: &Config) -> u64 {
    result.steps_to_target.unwrap_or(config.schedule.steps + 1)
}

/// Trains the three nets; writes `covariate-shift.json`, `covariate-shift-accuracy.svg` and
/// `covariate-shift-percentiles.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let data = MnistData::load(run, config.n_train, config.n_test, InputScaling::Standardized)?;
    let probe = data.test_x.clone().narrow(0, 0, config.probe.min(config.n_test));
    let rate = config.schedule.learning_rate;
    let plain = measure(run, config, &data, &probe, false, rate, &mut record)?;
    let bn = measure(run, config, &data, &probe, true, rate, &mut record)?;
    let small_rate = measure(run, config, &data, &probe, false, config.small_learning_rate, &mut record)?;

    record
        .curve_chart(
            "MNIST, 3x100 sigmoid: test accuracy (Fig. 1a)",
            &["plain test accuracy", "BN test accuracy", "plain small rate test accuracy"],
        )?
        .x_label("training step")
        .y_label("test accuracy")
        .reference_line(format!("target {}", config.target_accuracy), config.target_accuracy)
        .save_svg(run.picture_path("covariate-shift-accuracy.svg"))?;
    record.add_picture("covariate-shift-accuracy.svg");
    let mut chart = LineChart::new("Sigmoid 0 of the last hidden layer: input percentiles 15/50/85")
        .x_label("training step")
        .y_label("sigmoid input");
    for (name, result) in [("plain", &plain), ("BN", &bn)] {
        let trace = &result.units[0];
        for (p, values) in [("p15", &trace.p15), ("p50", &trace.p50), ("p85", &trace.p85)] {
            let points: Vec<(f64, f64)> =
                trace.steps.iter().zip(values).map(|(&s, &v)| (s as f64, v)).collect();
            chart = chart.series(format!("{name} {p}"), points);
        }
    }
    chart.save_svg(run.picture_path("covariate-shift-percentiles.svg"))?;
    record.add_picture("covariate-shift-percentiles.svg");

    add_claims(&mut record, config, &plain, &bn, &small_rate);
    run.finish(&mut record)?;
    Ok(Outcome { record, plain, bn, small_rate })
}

/// Trains the net with or without BN at `learning_rate`, following the percentiles.
fn measure(
    run: &Run,
    config: &Config,
    data: &MnistData,
    probe: &Tensor<2>,
    batch_norm: bool,
    learning_rate: f64,
    record: &mut ExperimentRecord,
) -> Result<NetResult> {
    let name = match (batch_norm, learning_rate == config.schedule.learning_rate) {
        (true, _) => "BN",
        (false, true) => "plain",
        (false, false) => "plain small rate",
    };
    let net = seeded_on(&run.device, run.seed, |device| SigmoidNetConfig::mnist(batch_norm).init(device));
    let hidden = net.hidden.len();
    let mut units = vec![PercentileTrace::default(); SigmoidNetConfig::mnist(batch_norm).hidden];
    let observe = |step: u64, net: &SigmoidNet| -> Result<()> {
        let z = net.forward_traced(probe.clone()).pre_activations.swap_remove(hidden - 1);
        let n_units = z.dims()[1];
        let z: Vec<f64> = z.into_data().iter::<f64>().collect();
        for (unit, trace) in units.iter_mut().enumerate() {
            let values: Vec<f64> = z.iter().skip(unit).step_by(n_units).copied().collect();
            trace.steps.push(step);
            trace.p15.push(percentile(&values, 15.0));
            trace.p50.push(percentile(&values, 50.0));
            trace.p85.push(percentile(&values, 85.0));
        }
        Ok(())
    };
    let schedule = Schedule { learning_rate, ..config.schedule };
    let trained: Trained = train(name, net, data, &schedule, run, record, observe)?.require_finite(name)?;
    let result = NetResult {
        units,
        final_accuracy: trained.final_accuracy(),
        steps_to_target: trained.steps_to(config.target_accuracy),
    };
    record.set_metric(format!("{name} final test accuracy"), result.final_accuracy);
    record.set_metric(
        format!("{name} steps to {}", config.target_accuracy),
        steps_metric(result.steps_to_target),
    );
    record.set_metric(format!("{name} mean drift of the sigmoid input median"), result.mean_drift());
    Ok(result)
}

/// The `p`-th percentile of `values` (linear interpolation between order statistics).
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = p / 100.0 * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

fn steps_metric(steps: Option<u64>) -> f64 {
    steps.map_or(f64::NAN, |s| s as f64)
}

fn add_claims(
    record: &mut ExperimentRecord,
    config: &Config,
    plain: &NetResult,
    bn: &NetResult,
    small_rate: &NetResult,
) {
    let (plain_drift, bn_drift) = (plain.mean_drift(), bn.mean_drift());
    record.add_claim(
        "without BN the input of a sigmoid drifts during training; with BN it stays steady",
        format!("BN's median drift < {DRIFT_RATIO_BELOW} x the plain net's"),
        format!("plain {plain_drift:.2}, BN {bn_drift:.2} spreads"),
        bn_drift < DRIFT_RATIO_BELOW * plain_drift,
    );
    let steps = |s: Option<u64>| s.map_or_else(|| "never".to_string(), |s| s.to_string());
    record.add_claim(
        "BN reaches a given test accuracy in far fewer steps",
        format!("BN steps to {} < {STEPS_RATIO_BELOW} x the plain net's", config.target_accuracy),
        format!("BN {}, plain {}", steps(bn.steps_to_target), steps(plain.steps_to_target)),
        match (bn.steps_to_target, plain.steps_to_target) {
            (Some(b), Some(p)) => (b as f64) < STEPS_RATIO_BELOW * p as f64,
            (Some(_), None) => true,
            (None, _) => false,
        },
    );
    let small_drift = small_rate.mean_drift();
    record.add_claim(
        format!(
            "a smaller learning rate ({}) also keeps the sigmoid inputs steadier, but learns more slowly",
            config.small_learning_rate
        ),
        format!(
            "drift < {DRIFT_RATIO_BELOW} x the plain net's; more steps to {} than the plain net",
            config.target_accuracy
        ),
        format!(
            "drift {small_drift:.2} (plain {plain_drift:.2}); steps {} (plain {})",
            steps(small_rate.steps_to_target),
            steps(plain.steps_to_target)
        ),
        small_drift < DRIFT_RATIO_BELOW * plain_drift
            && steps_or_beyond(small_rate, config) > steps_or_beyond(plain, config),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_order_statistics() {
        let values = [4.0, 0.0, 1.0, 3.0, 2.0];
        assert_eq!(percentile(&values, 50.0), 2.0);
        assert_eq!(percentile(&values, 15.0), 0.6);
        assert_eq!(percentile(&values, 100.0), 4.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn drift_is_the_median_range_over_the_mean_spread() {
        let trace = PercentileTrace {
            steps: vec![0, 1, 2],
            p15: vec![-9.0, -1.0, 0.0],
            p50: vec![9.0, 0.0, 1.0],
            p85: vec![9.0, 1.0, 4.0],
        };
        // Step 0 is left out: median 0..1, spreads 2 and 4.
        assert_eq!(trace.drift(), 1.0 / 3.0);
    }
}
