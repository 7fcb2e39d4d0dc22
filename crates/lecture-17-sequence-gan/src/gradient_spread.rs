//! How noisy a gradient estimate is: draw `K` independent batches, compute the gradient `g_k` of
//! each, and measure their spread around the mean,
//!
//! ```text
//! ḡ = (1/K) Σ_k g_k            total variance  V = (1/(K-1)) Σ_k ||g_k - ḡ||²   (trace of the covariance)
//! ```
//!
//! `V` is what one step's estimate wanders by; the smaller `V / ||ḡ||²`, the fewer batches it
//! takes to see the true direction. Roll-outs are meant to lower `V` at the same batch size.

use burn::module::{Module, ModuleVisitor, Param};
use burn::prelude::*;
use burn::tensor::Gradients;

/// Every gradient of `module`'s trainable parameters in `grads`, flattened in visiting order.
pub fn flat_gradient<M: Module>(module: &M, grads: &Gradients) -> Vec<f64> {
    let mut visitor = Flatten { grads, values: Vec::new() };
    module.visit(&mut visitor);
    visitor.values
}

struct Flatten<'a> {
    grads: &'a Gradients,
    values: Vec<f64>,
}

impl ModuleVisitor for Flatten<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let Some(grad) = param.val().grad(self.grads) {
            self.values.extend(grad.into_data().iter::<f64>());
        }
    }
}

/// The spread of `K >= 2` gradient estimates of equal length.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Spread {
    /// `V = (1/(K-1)) Σ_k ||g_k - ḡ||²`.
    pub total_variance: f64,
    /// `||ḡ||²`.
    pub mean_squared_norm: f64,
}

/// The spread of `gradients` (at least two, all of one length).
pub fn spread(gradients: &[Vec<f64>]) -> Spread {
    let k = gradients.len();
    assert!(k >= 2, "a spread needs at least two estimates, got {k}");
    let n = gradients[0].len();
    let mean: Vec<f64> = (0..n).map(|i| gradients.iter().map(|g| g[i]).sum::<f64>() / k as f64).collect();
    let squared_deviation: f64 =
        gradients.iter().map(|g| g.iter().zip(&mean).map(|(x, m)| (x - m).powi(2)).sum::<f64>()).sum();
    Spread {
        total_variance: squared_deviation / (k - 1) as f64,
        mean_squared_norm: mean.iter().map(|m| m * m).sum(),
    }
}
