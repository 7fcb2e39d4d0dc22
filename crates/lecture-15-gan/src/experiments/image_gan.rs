//! Training a GAN (optionally conditional) on the 14x14 digits: shared by the sample-quality and
//! conditional experiments.

use crate::discriminator::DiscriminatorConfig;
use crate::gan_trainer::{GameConfig, GanTrainer, RealBatch, StepStats};
use crate::instance_noise::NoiseSchedule;
use anyhow::Result;
use burn::prelude::*;
use rand::RngExt;
use rand_distr::StandardNormal;
use serde::Serialize;
use shared::data::Batches;
use shared::data::synthetic::{float_tensor, seeded_rng};
use shared::gan::conditioning::one_hot;
use shared::gan::digits::{CLASSES, DigitSet, PIXELS, SIDE};
use shared::gan::generator::{Generator, GeneratorConfig, OutputActivation};
use shared::gan::loss::GeneratorLoss;
use shared::plot::ImageGrid;
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
    /// With `conditional`: whether the discriminator reads the class too (false only for the
    /// conditional GAN's control, where nothing asks the generator to obey its label).
    pub discriminator_sees_label: bool,
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
                label_noise: 0.0,
            },
            conditional,
            discriminator_sees_label: true,
            log_every: (steps / 50).max(1),
        }
    }

    fn classes(&self) -> usize {
        if self.conditional { CLASSES } else { 0 }
    }
}

/// Samples of the generator during training, all from the same fixed noise (one row per
/// snapshot, [`SNAPSHOT_SAMPLES`] digits a row, pixels in [0, 1]).
pub struct Snapshots {
    /// The training steps done when each row was drawn (the first row after one step: burn draws
    /// the weights lazily, at their first use, so a picture before any step would change the
    /// order of the random draws and with it the whole run).
    pub steps: Vec<u64>,
    pub pixels: Vec<f32>,
}

/// Samples per snapshot row (for a conditional GAN: the digits 0 to 9).
pub const SNAPSHOT_SAMPLES: usize = CLASSES;

/// Snapshots taken after each quarter of training, besides the one after the first step.
const SNAPSHOTS: u64 = 4;

impl Snapshots {
    /// Saves the rows as an SVG grid, each row captioned with its step.
    pub fn save_svg(&self, title: &str, path: &std::path::Path) -> Result<()> {
        let captions = self.steps.iter().flat_map(|step| {
            std::iter::once(format!("step {step}"))
                .chain(std::iter::repeat_n(String::new(), SNAPSHOT_SAMPLES - 1))
        });
        ImageGrid::grey(&self.pixels, SIDE, SIDE)
            .columns(SNAPSHOT_SAMPLES)
            .scale(4)
            .value_range(0.0, 1.0)
            .captions(captions)
            .title(title)
            .save_svg(path)
    }
}

/// The fixed noise `[SNAPSHOT_SAMPLES, noise]` of the snapshots, drawn from its own seeded
/// generator (so that taking snapshots does not change the training run).
fn snapshot_noise(noise: usize, seed: u64, device: &Device) -> Result<Tensor<2>> {
    let mut rng = seeded_rng(seed);
    let values: Vec<f32> = (0..SNAPSHOT_SAMPLES * noise).map(|_| rng.sample(StandardNormal)).collect();
    float_tensor(&values, [SNAPSHOT_SAMPLES, noise], device)
}

/// Trains a digit GAN on `set` (pixels rescaled to [-1, 1]); records its loss curves under
/// `label` and returns the generator and its samples during training.
pub fn train_image_gan(
    set: &DigitSet,
    config: &ImageGanConfig,
    seed: u64,
    device: &Device,
    label: &str,
    record: &mut ExperimentRecord,
) -> Result<(Generator, Snapshots)> {
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
        classes: if config.discriminator_sees_label { classes } else { 0 },
        dropout: config.dropout,
    };
    let (g, d) =
        seeded_on(device, seed, |d| Ok::<_, anyhow::Error>((generator.init(d)?, discriminator.init(d)?)))?;
    let mut trainer = GanTrainer::new(g, d, config.game);
    let batches = Batches::new(set.len(), config.batch, seed, true)?;
    let mut order =
        (0u64..).flat_map(|epoch| batches.epoch(epoch).iter().map(<[usize]>::to_vec).collect::<Vec<_>>());
    let progress = Progress::new(label, config.steps);
    let fixed_noise = snapshot_noise(config.noise, seed, device)?;
    let digits: Vec<usize> = (0..SNAPSHOT_SAMPLES).map(|k| k % CLASSES).collect();
    let fixed_condition = config.conditional.then(|| labels_one_hot(&digits, device));
    let mut snapshots = Snapshots { steps: Vec::new(), pixels: Vec::new() };
    let mut snapshot = |generator: &Generator, step: u64| {
        let images =
            generator.forward(fixed_noise.clone(), fixed_condition.as_ref()).add_scalar(1.0).div_scalar(2.0);
        snapshots.steps.push(step);
        snapshots.pixels.extend(images.into_data().iter::<f32>());
    };
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
        if step == 0 || (step + 1) % (config.steps / SNAPSHOTS).max(1) == 0 || step + 1 == config.steps {
            snapshot(trainer.generator(), step + 1);
        }
    }
    if let Some(stats) = last {
        progress.finish(&[("D loss", stats.d_loss), ("G loss", stats.g_loss)]);
    }
    Ok((trainer.generator().clone(), snapshots))
}

fn labels_one_hot(labels: &[usize], device: &Device) -> Tensor<2> {
    let labels: Vec<i64> = labels.iter().map(|&l| l as i64).collect();
    one_hot(Tensor::from_data(TensorData::new(labels.clone(), [labels.len()]), device), CLASSES)
}

/// `n` samples of `generator` as pixels in [0, 1], `[n, 196]`; conditioned on `labels` if given.
pub fn samples_in_unit_range(
    generator: &Generator,
    n: usize,
    labels: Option<&[usize]>,
    device: &Device,
) -> Tensor<2> {
    let condition = labels.map(|labels| labels_one_hot(labels, device));
    generator.sample(n, condition.as_ref(), device).add_scalar(1.0).div_scalar(2.0).detach()
}
