//! Claim 2: a pointer network finds planar convex hulls: exact-match accuracy and the share of
//! the true hull's area that its polygon covers, by number of points.
//!
//! Vinyals et al. (2015, Table 1) train on n = 50 and reach 72.6% exact and 99.9% of the area
//! at n = 50 (LSTM with attention, the fixed-vocabulary baseline: 38.9% and 99.7%). Here, at CPU
//! scale, a pointer network and the fixed-vocabulary baseline train on 5-10 points (quick) or
//! 5-15 (full) and are tested by greedy decoding on up to twice as many. The answer is the
//! hull's vertices counter-clockwise from the lowest-numbered one, then STOP; a prediction that
//! is not a simple polygon covers no area. The baseline is the claim's control.

use super::plane::{AnswerPicture, draw_answer};
use super::pointer_training::{Training, answers, test_set, train_both_arms};
use crate::pointer_net::OutputKind;
use crate::tasks::convex_hull::{area_coverage, rotate_to_lowest};
use crate::tasks::{PointerBatch, PointerTask, points};
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;

/// The experiment's name: its record is `out/lecture-09-pointer-network/convex-hull.json`.
pub const NAME: &str = "convex-hull";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub embedding: usize,
    pub hidden: usize,
    pub training: Training,
    pub test_lengths: Vec<usize>,
    pub test_size: usize,
}

impl Config {
    /// Quick: 5-10 points, width 32, 800 steps; full: 5-15 points, width 64, 4000 steps.
    pub fn for_run(run: &Run) -> Config {
        let longest = run.size(10, 15);
        Config {
            embedding: run.size(32, 64),
            hidden: run.size(32, 64),
            training: Training {
                steps: run.steps_or(800, 4000),
                batch: 64,
                learning_rate: 3e-3,
                shortest: 5,
                longest,
            },
            test_lengths: run.size(vec![5, 10, 20], vec![5, 10, 15, 20, 30]),
            test_size: run.size(200, 1000),
        }
    }
}

/// Accuracy and area at one number of points.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct HullScore {
    pub n: usize,
    pub exact: f64,
    /// Mean share of the true hull's area covered.
    pub area: f64,
}

/// What the experiment measured, per model and test length.
pub struct Outcome {
    pub pointer: Vec<HullScore>,
    pub fixed_vocabulary: Vec<HullScore>,
}

impl Outcome {
    /// The pointer network's and the baseline's scores at `n`.
    pub fn at(&self, n: usize) -> (HullScore, HullScore) {
        let find = |v: &[HullScore]| *v.iter().find(|s| s.n == n).expect("a tested length");
        (find(&self.pointer), find(&self.fixed_vocabulary))
    }
}

/// Exact-match accuracy and mean area coverage of `answers` to `batch`.
pub fn score(batch: &PointerBatch, answers: &[Vec<usize>]) -> HullScore {
    let mut exact = 0;
    let mut area = 0.0;
    for (b, answer) in answers.iter().enumerate() {
        exact += usize::from(rotate_to_lowest(answer) == batch.answers[b]);
        area += area_coverage(&points(batch.instance(b)), answer, &batch.answers[b]);
    }
    HullScore { n: batch.n, exact: exact as f64 / answers.len() as f64, area: area / answers.len() as f64 }
}

/// Trains both models and tests them; writes `convex-hull.json`, `convex-hull-plane.svg` and
/// `convex-hull-pointer.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let task = PointerTask::ConvexHull;
    let mut scores = Vec::new();
    for (label, output, model) in
        train_both_arms(task, config.embedding, config.hidden, &config.training, run, &mut record)?
    {
        let mut by_length = Vec::new();
        for &n in &config.test_lengths {
            let batch = test_set(task, n, config.test_size, run.seed)?;
            let s = score(&batch, &answers(&model, &batch, 1, &run.device));
            record.set_metric(format!("{label} exact n={n}"), s.exact);
            record.set_metric(format!("{label} area n={n}"), s.area);
            by_length.push(s);
        }
        if output == OutputKind::Pointer {
            let picture = AnswerPicture {
                stem: "convex-hull",
                title: format!("Convex hull of {} points", config.training.longest),
                truth: "true hull",
                prediction: "pointer network",
            };
            draw_answer(run, &model, PointerTask::ConvexHull, config.training.longest, picture)?;
        }
        scores.push(by_length);
    }
    let outcome = Outcome {
        fixed_vocabulary: scores.pop().expect("two arms"),
        pointer: scores.pop().expect("two arms"),
    };
    for picture in ["convex-hull-plane.svg", "convex-hull-pointer.svg"] {
        record.add_picture(picture);
    }
    let n = config.training.longest;
    let (pointer, fixed) = outcome.at(n);
    record.add_claim(
        format!("a pointer network finds convex hulls of {n} points"),
        "exact match and area above the fixed-vocabulary baseline's",
        format!(
            "pointer {:.3} exact, {:.4} area; fixed vocabulary {:.3}, {:.4}",
            pointer.exact, pointer.area, fixed.exact, fixed.area
        ),
        pointer.exact > fixed.exact && pointer.area >= fixed.area,
    );
    println!(
        "\n{:>4} {:>14} {:>14} {:>14} {:>14}",
        "n", "pointer exact", "pointer area", "fixed exact", "fixed area"
    );
    for (p, f) in outcome.pointer.iter().zip(&outcome.fixed_vocabulary) {
        println!("{:>4} {:>14.3} {:>14.4} {:>14.3} {:>14.4}", p.n, p.exact, p.area, f.exact, f.area);
    }
    run.finish(&mut record)?;
    Ok(outcome)
}
