//! The critic `f: R^d -> R` and its gradient with respect to its input, written out by hand.
//!
//! The critic is the shared leaky-ReLU MLP with one output (`shared::gan::mlp`):
//!
//! ```text
//! a_0 = x                                   x: [batch, d]
//! z_k = a_{k-1} W_k + b_k,  a_k = lrelu(z_k)     k = 1 .. L-1, W_k: [h_{k-1}, h_k]
//! f(x) = z_L = a_{L-1} W_L + b_L            [batch, 1]
//! ```
//!
//! Its input gradient is the chain rule run backwards through the same layers, with the slope
//! `s_k = lrelu'(z_k)` (1 where `z_k > 0`, 0.2 elsewhere) as a mask:
//!
//! ```text
//! g_L     = 1 W_L^T                          [batch, h_{L-1}]   (1: [batch, 1] of ones)
//! g_{k-1} = (g_k ⊙ s_k) W_k^T                [batch, h_{k-1}]
//! ∇_x f   = g_0                              [batch, d]
//! ```
//!
//! **Why by hand.** The gradient penalty of WGAN-GP puts `||∇_x f(x)||` inside the critic's
//! loss, so the loss must be differentiated with respect to the weights *through* a gradient.
//! burn's autodiff is first order: `backward()` returns numbers, not a graph that can itself be
//! differentiated. Written as tensor operations (matmuls with the `W_k` and products with the
//! masks), `∇_x f` is an ordinary expression of the weights, and one `backward()` of the
//! penalty reaches every `W_k`. The masks are constants almost everywhere (leaky ReLU is
//! piecewise linear), so they are computed on detached values.

use anyhow::{Result, ensure};
use burn::prelude::*;
use shared::fast_ops::leaky_relu;
use shared::gan::mlp::{LEAKY_SLOPE, Mlp, MlpConfig};

/// A scalar function of a sample: the Wasserstein critic, or the discriminator's logit.
#[derive(Module, Debug)]
pub struct Critic {
    net: Mlp,
}

impl Critic {
    /// A critic `features -> hidden... -> 1` (no dropout: the input gradient assumes none).
    pub fn new(features: usize, hidden: &[usize], device: &Device) -> Result<Critic> {
        ensure!(!hidden.is_empty(), "the critic needs at least one hidden layer");
        let widths = [vec![features], hidden.to_vec(), vec![1]].concat();
        Ok(Critic { net: MlpConfig::new(widths).init(device)? })
    }

    /// `f(x)`: `[batch, d] -> [batch, 1]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.net.forward(x)
    }

    /// `∇_x f(x)` `[batch, d]`, as tensor operations on the weights (see the module docs).
    pub fn input_gradient(&self, x: Tensor<2>) -> Tensor<2> {
        let layers = self.net.layers();
        let (hidden, output) = layers.split_at(layers.len() - 1);
        let mut slopes = Vec::with_capacity(hidden.len());
        let mut a = x;
        for layer in hidden {
            let z = layer.forward(a);
            slopes.push(slope(&z));
            a = leaky_relu(z, LEAKY_SLOPE);
        }
        let ones = Tensor::<2>::ones([a.dims()[0], 1], &a.device());
        let mut g = ones.matmul(output[0].weight.val().transpose());
        for (layer, s) in hidden.iter().zip(slopes).rev() {
            g = (g * s).matmul(layer.weight.val().transpose());
        }
        g
    }

    /// The MLP inside (for tests and weight statistics).
    pub fn net(&self) -> &Mlp {
        &self.net
    }
}

/// `lrelu'(z)`: 1 where `z > 0`, the leaky slope elsewhere; a constant (detached) mask.
fn slope(z: &Tensor<2>) -> Tensor<2> {
    let positive = z.clone().detach().greater_elem(0.0).float();
    positive.mul_scalar(1.0 - LEAKY_SLOPE).add_scalar(LEAKY_SLOPE)
}
