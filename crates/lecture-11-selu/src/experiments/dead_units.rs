//! Claim 1: ReLU is cheap and passes gradient unchanged on its positive side, but units can die;
//! the variants (leaky ReLU, PReLU, RReLU, ELU) fix the dead-unit problem.
//!
//! A unit is *off* on a set of inputs when its pre-activation is `<= 0` for every one of them.
//! For ReLU an off unit outputs 0 and receives gradient 0 for all those inputs: it is dead and no
//! step on them can revive it. The variants keep a gradient on the negative side, so their
//! units can come back. The experiment trains the same deep net with each activation on MNIST
//! with a learning rate high enough to knock units off, and counts the units that are off on a
//! probe set of training images before and after.
//!
//! The other half of the claim is measured directly: the derivative of each activation on
//! positive and on all inputs (ReLU's is exactly 1 where `x > 0`, the sigmoid's never more than
//! 1/4), and the time of a forward and backward pass through each activation on a large tensor.

use super::mnist_training::{OptimiserKind, Training, train};
use crate::activation::ActivationKind;
use crate::deep_net::{DeepNet, DeepNetConfig, DropoutKind, WeightInit};
use anyhow::Result;
use burn::module::Module;
use burn::prelude::*;
use burn::tensor::Distribution;
use serde::Serialize;
use shared::data::LabelledImages;
use shared::data::mnist::{CLASSES, PIXELS};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use std::collections::BTreeMap;
use std::time::Instant;

/// The experiment's name: its record is `out/lecture-11-selu/dead-units.json`.
pub const NAME: &str = "dead-units";

/// ReLU ends with more than this fraction of its units dead ...
pub const RELU_DEAD_ABOVE: f64 = 0.2;
/// ... and PReLU, RReLU and ELU each with less than this fraction of ReLU's.
pub const VARIANT_SHARE_BELOW: f64 = 0.5;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub depth: usize,
    pub width: usize,
    pub training: Training,
    /// Training images on which units are checked.
    pub probe_size: usize,
    pub activations: Vec<ActivationKind>,
    /// Elements of the tensor the activations are timed on.
    pub timing_elements: usize,
}

impl Config {
    /// 8 layers of 64 units, Adam at learning rate 0.01; quick: 300 steps; full: 1500 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            depth: 8,
            width: 64,
            training: Training {
                steps: run.steps_or(300, 1500),
                batch: 64,
                learning_rate: 1e-2,
                optimiser: OptimiserKind::Adam,
                eval_every: run.size(100, 250),
                test_size: run.size(1000, 10_000),
            },
            probe_size: 2000,
            activations: vec![
                ActivationKind::Relu,
                ActivationKind::LeakyRelu,
                ActivationKind::Prelu,
                ActivationKind::Rrelu,
                ActivationKind::Elu,
            ],
            timing_elements: run.size(1 << 18, 1 << 21),
        }
    }
}

/// One activation's numbers.
#[derive(Clone, Debug, Serialize)]
pub struct ActivationResult {
    /// Fraction of hidden units off on the probe set, at initialisation and after training.
    pub off_at_init: f64,
    pub off_trained: f64,
    pub test_accuracy: f64,
    /// Smallest and largest derivative on positive inputs, and the largest anywhere.
    pub positive_derivative: (f64, f64),
    pub max_derivative: f64,
    /// Seconds for one forward and backward pass on `timing_elements` elements.
    pub seconds: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub results: BTreeMap<String, ActivationResult>,
}

impl Outcome {
    /// The numbers of `kind`.
    pub fn of(&self, kind: ActivationKind) -> &ActivationResult {
        &self.results[&kind.to_string()]
    }
}

