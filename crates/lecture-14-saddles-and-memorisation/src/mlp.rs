//! The MLP of the memorisation experiments, and the straight line between two of its weights.
//!
//! ```text
//! x [batch, 784] -> ReLU(x W_1 + b_1) [batch, width] -> W_2 + b_2 -> logits [batch, 10]
//! W ~ N(0, 2 / fan_in) (He), b = 0
//! θ(α) = (1 - α) θ_a + α θ_b, parameter by parameter
//! ```

use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::relu;
use shared::data::mnist::{CLASSES, PIXELS};
use shared::init::scaled_normal_linear;

/// The MLP.
#[derive(Module, Debug)]
pub struct Mlp {
    pub hidden: Linear,
    pub output: Linear,
}

impl Mlp {
    /// A fresh net with `width` hidden units (weights from the device's generator).
    pub fn new(width: usize, device: &Device) -> Mlp {
        Mlp {
            hidden: scaled_normal_linear(PIXELS, width, 2f64.sqrt(), device),
            output: scaled_normal_linear(width, CLASSES, 2f64.sqrt(), device),
        }
    }

    /// Logits `[batch, 10]` of images `[batch, 784]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.output.forward(relu(self.hidden.forward(x)))
    }
}
