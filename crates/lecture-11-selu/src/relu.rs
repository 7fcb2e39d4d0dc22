//! ReLU, the rectified linear unit: `relu(x) = max(0, x)`, element-wise, any shape.
//!
//! Its derivative is 1 for `x > 0` and 0 for `x < 0` (we take 0 at the kink): a gradient that
//! reaches a positive unit passes through unchanged however many layers it crosses, where a
//! sigmoid multiplies it by at most 1/4 per layer. The price is the other half: a unit whose
//! pre-activation is negative for every input passes no gradient at all and cannot recover (a
//! *dead* unit). The cost is one comparison and one multiplication per element, no `exp`.

use burn::prelude::Tensor;

/// `max(0, x)` written as `x ⊙ [x > 0]`, so that the gradient is the same mask.
pub fn relu<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let on = x.clone().greater_elem(0.0).float();
    x * on
}
