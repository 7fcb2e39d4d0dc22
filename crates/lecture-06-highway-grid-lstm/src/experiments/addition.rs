//! Claim 4 (second half): a 2-D Grid LSTM learns to add two numbers as well as or better than a
//! stacked LSTM of similar size (Kalchbrenner et al. 2015, Sec. 4.2, 15-digit addition).
//!
//! **Task.** Two random `n`-digit numbers `a`, `b`; the network reads the string
//! `a + b = s` one token at a time (every number least-significant digit first, so a carry moves
//! forward in time) and is trained to predict the next token at the `n + 1` positions of the
//! sum `s` (a language model whose loss counts only the answer). To add digit `i` it must recall
//! `a_i`, read `n + 1` steps earlier.
//!
//! **Measure.** Exact-sum accuracy on a test set: every digit of `s` predicted right. With
//! teacher forcing a sequence is right exactly when greedy decoding would get it right (the
//! inputs it sees are then its own predictions). Chance is `10^-(n+1)`.
//!
//! **Models.** [`Grid2dLstm`] with [`DepthLink::Grid`] and with [`DepthLink::Stacked`], the
//! stacked one wider so that both have about the same number of parameters.

use super::training::{Schedule, train_steps};
use crate::grid2d::{DepthLink, Grid2dLstm};
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use rand::RngExt;
use serde::Serialize;
use shared::data::synthetic::{int_tensor, seeded_rng};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-06-highway-grid-lstm/addition.json`.
pub const NAME: &str = "addition";

/// The random stream of the test set (training batches use [`batch_seed`]).
const TEST_SET: u64 = 0;

/// Token ids: digits are 0-9.
pub const PLUS: i64 = 10;
pub const EQUALS: i64 = 11;
pub const VOCAB: usize = 12;

/// Sizes of the addition experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Digits per summand, n.
    pub digits: usize,
    /// Layers along depth of both networks.
    pub layers: usize,
    /// Hidden units of the grid and of the stacked LSTM (wider: about the same parameters).
    pub grid_hidden: usize,
    pub stacked_hidden: usize,
    /// `test_size` is the number of test sums.
    pub schedule: Schedule,
}

impl Config {
    /// Two-digit sums at both sizes (three digits were out of reach of both nets in 1500 steps:
    /// exact-sum accuracy 0.01); quick trains 300 steps, full 1500.
    pub fn for_run(run: &Run) -> Config {
        Config {
            digits: 2,
            layers: 2,
            grid_hidden: 32,
            stacked_hidden: 45,
            schedule: Schedule {
                steps: run.steps_or(300, 1500),
                batch: 32,
                learning_rate: 1e-2,
                test_size: 500,
                curve_points: 60,
            },
        }
    }
}

/// A batch of sums: the token strings `[batch, 3n + 3]` and the sum digits `[batch, n + 1]`.
pub struct Sums {
    pub tokens: Vec<i64>,
    pub batch: usize,
    pub digits: usize,
}

impl Sums {
    /// `batch` random sums of two `digits`-digit numbers (leading zeros allowed).
    pub fn draw(batch: usize, digits: usize, seed: u64) -> Result<Sums> {
        ensure!(batch >= 1 && digits >= 1, "a batch of sums needs batch and digits of at least 1");
        let mut rng = seeded_rng(seed);
        let mut tokens = Vec::with_capacity(batch * (3 * digits + 3));
        for _ in 0..batch {
            let a: Vec<i64> = (0..digits).map(|_| rng.random_range(0..10)).collect();
            let b: Vec<i64> = (0..digits).map(|_| rng.random_range(0..10)).collect();
            tokens.extend(&a);
            tokens.push(PLUS);
            tokens.extend(&b);
            tokens.push(EQUALS);
            let mut carry = 0;
            for i in 0..digits {
                let total = a[i] + b[i] + carry;
                tokens.push(total % 10);
                carry = total / 10;
            }
            tokens.push(carry);
        }
        Ok(Sums { tokens, batch, digits })
    }

    /// Tokens per sum: `3n + 3`.
    pub fn length(&self) -> usize {
        3 * self.digits + 3
    }

    /// The inputs (every token but the last) `[batch, 3n + 2]` and the sum digits `[batch, n + 1]`.
    pub fn tensors(&self, device: &Device) -> Result<(Tensor<2, Int>, Tensor<2, Int>)> {
        let length = self.length();
        let all = int_tensor(&self.tokens, [self.batch, length], device)?;
        let answer = self.digits + 1;
        Ok((all.clone().narrow(1, 0, length - 1), all.narrow(1, length - answer, answer)))
    }
}

/// Logits at the positions that predict the sum's digits: `[batch, n + 1, vocab]`.
fn answer_logits(model: &Grid2dLstm, inputs: Tensor<2, Int>, digits: usize) -> Result<Tensor<3>> {
    let logits = model.forward(inputs)?;
    let time = logits.dims()[1];
    Ok(logits.narrow(1, time - (digits + 1), digits + 1))
}

/// One model's result.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct AdditionResult {
    pub link: DepthLink,
    pub parameters: usize,
    /// Fraction of test sums with every digit right.
    pub exact: f64,
    /// Fraction of test sum digits right.
    pub per_digit: f64,
}

/// What the run measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub grid: AdditionResult,
    pub stacked: AdditionResult,
}

fn name(link: DepthLink) -> &'static str {
    match link {
        DepthLink::Grid => "2-D Grid LSTM",
        DepthLink::Stacked => "stacked LSTM",
    }
}

/// Trains both networks on fresh batches, tests them, writes the record and the loss chart.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(config.digits >= 1 && config.layers >= 1, "nothing to add or no layer: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let grid = train_and_test(run, config, &mut record, DepthLink::Grid, config.grid_hidden)?;
    let stacked = train_and_test(run, config, &mut record, DepthLink::Stacked, config.stacked_hidden)?;
    let chart = "addition-train-loss.svg";
    record
        .curve_chart(
            format!("{}-digit addition: cross-entropy of the sum digits", config.digits),
            &[name(DepthLink::Grid), name(DepthLink::Stacked)],
        )?
        .save_svg(run.picture_path(chart))?;
    record.add_picture(chart);
    record.add_claim(
        format!(
            "a 2-D Grid LSTM adds {}-digit numbers as well as or better than a stacked LSTM of similar size",
            config.digits
        ),
        "grid exact-sum accuracy >= stacked - 0.02",
        format!(
            "grid {:.3} ({} parameters), stacked {:.3} ({} parameters)",
            grid.exact, grid.parameters, stacked.exact, stacked.parameters
        ),
        grid.exact >= stacked.exact - 0.02,
    );
    println!("\n{}-digit addition, {} layers: test accuracy", config.digits, config.layers);
    println!("{:<16} {:>10} {:>10} {:>10}", "model", "params", "exact sum", "per digit");
    for r in [&grid, &stacked] {
        println!("{:<16} {:>10} {:>10.3} {:>10.3}", name(r.link), r.parameters, r.exact, r.per_digit);
    }
    run.finish(&mut record)?;
    Ok(Outcome { record, grid, stacked })
}

fn train_and_test(
    run: &Run,
    config: &Config,
    record: &mut ExperimentRecord,
    link: DepthLink,
    hidden: usize,
) -> Result<AdditionResult> {
    let device = &run.device;
    let schedule = &config.schedule;
    let model = seeded_on(device, run.seed, |d| Grid2dLstm::new(link, VOCAB, hidden, config.layers, d));
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let curve = name(link);
    let answer = config.digits + 1;
    let (model, _) =
        train_steps(model, schedule, record, curve, "cross-entropy of the sum digits", |model, step| {
            let sums = Sums::draw(schedule.batch, config.digits, batch_seed(run.seed, step))?;
            let (inputs, targets) = sums.tensors(device)?;
            let logits =
                answer_logits(model, inputs, config.digits)?.reshape([schedule.batch * answer, VOCAB]);
            Ok(loss_fn.forward(logits, targets.reshape([schedule.batch * answer])))
        })?;
    let model = model.valid();
    let inference = run.device.clone().without_autodiff();
    let test = Sums::draw(schedule.test_size, config.digits, sub_seed(run.seed, TEST_SET))?;
    let (inputs, targets) = test.tensors(&inference)?;
    let right = answer_logits(&model, inputs, config.digits)?.argmax(2).squeeze_dim::<2>(2).equal(targets);
    let per_digit = right.clone().int().sum().into_scalar::<i64>() as f64 / (test.batch * answer) as f64;
    let exact = right.all_dim(1).int().sum().into_scalar::<i64>() as f64 / test.batch as f64;
    let result = AdditionResult { link, parameters: model.parameters(), exact, per_digit };
    record.set_metric(format!("{curve} exact-sum test accuracy"), exact);
    record.set_metric(format!("{curve} per-digit test accuracy"), per_digit);
    record.set_metric(format!("{curve} parameters"), result.parameters as f64);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_written_least_significant_digit_first() {
        let sums = Sums::draw(50, 3, 9).unwrap();
        for row in sums.tokens.chunks(sums.length()) {
            let number = |digits: &[i64]| digits.iter().rev().fold(0, |n, &d| 10 * n + d);
            assert_eq!((row[3], row[7]), (PLUS, EQUALS), "{row:?}");
            assert_eq!(number(&row[0..3]) + number(&row[4..7]), number(&row[8..12]), "{row:?}");
        }
        assert!(Sums::draw(1, 0, 0).is_err());
    }
}
