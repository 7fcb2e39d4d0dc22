//! Claim 1: random search beats grid search at the same budget when few hyperparameters matter
//! (Bergstra and Bengio 2012, Fig. 1 and the experiments of their Section 4).
//!
//! Both searches get 64 trials in 6 dimensions: the grid is 2 levels per axis; random search
//! draws 64 uniform points. On the 2-of-6 bowl only 2 axes matter: the grid tries 2 values of
//! each (every one 16 times), random search 64. On the all-6 bowl every axis matters equally
//! (the negative control): the grid's even coverage is then worth as much as random's. Each
//! seed places the bowl's centre anew; the claim compares the medians over the seeds of the best
//! regret found.

use super::curves::{median_best_so_far, record_curve};
use crate::objectives::synthetic::{Function, Synthetic};
use crate::strategies::grid::GridSearch;
use crate::strategies::random::RandomSearch;
use crate::strategy::SearchStrategy;
use crate::trial::History;
use crate::tuner::{Execution, search};
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::{LineChart, ScatterPlot};
use shared::stats::median;

/// The experiment's name: its record is `out/lecture-13-hyperparameters/random-vs-grid.json`.
pub const NAME: &str = "random-vs-grid";

/// "Beats": grid's median best regret is at least this many times random's (measured 2.8 at the
/// quick size; 0.57 when all six axes matter).
pub const BEATS_RATIO: f64 = 2.0;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Independent searches (bowl centres) per arm.
    pub seeds: usize,
    /// Trials of each search.
    pub trials: usize,
}

impl Config {
    /// 64 trials; quick: 30 seeds, full: 200.
    pub fn for_run(run: &Run) -> Config {
        Config { seeds: run.size(30, 200), trials: 64 }
    }
}

/// Grid against random on one function: the best regret of every seed.
#[derive(Clone, Debug)]
pub struct Arms {
    pub grid: Vec<f64>,
    pub random: Vec<f64>,
}

impl Arms {
    /// `median(grid) / median(random)`: how many times better random search's median is.
    pub fn ratio(&self) -> f64 {
        median(&self.grid) / median(&self.random)
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub two_of_six: Arms,
    pub all_six: Arms,
}

/// The seed of search `k`'s bowl.
fn bowl_seed(run: &Run, k: usize) -> u64 {
    sub_seed(run.seed, k as u64)
}

/// Grid and random search on `function` for every seed; draws the median curves into `record`.
fn compare(run: &Run, config: &Config, function: Function) -> Result<(Arms, Vec<History>, Vec<History>)> {
    let histories: Vec<(History, History)> = (0..config.seeds)
        .into_par_iter()
        .map(|k| {
            let objective = Synthetic::new(function, bowl_seed(run, k));
            let mut grid = GridSearch::within(config.trials, 6, 1)?;
            let mut random = RandomSearch::new(6, 1);
            let seed = bowl_seed(run, k);
            let grid = search(
                &mut grid as &mut dyn SearchStrategy,
                &objective,
                config.trials,
                seed,
                Execution::Sequential,
            )?;
            let random = search(&mut random, &objective, config.trials, seed, Execution::Sequential)?;
            Ok((grid, random))
        })
        .collect::<Result<_>>()?;
    let (grid, random): (Vec<History>, Vec<History>) = histories.into_iter().unzip();
    let arms = Arms {
        grid: grid.iter().map(History::best_value).collect(),
        random: random.iter().map(History::best_value).collect(),
    };
    Ok((arms, grid, random))
}

/// Runs both functions; writes `random-vs-grid.json`, the median curves and the projection.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let (two_of_six, grid2, random2) = compare(run, config, Function::TwoOfSix)?;
    let (all_six, grid6, random6) = compare(run, config, Function::AllSix)?;
    let mut chart = LineChart::new(format!("Median best regret over {} seeds", config.seeds))
        .x_label("trials")
        .y_label("best regret so far")
        .log_y(true);
    for (name, histories) in [
        ("2 of 6: grid", &grid2),
        ("2 of 6: random", &random2),
        ("all 6: grid", &grid6),
        ("all 6: random", &random6),
    ] {
        let curve = median_best_so_far(histories);
        record_curve(&mut record, name, "median best regret", &curve);
        chart = chart.series(name, curve.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y)));
    }
    chart.save_svg(run.picture_path("random-vs-grid-curves.svg"))?;
    record.add_picture("random-vs-grid-curves.svg");
    draw_projection(run, &grid2[0], &random2[0])?;
    record.add_picture("random-vs-grid-projection.svg");
    for (function, arms) in [("2 of 6", &two_of_six), ("all 6", &all_six)] {
        record.set_metric(format!("{function}: grid median best regret"), median(&arms.grid));
        record.set_metric(format!("{function}: random median best regret"), median(&arms.random));
        record.set_metric(format!("{function}: grid / random"), arms.ratio());
    }
    record.add_claim(
        "random search beats grid search at 64 trials when 2 of 6 hyperparameters matter",
        format!("median best regret: grid >= {BEATS_RATIO} x random"),
        format!(
            "grid {:.4}, random {:.4} (ratio {:.1})",
            median(&two_of_six.grid),
            median(&two_of_six.random),
            two_of_six.ratio()
        ),
        two_of_six.ratio() >= BEATS_RATIO,
    );
    record.add_claim(
        "... but not when all 6 matter equally (control)",
        format!("median best regret: grid < {BEATS_RATIO} x random"),
        format!(
            "grid {:.4}, random {:.4} (ratio {:.2})",
            median(&all_six.grid),
            median(&all_six.random),
            all_six.ratio()
        ),
        all_six.ratio() < BEATS_RATIO,
    );
    println!("\n{:<8} {:>14} {:>14} {:>8}", "function", "grid", "random", "ratio");
    for (function, arms) in [("2 of 6", &two_of_six), ("all 6", &all_six)] {
        println!(
            "{function:<8} {:>14.5} {:>14.5} {:>8.2}",
            median(&arms.grid),
            median(&arms.random),
            arms.ratio()
        );
    }
    run.finish(&mut record)?;
    Ok(Outcome { two_of_six, all_six })
}

/// The trials of one seed projected on the important axis `x1`: the grid's 64 points sit on
/// two values, random search's on 64.
fn draw_projection(run: &Run, grid: &History, random: &History) -> Result<()> {
    let points = |h: &History| h.trials.iter().map(|t| (t.point[0], t.value)).collect::<Vec<_>>();
    ScatterPlot::new("2-of-6 bowl, 64 trials: regret against the important axis")
        .x_label("x1 (matters)")
        .y_label("regret")
        .group("grid (2 distinct values)", points(grid))
        .group("random (64 distinct values)", points(random))
        .save_svg(run.picture_path("random-vs-grid-projection.svg"))
}
