//! The gradient penalty of WGAN-GP (Gulrajani et al. 2017, algorithm 1).
//!
//! ```text
//! ε ~ U[0, 1] per sample                      ε: [batch, 1]
//! x̂ = ε x + (1 - ε) x~                        x real, x~ generated: [batch, d]
//! P = λ E[(||∇_x̂ f(x̂)||_2 - 1)^2]             [1]
//! ```
//!
//! A differentiable `f` is 1-Lipschitz exactly when `||∇f|| <= 1` everywhere, and the optimal
//! critic has gradient norm 1 on the lines between coupled real and generated points: the
//! penalty asks for that there, softly, instead of clipping the weights. `∇f` comes from
//! [`Critic::input_gradient`], so the penalty is a function of the weights burn differentiates.

use crate::critic::Critic;
use burn::prelude::*;
use burn::tensor::Distribution;

/// The paper's weight of the penalty.
pub const LAMBDA: f64 = 10.0;

/// Random points on the lines between `real` and `fake` `[batch, d]`, one `ε` per row.
pub fn interpolate(real: Tensor<2>, fake: Tensor<2>) -> Tensor<2> {
    let [batch, _] = real.dims();
    let epsilon = Tensor::<2>::random([batch, 1], Distribution::Uniform(0.0, 1.0), &real.device());
    fake.clone() + (real - fake) * epsilon
}

/// `λ E[(||∇f(x̂)|| - 1)^2]` at the points `x̂` `[batch, d]`.
pub fn penalty_at(critic: &Critic, points: Tensor<2>, lambda: f64) -> Tensor<1> {
    gradient_norms(critic, points).sub_scalar(1.0).powi_scalar(2).mean().mul_scalar(lambda)
}

/// `||∇f(x)||_2` per row of `points` `[batch, d]` -> `[batch, 1]` (a tiny floor keeps the square
/// root differentiable where the gradient vanishes).
pub fn gradient_norms(critic: &Critic, points: Tensor<2>) -> Tensor<2> {
    critic.input_gradient(points).powi_scalar(2).sum_dim(1).add_scalar(1e-12).sqrt()
}

/// The penalty on fresh interpolates between `real` and `fake` (both detached from the generator).
pub fn gradient_penalty(critic: &Critic, real: Tensor<2>, fake: Tensor<2>, lambda: f64) -> Tensor<1> {
    penalty_at(critic, interpolate(real, fake), lambda)
}