/// Trains one net per activation, counts off units, measures derivatives and time; writes
/// `dead-units.json` and `dead-units.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist_with_batch(config.training.batch)?;
    let probe: Vec<usize> = (0..config.probe_size.min(mnist.train.len())).collect();
    let mut results = BTreeMap::new();
    let kinds = std::iter::once(ActivationKind::Sigmoid).chain(config.activations.iter().copied());
    for activation in kinds {
        let (derivative, max_derivative, seconds) = derivative_and_time(activation, config, run)?;
        let name = activation.to_string();
        record.set_metric(format!("{name} seconds per forward+backward"), seconds);
        if activation == ActivationKind::Sigmoid {
            record.set_metric("sigmoid largest derivative", max_derivative);
            continue;
        }
        let net = DeepNetConfig {
            input: PIXELS,
            width: config.width,
            depth: config.depth,
            classes: CLASSES,
            activation,
            // He-normal, the start a rectifier net gets (its gain follows each negative slope;
            // ELU takes ReLU's): no net starts with a shrinking signal.
            init: WeightInit::He,
            batch_norm: false,
            dropout: DropoutKind::None,
        };
        let model = seeded_on(&run.device, run.seed, |d| net.init(d))?;
        let off_at_init = off_fraction(&model, &mnist.train, &probe, &run.device);
        let trained = train(&name, model, &mnist, &config.training, run.seed, &run.device, &mut record)?;
        let off_trained = off_fraction(&trained.model, &mnist.train, &probe, &run.device);
        record.set_metric(format!("{name} off fraction at init"), off_at_init);
        record.set_metric(format!("{name} off fraction trained"), off_trained);
        let result = ActivationResult {
            off_at_init,
            off_trained,
            test_accuracy: trained.final_accuracy(),
            positive_derivative: derivative,
            max_derivative,
            seconds,
        };
        results.insert(name, result);
    }
    let sigmoid_max = record.metrics["sigmoid largest derivative"];
    draw(run, config, &results, &mut record)?;
    add_claims(&mut record, config, &results, sigmoid_max);
    print_table(config, &results);
    run.finish(&mut record)?;
    Ok(Outcome { record, results })
}

/// The fraction of hidden units whose pre-activation is `<= 0` on every probe image.
pub fn off_fraction(model: &DeepNet, images: &LabelledImages, probe: &[usize], device: &Device) -> f64 {
    let plain = device.clone().inner();
    let trace = model.valid().trace(images.features_tensor(probe, &plain));
    let (mut off, mut total) = (0, 0);
    for pre in trace.pre {
        let [_, width] = pre.dims();
        let max_over_inputs = pre.max_dim(0).reshape([width]);
        off += max_over_inputs.lower_equal_elem(0.0).int().sum().into_scalar::<i64>() as usize;
        total += width;
    }
    off as f64 / total as f64
}

/// The smallest and largest derivative on positive inputs, the largest on all inputs, and the
/// seconds of a forward and backward pass, of `activation` on `config.timing_elements` normal
/// inputs.
fn derivative_and_time(
    activation: ActivationKind,
    config: &Config,
    run: &Run,
) -> Result<((f64, f64), f64, f64)> {
    let width = 1024;
    let rows = config.timing_elements / width;
    let (layer, x) = seeded_on(&run.device, run.seed, |d| {
        (activation.init(width, d), Tensor::<2>::random([rows, width], Distribution::Normal(0.0, 2.0), d))
    });
    let x = x.require_grad();
    let started = Instant::now();
    let grads = layer.forward(x.clone()).sum().backward();
    let grad =
        x.grad(&grads).ok_or_else(|| anyhow::anyhow!("no gradient reached the input of {activation}"))?;
    let derivative: Vec<f32> = grad.into_data().iter::<f32>().collect();
    let seconds = started.elapsed().as_secs_f64();
    let inputs: Vec<f32> = x.into_data().iter::<f32>().collect();
    let positive = inputs.iter().zip(&derivative).filter(|(x, _)| **x > 0.0).map(|(_, d)| f64::from(*d));
    let (low, high) = positive.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), d| (l.min(d), h.max(d)));
    let max = derivative.iter().map(|&d| f64::from(d)).fold(f64::NEG_INFINITY, f64::max);
    Ok(((low, high), max, seconds))
}

