//! Claim 5: BN makes training less sensitive to the initial weight scale, and eases the
//! vanishing gradient of a sigmoid net.
//!
//! **Initialisation.** Both nets are trained from weights `N(0, (s / sqrt(fan_in))^2)` for a
//! sweep of scales `s`. Without BN a large `s` saturates the sigmoids and a small `s` shrinks the
//! signal layer by layer; with BN the forward pass does not depend on `s` at all
//! (`BN(s x W) = BN(x W)` up to epsilon), only the effective step size does. The measure of
//! sensitivity is the spread (max - min) of the final test accuracy over the sweep.
//!
//! **Gradient per layer.** Backpropagating through a sigmoid multiplies the error signal by
//! `sigmoid'(z) <= 1/4`, so in a plain net the weights nearest the input get the smallest
//! gradients. BN's backward divides by the batch standard deviation of the pre-activation, which
//! undoes that shrinkage. Measured: `‖dLoss/dW_l‖` for every hidden layer `l` of both freshly
//! initialised nets (scale 1), on one training batch; the claim reads the weakest layer's norm
//! over the last hidden layer's.

use super::data::{InputScaling, MnistData};
use super::training::{Schedule, train};
use crate::sigmoid_net::{SigmoidNet, SigmoidNetConfig};
use anyhow::{Context, Result};
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-10-batch-norm/initialisation.json`.
pub const NAME: &str = "initialisation";

/// BN's accuracy spread over the sweep is below this fraction of the plain net's.
pub const SPREAD_RATIO_BELOW: f64 = 0.5;

/// "Less sensitive" also means "trains at every scale": BN's worst final test accuracy over the
/// sweep is at least this (a net that fails at every scale has no spread either).
pub const WORST_ACCURACY_ABOVE: f64 = 0.8;

/// BN's weakest-to-top gradient ratio is more than this multiple of the plain net's.
pub const WEAKEST_RATIO_ABOVE: f64 = 2.0;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub schedule: Schedule,
    /// Weight scales `s` (in units of `1 / sqrt(fan_in)`).
    pub scales: Vec<f64>,
    /// Examples in the batch whose gradients are measured.
    pub probe_batch: usize,
    pub n_train: usize,
    pub n_test: usize,
}

impl Config {
    /// Quick: 300 steps a run; full: 2000. Scales 0.1, 1, 4.
    pub fn for_run(run: &Run) -> Config {
        Config {
            schedule: Schedule {
                steps: run.steps_or(300, 2000),
                batch: 60,
                learning_rate: 0.5,
                eval_every: run.size(50, 100),
            },
            scales: vec![0.1, 1.0, 4.0],
            probe_batch: 60,
            n_train: 10_000,
            n_test: run.size(1000, 10_000),
        }
    }
}

/// One net's measurements.
#[derive(Clone, Debug, Serialize)]
pub struct NetResult {
    /// `(scale, final test accuracy)` over the sweep.
    pub accuracy_by_scale: Vec<(f64, f64)>,
    /// `‖dLoss/dW_l‖` of the hidden layers at scale 1, input side first.
    pub gradient_norms: Vec<f64>,
}

impl NetResult {
    /// Max - min final test accuracy over the sweep.
    pub fn spread(&self) -> f64 {
        let accuracies = self.accuracy_by_scale.iter().map(|&(_, a)| a);
        accuracies.clone().fold(f64::NEG_INFINITY, f64::max) - accuracies.fold(f64::INFINITY, f64::min)
    }

    /// The lowest final test accuracy over the sweep.
    pub fn worst(&self) -> f64 {
        self.accuracy_by_scale.iter().map(|&(_, a)| a).fold(f64::INFINITY, f64::min)
    }

    /// The smallest hidden-layer gradient norm over the last hidden layer's: how much weaker
    /// the weakest layer's learning signal is than the top layer's (1 = none weaker).
    pub fn weakest_to_last(&self) -> f64 {
        let weakest = self.gradient_norms.iter().copied().fold(f64::INFINITY, f64::min);
        self.gradient_norms.last().map_or(f64::NAN, |last| weakest / last)
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub plain: NetResult,
    pub bn: NetResult,
}

/// Runs the sweep and the gradient measurement; writes `initialisation.json`,
/// `initialisation-accuracy.svg` and `initialisation-gradients.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let data = MnistData::load(run, config.n_train, config.n_test, InputScaling::Standardized)?;
    let plain = measure(run, config, &data, false, &mut record)?;
    let bn = measure(run, config, &data, true, &mut record)?;

    LineChart::new("Final test accuracy against the initial weight scale")
        .x_label("weight scale s (std = s / sqrt(fan_in))")
        .y_label("final test accuracy")
        .series("plain", plain.accuracy_by_scale.clone())
        .series("BN", bn.accuracy_by_scale.clone())
        .save_svg(run.picture_path("initialisation-accuracy.svg"))?;
    record.add_picture("initialisation-accuracy.svg");
    let by_layer =
        |norms: &[f64]| norms.iter().enumerate().map(|(l, &n)| ((l + 1) as f64, n)).collect::<Vec<_>>();
    LineChart::new("‖dLoss/dW‖ per hidden layer at initialisation (scale 1)")
        .x_label("hidden layer (1 = nearest the input)")
        .y_label("gradient norm (log scale)")
        .log_y(true)
        .series("plain", by_layer(&plain.gradient_norms))
        .series("BN", by_layer(&bn.gradient_norms))
        .save_svg(run.picture_path("initialisation-gradients.svg"))?;
    record.add_picture("initialisation-gradients.svg");

    add_claims(&mut record, &plain, &bn);
    run.finish(&mut record)?;
    Ok(Outcome { record, plain, bn })
}

