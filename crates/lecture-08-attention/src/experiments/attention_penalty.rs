//! Claim 7: the doubly stochastic attention penalty makes the total attention each input
//! position receives more uniform.
//!
//! Two dot-product attention models learn to **sort** digit strings from the same initial
//! weights, one with the loss `cross-entropy + λ · coverage_penalty(α)` and one without. Sorting
//! leaves the attention free to pile up: the string "3 3 3 7" can be written by looking at any
//! of the 3s each time. The measure is the spread (standard deviation over source positions) of
//! the per-input totals `Σ_t α_ts`, on teacher-forced test strings, and the greedy accuracy to
//! show what the penalty costs.

use super::token_training::{TokenTraining, greedy_accuracy, test_seed, token_cross_entropy, train};
use crate::attention::AttentionKind;
use crate::attention_penalty::{coverage_penalty, total_attention_spread};
use crate::recurrence::Recurrence;
use crate::seq2seq::Seq2SeqConfig;
use anyhow::{Context, Result};
use burn::module::Module;
use serde::Serialize;
use shared::data::synthetic::token_tasks::{TokenTask, VOCAB_SIZE, token_pairs};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-08-attention/attention-penalty.json`.
pub const NAME: &str = "attention-penalty";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Task, lengths, batch, steps, optimiser.
    pub training: TokenTraining,
    /// Model sizes (dot-product attention).
    pub model: Seq2SeqConfig,
    /// The penalty's weight λ in the penalised run.
    pub penalty: f64,
    /// Test strings of the longest training length.
    pub test_count: usize,
}

impl Config {
    /// Quick: lengths 3-8, hidden 32, 400 steps; full: lengths 3-15, hidden 64, 1000 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            training: TokenTraining {
                task: TokenTask::Sort,
                shortest: 3,
                longest: run.size(8, 15),
                batch: 32,
                steps: run.steps_or(400, 1000),
                learning_rate: 5e-3,
                clip_norm: 1.0,
            },
            model: Seq2SeqConfig {
                vocab: VOCAB_SIZE,
                embedding: 16,
                hidden: run.size(32, 64),
                attention: AttentionKind::Dot,
                recurrence: Recurrence::Fused,
            },
            penalty: 1.0,
            test_count: 200,
        }
    }
}

/// One run's results.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PenaltyResult {
    /// λ.
    pub penalty: f64,
    /// Mean over test strings of the standard deviation of `Σ_t α_ts` over `s`.
    pub spread: f64,
    /// Greedy token accuracy.
    pub accuracy: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub without: PenaltyResult,
    pub with: PenaltyResult,
}

/// Trains with λ = 0 and λ = `config.penalty`, writes the record.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mut results = Vec::new();
    for lambda in [0.0, config.penalty] {
        let model = seeded_on(&run.device, run.seed, |device| config.model.init(device));
        let device = run.device.clone();
        let label = format!("λ = {lambda}");
        let training = &config.training;
        let model = train(&label, model, training, run.seed, &mut record, |m, pairs, _| {
            let output = m.forward(pairs.source_tensor(&device)?, pairs.decoder_input_tensor(&device)?);
            let loss = token_cross_entropy(output.logits, pairs.decoder_target_tensor(&device)?);
            if lambda == 0.0 {
                return Ok(loss);
            }
            let weights = output.weights.context("the penalty needs an attending model")?;
            Ok(loss + coverage_penalty(weights).mul_scalar(lambda))
        })?;
        let length = training.longest;
        let plain = run.device.clone().inner();
        let test =
            token_pairs(training.task, config.test_count, length..=length, test_seed(run.seed, length))?;
        let output = model.valid().forward(test.source_tensor(&plain)?, test.decoder_input_tensor(&plain)?);
        let spread = total_attention_spread(output.weights.context("an attending model")?);
        let accuracy =
            greedy_accuracy(&model, training.task, length, config.test_count, run.seed, &run.device)?;
        record.set_metric(format!("{label} total-attention spread"), spread);
        record.set_metric(format!("{label} greedy accuracy"), accuracy);
        results.push(PenaltyResult { penalty: lambda, spread, accuracy });
    }
    let (without, with) = (results[0], results[1]);
    println!("\nsorting {} digits: spread of the total attention per input", config.training.longest);
    println!("{:>10} | {:>8} | {:>8}", "penalty", "spread", "accuracy");
    for r in &results {
        println!("{:>10} | {:>8.3} | {:>8.3}", format!("λ = {}", r.penalty), r.spread, r.accuracy);
    }
    record.add_claim(
        "the doubly stochastic penalty makes per-input attention totals more uniform",
        "spread with the penalty < half the spread without",
        format!("{:.3} with, {:.3} without", with.spread, without.spread),
        with.spread < 0.5 * without.spread,
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, without, with })
}
