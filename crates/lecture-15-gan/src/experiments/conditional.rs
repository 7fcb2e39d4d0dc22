//! Claim 4: a conditional GAN (Mirza & Osindero 2014) draws the digit it is asked for.
//!
//! Generator and discriminator both receive the one-hot class; the discriminator sees real
//! digits with their true labels and fakes with the labels they were asked for. After training,
//! we ask for `per_class` samples of every digit and let the classifier (trained here on real
//! digits) read them: the claim is that it agrees with the requested label for at least 90% of
//! them.

use super::image_gan::{ImageGanConfig, samples_in_unit_range, train_image_gan};
use anyhow::Result;
use burn::prelude::*;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::gan::digits::{CLASSES, ClassifierConfig, DigitSet, PIXELS, SIDE, train_classifier};
use shared::plot::ImageGrid;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::accuracy;

/// The experiment's name: its record is `out/lecture-15-gan/conditional.json`.
pub const NAME: &str = "conditional";

/// The random stream of the conditional GAN (weights, batches, noise); the classifier uses the run seed.
const GAN: u64 = 0;

/// Agreement the claim asks for.
pub const AGREEMENT_CLAIMED: f64 = 0.9;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub train_digits: usize,
    pub test_digits: usize,
    pub classifier: ClassifierConfig,
    pub gan: ImageGanConfig,
    /// Samples requested per class.
    pub per_class: usize,
}

impl Config {
    /// Quick: 4000 steps; full: 8000 (both on the 10,000 embedded training digits).
    pub fn for_run(run: &Run) -> Config {
        let steps = run.steps_or(4000, 8000);
        Config {
            train_digits: 10_000,
            test_digits: run.size(2000, 5000),
            classifier: ClassifierConfig {
                hidden: 256,
                steps: run.size(3000, 5000),
                batch: 64,
                learning_rate: 1e-3,
            },
            gan: ImageGanConfig::digits(steps, true),
            per_class: run.size(50, 100),
        }
    }

    /// The control: the same, with a discriminator that does not see the label.
    pub fn label_blind_discriminator(run: &Run) -> Config {
        let mut config = Config::for_run(run);
        config.gan.discriminator_sees_label = false;
        config
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub classifier_accuracy: f64,
    /// Fraction of samples the classifier reads as the requested digit, all classes together.
    pub agreement: f64,
    /// The same per requested class.
    pub agreement_by_class: Vec<f64>,
}

/// Trains the classifier and the conditional GAN, asks for every digit, scores and draws them.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    anyhow::ensure!(config.per_class >= 1 && config.gan.conditional, "nothing to ask for: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let device = &run.device;
    let mnist = run.mnist_with_batch(config.classifier.batch.max(config.gan.batch))?;
    let train = DigitSet::from_mnist(&mnist.train, config.train_digits, device)?;
    let test = DigitSet::from_mnist(&mnist.test, config.test_digits, device)?;
    let (classifier, classifier_accuracy) = seeded_on(device, run.seed, |d| {
        train_classifier(&train, &test, &config.classifier, run.seed, d, &mut record)
    })?;
    record.set_metric("classifier test accuracy", classifier_accuracy);
    let (generator, snapshots) =
        train_image_gan(&train, &config.gan, sub_seed(run.seed, GAN), device, "cGAN", &mut record)?;

    snapshots.save_svg(
        "Conditional GAN, digits 0-9 from fixed noise, during training",
        &run.picture_path("conditional-training.svg"),
    )?;
    record.add_picture("conditional-training.svg");
    let requested: Vec<usize> = (0..CLASSES).flat_map(|k| std::iter::repeat_n(k, config.per_class)).collect();
    let samples = samples_in_unit_range(&generator, requested.len(), Some(&requested), device);
    let logits = classifier.forward(samples.clone());
    let labels: Vec<i64> = requested.iter().map(|&k| k as i64).collect();
    let labels = Tensor::<1, Int>::from_data(TensorData::new(labels, [requested.len()]), device);
    let agreement = accuracy(logits.clone(), labels.clone());
    let per_class = config.per_class;
    let agreement_by_class: Vec<f64> = (0..CLASSES)
        .map(|k| {
            let first = k * per_class;
            accuracy(logits.clone().narrow(0, first, per_class), labels.clone().narrow(0, first, per_class))
        })
        .collect();

    let pixels: Vec<f32> = samples.into_data().iter::<f32>().collect();
    let shown = config.per_class.min(8);
    let grid: Vec<f32> = (0..shown)
        .flat_map(|i| (0..CLASSES).map(move |k| k * config.per_class + i))
        .flat_map(|row| pixels[row * PIXELS..(row + 1) * PIXELS].to_vec())
        .collect();
    ImageGrid::grey(&grid, SIDE, SIDE)
        .columns(CLASSES)
        .scale(6)
        .value_range(0.0, 1.0)
        .save_png(run.picture_path("conditional-samples.png"))?;
    record.add_picture("conditional-samples.png");
    record
        .curve_chart("Conditional GAN losses", &["cGAN: D loss", "cGAN: G loss"])?
        .x_label("step")
        .y_label("loss")
        .save_svg(run.picture_path("conditional-losses.svg"))?;
    record.add_picture("conditional-losses.svg");

    println!("digit classifier: test accuracy {classifier_accuracy:.3}");
    println!("requested digit:  {}", (0..CLASSES).map(|k| format!("{k:>5}")).collect::<String>());
    println!(
        "agreement:        {}",
        agreement_by_class.iter().map(|a| format!("{a:>5.2}")).collect::<String>()
    );
    println!("overall agreement {agreement:.3}");
    for (k, a) in agreement_by_class.iter().enumerate() {
        record.set_metric(format!("agreement, digit {k}"), *a);
    }
    record.set_metric("agreement", agreement);
    record.add_claim(
        "the conditional GAN draws the requested digit",
        format!(
            "classifier agrees with the requested label for >= {:.0}% of samples",
            100.0 * AGREEMENT_CLAIMED
        ),
        format!("{:.1}% (classifier test accuracy {:.1}%)", 100.0 * agreement, 100.0 * classifier_accuracy),
        agreement >= AGREEMENT_CLAIMED,
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, classifier_accuracy, agreement, agreement_by_class })
}
