//! The reconstruction decoder: redraw the input from the winning digit capsule alone.
//!
//! All digit capsules but one are masked to zero (the true class while training, the longest
//! capsule at test time); three fully connected layers turn the `J * D` masked vector into an
//! image:
//!
//! ```text
//! [B, J, D] -mask-> [B, J * D] -> ReLU(h1) -> ReLU(h2) -> sigmoid -> [B, side * side]
//! ```
//!
//! The paper uses `h1 = 512`, `h2 = 1024`. Trained with the sum of squared pixel errors scaled
//! by 0.0005, so that it does not dominate the margin loss: it forces the 16 numbers of the
//! winning capsule to describe the digit's appearance.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{relu, sigmoid};

/// Configuration of [`Decoder`].
#[derive(Config, Debug)]
pub struct DecoderConfig {
    /// Digit capsules `J`.
    pub capsules: usize,
    /// Capsule dimension `D`.
    pub dim: usize,
    /// Widths of the two hidden layers.
    pub hidden: [usize; 2],
    /// Output pixels.
    pub pixels: usize,
}

impl DecoderConfig {
    /// The decoder with fresh weights.
    pub fn init(&self, device: &Device) -> Decoder {
        Decoder {
            first: LinearConfig::new(self.capsules * self.dim, self.hidden[0]).init(device),
            second: LinearConfig::new(self.hidden[0], self.hidden[1]).init(device),
            out: LinearConfig::new(self.hidden[1], self.pixels).init(device),
        }
    }
}

/// The three-layer decoder.
#[derive(Module, Debug)]
pub struct Decoder {
    first: Linear,
    second: Linear,
    out: Linear,
}

impl Decoder {
    /// Pixels in [0, 1] `[B, side * side]` drawn from capsule `keep[b]` of `capsules` `[B, J, D]`.
    pub fn forward(&self, capsules: Tensor<3>, keep: Tensor<1, Int>) -> Tensor<2> {
        let [batch, count, dim] = capsules.dims();
        let mask = keep.one_hot::<2>(count).float().unsqueeze_dim::<3>(2); // [B, J, 1]
        let masked = (capsules * mask).reshape([batch, count * dim]);
        let hidden = relu(self.second.forward(relu(self.first.forward(masked))));
        sigmoid(self.out.forward(hidden))
    }
}
