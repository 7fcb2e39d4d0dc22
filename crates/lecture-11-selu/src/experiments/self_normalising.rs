//! Claim 2: self-normalisation. A 64-layer net is fed inputs of mean 0.5 and variance 3; the
//! mean and variance of every layer's activations are measured for every activation, each net
//! started as it usually is ([`WeightInit::usual_for`]): LeCun-normal for SELU, ELU and the
//! sigmoid, He-normal for the ReLU family. SELU pulls the moments to (0, 1) within a few layers
//! and keeps them there. The negative controls: ELU, which is SELU with its constants set to
//! `α = λ = 1`, loses variance layer after layer; ReLU with He's initialisation keeps the mean
//! square of its input (`E[relu(z)²] = Var z / 2`, undone by the gain `√2`) but nothing pulls its
//! moments anywhere: its mean stays positive and its variance drifts with the finite width.
//!
//! Beside the measurement, the SELU curve predicted by the moment map of
//! [`crate::selu_constants`]: with random LeCun weights the pooled pre-activation of a layer is
//! `N(0, ν + μ²)` (the weights' sum `ω` is itself random with variance 1), so the prediction
//! iterates `(μ, ν) -> moments of f(z)` with `z ~ N(0, ν + μ²)`.

use crate::activation::ActivationKind;
use crate::deep_net::{DeepNetConfig, DropoutKind, WeightInit};
use crate::moments::{Moments, record_layer_curves};
use crate::selu_constants::SeluConstants;
use anyhow::Result;
use burn::module::Module;
use burn::prelude::*;
use burn::tensor::Distribution;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use std::collections::BTreeMap;

/// The experiment's name: its record is `out/lecture-11-selu/self-normalising.json`.
pub const NAME: &str = "self-normalising";

/// The random streams of the nets' weights, one sub-stream per activation (the input uses the run seed).
const WEIGHTS: u64 = 0;

/// "Near (0, 1)": |mean| below this ...
pub const MEAN_TOL: f64 = 0.1;
/// ... and |variance - 1| below this.
pub const VAR_TOL: f64 = 0.2;
/// SELU must settle near (0, 1) by this layer.
pub const SETTLE_BY: usize = 10;
/// The measured SELU variance of the first [`PREDICTED_LAYERS`] layers is within this relative
/// error of the moment map's prediction.
pub const PREDICTION_REL_TOL: f64 = 0.1;
/// Layers compared with the prediction (after them both sit at 1 and finite width dominates).
pub const PREDICTED_LAYERS: usize = 16;
/// The activations that must not settle near (0, 1): SELU without its constants (ELU) and ReLU.
pub const CONTROLS: [ActivationKind; 2] = [ActivationKind::Elu, ActivationKind::Relu];

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub depth: usize,
    pub width: usize,
    pub batch: usize,
    pub input_mean: f64,
    pub input_var: f64,
    pub activations: Vec<ActivationKind>,
}

impl Config {
    /// 64 layers both sizes; quick: width 256, batch 128; full: width 512, batch 512.
    pub fn for_run(run: &Run) -> Config {
        let mut activations = vec![ActivationKind::Sigmoid];
        activations.extend(ActivationKind::RECTIFIERS);
        Config {
            depth: 64,
            width: run.size(256, 512),
            batch: run.size(128, 512),
            input_mean: 0.5,
            input_var: 3.0,
            activations,
        }
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// Per activation, the moments of layers 1..=depth.
    pub layers: BTreeMap<String, Vec<Moments>>,
    /// SELU's predicted moments of layers 1..=depth.
    pub selu_predicted: Vec<Moments>,
}

impl Outcome {
    /// The measured moments of `kind`'s layers.
    pub fn of(&self, kind: ActivationKind) -> &[Moments] {
        &self.layers[&kind.to_string()]
    }
}

/// Feeds the same input through a fresh 64-layer net of every activation; writes
/// `self-normalising.json`, `self-normalising-mean.svg` and `self-normalising-variance.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    // Test mode on the plain device: RReLU uses its mean slope, nothing is differentiated.
    let device = run.device.clone().inner();
    let sd = config.input_var.sqrt();
    let x = seeded_on(&device, run.seed, |d| {
        Tensor::<2>::random([config.batch, config.width], Distribution::Normal(config.input_mean, sd), d)
    });
    let mut layers = BTreeMap::new();
    for (index, &activation) in config.activations.iter().enumerate() {
        let net_config = DeepNetConfig {
            input: config.width,
            width: config.width,
            depth: config.depth,
            classes: 1,
            activation,
            init: WeightInit::usual_for(activation),
            batch_norm: false,
            dropout: DropoutKind::None,
        };
        let net = seeded_on(&run.device, sub_seed(sub_seed(run.seed, WEIGHTS), index as u64), |d| {
            net_config.init(d)
        })?
        .valid();
        let moments: Vec<Moments> = net.trace(x.clone()).post.into_iter().map(Moments::of).collect();
        let name = activation.to_string();
        record_layer_curves(&mut record, &name, &moments);
        let last = moments[moments.len() - 1];
        record.set_metric(format!("{name} layer {} mean", config.depth), last.mean);
        record.set_metric(format!("{name} layer {} variance", config.depth), last.var);
        layers.insert(name, moments);
    }
    let selu_predicted = predict_selu(config);
    record_layer_curves(&mut record, "SELU predicted", &selu_predicted);
    draw(run, config, &layers, &selu_predicted, &mut record)?;
    add_claims(&mut record, config, &layers, &selu_predicted);
    print_table(config, &layers, &selu_predicted);
    run.finish(&mut record)?;
    Ok(Outcome { record, layers, selu_predicted })
}

