//! The MLP the MNIST objective trains, with dropout masks drawn from the trial's own generator.
//!
//! ```text
//! x [batch, 784] -> depth x (h = ReLU(h W_k + b_k),  h = h ⊙ m_k / (1 - p)) -> logits = h W_o + b_o [batch, 10]
//! m_k ~ Bernoulli(1 - p) [batch, width], drawn from a `StdRng` (not burn's process-wide generator)
//! ```
//!
//! burn's `Dropout` draws from one generator for the whole process: two trials on two threads
//! would interleave their draws and a parallel search would differ from a sequential one. Masks
//! from the trial's own seeded generator keep every trial reproducible on any thread.

use burn::module::Module;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::relu;
use rand::RngExt;
use rand::rngs::StdRng;
use shared::data::mnist::{CLASSES, PIXELS};
use shared::init::scaled_normal_linear;

/// The net's shape and start.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct MlpConfig {
    pub width: usize,
    pub depth: usize,
    /// Dropout probability `p` after every hidden layer.
    pub dropout: f64,
    /// Weights `N(0, gain² / fan_in)`.
    pub gain: f64,
}

impl MlpConfig {
    /// A net with weights from the device's generator (seed it first).
    pub fn init(&self, device: &Device) -> Mlp {
        let hidden = (0..self.depth)
            .map(|k| {
                scaled_normal_linear(if k == 0 { PIXELS } else { self.width }, self.width, self.gain, device)
            })
            .collect();
        let output = scaled_normal_linear(self.width, CLASSES, self.gain, device);
        Mlp { hidden, output, dropout: self.dropout }
    }
}

/// The MLP.
#[derive(Module, Debug)]
pub struct Mlp {
    pub hidden: Vec<Linear>,
    pub output: Linear,
    pub dropout: f64,
}

impl Mlp {
    /// Logits `[batch, 10]` in test mode (no dropout).
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let h = self.hidden.iter().fold(x, |h, layer| relu(layer.forward(h)));
        self.output.forward(h)
    }

    /// Logits in training mode: every hidden layer's output masked by dropout drawn from `rng`.
    pub fn forward_train(&self, x: Tensor<2>, rng: &mut StdRng) -> Tensor<2> {
        let h = self.hidden.iter().fold(x, |h, layer| {
            let h = relu(layer.forward(h));
            if self.dropout > 0.0 {
                h.clone() * dropout_mask(h.dims(), self.dropout, rng, &h.device())
            } else {
                h
            }
        });
        self.output.forward(h)
    }
}

/// `m / (1 - p)` with `m ~ Bernoulli(1 - p)`, of shape `dims`.
fn dropout_mask(dims: [usize; 2], p: f64, rng: &mut StdRng, device: &Device) -> Tensor<2> {
    let keep = (1.0 / (1.0 - p)) as f32;
    let values: Vec<f32> =
        (0..dims[0] * dims[1]).map(|_| if rng.random::<f64>() < p { 0.0 } else { keep }).collect();
    Tensor::from_data(TensorData::new(values, dims), device)
}
