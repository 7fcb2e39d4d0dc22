//! The 2-D setting of claims 1-3: networks, real batches from a Gaussian mixture, and a
//! trained GAN's samples scored against the mixture.

use crate::critic::Critic;
use crate::trainer::{GameConfig, StepStats, Trainer};
use anyhow::Result;
use burn::prelude::*;
use serde::Serialize;
use shared::data::batch_seed;
use shared::data::synthetic::mixture::{GaussianMixture, ModeCoverage, points_tensor};
use shared::gan::generator::{Generator, GeneratorConfig, OutputActivation};
use shared::testing::seeded_on;
use shared::train::Progress;

/// Networks, batch and game of a GAN on 2-D points.
#[derive(Clone, Debug, Serialize)]
pub struct ToyConfig {
    /// Width of the noise z.
    pub noise: usize,
    pub generator_hidden: Vec<usize>,
    pub critic_hidden: Vec<usize>,
    pub batch: usize,
    /// Generator updates.
    pub steps: u64,
    pub game: GameConfig,
    /// Generator samples scored at the end, and the high-quality samples a mode needs to count
    /// as covered.
    pub eval_samples: usize,
    pub min_per_mode: usize,
    /// Statistics are logged every this many generator steps.
    pub log_every: u64,
}

impl ToyConfig {
    /// G 2-128-128-2 and critic 2-128-128-1 (leaky ReLU), batch 256, WGAN-GP's game; scored on
    /// 2500 samples with 20 per covered mode.
    pub fn wgan_gp(steps: u64, log_every: u64) -> Self {
        ToyConfig {
            noise: 2,
            generator_hidden: vec![128, 128],
            critic_hidden: vec![128, 128],
            batch: 256,
            steps,
            game: GameConfig::wgan_gp(),
            eval_samples: 2500,
            min_per_mode: 20,
            log_every,
        }
    }

    /// The generator `z -> hidden -> (x, y)`.
    pub fn generator(&self) -> GeneratorConfig {
        GeneratorConfig {
            noise: self.noise,
            hidden: self.generator_hidden.clone(),
            features: 2,
            classes: 0,
            output: OutputActivation::Identity,
        }
    }

    /// A fresh generator and critic with weights drawn from `seed`.
    pub fn networks(&self, seed: u64, device: &Device) -> Result<(Generator, Critic)> {
        seeded_on(device, seed, |d| Ok((self.generator().init(d)?, Critic::new(2, &self.critic_hidden, d)?)))
    }
}

/// Real batches from `mixture`: batch `i` is `mixture.sample(batch, batch_seed(seed, i))`.
pub struct RealStream<'a> {
    mixture: &'a GaussianMixture,
    batch: usize,
    seed: u64,
    drawn: u64,
    device: Device,
}

impl<'a> RealStream<'a> {
    pub fn new(mixture: &'a GaussianMixture, batch: usize, seed: u64, device: &Device) -> Self {
        Self { mixture, batch, seed, drawn: 0, device: device.clone() }
    }

    /// The next real batch as numbers `[batch, 2]` row-major.
    pub fn next_points(&mut self) -> Result<Vec<f32>> {
        let points = self.mixture.sample(self.batch, batch_seed(self.seed, self.drawn))?;
        self.drawn += 1;
        Ok(points)
    }

    /// The next real batch `[batch, 2]`.
    pub fn next_batch(&mut self) -> Result<Tensor<2>> {
        points_tensor(&self.next_points()?, &self.device)
    }
}

/// A trained toy GAN and what was measured on the way.
pub struct ToyRun {
    pub trainer: Trainer<Generator>,
    /// `(step, stats)` every `log_every` steps.
    pub log: Vec<(u64, StepStats)>,
    /// `eval_samples` points from the trained generator, `[n, 2]` row-major.
    pub samples: Vec<f32>,
    pub coverage: ModeCoverage,
}

/// Trains a fresh GAN (weights from `seed`) on `mixture`; `probe` sees the trainer every
/// `log_every` steps (and after the last).
pub fn train_toy(
    mixture: &GaussianMixture,
    config: &ToyConfig,
    seed: u64,
    device: &Device,
    progress: &Progress,
    mut probe: impl FnMut(u64, &Trainer<Generator>) -> Result<()>,
) -> Result<ToyRun> {
    let (generator, critic) = config.networks(seed, device)?;
    let mut trainer = Trainer::new(generator, critic, config.game);
    let mut stream = RealStream::new(mixture, config.batch, seed, device);
    let mut log = Vec::new();
    for step in 0..config.steps {
        let logged = step % config.log_every == 0 || step + 1 == config.steps;
        let stats = trainer.step(step, logged, || stream.next_batch())?;
        if logged {
            log.push((step, stats));
            probe(step + 1, &trainer)?;
            progress.update(step + 1, &[("critic gap", stats.critic_gap), ("G loss", stats.generator_loss)]);
        }
    }
    let samples = points(trainer.generator().sample(config.eval_samples, None, device));
    let coverage = mixture.coverage(&samples, config.min_per_mode)?;
    Ok(ToyRun { trainer, log, samples, coverage })
}

/// A `[n, d]` tensor's numbers, row-major.
pub fn points(tensor: Tensor<2>) -> Vec<f32> {
    tensor.into_data().iter::<f32>().collect()
}

/// Row-major `[n, 2]` numbers as plot points.
pub fn pairs(points: &[f32]) -> Vec<(f64, f64)> {
    points.chunks_exact(2).map(|p| (f64::from(p[0]), f64::from(p[1]))).collect()
}
