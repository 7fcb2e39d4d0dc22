//! Training and testing a [`DeepNet`] on MNIST: the loop behind the depth, gate and lesioning
//! experiments.
//!
//! Adam on shuffled mini-batches of the training split (pixels scaled to [0, 1], flattened to
//! `[batch, 784]`), cross-entropy on the ten classes. The loss curve goes into the record; the
//! test numbers are measured on the first `test_size` images of the test split.

use super::training::{Schedule, train_steps};
use crate::deep_net::{DeepNet, DeepNetConfig};
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::{Batches, LabelledImages};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// Cross-entropy of a uniform guess over ten classes: ln 10, the "chance" loss.
pub const CHANCE_LOSS: f64 = std::f64::consts::LN_10;

/// A trained net and its numbers.
pub struct Trained {
    /// The net, moved off the autodiff device (inference mode).
    pub net: DeepNet,
    /// Mean training loss over the last tenth of the steps.
    pub final_loss: f64,
    pub test: TestResult,
}

/// Loss and accuracy on the test images.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TestResult {
    pub loss: f64,
    pub accuracy: f64,
}

/// Trains a net of `config` (weights from `run.seed`) for `schedule`, tracing its loss into
/// `record`'s curve `curve`, and tests it; the progress bar is labelled `curve`.
pub fn train(
    run: &Run,
    config: &DeepNetConfig,
    schedule: &Schedule,
    record: &mut ExperimentRecord,
    curve: &str,
) -> Result<Trained> {
    ensure!(schedule.steps >= 1 && schedule.batch >= 1, "nothing to train: {schedule:?}");
    let mnist = run.mnist()?;
    let split = &mnist.train;
    ensure!(
        split.side() * split.side() == config.input,
        "the net reads {} pixels, the images have {}",
        config.input,
        split.side() * split.side()
    );
    let device = &run.device;
    let net = seeded_on(device, run.seed, |device| config.init(device))?;
    let batches = Batches::new(split.len(), schedule.batch, run.seed, true)?;
    let per_epoch = batches.batches_per_epoch() as u64;
    ensure!(per_epoch > 0, "batch {} exceeds the {} training images", schedule.batch, split.len());
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let mut epoch = (0, batches.epoch(0));
    let (net, final_loss) =
        train_steps(net, schedule, record, curve, "training cross-entropy", |net, step| {
            if epoch.0 != step / per_epoch {
                epoch = (step / per_epoch, batches.epoch(step / per_epoch));
            }
            let order = epoch.1.order();
            let start = (step % per_epoch) as usize * schedule.batch;
            let indices = &order[start..start + schedule.batch];
            let logits = net.forward(split.features_tensor(indices, device));
            Ok(loss_fn.forward(logits, split.labels_tensor(indices, device)))
        })?;
    let net = net.valid();
    let test = test(&net, &mnist.test, schedule.test_size, None, &run.device.clone().without_autodiff());
    Ok(Trained { net, final_loss, test })
}

/// Test loss and accuracy of `net` (on an inference device) on the first `size` images of
/// `split`, with middle layer `removed` skipped if given.
pub fn test(
    net: &DeepNet,
    split: &LabelledImages,
    size: usize,
    removed: Option<usize>,
    device: &Device,
) -> TestResult {
    let size = size.min(split.len());
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let (mut loss, mut right) = (0.0, 0usize);
    for start in (0..size).step_by(500) {
        let indices: Vec<usize> = (start..(start + 500).min(size)).collect();
        let logits = net.forward_lesioned(split.features_tensor(&indices, device), removed);
        let labels = split.labels_tensor(&indices, device);
        loss += loss_fn.forward(logits.clone(), labels.clone()).into_scalar::<f64>() * indices.len() as f64;
        right += logits.argmax(1).squeeze_dim::<1>(1).equal(labels).int().sum().into_scalar::<i64>() as usize;
    }
    TestResult { loss: loss / size.max(1) as f64, accuracy: right as f64 / size.max(1) as f64 }
}
