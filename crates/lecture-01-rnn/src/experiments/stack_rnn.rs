//! Claim 6: a Stack RNN learns counting languages (aⁿbⁿ, aⁿbⁿcⁿ) and generalises to longer `n`
//! than it was trained on, where a plain RNN of the same size does not.
//!
//! Both models read a stream of words and predict the next symbol at every step (cross-entropy
//! on all positions). A word counts as correct when every *deterministic* prediction in it (from
//! the first `b` to the first `a` of the next word, see
//! [`Language::deterministic_positions`]) is right, the metric of Joulin & Mikolov 2015, Table 1
//! (aⁿbⁿ: RNN 25%, LSTM 100%, Stack RNN 100%). Training uses `n` in `1..=train_max_n`; the
//! test uses every `n` up to `test_max_n`, each word read from a fresh state and after a random
//! training word, so the stack must also be emptied between words. `--quick` trains aⁿbⁿ only.
//!
//! **Settings, and why** (measured at quick size over seeds 1 to 8, then 3 seeds at full size):
//! - the Stack RNN follows the authors' released scripts for Table 1: recurrence through the
//!   stacks only (no `R`), push and pop without no-op. With `R` the network also counts in its
//!   hidden state, which fits the trained `n` but not the longer ones (with 1 stack of 16 units,
//!   2 of 3 seeds generalised); with no-op, 5 of 8 seeds did; with neither, 8 of 8. The plain RNN
//!   keeps `R`: it is the baseline's only memory.
//! - at test time the Stack RNN takes the most probable action ("rounding", the paper's Table 1
//!   reports it too); with soft actions the stack blurs over long words and the longer-`n`
//!   accuracy varied from 0.05 to 1.0 between seeds. Both are recorded.
//! - 4 stacks of 32 hidden units (the paper: 10 stacks of 40), Adam with per-tensor gradient
//!   clipping and a cosine learning-rate decay to a tenth (without the decay, aⁿbⁿcⁿ at full
//!   size failed on one of one seed; with it, 3 of 3 passed).

use crate::stack_rnn::{Actions, StackRnn, StackRnnConfig};
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::synthetic::formal_language::{A, Language, VOCAB_SIZE, language_stream, words};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig};

/// Name of the experiment and of its record.
pub const NAME: &str = "stack-rnn";

/// Settings of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// The languages, each trained and tested separately.
    #[serde(serialize_with = "language_names")]
    pub languages: Vec<Language>,
    /// Hidden units of both models.
    pub hidden: usize,
    /// Stacks of the Stack RNN, their depth, and how many top cells feed the hidden layer.
    pub stacks: usize,
    pub depth: usize,
    pub read_depth: usize,
    /// Whether the Stack RNN also has the hidden-to-hidden matrix `R` (the plain RNN always has).
    pub stack_hidden_recurrence: bool,
    /// Whether the Stack RNN has the no-op action besides push and pop.
    pub no_op: bool,
    /// How the Stack RNN acts on its stack at test time (the paper reports both).
    pub test_actions: Actions,
    /// Training steps per model and language, each on a fresh batch.
    pub steps: u64,
    /// Rows per batch and symbols per row.
    pub batch: usize,
    pub time: usize,
    /// Adam's initial learning rate (cosine decay to a tenth) and the per-tensor gradient-norm clip.
    pub learning_rate: f64,
    pub clip_norm: f32,
    /// Training words have `n` in `1..=train_max_n`; test words go up to `test_max_n`.
    pub train_max_n: usize,
    pub test_max_n: usize,
    /// Test rows per `n`: one from a fresh state, the rest after a random training word.
    pub rows_per_n: usize,
    /// Train-loss points recorded per curve.
    pub curve_points: u64,
}

impl Config {
    /// The quick or full size of `run`.
    pub fn for_run(run: &Run) -> Config {
        let test_max_n = run.size(20, 30);
        Config {
            languages: run.size(vec![Language::AnBn], vec![Language::AnBn, Language::AnBnCn]),
            hidden: 32,
            stacks: 4,
            depth: 2 * test_max_n,
            read_depth: 2,
            stack_hidden_recurrence: false,
            no_op: false,
            test_actions: Actions::Rounded,
            steps: run.steps_or(1000, 3000),
            batch: 16,
            time: 40,
            learning_rate: 0.01,
            clip_norm: 1.0,
            train_max_n: 10,
            test_max_n,
            rows_per_n: 4,
            curve_points: 50,
        }
    }
}

