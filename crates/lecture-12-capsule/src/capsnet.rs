//! CapsNet (Sabour, Frosst & Hinton 2017): conv -> primary capsules -> digit capsules by routing,
//! margin loss on their lengths, plus the masked reconstruction decoder.
//!
//! ```text
//! images [B, 1, 28, 28]
//!   -> Conv2d 1 -> C, 9x9, ReLU                          [B, C, 20, 20]
//!   -> primary capsules: Conv2d C -> T*8, 9x9, stride 2  [B, T*6*6, 8]     (squashed)
//!   -> digit capsules: u_hat = W u, r routing passes     [B, 10, 16]
//!   -> lengths |v_k| (class probabilities)               [B, 10]
//!   -> decoder from the masked capsules                  [B, 784]
//! loss = margin_loss(|v|, y) + 0.0005 * sum_pixels (reconstruction - image)^2   (batch mean)
//! ```
//!
//! The paper has `C = 256`, `T = 32` (1152 primary capsules) and a 512-1024 decoder; the
//! defaults here are reduced for a CPU (see [`CapsNetConfig::reduced`]).

use crate::classifier::Classifier;
use crate::decoder::{Decoder, DecoderConfig};
use crate::digit_capsules::{DigitCapsules, DigitCapsulesConfig};
use crate::margin_loss::margin_loss;
use crate::primary_capsules::{PrimaryCapsules, PrimaryCapsulesConfig};
use crate::routing::Routed;
use crate::squash::lengths;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::prelude::*;
use burn::tensor::activation::relu;
use shared::fast_ops::conv2d;

/// Configuration of [`CapsNet`].
#[derive(Config, Debug)]
pub struct CapsNetConfig {
    /// Image side (28 for MNIST).
    pub side: usize,
    /// Channels `C` of the first convolution.
    pub channels: usize,
    /// Primary capsule types `T`.
    pub primary_types: usize,
    /// Primary capsule dimension.
    #[config(default = 8)]
    pub primary_dim: usize,
    /// Classes (digit capsules).
    #[config(default = 10)]
    pub classes: usize,
    /// Digit capsule dimension.
    #[config(default = 16)]
    pub digit_dim: usize,
    /// Kernel side of both convolutions.
    #[config(default = 9)]
    pub kernel: usize,
    /// Routing passes `r`.
    #[config(default = 3)]
    pub iterations: usize,
    /// Standard deviation of the initial entries of the `W_ij`.
    #[config(default = 0.05)]
    pub digit_init_std: f64,
    /// Hidden widths of the decoder.
    pub decoder_hidden: [usize; 2],
    /// Weight of the reconstruction loss (the paper: 0.0005; 0 trains without it).
    #[config(default = 0.0005)]
    pub reconstruction_weight: f64,
}

impl CapsNetConfig {
    /// The reduced CapsNet of this lecture: 32 channels, 8 primary capsule types (288
    /// capsules), a 256-512 decoder, 3 routing passes.
    pub fn reduced() -> Self {
        CapsNetConfig::new(28, 32, 8, [256, 512])
    }

    /// Primary capsules `I` for this configuration.
    pub fn primary_capsules(&self) -> usize {
        let grid = self.primary().grid_side(self.side - self.kernel + 1);
        self.primary_types * grid * grid
    }

    fn primary(&self) -> PrimaryCapsulesConfig {
        PrimaryCapsulesConfig::new(self.channels, self.primary_types, self.primary_dim, self.kernel)
    }

