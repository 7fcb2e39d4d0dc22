//! The autoencoder: the lecture's starting point for generation.
//!
//! ```text
//! c = E(x)                    x: [batch, pixels] in [0, 1] -> code c: [batch, latent]
//! x^ = sigmoid(D(c))          decoder logits [batch, pixels]
//! L = sum_pixels BCE(D(c), x), averaged over the batch
//! ```
//!
//! Trained to reproduce its input, the decoder is a generator only in name: nothing says what a
//! code *between* the training codes should decode to, so random codes give smudges, and even
//! reconstructions come out as blurred averages (the pixel loss rewards hedging between the
//! plausible digits).

use anyhow::Result;
use burn::prelude::*;
use burn::tensor::activation::{sigmoid, softplus};
use shared::gan::mlp::{Mlp, MlpConfig};

/// Encoder and decoder MLPs.
#[derive(Module, Debug)]
pub struct Autoencoder {
    encoder: Mlp,
    decoder: Mlp,
}

/// Sizes of an [`Autoencoder`] (and of a [`crate::vae::Vae`]).
#[derive(Clone, Debug, serde::Serialize)]
pub struct AutoencoderConfig {
    pub features: usize,
    pub hidden: usize,
    pub latent: usize,
}

impl AutoencoderConfig {
    /// Encoder `[features, hidden, code_width]` and decoder `[latent, hidden, features]`.
    pub(crate) fn nets(&self, code_width: usize, device: &Device) -> Result<(Mlp, Mlp)> {
        Ok((
            MlpConfig::new(vec![self.features, self.hidden, code_width]).init(device)?,
            MlpConfig::new(vec![self.latent, self.hidden, self.features]).init(device)?,
        ))
    }

    /// The autoencoder; an error for a zero width.
    pub fn init(&self, device: &Device) -> Result<Autoencoder> {
        let (encoder, decoder) = self.nets(self.latent, device)?;
        Ok(Autoencoder { encoder, decoder })
    }
}

/// `sum_pixels BCE(logits, x)` averaged over the batch: `softplus(l) - x l` per pixel.
/// `logits` and `x` are `[batch, pixels]`, `x` in [0, 1].
pub fn reconstruction_loss(logits: Tensor<2>, x: Tensor<2>) -> Tensor<1> {
    let batch = x.dims()[0] as f64;
    (softplus(logits.clone(), 1.0) - logits * x).sum().div_scalar(batch)
}

impl Autoencoder {
    /// The code `[batch, latent]` of `x` `[batch, pixels]`.
    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        self.encoder.forward(x)
    }

    /// The image `[batch, pixels]` in (0, 1) that `code` decodes to.
    pub fn decode(&self, code: Tensor<2>) -> Tensor<2> {
        sigmoid(self.decoder.forward(code))
    }

    /// The reconstruction loss of `x`.
    pub fn loss(&self, x: Tensor<2>) -> Tensor<1> {
        reconstruction_loss(self.decoder.forward(self.encode(x.clone())), x)
    }
}
