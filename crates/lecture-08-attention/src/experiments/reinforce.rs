//! REINFORCE with a sequence-level reward: a reversal model, pretrained briefly with teacher
//! forcing, keeps training either with teacher forcing or with REINFORCE, where the only signal
//! is the reward of each complete sampled output (the share of its digits in the right place).
//!
//! Both continuations start from the same weights and see the same number of batches. The
//! measure is greedy token accuracy before and after.

use super::token_training::{TokenTraining, greedy_accuracy, teacher_forced_loss, train};
use crate::attention::AttentionKind;
use crate::recurrence::Recurrence;
use crate::reinforce::{reinforce_loss, sample};
use crate::seq2seq::{Seq2Seq, Seq2SeqConfig};
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::seeded_rng;
use shared::data::synthetic::token_tasks::{TokenTask, VOCAB_SIZE};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-08-attention/reinforce.json`.
pub const NAME: &str = "reinforce";

/// The random stream of the continuation (REINFORCE's samples and both continuations' batches).
const CONTINUATION: u64 = 0;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Teacher-forced pretraining.
    pub pretraining: TokenTraining,
    /// Each continuation (same task and lengths, its own steps and learning rate).
    pub continuation: TokenTraining,
    /// Model sizes (dot-product attention).
    pub model: Seq2SeqConfig,
    /// Test strings of the longest training length.
    pub test_count: usize,
    /// Whether each sample is rewarded against the next row's target instead of its own: the
    /// reward keeps its scale and spread but says nothing about the sample (the negative
    /// control).
    pub unrelated_rewards: bool,
}

impl Config {
    /// Quick: lengths 3-8, hidden 32, 100 + 300 steps; full: lengths 3-10, hidden 64, 60 + 600
    /// steps (the wider model learns faster: 60 steps leave it about as far from done).
    pub fn for_run(run: &Run) -> Config {
        let pretraining = TokenTraining {
            task: TokenTask::Reverse,
            shortest: 3,
            longest: run.size(8, 10),
            batch: 32,
            steps: run.size(100, 60),
            learning_rate: 5e-3,
            clip_norm: 1.0,
        };
        let continuation =
            TokenTraining { steps: run.steps_or(300, 600), learning_rate: 1e-3, ..pretraining.clone() };
        Config {
            pretraining,
            continuation,
            model: Seq2SeqConfig {
                vocab: VOCAB_SIZE,
                embedding: 16,
                hidden: run.size(32, 64),
                attention: AttentionKind::Dot,
                recurrence: Recurrence::Fused,
            },
            test_count: 200,
            unrelated_rewards: false,
        }
    }
}

/// Greedy token accuracies.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Accuracies {
    pub pretrained: f64,
    pub reinforce: f64,
    pub teacher_forcing: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub accuracy: Accuracies,
}

/// The share of the target digits of row `i` that `tokens` has in the right place.
fn reward(pairs: &shared::data::synthetic::token_tasks::TokenPairs, i: usize, tokens: &[i64]) -> f64 {
    let length = pairs.lengths[i];
    let target = &pairs.decoder_target[i * pairs.time..i * pairs.time + length];
    target.iter().zip(tokens).filter(|(t, y)| t == y).count() as f64 / length as f64
}

/// Pretrains, continues both ways, writes the record.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let device = run.device.clone();
    let (task, length, count) = (config.pretraining.task, config.pretraining.longest, config.test_count);
    let model = seeded_on(&device, run.seed, |d| config.model.init(d));
    let pretrained =
        train("pretraining", model, &config.pretraining, run.seed, &mut record, |m, pairs, _| {
            teacher_forced_loss(m, pairs, &device)
        })?;
    let accuracy_of = |m: &Seq2Seq| greedy_accuracy(m, task, length, count, run.seed, &device);
    let before = accuracy_of(&pretrained)?;

    let seed = sub_seed(run.seed, CONTINUATION);
    let mut rng = seeded_rng(seed);
    let mut rewards_per_step = Vec::new();
    let reinforced =
        train("REINFORCE", pretrained.clone(), &config.continuation, seed, &mut record, |m, pairs, _| {
            let sampled = sample(m, pairs.source_tensor(&device)?, pairs.time, &mut rng);
            let rows = sampled.tokens.len();
            let rewarded = |i: usize| if config.unrelated_rewards { (i + 1) % rows } else { i };
            let rewards: Vec<f64> =
                sampled.tokens.iter().enumerate().map(|(i, y)| reward(pairs, rewarded(i), y)).collect();
            rewards_per_step.push(rewards.iter().sum::<f64>() / rewards.len() as f64);
            Ok(reinforce_loss(sampled.log_prob, &rewards))
        })?;
    record.define_curve("REINFORCE mean reward", "step", "mean reward of the sampled outputs");
    let every = (rewards_per_step.len() / 50).max(1);
    for (chunk, values) in rewards_per_step.chunks(every).enumerate() {
        record.push_point(
            "REINFORCE mean reward",
            (chunk * every) as f64,
            values.iter().sum::<f64>() / values.len() as f64,
        );
    }
    let forced =
        train("teacher forcing", pretrained, &config.continuation, seed, &mut record, |m, pairs, _| {
            teacher_forced_loss(m, pairs, &device)
        })?;
    let accuracy = Accuracies {
        pretrained: before,
        reinforce: accuracy_of(&reinforced)?,
        teacher_forcing: accuracy_of(&forced)?,
    };
    record.set_metric("pretrained accuracy", accuracy.pretrained);
    record.set_metric("REINFORCE accuracy", accuracy.reinforce);
    record.set_metric("teacher forcing accuracy", accuracy.teacher_forcing);
    println!("\nreversing {length} digits, greedy token accuracy:");
    println!("  after {} teacher-forced steps:      {:.3}", config.pretraining.steps, accuracy.pretrained);
    println!("  then {} REINFORCE steps:            {:.3}", config.continuation.steps, accuracy.reinforce);
    println!(
        "  or {} more teacher-forced steps:    {:.3}",
        config.continuation.steps, accuracy.teacher_forcing
    );
    record.add_claim(
        "REINFORCE improves a model from a sequence-level reward alone",
        "greedy accuracy after REINFORCE > before + 0.05",
        format!(
            "{:.3} -> {:.3} (teacher forcing: {:.3})",
            accuracy.pretrained, accuracy.reinforce, accuracy.teacher_forcing
        ),
        accuracy.reinforce > accuracy.pretrained + 0.05,
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, accuracy })
}
