//! Claim 1: backpropagation is the chain rule applied on the graph in reverse topological
//! order: our gradients equal burn's autodiff and finite differences on the MLP and the RNN.
//!
//! For each model, on one batch: every parameter's gradient by our reverse mode against
//! burn's (relative error `‖ours - burn‖ / ‖burn‖`, the bound 1e-5), and the
//! directional derivative `∇L · v` along a few random unit directions `v` against the central
//! difference `(L(θ + εv) - L(θ - εv)) / 2ε`. The negative control runs the same backward pass
//! over the nodes in forward topological order, so that a node passes its gradient back before
//! its users have given it theirs.

use super::{adding_batch, engine_device, mnist_batch};
use crate::differentiate::{
    by_burn_autodiff, by_reverse_mode, record_and_backpropagate, scalar, worst_relative_error,
};
use crate::eager::Eager;
use crate::mlp::{MlpShape, mlp_loss};
use crate::parameters::Parameters;
use crate::reverse::{Graph, Var};
use crate::rnn::{self, rnn_loss};
use anyhow::Result;
use burn::prelude::{Device, Tensor};
use serde::Serialize;
use shared::data::seed::sub_seed;
use shared::experiment::Run;
use shared::testing::{normal, seeded_on};

/// The experiment's name: its record is `out/lecture-03-backprop/chain-rule.json`.
pub const NAME: &str = "chain-rule";

/// "Equal to burn's": the relative error on every parameter stays below this (the issue's).
pub const EQUAL_TO_BURN: f64 = 1e-5;
/// "Equal to finite differences": each directional derivative within this fraction of the
/// gradient's norm (f32 central differences with ε = 1e-2 are good to about 1e-4 of it).
pub const EQUAL_TO_FINITE_DIFFERENCES: f64 = 1e-2;
/// Step of the central differences along a unit direction.
pub const EPSILON: f64 = 1e-2;
/// Stream of the random directions.
const DIRECTIONS: u64 = 1;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub mlp: MlpShape,
    pub batch: usize,
    pub rnn_hidden: usize,
    pub rnn_time: usize,
    pub directions: usize,
}

impl Config {
    /// MLP 784-32-10 (full: 784-128-10) on 32 MNIST images; RNN with 16 units over 20 steps
    /// (full: 32 units, 50 steps); 4 random directions (full: 8).
    pub fn for_run(run: &Run) -> Config {
        Config {
            mlp: MlpShape { input: 784, hidden: run.size(32, 128), classes: 10 },
            batch: 32,
            rnn_hidden: run.size(16, 32),
            rnn_time: run.size(20, 50),
            directions: run.size(4, 8),
        }
    }
}

/// How one model's gradients compare.
#[derive(Clone, Debug, Serialize)]
pub struct Agreement {
    pub model: String,
    /// Worst relative error of our reverse mode against burn's, over the parameters.
    pub reverse_vs_burn: f64,
    /// Worst error of `∇L · v` against the central difference, over the directions, as a
    /// fraction of `‖∇L‖` (the most `∇L · v` can be for a unit `v`).
    pub reverse_vs_finite_differences: f64,
    /// The control: worst relative error against burn's when the nodes are visited in forward
    /// topological order.
    pub forward_order_vs_burn: f64,
}

/// Both models' agreements.
pub struct Outcome {
    pub mlp: Agreement,
    pub rnn: Agreement,
}

