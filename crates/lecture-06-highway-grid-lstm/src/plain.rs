//! The plain layer of a deep feed-forward net:
//!
//! ```text
//! y = g(x W_H + b_H)           x, y: [batch, width],  W_H: [width, width]
//! ```
//!
//! Stacking `L` of them multiplies the backward signal by `L` Jacobians
//! `diag(g'(a_l)) W_H^l`: unless every one of them keeps the norm, it shrinks or grows
//! geometrically with depth, and a deep plain net stops learning.

use crate::layer::Activation;
use burn::module::Module;
use burn::nn::Linear;
use burn::prelude::{Device, Tensor};
use shared::init::scaled_normal_linear;

/// `y = g(x W_H + b_H)`.
#[derive(Module, Debug)]
pub struct PlainLayer {
    /// `W_H: [width, width]`, `b_H: [width]`.
    pub transform: Linear,
    #[module(skip)]
    activation: Activation,
}

impl PlainLayer {
    /// A layer of `width` units, He-initialised.
    pub fn new(width: usize, activation: Activation, device: &Device) -> Self {
        Self { transform: scaled_normal_linear(width, width, activation.gain(), device), activation }
    }

    /// `x: [batch, width]` -> `y: [batch, width]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.activation.apply(self.transform.forward(x))
    }
}
