//! Claim 2 on the synthetic functions: model-based search reaches random search's best score in
//! fewer trials (Snoek, Larochelle and Adams 2012, Fig. 3: Branin-Hoo and friends; Bergstra et
//! al. 2011 for TPE).
//!
//! For every seed, random search runs `trials` trials; its best regret is the target. GP-EI, TPE
//! and the control (GP-EI with its model replaced by a constant: random proposals through the
//! same code) each run `trials` trials with the same seed; we count the trials each needs to
//! reach the target (`trials + 1` when it never does). Random against random needs the full
//! budget half of the time, so the control's median sits near `trials`.

use super::curves::{median_best_so_far, record_curve};
use crate::objective::Objective;
use crate::objectives::synthetic::{Function, Synthetic};
use crate::strategies::bayesian::{BayesianOptimisation, Model};
use crate::strategies::random::RandomSearch;
use crate::strategies::tpe::Tpe;
use crate::strategy::SearchStrategy;
use crate::trial::History;
use crate::tuner::{Execution, search};
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::stats::median;

/// The experiment's name: its record is `out/lecture-13-hyperparameters/model-based.json`.
pub const NAME: &str = "model-based";

/// "In fewer trials": the median trials to random's best is at most this fraction of its budget.
pub const FEWER_FRACTION: f64 = 0.6;

/// The model-based arms and the control, in the order of [`Arms`].
pub const STRATEGIES: [&str; 3] = ["GP-EI", "TPE", "GP-EI without model"];

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub functions: Vec<Function>,
    pub seeds: usize,
    /// Random search's budget, and every arm's.
    pub trials: usize,
    /// Random trials before a model is fitted.
    pub initial: usize,
}

impl Config {
    /// Branin and Hartmann 6, 30 trials (5 initial); quick: 30 seeds, full: 100.
    pub fn for_run(run: &Run) -> Config {
        Config {
            functions: vec![Function::Branin, Function::Hartmann6],
            seeds: run.size(30, 100),
            trials: 30,
            initial: 5,
        }
    }
}

/// Per function: the trials each arm needed to reach random search's best, per seed.
#[derive(Clone, Debug)]
pub struct Arms {
    pub function: Function,
    /// `[GP-EI, TPE, control]` x seeds.
    pub trials_to_target: [Vec<usize>; 3],
}

impl Arms {
    /// The median trials to the target of arm `arm` (an index into [`STRATEGIES`]).
    pub fn median_trials(&self, arm: usize) -> f64 {
        median(&self.trials_to_target[arm].iter().map(|&t| t as f64).collect::<Vec<_>>())
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub functions: Vec<Arms>,
    pub trials: usize,
}

/// The strategy of arm `arm` (or random search for `None`).
fn strategy(arm: Option<usize>, dimensions: usize, initial: usize) -> Box<dyn SearchStrategy> {
    match arm {
        None => Box::new(RandomSearch::new(dimensions, 1)),
        Some(0) => Box::new(BayesianOptimisation::new(dimensions, 1, initial, Model::GaussianProcess)),
        Some(1) => Box::new(Tpe::new(dimensions, 1, initial)),
        Some(_) => Box::new(BayesianOptimisation::new(dimensions, 1, initial, Model::Constant)),
    }
}

/// Random search and the three arms on `function` for every seed: `[random, GP, TPE, control]`.
fn histories(run: &Run, config: &Config, function: Function) -> Result<Vec<[History; 4]>> {
    (0..config.seeds)
        .into_par_iter()
        .map(|k| {
            let objective = Synthetic::new(function, 0);
            let dimensions = if function == Function::Branin { 2 } else { 6 };
            let runs = [None, Some(0), Some(1), Some(2)]
                .into_iter()
                .map(|arm| {
                    // Each arm its own seed: the control must not replay random search's points.
                    let seed = sub_seed(sub_seed(run.seed, k as u64), arm.map_or(0, |a| a as u64 + 1));
                    let mut strategy = strategy(arm, dimensions, config.initial);
                    search(strategy.as_mut(), &objective, config.trials, seed, Execution::Sequential)
                })
                .collect::<Result<Vec<History>>>()?;
            Ok(runs.try_into().expect("four runs"))
        })
        .collect()
}

/// Runs every function; writes `model-based.json` and one curve picture per function.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mut functions = Vec::new();
    println!("\n{:<12} {:>24}", "function", "median trials to random's best");
    for &function in &config.functions {
        let objective = Synthetic::new(function, 0);
        let histories = histories(run, config, function)?;
        let trials_to_target = std::array::from_fn(|arm| {
            histories
                .iter()
                .map(|h| h[arm + 1].trials_to_reach(h[0].best_value()).unwrap_or(config.trials + 1))
                .collect()
        });
        let arms = Arms { function, trials_to_target };
        let name = objective.name();
        let mut chart = LineChart::new(format!("{name}: median best regret over {} seeds", config.seeds))
            .x_label("trials")
            .y_label("best regret so far")
            .log_y(true);
        for (i, label) in ["random"].iter().chain(STRATEGIES.iter()).enumerate() {
            let runs: Vec<History> = histories.iter().map(|h| h[i].clone()).collect();
            let curve = median_best_so_far(&runs);
            record_curve(&mut record, &format!("{name}: {label}"), "median best regret", &curve);
            chart = chart.series(*label, curve.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y)));
        }
        let file = format!("model-based-{}.svg", name.to_lowercase().replace(' ', "-"));
        chart.save_svg(run.picture_path(&file))?;
        record.add_picture(file);
        for (arm, label) in STRATEGIES.iter().enumerate() {
            record.set_metric(
                format!("{name}: {label} median trials to random's best"),
                arms.median_trials(arm),
            );
        }
        println!(
            "{name:<12} GP-EI {:>5.1}  TPE {:>5.1}  GP-EI without model {:>5.1}  (random: {})",
            arms.median_trials(0),
            arms.median_trials(1),
            arms.median_trials(2),
            config.trials
        );
        record.add_claim(
            format!("{name}: GP-EI reaches random search's {}-trial best in fewer trials", config.trials),
            format!("median trials <= {FEWER_FRACTION} x {}", config.trials),
            format!(
                "GP-EI {:.1}, TPE {:.1}, without model {:.1}",
                arms.median_trials(0),
                arms.median_trials(1),
                arms.median_trials(2)
            ),
            arms.median_trials(0) <= FEWER_FRACTION * config.trials as f64,
        );
        functions.push(arms);
    }
    run.finish(&mut record)?;
    Ok(Outcome { functions, trials: config.trials })
}
