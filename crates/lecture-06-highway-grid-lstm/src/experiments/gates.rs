//! Claim 2: a trained deep highway net keeps most transform gates closed, most of all in its
//! deep layers, and which gates open depends on the example (Srivastava et al. 2015, Fig. 2).
//!
//! One highway net trains on MNIST; then its transform gates `T` are read on test images:
//!
//! - mean `T` per layer and unit over the test images (Fig. 2, second column),
//! - mean `T` per layer for single examples (Fig. 2, third column, one column per example),
//! - the gate bias `b_T` per layer after training (Fig. 2, first column),
//! - how much the per-layer activity varies from one example to another.
//!
//! The gates start closed (`b_T = -3`, `T ≈ 0.047`), so "closed after training" alone says
//! nothing about learning. The control trains the same net with its gates frozen
//! (`W_T`, `b_T` never learn, [`crate::highway::HighwayLayer::with_frozen_gate`]): the claim is
//! about what training does to the gates, so it must separate the two nets. The paper's gates
//! close further with depth (its learned biases fall with depth): the deeper half of the
//! layers must end up more closed than the shallower half.

use super::mnist_training::train;
use super::training::Schedule;
use crate::deep_net::{DeepNet, DeepNetConfig, Layer, LayerKind};
use anyhow::{Result, ensure};
use burn::prelude::*;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::{Heatmap, LineChart};
use shared::report::ExperimentRecord;
use shared::stats::mean_and_std;

/// The experiment's name: its record is `out/lecture-06-highway-grid-lstm/gates.json`.
pub const NAME: &str = "gates";

/// Sizes of the gate experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub depth: usize,
    pub width: usize,
    pub schedule: Schedule,
    /// Test images the gate statistics average over.
    pub examples: usize,
    /// Examples shown one by one in the per-example picture.
    pub pictured: usize,
}

impl Config {
    /// Depth 50 at both sizes; quick trains 300 steps, full 1000.
    pub fn for_run(run: &Run) -> Config {
        Config {
            depth: 50,
            width: 50,
            schedule: Schedule {
                steps: run.steps_or(300, 1000),
                batch: 64,
                learning_rate: 1e-3,
                test_size: run.size(1000, 5000),
                curve_points: 60,
            },
            examples: 1000,
            pictured: 40,
        }
    }
}

/// The gate statistics of the trained net.
#[derive(Clone, Debug, Serialize)]
pub struct GateStats {
    /// Mean `T` of each layer over examples and units.
    pub mean_per_layer: Vec<f64>,
    /// Mean `T` over every layer, unit and example.
    pub mean: f64,
    /// Mean `T` over the deeper half of the layers.
    pub deep_half_mean: f64,
    /// Mean `T` over the shallower half of the layers.
    pub shallow_half_mean: f64,
    /// Fraction of (layer, unit, example) gates more open than closed (`T > 0.5`).
    pub open_fraction: f64,
    /// For each layer, the standard deviation over examples of the example's mean `T` in that
    /// layer, averaged over layers: how much the routing depends on the input.
    pub example_spread: f64,
    /// Mean `b_T` of each layer after training.
    pub bias_per_layer: Vec<f64>,
}

/// One trained highway net's gates.
#[derive(Clone, Debug, Serialize)]
pub struct GateArm {
    pub stats: GateStats,
    pub test_accuracy: f64,
}

/// What the run measured: the net with learned gates and the control with frozen ones.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub learned: GateArm,
    pub frozen: GateArm,
}

/// Trains the highway net with learned and with frozen gates, reads their gates, writes the
/// record and the learned net's pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(config.depth >= 2 && config.examples >= 1, "need two layers and one example: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let mut arms = Vec::new();
    for frozen_gates in [false, true] {
        let net_config = DeepNetConfig {
            frozen_gates,
            ..DeepNetConfig::new(784, config.width, config.depth, 10, LayerKind::Highway)
        };
        let arm = if frozen_gates { "frozen gates" } else { "learned gates" };
        let curve = format!("highway depth {}, {arm}", config.depth);
        let trained = train(run, &net_config, &config.schedule, &mut record, &curve)?;
        let test = run.mnist()?.test;
        let indices: Vec<usize> = (0..config.examples.min(test.len())).collect();
        let device = run.device.clone().without_autodiff();
        let (_, gates) = trained.net.forward_with_gates(test.features_tensor(&indices, &device));
        // [layers, examples, units]
        let gates: Tensor<3> = Tensor::stack(gates, 0);
        let stats = gate_stats(&trained.net, gates.clone());
        if !frozen_gates {
            draw(run, &mut record, config, &stats, gates, net_config.gate_bias)?;
        }
        record.set_metric(format!("{arm}: test accuracy"), trained.test.accuracy);
        record.set_metric(format!("{arm}: final train loss"), trained.final_loss);
        record.set_metric(format!("{arm}: mean T"), stats.mean);
        record.set_metric(format!("{arm}: mean T, deeper half of the layers"), stats.deep_half_mean);
        record.set_metric(format!("{arm}: mean T, shallower half of the layers"), stats.shallow_half_mean);
        record.set_metric(format!("{arm}: fraction of gates with T > 0.5"), stats.open_fraction);
        record.set_metric(format!("{arm}: spread of per-layer T across examples"), stats.example_spread);
        print_table(arm, &stats, trained.test.accuracy);
        arms.push(GateArm { stats, test_accuracy: trained.test.accuracy });
    }
    let [learned, frozen]: [GateArm; 2] = arms.try_into().expect("two arms");
    record_claim(&mut record, &learned.stats, &frozen.stats);
    run.finish(&mut record)?;
    Ok(Outcome { record, learned, frozen })
}

