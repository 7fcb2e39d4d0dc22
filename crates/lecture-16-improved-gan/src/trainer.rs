//! One step of any of the lecture's games: `k` critic updates, then one generator update, each
//! network with its own Adam over its own parameters.
//!
//! ```text
//! repeat k times (k = critic_steps):                     real x: [batch, d]
//!     x~ = G(z).detach()
//!     L_C = critic_loss(f(x), f(x~))   (+ λ E[(||∇f(x̂)|| - 1)^2] with the gradient penalty)
//!     θ_f <- Adam_f(θ_f, dL_C/dθ_f)    (then θ_f <- clamp(θ_f, -c, c) with weight clipping)
//! L_G = generator_loss(f(G(z)));  θ_G <- Adam_G(θ_G, dL_G/dθ_G)
//! ```
//!
//! The same loop as lecture 15's, with the objective and the critic's Lipschitz constraint as
//! settings. `GradientsParams::from_grads(grads, &generator)` keeps only the generator's
//! gradients, so the critic is not moved by the generator's update.

use crate::critic::Critic;
use crate::gradient_penalty::gradient_penalty;
use crate::objective::Objective;
use crate::weight_clipping::clip_weights;
use anyhow::Result;
use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use shared::gan::generator::Generator;
use shared::train::{FusedAdamConfig, ensure_finite, gradient_norm};

/// How the critic is kept (roughly) Lipschitz.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum Lipschitz {
    /// Nothing (the GAN, LSGAN and f-GAN games).
    Unconstrained,
    /// Weight clipping into `[-c, c]` after every critic update.
    Clip(f64),
    /// The gradient penalty with weight `λ`.
    Penalty(f64),
}

/// The game: objective, constraint, critic updates per generator update, Adam.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct GameConfig {
    pub objective: Objective,
    pub lipschitz: Lipschitz,
    pub critic_steps: usize,
    pub learning_rate: f64,
    pub beta_1: f32,
    pub beta_2: f32,
}

impl GameConfig {
    /// WGAN-GP's setting (the paper's toy experiments): the Wasserstein objective, penalty
    /// λ = 10, 5 critic updates per generator update, Adam(1e-4, β = (0.5, 0.9)).
    pub fn wgan_gp() -> Self {
        GameConfig {
            objective: Objective::Wasserstein,
            lipschitz: Lipschitz::Penalty(crate::gradient_penalty::LAMBDA),
            critic_steps: 5,
            learning_rate: 1e-4,
            beta_1: 0.5,
            beta_2: 0.9,
        }
    }
}

/// What draws the generated samples: the shared MLP generator, or any other module that can.
pub trait Sampler: Module {
    /// `n` fresh samples `[n, d]`.
    fn sample_n(&self, n: usize, device: &Device) -> Tensor<2>;
}

impl Sampler for Generator {
    fn sample_n(&self, n: usize, device: &Device) -> Tensor<2> {
        self.sample(n, None, device)
    }
}

/// What one step measured.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct StepStats {
    /// The last critic update's loss (with the penalty, if any).
    pub critic_loss: f64,
    /// `E[f(x)] - E[f(x~)]` on the last critic batch, before its update: the Wasserstein
    /// estimate for a Lipschitz critic.
    pub critic_gap: f64,
    pub generator_loss: f64,
    /// `||dL_G/dθ_G||`, when asked for.
    pub generator_gradient_norm: Option<f64>,
}

/// A generator and a critic with their optimisers.
pub struct Trainer<G> {
    generator: Option<G>,
    critic: Option<Critic>,
    g_optimiser: ModuleOptimizer,
    c_optimiser: ModuleOptimizer,
    config: GameConfig,
}

impl<G: Sampler> Trainer<G> {
    /// Both networks (on an autodiff device) with fresh Adam states.
    pub fn new(generator: G, critic: Critic, config: GameConfig) -> Self {
        let adam = || FusedAdamConfig::new().with_beta_1(config.beta_1).with_beta_2(config.beta_2).init();
        Self {
            generator: Some(generator),
            critic: Some(critic),
            g_optimiser: adam(),
            c_optimiser: adam(),
            config,
        }
    }