    /// The network with fresh weights. Errors when the sizes do not fit together.
    pub fn init(&self, device: &Device) -> anyhow::Result<CapsNet> {
        anyhow::ensure!(
            self.side >= 2 * self.kernel - 1,
            "a {}x{} image is too small for two {}x{} convolutions",
            self.side,
            self.side,
            self.kernel,
            self.kernel
        );
        anyhow::ensure!(self.iterations >= 1, "routing needs at least one pass, got {}", self.iterations);
        anyhow::ensure!(
            self.reconstruction_weight >= 0.0 && self.reconstruction_weight.is_finite(),
            "the reconstruction weight must be finite and >= 0, got {}",
            self.reconstruction_weight
        );
        let digits =
            DigitCapsulesConfig::new(self.primary_capsules(), self.primary_dim, self.classes, self.digit_dim)
                .with_iterations(self.iterations)
                .with_init_std(self.digit_init_std);
        Ok(CapsNet {
            conv: Conv2dConfig::new([1, self.channels], [self.kernel, self.kernel]).init(device),
            primary: self.primary().init(device),
            digits: digits.init(device),
            decoder: DecoderConfig::new(
                self.classes,
                self.digit_dim,
                self.decoder_hidden,
                self.side * self.side,
            )
            .init(device),
            reconstruction_weight: self.reconstruction_weight,
        })
    }
}

/// The capsule network.
#[derive(Module, Debug)]
pub struct CapsNet {
    conv: Conv2d,
    primary: PrimaryCapsules,
    digits: DigitCapsules,
    decoder: Decoder,
    reconstruction_weight: f64,
}

impl CapsNet {
    /// The primary capsules `[B, I, 8]` of `images` `[B, 1, side, side]`.
    pub fn primary_capsules(&self, images: Tensor<4>) -> Tensor<3> {
        self.primary.forward(relu(conv2d(&self.conv, images)))
    }

    /// Digit capsules `[B, 10, 16]` and the final coupling `[B, I, 10]` of `images`.
    pub fn forward(&self, images: Tensor<4>) -> Routed {
        self.digits.forward(self.primary_capsules(images))
    }

    /// Digit capsules of the `primary` capsules `[B, I, 8]` with `iterations` routing passes
    /// instead of the configured number.
    pub fn route_with(&self, primary: Tensor<3>, iterations: usize) -> Routed {
        self.digits.forward_with(primary, iterations)
    }

    /// Pixels `[B, side * side]` decoded from capsule `keep[b]` of `capsules` `[B, 10, 16]`.
    pub fn reconstruct(&self, capsules: Tensor<3>, keep: Tensor<1, Int>) -> Tensor<2> {
        self.decoder.forward(capsules, keep)
    }

    /// The margin loss and the (unweighted) reconstruction loss, each a batch mean.
    pub fn losses(&self, images: Tensor<4>, labels: Tensor<1, Int>) -> (Tensor<1>, Tensor<1>) {
        let [batch, _, rows, columns] = images.dims();
        let capsules = self.forward(images.clone()).parents;
        let margin = margin_loss(lengths(capsules.clone()), labels.clone());
        let drawn = self.reconstruct(capsules, labels);
        let squared_error = (drawn - images.reshape([batch, rows * columns])).square();
        (margin, squared_error.sum_dim(1).mean())
    }
}

impl Classifier for CapsNet {
    fn loss(&self, images: Tensor<4>, labels: Tensor<1, Int>) -> Tensor<1> {
        let (margin, reconstruction) = self.losses(images, labels);
        if self.reconstruction_weight > 0.0 {
            margin + reconstruction * self.reconstruction_weight
        } else {
            margin
        }
    }

    /// The capsule lengths `[B, 10]`.
    fn scores(&self, images: Tensor<4>) -> Tensor<2> {
        lengths(self.forward(images).parents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reduced_network_has_288_primary_capsules_and_bad_sizes_are_errors() {
        assert_eq!(CapsNetConfig::reduced().primary_capsules(), 288);
        let device = Device::flex();
        let small = CapsNetConfig::new(16, 32, 8, [256, 512]).init(&device).unwrap_err().to_string();
        assert!(small.contains("too small"), "{small}");
        assert!(CapsNetConfig::reduced().with_iterations(0).init(&device).is_err());
        assert!(CapsNetConfig::reduced().with_reconstruction_weight(-1.0).init(&device).is_err());
    }
}
