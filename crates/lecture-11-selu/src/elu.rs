//! ELU, the exponential linear unit (Clevert et al. 2016): `x` for `x > 0`,
//! `α (exp(x) - 1)` for `x <= 0`. Element-wise, any shape.
//!
//! The negative side saturates smoothly at `-α`, so units pass gradient `α exp(x)` below zero
//! (no dead units) and the mean activation can sit near zero, which ReLU's cannot.

use crate::relu::relu;
use burn::prelude::Tensor;

/// `relu(x) + α (exp(min(x, 0)) - 1)`: the same function, and `exp` never sees a large
/// positive number, so neither value nor gradient can overflow.
pub fn elu<const D: usize>(x: Tensor<D>, alpha: f64) -> Tensor<D> {
    let negative_part = x.clone().clamp_max(0.0).exp().sub_scalar(1.0) * alpha;
    relu(x) + negative_part
}