fn draw(
    run: &Run,
    config: &Config,
    results: &BTreeMap<String, ActivationResult>,
    record: &mut ExperimentRecord,
) -> Result<()> {
    let mut chart = LineChart::new(format!(
        "{} layers, Adam lr {}: test accuracy",
        config.depth, config.training.learning_rate
    ))
    .x_label("step")
    .y_label("test accuracy");
    for name in results.keys() {
        let curve = &record.curves[&format!("{name} test accuracy")];
        chart = chart.series(name, curve.points.iter().copied());
    }
    chart.reference_line("chance", 0.1).save_svg(run.picture_path("dead-units.svg"))?;
    record.add_picture("dead-units.svg");
    Ok(())
}

fn add_claims(
    record: &mut ExperimentRecord,
    config: &Config,
    results: &BTreeMap<String, ActivationResult>,
    sigmoid_max: f64,
) {
    let relu = &results[&ActivationKind::Relu.to_string()];
    record.add_claim(
        "ReLU does not shrink the gradient on positive inputs; the sigmoid always does",
        "ReLU's derivative = 1 on every positive input; the sigmoid's <= 0.25 everywhere",
        format!(
            "ReLU's in [{}, {}]; sigmoid's largest {sigmoid_max:.4}",
            relu.positive_derivative.0, relu.positive_derivative.1
        ),
        relu.positive_derivative == (1.0, 1.0) && sigmoid_max <= 0.25,
    );
    let slowest = results.iter().max_by(|a, b| a.1.seconds.total_cmp(&b.1.seconds)).expect("activations");
    record.add_claim(
        "ReLU is cheap (timed, not asserted by the tests: timings on a shared machine are noisy)",
        "ReLU's forward+backward faster than ELU's",
        format!(
            "ReLU {:.1} ms, ELU {:.1} ms, slowest {} {:.1} ms",
            relu.seconds * 1e3,
            results[&ActivationKind::Elu.to_string()].seconds * 1e3,
            slowest.0,
            slowest.1.seconds * 1e3
        ),
        relu.seconds < results[&ActivationKind::Elu.to_string()].seconds,
    );
    let off = |kind: ActivationKind| results.get(&kind.to_string()).map_or(f64::NAN, |r| r.off_trained);
    let fixed = [ActivationKind::Prelu, ActivationKind::Rrelu, ActivationKind::Elu];
    let worst_fixed = fixed.iter().map(|&k| off(k)).fold(0.0, f64::max);
    record.add_claim(
        format!(
            "units of a {}-layer ReLU net die in training; PReLU, RReLU and ELU keep theirs",
            config.depth
        ),
        format!("ReLU's dead fraction > {RELU_DEAD_ABOVE}; each of theirs < {VARIANT_SHARE_BELOW} x ReLU's"),
        format!(
            "ReLU {:.3}; {}",
            off(ActivationKind::Relu),
            fixed.map(|k| format!("{k} {:.3}", off(k))).join(", ")
        ),
        off(ActivationKind::Relu) > RELU_DEAD_ABOVE
            && worst_fixed < VARIANT_SHARE_BELOW * off(ActivationKind::Relu),
    );
    let leaky = off(ActivationKind::LeakyRelu);
    record.add_claim(
        "leaky ReLU (slope 0.01) keeps its units too (its off units still pass 1% of the gradient)",
        format!("off fraction < {VARIANT_SHARE_BELOW} x ReLU's"),
        format!("leaky ReLU {leaky:.3}, ReLU {:.3}", off(ActivationKind::Relu)),
        leaky < VARIANT_SHARE_BELOW * off(ActivationKind::Relu),
    );
}

fn print_table(config: &Config, results: &BTreeMap<String, ActivationResult>) {
    println!(
        "\n{:<11} {:>12} {:>14} {:>14} {:>22}",
        "activation", "off at init", "off trained", "test accuracy", "ms fwd+bwd (timing)"
    );
    for (name, r) in results {
        println!(
            "{name:<11} {:>12.3} {:>14.3} {:>14.4} {:>22.1}",
            r.off_at_init,
            r.off_trained,
            r.test_accuracy,
            r.seconds * 1e3
        );
    }
    println!("({} hidden units in {} layers)", config.depth * config.width, config.depth);
}
