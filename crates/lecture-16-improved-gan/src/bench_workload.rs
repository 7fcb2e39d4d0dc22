//! This lecture's benchmark workload: one WGAN-GP critic update with the hand-written input
//! gradient ([`Critic::input_gradient`]) inside the gradient penalty.
//!
//! ```text
//! critic: (x, y) [256, 2] -> 512 -> 512 -> 512 -> f     (leaky ReLU 0.2; WGAN-GP's toy critic)
//! L = E f(x~) - E f(x) + 10 E[(||∇f(x̂)|| - 1)^2],  x̂ = ε x + (1 - ε) x~
//! ```
//!
//! A fixed real batch (ring of 8) and a fixed fake batch, fresh `ε` every step, Adam (the
//! shared bench optimiser: lr 1e-3, β = (0.9, 0.999), ε = 1e-8, as its PyTorch twin).

use crate::critic::Critic;
use crate::gradient_penalty::{LAMBDA, gradient_penalty};
use crate::objective::Objective;
use anyhow::Result;
use burn::prelude::*;
use burn::tensor::Distribution;
use shared::bench::{Trainee, Workload};
use shared::data::synthetic::mixture::{GaussianMixture, points_tensor};

/// Sizes of the workload.
#[derive(Clone, Copy, Debug)]
pub struct CriticSizes {
    pub hidden: usize,
    pub layers: usize,
    pub batch: usize,
}

/// The workload: the critic with its optimiser, one real and one fake batch.
pub struct GradientPenaltyStep {
    trainee: Trainee<Critic>,
    real: Tensor<2>,
    fake: Tensor<2>,
}

impl GradientPenaltyStep {
    /// Three hidden layers of 512, batch 256.
    pub const BENCH: CriticSizes = CriticSizes { hidden: 512, layers: 3, batch: 256 };

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 40;

    /// A fresh critic, the ring of 8 (seed 0) as the real batch, N(0, 0.5²) points as the fakes.
    pub fn new(sizes: CriticSizes, device: &Device) -> Result<Self> {
        let critic = Critic::new(2, &vec![sizes.hidden; sizes.layers], device)?;
        let real = points_tensor(&GaussianMixture::ring_of_8().sample(sizes.batch, 0)?, device)?;
        let fake = Tensor::random([sizes.batch, 2], Distribution::Normal(0.0, 0.5), device);
        Ok(Self { trainee: Trainee::new(critic), real, fake })
    }
}

impl Workload for GradientPenaltyStep {
    fn name(&self) -> &'static str {
        "wgan_gp_critic"
    }

    fn description(&self) -> &'static str {
        "WGAN-GP critic step: 2-3x512-1 leaky ReLU, batch 256, gradient penalty through the hand-written input gradient, Adam"
    }

    fn step(&mut self) -> f32 {
        let (real, fake) = (self.real.clone(), self.fake.clone());
        self.trainee.train_step(|critic| {
            let loss = Objective::Wasserstein
                .critic_loss(critic.forward(real.clone()), critic.forward(fake.clone()));
            loss + gradient_penalty(critic, real, fake, LAMBDA)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_lowers_its_critic_loss() {
        let sizes = CriticSizes { hidden: 16, layers: 2, batch: 32 };
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = GradientPenaltyStep::new(sizes, device).unwrap();
            (0..40).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
        assert!(losses[39] < losses[0], "{} -> {}", losses[0], losses[39]);
    }
}
