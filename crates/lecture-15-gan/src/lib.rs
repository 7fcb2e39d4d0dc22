//! Lecture 15: generative adversarial networks.
//!
//! From the autoencoder and the VAE (which imitate and blur) to the GAN (Goodfellow et al. 2014),
//! why its discriminator wins too fast and the lecture's remedies, and the conditional GAN
//! (Mirza & Osindero 2014). Every model is written from burn's linear layers and tensor
//! operations, one concept per file; the experiments in [`experiments`] reproduce the claims.

pub mod autoencoder;
pub mod bench_workload;

pub mod classifier;
pub mod conditioning;
pub mod discriminator;
pub mod experiments;
pub mod gan_loss;
pub mod gan_trainer;
pub mod generator;
pub mod grad_norm;
pub mod instance_noise;
pub mod mlp;
pub mod sharpness;
pub mod vae;
