//! The variational autoencoder (Kingma & Welling 2014): an autoencoder whose codes are made to
//! look like draws from N(0, I), so that the decoder can be fed fresh noise.
//!
//! ```text
//! [mu, log s^2] = E(x)                 x: [batch, pixels] -> mu, log s^2: [batch, latent]
//! z = mu + s e,  e ~ N(0, I)           the reparameterisation: a gradient reaches mu and s
//! L = sum_pixels BCE(D(z), x) + KL(N(mu, s^2) || N(0, I)),  averaged over the batch
//! KL = 1/2 sum_latent (mu^2 + s^2 - 1 - log s^2)
//! ```
//!
//! Sampling is `sigmoid(D(z))` with `z ~ N(0, I)`. The decoder's output is the *mean* of a
//! per-pixel Bernoulli: where several digits could come from one z, it paints their average,
//! which is why VAE samples are blurred (the lecture: "the VAE imitates").

use crate::autoencoder::{AutoencoderConfig, reconstruction_loss};
use anyhow::Result;
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::sigmoid;
use shared::gan::mlp::Mlp;

/// Encoder (to mean and log-variance) and decoder MLPs.
#[derive(Module, Debug)]
pub struct Vae {
    encoder: Mlp,
    decoder: Mlp,
    latent: usize,
}

/// The two terms of the VAE's loss, each averaged over the batch.
pub struct VaeLoss {
    pub reconstruction: Tensor<1>,
    pub kl: Tensor<1>,
}

impl VaeLoss {
    /// The negative evidence lower bound: reconstruction + KL.
    pub fn total(&self) -> Tensor<1> {
        self.reconstruction.clone() + self.kl.clone()
    }
}

/// `KL(N(mu, diag(exp(log_var))) || N(0, I))` per example, averaged over the batch.
/// `mu`, `log_var`: `[batch, latent]`.
pub fn kl_to_standard_normal(mu: Tensor<2>, log_var: Tensor<2>) -> Tensor<1> {
    let batch = mu.dims()[0] as f64;
    let per_unit = mu.powi_scalar(2) + log_var.clone().exp() - log_var - 1.0;
    per_unit.sum().mul_scalar(0.5 / batch)
}

impl AutoencoderConfig {
    /// A VAE of these sizes (the encoder outputs `2 latent` numbers: mean and log-variance).
    pub fn init_vae(&self, device: &Device) -> Result<Vae> {
        let (encoder, decoder) = self.nets(2 * self.latent, device)?;
        Ok(Vae { encoder, decoder, latent: self.latent })
    }
}

impl Vae {
    /// `(mu, log s^2)`, each `[batch, latent]`.
    pub fn encode(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let stats = self.encoder.forward(x);
        (stats.clone().narrow(1, 0, self.latent), stats.narrow(1, self.latent, self.latent))
    }

    /// Both loss terms for `x` `[batch, pixels]` in [0, 1], with `noise` e `[batch, latent]`.
    pub fn loss_with_noise(&self, x: Tensor<2>, noise: Tensor<2>) -> VaeLoss {
        let (mu, log_var) = self.encode(x.clone());
        let z = mu.clone() + log_var.clone().mul_scalar(0.5).exp() * noise;
        VaeLoss {
            reconstruction: reconstruction_loss(self.decoder.forward(z), x),
            kl: kl_to_standard_normal(mu, log_var),
        }
    }

    /// Both loss terms with fresh noise from the device's generator.
    pub fn loss(&self, x: Tensor<2>) -> VaeLoss {
        let noise = Tensor::random([x.dims()[0], self.latent], Distribution::Normal(0.0, 1.0), &x.device());
        self.loss_with_noise(x, noise)
    }

    /// `batch` samples `sigmoid(D(z))`, `z ~ N(0, I)`: `[batch, pixels]` in (0, 1).
    pub fn sample(&self, batch: usize, device: &Device) -> Tensor<2> {
        let z = Tensor::random([batch, self.latent], Distribution::Normal(0.0, 1.0), device);
        sigmoid(self.decoder.forward(z))
    }
}
