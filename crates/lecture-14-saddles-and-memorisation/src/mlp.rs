//! The MLP of the memorisation experiments, and the straight line between two of its weights.
//!
//! ```text
//! x [batch, 784] -> ReLU(x W_1 + b_1) [batch, width] -> W_2 + b_2 -> logits [batch, 10]
//! W ~ N(0, 2 / fan_in) (He), b = 0
//! θ(α) = (1 - α) θ_a + α θ_b, parameter by parameter
//! ```

use burn::module::Param;
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

    /// `(1 - α) a + α b`, layer by layer.
    pub fn interpolate(a: &Mlp, b: &Mlp, alpha: f64) -> Mlp {
        Mlp { hidden: lerp(&a.hidden, &b.hidden, alpha), output: lerp(&a.output, &b.output, alpha) }
    }
}

fn lerp(a: &Linear, b: &Linear, alpha: f64) -> Linear {
    let mix = |x: Tensor<2>, y: Tensor<2>| x * (1.0 - alpha) + y * alpha;
    let bias = |l: &Linear| l.bias.as_ref().expect("a bias").val().unsqueeze::<2>();
    Linear {
        weight: Param::from_tensor(mix(a.weight.val(), b.weight.val())),
        bias: Some(Param::from_tensor(mix(bias(a), bias(b)).flatten(0, 1))),
    }
}
