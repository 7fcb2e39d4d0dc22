//! Claim 4: two parallel transformers on a two-digit canvas each attend to a different digit,
//! and the pair reads both digits (and so their sum) better than a single glimpse can.
//!
//! Canvases are `S x S` with one MNIST digit at a random place in each half
//! ([`digit_pairs`]). Both models are [`GlimpseNet`]s with `G x G` glimpses: one with a single
//! transformer, one with two; everything else is the same. We train on both digit labels
//! (cross-entropy of the left digit plus that of the right), where Jaderberg et al. trained on
//! the sum alone: with a few hundred steps the sum's 19 classes give too weak a signal to
//! start from. The sum is read off as the sum of the two predicted digits.
//!
//! The transformers output attention (a zoom and a shift, [`Transforms::Attention`]) and start
//! at a centred half of the canvas. In our quick runs (400 steps; both digits right, two vs one
//! transformer) that gave 38.6% vs 21.6%; full affine maps from the same start 24.2% vs 19.4%;
//! affine maps from the whole canvas 26.6% vs 30.4%.
//!
//! Where a transformer looks is the centre of its glimpse, `(t_x, t_y)` of its theta in the
//! canvas's normalised coordinates; each glimpse is assigned to the nearer of the two digits'
//! true centres, and "attends to a different digit" means the two glimpses are assigned to
//! different digits.

use super::training::{Settings, TEST_STREAM, accuracy, cross_entropy, digit_images, predictions, train};
use crate::affine_grid::affine_grid;
use crate::classifier::ClassifierConfig;
use crate::glimpses::{DIGIT_CLASSES, GlimpseNet, GlimpseNetConfig};
use crate::localisation::{LocalisationConfig, Transforms};
use crate::sampler::bilinear_sample;
use crate::transformer::ALIGN_CORNERS;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::prelude::*;
use serde::Serialize;
use shared::data::synthetic::mnist_addition::{DigitPairs, digit_pairs};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::ImageGrid;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// Name of the experiment and of its record.
pub const NAME: &str = "addition";

/// Settings of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub canvas_side: usize,
    pub glimpse_side: usize,
    /// Zoom of every transformer's initial transform (1: the whole canvas).
    pub initial_scale: f32,
    /// The transforms each localisation network may output.
    pub transforms: Transforms,
    pub settings: Settings,
    /// CNN channels and hidden width of the classifier; hidden width of each localisation net.
    pub channels: [usize; 2],
    pub hidden: usize,
    pub localisation_hidden: usize,
    pub test_count: usize,
    pub pictured: usize,
    /// Whether every transformer is frozen at its initial glimpse (the negative control).
    pub frozen: bool,
}

impl Config {
    /// The quick or full size of `run`.
    pub fn for_run(run: &Run) -> Config {
        Config {
            canvas_side: 56,
            glimpse_side: 16,
            initial_scale: 0.5,
            transforms: Transforms::Attention,
            settings: Settings {
                steps: run.steps_or(300, 800),
                batch: 32,
                learning_rate: 2e-3,
                curve_points: 40,
            },
            channels: [8, 16],
            hidden: 64,
            localisation_hidden: 32,
            test_count: run.size(500, 2000),
            pictured: 8,
            frozen: false,
        }
    }

    fn model(&self, transformers: usize) -> GlimpseNetConfig {
        GlimpseNetConfig {
            transformers,
            glimpse_side: self.glimpse_side,
            localisation: LocalisationConfig {
                channels: 1,
                side: self.canvas_side,
                downsample: 2,
                conv_channels: Some(8),
                hidden: self.localisation_hidden,
                initial_scale: self.initial_scale,
                transforms: self.transforms,
            },
            classifier: ClassifierConfig::Cnn { channels: self.channels, hidden: self.hidden },
            frozen: self.frozen,
        }
    }
}

/// One trained model on the test canvases.
#[derive(Clone, Debug)]
pub struct ModelResult {
    pub transformers: usize,
    pub parameters: usize,
    /// Fraction of canvases whose two digits are both read right.
    pub both_digits: f64,
    /// Fraction whose predicted sum is right.
    pub sum: f64,
    /// With two transformers: fraction of canvases on which they look at different digits.
    pub different_digits: Option<f64>,
    /// Mean glimpse centre `t_x` (normalised, -1 left edge, 1 right edge) per transformer.
    pub mean_centre_x: Vec<f64>,
}

/// What the run produced.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub one: ModelResult,
    pub two: ModelResult,
}

