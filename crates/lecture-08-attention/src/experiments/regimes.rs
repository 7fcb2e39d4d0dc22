//! Claim 5: the train/test mismatch. Three identical attentive encoder-decoders learn to **sort**
//! digit strings, differing only in what their decoder is fed during training
//! ([`Regime`]): the truth (teacher forcing), their own previous output, or scheduled sampling.
//! Sorting makes errors compound: the next digit is the smallest one not yet written, so the
//! decoder leans on the token it was fed to know where it is.
//!
//! Each model is tested two ways on fresh strings of the longest training length: free-running
//! (greedy, fed its own outputs, as in real use) and teacher-forced (fed the truth). The gap
//! between the two is what exposure bias costs.

use super::token_training::{
    TokenTraining, greedy_accuracy, teacher_forced_accuracy, token_cross_entropy, train,
};
use crate::attention::AttentionKind;
use crate::recurrence::Recurrence;
use crate::seq2seq::Seq2SeqConfig;
use crate::training_regime::{Regime, mixed_feed_logits};
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::seeded_rng;
use shared::data::synthetic::token_tasks::{TokenTask, VOCAB_SIZE};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-08-attention/regimes.json`.
pub const NAME: &str = "regimes";

/// The random stream of the coins that choose between truth and prediction in each regime.
const COINS: u64 = 0;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Task, lengths, batch, steps, optimiser.
    pub training: TokenTraining,
    /// Model sizes and attention.
    pub model: Seq2SeqConfig,
    /// The three regimes, in table order.
    pub regimes: [Regime; 3],
    /// Test strings (of the longest training length).
    pub test_count: usize,
}

impl Config {
    /// Quick: lengths 3-8, hidden 32, 400 steps; full: lengths 3-15, hidden 64, 1000 steps.
    pub fn for_run(run: &Run) -> Config {
        let steps = run.steps_or(400, 1000);
        Config {
            training: TokenTraining {
                task: TokenTask::Sort,
                shortest: 3,
                longest: run.size(8, 15),
                batch: 32,
                steps,
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
            // k = steps / 4: ε falls from k / (k + 1) ≈ 1 to k / (k + e⁴), 0.65 at the end of a
            // quick run and 0.82 at the end of a default one (a gentle schedule; a steeper one,
            // k = steps / 8, did worse at quick size).
            regimes: [
                Regime::TeacherForcing,
                Regime::OwnOutput,
                Regime::ScheduledSampling { k: steps as f64 / 4.0 },
            ],
            test_count: run.size(100, 200),
        }
    }
}

/// One regime's results.
#[derive(Clone, Debug, Serialize)]
pub struct RegimeResult {
    pub regime: Regime,
    /// Greedy, fed its own outputs.
    pub free_running: f64,
    /// Fed the true previous tokens.
    pub teacher_forced: f64,
    /// The same two on strings of the shortest training length, where errors have little to
    /// compound over.
    pub free_running_shortest: f64,
    pub teacher_forced_shortest: f64,
    /// Mean training cross-entropy over the last tenth of training.
    pub final_loss: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// In the order of `Config::regimes`: teacher forcing, own output, scheduled sampling.
    pub results: Vec<RegimeResult>,
}

/// Trains one model per regime, writes the record and the loss curves.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let training = &config.training;
    let length = training.longest;
    let mut results = Vec::new();
    for regime in config.regimes {
        // The same initial weights for every regime: only the feeding differs.
        let model = seeded_on(&run.device, run.seed, |device| config.model.init(device));
        let device = run.device.clone();
        let label = regime.to_string();
        let mut coins = seeded_rng(sub_seed(run.seed, COINS));
        let model = train(&label, model, training, run.seed, &mut record, |m, pairs, step| {
            let truth = regime.truth_probability(step);
            let logits =
                mixed_feed_logits(m, pairs.source_tensor(&device)?, &pairs.decoder_input, truth, &mut coins)?;
            Ok(token_cross_entropy(logits, pairs.decoder_target_tensor(&device)?))
        })?;
        let both = |length| -> Result<(f64, f64)> {
            let (task, count) = (training.task, config.test_count);
            Ok((
                greedy_accuracy(&model, task, length, count, run.seed, &run.device)?,
                teacher_forced_accuracy(&model, task, length, count, run.seed, &run.device)?,
            ))
        };
        let (free_running, teacher_forced) = both(length)?;
        let (free_running_shortest, teacher_forced_shortest) = both(training.shortest)?;
        let final_loss = record.metrics[&format!("{label} final training loss")];
        record.set_metric(format!("{label} free-running accuracy"), free_running);
        record.set_metric(format!("{label} teacher-forced accuracy"), teacher_forced);
        record.set_metric(format!("{label} free-running accuracy, shortest"), free_running_shortest);
        record.set_metric(format!("{label} teacher-forced accuracy, shortest"), teacher_forced_shortest);
        results.push(RegimeResult {
            regime,
            free_running,
            teacher_forced,
            free_running_shortest,
            teacher_forced_shortest,
            final_loss,
        });
    }
    save_curves(run, config, &mut record)?;
    print_table(length, &results);
    add_claims(&mut record, &results);
    run.finish(&mut record)?;
    Ok(Outcome { record, results })
}

fn save_curves(run: &Run, config: &Config, record: &mut ExperimentRecord) -> Result<()> {
    let mut chart = LineChart::new("Sorting digits: training loss under three feeding regimes")
        .x_label("training step")
        .y_label("cross-entropy per token (nats, log scale)")
        .log_y(true);
    for regime in config.regimes {
        let curve = &record.curves[&format!("{regime} loss")];
        chart = chart.series(regime.to_string(), curve.points.clone());
    }
    chart.save_svg(run.picture_path("regimes-loss.svg"))?;
    record.add_picture("regimes-loss.svg");
    Ok(())
}

fn print_table(length: usize, results: &[RegimeResult]) {
    println!("\nsorting {length} digits: token accuracy by training regime");
    println!("{:>20} | {:>12} | {:>14} | {:>10}", "regime", "free-running", "teacher-forced", "train loss");
    for r in results {
        println!(
            "{:>20} | {:>12.3} | {:>14.3} | {:>10.4}",
            r.regime.to_string(),
            r.free_running,
            r.teacher_forced,
            r.final_loss
        );
    }
}

fn add_claims(record: &mut ExperimentRecord, results: &[RegimeResult]) {
    let (forced, own, scheduled) = (&results[0], &results[1], &results[2]);
    record.add_claim(
        "always feeding the model's own output trains worst",
        "lowest free-running accuracy of the three",
        format!(
            "own output {:.3}, teacher forcing {:.3}, scheduled {:.3}",
            own.free_running, forced.free_running, scheduled.free_running
        ),
        own.free_running < forced.free_running && own.free_running < scheduled.free_running,
    );
    record.add_claim(
        "teacher forcing suffers at test time (exposure bias)",
        "free-running accuracy below teacher-forced accuracy",
        format!("free-running {:.3}, teacher-forced {:.3}", forced.free_running, forced.teacher_forced),
        forced.free_running < forced.teacher_forced,
    );
    record.add_claim(
        "scheduled sampling is at least as good as teacher forcing",
        "free-running accuracy >= teacher forcing's - 0.02",
        format!("scheduled {:.3}, teacher forcing {:.3}", scheduled.free_running, forced.free_running),
        scheduled.free_running >= forced.free_running - 0.02,
    );
}
