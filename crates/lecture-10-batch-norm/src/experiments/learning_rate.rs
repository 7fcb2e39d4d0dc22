//! Claim 4: batch normalisation allows a much larger learning rate.
//!
//! First the plain net's best learning rate is picked from a small sweep (best final test
//! accuracy); the sweep reaches past the best rate on both sides, so "10x the best rate" is
//! bracketed ([`Outcome::best_is_interior`]). Then both nets train at 10x and 30x that rate. Without BN a large step pushes
//! pre-activations far out, the sigmoids saturate, their gradients vanish and the net stalls (or
//! the loss overflows); with BN every pre-activation is renormalised each step, so the scale of
//! the weights cannot run away: the layer's output does not change when `W` is scaled, and a
//! larger `W` even gets a proportionally smaller gradient (`dBN(aWx)/dW = (1/a) dBN(Wx)/dW`).
//!
//! A run whose loss turns NaN/infinite counts as diverged: that is a result here, not an error.

use super::data::{InputScaling, MnistData};
use super::training::{Schedule, train};
use crate::sigmoid_net::SigmoidNetConfig;
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-10-batch-norm/learning-rate.json`.
pub const NAME: &str = "learning-rate";

/// BN "still trains": final test accuracy at least this.
pub const TRAINS_ABOVE: f64 = 0.7;
/// The plain net "fails": diverged, or final test accuracy more than this below BN's at that rate.
pub const FAILS_BY: f64 = 0.1;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub schedule: Schedule,
    /// The plain net's candidate rates.
    pub base_rates: Vec<f64>,
    /// Multiples of the best plain rate that both nets are trained at.
    pub multiples: Vec<f64>,
    pub n_train: usize,
    pub n_test: usize,
}

impl Config {
    /// Quick: 600 steps a run; full: 2000. Base rates 0.3, 1, 3, 10; multiples 10 and 30.
    pub fn for_run(run: &Run) -> Config {
        Config {
            schedule: Schedule {
                steps: run.steps_or(600, 2000),
                batch: 60,
                learning_rate: 0.0,
                eval_every: run.size(50, 100),
            },
            base_rates: vec![0.3, 1.0, 3.0, 10.0],
            multiples: vec![10.0, 30.0],
            n_train: 10_000,
            n_test: run.size(1000, 10_000),
        }
    }
}

/// One training run.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RateResult {
    pub batch_norm: bool,
    pub learning_rate: f64,
    /// Final test accuracy (of the last test before a divergence).
    pub final_accuracy: f64,
    /// The step at which the loss stopped being finite, if it did.
    pub diverged_at: Option<u64>,
}

impl RateResult {
    /// "diverged at step s" or the accuracy.
    pub fn describe(&self) -> String {
        match self.diverged_at {
            Some(step) => format!("diverged at step {step}"),
            None => format!("{:.3}", self.final_accuracy),
        }
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// The plain net's candidate rates, as configured.
    pub base_rates: Vec<f64>,
    /// The plain net's best rate from the sweep.
    pub best_plain_rate: f64,
    /// Every run: the sweep, then both nets at each multiple.
    pub runs: Vec<RateResult>,
}

impl Outcome {
    /// Whether the best plain rate has a worse candidate on both sides: only then is it the
    /// best rate and not merely the sweep's edge.
    pub fn best_is_interior(&self) -> bool {
        let (first, last) = (self.base_rates.first(), self.base_rates.last());
        first.is_some_and(|&r| r < self.best_plain_rate) && last.is_some_and(|&r| r > self.best_plain_rate)
    }

    /// The run of `batch_norm` at `multiple` x the best plain rate.
    pub fn at(&self, batch_norm: bool, multiple: f64) -> Option<&RateResult> {
        let rate = multiple * self.best_plain_rate;
        self.runs
            .iter()
            .rev()
            .find(|r| r.batch_norm == batch_norm && (r.learning_rate - rate).abs() < 1e-9 * rate)
    }
}

/// Sweeps, trains at the large rates; writes `learning-rate.json` and `learning-rate.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let data = MnistData::load(run, config.n_train, config.n_test, InputScaling::Standardized)?;
    let mut runs = Vec::new();
    let mut train_at =
        |batch_norm: bool, learning_rate: f64, record: &mut ExperimentRecord| -> Result<RateResult> {
            let label = format!("{} lr {learning_rate}", if batch_norm { "BN" } else { "plain" });
            let net =
                seeded_on(&run.device, run.seed, |device| SigmoidNetConfig::mnist(batch_norm).init(device));
            let schedule = Schedule { learning_rate, ..config.schedule };
            let trained = train(&label, net, &data, &schedule, run, record, |_, _| Ok(()))?;
            let result = RateResult {
                batch_norm,
                learning_rate,
                final_accuracy: trained.final_accuracy(),
                diverged_at: trained.diverged.map(|d| d.step),
            };
            record.set_metric(format!("{label}: final test accuracy"), result.final_accuracy);
            record.set_metric(
                format!("{label}: diverged at step"),
                result.diverged_at.map_or(f64::NAN, |s| s as f64),
            );
            runs.push(result);
            Ok(result)
        };
    let mut best: Option<RateResult> = None;
    for &rate in &config.base_rates {
        let result = train_at(false, rate, &mut record)?;
        if result.diverged_at.is_none() && best.is_none_or(|b| result.final_accuracy > b.final_accuracy) {
            best = Some(result);
        }
    }
    let best_plain_rate = best.map_or(config.base_rates[0], |b| b.learning_rate);
    record.set_metric("best plain learning rate", best_plain_rate);
    for &multiple in &config.multiples {
        for batch_norm in [false, true] {
            train_at(batch_norm, multiple * best_plain_rate, &mut record)?;
        }
    }
    draw(run, &record, config, best_plain_rate)?;
    record.add_picture("learning-rate.svg");
    add_claims(&mut record, config, best_plain_rate, &runs);
    run.finish(&mut record)?;
    Ok(Outcome { record, base_rates: config.base_rates.clone(), best_plain_rate, runs })
}

