//! The pieces of a GAN that the GAN lectures (15 and 16) share: the leaky-ReLU MLP every network
//! is built from, the generator, class conditioning, the minimax and non-saturating objectives,
//! and the 14x14 MNIST digits with the classifier that judges generated ones.
//!
//! Each lecture plays its own game from these pieces (lecture 15 the original GAN and its
//! remedies, lecture 16 the Wasserstein critic and other divergences); the training loops stay in
//! the lectures.

pub mod classifier;
pub mod conditioning;
pub mod digits;
pub mod generator;
pub mod loss;
pub mod mlp;
