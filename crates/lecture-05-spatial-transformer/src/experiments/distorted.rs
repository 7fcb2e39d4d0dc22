//! Claim 2: on distorted MNIST the ST-CNN makes fewer test errors than the CNN with as many
//! parameters (and the ST-FCN fewer than the FCN), on rotated (R), rotated-translated-scaled
//! (RTS) and cluttered digits, over several seeds.
//!
//! Every training step draws a fresh batch: real MNIST training digits, each placed by a random
//! transform of the variant ([`Distortion`]). The test set is a fixed draw of distorted MNIST
//! test digits. Jaderberg et al. 2015 (Table 1) trained for hours on 60k digits at full size;
//! we train each model for a few hundred steps on the 10k-digit subset, and our cluttered canvas
//! is smaller than their 60 x 60 (see [`Config::for_run`]), so our errors are several times
//! theirs: the comparison that matters is the gap between the two models of a pair.
//!
//! The transformer resamples to the canvas size, so the classifier behind it reads images of
//! the same size as the baseline's: a smaller output would hand the ST-CNN a downsampled image,
//! and part of its advantage would come from the resizing, not from the transformer.

use super::training::{Settings, TEST_STREAM, accuracy, classify, cross_entropy, digit_images, train};
use crate::models::{DigitNet, ModelKind, NetSizes};
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::prelude::*;
use serde::Serialize;
use shared::data::synthetic::distorted_mnist::{DigitImages, DistortedDigits, Distortion, distorted_digits};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::ImageGrid;
use shared::report::ExperimentRecord;
use shared::stats::mean_and_std;
use shared::testing::seeded_on;

/// Name of the experiment and of its record.
pub const NAME: &str = "distorted";

/// The random streams of the repeats, one sub-stream per repeat (see [`Config::seeds`]).
const REPEATS: u64 = 1;

/// The distortions of the paper's Table 1 that we train on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Variant {
    /// R: rotated ±90° on a 28 x 28 canvas.
    Rotated,
    /// RTS: rotated ±45°, scaled 0.7-1.2, translated on a 42 x 42 canvas.
    RotatedTranslatedScaled,
    /// TC: translated with 6 x 6 clutter on a `side` x `side` canvas.
    Cluttered { side: usize, pieces: usize },
}

impl Variant {
    /// The short name of the paper.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Rotated => "R",
            Variant::RotatedTranslatedScaled => "RTS",
            Variant::Cluttered { .. } => "cluttered",
        }
    }

    /// The generator's settings.
    pub fn distortion(self) -> Distortion {
        match self {
            Variant::Rotated => Distortion::rotated(),
            Variant::RotatedTranslatedScaled => Distortion::rotated_translated_scaled(),
            Variant::Cluttered { side, pieces } => {
                Distortion { canvas_side: side, ..Distortion::cluttered(pieces) }
            }
        }
    }

    /// Test error (%) of Jaderberg et al. 2015 Table 1 for `kind`, where it gives one
    /// (the cluttered numbers are for 60 x 60 canvases).
    pub fn paper_error(self, kind: ModelKind) -> Option<f64> {
        match (self, kind) {
            (Variant::Rotated, ModelKind::Cnn) => Some(1.2),
            (Variant::Rotated, ModelKind::StCnn) => Some(0.7),
            (Variant::Rotated, ModelKind::Fcn) => Some(2.1),
            (Variant::Rotated, ModelKind::StFcn) => Some(1.2),
            (Variant::RotatedTranslatedScaled, ModelKind::Cnn) => Some(0.8),
            (Variant::RotatedTranslatedScaled, ModelKind::StCnn) => Some(0.5),
            (Variant::RotatedTranslatedScaled, ModelKind::Fcn) => Some(5.2),
            (Variant::RotatedTranslatedScaled, ModelKind::StFcn) => Some(0.8),
            (Variant::Cluttered { .. }, ModelKind::Cnn) => Some(3.5),
            (Variant::Cluttered { .. }, ModelKind::StCnn) => Some(1.7),
            _ => None,
        }
    }
}

/// Settings of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub variants: Vec<Variant>,
    pub models: Vec<ModelKind>,
    /// One training run per model and repeat: repeat `k` is seeded `sub_seed(sub_seed(run seed,
    /// REPEATS), k)`.
    pub seeds: Vec<u64>,
    pub settings: Settings,
    /// Channels of the CNNs' two convolutions and the hidden width of the transformer models'
    /// classifiers (the baselines' is matched to their parameter count).
    pub channels: [usize; 2],
    pub hidden: usize,
    /// Hidden width of the localisation networks.
    pub localisation_hidden: usize,
    /// Distorted test digits per variant.
    pub test_count: usize,
    /// Test digits shown before and after the transformer.
    pub pictured: usize,
}

