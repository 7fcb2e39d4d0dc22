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
use shared::fast_ops::conv2d;

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
        let out = conv2d(&self.conv, features);
        let [batch, _, rows, columns] = out.dims();
        let capsules = out
            .reshape([batch, self.types, self.dim, rows * columns])
            .swap_dims(2, 3) // [B, types, G*G, dim]
            .reshape([batch, self.types * rows * columns, self.dim]);
        squash(capsules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;

    #[test]
    fn capsule_components_come_from_consecutive_channels_of_one_grid_cell() {
        let device = Device::flex();
        let layer = PrimaryCapsulesConfig::new(2, 3, 4, 3).init(&device);
        let x = Tensor::<4>::random([2, 2, 9, 9], Distribution::Normal(0.0, 1.0), &device);
        let conv: Vec<f32> = layer.conv.forward(x.clone()).into_data().iter::<f32>().collect(); // [2, 12, 4, 4]
        let capsules: Vec<f32> = layer.forward(x).into_data().iter::<f32>().collect(); // [2, 48, 4]
        for (b, t, cell) in [(0, 0, 0), (1, 2, 5), (0, 1, 15), (1, 0, 9)] {
            let raw: Vec<f32> = (0..4).map(|k| conv[((b * 12 + t * 4 + k) * 16) + cell]).collect();
            let norm2: f32 = raw.iter().map(|v| v * v).sum();
            let capsule = &capsules[(b * 48 + t * 16 + cell) * 4..][..4];
            for k in 0..4 {
                let want = raw[k] * norm2.sqrt() / (1.0 + norm2);
                assert!((capsule[k] - want).abs() < 1e-5, "batch {b} type {t} cell {cell}: {capsule:?}");
            }
        }
    }

    #[test]
    fn the_grid_side_follows_the_stride_two_rule() {
        let config = PrimaryCapsulesConfig::new(1, 1, 8, 9);
        assert_eq!(config.grid_side(20), 6); // the paper's 20x20 feature map
        assert_eq!(config.grid_side(9), 1);
    }
}
