//! What the three deep-net layers (plain, highway, residual) share: the nonlinearity `g` and
//! the gain of their weight matrices' initialisation (`N(0, gain² / fan_in)`, zero bias; Srivastava
//! et al. 2015 initialise their plain nets this way).

use burn::prelude::Tensor;
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
    /// The gain of shared's [`shared::init::scaled_normal_linear`] that keeps the scale of the signal through a layer with
    /// this nonlinearity: `sqrt(2)` for ReLU (He et al. 2015: half the units are zero), 1 for
    /// tanh (LeCun et al. 1998: tanh is the identity near 0).
    pub fn gain(self) -> f64 {
        match self {
            Activation::Relu => 2f64.sqrt(),
            Activation::Tanh => 1.0,
        }
    }
}
