//! Claim 7: at test time the running statistics make a prediction independent of the batch.
//!
//! A trained BN net classifies the same test images three ways:
//! - evaluation mode (running statistics), all images in one batch;
//! - evaluation mode, every image alone in a batch of one;
//! - batch statistics (training-mode normalisation), in small batches, and alone.
//!
//! With running statistics the logits of an image are the same whatever batch it comes in (up to
//! float rounding). With batch statistics they are not: an image's output depends on its
//! batch-mates, and a batch of one is degenerate: `x - mean = 0`, so every pre-activation is
//! `beta` and every image gets the same answer.

use super::data::{InputScaling, MnistData};
use super::training::{Schedule, train};
use crate::sigmoid_net::{SigmoidNet, SigmoidNetConfig};
use anyhow::Result;
use burn::module::Module;
use burn::prelude::*;
use serde::Serialize;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::accuracy;

/// The experiment's name: its record is `out/lecture-10-batch-norm/batch-independence.json`.
pub const NAME: &str = "batch-independence";

/// Running statistics: logits of an image alone and in a batch differ by less than this.
pub const SAME_BELOW: f64 = 1e-4;
/// Batch statistics: they differ by more than this.
pub const DIFFERENT_ABOVE: f64 = 0.1;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub schedule: Schedule,
    /// Test images classified.
    pub images: usize,
    /// The small batches of the batch-statistics comparison.
    pub small_batch: usize,
    pub n_train: usize,
}

impl Config {
    /// Quick: 200 training steps; full: 1000. 256 test images, small batches of 8.
    pub fn for_run(run: &Run) -> Config {
        Config {
            schedule: Schedule {
                steps: run.steps_or(200, 1000),
                batch: 60,
                learning_rate: 0.5,
                eval_every: 100,
            },
            images: 256,
            small_batch: 8,
            n_train: 10_000,
        }
    }
}

/// The comparisons.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Measured {
    /// Running statistics: max |logit alone - logit in the full batch|.
    pub eval_alone_vs_batch: f64,
    /// Batch statistics: max |logit in small batches - logit in the full batch|.
    pub train_small_vs_batch: f64,
    /// Test accuracy with running statistics, one image at a time.
    pub eval_alone_accuracy: f64,
    /// Test accuracy with batch statistics, one image at a time.
    pub train_alone_accuracy: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub measured: Measured,
}

/// Trains a BN net and compares; writes `batch-independence.json`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let data = MnistData::load(run, config.n_train, config.images, InputScaling::Standardized)?;
    let net = seeded_on(&run.device, run.seed, |device| SigmoidNetConfig::mnist(true).init(device));
    let trained =
        train("BN", net, &data, &config.schedule, run, &mut record, |_, _| Ok(()))?.require_finite("BN")?;

    let eval_net = trained.net.valid();
    let x = data.test_x.clone();
    let eval_batch = eval_net.forward(x.clone());
    let eval_alone = in_batches(&eval_net, &x, 1);
    // Batch statistics: the trained net on the autodiff device, still in training mode.
    let train_x = x.clone().to_device(&run.device);
    let train_batch = trained.net.forward(train_x.clone()).to_device(&x.device());
    let train_small = in_batches(&trained.net, &train_x, config.small_batch).to_device(&x.device());
    let train_alone = in_batches(&trained.net, &train_x, 1).to_device(&x.device());

    let measured = Measured {
        eval_alone_vs_batch: max_abs_diff(eval_alone.clone(), eval_batch),
        train_small_vs_batch: max_abs_diff(train_small, train_batch),
        eval_alone_accuracy: accuracy(eval_alone, data.test_y.clone()),
        train_alone_accuracy: accuracy(train_alone, data.test_y.clone()),
    };
    record.set_metric("running stats: max |logit alone - in batch|", measured.eval_alone_vs_batch);
    record.set_metric(
        format!("batch stats: max |logit in batches of {} - in one batch|", config.small_batch),
        measured.train_small_vs_batch,
    );
    record.set_metric("running stats: accuracy one image at a time", measured.eval_alone_accuracy);
    record.set_metric("batch stats: accuracy one image at a time", measured.train_alone_accuracy);
    add_claims(&mut record, config, &measured);
    run.finish(&mut record)?;
    Ok(Outcome { record, measured })
}

/// Logits of `x` `[N, 784]` computed `size` images at a time, concatenated `[N, classes]`.
fn in_batches(net: &SigmoidNet, x: &Tensor<2>, size: usize) -> Tensor<2> {
    let n = x.dims()[0];
    let parts: Vec<Tensor<2>> = (0..n)
        .step_by(size)
        .map(|start| net.forward(x.clone().narrow(0, start, size.min(n - start))).detach())
        .collect();
    Tensor::cat(parts, 0)
}

fn max_abs_diff(a: Tensor<2>, b: Tensor<2>) -> f64 {
    (a - b).abs().max().into_scalar::<f32>() as f64
}

fn add_claims(record: &mut ExperimentRecord, config: &Config, m: &Measured) {
    record.add_claim(
        "with running statistics a batch of one gives the same answer as inside a large batch",
        format!("max |logit difference| < {SAME_BELOW:e}; with batch statistics (batches of {}) > {DIFFERENT_ABOVE}", config.small_batch),
        format!("running {:.1e}, batch statistics {:.2}", m.eval_alone_vs_batch, m.train_small_vs_batch),
        m.eval_alone_vs_batch < SAME_BELOW && m.train_small_vs_batch > DIFFERENT_ABOVE,
    );
}
