//! SELU, the scaled exponential linear unit (Klambauer et al. 2017): `λ · elu_α(x)`, i.e.
//! `λ x` for `x > 0` and `λ α (exp(x) - 1)` for `x <= 0`. Element-wise, any shape.
//!
//! `α` and `λ` are chosen so that a standard normal input gives an output of mean 0 and
//! variance 1 (see [`crate::selu_constants`], which solves for them): stacked on layers whose
//! weights have mean 0 and variance `1/fan_in`, activations keep mean 0 and variance 1 without
//! any normalisation layer.

use crate::elu::elu;
use crate::selu_constants::SeluConstants;
use burn::prelude::Tensor;

/// SELU with the derived constants.
pub fn selu<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let SeluConstants { alpha, lambda } = SeluConstants::get();
    elu(x, alpha) * lambda
}