fn language_names<S: serde::Serializer>(languages: &[Language], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(languages.iter().map(|language| format!("{language:?}")))
}

/// Word accuracy of one trained model.
#[derive(Clone, Debug)]
pub struct ModelResult {
    /// `(n, fraction of the test words of count n predicted entirely right)` for `n` in
    /// `1..=test_max_n`.
    pub accuracy_by_n: Vec<(usize, f64)>,
    /// Mean word accuracy over the training range `1..=train_max_n`.
    pub trained_accuracy: f64,
    /// Mean word accuracy over the longer `n`, `train_max_n + 1..=test_max_n`.
    pub longer_accuracy: f64,
    /// The same with soft stack actions at test time (equal for the plain RNN, which has none).
    pub soft_longer_accuracy: f64,
    /// Training loss over the last tenth of the steps.
    pub final_loss: f64,
}

/// Both models on one language.
#[derive(Clone, Debug)]
pub struct LanguageResult {
    pub language: Language,
    pub stack: ModelResult,
    pub plain: ModelResult,
}

/// What the run produced.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub results: Vec<LanguageResult>,
}

/// Trains and tests both models on every language, writes the record and its pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(config.test_max_n > config.train_max_n, "test_max_n must exceed train_max_n: {config:?}");
    ensure!(
        config.depth > config.test_max_n,
        "the stack must be deeper than the longest count tested: {config:?}"
    );
    ensure!(config.steps >= 1 && !config.languages.is_empty(), "nothing to train: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let mut results = Vec::new();
    for &language in &config.languages {
        let stack = train_and_test(run, config, language, true, &mut record)?;
        let plain = train_and_test(run, config, language, false, &mut record)?;
        results.push(LanguageResult { language, stack, plain });
    }
    for result in &results {
        let name = format!("{}-accuracy.svg", slug(result.language));
        accuracy_chart(config, result).save_svg(run.picture_path(&name))?;
        record.add_picture(name);
        let name = format!("{}-loss.svg", slug(result.language));
        loss_chart(&record, result.language).save_svg(run.picture_path(&name))?;
        record.add_picture(name);
        record_claim(&mut record, config, result);
    }
    print_table(config, &results);
    run.finish(&mut record)?;
    Ok(Outcome { record, results })
}

fn train_and_test(
    run: &Run,
    config: &Config,
    language: Language,
    use_stack: bool,
    record: &mut ExperimentRecord,
) -> Result<ModelResult> {
    let label = format!("{} {}", slug(language), model_name(use_stack));
    let (model, final_loss) = train(run, config, language, use_stack, &label, record)?;
    let inference = run.device.clone().without_autodiff();
    let model = model.valid();
    let accuracy_by_n = test(&model, &inference, config, language, run.seed, config.test_actions)?;
    let soft_by_n = test(&model, &inference, config, language, run.seed, Actions::Soft)?;
    let longer = config.train_max_n + 1..=config.test_max_n;
    let result = ModelResult {
        trained_accuracy: mean_over(&accuracy_by_n, 1..=config.train_max_n),
        longer_accuracy: mean_over(&accuracy_by_n, longer.clone()),
        soft_longer_accuracy: mean_over(&soft_by_n, longer),
        accuracy_by_n,
        final_loss,
    };
    record.set_metric(format!("{label} accuracy on trained n"), result.trained_accuracy);
    record.set_metric(format!("{label} accuracy on longer n"), result.longer_accuracy);
    if use_stack {
        record.set_metric(format!("{label} accuracy on longer n, soft actions"), result.soft_longer_accuracy);
    }
    record.set_metric(format!("{label} final train loss"), final_loss);
    Ok(result)
}

/// Mean accuracy over the `n` in `range`.
fn mean_over(accuracy_by_n: &[(usize, f64)], range: std::ops::RangeInclusive<usize>) -> f64 {
    let values: Vec<f64> = accuracy_by_n.iter().filter(|(n, _)| range.contains(n)).map(|&(_, a)| a).collect();
    values.iter().sum::<f64>() / values.len() as f64
}

