//! The headline's training: the MLP trained on MNIST by our engine beside the same MLP trained
//! by burn's autodiff, from the same weights on the same batches with the same plain SGD.
//!
//! Both run in the shared loop; the curves should coincide to rounding (the parity test asserts
//! it over 50 steps), and the trained nets should classify the test images alike.

use super::{engine_device, mnist_batch};
use crate::eager::Eager;
use crate::mlp::{MlpShape, mlp_logits, mlp_loss};
use crate::parameters::Parameters;
use crate::training::{Descent, train_with_burn, train_with_our_engine};
use anyhow::Result;
use serde::Serialize;
use shared::data::mnist::Mnist;
use shared::experiment::Run;
use shared::train::accuracy;

/// The experiment's name: its record is `out/lecture-03-backprop/mlp-training.json`.
pub const NAME: &str = "mlp-training";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub shape: MlpShape,
    pub batch: usize,
    pub descent: Descent,
    pub test_images: usize,
}

impl Config {
    /// MLP 784-64-10 (full: 784-128-10), batch 64, SGD at 0.1; quick: 100 steps, 1000 test
    /// images; full: 3000 steps, the 10,000 test images.
    pub fn for_run(run: &Run) -> Config {
        Config {
            shape: MlpShape { input: 784, hidden: run.size(64, 128), classes: 10 },
            batch: 64,
            descent: Descent { steps: run.steps_or(100, 3000), learning_rate: 0.1 },
            test_images: run.size(1000, 10_000),
        }
    }
}

/// What the two trainings reached.
pub struct Outcome {
    pub ours_final_loss: f64,
    pub burn_final_loss: f64,
    /// The largest gap between the two loss curves at any recorded step.
    pub largest_curve_gap: f64,
    pub ours_test_accuracy: f64,
    pub burn_test_accuracy: f64,
}

/// Trains both; writes `mlp-training.json` and `mlp-training.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let device = engine_device(run);
    let mnist = run.mnist_with_batch(config.batch)?;
    let initial = config.shape.init(run.seed, &device);
    let batch_at = |step| mnist_batch(&mnist.train, config.batch, step, &device);
    let ours =
        train_with_our_engine("our engine", initial.clone(), config.descent, &mut record, |g, w, step| {
            let (x, y) = batch_at(step);
            mlp_loss(g, w, &x, &y)
        })?;
    let burns = train_with_burn("burn autodiff", initial, config.descent, &mut record, |e, w, step| {
        let (x, y) = batch_at(step);
        mlp_loss(e, w, &x, &y)
    })?;
    let ours_curve = &record.curves["our engine train loss"].points;
    let burn_curve = &record.curves["burn autodiff train loss"].points;
    let largest_curve_gap =
        ours_curve.iter().zip(burn_curve).map(|(a, b)| (a.1 - b.1).abs()).fold(0.0, f64::max);
    let outcome = Outcome {
        ours_final_loss: ours.final_loss,
        burn_final_loss: burns.final_loss,
        largest_curve_gap,
        ours_test_accuracy: test_accuracy(&mnist, &ours.model, config.test_images, &device),
        burn_test_accuracy: test_accuracy(&mnist, &burns.model, config.test_images, &device),
    };
    record
        .curve_chart(
            "MLP on MNIST: our reverse mode beside burn's autodiff",
            &["our engine train loss", "burn autodiff train loss"],
        )?
        .save_svg(run.picture_path("mlp-training.svg"))?;
    record.add_picture("mlp-training.svg");
    record.set_metric("our engine test accuracy", outcome.ours_test_accuracy);
    record.set_metric("burn autodiff test accuracy", outcome.burn_test_accuracy);
    record.set_metric("largest loss curve gap", largest_curve_gap);
    println!("\n{:<16} {:>12} {:>14}", "trained by", "final loss", "test accuracy");
    println!("{:<16} {:>12.4} {:>14.4}", "our engine", outcome.ours_final_loss, outcome.ours_test_accuracy);
    println!(
        "{:<16} {:>12.4} {:>14.4}",
        "burn autodiff", outcome.burn_final_loss, outcome.burn_test_accuracy
    );
    println!("largest gap between the two loss curves: {largest_curve_gap:.2e}");
    run.finish(&mut record)?;
    Ok(outcome)
}

/// The fraction of the first `images` test images the net classifies right.
fn test_accuracy(mnist: &Mnist, p: &Parameters, images: usize, device: &burn::prelude::Device) -> f64 {
    let (x, y) = mnist_batch(&mnist.test, images.min(mnist.test.len()), 0, device);
    accuracy(mlp_logits(&mut Eager::default(), &p.tensors, &x), y)
}
