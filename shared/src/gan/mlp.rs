//! The multilayer perceptron every network of the GAN lectures is built from.
//!
//! ```text
//! h_0 = x                                              x: [batch, widths[0]]
//! h_k = dropout(leaky_relu(h_{k-1} W_k + b_k, 0.2))    k = 1 .. L-1, h_k: [batch, widths[k]]
//! y   = h_{L-1} W_L + b_L                              y: [batch, widths[L]], no activation
//! ```
//!
//! The read-out has no activation: the generator adds its own (tanh for images, none for points),
//! the discriminator and the classifier return logits. Leaky ReLU (slope 0.2, Radford et al. 2016)
//! keeps a gradient flowing through units that are switched off, which a GAN's generator needs
//! (all of its signal comes through the discriminator); `shared::fast_ops::leaky_relu` makes it one
//! autodiff node on flex (burn composes three). Dropout is active only in training mode
//! on an autodiff device (`model.train()`); `model.valid()` turns it off.

use crate::fast_ops::leaky_relu;
use anyhow::{Result, ensure};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig};
use burn::prelude::*;

/// Slope of the leaky ReLU for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.2;

/// A stack of linear layers with leaky ReLU (and optional dropout) between them.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    dropout: Dropout,
}

/// The widths of an [`Mlp`], input first, output last, and the dropout after each hidden layer.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MlpConfig {
    pub widths: Vec<usize>,
    pub dropout: f64,
}

impl MlpConfig {
    /// An MLP with these widths (at least input and output) and no dropout.
    pub fn new(widths: Vec<usize>) -> Self {
        Self { widths, dropout: 0.0 }
    }

    /// The same with dropout probability `dropout` after every hidden layer.
    pub fn with_dropout(mut self, dropout: f64) -> Self {
        self.dropout = dropout;
        self
    }

    /// The network with burn's default (Kaiming uniform) initialisation; an error for fewer than
    /// two widths, a width of 0, or a dropout outside [0, 1).
    pub fn init(&self, device: &Device) -> Result<Mlp> {
        ensure!(self.widths.len() >= 2, "an MLP needs an input and an output width, got {:?}", self.widths);
        ensure!(self.widths.iter().all(|&w| w >= 1), "MLP widths must be at least 1, got {:?}", self.widths);
        ensure!((0.0..1.0).contains(&self.dropout), "dropout must be in [0, 1), got {}", self.dropout);
        let layers = self.widths.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
        Ok(Mlp { layers, dropout: DropoutConfig::new(self.dropout).init() })
    }
}

impl Mlp {
    /// `[batch, in] -> [batch, out]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(x, |h, (k, layer)| {
            let h = layer.forward(h);
            if k == last { h } else { self.dropout.forward(leaky_relu(h, LEAKY_SLOPE)) }
        })
    }

    /// The width of the input.
    pub fn input_width(&self) -> usize {
        self.layers[0].weight.dims()[0]
    }

    /// The width of the output.
    pub fn output_width(&self) -> usize {
        self.layers[self.layers.len() - 1].weight.dims()[1]
    }

    /// The linear layers, input side first (for tests that copy weights).
    pub fn layers(&self) -> &[Linear] {
        &self.layers
    }
}
