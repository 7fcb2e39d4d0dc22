//! The GRU layer both halves of the encoder-decoder run on (Cho et al. 2014), "reset after"
//! like burn's `Gru` and PyTorch's:
//!
//! ```text
//! [a_z, a_r, a_n] = x_t W_x + b_x        W_x: [input, 3 hidden]   (all time steps in one matmul)
//! [u_z, u_r, u_n] = h_{t-1} W_h + b_h    W_h: [hidden, 3 hidden]  (one matmul per step)
//! z = σ(a_z + u_z),  r = σ(a_r + u_r),  n = tanh(a_n + r ⊙ u_n)
//! h_t = n + z ⊙ (h_{t-1} - n)            = (1 - z) ⊙ n + z ⊙ h_{t-1}
//! ```
//!
//! Blocks are ordered update, reset, candidate. The input projection of a whole sequence is one
//! matrix product (`project`), so the loop over time does one small matmul per step: in burn the
//! cost of a recurrent layer is the number of operations, not their size.
//! Shapes: `x: [batch, time, input]`, `h: [batch, hidden]`, outputs `[batch, time, hidden]`.

use burn::module::Param;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use shared::recurrent::FusedGru;

/// Sizes of a [`GruLayer`].
#[derive(Config, Debug)]
pub struct GruLayerConfig {
    /// Width of `x_t`.
    pub input_size: usize,
    /// Width of `h_t`.
    pub hidden_size: usize,
}

impl GruLayerConfig {
    /// A layer with burn's default `Linear` initialisation.
    pub fn init(&self, device: &Device) -> GruLayer {
        GruLayer {
            input: LinearConfig::new(self.input_size, 3 * self.hidden_size).init(device),
            hidden: LinearConfig::new(self.hidden_size, 3 * self.hidden_size).init(device),
        }
    }
}

/// A GRU: `input` holds `W_x, b_x`, `hidden` holds `W_h, b_h`, each `[., 3 hidden]`.
#[derive(Module, Debug)]
pub struct GruLayer {
    /// `x W_x + b_x`, `[input] -> [3 hidden]`.
    pub input: Linear,
    /// `h W_h + b_h`, `[hidden] -> [3 hidden]`.
    pub hidden: Linear,
}

impl GruLayer {
    /// Width of `h_t`.
    pub fn hidden_size(&self) -> usize {
        self.hidden.weight.dims()[0]
    }

    /// `x W_x + b_x` for every step at once: `[batch, time, input] -> [batch, time, 3 hidden]`.
    pub fn project(&self, x: Tensor<3>) -> Tensor<3> {
        self.input.forward(x)
    }

    /// One step from a projected input `a_t: [batch, 3 hidden]` and `h_{t-1}: [batch, hidden]`.
    pub fn step(&self, a_t: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        let u = self.hidden.forward(h.clone());
        let hidden = self.hidden_size();
        let gates = sigmoid(a_t.clone().narrow(1, 0, 2 * hidden) + u.clone().narrow(1, 0, 2 * hidden));
        let (z, r) = (gates.clone().narrow(1, 0, hidden), gates.narrow(1, hidden, hidden));
        let n = (a_t.narrow(1, 2 * hidden, hidden) + r * u.narrow(1, 2 * hidden, hidden)).tanh();
        n.clone() + z * (h - n)
    }

    /// Runs over `x: [batch, time, input]` from `h_0` (zeros if `None`); returns every `h_t`
    /// `[batch, time, hidden]` and the last one `[batch, hidden]`.
    pub fn forward(&self, x: Tensor<3>, h_0: Option<Tensor<2>>) -> (Tensor<3>, Tensor<2>) {
        let [batch, time, _] = x.dims();
        let projected = self.project(x);
        let mut h = h_0.unwrap_or_else(|| Tensor::zeros([batch, self.hidden_size()], &projected.device()));
        let mut outputs = Vec::with_capacity(time);
        for t in 0..time {
            h = self.step(projected.clone().narrow(1, t, 1).squeeze_dim(1), h);
            outputs.push(h.clone());
        }
        (Tensor::stack(outputs, 1), h)
    }

    /// A copy of this layer's weights as a [`FusedGru`], which computes the same function over
    /// whole sequences in far fewer operations. The fused layer orders its gate blocks reset,
    /// update, candidate (PyTorch's order), so the first two blocks of every `[., 3 hidden]`
    /// weight and bias swap places. The copy is a new set of parameters: train one or the other.
    pub fn fused(&self) -> FusedGru {
        let hidden = self.hidden_size();
        let bias = |linear: &Linear| {
            let bias = linear.bias.as_ref().map(|b| b.val());
            bias.unwrap_or_else(|| Tensor::zeros([3 * hidden], &linear.weight.device()))
        };
        FusedGru {
            input_weight: reordered(self.input.weight.val(), hidden),
            input_bias: reordered(bias(&self.input), hidden),
            hidden_weight: reordered(self.hidden.weight.val(), hidden),
            hidden_bias: reordered(bias(&self.hidden), hidden),
        }
    }
}

/// A new parameter from `[..., 3 hidden]` with blocks update, reset, candidate: its blocks
/// reordered reset, update, candidate.
fn reordered<const D: usize>(blocks: Tensor<D>, hidden: usize) -> Param<Tensor<D>> {
    let block = |index| blocks.clone().narrow(D - 1, index * hidden, hidden);
    Param::from_tensor(Tensor::cat(vec![block(1), block(0), block(2)], D - 1).detach())
}