/// Trains the one- and the two-transformer network, tests both, writes the record and pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(
        config.settings.steps >= 1
            && config.settings.batch >= 1
            && config.test_count >= 1
            && config.pictured >= 1,
        "nothing to train, test or picture: {config:?}"
    );
    ensure!(config.glimpse_side >= 4, "glimpses of {} pixels are too small for the CNN", config.glimpse_side);
    let mnist = run.mnist()?;
    let (train_digits, test_digits) = (digit_images(&mnist.train)?, digit_images(&mnist.test)?);
    let test =
        digit_pairs(&test_digits, config.canvas_side, config.test_count, sub_seed(run.seed, TEST_STREAM))?;
    let mut record = run.record(NAME).with_config(config)?;
    let inference = run.device.clone().without_autodiff();
    let mut results = Vec::new();
    for transformers in [1, 2] {
        let device = &run.device;
        let model = seeded_on(device, run.seed, |device| config.model(transformers).init(device));
        let label = format!("{transformers} transformer(s)");
        let curve = format!("{label} train loss");
        let (model, _) = train(model, &config.settings, &label, &curve, &mut record, |model, step| {
            let batch = digit_pairs(
                &train_digits,
                config.canvas_side,
                config.settings.batch,
                batch_seed(run.seed, step),
            )?;
            let logits = model.forward(batch.image_tensor(device)?).logits;
            let labels = batch.digit_label_tensor(device)?;
            let digit = |k: usize| {
                let logits = logits.clone().narrow(1, k * DIGIT_CLASSES, DIGIT_CLASSES);
                cross_entropy(logits, labels.clone().narrow(1, k, 1).reshape([batch.count]))
            };
            Ok(digit(0) + digit(1))
        })?;
        let model = model.valid();
        let result = test_model(&model, &test, &inference)?;
        let name = format!("{transformers} transformer(s)");
        record.set_metric(format!("{name}: both digits right"), result.both_digits);
        record.set_metric(format!("{name}: sum right"), result.sum);
        if let Some(different) = result.different_digits {
            record.set_metric(format!("{name}: glimpses on different digits"), different);
        }
        let picture = format!("{NAME}-{transformers}-transformers.png");
        glimpse_grid(&model, &test, config, &inference)?.save_png(run.picture_path(&picture))?;
        record.add_picture(picture);
        results.push(result);
    }
    let two = results.pop().expect("two models");
    let one = results.pop().expect("two models");
    add_claims(&mut record, &one, &two);
    print_table(config, &one, &two);
    run.finish(&mut record)?;
    Ok(Outcome { record, one, two })
}

fn test_model(model: &GlimpseNet, test: &DigitPairs, device: &Device) -> Result<ModelResult> {
    let forward = model.forward(test.image_tensor(device)?);
    let left = predictions(forward.logits.clone().narrow(1, 0, DIGIT_CLASSES));
    let right = predictions(forward.logits.narrow(1, DIGIT_CLASSES, DIGIT_CLASSES));
    let both: Vec<i64> = (0..test.count)
        .map(|i| i64::from(left[i] == test.left_labels[i] && right[i] == test.right_labels[i]))
        .collect();
    let sums: Vec<i64> = left.iter().zip(&right).map(|(l, r)| l + r).collect();
    let centres: Vec<Vec<(f32, f32)>> = forward.thetas.into_iter().map(glimpse_centres).collect();
    let half = test.side as f32 / 2.0;
    // The digit whose true centre is nearer to a glimpse's centre (0 left, 1 right).
    let nearer = |i: usize, (x, y): (f32, f32)| -> usize {
        let distance = |k: usize| {
            let t = test.transforms[i][k];
            (x - t.tx / half).powi(2) + (y - t.ty / half).powi(2)
        };
        usize::from(distance(1) < distance(0))
    };
    let different_digits = (centres.len() == 2).then(|| {
        let differ =
            (0..test.count).filter(|&i| nearer(i, centres[0][i]) != nearer(i, centres[1][i])).count();
        differ as f64 / test.count as f64
    });
    Ok(ModelResult {
        transformers: model.transformers.len(),
        parameters: model.num_params(),
        both_digits: accuracy(&both, &vec![1; test.count]),
        sum: accuracy(&sums, &test.sums),
        different_digits,
        mean_centre_x: centres
            .iter()
            .map(|c| c.iter().map(|&(x, _)| f64::from(x)).sum::<f64>() / c.len() as f64)
            .collect(),
    })
}

/// The centre `(t_x, t_y)` of each glimpse, in the canvas's normalised coordinates (with
/// `align_corners = false`, ±1 are the canvas's outer edges).
fn glimpse_centres(theta: Tensor<3>) -> Vec<(f32, f32)> {
    let values: Vec<f32> = theta.into_data().iter::<f32>().collect();
    values.chunks(6).map(|t| (t[2], t[5])).collect()
}

fn add_claims(record: &mut ExperimentRecord, one: &ModelResult, two: &ModelResult) {
    let different = two.different_digits.unwrap_or(0.0);
    record.add_claim(
        "with two transformers, each attends to a different digit",
        "the two glimpses land on different digits (Jaderberg et al.: one transformer per digit)",
        format!(
            "on {:.0}% of test canvases (mean glimpse centres x = {:?})",
            100.0 * different,
            rounded(&two.mean_centre_x)
        ),
        different >= 0.9,
    );
    record.add_claim(
        "the pair of transformers reads both digits better than one glimpse",
        "two transformers read the two-digit canvas better than one (Jaderberg et al. 2015)",
        format!(
            "both digits right: two {:.1}% vs one {:.1}%; sum right: {:.1}% vs {:.1}%",
            100.0 * two.both_digits,
            100.0 * one.both_digits,
            100.0 * two.sum,
            100.0 * one.sum
        ),
        two.both_digits > one.both_digits + 0.05,
    );
}

