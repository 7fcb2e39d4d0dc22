//! The baseline: a fully connected network, which sees a fixed window of the sequence at once.
//!
//! ```text
//! z⁰ = x,   zˡ = act(zˡ⁻¹ Wˡ + bˡ)  for l < L,   y = zᴸ⁻¹ Wᴸ + bᴸ  (no activation on the output)
//! ```
//!
//! `Wˡ: [widths[l-1], widths[l]]`. On a sequence, [`FeedForward::forward_window`] flattens the last
//! `window` steps into one vector: the network has no memory of anything before them.

use crate::cell::{uniform, uniform_param};
use anyhow::{Result, ensure};
use burn::config::Config;
use burn::module::{Module, Param};
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::{relu, sigmoid};
use serde::{Deserialize, Serialize};

/// The non-linearity between layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    /// `max(0, z)`.
    Relu,
    /// `tanh(z)`.
    Tanh,
    /// `1 / (1 + e^-z)`.
    Sigmoid,
}

impl Activation {
    /// The activation applied element-wise.
    pub fn apply<const D: usize>(self, z: Tensor<D>) -> Tensor<D> {
        match self {
            Activation::Relu => relu(z),
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => sigmoid(z),
        }
    }
}

/// Layer widths (input first, output last) and the activation between layers.
#[derive(Config, Debug)]
pub struct FeedForwardConfig {
    /// `[input, hidden.., output]`: at least two entries, all positive.
    pub widths: Vec<usize>,
    /// Applied after every layer but the last.
    #[config(default = "Activation::Relu")]
    pub activation: Activation,
}

impl FeedForwardConfig {
    /// Weights from `U(-1/sqrt(fan_in), 1/sqrt(fan_in))` (PyTorch's `nn.Linear` bound for the bias,
    /// close to its weights'); an error for fewer than two widths or a zero width.
    pub fn init(&self, device: &Device) -> Result<FeedForward> {
        ensure!(
            self.widths.len() >= 2 && self.widths.iter().all(|&w| w > 0),
            "FeedForwardConfig: widths must be [input, .., output] with at least two positive entries, got {:?}",
            self.widths
        );
        let layers = self
            .widths
            .windows(2)
            .map(|pair| Dense {
                weight: Param::from_tensor(uniform([pair[0], pair[1]], pair[0], device)),
                bias: uniform_param([pair[1]], pair[0], device),
            })
            .collect();
        Ok(FeedForward { layers, activation: self.activation })
    }
}

/// One fully connected layer `z W + b`, `W: [in, out]`, `b: [out]`.
#[derive(Module, Debug)]
pub struct Dense {
    /// `W: [in, out]`.
    pub weight: Param<Tensor<2>>,
    /// `b: [out]`.
    pub bias: Param<Tensor<1>>,
}

impl Dense {
    /// `z: [batch, in]` -> `z W + b: [batch, out]`.
    pub fn forward(&self, z: Tensor<2>) -> Tensor<2> {
        z.matmul(self.weight.val()) + self.bias.val().unsqueeze()
    }
}

/// The fully connected stack.
#[derive(Module, Debug)]
pub struct FeedForward {
    /// The layers, input first.
    pub layers: Vec<Dense>,
    #[module(skip)]
    activation: Activation,
}

impl FeedForward {
    /// Width of the input vector.
    pub fn input_size(&self) -> usize {
        self.layers[0].weight.val().dims()[0]
    }

    /// `x: [batch, input]` -> `[batch, output]` (no activation on the output).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(x, |z, (l, layer)| {
            let z = layer.forward(z);
            if l < last { self.activation.apply(z) } else { z }
        })
    }

    /// `inputs: [batch, time, features]` -> the network applied to its last `window` steps,
    /// flattened in time order to `[batch, window * features]`. An error when the sequence is
    /// shorter than the window or `window * features` is not the network's input width.
    pub fn forward_window(&self, inputs: Tensor<3>, window: usize) -> Result<Tensor<2>> {
        let [batch, time, features] = inputs.dims();
        ensure!(
            window > 0 && window <= time,
            "FeedForward::forward_window: window {window} must be in 1..={time} (the sequence length)"
        );
        ensure!(
            window * features == self.input_size(),
            "FeedForward::forward_window: {window} steps of {features} features make {} inputs, \
             the network reads {}",
            window * features,
            self.input_size()
        );
        let recent = inputs.slice([0..batch, time - window..time, 0..features]);
        Ok(self.forward(recent.reshape([batch, window * features])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::{Tolerance, assert_tensors_close};

    #[test]
    fn hidden_layers_are_activated_and_the_output_is_not() {
        let device = Device::flex();
        let mut net = FeedForwardConfig::new(vec![2, 2, 1]).init(&device).unwrap();
        net.layers[0] = Dense {
            weight: Param::from_tensor(Tensor::from_floats([[1.0, -1.0], [0.0, 0.0]], &device)),
            bias: Param::from_tensor(Tensor::zeros([2], &device)),
        };
        net.layers[1] = Dense {
            weight: Param::from_tensor(Tensor::from_floats([[1.0], [1.0]], &device)),
            bias: Param::from_tensor(Tensor::from_floats([-5.0], &device)),
        };
        // relu([3, -3]) = [3, 0] -> 3 - 5 = -2 (negative: no activation at the end).
        let y = net.forward(Tensor::from_floats([[3.0, 7.0]], &device));
        assert_tensors_close("y", y, Tensor::from_floats([[-2.0]], &device), Tolerance::F32);
    }

    #[test]
    fn the_window_is_the_last_steps_in_time_order() {
        let device = Device::flex();
        let mut net = FeedForwardConfig::new(vec![2, 1]).init(&device).unwrap();
        net.layers[0] = Dense {
            weight: Param::from_tensor(Tensor::from_floats([[1.0], [10.0]], &device)),
            bias: Param::from_tensor(Tensor::zeros([1], &device)),
        };
        let sequence = Tensor::<3>::from_floats([[[1.0], [2.0], [3.0]]], &device);
        // window [2, 3] -> 2 * 1 + 3 * 10
        let y = net.forward_window(sequence.clone(), 2).unwrap();
        assert_tensors_close("y", y, Tensor::from_floats([[32.0]], &device), Tolerance::F32);
        assert!(net.forward_window(sequence.clone(), 4).is_err());
        assert!(net.forward_window(sequence, 1).is_err(), "1 step of 1 feature is not 2 inputs");
        assert!(FeedForwardConfig::new(vec![3]).init(&device).is_err());
    }
}
