//! The spatial transformer: localisation network, grid generator and sampler in one module.
//!
//! ```text
//! theta = f_loc(U)                        U [N, C, H, W] -> theta [N, 2, 3]
//! grid  = affine_grid(theta, H', W')      [N, H', W', 2]
//! V     = bilinear_sample(U, grid)        [N, C, H', W']
//! ```
//!
//! It is differentiable end to end, so it trains with the network behind it from the task's
//! loss alone: nobody tells it the true pose of the digit.

use crate::affine_grid::affine_grid;
use crate::localisation::{Localisation, LocalisationConfig};
use crate::sampler::bilinear_sample;
use burn::module::Module;
use burn::prelude::*;

/// Whether -1 and 1 are the centres of the corner pixels of the input (see [`crate::sampler`]).
/// We sample with `align_corners = false`, burn's and PyTorch's default.
pub const ALIGN_CORNERS: bool = false;

/// A localisation network and the side of the square image it resamples to.
#[derive(Module, Debug)]
pub struct SpatialTransformer {
    pub localisation: Localisation,
    #[module(skip)]
    output_side: usize,
    /// Whether theta is cut off from the gradient: the localisation network never trains and
    /// stays at its initial transform (the negative control of the claims).
    #[module(skip)]
    frozen: bool,
}

impl SpatialTransformer {
    /// A transformer with a fresh localisation network of `config`, output `output_side` squared.
    pub fn new(config: &LocalisationConfig, output_side: usize, device: &Device) -> Self {
        Self { localisation: config.init(device), output_side, frozen: false }
    }

    /// The same transformer held at its initial transform: no gradient reaches theta.
    pub fn frozen(self) -> Self {
        Self { frozen: true, ..self }
    }

    /// `image` `[N, C, H, W]` -> (the transformed image `[N, C, side, side]`, theta `[N, 2, 3]`).
    pub fn forward(&self, image: Tensor<4>) -> (Tensor<4>, Tensor<3>) {
        let theta = self.localisation.forward(image.clone());
        let theta = if self.frozen { theta.detach() } else { theta };
        (self.warp(image, theta.clone()), theta)
    }

    /// Samples `image` with a given `theta` (the transformer's output stage alone).
    pub fn warp(&self, image: Tensor<4>, theta: Tensor<3>) -> Tensor<4> {
        let grid = affine_grid(theta, self.output_side, self.output_side);
        bilinear_sample(image, grid, ALIGN_CORNERS)
    }

    /// Side of the output image.
    pub fn output_side(&self) -> usize {
        self.output_side
    }
}

/// The rotation angle (radians) of the similarity transform closest to the 2x2 part
/// `[[a, b], [c, d]]` of `theta`: `atan2(c - b, a + d)`. For `theta = k R(alpha)` it is `alpha`.
pub fn rotation_angle(theta: [f32; 6]) -> f32 {
    let [a, b, _, c, d, _] = theta;
    (c - b).atan2(a + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_angle_of_a_scaled_rotation_is_its_rotation() {
        for alpha in [-1.4f32, -0.3, 0.0, 0.7, 1.5] {
            let (s, c) = alpha.sin_cos();
            let k = 0.8;
            let angle = rotation_angle([k * c, -k * s, 0.3, k * s, k * c, -0.2]);
            assert!((angle - alpha).abs() < 1e-5, "{alpha} -> {angle}");
        }
    }
}