fn rounded(values: &[f64]) -> Vec<f64> {
    values.iter().map(|v| (v * 100.0).round() / 100.0).collect()
}

/// Test canvases with each transformer's glimpse outlined (first red, second blue), and below
/// them the glimpses (enlarged to the canvas size), one row per transformer.
fn glimpse_grid(
    model: &GlimpseNet,
    test: &DigitPairs,
    config: &Config,
    device: &Device,
) -> Result<ImageGrid> {
    let (n, side, g) = (config.pictured.min(test.count), test.side, config.glimpse_side);
    let canvases = &test.images[..n * side * side];
    let forward =
        model.forward(Tensor::from_data(TensorData::new(canvases.to_vec(), [n, 1, side, side]), device));
    // Each glimpse enlarged to the canvas size (our own sampler, identity transform) to be seen.
    let k = model.transformers.len();
    let glimpses = forward.glimpses.reshape([n * k, 1, g, g]);
    let identity =
        Tensor::<3>::from_floats([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]], device).repeat_dim(0, n * k);
    let enlarged = bilinear_sample(glimpses, affine_grid(identity, side, side), ALIGN_CORNERS);
    let glimpses: Vec<f32> = enlarged.into_data().iter::<f32>().collect();
    let thetas: Vec<Vec<f32>> =
        forward.thetas.into_iter().map(|t| t.into_data().iter::<f32>().collect()).collect();
    let colours = [[1.0, 0.2, 0.2], [0.3, 0.5, 1.0]];
    let mut pixels = Vec::new();
    for (i, canvas) in canvases.chunks(side * side).enumerate() {
        let mut rgb: Vec<f32> = canvas.repeat(3);
        for (j, theta) in thetas.iter().enumerate() {
            outline(&mut rgb, side, &theta[i * 6..i * 6 + 6], colours[j % 2]);
        }
        pixels.extend(rgb);
    }
    for j in 0..k {
        for i in 0..n {
            pixels.extend(glimpses[(i * k + j) * side * side..(i * k + j + 1) * side * side].repeat(3));
        }
    }
    let captions = (0..n)
        .map(|i| format!("{} + {}", test.left_labels[i], test.right_labels[i]))
        .chain((0..k * n).map(|m| format!("glimpse {}", m / n + 1)));
    Ok(ImageGrid::rgb(&pixels, side, side)
        .columns(n)
        .scale(2)
        .value_range(0.0, 1.0)
        .captions(captions)
        .title(format!("{k} transformer(s): where each looks (boxes) and what it sees")))
}

/// Draws the outline of the region `theta` samples (the image of the output's corners) onto
/// the channel-first RGB `image` of `side x side`.
fn outline(image: &mut [f32], side: usize, theta: &[f32], colour: [f32; 3]) {
    let to_pixel = |g: f32| {
        if ALIGN_CORNERS {
            (g + 1.0) * (side as f32 - 1.0) / 2.0
        } else {
            ((g + 1.0) * side as f32 - 1.0) / 2.0
        }
    };
    let corner = |u: f32, v: f32| {
        (to_pixel(theta[0] * u + theta[1] * v + theta[2]), to_pixel(theta[3] * u + theta[4] * v + theta[5]))
    };
    let corners = [corner(-1.0, -1.0), corner(1.0, -1.0), corner(1.0, 1.0), corner(-1.0, 1.0)];
    for e in 0..4 {
        let ((x0, y0), (x1, y1)) = (corners[e], corners[(e + 1) % 4]);
        let steps = ((x1 - x0).abs().max((y1 - y0).abs()).ceil() as usize).max(1);
        for s in 0..=steps {
            let f = s as f32 / steps as f32;
            let (x, y) = ((x0 + f * (x1 - x0)).round(), (y0 + f * (y1 - y0)).round());
            if x >= 0.0 && y >= 0.0 && (x as usize) < side && (y as usize) < side {
                for (c, value) in colour.iter().enumerate() {
                    image[c * side * side + y as usize * side + x as usize] = *value;
                }
            }
        }
    }
}

fn print_table(config: &Config, one: &ModelResult, two: &ModelResult) {
    println!(
        "\ntwo digits on a {0}x{0} canvas, glimpses of {1}x{1}, {2} steps of {3}",
        config.canvas_side, config.glimpse_side, config.settings.steps, config.settings.batch
    );
    println!(
        "{:<16} {:>8} {:>12} {:>10} {:>16}",
        "model", "params", "both digits", "sum", "different digits"
    );
    for r in [one, two] {
        let different = r.different_digits.map_or("-".to_string(), |d| format!("{:.0}%", 100.0 * d));
        println!(
            "{:<16} {:>8} {:>11.1}% {:>9.1}% {:>16}",
            format!("{} transformer(s)", r.transformers),
            r.parameters,
            100.0 * r.both_digits,
            100.0 * r.sum,
            different
        );
    }
}
