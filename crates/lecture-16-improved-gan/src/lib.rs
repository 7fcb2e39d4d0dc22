//! Lecture 16: improved GANs.
//!
//! Lecture 15's discriminator wins too fast: when real and generated samples barely overlap,
//! the Jensen-Shannon divergence it estimates is stuck at log 2 and the generator's gradient
//! vanishes. This lecture replaces the divergence. The Wasserstein critic (Arjovsky et al.
//! 2017) estimates the earth mover's distance, which keeps shrinking as the samples move
//! closer; it must be Lipschitz, by weight clipping, by the gradient penalty (Gulrajani et al.
//! 2017; its input gradient written out by hand, since burn's autodiff is first order) or by
//! spectral normalisation (Miyato et al. 2018). Least squares (Mao et al. 2017) and f-GAN's
//! divergences (Nowozin et al. 2016) are the other roads. The exact Wasserstein-1 distance
//! between sample sets ([`wasserstein`]) is the ground truth the critic is measured against.
//!
//! Built from the shared GAN pieces (`shared::gan`: MLP, generator, GAN losses, the digit
//! judge); the experiments in [`experiments`] reproduce the claims.

pub mod bench_workload;
pub mod critic;
pub mod experiments;
pub mod f_divergence;
pub mod gradient_penalty;
pub mod objective;
pub mod trainer;
pub mod wasserstein;
pub mod weight_clipping;
