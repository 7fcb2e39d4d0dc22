//! What the three deep-net layers (plain, highway, residual) share: the nonlinearity `g` and
//! the initialisation of their weight matrices.

use burn::nn::{Initializer, Linear, LinearConfig};
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::relu;
use serde::{Deserialize, Serialize};

/// The nonlinearity `g` of a layer's transform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    /// `max(0, a)`.
    Relu,
    /// `tanh(a)`: the deep nets of the experiments, and the GRU's candidate.
    Tanh,
}

impl Activation {
    /// `g(a)`, element-wise, any shape.
    pub fn apply<const D: usize>(self, a: Tensor<D>) -> Tensor<D> {
        match self {
            Activation::Relu => relu(a),
            Activation::Tanh => a.tanh(),
        }
    }
}

impl Activation {
    /// The gain of [`scaled_linear`] that keeps the scale of the signal through a layer with
    /// this nonlinearity: `sqrt(2)` for ReLU (He et al. 2015: half the units are zero), 1 for
    /// tanh (LeCun et al. 1998: tanh is the identity near 0).
    pub fn gain(self) -> f64 {
        match self {
            Activation::Relu => 2f64.sqrt(),
            Activation::Tanh => 1.0,
        }
    }
}

/// A `Linear` `x W + b` with `W: [input, output]` and `b` drawn from `N(0, gain² / input)`; with
/// `gain` from [`Activation::gain`] a layer keeps the mean square of its input, so a deep plain
/// net neither blows up nor dies at initialisation (Srivastava et al. 2015 initialise their plain
/// nets this way). A linear read-out takes gain 1.
pub fn scaled_linear(input: usize, output: usize, gain: f64, device: &Device) -> Linear {
    LinearConfig::new(input, output)
        .with_initializer(Initializer::KaimingNormal { gain, fan_out_only: false })
        .init(device)
}
