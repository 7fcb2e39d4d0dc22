//! The baseline: a plain CNN with max-pooling and a softmax read-out, of about the size of the
//! reduced CapsNet without its decoder.
//!
//! ```text
//! images [B, 1, 28, 28]
//!   -> Conv2d 1 -> c1, 5x5, ReLU, max-pool 2     [B, c1, 12, 12]
//!   -> Conv2d c1 -> c2, 5x5, ReLU, max-pool 2    [B, c2, 4, 4]
//!   -> Linear c2*16 -> hidden, ReLU -> Linear 10 [B, 10]   (cross-entropy)
//! ```
//!
//! Max-pooling throws away where a feature was inside its window: a little invariance to
//! shifts, bought by losing the pose that capsules keep.

use crate::classifier::Classifier;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::relu;
use shared::fast_ops::{conv2d, max_pool2d_of_relu};

/// Configuration of [`Cnn`] (28 x 28 inputs).
#[derive(Config, Debug)]
pub struct CnnConfig {
    /// Channels of the two convolutions.
    pub channels: [usize; 2],
    /// Width of the hidden fully connected layer.
    pub hidden: usize,
    /// Classes.
    #[config(default = 10)]
    pub classes: usize,
}

impl CnnConfig {
    /// The baseline of this lecture: 32 and 64 channels, 448 hidden units (about 0.5M
    /// parameters, like the reduced CapsNet's encoder).
    pub fn baseline() -> Self {
        CnnConfig::new([32, 64], 448)
    }

    /// The network with fresh weights.
    pub fn init(&self, device: &Device) -> Cnn {
        let [c1, c2] = self.channels;
        Cnn {
            conv1: Conv2dConfig::new([1, c1], [5, 5]).init(device),
            conv2: Conv2dConfig::new([c1, c2], [5, 5]).init(device),
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            hidden: LinearConfig::new(c2 * 16, self.hidden).init(device),
            out: LinearConfig::new(self.hidden, self.classes).init(device),
        }
    }
}

/// The baseline CNN.
#[derive(Module, Debug)]
pub struct Cnn {
    conv1: Conv2d,
    conv2: Conv2d,
    pool: MaxPool2d,
    hidden: Linear,
    out: Linear,
}

impl Cnn {
    /// The hidden layer's features `[B, hidden]` of `images` `[B, 1, 28, 28]`: what the
    /// read-out sees, the CNN's counterpart of the capsules' pose vectors.
    pub fn features(&self, images: Tensor<4>) -> Tensor<2> {
        let x = max_pool2d_of_relu(&self.pool, conv2d(&self.conv1, images));
        let x = max_pool2d_of_relu(&self.pool, conv2d(&self.conv2, x));
        relu(self.hidden.forward(x.flatten::<2>(1, 3)))
    }

    /// Logits `[B, 10]` of `images` `[B, 1, 28, 28]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.out.forward(self.features(images))
    }
}

impl Classifier for Cnn {
    fn loss(&self, images: Tensor<4>, labels: Tensor<1, Int>) -> Tensor<1> {
        let logits = self.forward(images);
        CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, labels)
    }

    fn scores(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward(images)
    }
}
