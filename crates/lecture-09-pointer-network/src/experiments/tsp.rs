//! Claim 3: a pointer network learns planar TSP tours close to the optimum; beam search
//! shortens its tours over greedy decoding.
//!
//! Vinyals et al. (2015, Table 2), one model per n, trained on optimal tours: mean tour length
//! n = 5 optimal 2.12, Ptr-Net 2.12; n = 10 2.87 vs 2.88; n = 20 (trained on 2-opt-quality
//! tours) 3.83 vs 3.88. Here, at CPU scale, one pointer network trains on 5 to 6 cities (quick)
//! or 5 to 10 (full), with exact Held-Karp tours as answers, and is tested on the same numbers
//! of cities: greedy and beam-search tours against the optimum (Held-Karp, n <= 12) and the
//! nearest-neighbour tour. The control is the fixed-vocabulary baseline trained the same way.

use super::plane::{AnswerPicture, draw_answer};
use super::pointer_training::{Training, answers, test_set, train_both_arms};
use crate::pointer_net::OutputKind;
use crate::tasks::tsp::{nearest_neighbour, tour_length};
use crate::tasks::{PointerBatch, PointerTask, points};
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;

/// The experiment's name: its record is `out/lecture-09-pointer-network/tsp.json`.
pub const NAME: &str = "tsp";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub embedding: usize,
    pub hidden: usize,
    pub training: Training,
    pub test_lengths: Vec<usize>,
    pub test_size: usize,
    /// Beams of the beam search.
    pub beam: usize,
}

impl Config {
    /// Quick: 5-6 cities, width 32, 1500 steps; full: 5-10 cities, width 64, 4000 steps; beam 5.
    pub fn for_run(run: &Run) -> Config {
        Config {
            embedding: run.size(32, 64),
            hidden: run.size(32, 64),
            training: Training {
                steps: run.steps_or(1500, 4000),
                batch: 64,
                learning_rate: 3e-3,
                shortest: 5,
                longest: run.size(6, 10),
            },
            test_lengths: run.size(vec![5, 6], vec![5, 10]),
            test_size: run.size(200, 1000),
            beam: 5,
        }
    }
}

/// Mean tour lengths at one number of cities.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Tours {
    pub n: usize,
    pub optimal: f64,
    pub nearest_neighbour: f64,
    pub greedy: f64,
    pub beam: f64,
}

/// What the experiment measured: per test length, the pointer network's tours and the
/// fixed-vocabulary baseline's.
pub struct Outcome {
    pub pointer: Vec<Tours>,
    pub fixed_vocabulary: Vec<Tours>,
}

/// The mean length of `tours` of `batch`'s instances.
fn mean_length(batch: &PointerBatch, tours: &[Vec<usize>]) -> f64 {
    let total: f64 = tours.iter().enumerate().map(|(b, t)| tour_length(&points(batch.instance(b)), t)).sum();
    total / tours.len() as f64
}

/// Trains both models and tests them; writes `tsp.json`, `tsp-plane.svg` and `tsp-pointer.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let task = PointerTask::Tsp;
    let mut results = Vec::new();
    for (label, output, model) in
        train_both_arms(task, config.embedding, config.hidden, &config.training, run, &mut record)?
    {
        let mut by_length = Vec::new();
        for &n in &config.test_lengths {
            let batch = test_set(task, n, config.test_size, run.seed)?;
            let nearest: Vec<Vec<usize>> =
                (0..batch.batch).map(|b| nearest_neighbour(&points(batch.instance(b)))).collect();
            let tours = Tours {
                n,
                optimal: mean_length(&batch, &batch.answers),
                nearest_neighbour: mean_length(&batch, &nearest),
                greedy: mean_length(&batch, &answers(&model, &batch, 1, &run.device)),
                beam: mean_length(&batch, &answers(&model, &batch, config.beam, &run.device)),
            };
            for (what, value) in [("greedy", tours.greedy), ("beam", tours.beam)] {
                record.set_metric(format!("{label} {what} n={n}"), value);
            }
            record.set_metric(format!("optimal n={n}"), tours.optimal);
            record.set_metric(format!("nearest neighbour n={n}"), tours.nearest_neighbour);
            by_length.push(tours);
        }
        if output == OutputKind::Pointer {
            let picture = AnswerPicture {
                stem: "tsp",
                title: format!("Tour of {} cities", config.training.longest),
                truth: "optimal tour",
                prediction: "pointer network (greedy)",
            };
            draw_answer(run, &model, PointerTask::Tsp, config.training.longest, picture)?;
        }
        results.push(by_length);
    }
    let outcome = Outcome {
        fixed_vocabulary: results.pop().expect("two arms"),
        pointer: results.pop().expect("two arms"),
    };
    record.add_picture("tsp-plane.svg");
    record.add_picture("tsp-pointer.svg");
    let (p, f) = (outcome.pointer[0], outcome.fixed_vocabulary[0]);
    record.add_claim(
        format!("pointer network tours of {} cities are near the optimum; beam search shortens them", p.n),
        "greedy within 5% of optimal; beam <= greedy; fixed vocabulary longer",
        format!("optimal {:.3}, pointer greedy {:.3} / beam {:.3}, fixed vocabulary {:.3}, nearest neighbour {:.3}", p.optimal, p.greedy, p.beam, f.greedy, p.nearest_neighbour),
        p.greedy < 1.05 * p.optimal && p.beam <= p.greedy && f.greedy > p.greedy,
    );
    println!(
        "\n{:>4} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "n", "optimal", "nearest", "greedy", "beam", "fixed", "fixed bm"
    );
    for (p, f) in outcome.pointer.iter().zip(&outcome.fixed_vocabulary) {
        println!(
            "{:>4} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            p.n, p.optimal, p.nearest_neighbour, p.greedy, p.beam, f.greedy, f.beam
        );
    }
    run.finish(&mut record)?;
    Ok(outcome)
}
