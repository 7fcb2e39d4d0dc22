//! A tanh network as a function of one flat parameter vector, evaluated for many parameter
//! vectors at once: the object whose Hessian the lecture takes.
//!
//! ```text
//! θ = [W_1 (row-major [n_0, n_1]), b_1 [n_1], W_2, b_2, ..., W_L, b_L]     P = Σ (n_{l-1} + 1) n_l
//! K copies Θ [K, P],  inputs x [N, n_0]
//! h_0 = x                                                          [K, N, n_0] (shared by the copies)
//! h_l = tanh(h_{l-1} W_l + b_l),  l < L;   f = h_{L-1} W_L + b_L   [K, N, n_L]
//! L_k(θ_k) = mean over N and n_L of (f_k - y)²                     [K]
//! ```
//!
//! One backward pass of `Σ_k L_k` gives every copy its own gradient (the copies share nothing),
//! so the `2P` gradients of a finite-difference Hessian cost one batched forward and backward.
//! With no hidden layer (`sizes = [n_0, n_L]`) the model is linear and the loss convex.

use anyhow::{Result, ensure};
use burn::prelude::*;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};
use serde::Serialize;

/// Layer widths `[n_0, n_1, ..., n_L]`: inputs, hidden tanh layers, linear outputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlatNet {
    pub sizes: Vec<usize>,
}

impl FlatNet {
    /// A net of `sizes` (at least an input and an output width, all positive).
    pub fn new(sizes: &[usize]) -> Result<FlatNet> {
        ensure!(sizes.len() >= 2, "a net needs an input and an output width, got {sizes:?}");
        ensure!(sizes.iter().all(|&s| s > 0), "every width must be positive, got {sizes:?}");
        Ok(FlatNet { sizes: sizes.to_vec() })
    }

    /// `P`, the length of the parameter vector.
    pub fn parameters(&self) -> usize {
        self.sizes.windows(2).map(|w| (w[0] + 1) * w[1]).sum()
    }

    /// Weights `N(0, scale² / fan_in)`, biases 0 (`scale = 1`: LeCun's start).
    pub fn init(&self, scale: f64, rng: &mut StdRng) -> Vec<f64> {
        let mut theta = Vec::with_capacity(self.parameters());
        for w in self.sizes.windows(2) {
            let normal = Normal::new(0.0, scale / (w[0] as f64).sqrt()).expect("a finite spread");
            theta.extend((0..w[0] * w[1]).map(|_| normal.sample(rng)));
            theta.extend(std::iter::repeat_n(0.0, w[1]));
        }
        theta
    }

    /// Outputs `[K, N, n_L]` of the `K` parameter vectors `theta: [K, P]` on `x: [N, n_0]`.
    pub fn forward(&self, theta: Tensor<2>, x: Tensor<2>) -> Tensor<3> {
        let [copies, _] = theta.dims();
        let [rows, _] = x.dims();
        let mut h = x.unsqueeze::<3>().expand([copies, rows, self.sizes[0]]);
        let mut offset = 0;
        let last = self.sizes.len() - 2;
        for (layer, w) in self.sizes.windows(2).enumerate() {
            let weights = theta.clone().slice([0..copies, offset..offset + w[0] * w[1]]);
            offset += w[0] * w[1];
            let bias = theta.clone().slice([0..copies, offset..offset + w[1]]);
            offset += w[1];
            h = h.matmul(weights.reshape([copies, w[0], w[1]])) + bias.reshape([copies, 1, w[1]]);
            if layer < last {
                h = h.tanh();
            }
        }
        h
    }

    /// The mean squared error `[K]` of each copy against targets `y: [N, n_L]`.
    pub fn losses(&self, theta: Tensor<2>, x: Tensor<2>, y: Tensor<2>) -> Tensor<1> {
        let error = self.forward(theta, x) - y.unsqueeze::<3>();
        error.powi_scalar(2).flatten::<2>(1, 2).mean_dim(1).flatten(0, 1)
    }
}
