//! Leaky ReLU: `x` for `x > 0`, `a x` for `x <= 0`, with a small fixed slope `a` (0.01 usually).
//!
//! The negative side keeps a small gradient `a`, so a unit pushed below zero for every input
//! still learns and can come back: no dead units. Any shape, element-wise.

use burn::prelude::Tensor;

/// burn's (and PyTorch's) default negative slope.
pub const DEFAULT_SLOPE: f64 = 0.01;

/// `x` where `x > 0`, else `slope · x`.
pub fn leaky_relu<const D: usize>(x: Tensor<D>, slope: f64) -> Tensor<D> {
    let negative = x.clone().lower_equal_elem(0.0);
    x.clone().mask_where(negative, x * slope)
}
