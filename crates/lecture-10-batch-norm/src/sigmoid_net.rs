//! The network of Ioffe & Szegedy's MNIST experiment: fully connected hidden layers of sigmoid
//! units, optionally with batch normalisation in front of every sigmoid and dropout after it.
//!
//! ```text
//! plain:  h_l = sigmoid(h_{l-1} W_l + b_l)
//! BN:     h_l = sigmoid(BN(h_{l-1} W_l))          (no bias: BN's beta takes its place)
//! logits  = h_L W_out + b_out
//! ```
//!
//! Shapes: input `[B, 784]`, every hidden `h_l` `[B, 100]`, logits `[B, 10]`. BN normalises the
//! *pre-activation* `h_{l-1} W_l`, i.e. the input of the sigmoid, whose distribution the paper's
//! Fig. 1 follows. Weights are drawn from `N(0, (init_scale / sqrt(fan_in))^2)`, biases are 0:
//! `init_scale` is the knob of the initialisation experiment.

use crate::batch_norm::{BatchNorm, BatchNormConfig};
use burn::module::Param;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::sigmoid;
use serde::Serialize;

/// The shape and options of a [`SigmoidNet`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct SigmoidNetConfig {
    /// Input features (784 for MNIST).
    pub input: usize,
    /// Units per hidden layer.
    pub hidden: usize,
    /// Number of hidden layers.
    pub layers: usize,
    /// Output classes.
    pub classes: usize,
    /// Batch normalisation before every sigmoid.
    pub batch_norm: bool,
    /// Dropout probability after every hidden layer (0: none).
    pub dropout: f64,
    /// Weight standard deviation in units of `1 / sqrt(fan_in)`.
    pub init_scale: f64,
}

impl SigmoidNetConfig {
    /// The paper's MNIST net: 784 -> 3 x 100 sigmoid -> 10, no dropout, `N(0, 1/fan_in)` weights.
    pub fn mnist(batch_norm: bool) -> Self {
        Self { input: 784, hidden: 100, layers: 3, classes: 10, batch_norm, dropout: 0.0, init_scale: 1.0 }
    }

    /// A fresh network.
    pub fn init(&self, device: &Device) -> SigmoidNet {
        let linear = |fan_in: usize, fan_out: usize, bias: bool| {
            let std = self.init_scale / (fan_in as f64).sqrt();
            Linear {
                weight: Param::from_tensor(Tensor::random(
                    [fan_in, fan_out],
                    Distribution::Normal(0.0, std),
                    device,
                )),
                bias: bias.then(|| Param::from_tensor(Tensor::zeros([fan_out], device))),
            }
        };
        let hidden = (0..self.layers)
            .map(|l| HiddenLayer {
                linear: linear(if l == 0 { self.input } else { self.hidden }, self.hidden, !self.batch_norm),
                norm: self.batch_norm.then(|| BatchNormConfig::new(self.hidden).init(device)),
            })
            .collect();
        SigmoidNet {
            hidden,
            output: linear(self.hidden, self.classes, true),
            dropout: (self.dropout > 0.0).then(|| DropoutConfig::new(self.dropout).init()),
        }
    }
}

/// One hidden layer: linear map, optional batch norm, sigmoid.
#[derive(Module, Debug)]
pub struct HiddenLayer {
    /// `[fan_in, hidden]` weights (bias only without BN).
    pub linear: Linear,
    /// Batch normalisation of the pre-activation, if enabled.
    pub norm: Option<BatchNorm>,
}

impl HiddenLayer {
    /// The input of the sigmoid `[B, hidden]`: `x W + b`, or `BN(x W)`.
    pub fn pre_activation(&self, x: Tensor<2>) -> Tensor<2> {
        let z = self.linear.forward(x);
        match &self.norm {
            Some(norm) => norm.forward(z),
            None => z,
        }
    }
}

/// Hidden sigmoid layers and a linear read-out.
#[derive(Module, Debug)]
pub struct SigmoidNet {
    /// The hidden layers, input side first.
    pub hidden: Vec<HiddenLayer>,
    /// `[hidden, classes]` read-out.
    pub output: Linear,
    /// Dropout after every hidden layer, if enabled.
    pub dropout: Option<Dropout>,
}

/// A forward pass with the sigmoid inputs kept for inspection.
pub struct Traced {
    /// `[B, classes]`.
    pub logits: Tensor<2>,
    /// The input of every hidden layer's sigmoid, `[B, hidden]` each, input side first.
    pub pre_activations: Vec<Tensor<2>>,
}

impl SigmoidNet {
    /// Logits `[B, classes]` of `x` `[B, input]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.forward_traced(x).logits
    }

    /// The forward pass, keeping every sigmoid's input.
    pub fn forward_traced(&self, x: Tensor<2>) -> Traced {
        let mut pre_activations = Vec::with_capacity(self.hidden.len());
        let mut h = x;
        for layer in &self.hidden {
            let z = layer.pre_activation(h);
            pre_activations.push(z.clone());
            h = sigmoid(z);
            if let Some(dropout) = &self.dropout {
                h = dropout.forward(h);
            }
        }
        Traced { logits: self.output.forward(h), pre_activations }
    }

    /// Mean cross-entropy of `labels` `[B]` given `x` `[B, input]`.
    pub fn loss(&self, x: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
        cross_entropy(self.forward(x), labels)
    }
}

/// Mean cross-entropy of `labels` `[B]` under `logits` `[B, classes]`.
pub fn cross_entropy(logits: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
    CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn shapes_and_bias_follow_the_config() {
        seeded(0, |device| {
            let config = SigmoidNetConfig {
                input: 6,
                hidden: 4,
                layers: 3,
                classes: 3,
                ..SigmoidNetConfig::mnist(true)
            };
            let net = config.init(device);
            assert!(net.hidden.iter().all(|l| l.linear.bias.is_none() && l.norm.is_some()));
            let traced = net.forward_traced(Tensor::ones([5, 6], device));
            assert_eq!(traced.logits.dims(), [5, 3]);
            assert_eq!(traced.pre_activations.len(), 3);
            assert!(traced.pre_activations.iter().all(|z| z.dims() == [5, 4]));
            let plain = SigmoidNetConfig { batch_norm: false, ..config }.init(device);
            assert!(plain.hidden.iter().all(|l| l.linear.bias.is_some() && l.norm.is_none()));
        });
    }
}