impl Config {
    /// Quick: RTS, the four models and the two transformer models frozen at the identity (the
    /// claims' negative controls), one seed, 200 steps. Full: the three variants (the
    /// cluttered canvas 48 x 48 with 4 pieces of clutter, not the paper's 60 x 60), the four
    /// models, two seeds, 400 steps each (24 models: about 15 minutes on two idle cores).
    pub fn for_run(run: &Run) -> Config {
        let cluttered = Variant::Cluttered { side: 48, pieces: 4 };
        Config {
            variants: run.size(
                vec![Variant::RotatedTranslatedScaled],
                vec![Variant::Rotated, Variant::RotatedTranslatedScaled, cluttered],
            ),
            models: run.size(
                vec![
                    ModelKind::Cnn,
                    ModelKind::StCnn,
                    ModelKind::StCnnFrozen,
                    ModelKind::Fcn,
                    ModelKind::StFcn,
                    ModelKind::StFcnFrozen,
                ],
                vec![ModelKind::Cnn, ModelKind::StCnn, ModelKind::Fcn, ModelKind::StFcn],
            ),
            seeds: run.size(vec![0], vec![0, 1]),
            settings: Settings {
                steps: run.steps_or(200, 400),
                batch: 32,
                learning_rate: 2e-3,
                curve_points: 40,
            },
            channels: [8, 16],
            hidden: 64,
            localisation_hidden: 32,
            test_count: run.size(500, 2000),
            pictured: 8,
        }
    }

    /// The headline demo (about two minutes): at full size the CNN pair on R and RTS, one
    /// seed, 300 steps; at quick size the same as [`Config::for_run`].
    pub fn headline(run: &Run) -> Config {
        let full = Config::for_run(run);
        Config {
            variants: run
                .size(full.variants.clone(), vec![Variant::Rotated, Variant::RotatedTranslatedScaled]),
            models: vec![ModelKind::Cnn, ModelKind::StCnn],
            seeds: vec![0],
            settings: Settings { steps: run.steps_or(200, 300), ..full.settings },
            ..full
        }
    }

    /// The model pair of `kind`'s family on `variant`'s canvas.
    pub fn sizes(&self, variant: Variant, kind: ModelKind) -> NetSizes {
        let cnn = kind.is_cnn();
        let canvas_side = variant.distortion().canvas_side;
        let channels = cnn.then_some(self.channels);
        NetSizes::for_canvas(canvas_side, canvas_side, channels, self.hidden, self.localisation_hidden)
    }
}

/// One model on one variant over the seeds.
#[derive(Clone, Debug)]
pub struct ModelResult {
    pub variant: Variant,
    pub kind: ModelKind,
    pub parameters: usize,
    /// Test error (%) per seed.
    pub errors: Vec<f64>,
    pub mean_error: f64,
    pub std_error: f64,
}

/// What the run produced.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub results: Vec<ModelResult>,
}

impl Outcome {
    /// The result of `kind` on the variant called `variant` (`"R"`, `"RTS"`, `"cluttered"`).
    pub fn result(&self, variant: &str, kind: ModelKind) -> Option<&ModelResult> {
        self.results.iter().find(|r| r.variant.name() == variant && r.kind == kind)
    }
}

/// Trains every model on every variant and seed, tests them, writes the record and pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(
        !config.variants.is_empty() && !config.models.is_empty() && !config.seeds.is_empty(),
        "nothing to run"
    );
    ensure!(
        config.settings.steps >= 1
            && config.settings.batch >= 1
            && config.test_count >= 1
            && config.pictured >= 1,
        "nothing to train, test or picture: {config:?}"
    );
    let mnist = run.mnist()?;
    let (train_digits, test_digits) = (digit_images(&mnist.train)?, digit_images(&mnist.test)?);
    let mut record = run.record(NAME).with_config(config)?;
    let inference = run.device.clone().without_autodiff();
    let mut results = Vec::new();
    for &variant in &config.variants {
        let distortion = variant.distortion();
        let test =
            distorted_digits(&test_digits, &distortion, config.test_count, sub_seed(run.seed, TEST_STREAM))?;
        for &kind in &config.models {
            let sizes = config.sizes(variant, kind);
            let mut errors = Vec::new();
            let mut parameters = 0;
            for &repeat in &config.seeds {
                let seed = sub_seed(sub_seed(run.seed, REPEATS), repeat);
                let label = format!("{} {} s{repeat}", variant.name(), kind.name());
                let model = train_model(
                    run,
                    &config.settings,
                    &sizes,
                    kind,
                    &distortion,
                    &train_digits,
                    seed,
                    &label,
                    &mut record,
                )?;
                parameters = model.num_params();
                let model = model.valid();
                let predicted = classify(&model, &test.images, test.side, &inference);
                errors.push(100.0 * (1.0 - accuracy(&predicted, &test.labels)));
                if kind.has_transformer() && repeat == config.seeds[0] {
                    let picture = format!("{NAME}-{}-{}.png", variant.name(), kind.name());
                    let title = format!(
                        "{}: test digits (top) and the {}'s transformer output (bottom)",
                        variant.name(),
                        kind.name()
                    );
                    transformed_grid(&model, &test, config.pictured, &title, &inference)?
                        .save_png(run.picture_path(&picture))?;
                    record.add_picture(picture);
                }
            }
            let (mean_error, std_error) = mean_and_std(&errors);
            record.set_metric(format!("{} {} test error %", variant.name(), kind.name()), mean_error);
            record.set_metric(format!("{} {} parameters", variant.name(), kind.name()), parameters as f64);
            results.push(ModelResult { variant, kind, parameters, errors, mean_error, std_error });
        }
    }
    add_claims(&mut record, config, &results);
    print_table(config, &results);
    run.finish(&mut record)?;
    Ok(Outcome { record, results })
}