/// Measures the agreements; writes `chain-rule.json`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let device = engine_device(run);
    let mnist = run.mnist_with_batch(config.batch)?;
    let (x, y) = mnist_batch(&mnist.train, config.batch, 0, &device);
    let mlp = config.mlp.init(run.seed, &device);
    let mlp = agreement(
        "MLP",
        &mlp,
        config.directions,
        run.seed,
        |e, w| mlp_loss(e, w, &x, &y),
        |g, w| mlp_loss(g, w, &x, &y),
    );
    let (xs, targets) = adding_batch(config.batch, config.rnn_time, run.seed, &device)?;
    let rnn = rnn::init(config.rnn_hidden, run.seed, &device);
    let rnn = agreement(
        "RNN",
        &rnn,
        config.directions,
        run.seed,
        |e, w| rnn_loss(e, w, &xs, &targets, None),
        |g, w| rnn_loss(g, w, &xs, &targets, None),
    );
    println!(
        "\n{:<6} {:>22} {:>26} {:>28}",
        "model", "ours vs burn", "ours vs finite diff.", "forward order vs burn"
    );
    for a in [&mlp, &rnn] {
        println!(
            "{:<6} {:>22.2e} {:>26.2e} {:>28.2e}",
            a.model, a.reverse_vs_burn, a.reverse_vs_finite_differences, a.forward_order_vs_burn
        );
        record.set_metric(format!("{} reverse vs burn", a.model), a.reverse_vs_burn);
        record.set_metric(
            format!("{} reverse vs finite differences", a.model),
            a.reverse_vs_finite_differences,
        );
        record.set_metric(format!("{} forward order vs burn", a.model), a.forward_order_vs_burn);
        record.add_claim(
            format!("{}: backpropagation in reverse topological order equals burn's autodiff and finite differences", a.model),
            format!("relative errors < {EQUAL_TO_BURN:.0e} and < {EQUAL_TO_FINITE_DIFFERENCES:.0e}"),
            format!("{:.1e} and {:.1e}", a.reverse_vs_burn, a.reverse_vs_finite_differences),
            a.reverse_vs_burn < EQUAL_TO_BURN && a.reverse_vs_finite_differences < EQUAL_TO_FINITE_DIFFERENCES,
        );
    }
    run.finish(&mut record)?;
    Ok(Outcome { mlp, rnn })
}

/// Compares one model's gradients three ways; `eager` and `graph` are the same loss.
fn agreement(
    model: &str,
    p: &Parameters,
    directions: usize,
    seed: u64,
    eager: impl Fn(&mut Eager, &[Tensor<2>]) -> Tensor<2>,
    graph: impl Fn(&mut Graph, &[Var]) -> Var,
) -> Agreement {
    let (_, burns) = by_burn_autodiff(&p.tensors, &eager);
    let (_, ours) = by_reverse_mode(&p.names, &p.tensors, &graph);
    let (recorded, leaves, root, _) = record_and_backpropagate(&p.names, &p.tensors, &graph);
    let forward_order = recorded.topological_order(root);
    let seed_gradient = Tensor::ones([1, 1], &p.tensors[0].device());
    let wrong = recorded.backpropagate(&forward_order, root, seed_gradient);
    let wrong: Vec<Tensor<2>> = leaves
        .iter()
        .zip(&p.tensors)
        .map(|(leaf, t)| wrong.get(*leaf).unwrap_or_else(|| t.zeros_like()))
        .collect();
    let device = p.tensors[0].device();
    let finite = (0..directions as u64)
        .map(|d| directional_error(p, &ours, &eager, sub_seed(sub_seed(seed, DIRECTIONS), d), &device))
        .fold(0.0, f64::max);
    Agreement {
        model: model.to_string(),
        reverse_vs_burn: worst_relative_error(&ours, &burns),
        reverse_vs_finite_differences: finite,
        forward_order_vs_burn: worst_relative_error(&wrong, &burns),
    }
}

/// `|∇L·v - D_v L| / ‖∇L‖` for a random unit direction `v` drawn from `seed`, with `D_v L`
/// the central difference.
fn directional_error(
    p: &Parameters,
    gradient: &[Tensor<2>],
    loss: &impl Fn(&mut Eager, &[Tensor<2>]) -> Tensor<2>,
    seed: u64,
    device: &Device,
) -> f64 {
    let direction: Vec<Tensor<2>> =
        seeded_on(device, seed, |d| p.tensors.iter().map(|t| normal(t.dims(), d)).collect());
    let norm =
        direction.iter().map(|v| scalar(v.clone().powi_scalar(2).sum().reshape([1, 1]))).sum::<f64>().sqrt();
    let step = |sign: f64| -> f64 {
        let moved: Vec<Tensor<2>> = p
            .tensors
            .iter()
            .zip(&direction)
            .map(|(t, v)| t.clone() + v.clone() * (sign * EPSILON / norm))
            .collect();
        scalar(loss(&mut Eager::default(), &moved))
    };
    let numeric = (step(1.0) - step(-1.0)) / (2.0 * EPSILON);
    let analytic: f64 = gradient
        .iter()
        .zip(&direction)
        .map(|(g, v)| scalar((g.clone() * v.clone()).sum().reshape([1, 1])))
        .sum::<f64>()
        / norm;
    let gradient_norm =
        gradient.iter().map(|g| scalar(g.clone().powi_scalar(2).sum().reshape([1, 1]))).sum::<f64>().sqrt();
    (analytic - numeric).abs() / gradient_norm.max(1e-12)
}
