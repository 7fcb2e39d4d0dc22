//! What every experiment of this lecture shares: the digits to distort, how it trains (Adam on
//! a fresh batch every step, in the shared loop) and the test accuracy.

use crate::models::DigitNet;
use anyhow::Result;
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::LabelledImages;
use shared::data::synthetic::distorted_mnist::DigitImages;
use shared::report::ExperimentRecord;
use shared::train::{Fit, FusedAdamConfig};

/// How long and how fast to train one model.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Settings {
    /// Adam steps, each on a fresh batch.
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    /// Points kept of each training-loss curve.
    pub curve_points: u64,
}

/// The random stream of the test examples: drawn from `sub_seed(seed, TEST_STREAM)`, apart from
/// every training batch (`batch_seed(seed, step)`).
pub const TEST_STREAM: u64 = 0;

/// A split of MNIST as the digit source of the distortion generators.
pub fn digit_images(split: &LabelledImages) -> Result<DigitImages<'_>> {
    DigitImages::new(split.images(), split.labels())
}

/// Trains `model` in the shared loop for `settings.steps` Adam steps on the loss
/// `loss_at(model, step)`, tracing the loss into `record`'s curve `curve` under a progress bar
/// labelled `label`. Returns the model and the mean loss over the last tenth of the steps.
pub fn train<M: Module>(
    model: M,
    settings: &Settings,
    label: &str,
    curve: &str,
    record: &mut ExperimentRecord,
    loss_at: impl FnMut(&M, u64) -> Result<Tensor<1>>,
) -> Result<(M, f64)> {
    let fitted = Fit::new(label, settings.steps, settings.learning_rate)
        .loss_curve(curve, "training cross-entropy")
        .curve_points(settings.curve_points)
        .run(model, FusedAdamConfig::new().init(), record, loss_at)?;
    Ok((fitted.model, fitted.final_loss))
}

/// Mean cross-entropy of `labels` `[N]` under `logits` `[N, classes]`.
pub fn cross_entropy(logits: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
    CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, labels)
}

/// The arg-max class of every row of `logits` `[N, classes]`.
pub fn predictions(logits: Tensor<2>) -> Vec<i64> {
    logits.argmax(1).into_data().iter::<i64>().collect()
}

/// Fraction of `predicted` equal to `labels`.
pub fn accuracy(predicted: &[i64], labels: &[i64]) -> f64 {
    let right = predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
    right as f64 / labels.len().max(1) as f64
}

/// The model's predicted class for every image of `images` `[N, 1, S, S]` (row-major pixels),
/// in chunks of 250 on the inference device.
pub fn classify(model: &DigitNet, images: &[f32], side: usize, device: &Device) -> Vec<i64> {
    let pixels = side * side;
    images
        .chunks(250 * pixels)
        .flat_map(|chunk| {
            let n = chunk.len() / pixels;
            let batch = Tensor::<4>::from_data(TensorData::new(chunk.to_vec(), [n, 1, side, side]), device);
            predictions(model.forward(batch))
        })
        .collect()
}
