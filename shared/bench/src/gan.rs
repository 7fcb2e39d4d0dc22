//! `gan`: a multilayer-perceptron GAN, the two-optimiser workload.
//!
//! ```text
//! G: z [B, 100] -> Linear 100->256 -> LeakyReLU(0.2) -> Linear 256->784 -> tanh   fake [B, 784]
//! D: x [B, 784] -> Linear 784->256 -> LeakyReLU(0.2) -> Linear 256->1           logit [B, 1]
//! ```
//!
//! One step = one discriminator update then one generator update, each with its own Adam:
//! - D: `BCE(D(real), 1) + BCE(D(fake.detach()), 0)` (BCE on logits);
//! - G: the non-saturating loss `BCE(D(fake), 1)`, with the D just updated.
//!
//! G runs forward once per step; its output feeds both updates, as in the usual PyTorch loop.
//! G's hidden layer is leaky too: with a plain ReLU, D soon wins on the fixed batch, every G
//! unit dies, G's Adam moments decay into subnormal floats and the step slows down ~2x after
//! ~900 steps, on both frameworks: the benchmark would time float underflow, not training.
//!
//! G's `tanh` runs through [`shared_kernels::fast_ops::tanh`] (vectorised on flex; burn-flex's is a
//! scalar library call per element, forward and backward).

use super::inputs::{PIXELS, batch_rng, uniform};
use super::{Trainee, Workload};
use burn::nn::loss::{BinaryCrossEntropyLoss, BinaryCrossEntropyLossConfig};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use shared_kernels::fast_ops::{leaky_relu, tanh};

/// Slope of the leaky ReLUs (both networks) for negative inputs.
const LEAKY_SLOPE: f64 = 0.2;

/// The sizes of a [`Gan`].
#[derive(Clone, Copy, Debug)]
pub struct GanSizes {
    pub noise: usize,
    pub hidden: usize,
    pub image: usize,
    pub batch: usize,
}

/// Noise -> image in [-1, 1].
#[derive(Module, Debug)]
pub struct Generator {
    hidden: Linear,
    output: Linear,
}

impl Generator {
    fn new(sizes: GanSizes, device: &Device) -> Self {
        Self {
            hidden: LinearConfig::new(sizes.noise, sizes.hidden).init(device),
            output: LinearConfig::new(sizes.hidden, sizes.image).init(device),
        }
    }

    fn forward(&self, noise: Tensor<2>) -> Tensor<2> {
        tanh(self.output.forward(leaky_relu(self.hidden.forward(noise), LEAKY_SLOPE)))
    }
}

/// Image -> logit of "real".
#[derive(Module, Debug)]
pub struct Discriminator {
    hidden: Linear,
    output: Linear,
}

impl Discriminator {
    fn new(sizes: GanSizes, device: &Device) -> Self {
        Self {
            hidden: LinearConfig::new(sizes.image, sizes.hidden).init(device),
            output: LinearConfig::new(sizes.hidden, 1).init(device),
        }
    }

    fn forward(&self, images: Tensor<2>) -> Tensor<2> {
        self.output.forward(leaky_relu(self.hidden.forward(images), LEAKY_SLOPE))
    }
}

/// The workload: both networks with their optimisers, a fixed real batch and fixed noise.
pub struct Gan {
    generator: Trainee<Generator>,
    discriminator: Trainee<Discriminator>,
    bce: BinaryCrossEntropyLoss,
    real: Tensor<2>,
    noise: Tensor<2>,
    ones: Tensor<2, Int>,
    zeros: Tensor<2, Int>,
}

impl Gan {
    /// G 100-256-784, D 784-256-1, batch 64.
    pub const BENCH: GanSizes = GanSizes { noise: 100, hidden: 256, image: 784, batch: 64 };

    /// Fresh networks, a "real" batch uniform in [-1, 1) and noise uniform in [-1, 1).
    pub fn new(sizes: GanSizes, device: &Device) -> Self {
        let mut rng = batch_rng();
        Self {
            generator: Trainee::new(Generator::new(sizes, device)),
            discriminator: Trainee::new(Discriminator::new(sizes, device)),
            bce: BinaryCrossEntropyLossConfig::new().with_logits(true).init(device),
            real: uniform(&mut rng, [sizes.batch, sizes.image], PIXELS, device),
            noise: uniform(&mut rng, [sizes.batch, sizes.noise], PIXELS, device),
            ones: Tensor::ones([sizes.batch, 1], device),
            zeros: Tensor::zeros([sizes.batch, 1], device),
        }
    }

    /// One discriminator update on the real batch and `fake` (detached); returns its loss.
    fn discriminator_step(&mut self, fake: Tensor<2>) -> Tensor<1> {
        let d = self.discriminator.model();
        let loss = self.bce.forward(d.forward(self.real.clone()), self.ones.clone())
            + self.bce.forward(d.forward(fake.detach()), self.zeros.clone());
        let mut grads = loss.backward();
        self.discriminator.update(&mut grads);
        loss
    }

    /// One generator update through the (just updated) discriminator; returns its loss.
    fn generator_step(&mut self, fake: Tensor<2>) -> Tensor<1> {
        let logits = self.discriminator.model().forward(fake);
        let loss = self.bce.forward(logits, self.ones.clone());
        let mut grads = loss.backward();
        self.generator.update(&mut grads);
        loss
    }
}

impl Workload for Gan {
    fn name(&self) -> &'static str {
        "gan"
    }

    fn description(&self) -> &'static str {
        "MLP GAN: G 100-256-784 tanh, D 784-256-1, leaky ReLU 0.2; one D + one G step, batch 64, 2x Adam"
    }

    /// Returns the discriminator loss plus the generator loss.
    fn step(&mut self) -> f32 {
        let fake = self.generator.model().forward(self.noise.clone());
        let d_loss = self.discriminator_step(fake.clone());
        let g_loss = self.generator_step(fake);
        d_loss.into_scalar::<f32>() + g_loss.into_scalar::<f32>()
    }
}
