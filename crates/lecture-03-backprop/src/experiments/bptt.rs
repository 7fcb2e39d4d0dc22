//! Claim 2: a value used twice receives the sum of its uses' gradients. The tanh RNN, trained
//! on the adding problem by our engine (backpropagation through the unrolled graph), reads its
//! recurrent weight `W_rec` at every step; its gradient is the sum of the T shares the T
//! matmul nodes pass back.
//!
//! After training, on a test batch: each step's share of `∂L/∂W_rec` (drawn by step), their
//! sum against the gradient the backward pass accumulated (the same additions in the same
//! order: exactly equal), and against burn's autodiff. The negative control keeps one use
//! only, as an engine that stored each incoming gradient instead of adding it would: no single
//! step's share is the gradient.

use super::{adding_batch, engine_device};
use crate::differentiate::{by_burn_autodiff, record_and_backpropagate, relative_error, scalar};
use crate::rnn::{self, W_REC, rnn_loss};
use crate::training::{Descent, train_with_our_engine};
use anyhow::Result;
use burn::prelude::Tensor;
use serde::Serialize;
use shared::data::seed::{batch_seed, sub_seed};
use shared::data::synthetic::adding::CONSTANT_BASELINE_MSE;
use shared::experiment::Run;
use shared::plot::LineChart;

/// The experiment's name: its record is `out/lecture-03-backprop/bptt.json`.
pub const NAME: &str = "bptt";
/// Stream of the test batch.
const TEST: u64 = 1;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub hidden: usize,
    pub time: usize,
    pub batch: usize,
    pub test_batch: usize,
    pub descent: Descent,
}

impl Config {
    /// Adding problem, batch 32, 512 test sequences; quick: 10 steps, 16 units, 1000 SGD steps
    /// at 0.1; full: 20 steps, 32 units, 5000 SGD steps at 0.03 (at 0.1 the longer, wider
    /// RNN's gradients explode and training diverges).
    pub fn for_run(run: &Run) -> Config {
        Config {
            hidden: run.size(16, 32),
            time: run.size(10, 20),
            batch: 32,
            test_batch: 512,
            descent: Descent { steps: run.steps_or(1000, 5000), learning_rate: run.size(0.1, 0.03) },
        }
    }
}

/// What training reached and how `W_rec`'s gradient is assembled.
pub struct Outcome {
    pub test_mse: f64,
    /// Norm of each step's share of `∂L/∂W_rec`, step 1 first.
    pub step_norms: Vec<f64>,
    /// Largest |Σ shares - accumulated gradient| over the elements of `W_rec`.
    pub sum_minus_gradient: f64,
    /// Relative error of the accumulated gradient against burn's.
    pub gradient_vs_burn: f64,
    /// The control: the smallest relative error of any single step's share against burn's.
    pub best_single_step_vs_burn: f64,
}

/// Trains the RNN and takes its gradient apart; writes `bptt.json`, `bptt-loss.svg` and
/// `bptt-shares.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let device = engine_device(run);
    let initial = rnn::init(config.hidden, run.seed, &device);
    let (batch, time) = (config.batch, config.time);
    let trained = train_with_our_engine("tanh RNN", initial, config.descent, &mut record, |g, w, step| {
        let (xs, targets) =
            adding_batch(batch, time, batch_seed(run.seed, step), &device).expect("batch and time > 0");
        rnn_loss(g, w, &xs, &targets, None)
    })?;
    let p = trained.model;
    let (xs, targets) = adding_batch(config.test_batch, time, sub_seed(run.seed, TEST), &device)?;
    let (graph, leaves, root, gradients) =
        record_and_backpropagate(&p.names, &p.tensors, |g, w| rnn_loss(g, w, &xs, &targets, None));
    let test_mse = scalar(graph.node(root).value.clone());
    let shares = gradients.contributions(leaves[W_REC]);
    let accumulated = gradients.get(leaves[W_REC]).expect("W_rec is used");
    let summed = shares.iter().map(|s| s.gradient.clone()).reduce(|a, b| a + b).expect("T > 0 shares");
    let sum_minus_gradient = (summed - accumulated.clone()).abs().max().into_scalar::<f64>();
    let (_, burns) = by_burn_autodiff(&p.tensors, |e, w| rnn_loss(e, w, &xs, &targets, None));
    let mut by_step: Vec<_> = shares.to_vec();
    by_step.sort_by_key(|s| s.consumer);
    let norm = |t: &Tensor<2>| t.clone().powi_scalar(2).sum().sqrt().into_scalar::<f64>();
    let step_norms: Vec<f64> = by_step.iter().map(|s| norm(&s.gradient)).collect();
    let best_single_step_vs_burn =
        by_step.iter().map(|s| relative_error(&s.gradient, &burns[W_REC])).fold(f64::INFINITY, f64::min);
    let outcome = Outcome {
        test_mse,
        step_norms,
        sum_minus_gradient,
        gradient_vs_burn: relative_error(&accumulated, &burns[W_REC]),
        best_single_step_vs_burn,
    };
    draw(run, &mut record, &outcome)?;
    report(&mut record, &outcome);
    run.finish(&mut record)?;
    Ok(outcome)
}

fn draw(run: &Run, record: &mut shared::report::ExperimentRecord, outcome: &Outcome) -> Result<()> {
    record
        .curve_chart("tanh RNN on the adding problem, trained by our engine", &["tanh RNN train loss"])?
        .reference_line("predict 1 (baseline)", f64::from(CONSTANT_BASELINE_MSE))
        .save_svg(run.picture_path("bptt-loss.svg"))?;
    let points = outcome.step_norms.iter().enumerate().map(|(t, n)| ((t + 1) as f64, *n));
    LineChart::new("Each time step's share of ∂L/∂W_rec (their sum is the gradient)")
        .x_label("time step t (the matmul reading W_rec at step t)")
        .y_label("‖share‖")
        .series("share of step t", points)
        .log_y(true)
        .save_svg(run.picture_path("bptt-shares.svg"))?;
    record.add_picture("bptt-loss.svg");
    record.add_picture("bptt-shares.svg");
    Ok(())
}

fn report(record: &mut shared::report::ExperimentRecord, outcome: &Outcome) {
    println!("\ntest MSE {:.4} (predicting 1: {CONSTANT_BASELINE_MSE:.4})", outcome.test_mse);
    println!("{:>6} {:>14}", "step", "‖share‖");
    for (t, n) in outcome.step_norms.iter().enumerate() {
        println!("{:>6} {n:>14.3e}", t + 1);
    }
    println!("|Σ shares - accumulated gradient|: {:.1e}", outcome.sum_minus_gradient);
    println!("accumulated gradient vs burn's: relative error {:.1e}", outcome.gradient_vs_burn);
    println!("best single step's share vs burn's: relative error {:.3}", outcome.best_single_step_vs_burn);
    record.set_metric("test MSE", outcome.test_mse);
    record.set_metric("sum of shares minus gradient", outcome.sum_minus_gradient);
    record.set_metric("gradient vs burn", outcome.gradient_vs_burn);
    record.set_metric("best single step vs burn", outcome.best_single_step_vs_burn);
    record.add_claim(
        "the shared recurrent weight's gradient is the sum of its per-step shares",
        "Σ shares = gradient exactly; = burn's to 1e-5",
        format!("{:.1e}; {:.1e}", outcome.sum_minus_gradient, outcome.gradient_vs_burn),
        outcome.sum_minus_gradient == 0.0 && outcome.gradient_vs_burn < 1e-5,
    );
}
