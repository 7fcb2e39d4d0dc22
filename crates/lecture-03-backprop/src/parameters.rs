//! The trained state of a model: named weight matrices, and the SGD step that updates them.

use burn::prelude::{Device, Tensor};
use shared::init::scaled_normal_linear;
use shared::testing::seeded_on;

/// A model's weights, in the order its loss function takes them.
#[derive(Clone, Debug)]
pub struct Parameters {
    pub names: Vec<String>,
    pub tensors: Vec<Tensor<2>>,
}

/// One affine layer `x W + b` to draw: its name, `W: [fan_in, fan_out]`, the gain of its
/// initialisation (see [`scaled_normal_linear`]).
#[derive(Clone, Copy, Debug)]
pub struct Layer {
    pub name: &'static str,
    pub fan_in: usize,
    pub fan_out: usize,
    pub gain: f64,
}

impl Parameters {
    /// `W_name [fan_in, fan_out]` from `N(0, gain²/fan_in)` and `b_name [1, fan_out] = 0` for
    /// each layer, drawn from `seed`.
    pub fn init(layers: &[Layer], seed: u64, device: &Device) -> Parameters {
        seeded_on(device, seed, |device| {
            let mut parameters = Parameters { names: Vec::new(), tensors: Vec::new() };
            for layer in layers {
                let linear = scaled_normal_linear(layer.fan_in, layer.fan_out, layer.gain, device);
                let bias = linear.bias.expect("scaled_normal_linear has a bias").val();
                parameters.push(format!("W_{}", layer.name), linear.weight.val());
                parameters.push(format!("b_{}", layer.name), bias.reshape([1, layer.fan_out]));
            }
            parameters
        })
    }

    /// Adds a named tensor.
    pub fn push(&mut self, name: String, tensor: Tensor<2>) {
        self.names.push(name);
        self.tensors.push(tensor);
    }

    /// Scalar parameters in all tensors.
    pub fn count(&self) -> usize {
        self.tensors.iter().map(|t| t.shape().num_elements()).sum()
    }

    /// Plain gradient descent, `θ ← θ - lr ∂L/∂θ`, for each tensor and its gradient.
    pub fn sgd_step(&self, gradients: &[Tensor<2>], learning_rate: f64) -> Parameters {
        let tensors =
            self.tensors.iter().zip(gradients).map(|(p, g)| p.clone() - g.clone() * learning_rate).collect();
        Parameters { names: self.names.clone(), tensors }
    }
}
