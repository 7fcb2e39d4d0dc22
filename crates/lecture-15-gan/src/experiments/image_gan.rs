//! Training a GAN (optionally conditional) on the 14x14 digits: shared by the sample-quality and
//! conditional experiments.

use super::digits::{CLASSES, DigitSet, PIXELS};
use crate::conditioning::one_hot;
use crate::discriminator::DiscriminatorConfig;
use crate::gan_loss::GeneratorLoss;
use crate::gan_trainer::{GameConfig, GanTrainer, RealBatch, StepStats};
use crate::generator::{Generator, GeneratorConfig, OutputActivation};
use crate::instance_noise::NoiseSchedule;
use anyhow::Result;
use burn::prelude::*;
use serde::Serialize;
use shared::data::Batches;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::Progress;

/// Networks, batch and game of a digit GAN.
#[derive(Clone, Debug, Serialize)]
pub struct ImageGanConfig {
    pub noise: usize,
    pub generator_hidden: Vec<usize>,
    pub discriminator_hidden: Vec<usize>,
    /// Dropout in the discriminator (Goodfellow et al. 2014 used it on MNIST).
    pub dropout: f64,
    pub batch: usize,
    pub steps: u64,
    pub game: GameConfig,
    /// Give both networks the digit's class (Mirza & Osindero 2014).
    pub conditional: bool,
    /// Losses are recorded every this many steps.
    pub log_every: u64,
}

impl ImageGanConfig {
    /// The digit GAN of claims 3 and 4: noise 32, G 32-256-196 (tanh), D 196-256-1, batch 64,
    /// the non-saturating loss, Adam (lr 1e-3, beta_1 0.5), one D update per G update, no
    /// remedies; losses logged 50 times.
    pub fn digits(steps: u64, conditional: bool) -> Self {
        ImageGanConfig {
            noise: 32,
            generator_hidden: vec![256],
            discriminator_hidden: vec![256],
            dropout: 0.0,
            batch: 64,
            steps,
            game: GameConfig {
                loss: GeneratorLoss::NonSaturating,
                learning_rate: 1e-3,
                beta_1: 0.5,
                d_steps: 1,
                instance_noise: NoiseSchedule::NONE,
                label_smoothing: 0.0,
            },
            conditional,
            log_every: (steps / 50).max(1),
        }
    }

    fn classes(&self) -> usize {
        if self.conditional { CLASSES } else { 0 }
    }
}

/// Trains a digit GAN on `set` (pixels rescaled to [-1, 1]); records its loss curves under
/// `label` and returns the generator.
pub fn train_image_gan(
    set: &DigitSet,
    config: &ImageGanConfig,
    seed: u64,
    device: &Device,
    label: &str,
    record: &mut ExperimentRecord,
) -> Result<Generator> {
    let classes = config.classes();
    let generator = GeneratorConfig {
        noise: config.noise,
        hidden: config.generator_hidden.clone(),
        features: PIXELS,
        classes,
        output: OutputActivation::Tanh,
    };
    let discriminator = DiscriminatorConfig {
        features: PIXELS,
        hidden: config.discriminator_hidden.clone(),
        classes,
        dropout: config.dropout,
    };
    let (g, d) =
        seeded_on(device, seed, |d| Ok::<_, anyhow::Error>((generator.init(d)?, discriminator.init(d)?)))?;
    let mut trainer = GanTrainer::new(g, d, config.game);
    let batches = Batches::new(set.len(), config.batch, seed, true)?;
    let mut order =
        (0u64..).flat_map(|epoch| batches.epoch(epoch).iter().map(<[usize]>::to_vec).collect::<Vec<_>>());
    let progress = Progress::new(label, config.steps);
    let mut last = None;
    for step in 0..config.steps {
        let stats: StepStats = trainer.step(step, false, || {
            let indices = order.next().expect("epochs never run out");
            let (images, labels) = set.batch(&indices);
            let condition = config.conditional.then(|| one_hot(labels, CLASSES));
            Ok(RealBatch { samples: images.mul_scalar(2.0).sub_scalar(1.0), condition })
        })?;
        if step % config.log_every == 0 || step + 1 == config.steps {
            record.push_point(&format!("{label}: D loss"), step as f64, stats.d_loss);
            record.push_point(&format!("{label}: G loss"), step as f64, stats.g_loss);
            progress.update(step + 1, &[("D loss", stats.d_loss), ("G loss", stats.g_loss)]);
        }
        last = Some(stats);
    }
    if let Some(stats) = last {
        progress.finish(&[("D loss", stats.d_loss), ("G loss", stats.g_loss)]);
    }
    Ok(trainer.generator().clone())
}

/// `n` samples of `generator` as pixels in [0, 1], `[n, 196]`; conditioned on `labels` if given.
pub fn samples_in_unit_range(
    generator: &Generator,
    n: usize,
    labels: Option<&[usize]>,
    device: &Device,
) -> Tensor<2> {
    let condition = labels.map(|labels| {
        let labels: Vec<i64> = labels.iter().map(|&l| l as i64).collect();
        one_hot(Tensor::from_data(TensorData::new(labels, [n]), device), CLASSES)
    });
    generator.sample(n, condition.as_ref(), device).add_scalar(1.0).div_scalar(2.0).detach()
}