/// Adam on fresh batches of the word stream; returns the model and its final training loss.
fn train(
    run: &Run,
    config: &Config,
    language: Language,
    use_stack: bool,
    label: &str,
    record: &mut ExperimentRecord,
) -> Result<(StackRnn, f64)> {
    let device = &run.device;
    let model_config = StackRnnConfig::new(VOCAB_SIZE, config.hidden)
        .with_stacks(config.stacks)
        .with_depth(config.depth)
        .with_read_depth(config.read_depth)
        .with_use_stack(use_stack)
        .with_hidden_recurrence(!use_stack || config.stack_hidden_recurrence)
        .with_no_op(config.no_op);
    let model = seeded_on(device, run.seed, |device| model_config.init(device))?;
    let optimiser = FusedAdamConfig::new()
        .with_grad_clipping(Some(GradientClippingConfig::Norm(config.clip_norm)))
        .init();
    let fitted = Fit::new(label, config.steps, config.learning_rate)
        .loss_unit("cross-entropy per symbol")
        .curve_points(config.curve_points)
        .learning_rate_schedule(|step| learning_rate(config, step))
        .run(model, optimiser, record, |model, step| {
            let batch = language_stream(
                language,
                config.batch,
                config.time,
                1..=config.train_max_n,
                batch_seed(run.seed, step),
            )?;
            Ok(next_symbol_loss(model, batch.input_tensor(device)?, batch.target_tensor(device)?))
        })?;
    Ok((fitted.model, fitted.final_loss))
}

/// Cosine decay from `learning_rate` at step 0 to a tenth of it at the last step: the late,
/// small steps sharpen the push/pop decisions that the longer words depend on.
fn learning_rate(config: &Config, step: u64) -> f64 {
    let progress = step as f64 / config.steps.max(1) as f64;
    let cosine = 0.5 * (1.0 + (std::f64::consts::PI * progress).cos());
    config.learning_rate * (0.1 + 0.9 * cosine)
}

/// Mean cross-entropy of the next-symbol predictions, over every position.
fn next_symbol_loss(model: &StackRnn, inputs: Tensor<2, Int>, targets: Tensor<2, Int>) -> Tensor<1> {
    let [batch, time] = inputs.dims();
    let logits = model.forward(inputs).reshape([batch * time, VOCAB_SIZE]);
    CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, targets.reshape([batch * time]))
}

/// One test row: the symbols read, the next symbols, and which predictions are scored.
struct TestRow {
    inputs: Vec<i64>,
    targets: Vec<i64>,
    scored: Vec<bool>,
}

/// `rows_per_n` rows per `n` in `1..=test_max_n`: the word of count `n` followed by the first
/// `a` of the next word; every row but the first starts with a random training word.
fn test_rows(config: &Config, language: Language, n: usize, seed: u64) -> Result<Vec<TestRow>> {
    let prefixes = words(language, config.rows_per_n, 1..=config.train_max_n, seed)?;
    let word = language.word(n, n)?;
    Ok(prefixes
        .into_iter()
        .enumerate()
        .map(|(row, prefix)| {
            let prefix = if row == 0 { Vec::new() } else { prefix };
            let mut symbols = prefix.clone();
            symbols.extend(&word);
            symbols.push(A);
            let mut scored = vec![false; prefix.len()];
            scored.extend(language.deterministic_positions(&word));
            let last = symbols.len() - 1;
            TestRow { inputs: symbols[..last].to_vec(), targets: symbols[1..].to_vec(), scored }
        })
        .collect())
}

/// The random streams of the test rows, one sub-stream per count `n`.
const TEST_ROWS: u64 = 0;

/// Word accuracy for every `n` in `1..=test_max_n`.
fn test(
    model: &StackRnn,
    device: &Device,
    config: &Config,
    language: Language,
    seed: u64,
    actions: Actions,
) -> Result<Vec<(usize, f64)>> {
    let test_seeds = sub_seed(seed, TEST_ROWS);
    let mut accuracy = Vec::new();
    for n in 1..=config.test_max_n {
        let rows = test_rows(config, language, n, sub_seed(test_seeds, n as u64))?;
        let right = correct_rows(model, &rows, device, actions);
        accuracy.push((n, right as f64 / rows.len() as f64));
    }
    Ok(accuracy)
}

