//! A one-hidden-layer perceptron and its loss, written once for every engine.
//!
//! ```text
//! h      = tanh(x W_hidden + b_hidden)      x: [batch, input], h: [batch, hidden]
//! logits = h W_output + b_output             [batch, classes]
//! L      = mean cross-entropy(logits, y)     y: [batch] class indices
//! ```

use crate::engine::Engine;
use crate::parameters::{Layer, Parameters};
use burn::prelude::{Device, Int, Tensor};

/// The perceptron's sizes.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct MlpShape {
    pub input: usize,
    pub hidden: usize,
    pub classes: usize,
}

impl MlpShape {
    /// The two layers, LeCun-initialised (tanh and a linear read-out keep unit scale).
    pub fn layers(&self) -> [Layer; 2] {
        [
            Layer { name: "hidden", fan_in: self.input, fan_out: self.hidden, gain: 1.0 },
            Layer { name: "output", fan_in: self.hidden, fan_out: self.classes, gain: 1.0 },
        ]
    }

    /// Fresh weights `[W_hidden, b_hidden, W_output, b_output]` drawn from `seed`.
    pub fn init(&self, seed: u64, device: &Device) -> Parameters {
        Parameters::init(&self.layers(), seed, device)
    }

    /// Scalar parameters: `(input + 1) hidden + (hidden + 1) classes`.
    pub fn parameter_count(&self) -> usize {
        (self.input + 1) * self.hidden + (self.hidden + 1) * self.classes
    }
}

/// The logits `[batch, classes]` of `x [batch, input]` under `p = [W_hidden, b_hidden,
/// W_output, b_output]`.
pub fn mlp_logits<E: Engine>(engine: &mut E, p: &[E::Value], x: &Tensor<2>) -> E::Value {
    let x = engine.constant(x.clone());
    let pre = engine.matmul(&x, &p[0]);
    let pre = engine.add(&pre, &p[1]);
    let hidden = engine.tanh(&pre);
    let out = engine.matmul(&hidden, &p[2]);
    engine.add(&out, &p[3])
}

/// The mean cross-entropy `[1, 1]` of the perceptron on `x` with labels `y`.
pub fn mlp_loss<E: Engine>(engine: &mut E, p: &[E::Value], x: &Tensor<2>, y: &Tensor<1, Int>) -> E::Value {
    let logits = mlp_logits(engine, p, x);
    engine.softmax_cross_entropy(&logits, y)
}
