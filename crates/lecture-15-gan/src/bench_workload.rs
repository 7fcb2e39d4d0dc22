//! This lecture's benchmark workload: one GAN training step (one discriminator update, then one
//! generator update, two Adams) on the ring of 8 Gaussians, with this lecture's modules
//! ([`Generator`], [`Discriminator`], [`GanTrainer`]).
//!
//! ```text
//! G: z [256, 2] -> 128 -> 128 -> (x, y)      D: (x, y) [256, 2] -> 128 -> 128 -> logit
//! ```
//!
//! Leaky ReLU 0.2 between layers, the non-saturating generator loss, Adam (lr 1e-3, beta_1 0.5)
//! for each network, a fixed real batch of 256 points and fresh noise every step.

use crate::discriminator::DiscriminatorConfig;
use crate::gan_trainer::{GameConfig, GanTrainer, RealBatch};
use crate::instance_noise::NoiseSchedule;
use anyhow::Result;
use burn::prelude::*;
use shared::bench::Workload;
use shared::data::synthetic::mixture::{GaussianMixture, points_tensor};
use shared::gan::generator::{GeneratorConfig, OutputActivation};
use shared::gan::loss::GeneratorLoss;

/// Sizes of the workload.
#[derive(Clone, Copy, Debug)]
pub struct MixtureGanSizes {
    pub noise: usize,
    pub hidden: usize,
    pub batch: usize,
}

/// The workload: both networks with their optimisers and one fixed batch of real points.
pub struct MixtureGanStep {
    trainer: GanTrainer,
    real: Tensor<2>,
    step: u64,
}

impl MixtureGanStep {
    /// Noise 2, hidden 128 (two layers in each network), batch 256.
    pub const BENCH: MixtureGanSizes = MixtureGanSizes { noise: 2, hidden: 128, batch: 256 };

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 200;

    /// Fresh networks and a fixed batch from the ring of 8 (seed 0).
    pub fn new(sizes: MixtureGanSizes, device: &Device) -> Result<Self> {
        let generator = GeneratorConfig {
            noise: sizes.noise,
            hidden: vec![sizes.hidden; 2],
            features: 2,
            classes: 0,
            output: OutputActivation::Identity,
        }
        .init(device)?;
        let discriminator =
            DiscriminatorConfig { features: 2, hidden: vec![sizes.hidden; 2], classes: 0, dropout: 0.0 }
                .init(device)?;
        let game = GameConfig {
            loss: GeneratorLoss::NonSaturating,
            learning_rate: 1e-3,
            beta_1: 0.5,
            d_steps: 1,
            instance_noise: NoiseSchedule::NONE,
            label_smoothing: 0.0,
            label_noise: 0.0,
        };
        let real = points_tensor(&GaussianMixture::ring_of_8().sample(sizes.batch, 0)?, device)?;
        Ok(Self { trainer: GanTrainer::new(generator, discriminator, game), real, step: 0 })
    }
}

impl Workload for MixtureGanStep {
    fn name(&self) -> &'static str {
        "gan_mixture"
    }

    fn description(&self) -> &'static str {
        "MLP GAN on the ring of 8: G 2-128-128-2, D 2-128-128-1, leaky ReLU 0.2; one D + one G step, batch 256, 2x Adam"
    }

    /// Returns the discriminator loss plus the generator loss (NaN if a loss diverged).
    fn step(&mut self) -> f32 {
        let real = self.real.clone();
        let stats =
            self.trainer.step(self.step, false, || Ok(RealBatch { samples: real.clone(), condition: None }));
        self.step += 1;
        stats.map_or(f32::NAN, |s| (s.d_loss + s.g_loss) as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_runs_and_its_losses_stay_finite() {
        let sizes = MixtureGanSizes { noise: 2, hidden: 8, batch: 16 };
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = MixtureGanStep::new(sizes, device).unwrap();
            (0..20).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
        // D + G loss starts near 2 log 2 + log 2 (logits ~0) = 2.08.
        assert!((losses[0] - 3.0 * std::f32::consts::LN_2).abs() < 0.5, "{}", losses[0]);
    }
}