/// One model trained on fresh distorted batches; weights seeded with `seed`.
#[allow(clippy::too_many_arguments)]
pub fn train_model(
    run: &Run,
    settings: &Settings,
    sizes: &NetSizes,
    kind: ModelKind,
    distortion: &Distortion,
    digits: &DigitImages,
    seed: u64,
    label: &str,
    record: &mut ExperimentRecord,
) -> Result<DigitNet> {
    let device = &run.device;
    let model = seeded_on(device, seed, |device| kind.init(sizes, device));
    let curve = format!("{label} train loss");
    let (model, _) = train(model, settings, label, &curve, record, |model, step| {
        let batch = distorted_digits(digits, distortion, settings.batch, batch_seed(seed, step))?;
        Ok(cross_entropy(model.forward(batch.image_tensor(device)?), batch.label_tensor(device)?))
    })?;
    Ok(model)
}

fn add_claims(record: &mut ExperimentRecord, config: &Config, results: &[ModelResult]) {
    let find = |variant: Variant, kind| results.iter().find(|r| r.variant == variant && r.kind == kind);
    for &variant in &config.variants {
        for (base, st) in [(ModelKind::Cnn, ModelKind::StCnn), (ModelKind::Fcn, ModelKind::StFcn)] {
            let (Some(b), Some(s)) = (find(variant, base), find(variant, st)) else { continue };
            let paper = match (variant.paper_error(base), variant.paper_error(st)) {
                (Some(pb), Some(ps)) => format!("{} {pb}% vs {} {ps}%", base.name(), st.name()),
                _ => "not in Table 1".to_string(),
            };
            record.add_claim(
                format!(
                    "{}: the {} makes fewer test errors than the {}",
                    variant.name(),
                    st.name(),
                    base.name()
                ),
                paper,
                format!(
                    "{} {:.1}% vs {} {:.1}% (mean of {} seeds)",
                    base.name(),
                    b.mean_error,
                    st.name(),
                    s.mean_error,
                    config.seeds.len()
                ),
                s.mean_error < b.mean_error,
            );
        }
    }
}

/// The first `pictured` test digits (top row) and what the model's transformer made of them
/// (bottom row), each output centred on a canvas-sized frame.
pub fn transformed_grid(
    model: &DigitNet,
    test: &DistortedDigits,
    pictured: usize,
    title: &str,
    device: &Device,
) -> Result<ImageGrid> {
    let (n, side) = (pictured.min(test.count), test.side);
    let inputs = test.images[..n * side * side].to_vec();
    let images = Tensor::<4>::from_data(TensorData::new(inputs.clone(), [n, 1, side, side]), device);
    let out = model.forward_all(images).transformed;
    let out_side = out.dims()[2];
    let out: Vec<f32> = out.into_data().iter::<f32>().collect();
    let mut pixels = inputs;
    for image in out.chunks(out_side * out_side) {
        pixels.extend(centred(image, out_side, side));
    }
    let captions =
        (0..n).map(|i| format!("{}", test.labels[i])).chain((0..n).map(|_| "transformed".to_string()));
    Ok(ImageGrid::grey(&pixels, side, side)
        .columns(n)
        .scale(3)
        .value_range(0.0, 1.0)
        .captions(captions)
        .title(title))
}

/// `image` (`from` x `from`) in the middle of a `to` x `to` black frame (`to >= from`), or
/// cropped to its middle when it is larger.
pub fn centred(image: &[f32], from: usize, to: usize) -> Vec<f32> {
    let mut frame = vec![0.0; to * to];
    let (offset_in, offset_out) = (from.saturating_sub(to) / 2, to.saturating_sub(from) / 2);
    for r in 0..from.min(to) {
        for c in 0..from.min(to) {
            frame[(r + offset_out) * to + c + offset_out] = image[(r + offset_in) * from + c + offset_in];
        }
    }
    frame
}

fn print_table(config: &Config, results: &[ModelResult]) {
    println!(
        "\ndistorted MNIST test error (%), {} steps of {}, mean ± std over {} seed(s)",
        config.settings.steps,
        config.settings.batch,
        config.seeds.len()
    );
    println!("{:<10} {:<8} {:>8} {:>16} {:>10}", "variant", "model", "params", "ours", "paper");
    for r in results {
        let paper = r.variant.paper_error(r.kind).map_or("-".to_string(), |p| format!("{p:.1}"));
        println!(
            "{:<10} {:<8} {:>8} {:>9.1} ± {:<4.1} {:>10}",
            r.variant.name(),
            r.kind.name(),
            r.parameters,
            r.mean_error,
            r.std_error,
            paper
        );
    }
}
