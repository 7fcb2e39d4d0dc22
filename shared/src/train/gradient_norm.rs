//! How much gradient a network receives: the L2 norm over all of its parameters,
//!
//! ```text
//! ||dL/dtheta|| = sqrt( sum over parameter tensors W of sum_ij (dL/dW_ij)^2 )
//! ```
//!
//! read from the gradients of one `backward()` before the optimiser consumes them. The GAN lectures
//! measure with it how much a generator learns: one whose discriminator wins receives (almost)
//! none under the minimax loss.

use burn::module::{Module, ModuleVisitor, Param};
use burn::prelude::*;
use burn::tensor::Gradients;

/// `||dL/dtheta||` over the parameters of `module` that have a gradient in `grads` (0 when none).
pub fn gradient_norm<M: Module>(module: &M, grads: &Gradients) -> f64 {
    let mut visitor = SquaredNorm { grads, total: 0.0 };
    module.visit(&mut visitor);
    visitor.total.sqrt()
}

struct SquaredNorm<'a> {
    grads: &'a Gradients,
    total: f64,
}

impl ModuleVisitor for SquaredNorm<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if !param.is_require_grad() {
            return;
        }
        if let Some(grad) = param.val().grad(self.grads) {
            self.total += grad.powi_scalar(2).sum().into_scalar::<f64>();
        }
    }
}