/// How many rows have every scored prediction right (rows padded at the end, which a causal
/// model cannot see from earlier positions).
fn correct_rows(model: &StackRnn, rows: &[TestRow], device: &Device, actions: Actions) -> usize {
    let time = rows.iter().map(|r| r.inputs.len()).max().unwrap_or(0);
    let mut inputs = Vec::with_capacity(rows.len() * time);
    for row in rows {
        inputs.extend(&row.inputs);
        inputs.extend(std::iter::repeat_n(A, time - row.inputs.len()));
    }
    let tokens = Tensor::<2, Int>::from_data(TensorData::new(inputs, [rows.len(), time]), device);
    let predicted: Vec<i64> =
        model.forward_with(tokens, actions).argmax(2).into_data().iter::<i64>().collect();
    rows.iter()
        .enumerate()
        .filter(|(i, row)| {
            (0..row.inputs.len()).all(|t| !row.scored[t] || predicted[i * time + t] == row.targets[t])
        })
        .count()
}

fn record_claim(record: &mut ExperimentRecord, config: &Config, result: &LanguageResult) {
    let (stack, plain) = (result.stack.longer_accuracy, result.plain.longer_accuracy);
    record.add_claim(
        format!(
            "the Stack RNN generalises {:?} to n in {}..={} (trained on n <= {}), the plain RNN does not",
            result.language,
            config.train_max_n + 1,
            config.test_max_n,
            config.train_max_n
        ),
        "stack word accuracy >= 0.9, plain RNN <= 0.3 (paper, aⁿbⁿ: Stack RNN 100%, RNN 25%)",
        format!("stack {stack:.3}, plain {plain:.3}"),
        stack >= 0.9 && plain <= 0.3,
    );
}

fn accuracy_chart(config: &Config, result: &LanguageResult) -> LineChart {
    let points = |r: &ModelResult| r.accuracy_by_n.iter().map(|&(n, a)| (n as f64, a)).collect::<Vec<_>>();
    let edge = config.train_max_n as f64 + 0.5;
    LineChart::new(format!("{:?}: word accuracy by n", result.language))
        .x_label("n")
        .y_label("words predicted entirely right")
        .series(model_name(true), points(&result.stack))
        .series(model_name(false), points(&result.plain))
        .series("end of training range", [(edge, 0.0), (edge, 1.0)])
}

fn loss_chart(record: &ExperimentRecord, language: Language) -> LineChart {
    let mut chart = LineChart::new(format!("{language:?}: training loss"))
        .x_label("step")
        .y_label("cross-entropy per symbol");
    for use_stack in [true, false] {
        let curve = format!("{} {} train loss", slug(language), model_name(use_stack));
        if let Some(curve) = record.curves.get(&curve) {
            chart = chart.series(model_name(use_stack), curve.points.clone());
        }
    }
    chart
}

fn print_table(config: &Config, results: &[LanguageResult]) {
    println!(
        "\nword accuracy (deterministic part entirely right), trained on n <= {}, tested to n = {}",
        config.train_max_n, config.test_max_n
    );
    println!(
        "{:<8} {:<10} {:>10} {:>9} {:>14} {:>11}",
        "language", "model", "trained n", "longer n", "longer n soft", "train loss"
    );
    for result in results {
        for (name, r) in [(model_name(true), &result.stack), (model_name(false), &result.plain)] {
            println!(
                "{:<8} {:<10} {:>10.3} {:>9.3} {:>14.3} {:>11.4}",
                slug(result.language),
                name,
                r.trained_accuracy,
                r.longer_accuracy,
                r.soft_longer_accuracy,
                r.final_loss
            );
        }
    }
}

fn model_name(use_stack: bool) -> &'static str {
    if use_stack { "stack RNN" } else { "plain RNN" }
}

fn slug(language: Language) -> String {
    format!("{language:?}").to_ascii_lowercase()
}
