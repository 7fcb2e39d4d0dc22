//! The generator: noise in, a sample out.
//!
//! ```text
//! z ~ N(0, I)                         z: [batch, noise]
//! G(z) = out(MLP([z, onehot(y)]))     [batch, features]; out = tanh for images in [-1, 1],
//!                                     the identity for points in the plane
//! ```
//!
//! Nothing tells G what a sample should look like: its only training signal is the gradient of
//! the discriminator's verdict with respect to the sample, passed back through G.

use super::conditioning::append_condition;
use super::mlp::{Mlp, MlpConfig};
use anyhow::Result;
use burn::prelude::*;
use burn::tensor::Distribution;

/// What squashes the generator's last layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum OutputActivation {
    /// Points in the plane: no squashing.
    Identity,
    /// Images with pixels in [-1, 1].
    Tanh,
}

/// Noise (and an optional one-hot class) to a sample.
#[derive(Module, Debug)]
pub struct Generator {
    net: Mlp,
    noise: usize,
    tanh: bool,
}

/// Sizes of a [`Generator`].
#[derive(Clone, Debug, serde::Serialize)]
pub struct GeneratorConfig {
    /// Width of the noise z.
    pub noise: usize,
    /// Hidden widths of the MLP.
    pub hidden: Vec<usize>,
    /// Width of a sample.
    pub features: usize,
    /// Classes of the condition, 0 for an unconditional generator.
    pub classes: usize,
    pub output: OutputActivation,
}

impl GeneratorConfig {
    /// The generator; an error for a zero width.
    pub fn init(&self, device: &Device) -> Result<Generator> {
        let widths = [vec![self.noise + self.classes], self.hidden.clone(), vec![self.features]].concat();
        Ok(Generator {
            net: MlpConfig::new(widths).init(device)?,
            noise: self.noise,
            tanh: self.output == OutputActivation::Tanh,
        })
    }
}

impl Generator {
    /// `G(z | condition)`: `z` `[batch, noise]`, condition `[batch, classes]` -> `[batch, features]`.
    pub fn forward(&self, z: Tensor<2>, condition: Option<&Tensor<2>>) -> Tensor<2> {
        let out = self.net.forward(append_condition(z, condition));
        if self.tanh { out.tanh() } else { out }
    }

    /// `batch` draws of z ~ N(0, I) from the device's seeded generator: `[batch, noise]`.
    pub fn noise(&self, batch: usize, device: &Device) -> Tensor<2> {
        Tensor::random([batch, self.noise], Distribution::Normal(0.0, 1.0), device)
    }

    /// `batch` fresh samples `G(z | condition)` with new noise.
    pub fn sample(&self, batch: usize, condition: Option<&Tensor<2>>, device: &Device) -> Tensor<2> {
        self.forward(self.noise(batch, device), condition)
    }

    /// The MLP inside (for tests).
    pub fn net(&self) -> &Mlp {
        &self.net
    }
}
