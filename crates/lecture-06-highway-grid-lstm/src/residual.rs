//! The residual block (He et al. 2016), in the form without batch normalisation:
//!
//! ```text
//! y = x + F(x),    F(x) = g(x W_1 + b_1) W_2 + b_2         x, y: [batch, width]
//! ```
//!
//! The identity path is always open: `∂y/∂x = I + ∂F/∂x`, so the gradient reaches every layer
//! undiminished. A highway layer whose gates are fixed at `T = C = 1` would be the same thing;
//! here nothing is gated and nothing is learned about *whether* to carry.
//!
//! Without batch normalisation each block adds the variance of `F(x)` to that of `x`, and 50
//! blocks with the usual initialisation would blow the signal up. So `W_2` and `b_2` start at
//! zero (Goyal et al. 2017 zero the last scale of each block for the same reason; Zhang et al.
//! 2019, "Fixup"): every block starts as the identity, as a highway layer with a negative gate
//! bias nearly does. `W_1` is He-initialised. Two matrices per block give it the parameter count
//! of a highway layer (`2 width²`).

use crate::layer::Activation;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::prelude::{Device, Tensor};
use shared::init::scaled_normal_linear;

/// `y = x + g(x W_1 + b_1) W_2 + b_2`.
#[derive(Module, Debug)]
pub struct ResidualLayer {
    /// `W_1: [width, width]`, `b_1: [width]`.
    pub inner: Linear,
    /// `W_2: [width, width]`, `b_2: [width]`, zero at initialisation.
    pub outer: Linear,
    #[module(skip)]
    activation: Activation,
}

impl ResidualLayer {
    /// A block of `width` units that starts as the identity.
    pub fn new(width: usize, activation: Activation, device: &Device) -> Self {
        let outer = Linear {
            weight: Param::from_tensor(Tensor::zeros([width, width], device)),
            bias: Some(Param::from_tensor(Tensor::zeros([width], device))),
        };
        Self { inner: scaled_normal_linear(width, width, activation.gain(), device), outer, activation }
    }

    /// `x: [batch, width]` -> `y: [batch, width]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        x.clone() + self.outer.forward(self.activation.apply(self.inner.forward(x)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::weights::linear;
    use shared::testing::{Tolerance, assert_tensors_close};

    #[test]
    fn a_new_block_is_the_identity() {
        let device = Device::flex();
        let block = ResidualLayer::new(4, Activation::Tanh, &device);
        let x = Tensor::<2>::from_floats([[0.1, -0.2, 0.3, 4.0]], &device);
        assert_tensors_close("y = x", block.forward(x.clone()), x, Tolerance::F32);
    }

    #[test]
    fn a_hand_computed_unit() {
        // x = 0.5, W_1 = 2, b_1 = 0, W_2 = 3, b_2 = 0.1: y = 0.5 + 3 tanh(1) + 0.1 = 2.8847417.
        let device = Device::flex();
        let one = |w: f32, b: f32| {
            linear(Tensor::from_floats([[w]], &device), Some(Tensor::from_floats([b], &device)))
        };
        let block =
            ResidualLayer { inner: one(2.0, 0.0), outer: one(3.0, 0.1), activation: Activation::Tanh };
        let y = block.forward(Tensor::from_floats([[0.5]], &device));
        assert_tensors_close("y", y, Tensor::from_floats([[2.884_741_7]], &device), Tolerance::F32);
    }
}
