//! Claim 4: at a 10k vocabulary the class-based output layer trains several times faster per
//! step, for a small cost in perplexity.
//!
//! Two LSTM LMs, identical but for the output layer (full softmax over `V` words, or
//! [`ClassSoftmax`] with `C` frequency classes), train for the same number of steps on
//! the same text. Both must also beat the unigram model (word frequencies alone), so that a
//! "small cost" compares two models that learned something: untrained, both sit near
//! perplexity `V` and would tie.
//!
//! How many classes? Mikolov et al. suggest `C ≈ √V` (100 for 10k words), which minimises the
//! dot products `C + V/C`. On a CPU, though, gathering each position's class block of weights
//! costs far more per number than the matrix product over the classes (memory traffic against
//! arithmetic), so smaller classes pay: with 300 classes of about 33 words the layer ran 7x
//! faster than the full softmax here, with 100 classes of 100 words only 2.4x. We time whole training steps, time the output layer alone (forward and
//! backward on the same hidden vectors), and score both on the test text.

use crate::add_k::AddK;
use crate::class_softmax::{ClassSoftmax, FrequencyClasses};
use crate::lm_training::{Training, recurrent_log_probs, train_recurrent};
use crate::ngram_counts::NgramCounts;
use crate::ngram_model::{perplexity, perplexity_of};
use crate::output_layer::OutputLayer;
use crate::recurrent_lm::{RecurrentKind, RecurrentLm};
use crate::word_data::word_corpus;
use anyhow::Result;
use burn::module::Module;
use burn::nn::LinearConfig;
use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;
use serde::Serialize;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use std::time::Instant;

/// The experiment's name: its record is `out/lecture-04-language-model/class-softmax.json`.
pub const NAME: &str = "class-softmax";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub train_tokens: usize,
    pub eval_tokens: usize,
    /// Vocabulary size (Brown's is about 10k).
    pub vocab: usize,
    /// Number of frequency classes `C` (see the module documentation for why 300).
    pub classes: usize,
    pub embedding: usize,
    pub hidden: usize,
    pub training: Training,
    /// Repetitions when timing the output layer alone.
    pub timing_repeats: usize,
}

impl Config {
    /// Quick: 150 steps of hidden 128 on 100k words (6.8k distinct; at 30 steps neither model
    /// had reached the unigram perplexity); full: 300 steps of hidden
    /// 256 on 400k words (9.4k distinct). The vocabulary is capped at 10k.
    pub fn for_run(run: &Run) -> Config {
        Config {
            train_tokens: run.size(100_000, 400_000),
            eval_tokens: run.size(5_000, 30_000),
            vocab: 10_000,
            classes: 300,
            embedding: run.size(64, 128),
            hidden: run.size(128, 256),
            training: Training {
                steps: run.steps_or(150, 300),
                batch: 32,
                time: 20,
                learning_rate: 5e-3,
                clip_norm: 1.0,
            },
            timing_repeats: run.size(3, 10),
        }
    }
}

/// The numbers of one output layer.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LayerResult {
    /// Seconds per whole training step (LSTM + output layer + Adam).
    pub step_s: f64,
    /// Seconds per forward + backward of the output layer alone.
    pub output_s: f64,
    pub test_perplexity: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub full: LayerResult,
    pub class: LayerResult,
    /// Output-layer multiply-adds per word, full over class-based: `V / (C + V/C)`.
    pub work_ratio: f64,
    /// Test perplexity of the add-one unigram model (word frequencies, no context).
    pub unigram_perplexity: f64,
}

