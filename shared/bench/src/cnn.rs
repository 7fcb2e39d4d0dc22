//! `cnn`: a small LeNet-style convolutional classifier, the convolution workload.
//!
//! ```text
//! images [B, 1, 28, 28]
//!   -> Conv2d 1->32, 5x5, pad 2 -> ReLU -> MaxPool 2x2   [B, 32, 14, 14]
//!   -> Conv2d 32->64, 5x5, pad 2 -> ReLU -> MaxPool 2x2  [B, 64, 7, 7]
//!   -> flatten [B, 3136] -> Linear 3136->10 -> cross-entropy on labels [B]
//! ```

use super::inputs::{PIXELS, batch_rng, classes, uniform};
use super::{Trainee, Workload};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use shared_kernels::fast_ops::{conv2d, max_pool2d_of_relu};

/// Image side (MNIST).
const SIDE: usize = 28;
/// Number of classes.
const CLASSES: usize = 10;

/// Two conv-ReLU-pool blocks and a linear classifier.
#[derive(Module, Debug)]
pub struct CnnModel {
    conv1: Conv2d,
    conv2: Conv2d,
    pool: MaxPool2d,
    head: Linear,
}

impl CnnModel {
    fn new(device: &Device) -> Self {
        let conv = |channels: [usize; 2]| {
            Conv2dConfig::new(channels, [5, 5])
                .with_padding(PaddingConfig2d::Explicit(2, 2, 2, 2))
                .init(device)
        };
        Self {
            conv1: conv([1, 32]),
            conv2: conv([32, 64]),
            pool: MaxPool2dConfig::new([2, 2]).init(),
            head: LinearConfig::new(64 * 7 * 7, CLASSES).init(device),
        }
    }

    /// Mean cross-entropy of `labels` `[B]` given `images` `[B, 1, 28, 28]`.
    fn loss(&self, images: Tensor<4>, labels: Tensor<1, Int>) -> Tensor<1> {
        let x = max_pool2d_of_relu(&self.pool, conv2d(&self.conv1, images));
        let x = max_pool2d_of_relu(&self.pool, conv2d(&self.conv2, x));
        let logits = self.head.forward(x.flatten(1, 3));
        CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, labels)
    }
}

/// The workload: the model, Adam, and one fixed batch of random images and labels.
pub struct Cnn {
    trainee: Trainee<CnnModel>,
    images: Tensor<4>,
    labels: Tensor<1, Int>,
}

impl Cnn {
    /// Batch 64.
    pub const BENCH_BATCH: usize = 64;

    /// A fresh model and `batch` images with pixels uniform in [-1, 1) and uniform labels.
    pub fn new(batch: usize, device: &Device) -> Self {
        let mut rng = batch_rng();
        Self {
            trainee: Trainee::new(CnnModel::new(device)),
            images: uniform(&mut rng, [batch, 1, SIDE, SIDE], PIXELS, device),
            labels: classes(&mut rng, [batch], CLASSES, device),
        }
    }
}

impl Workload for Cnn {
    fn name(&self) -> &'static str {
        "cnn"
    }

    fn description(&self) -> &'static str {
        "CNN conv5x5(1->32)-pool-conv5x5(32->64)-pool-linear(3136->10), batch 64 of 28x28, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(self.images.clone(), self.labels.clone()))
    }
}
