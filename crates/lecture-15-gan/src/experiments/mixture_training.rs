//! Training a GAN on a 2-D Gaussian mixture and scoring its samples: shared by the saturation,
//! remedies and bench code.

use crate::discriminator::DiscriminatorConfig;
use crate::gan_trainer::{GameConfig, GanTrainer, RealBatch, StepStats};
use crate::instance_noise::NoiseSchedule;
use anyhow::Result;
use burn::prelude::*;
use serde::Serialize;
use shared::data::batch_seed;
use shared::data::synthetic::mixture::{GaussianMixture, ModeCoverage, points_tensor};
use shared::gan::generator::{GeneratorConfig, OutputActivation};
use shared::gan::loss::GeneratorLoss;
use shared::testing::seeded_on;
use shared::train::Progress;

/// Networks, batch and game of a GAN on 2-D points.
#[derive(Clone, Debug, Serialize)]
pub struct MixtureGanConfig {
    /// Width of the noise z.
    pub noise: usize,
    pub generator_hidden: Vec<usize>,
    pub discriminator_hidden: Vec<usize>,
    /// Dropout in the discriminator.
    pub dropout: f64,
    pub batch: usize,
    pub steps: u64,
    pub game: GameConfig,
    /// Generator samples scored at the end, and the high-quality samples a mode needs to count
    /// as covered.
    pub eval_samples: usize,
    pub min_per_mode: usize,
    /// Statistics (with the generator's gradient norm) are logged every this many steps.
    pub log_every: u64,
}

impl MixtureGanConfig {
    /// The game of claims 1 and 2 without remedies: G 2-128-128-2, D 2-64-64-1, batch 128, the
    /// minimax loss, Adam (lr 2e-3, beta_1 0.5) and `d_steps` discriminator updates per generator
    /// update; scored on 2500 samples with 20 per covered mode.
    pub fn failing_game(steps: u64, d_steps: usize, log_every: u64) -> Self {
        MixtureGanConfig {
            noise: 2,
            generator_hidden: vec![128, 128],
            discriminator_hidden: vec![64, 64],
            dropout: 0.0,
            batch: 128,
            steps,
            game: GameConfig {
                loss: GeneratorLoss::Minimax,
                learning_rate: 2e-3,
                beta_1: 0.5,
                d_steps,
                instance_noise: NoiseSchedule::NONE,
                label_smoothing: 0.0,
                label_noise: 0.0,
            },
            eval_samples: 2500,
            min_per_mode: 20,
            log_every,
        }
    }

    /// The generator `z -> hidden -> (x, y)` of this configuration.
    pub fn generator(&self) -> GeneratorConfig {
        GeneratorConfig {
            noise: self.noise,
            hidden: self.generator_hidden.clone(),
            features: 2,
            classes: 0,
            output: OutputActivation::Identity,
        }
    }

    /// The discriminator `(x, y) -> hidden -> logit` of this configuration.
    pub fn discriminator(&self) -> DiscriminatorConfig {
        DiscriminatorConfig {
            features: 2,
            hidden: self.discriminator_hidden.clone(),
            classes: 0,
            dropout: self.dropout,
        }
    }
}

/// A trained mixture GAN and what was measured on the way.
pub struct MixtureRun {
    pub trainer: GanTrainer,
    /// `(step, stats)` every `log_every` steps.
    pub log: Vec<(u64, StepStats)>,
    /// `eval_samples` points from the trained generator, `[n, 2]` row-major.
    pub samples: Vec<f32>,
    pub coverage: ModeCoverage,
}

/// Real batches from `mixture`: batch `i` is `mixture.sample(batch, batch_seed(seed, i))`.
pub struct MixtureStream<'a> {
    mixture: &'a GaussianMixture,
    batch: usize,
    seed: u64,
    drawn: u64,
    device: Device,
}

impl<'a> MixtureStream<'a> {
    pub fn new(mixture: &'a GaussianMixture, batch: usize, seed: u64, device: &Device) -> Self {
        Self { mixture, batch, seed, drawn: 0, device: device.clone() }
    }

    /// The next real batch `[batch, 2]`.
    pub fn next_batch(&mut self) -> Result<RealBatch> {
        let points = self.mixture.sample(self.batch, batch_seed(self.seed, self.drawn))?;
        self.drawn += 1;
        Ok(RealBatch { samples: points_tensor(&points, &self.device)?, condition: None })
    }
}

/// Trains a fresh GAN (weights from `seed`) on `mixture` and scores its samples.
pub fn train_on_mixture(
    mixture: &GaussianMixture,
    config: &MixtureGanConfig,
    seed: u64,
    device: &Device,
    progress: &Progress,
) -> Result<MixtureRun> {
    let (generator, discriminator) = seeded_on(device, seed, |d| {
        Ok::<_, anyhow::Error>((config.generator().init(d)?, config.discriminator().init(d)?))
    })?;
    let mut trainer = GanTrainer::new(generator, discriminator, config.game);
    let mut stream = MixtureStream::new(mixture, config.batch, seed, device);
    let mut log = Vec::new();
    for step in 0..config.steps {
        let logged = step % config.log_every == 0 || step + 1 == config.steps;
        let stats = trainer.step(step, logged, || stream.next_batch())?;
        if logged {
            log.push((step, stats));
            progress.update(step + 1, &[("D loss", stats.d_loss), ("D acc", stats.d_accuracy)]);
        }
    }
    let samples: Vec<f32> =
        trainer.generator().sample(config.eval_samples, None, device).into_data().iter::<f32>().collect();
    let coverage = mixture.coverage(&samples, config.min_per_mode)?;
    Ok(MixtureRun { trainer, log, samples, coverage })
}

/// Median distance from each point (`[n, 2]` row-major) to its nearest mode centre: how far off
/// the mixture the samples lie, whatever their quality (0.02 std modes put true samples at
/// about 0.024).
pub fn median_distance_to_modes(mixture: &GaussianMixture, points: &[f32]) -> f64 {
    let distances: Vec<f64> = points
        .chunks_exact(2)
        .map(|p| {
            let nearest = mixture.mode_centres().iter().map(|c| (p[0] - c[0]).hypot(p[1] - c[1]));
            f64::from(nearest.fold(f32::INFINITY, f32::min))
        })
        .collect();
    shared::stats::median(&distances)
}