/// Trains and times both models; writes `class-softmax.json`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let corpus = word_corpus(run, config.train_tokens, config.eval_tokens, config.vocab)?;
    let vocab = corpus.vocab.size();
    let classes = FrequencyClasses::from_counts(&corpus.train, vocab, config.classes.min(vocab))?;
    let (h, e) = (config.hidden, config.embedding);
    let mut results = Vec::new();
    for (name, class_based) in [("full softmax", false), ("class softmax", true)] {
        let model = seeded_on(&run.device, run.seed, |device| {
            let output = match class_based {
                false => OutputLayer::Full(LinearConfig::new(h, vocab).init(device)),
                true => OutputLayer::Class(ClassSoftmax::new(h, classes.clone(), device)),
            };
            RecurrentLm::new(RecurrentKind::Lstm, vocab, e, h, output, device)
        });
        let output_s = time_output_layer(&model.output, config, &corpus.train, &run.device);
        let trained =
            train_recurrent(&format!("LSTM, {name}"), model, &corpus.train, &config.training, &mut record)?;
        let log_probs = recurrent_log_probs(&trained.model.valid(), &corpus.test, 16, 50, |_, _, _| {})?;
        let result = LayerResult {
            step_s: trained.seconds_per_step,
            output_s,
            test_perplexity: perplexity_of(&log_probs),
        };
        record.set_metric(format!("{name}: seconds per training step"), result.step_s);
        record.set_metric(format!("{name}: seconds per output-layer forward + backward"), result.output_s);
        record.set_metric(format!("{name}: test perplexity"), result.test_perplexity);
        results.push(result);
    }
    let (full, class) = (results[0], results[1]);
    println!(
        "\nvocabulary {vocab}, {} classes of {} words, hidden {h}, batch {} x {} steps",
        classes.classes, classes.per_class, config.training.batch, config.training.time
    );
    println!(
        "{:<15} {:>12} {:>18} {:>16}",
        "output layer", "step (ms)", "layer alone (ms)", "test perplexity"
    );
    for (name, r) in [("full softmax", full), ("class softmax", class)] {
        println!(
            "{name:<15} {:>12.1} {:>18.1} {:>16.1}",
            1e3 * r.step_s,
            1e3 * r.output_s,
            r.test_perplexity
        );
    }
    let work_ratio = vocab as f64 / (classes.classes + classes.per_class) as f64;
    record.set_metric("output-layer multiply-adds, full / class", work_ratio);
    let unigram = NgramCounts::new(&corpus.train, vocab, 1)?;
    let unigram_perplexity = perplexity(&AddK::new(&unigram, 1, 1.0), &corpus.test);
    record.set_metric("unigram test perplexity", unigram_perplexity);
    add_claims(&mut record, &full, &class, unigram_perplexity);
    run.finish(&mut record)?;
    Ok(Outcome { record, full, class, work_ratio, unigram_perplexity })
}

/// Mean seconds of `target_log_probs` + backward for `batch x time` random hidden vectors.
fn time_output_layer(output: &OutputLayer, config: &Config, tokens: &[usize], device: &Device) -> f64 {
    let n = config.training.batch * config.training.time;
    let targets = &tokens[..n.min(tokens.len())];
    let h = Tensor::<2>::random([targets.len(), config.hidden], Distribution::Normal(0.0, 1.0), device);
    let once = || {
        let loss = output.target_log_probs(h.clone(), targets).mean().neg();
        drop(loss.backward());
    };
    once();
    let started = Instant::now();
    for _ in 0..config.timing_repeats {
        once();
    }
    started.elapsed().as_secs_f64() / config.timing_repeats.max(1) as f64
}

impl Outcome {
    /// "A small cost": the class-based perplexity within 15% of the full softmax's, both below
    /// the unigram's (both learned more than word frequencies).
    pub fn small_cost(&self) -> bool {
        small_cost(&self.full, &self.class, self.unigram_perplexity)
    }
}

fn small_cost(full: &LayerResult, class: &LayerResult, unigram_perplexity: f64) -> bool {
    let learned = full.test_perplexity.max(class.test_perplexity) < unigram_perplexity;
    learned && class.test_perplexity < 1.15 * full.test_perplexity
}

fn add_claims(
    record: &mut ExperimentRecord,
    full: &LayerResult,
    class: &LayerResult,
    unigram_perplexity: f64,
) {
    let speedup = full.step_s / class.step_s;
    let layer_speedup = full.output_s / class.output_s;
    record.set_metric("training-step speed-up", speedup);
    record.set_metric("output-layer speed-up", layer_speedup);
    record.add_claim(
        "the class-based output layer trains several times faster per step at 10k words",
        "whole step >= 2x faster; the output layer alone >= 5x",
        format!("step {speedup:.1}x, output layer {layer_speedup:.1}x"),
        speedup >= 2.0 && layer_speedup >= 5.0,
    );
    record.add_claim(
        "for a small perplexity cost",
        "class-based test perplexity within 15% of the full softmax's, both below the unigram's",
        format!(
            "{:.1} vs {:.1} (unigram {unigram_perplexity:.1})",
            class.test_perplexity, full.test_perplexity
        ),
        small_cost(full, class, unigram_perplexity),
    );
}
