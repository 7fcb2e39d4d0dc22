//! Small helpers every parity test repeats when it compares gradients.

use burn::module::Param;
use burn::prelude::Tensor;
use burn::tensor::Gradients;

/// A fresh leaf copy of `x` that records its gradient, so that two models fed "the same" input
/// each get their own input gradient.
pub fn leaf<const D: usize>(x: &Tensor<D>) -> Tensor<D> {
    x.clone().detach().require_grad()
}

/// The gradient of `tensor`, or a panic naming `what` had none (it was not part of the loss).
pub fn grad_of<const D: usize>(what: &str, tensor: &Tensor<D>, grads: &Gradients) -> Tensor<D> {
    tensor.grad(grads).unwrap_or_else(|| panic!("{what}: no gradient"))
}

/// The gradient of a module's parameter, or a panic naming `what`.
pub fn param_grad<const D: usize>(what: &str, param: &Param<Tensor<D>>, grads: &Gradients) -> Tensor<D> {
    grad_of(what, &param.val(), grads)
}
