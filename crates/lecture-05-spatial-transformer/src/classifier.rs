//! The classifiers a spatial transformer is put in front of: a small CNN and a fully connected
//! network (FCN).
//!
//! ```text
//! CNN: x [N, C, S, S] -> conv 5x5 pad 2 (C -> c1) -> ReLU -> max-pool 2    [N, c1, S/2, S/2]
//!                     -> conv 5x5 pad 2 (c1 -> c2) -> ReLU -> max-pool 2   [N, c2, S/4, S/4]
//!                     -> flatten -> Linear -> ReLU -> Linear                [N, classes]
//! FCN: x [N, C, S, S] -> flatten [N, C S S] -> Linear -> ReLU -> Linear    [N, classes]
//! ```
//!
//! Max-pooling is the CNN's only built-in invariance: a feature that moves by less than the
//! pooling window still lands in the same output cell (claim 1). Nothing in either network is
//! invariant to rotation or scale. Claim 1's negative control replaces each pool by keeping
//! every second row and column ([`Pooling::Subsample`]): the same shapes and parameters, no
//! tolerance built in.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu;
use serde::Serialize;
use shared::fast_ops::{conv2d, max_pool2d_of_relu};

/// How a CNN halves its maps after each convolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Pooling {
    /// The maximum of each 2x2 window.
    Max,
    /// The top-left pixel of each 2x2 window (pooling removed, the shapes kept).
    Subsample,
}

/// Which classifier, and its sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ClassifierConfig {
    /// Two conv + pool stages with `channels` maps, then a hidden layer of `hidden` units.
    Cnn { channels: [usize; 2], hidden: usize },
    /// One hidden layer of `hidden` units on the raw pixels.
    Fcn { hidden: usize },
}

impl ClassifierConfig {
    /// The same kind with another hidden width.
    pub fn with_hidden(self, hidden: usize) -> Self {
        match self {
            ClassifierConfig::Cnn { channels, .. } => ClassifierConfig::Cnn { channels, hidden },
            ClassifierConfig::Fcn { .. } => ClassifierConfig::Fcn { hidden },
        }
    }

    fn hidden(&self) -> usize {
        match *self {
            ClassifierConfig::Cnn { hidden, .. } | ClassifierConfig::Fcn { hidden } => hidden,
        }
    }

    /// Parameters before the hidden layer, and inputs of the hidden layer, for a `[C, S, S]` input.
    fn trunk(&self, channels: usize, side: usize) -> (usize, usize) {
        match *self {
            ClassifierConfig::Cnn { channels: [c1, c2], .. } => {
                (25 * channels * c1 + c1 + 25 * c1 * c2 + c2, c2 * (side / 4).pow(2))
            }
            ClassifierConfig::Fcn { .. } => (0, channels * side * side),
        }
    }

    /// Number of parameters for a `[channels, side, side]` input and `classes` outputs.
    pub fn num_params(&self, channels: usize, side: usize, classes: usize) -> usize {
        let (trunk, flat) = self.trunk(channels, side);
        trunk + (flat + 1) * self.hidden() + (self.hidden() + 1) * classes
    }

    /// The hidden width at which this classifier has about `target` parameters (at least 1
    /// unit): how the baselines get the parameter count of the transformer models.
    pub fn hidden_for_params(&self, channels: usize, side: usize, classes: usize, target: usize) -> usize {
        let (trunk, flat) = self.trunk(channels, side);
        let per_unit = flat + 1 + classes;
        let fixed = trunk + classes;
        (target.saturating_sub(fixed) as f64 / per_unit as f64).round().max(1.0) as usize
    }

    /// A fresh classifier (burn's default initialisation).
    pub fn init(&self, channels: usize, side: usize, classes: usize, device: &Device) -> Classifier {
        let (_, flat) = self.trunk(channels, side);
        let hidden = self.hidden();
        let conv = |io: [usize; 2]| {
            Conv2dConfig::new(io, [5, 5]).with_padding(PaddingConfig2d::Explicit(2, 2, 2, 2)).init(device)
        };
        let convs = match *self {
            ClassifierConfig::Cnn { channels: [c1, c2], .. } => vec![conv([channels, c1]), conv([c1, c2])],
            ClassifierConfig::Fcn { .. } => Vec::new(),
        };
        Classifier {
            convs,
            pool: MaxPool2dConfig::new([2, 2]).init(),
            pooling: Pooling::Max,
            hidden: LinearConfig::new(flat, hidden).init(device),
            output: LinearConfig::new(hidden, classes).init(device),
        }
    }
}

/// A CNN (two conv stages) or an FCN (no conv stage), with a hidden layer and a linear output.
#[derive(Module, Debug)]
pub struct Classifier {
    convs: Vec<Conv2d>,
    pool: MaxPool2d,
    #[module(skip)]
    pooling: Pooling,
    hidden: Linear,
    output: Linear,
}

impl Classifier {
    /// The same classifier halving its maps by `pooling`.
    pub fn with_pooling(self, pooling: Pooling) -> Self {
        Self { pooling, ..self }
    }

    /// `images` `[N, C, S, S]` -> logits `[N, classes]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let mut x = images;
        for conv in &self.convs {
            let maps = conv2d(conv, x);
            x = match self.pooling {
                Pooling::Max => max_pool2d_of_relu(&self.pool, maps),
                Pooling::Subsample => {
                    let [_, _, h, w] = maps.dims();
                    relu(maps.slice(s![.., .., 0..2 * (h / 2);2, 0..2 * (w / 2);2]))
                }
            };
        }
        self.output.forward(relu(self.hidden.forward(x.flatten::<2>(1, 3))))
    }
}