/// SELU's layer moments predicted by the moment map (see the module documentation).
pub fn predict_selu(config: &Config) -> Vec<Moments> {
    let constants = SeluConstants::get();
    let (mut mean, mut var) = (config.input_mean, config.input_var);
    (0..config.depth)
        .map(|_| {
            (mean, var) = constants.output_moments(0.0, var + mean * mean);
            Moments { mean, var }
        })
        .collect()
}

fn draw(
    run: &Run,
    config: &Config,
    layers: &BTreeMap<String, Vec<Moments>>,
    predicted: &[Moments],
    record: &mut ExperimentRecord,
) -> Result<()> {
    let along = |moments: &[Moments], pick: fn(&Moments) -> f64| -> Vec<(f64, f64)> {
        let input = Moments { mean: config.input_mean, var: config.input_var };
        std::iter::once(input)
            .chain(moments.iter().copied())
            .enumerate()
            .map(|(l, m)| (l as f64, pick(&m)))
            .collect()
    };
    let mut mean_chart = LineChart::new(format!("Mean per layer ({} layers, LeCun init)", config.depth))
        .x_label("layer (0 = input)")
        .y_label("mean");
    let mut var_chart = LineChart::new("Variance per layer")
        .x_label("layer (0 = input)")
        .y_label("variance (log scale)")
        .log_y(true);
    // The prediction first, so that the measured SELU curve is drawn over it.
    mean_chart = mean_chart.series("SELU, predicted", along(predicted, |m| m.mean)).reference_line("0", 0.0);
    var_chart = var_chart.series("SELU, predicted", along(predicted, |m| m.var)).reference_line("1", 1.0);
    for activation in &config.activations {
        let moments = &layers[&activation.to_string()];
        mean_chart = mean_chart.series(activation.to_string(), along(moments, |m| m.mean));
        var_chart = var_chart.series(activation.to_string(), along(moments, |m| m.var));
    }
    mean_chart.save_svg(run.picture_path("self-normalising-mean.svg"))?;
    var_chart.save_svg(run.picture_path("self-normalising-variance.svg"))?;
    record.add_picture("self-normalising-mean.svg");
    record.add_picture("self-normalising-variance.svg");
    Ok(())
}

/// The largest relative error of the measured SELU variance against the prediction, over the
/// first [`PREDICTED_LAYERS`] layers.
pub fn prediction_error(measured: &[Moments], predicted: &[Moments]) -> f64 {
    measured
        .iter()
        .zip(predicted)
        .take(PREDICTED_LAYERS)
        .map(|(m, p)| (m.var / p.var - 1.0).abs())
        .fold(0.0, f64::max)
}

fn add_claims(
    record: &mut ExperimentRecord,
    config: &Config,
    layers: &BTreeMap<String, Vec<Moments>>,
    predicted: &[Moments],
) {
    let selu = &layers[&ActivationKind::Selu.to_string()];
    let selu_last = selu[selu.len() - 1];
    let settles = Moments::settles_at(selu, MEAN_TOL, VAR_TOL);
    record.add_claim(
        "SELU pulls inputs of mean 0.5, variance 3 towards (0, 1) within a few layers and keeps them there",
        format!("every layer from layer {SETTLE_BY} on within |mean| < {MEAN_TOL}, |var - 1| < {VAR_TOL}"),
        format!(
            "settled from layer {}; layer {}: mean {:.3}, variance {:.3}",
            settles.map_or_else(|| "never".to_string(), |l| l.to_string()),
            config.depth,
            selu_last.mean,
            selu_last.var
        ),
        settles.is_some_and(|l| l <= SETTLE_BY),
    );
    let error = prediction_error(selu, predicted);
    record.set_metric("SELU variance: max relative error against the moment map", error);
    record.add_claim(
        "the moment map of the fixed-point analysis predicts SELU's measured variance layer by layer",
        format!("relative error < {PREDICTION_REL_TOL} on layers 1-{PREDICTED_LAYERS}"),
        format!("{error:.3}"),
        error < PREDICTION_REL_TOL,
    );
    let controls = CONTROLS.map(|kind| {
        let moments = &layers[&kind.to_string()];
        let last = moments[moments.len() - 1];
        (kind, Moments::settles_at(moments, MEAN_TOL, VAR_TOL), last)
    });
    record.add_claim(
        "without SELU's constants nothing settles: ELU (α = λ = 1) and ReLU (He init) never keep near (0, 1)",
        format!("neither is within |mean| < {MEAN_TOL}, |var - 1| < {VAR_TOL} from some layer on"),
        controls
            .iter()
            .map(|(kind, settles, last)| {
                let from = settles
                    .map_or_else(|| "never settled".to_string(), |l| format!("settled from layer {l}"));
                format!(
                    "{kind} {from}, layer {}: mean {:.3}, variance {:.2e}",
                    config.depth, last.mean, last.var
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        controls.iter().all(|(_, settles, _)| settles.is_none()),
    );
}

fn print_table(config: &Config, layers: &BTreeMap<String, Vec<Moments>>, predicted: &[Moments]) {
    let picks = [1, 2, 4, 8, 16, 32, config.depth];
    print!("\n{:<11}", "layer");
    for l in picks {
        print!(" {:>17}", l);
    }
    println!("\n{:<11}{}", "", "   (mean, variance)".repeat(picks.len()));
    let rows = config.activations.iter().map(|a| (a.to_string(), &layers[&a.to_string()][..]));
    for (name, moments) in rows.chain([("SELU pred.".to_string(), predicted)]) {
        print!("{name:<11}");
        for l in picks {
            let m = moments[l - 1];
            print!(" {:>8.3},{:>8.2e}", m.mean, m.var);
        }
        println!();
    }
}