impl GateStats {
    /// The claim: the gates are mostly closed, and more closed in the deeper half of the
    /// layers than in the shallower half by at least [`DEEPER_CLOSES`].
    pub fn closed_most_in_deep_layers(&self) -> bool {
        self.deep_half_mean < CLOSED && self.deep_half_mean < self.shallow_half_mean - DEEPER_CLOSES
    }
}

fn mean(values: &[f64]) -> f64 {
    mean_and_std(values).0
}

fn floats<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

/// Statistics of `gates: [layers, examples, units]`.
fn gate_stats(net: &DeepNet, gates: Tensor<3>) -> GateStats {
    let [layers, _, _] = gates.dims();
    let mean_per_layer = floats(gates.clone().mean_dim(2).mean_dim(1).flatten::<1>(0, 2));
    let per_example = gates.clone().mean_dim(2).squeeze_dim::<2>(2); // [layers, examples]
    let example_spread = mean(
        &(0..layers)
            .map(|l| mean_and_std(&floats(per_example.clone().narrow(0, l, 1))).1)
            .collect::<Vec<_>>(),
    );
    let open_fraction = mean(&floats(gates.greater_elem(0.5).float()));
    let bias_per_layer = net
        .layers
        .iter()
        .filter_map(|layer| match layer {
            Layer::Highway(h) => h.transform_and_gate.bias.as_ref().map(|b| {
                let width = b.val().dims()[0] / 2;
                mean(&floats(b.val().narrow(0, width, width)))
            }),
            _ => None,
        })
        .collect();
    GateStats {
        mean: mean(&mean_per_layer),
        deep_half_mean: mean(&mean_per_layer[layers / 2..]),
        shallow_half_mean: mean(&mean_per_layer[..layers / 2]),
        mean_per_layer,
        open_fraction,
        example_spread,
        bias_per_layer,
    }
}

/// The pictures; `gate_bias` is the initial `b_T`.
fn draw(
    run: &Run,
    record: &mut ExperimentRecord,
    config: &Config,
    stats: &GateStats,
    gates: Tensor<3>,
    gate_bias: f64,
) -> Result<()> {
    let [layers, examples, units] = gates.dims();
    let layer_axis =
        |values: &[f64]| values.iter().enumerate().map(|(l, &v)| ((l + 1) as f64, v)).collect::<Vec<_>>();
    let chart = "gates-mean-per-layer.svg";
    let initial = 1.0 / (1.0 + (-gate_bias).exp());
    LineChart::new(format!("highway net of depth {layers}: transform gates after training"))
        .x_label("layer")
        .y_label("mean T over test images and units")
        .series("mean transform gate T", layer_axis(&stats.mean_per_layer))
        .reference_line("T at initialisation", initial)
        .save_svg(run.picture_path(chart))?;
    record.add_picture(chart);
    // Fig. 2, second column: layer x unit, averaged over examples.
    let per_unit = floats(gates.clone().mean_dim(1).reshape([layers, units]));
    let picture = "gates-layer-by-unit.svg";
    Heatmap::new(&per_unit, layers, units)
        .title("mean T: layer (row) x unit (column)")
        .x_label("unit")
        .y_label("layer")
        .value_range(0.0, 1.0)
        .cell_size(8)
        .save_svg(run.picture_path(picture))?;
    record.add_picture(picture);
    // Fig. 2, third column, for several examples: layer x example, averaged over units.
    let shown = config.pictured.min(examples);
    let per_example = floats(gates.narrow(1, 0, shown).mean_dim(2).reshape([layers, shown]));
    let picture = "gates-layer-by-example.svg";
    Heatmap::new(&per_example, layers, shown)
        .title("mean T: layer (row) x test image (column)")
        .x_label("test image")
        .y_label("layer")
        .cell_size(8)
        .save_svg(run.picture_path(picture))?;
    record.add_picture(picture);
    Ok(())
}

/// The deeper half's gates stay mostly closed: mean `T` below this.
pub const CLOSED: f64 = 0.3;

/// "Above all in deep layers": the deeper half's mean `T` lies at least this far below the
/// shallower half's (a tenth of the initial `σ(-3) = 0.047`).
pub const DEEPER_CLOSES: f64 = 0.005;

fn record_claim(record: &mut ExperimentRecord, learned: &GateStats, frozen: &GateStats) {
    record.add_claim(
        "a trained highway net keeps its transform gates mostly closed, above all in deep layers",
        format!(
            "mean T of the deeper half < {CLOSED} and < the shallower half's - {DEEPER_CLOSES} \
             (frozen gates for comparison)"
        ),
        format!(
            "learned gates: deeper half {:.3}, shallower half {:.3}, {:.1}% open; frozen gates: {:.3}, {:.3}",
            learned.deep_half_mean,
            learned.shallow_half_mean,
            100.0 * learned.open_fraction,
            frozen.deep_half_mean,
            frozen.shallow_half_mean
        ),
        learned.closed_most_in_deep_layers(),
    );
}

fn print_table(arm: &str, stats: &GateStats, accuracy: f64) {
    println!("\nhighway net, {arm} (test accuracy {accuracy:.3}): transform gate T per layer");
    println!("{:>6} {:>8} {:>8}", "layer", "mean T", "b_T");
    for (l, (t, b)) in stats.mean_per_layer.iter().zip(&stats.bias_per_layer).enumerate() {
        if l % 5 == 0 || l + 1 == stats.mean_per_layer.len() {
            println!("{:>6} {t:>8.3} {b:>8.3}", l + 1);
        }
    }
    println!(
        "mean T {:.3} (deeper half {:.3}, shallower half {:.3}); {:.1}% of gates open; spread of a layer's T across examples {:.3}",
        stats.mean,
        stats.deep_half_mean,
        stats.shallow_half_mean,
        100.0 * stats.open_fraction,
        stats.example_spread
    );
}
