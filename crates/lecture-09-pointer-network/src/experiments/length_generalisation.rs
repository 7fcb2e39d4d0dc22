//! Claim 1: a pointer network trained on short inputs keeps answering on inputs at least twice
//! as long, where the fixed-vocabulary sequence-to-sequence model cannot even name a position
//! past its `n_max`.
//!
//! Both models sort real numbers, trained on 5 to 10 of them; the baseline's classes are
//! STOP, 1, .., 10 (`n_max` = the longest training input, as in Vinyals et al. 2015, who note
//! that such a model "cannot be applied to problems where the output dictionary size depends on
//! the input"). Both are tested on 5 to 20 numbers, greedy decoding, exact-match and
//! position-by-position accuracy. The paper shows the same effect on convex hulls (trained on
//! n = 5-50, tested up to 500: 1.3% exact, 99.2% of the area at n = 500) and gives no sorting
//! table. The fixed-vocabulary model is the claim's negative control: the same encoder, decoder,
//! attention, masking and training, without the output that points.

use super::pointer_training::{Training, answers, exact_and_stepwise, test_set, train_both_arms};
use crate::tasks::PointerTask;
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;

/// The experiment's name: its record is `out/lecture-09-pointer-network/length-generalisation.json`.
pub const NAME: &str = "length-generalisation";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub embedding: usize,
    pub hidden: usize,
    pub training: Training,
    /// Input counts tested (the last at least twice the longest trained).
    pub test_lengths: Vec<usize>,
    /// Test instances per length.
    pub test_size: usize,
}

impl Config {
    /// Trained on 5-10 numbers; quick: width 32, 600 steps; full: width 64, 4000 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            embedding: run.size(32, 64),
            hidden: run.size(32, 64),
            training: Training {
                steps: run.steps_or(600, 4000),
                batch: 64,
                learning_rate: 3e-3,
                shortest: 5,
                longest: 10,
            },
            test_lengths: vec![5, 10, 15, 20],
            test_size: run.size(200, 1000),
        }
    }
}

/// Accuracy at one input count.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct AtLength {
    pub n: usize,
    /// Fraction of answers right in full.
    pub exact: f64,
    /// Fraction of answer positions right.
    pub stepwise: f64,
}

/// What the experiment measured, by test length.
pub struct Outcome {
    pub pointer: Vec<AtLength>,
    pub fixed_vocabulary: Vec<AtLength>,
}

impl Outcome {
    /// The pointer network's and the baseline's numbers at `n`.
    pub fn at(&self, n: usize) -> (AtLength, AtLength) {
        let find = |v: &[AtLength]| *v.iter().find(|a| a.n == n).expect("a tested length");
        (find(&self.pointer), find(&self.fixed_vocabulary))
    }
}

/// Trains both models and tests them at every length; writes `length-generalisation.json` and
/// `length-generalisation.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let task = PointerTask::Sort;
    let mut results = Vec::new();
    for (label, _, model) in
        train_both_arms(task, config.embedding, config.hidden, &config.training, run, &mut record)?
    {
        let mut by_length = Vec::new();
        record.define_curve(&format!("{label} exact"), "inputs n", "exact-match accuracy");
        for &n in &config.test_lengths {
            let batch = test_set(task, n, config.test_size, run.seed)?;
            let (exact, stepwise) = exact_and_stepwise(&batch, &answers(&model, &batch, 1, &run.device));
            record.push_point(&format!("{label} exact"), n as f64, exact);
            record.set_metric(format!("{label} exact n={n}"), exact);
            record.set_metric(format!("{label} stepwise n={n}"), stepwise);
            by_length.push(AtLength { n, exact, stepwise });
        }
        results.push(by_length);
    }
    let fixed_vocabulary = results.pop().expect("two arms");
    let outcome = Outcome { pointer: results.pop().expect("two arms"), fixed_vocabulary };
    draw(run, config, &outcome)?;
    record.add_picture("length-generalisation.svg");
    let longest_test = *config.test_lengths.last().expect("test lengths");
    let (pointer, fixed) = outcome.at(longest_test);
    record.add_claim(
        format!(
            "trained on {}-{} numbers, the pointer network sorts {longest_test}",
            config.training.shortest, config.training.longest
        ),
        "pointer exact match at the longest test length far above the fixed vocabulary's",
        format!(
            "pointer {:.3} exact ({:.3} of positions), fixed vocabulary {:.3} ({:.3})",
            pointer.exact, pointer.stepwise, fixed.exact, fixed.stepwise
        ),
        pointer.exact > fixed.exact + 0.2,
    );
    println!(
        "\n{:>4} {:>16} {:>16} {:>16} {:>16}",
        "n", "pointer exact", "pointer steps", "fixed exact", "fixed steps"
    );
    for (p, f) in outcome.pointer.iter().zip(&outcome.fixed_vocabulary) {
        println!("{:>4} {:>16.3} {:>16.3} {:>16.3} {:>16.3}", p.n, p.exact, p.stepwise, f.exact, f.stepwise);
    }
    run.finish(&mut record)?;
    Ok(outcome)
}

fn draw(run: &Run, config: &Config, outcome: &Outcome) -> Result<()> {
    let curve = |v: &[AtLength], pick: fn(&AtLength) -> f64| {
        v.iter().map(|a| (a.n as f64, pick(a))).collect::<Vec<_>>()
    };
    LineChart::new(format!(
        "Sorting, trained on n = {}-{}: accuracy by input count",
        config.training.shortest, config.training.longest
    ))
    .x_label("numbers to sort n")
    .y_label("accuracy (greedy)")
    .series("pointer: exact", curve(&outcome.pointer, |a| a.exact))
    .series("pointer: positions", curve(&outcome.pointer, |a| a.stepwise))
    .series("fixed vocabulary: exact", curve(&outcome.fixed_vocabulary, |a| a.exact))
    .series("fixed vocabulary: positions", curve(&outcome.fixed_vocabulary, |a| a.stepwise))
    .save_svg(run.picture_path("length-generalisation.svg"))
}