fn measure(
    run: &Run,
    config: &Config,
    data: &MnistData,
    batch_norm: bool,
    record: &mut ExperimentRecord,
) -> Result<NetResult> {
    let name = if batch_norm { "BN" } else { "plain" };
    let init = |init_scale: f64| {
        let config = SigmoidNetConfig { init_scale, ..SigmoidNetConfig::mnist(batch_norm) };
        seeded_on(&run.device, run.seed, |device| config.init(device))
    };
    let gradient_norms = layer_gradient_norms(&init(1.0), data, config.probe_batch, &run.device)?;
    for (l, norm) in gradient_norms.iter().enumerate() {
        record.set_metric(format!("{name}: |dLoss/dW_{}| at init", l + 1), *norm);
    }
    let mut accuracy_by_scale = Vec::new();
    for &scale in &config.scales {
        let label = format!("{name} scale {scale}");
        let trained = train(&label, init(scale), data, &config.schedule, run, record, |_, _| Ok(()))?
            .require_finite(&label)?;
        record.set_metric(format!("{label}: final test accuracy"), trained.final_accuracy());
        accuracy_by_scale.push((scale, trained.final_accuracy()));
    }
    Ok(NetResult { accuracy_by_scale, gradient_norms })
}

/// `‖dLoss/dW_l‖` (Frobenius) of every hidden layer of `net`, on the first `batch` training
/// images, in training mode.
pub fn layer_gradient_norms(
    net: &SigmoidNet,
    data: &MnistData,
    batch: usize,
    device: &burn::prelude::Device,
) -> Result<Vec<f64>> {
    let indices: Vec<usize> = (0..batch).collect();
    let (x, y) = data.batch(&indices, device);
    let grads = net.loss(x, y).backward();
    net.hidden
        .iter()
        .enumerate()
        .map(|(l, layer)| {
            let grad = layer
                .linear
                .weight
                .grad(&grads)
                .with_context(|| format!("no gradient reached W_{}", l + 1))?;
            Ok(grad.powi_scalar(2).sum().sqrt().into_scalar::<f32>() as f64)
        })
        .collect()
}

fn add_claims(record: &mut ExperimentRecord, plain: &NetResult, bn: &NetResult) {
    let (plain_spread, bn_spread) = (plain.spread(), bn.spread());
    record.add_claim(
        "BN makes training less sensitive to the initial weight scale",
        format!(
            "accuracy spread over the scales: BN < {SPREAD_RATIO_BELOW} x plain; BN's worst >= {WORST_ACCURACY_ABOVE}"
        ),
        format!(
            "spread BN {bn_spread:.3}, plain {plain_spread:.3}; worst BN {:.3}, plain {:.3}",
            bn.worst(),
            plain.worst()
        ),
        bn_spread < SPREAD_RATIO_BELOW * plain_spread && bn.worst() >= WORST_ACCURACY_ABOVE,
    );
    let (plain_ratio, bn_ratio) = (plain.weakest_to_last(), bn.weakest_to_last());
    record.add_claim(
        "BN eases the vanishing gradient of the sigmoid net",
        format!("min_l |dL/dW_l| / |dL/dW_3| at init: BN > {WEAKEST_RATIO_ABOVE} x plain"),
        format!("BN {bn_ratio:.3}, plain {plain_ratio:.3}"),
        bn_ratio > WEAKEST_RATIO_ABOVE * plain_ratio,
    );
}
