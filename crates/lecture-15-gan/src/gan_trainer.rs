//! One GAN training step: the discriminator's update(s), then the generator's, each network with
//! its own optimiser over its own parameters.
//!
//! ```text
//! repeat k times (k = d_steps):                        real x: [batch, features]
//!     x~ = x + sigma_t e,  f~ = G(z).detach() + sigma_t e'   (instance noise, see instance_noise)
//!     theta_D <- Adam_D(theta_D, dL_D/dtheta_D),  L_D = BCE(D(x~), 1 - s) + BCE(D(f~), 0)
//!                                                  (each target swapped with probability p: label noise)
//! theta_G <- Adam_G(theta_G, dL_G/dtheta_G),  L_G = minimax or non-saturating loss of D(G(z) + sigma_t e)
//! ```
//!
//! **Two optimisers, separate parameters.** One `backward()` of `L_G` computes gradients for D's
//! parameters too (the signal passes through D); `GradientsParams::from_grads(grads, &generator)`
//! keeps only the generator's, so D is not touched by the generator's update. In the
//! discriminator's update the fakes are detached, so no gradient reaches G at all.

use crate::discriminator::Discriminator;
use crate::instance_noise::NoiseSchedule;
use anyhow::Result;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use shared::gan::generator::Generator;
use shared::gan::loss::{GeneratorLoss, discriminator_accuracy, discriminator_loss_with_label_noise};
use shared::train::gradient_norm;
use shared::train::{FusedAdamConfig, ensure_finite};

/// How the game is played: losses, optimiser and the lecture's remedies.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct GameConfig {
    pub loss: GeneratorLoss,
    /// Adam's step size for both networks, and its beta_1 (0.5 is the usual GAN choice).
    pub learning_rate: f64,
    pub beta_1: f32,
    /// Discriminator updates per generator update.
    pub d_steps: usize,
    /// Instance noise on every discriminator input.
    pub instance_noise: NoiseSchedule,
    /// One-sided label smoothing: real samples get the target `1 - label_smoothing`.
    pub label_smoothing: f64,
    /// Label noise: each of the discriminator's targets is swapped (real for fake) with this
    /// probability.
    pub label_noise: f64,
}

/// One real batch with its optional one-hot condition `[batch, classes]`.
pub struct RealBatch {
    pub samples: Tensor<2>,
    pub condition: Option<Tensor<2>>,
}

/// What one step measured.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct StepStats {
    /// The last discriminator update's loss `L_D` (with label smoothing, if any).
    pub d_loss: f64,
    /// The generator's loss `L_G`.
    pub g_loss: f64,
    /// The discriminator's accuracy on its last real and fake batch (before its update).
    pub d_accuracy: f64,
    /// `||dL_G/dtheta_G||`, when asked for.
    pub g_grad_norm: Option<f64>,
}

/// A generator and a discriminator with their optimisers.
pub struct GanTrainer {
    generator: Option<Generator>,
    discriminator: Option<Discriminator>,
    g_optimiser: ModuleOptimizer,
    d_optimiser: ModuleOptimizer,
    config: GameConfig,
}

impl GanTrainer {
    /// Both networks (on an autodiff device) with fresh Adam states.
    pub fn new(generator: Generator, discriminator: Discriminator, config: GameConfig) -> Self {
        let adam = || FusedAdamConfig::new().with_beta_1(config.beta_1).init();
        Self {
            generator: Some(generator),
            discriminator: Some(discriminator),
            g_optimiser: adam(),
            d_optimiser: adam(),
            config,
        }
    }

    /// The generator as trained so far.
    pub fn generator(&self) -> &Generator {
        self.generator.as_ref().expect("only absent inside an update")
    }

    /// The discriminator as trained so far.
    pub fn discriminator(&self) -> &Discriminator {
        self.discriminator.as_ref().expect("only absent inside an update")
    }

    /// One full step (`d_steps` discriminator updates, then one generator update) at training
    /// step `step`; `next_batch` supplies each discriminator update's real batch, and the last
    /// one's condition is reused for the generator. An error if a loss is NaN or infinite.
    pub fn step(
        &mut self,
        step: u64,
        measure_gradient: bool,
        mut next_batch: impl FnMut() -> Result<RealBatch>,
    ) -> Result<StepStats> {
        let mut last = None;
        for _ in 0..self.config.d_steps.max(1) {
            let batch = next_batch()?;
            let (d_loss, d_accuracy) = self.discriminator_update(&batch, step)?;
            last = Some((batch, d_loss, d_accuracy));
        }
        let (batch, d_loss, d_accuracy) = last.expect("at least one discriminator update");
        let (g_loss, g_grad_norm) = self.generator_update(&batch, step, measure_gradient)?;
        Ok(StepStats { d_loss, g_loss, d_accuracy, g_grad_norm })
    }

    /// One discriminator update; returns its loss and its accuracy before the update.
    fn discriminator_update(&mut self, batch: &RealBatch, step: u64) -> Result<(f64, f64)> {
        let condition = batch.condition.as_ref();
        let size = batch.samples.dims()[0];
        let device = batch.samples.device();
        let fake = self.generator().sample(size, condition, &device).detach();
        let noise = self.config.instance_noise;
        let d = self.discriminator();
        let real_logits = d.forward(noise.apply(batch.samples.clone(), step), condition);
        let fake_logits = d.forward(noise.apply(fake, step), condition);
        let accuracy = discriminator_accuracy(real_logits.clone().detach(), fake_logits.clone().detach());
        let loss = discriminator_loss_with_label_noise(
            real_logits,
            fake_logits,
            self.config.label_smoothing,
            self.config.label_noise,
        );
        let value = ensure_finite(step, "discriminator loss", loss.clone().into_scalar::<f64>())?;
        let grads = GradientsParams::from_grads(loss.backward(), self.discriminator());
        let d = self.discriminator.take().expect("present between updates");
        self.discriminator = Some(self.d_optimiser.step(self.config.learning_rate, d, grads));
        Ok((value, accuracy))
    }

    /// One generator update through the current discriminator; returns its loss and, if asked,
    /// the norm of its gradient.
    fn generator_update(
        &mut self,
        batch: &RealBatch,
        step: u64,
        measure: bool,
    ) -> Result<(f64, Option<f64>)> {
        let condition = batch.condition.as_ref();
        let size = batch.samples.dims()[0];
        let fake = self.generator().sample(size, condition, &batch.samples.device());
        let logits = self.discriminator().forward(self.config.instance_noise.apply(fake, step), condition);
        let loss = self.config.loss.loss(logits);
        let value = ensure_finite(step, "generator loss", loss.clone().into_scalar::<f64>())?;
        let grads = loss.backward();
        let norm = measure.then(|| gradient_norm(self.generator(), &grads));
        let grads = GradientsParams::from_grads(grads, self.generator());
        let g = self.generator.take().expect("present between updates");
        self.generator = Some(self.g_optimiser.step(self.config.learning_rate, g, grads));
        Ok((value, norm))
    }
}
