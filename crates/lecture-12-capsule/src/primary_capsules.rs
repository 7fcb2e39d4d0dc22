//! Primary capsules: a convolution whose output channels are grouped into vectors.
//!
//! A `K x K`, stride-2 convolution maps the feature map `[B, C, H, W]` to `types * dim` channels
//! on a `G x G` grid; channel `t * dim + k` is component `k` of capsule type `t`. Each grid cell
//! holds one capsule of every type, so there are `I = types * G * G` capsules of `dim`
//! components, each squashed:
//!
//! ```text
//! [B, C, H, W] -conv-> [B, types * dim, G, G] -> [B, types, dim, G, G] -> [B, I, dim] -> squash
//! ```
//!
//! Capsules of one type share their convolution weights across the grid, as the paper's do.

use crate::squash::squash;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::prelude::*;

/// Configuration of [`PrimaryCapsules`].
#[derive(Config, Debug)]
pub struct PrimaryCapsulesConfig {
    /// Input channels `C`.
    pub channels: usize,
    /// Capsule types (the paper: 32).
    pub types: usize,
    /// Components per capsule (the paper: 8).
    pub dim: usize,
    /// Kernel side (the paper: 9).
    pub kernel: usize,
}

impl PrimaryCapsulesConfig {
    /// The layer with fresh weights.
    pub fn init(&self, device: &Device) -> PrimaryCapsules {
        let conv = Conv2dConfig::new([self.channels, self.types * self.dim], [self.kernel, self.kernel])
            .with_stride([2, 2])
            .init(device);
        PrimaryCapsules { conv, types: self.types, dim: self.dim }
    }

    /// Side `G` of the capsule grid for an input of side `side`: `(side - kernel) / 2 + 1`.
    pub fn grid_side(&self, side: usize) -> usize {
        (side - self.kernel) / 2 + 1
    }
}

/// The primary-capsule layer.
#[derive(Module, Debug)]
pub struct PrimaryCapsules {
    conv: Conv2d,
    types: usize,
    dim: usize,
}

impl PrimaryCapsules {
    /// Squashed capsules `[B, types * G * G, dim]` of the feature map `[B, C, H, W]`.
    pub fn forward(&self, features: Tensor<4>) -> Tensor<3> {
        let out = self.conv.forward(features);
        let [batch, _, rows, columns] = out.dims();
        let capsules = out
            .reshape([batch, self.types, self.dim, rows * columns])
            .swap_dims(2, 3) // [B, types, G*G, dim]
            .reshape([batch, self.types * rows * columns, self.dim]);
        squash(capsules)
    }
}
