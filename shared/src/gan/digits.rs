//! MNIST at 14x14 for the GAN lectures' image experiments, and the training of the digit classifier
//! that judges samples.
//!
//! Every 2x2 block of a 28x28 digit is averaged into one pixel: a quarter of the pixels keeps
//! every MLP of the GAN lectures fast on a CPU while the digits stay legible.

use super::classifier::DigitClassifier;
use crate::data::{Batches, LabelledImages};
use crate::report::ExperimentRecord;
use crate::train::{Fit, FusedAdamConfig, accuracy};
use anyhow::{Result, ensure};
use burn::prelude::*;
use serde::Serialize;

/// Side of the downsampled digits.
pub const SIDE: usize = 14;
/// Pixels of a downsampled digit.
pub const PIXELS: usize = SIDE * SIDE;
/// Digit classes.
pub const CLASSES: usize = 10;

/// Downsampled digits `[n, 196]` in [0, 1] with their labels.
pub struct DigitSet {
    pub images: Tensor<2>,
    pub labels: Vec<u8>,
}

impl DigitSet {
    /// The first `limit` images of `split` (28x28), averaged 2x2 down to 14x14.
    pub fn from_mnist(split: &LabelledImages, limit: usize, device: &Device) -> Result<DigitSet> {
        ensure!(split.side() == 2 * SIDE, "expected 28x28 MNIST images, got {0}x{0}", split.side());
        let n = split.len().min(limit);
        ensure!(n >= 1, "no images to train on");
        let indices: Vec<usize> = (0..n).collect();
        let full = split.features_tensor(&indices, device);
        let images = full.reshape([n, SIDE, 2, SIDE, 2]).mean_dim(4).mean_dim(2).reshape([n, PIXELS]);
        Ok(DigitSet { images, labels: split.labels()[..n].to_vec() })
    }

    /// The number of digits.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the set is empty (never, once built).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Images `[batch, 196]` in [0, 1] and labels `[batch]` at `indices`.
    pub fn batch(&self, indices: &[usize]) -> (Tensor<2>, Tensor<1, Int>) {
        let device = self.images.device();
        let index = Tensor::<1, Int>::from_data(
            TensorData::new(indices.iter().map(|&i| i as i64).collect::<Vec<_>>(), [indices.len()]),
            &device,
        );
        let labels: Vec<i64> = indices.iter().map(|&i| i64::from(self.labels[i])).collect();
        (
            self.images.clone().select(0, index),
            Tensor::from_data(TensorData::new(labels, [indices.len()]), &device),
        )
    }
}

/// Training of the judge.
#[derive(Clone, Debug, Serialize)]
pub struct ClassifierConfig {
    pub hidden: usize,
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
}

/// Trains the digit classifier on `train` in the shared loop (its loss curve `classifier train
/// loss` into `record`); returns it and its accuracy on `test`.
pub fn train_classifier(
    train: &DigitSet,
    test: &DigitSet,
    config: &ClassifierConfig,
    seed: u64,
    device: &Device,
    record: &mut ExperimentRecord,
) -> Result<(DigitClassifier, f64)> {
    let model = DigitClassifier::new(PIXELS, config.hidden, CLASSES, device)?;
    let mut batches = Batches::new(train.len(), config.batch, seed, true)?.stream();
    let fitted = Fit::new("classifier", config.steps, config.learning_rate).run(
        model,
        FusedAdamConfig::new().init(),
        record,
        |model, step| {
            let (x, y) = train.batch(batches.at(step));
            Ok(model.loss(x, y))
        },
    )?;
    let (images, labels) = test.batch(&(0..test.len()).collect::<Vec<_>>());
    let accuracy = accuracy(fitted.model.forward(images), labels);
    Ok((fitted.model, accuracy))
}
