//! Claim 2, the caption half: a captioner with visual attention names the digits of a strip, and
//! the attention of each word sits on that word's digit.
//!
//! Strips of 2-4 MNIST digits in consecutive 16-pixel slots, starting at a random slot
//! ([`crate::digit_strip`]); the [`Captioner`] writes "seven two one", then EOS. Every step
//! draws a fresh batch from the training split; Adam with per-tensor gradient-norm clipping
//! minimises the mean cross-entropy of the caption's words. On fresh strips of the test split,
//! greedy captions are scored by **word accuracy** (the share of digits named right at the right
//! place; a missing word is wrong; chance is 0.1) and **attention on target** (the share of
//! digits whose word's largest attention weight lies in that digit's slot; a missing word
//! counts as off target).

use super::token_training::{Schedule, fit, test_seed, token_cross_entropy};
use crate::caption::{Captioner, CaptionerConfig};
use crate::decoding::{Hypothesis, greedy};
use crate::digit_strip::{CAPTION_STEPS, DIGIT_NAMES, DigitStrips, HEIGHT, SLOTS, WIDTH, digit_strips};
use crate::recurrence::Recurrence;
use anyhow::{Context, Result};
use burn::prelude::*;
use serde::Serialize;
use shared::data::synthetic::token_tasks::{VOCAB_SIZE, token_digit};
use shared::data::{LabelledImages, batch_seed};
use shared::experiment::Run;
use shared::plot::{Heatmap, ImageGrid};
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-08-attention/caption.json`.
pub const NAME: &str = "caption";

/// Strips whose attention maps are drawn.
const DRAWN: usize = 4;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Model sizes.
    pub model: CaptionerConfig,
    /// Fewest and most digits in a strip.
    pub fewest: usize,
    pub most: usize,
    /// Strips per step.
    pub batch: usize,
    /// Optimiser steps.
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Each parameter tensor's gradient is rescaled to at most this L2 norm.
    pub clip_norm: f32,
    /// Test strips.
    pub test_count: usize,
    /// The captioner "names the digits" above this word accuracy (0.7 at quick size, where 600
    /// steps leave it short of converged; 0.9 at full size).
    pub names_digits: f64,
}

impl Config {
    /// Quick: 600 steps, 200 test strips; full: 2500 steps, 500 test strips. Both C = 32,
    /// H = 64, batch 32, lr 3e-3.
    pub fn for_run(run: &Run) -> Config {
        Config {
            model: CaptionerConfig {
                vocab: VOCAB_SIZE,
                channels: 32,
                embedding: 16,
                hidden: 64,
                recurrence: Recurrence::Fused,
            },
            fewest: 2,
            most: SLOTS,
            batch: 32,
            steps: run.steps_or(600, 2500),
            learning_rate: 3e-3,
            clip_norm: 1.0,
            test_count: run.size(200, 500),
            names_digits: run.size(0.7, 0.9),
        }
    }
}

/// Share of digits whose word's attention peak would lie in its slot by chance.
pub const CHANCE_ON_TARGET: f64 = 1.0 / SLOTS as f64;

/// How well greedy captions of the test strips name the digits and look at them.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Scores {
    /// Share of digits named right at the right place (chance 0.1).
    pub word_accuracy: f64,
    /// Share of captions that are exactly right, EOS included.
    pub caption_accuracy: f64,
    /// Share of digits whose word's attention peak lies in the digit's own slot.
    pub attention_on_target: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// The trained captioner's scores.
    pub trained: Scores,
    /// The same captioner's scores at initialisation, before any training: what the claims
    /// would measure if training did not shape the attention.
    pub at_start: Scores,
}

/// Trains a captioner, captions fresh test strips, writes the record and attention pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist().context("the caption task draws its digits from MNIST")?;
    let model = seeded_on(&run.device, run.seed, |device| config.model.init(device));
    let test =
        digit_strips(&mnist.test, config.test_count, config.fewest, config.most, test_seed(run.seed, 0))?;
    let plain = run.device.clone().inner();
    let caption = |model: &Captioner| -> Result<Vec<Hypothesis>> {
        let model = model.valid();
        Ok(greedy(&model, model.encode(test.images_tensor(&plain)?), CAPTION_STEPS))
    };
    let at_start = score(&test, &caption(&model)?);
    let model = train(run, config, model, &mnist.train, &mut record)?;
    let captions = caption(&model)?;
    let trained = score(&test, &captions);
    for (when, scores) in [("", trained), ("before training: ", at_start)] {
        record.set_metric(format!("{when}word accuracy"), scores.word_accuracy);
        record.set_metric(format!("{when}caption accuracy"), scores.caption_accuracy);
        record.set_metric(format!("{when}attention on target"), scores.attention_on_target);
    }
    draw(run, &test, &captions)?;
    print_table(&test, &captions, &trained, &at_start);
    let Scores { word_accuracy, caption_accuracy, attention_on_target } = trained;
    record.add_picture("caption-attention.png");
    record.add_picture("caption-attention-map.svg");
    record.add_claim(
        "the attentive captioner names the digits",
        format!("greedy word accuracy well above chance (0.1): > {}", config.names_digits),
        format!(
            "{word_accuracy:.3} (whole captions right: {caption_accuracy:.3}; untrained {:.3})",
            at_start.word_accuracy
        ),
        word_accuracy > config.names_digits,
    );
    record.add_claim(
        "each word's attention falls on its own digit (Xu et al. 2015, Figs. 2-3)",
        "attention peak in the named digit's slot for > 80% of words",
        format!(
            "{attention_on_target:.3} (chance {CHANCE_ON_TARGET:.3}, untrained {:.3})",
            at_start.attention_on_target
        ),
        attention_on_target > 0.8,
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, trained, at_start })
}

fn train(
    run: &Run,
    config: &Config,
    model: Captioner,
    digits: &LabelledImages,
    record: &mut ExperimentRecord,
) -> Result<Captioner> {
    let schedule =
        Schedule { steps: config.steps, learning_rate: config.learning_rate, clip_norm: config.clip_norm };
    let device = &run.device;
    fit("captioner", model, &schedule, "cross-entropy per word (nats)", record, |model, step| {
        let strips =
            digit_strips(digits, config.batch, config.fewest, config.most, batch_seed(run.seed, step))?;
        let output = model.forward(strips.images_tensor(device)?, strips.decoder_input_tensor(device)?);
        Ok(token_cross_entropy(output.logits, strips.target_tensor(device)?))
    })
}

/// The column of the largest weight.
fn peak(weights: &[f32]) -> usize {
    (0..weights.len()).fold(0, |best, l| if weights[l] > weights[best] { l } else { best })
}

/// Word accuracy, caption accuracy and attention on target of `captions` of `strips`.
fn score(strips: &DigitStrips, captions: &[Hypothesis]) -> Scores {
    let (mut right, mut whole, mut on_target, mut total) = (0usize, 0usize, 0usize, 0usize);
    for (n, caption) in captions.iter().enumerate() {
        let digits = &strips.digits[n];
        let written: Vec<Option<u8>> = caption.tokens.iter().map(|&t| token_digit(t)).collect();
        whole += usize::from(
            written.len() == digits.len() && written.iter().zip(digits).all(|(w, &d)| *w == Some(d)),
        );
        for (t, &digit) in digits.iter().enumerate() {
            right += usize::from(written.get(t) == Some(&Some(digit)));
            if let Some(weights) = caption.weights.get(t) {
                let columns_per_slot = weights.len() / SLOTS;
                on_target += usize::from(peak(weights) / columns_per_slot == strips.first_slot[n] + t);
            }
            total += 1;
        }
    }
    let share = |count: usize| count as f64 / total.max(1) as f64;
    let (word_accuracy, attention_on_target) = (share(right), share(on_target));
    let caption_accuracy = whole as f64 / captions.len().max(1) as f64;
    Scores { word_accuracy, caption_accuracy, attention_on_target }
}

fn word(token: i64) -> &'static str {
    token_digit(token).map_or("EOS", |d| DIGIT_NAMES[d as usize])
}

/// The words of a caption as written, EOS included when it came.
fn words(caption: &Hypothesis) -> Vec<&'static str> {
    let mut words: Vec<&str> = caption.tokens.iter().map(|&t| word(t)).collect();
    words.resize(caption.weights.len().max(words.len()), "EOS");
    words
}

/// Two pictures of the first [`DRAWN`] test strips: the strip with each word's attention laid
/// over it in red (one row per strip: the strip, then one panel per word), and the weights as a
/// heatmap (rows: words, columns: feature columns).
fn draw(run: &Run, strips: &DigitStrips, captions: &[Hypothesis]) -> Result<()> {
    let drawn = DRAWN.min(strips.len());
    let panels = 1 + CAPTION_STEPS;
    let pixels = HEIGHT * WIDTH;
    let mut rgb = vec![0.0; drawn * panels * 3 * pixels];
    let mut titles = Vec::with_capacity(drawn * panels);
    let (mut map, mut rows, mut columns) = (Vec::new(), Vec::new(), 0);
    for (n, caption) in captions.iter().take(drawn).enumerate() {
        let strip = &strips.images[n * pixels..(n + 1) * pixels];
        let words = words(caption);
        for panel in 0..panels {
            let out = &mut rgb[(n * panels + panel) * 3 * pixels..(n * panels + panel + 1) * 3 * pixels];
            let weights = panel.checked_sub(1).and_then(|t| caption.weights.get(t));
            if panel > 0 && weights.is_none() {
                titles.push(String::new());
                continue;
            }
            for (i, &ink) in strip.iter().enumerate() {
                let attention = weights.map_or(0.0, |w| w[(i % WIDTH) * w.len() / WIDTH]);
                out[i] = ink.max(attention.sqrt());
                out[pixels + i] = ink;
                out[2 * pixels + i] = ink;
            }
            titles.push(if panel == 0 { strips.caption(n) } else { words[panel - 1].to_string() });
        }
        for (t, weights) in caption.weights.iter().enumerate() {
            map.extend_from_slice(weights);
            rows.push(format!("{} {}", n + 1, words[t]));
            columns = weights.len();
        }
    }
    ImageGrid::rgb(&rgb, HEIGHT, WIDTH)
        .columns(panels)
        .scale(3)
        .value_range(0.0, 1.0)
        .captions(titles)
        .title("Where the captioner looks for each word (red: attention, square-rooted)")
        .save_png(run.picture_path("caption-attention.png"))?;
    anyhow::ensure!(!map.is_empty(), "the drawn captions have no attention weights");
    let column_labels =
        (0..columns).map(|l| format!("{}.{}", l * SLOTS / columns + 1, l % (columns / SLOTS) + 1));
    Heatmap::new(&map, rows.len(), columns)
        .row_labels(rows)
        .column_labels(column_labels)
        .value_range(0.0, 1.0)
        .cell_size(18)
        .title("Caption attention: strip and word (rows) over feature columns (slot.column)")
        .x_label("feature column")
        .y_label("strip, word")
        .save_svg(run.picture_path("caption-attention-map.svg"))?;
    Ok(())
}

fn print_table(strips: &DigitStrips, captions: &[Hypothesis], trained: &Scores, at_start: &Scores) {
    println!("\ncaptions of fresh strips (test split), greedy:");
    for (n, caption) in captions.iter().take(DRAWN).enumerate() {
        println!("  {:<28} -> {}", strips.caption(n), words(caption).join(" "));
    }
    println!("{:>22} | {:>8} | {:>10}", "measure", "trained", "untrained");
    type Row = (&'static str, fn(&Scores) -> f64);
    let rows: [Row; 3] = [
        ("word accuracy", |s| s.word_accuracy),
        ("caption accuracy", |s| s.caption_accuracy),
        ("attention on target", |s| s.attention_on_target),
    ];
    for (name, value) in rows {
        println!("{name:>22} | {:>8.3} | {:>10.3}", value(trained), value(at_start));
    }
    println!("{:>22} | {CHANCE_ON_TARGET:>8.3}", "(chance on target)");
}
