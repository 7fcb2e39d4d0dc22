//! MNIST at 14x14 for the image experiments, and the digit classifier that judges samples.
//!
//! Every 2x2 block of a 28x28 digit is averaged into one pixel: a quarter of the pixels keeps
//! every model of this lecture (MLPs) fast on a CPU while the digits stay legible.

use crate::classifier::DigitClassifier;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::optim::GradientsParams;
use burn::prelude::*;
use serde::Serialize;
use shared::data::{Batches, LabelledImages};
use shared::train::{FusedAdamConfig, Progress, ensure_finite};

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

/// How [`fit`] trains: `steps` Adam steps of `batch` digits, reshuffled every epoch.
pub struct Fit<'a> {
    /// The progress bar's label and the name in error messages.
    pub label: &'a str,
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    pub seed: u64,
}

/// Trains `model` on `set` by minimising `loss(model, images, labels)`; `observe(step, loss)`
/// sees every step's loss. Returns the model and its last loss; an error if a loss diverges.
pub fn fit<M: Module>(
    mut model: M,
    set: &DigitSet,
    how: &Fit,
    mut observe: impl FnMut(u64, f64),
    loss: impl Fn(&M, Tensor<2>, Tensor<1, Int>) -> Tensor<1>,
) -> Result<(M, f64)> {
    let mut optimiser = FusedAdamConfig::new().init();
    let batches = Batches::new(set.len(), how.batch, how.seed, true)?;
    let progress = Progress::new(how.label, how.steps);
    let (mut step, mut value) = (0, f64::NAN);
    'epochs: for epoch in 0.. {
        for indices in &batches.epoch(epoch) {
            if step == how.steps {
                break 'epochs;
            }
            let (x, y) = set.batch(indices);
            let l = loss(&model, x, y);
            value = ensure_finite(step, &format!("{} loss", how.label), l.clone().into_scalar::<f64>())?;
            observe(step, value);
            progress.update(step + 1, &[("loss", value)]);
            let grads = GradientsParams::from_grads(l.backward(), &model);
            model = optimiser.step(how.learning_rate, model, grads);
            step += 1;
        }
    }
    progress.finish(&[("loss", value)]);
    Ok((model, value))
}

/// Trains the digit classifier on `train`; returns it and its accuracy on `test`.
pub fn train_classifier(
    train: &DigitSet,
    test: &DigitSet,
    config: &ClassifierConfig,
    seed: u64,
    device: &Device,
) -> Result<(DigitClassifier, f64)> {
    let model = DigitClassifier::new(PIXELS, config.hidden, CLASSES, device)?;
    let how = Fit {
        label: "classifier",
        steps: config.steps,
        batch: config.batch,
        learning_rate: config.learning_rate,
        seed,
    };
    let (model, _) = fit(model, train, &how, |_, _| {}, |m, x, y| m.loss(x, y))?;
    let verdicts = model.judge(test.images.clone());
    let wanted: Vec<usize> = test.labels.iter().map(|&l| usize::from(l)).collect();
    Ok((model, verdicts.agreement(&wanted)))
}