    /// The generator as trained so far.
    pub fn generator(&self) -> &G {
        self.generator.as_ref().expect("only absent inside an update")
    }

    /// The critic as trained so far.
    pub fn critic(&self) -> &Critic {
        self.critic.as_ref().expect("only absent inside an update")
    }

    /// One step at training step `step`: `critic_steps` critic updates, each on a real batch
    /// from `next_real`, then one generator update on a batch of the same size.
    pub fn step(
        &mut self,
        step: u64,
        measure_gradient: bool,
        mut next_real: impl FnMut() -> Result<Tensor<2>>,
    ) -> Result<StepStats> {
        let mut last = (0.0, 0.0, 0);
        for _ in 0..self.config.critic_steps.max(1) {
            let real = next_real()?;
            let batch = real.dims()[0];
            let (loss, gap) = self.critic_update(real, step)?;
            last = (loss, gap, batch);
        }
        let (critic_loss, critic_gap, batch) = last;
        let (generator_loss, generator_gradient_norm) =
            self.generator_update(batch, step, measure_gradient)?;
        Ok(StepStats { critic_loss, critic_gap, generator_loss, generator_gradient_norm })
    }

    /// `steps` critic updates alone against the current generator (the WGAN recipe's warm-up:
    /// a critic near its optimum before the generator first listens to it).
    pub fn warm_up_critic(
        &mut self,
        steps: usize,
        mut next_real: impl FnMut() -> Result<Tensor<2>>,
    ) -> Result<()> {
        for _ in 0..steps {
            self.critic_update(next_real()?, 0)?;
        }
        Ok(())
    }

    /// One critic update; returns its loss and the gap `E f(real) - E f(fake)` before it.
    fn critic_update(&mut self, real: Tensor<2>, step: u64) -> Result<(f64, f64)> {
        let device = real.device();
        let fake = self.generator().sample_n(real.dims()[0], &device).detach();
        let critic = self.critic();
        let (real_out, fake_out) = (critic.forward(real.clone()), critic.forward(fake.clone()));
        let gap = (real_out.clone().mean() - fake_out.clone().mean()).into_scalar::<f64>();
        let mut loss = self.config.objective.critic_loss(real_out, fake_out);
        if let Lipschitz::Penalty(lambda) = self.config.lipschitz {
            loss = loss + gradient_penalty(critic, real, fake, lambda);
        }
        let value = ensure_finite(step, "critic loss", loss.clone().into_scalar::<f64>())?;
        let grads = GradientsParams::from_grads(loss.backward(), self.critic());
        let critic = self.critic.take().expect("present between updates");
        let critic = self.c_optimiser.step(self.config.learning_rate, critic, grads);
        self.critic = Some(match self.config.lipschitz {
            Lipschitz::Clip(c) => clip_weights(critic, c),
            _ => critic,
        });
        Ok((value, gap))
    }

    /// One generator update through the current critic; its loss and, if asked, its gradient norm.
    fn generator_update(&mut self, batch: usize, step: u64, measure: bool) -> Result<(f64, Option<f64>)> {
        let device = self.critic().net().layers()[0].weight.device();
        let fake = self.generator().sample_n(batch, &device);
        let loss = self.config.objective.generator_loss(self.critic().forward(fake));
        let value = ensure_finite(step, "generator loss", loss.clone().into_scalar::<f64>())?;
        let grads = loss.backward();
        let norm = measure.then(|| gradient_norm(self.generator(), &grads));
        let grads = GradientsParams::from_grads(grads, self.generator());
        let g = self.generator.take().expect("present between updates");
        self.generator = Some(self.g_optimiser.step(self.config.learning_rate, g, grads));
        Ok((value, norm))
    }
}
