//! `mlp`: a two-layer perceptron on MNIST-sized inputs, the dense-matmul workload.
//!
//! images `[B, 784]` -> Linear 784->256 -> ReLU -> Linear 256->10 -> cross-entropy on labels `[B]`.

use super::inputs::{PIXELS, batch_rng, classes, uniform};
use super::{Trainee, Workload};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::relu;
use shared_kernels::fast_ops::linear;

/// The sizes of an [`Mlp`].
#[derive(Clone, Copy, Debug)]
pub struct MlpSizes {
    pub input: usize,
    pub hidden: usize,
    pub classes: usize,
    pub batch: usize,
}

/// Linear, ReLU, linear.
#[derive(Module, Debug)]
pub struct MlpModel {
    hidden: Linear,
    output: Linear,
}

impl MlpModel {
    fn new(sizes: MlpSizes, device: &Device) -> Self {
        Self {
            hidden: LinearConfig::new(sizes.input, sizes.hidden).init(device),
            output: LinearConfig::new(sizes.hidden, sizes.classes).init(device),
        }
    }

    /// Mean cross-entropy of `labels` `[B]` given `images` `[B, input]`.
    fn loss(&self, images: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
        let logits = linear(&self.output, relu(linear(&self.hidden, images)));
        CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, labels)
    }
}

/// The workload: the model, Adam, and one fixed batch of random images and labels.
pub struct Mlp {
    trainee: Trainee<MlpModel>,
    images: Tensor<2>,
    labels: Tensor<1, Int>,
}

impl Mlp {
    /// 784-256-10, batch 128.
    pub const BENCH: MlpSizes = MlpSizes { input: 784, hidden: 256, classes: 10, batch: 128 };

    /// A fresh model and a batch of pixels uniform in [-1, 1) with uniform labels.
    pub fn new(sizes: MlpSizes, device: &Device) -> Self {
        let mut rng = batch_rng();
        Self {
            trainee: Trainee::new(MlpModel::new(sizes, device)),
            images: uniform(&mut rng, [sizes.batch, sizes.input], PIXELS, device),
            labels: classes(&mut rng, [sizes.batch], sizes.classes, device),
        }
    }
}

impl Workload for Mlp {
    fn name(&self) -> &'static str {
        "mlp"
    }

    fn description(&self) -> &'static str {
        "MLP 784-256-10 (ReLU), batch 128, cross-entropy, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(self.images.clone(), self.labels.clone()))
    }
}