/// The test accuracy curves of the runs at the best plain rate and its multiples.
fn draw(run: &Run, record: &ExperimentRecord, config: &Config, best: f64) -> Result<()> {
    let mut chart = LineChart::new(format!(
        "Test accuracy at 1x, {:?}x the plain net's best rate {best}",
        config.multiples
    ))
    .x_label("training step")
    .y_label("test accuracy");
    let rates = std::iter::once(1.0).chain(config.multiples.iter().copied()).map(|m| m * best);
    for rate in rates {
        for net in ["plain", "BN"] {
            if let Some(curve) = record.curves.get(&format!("{net} lr {rate} test accuracy")) {
                chart = chart.series(format!("{net}, lr {rate}"), curve.points.clone());
            }
        }
    }
    chart.save_svg(run.picture_path("learning-rate.svg"))
}

fn add_claims(record: &mut ExperimentRecord, config: &Config, best: f64, runs: &[RateResult]) {
    let (first, last) = (config.base_rates[0], config.base_rates[config.base_rates.len() - 1]);
    record.add_claim(
        "the plain sweep brackets its best rate",
        format!("best rate strictly between {first} and {last}"),
        format!("best {best}"),
        first < best && best < last,
    );
    for &multiple in &config.multiples {
        let rate = multiple * best;
        let find = |bn: bool| {
            runs.iter().rev().find(|r| r.batch_norm == bn && (r.learning_rate - rate).abs() < 1e-9 * rate)
        };
        let (Some(plain), Some(bn)) = (find(false), find(true)) else { continue };
        let bn_trains = bn.diverged_at.is_none() && bn.final_accuracy >= TRAINS_ABOVE;
        let plain_fails = plain.diverged_at.is_some() || plain.final_accuracy < bn.final_accuracy - FAILS_BY;
        record.add_claim(
            format!(
                "at {multiple}x the plain net's best rate ({rate}) BN still trains, the plain net does not"
            ),
            format!("BN accuracy >= {TRAINS_ABOVE}; plain diverges or is {FAILS_BY} below BN"),
            format!("BN {}, plain {}", bn.describe(), plain.describe()),
            bn_trains && plain_fails,
        );
    }
}
