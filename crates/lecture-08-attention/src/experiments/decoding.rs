//! Claim 6: beam search finds outputs of higher log-probability than greedy decoding (and is
//! greedy at width 1); what that does to accuracy; and sampling with a temperature.
//!
//! An encoder-decoder **without attention** learns to reverse strings of 3 to `longest` digits;
//! on the longest ones it is unsure (see `long-inputs`), which is where the decoding strategy
//! matters. Every strategy then decodes the same test strings, and each output is scored by its
//! log-probability under the model, `Σ_t log p(y_t | y_<t, x)` (EOS included).

use super::token_training::{TokenTraining, decode_test_set, teacher_forced_loss, token_accuracy, train};
use crate::attention::AttentionKind;
use crate::decoding::{Hypothesis, Strategy};
use crate::recurrence::Recurrence;
use crate::seq2seq::Seq2SeqConfig;
use anyhow::Result;
use serde::Serialize;
use shared::data::synthetic::token_tasks::{TokenTask, VOCAB_SIZE};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-08-attention/decoding.json`.
pub const NAME: &str = "decoding";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Task, lengths, batch, steps, optimiser.
    pub training: TokenTraining,
    /// Model sizes (no attention).
    pub model: Seq2SeqConfig,
    /// The strategies compared, greedy first.
    pub strategies: Vec<Strategy>,
    /// Test strings of the longest training length.
    pub test_count: usize,
}

impl Config {
    /// Quick: lengths 3-8, hidden 32, 300 steps; full: lengths 3-12, hidden 64, 800 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            training: TokenTraining {
                task: TokenTask::Reverse,
                shortest: 3,
                longest: run.size(8, 12),
                batch: 32,
                steps: run.steps_or(300, 800),
                learning_rate: 5e-3,
                clip_norm: 1.0,
            },
            model: Seq2SeqConfig {
                vocab: VOCAB_SIZE,
                embedding: 16,
                hidden: run.size(32, 64),
                attention: AttentionKind::None,
                recurrence: Recurrence::Fused,
            },
            strategies: vec![
                Strategy::Greedy,
                Strategy::Beam { width: 1 },
                Strategy::Beam { width: 2 },
                Strategy::Beam { width: 4 },
                Strategy::Beam { width: 8 },
                Strategy::Sample { temperature: 0.5 },
                Strategy::Sample { temperature: 1.0 },
            ],
            test_count: run.size(60, 150),
        }
    }
}

/// One strategy's results on the test strings.
#[derive(Clone, Debug, Serialize)]
pub struct StrategyResult {
    pub strategy: Strategy,
    /// Mean log-probability of the outputs under the model.
    pub mean_log_prob: f64,
    /// Token accuracy of the outputs.
    pub accuracy: f64,
    /// Share of test strings whose output is at least as probable as greedy's (within 1e-4).
    pub at_least_greedy: f64,
    /// Share of test strings whose output is exactly greedy's (tokens and log-probability).
    pub same_as_greedy: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// In the order of `Config::strategies`.
    pub results: Vec<StrategyResult>,
}

impl Outcome {
    /// The result of `strategy`.
    pub fn of(&self, strategy: Strategy) -> &StrategyResult {
        self.results.iter().find(|r| r.strategy == strategy).expect("the strategy was run")
    }
}

/// A short name of a strategy for tables and metric names.
pub fn strategy_name(strategy: Strategy) -> String {
    match strategy {
        Strategy::Greedy => "greedy".into(),
        Strategy::Beam { width } => format!("beam {width}"),
        Strategy::Sample { temperature } => format!("sample τ={temperature}"),
    }
}

/// Trains the model, decodes the test strings every way, writes the record.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let model = seeded_on(&run.device, run.seed, |device| config.model.init(device));
    let device = run.device.clone();
    let training = &config.training;
    let model = train("no attention", model, training, run.seed, &mut record, |m, pairs, _| {
        teacher_forced_loss(m, pairs, &device)
    })?;
    let length = training.longest;
    let mut greedy: Option<Vec<Hypothesis>> = None;
    let mut results = Vec::new();
    for &strategy in &config.strategies {
        let (pairs, decoded) = decode_test_set(
            &model,
            training.task,
            length,
            config.test_count,
            run.seed,
            strategy,
            &run.device,
        )?;
        let reference = greedy.get_or_insert_with(|| decoded.clone());
        let share = |keep: &dyn Fn(&Hypothesis, &Hypothesis) -> bool| {
            decoded.iter().zip(reference.iter()).filter(|(d, g)| keep(d, g)).count() as f64
                / decoded.len() as f64
        };
        let result = StrategyResult {
            strategy,
            mean_log_prob: decoded.iter().map(|h| h.log_prob).sum::<f64>() / decoded.len() as f64,
            accuracy: token_accuracy(&pairs, &decoded),
            at_least_greedy: share(&|d, g| d.log_prob >= g.log_prob - 1e-4),
            same_as_greedy: share(&|d, g| d.tokens == g.tokens && (d.log_prob - g.log_prob).abs() < 1e-9),
        };
        let name = strategy_name(strategy);
        record.set_metric(format!("{name} mean log-probability"), result.mean_log_prob);
        record.set_metric(format!("{name} token accuracy"), result.accuracy);
        results.push(result);
    }
    print_table(length, &results);
    add_claims(&mut record, &results);
    run.finish(&mut record)?;
    Ok(Outcome { record, results })
}

fn print_table(length: usize, results: &[StrategyResult]) {
    println!("\nreversing {length} digits without attention: decoding strategies");
    println!(
        "{:>14} | {:>13} | {:>8} | {:>11} | {:>10}",
        "strategy", "mean log p", "accuracy", ">= greedy", "= greedy"
    );
    for r in results {
        println!(
            "{:>14} | {:>13.3} | {:>8.3} | {:>11.3} | {:>10.3}",
            strategy_name(r.strategy),
            r.mean_log_prob,
            r.accuracy,
            r.at_least_greedy,
            r.same_as_greedy
        );
    }
}

fn add_claims(record: &mut ExperimentRecord, results: &[StrategyResult]) {
    let find = |s: Strategy| results.iter().find(|r| r.strategy == s);
    let (Some(greedy), Some(one), Some(four)) =
        (find(Strategy::Greedy), find(Strategy::Beam { width: 1 }), find(Strategy::Beam { width: 4 }))
    else {
        return;
    };
    record.add_claim(
        "beam search of width 1 is greedy decoding",
        "identical outputs and log-probabilities on every test string",
        format!("{:.0}% identical", 100.0 * one.same_as_greedy),
        one.same_as_greedy == 1.0,
    );
    record.add_claim(
        "beam search finds more probable outputs than greedy",
        "width 4: higher mean log p, and >= greedy's on >= 95% of strings",
        format!(
            "mean log p {:.3} vs greedy {:.3}; >= greedy on {:.0}%",
            four.mean_log_prob,
            greedy.mean_log_prob,
            100.0 * four.at_least_greedy
        ),
        four.mean_log_prob > greedy.mean_log_prob && four.at_least_greedy >= 0.95,
    );
}
