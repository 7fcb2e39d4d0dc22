//! Lecture 15: generative adversarial networks.
//!
//! From the autoencoder and the VAE (which imitate and blur) to the GAN (Goodfellow et al. 2014),
//! why its discriminator wins too fast and the lecture's remedies, and the conditional GAN
//! (Mirza & Osindero 2014). Every model is written from burn's linear layers and tensor
//! operations, one concept per file; the pieces lecture 16 needs too (the MLP, the generator,
//! the GAN objectives, the digit judge, the gradient norm) live in `shared::gan` and
//! `shared::train`; the experiments in [`experiments`] reproduce the claims.

pub mod autoencoder;
pub mod bench_workload;
pub mod discriminator;
pub mod experiments;
pub mod gan_trainer;
pub mod instance_noise;
pub mod sharpness;
pub mod vae;
