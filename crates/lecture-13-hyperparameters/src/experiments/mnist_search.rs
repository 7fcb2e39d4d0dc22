//! Claim 2 on real training runs, and the lecture's pictures: random search, GP-EI and TPE tune
//! the six hyperparameters of the MNIST MLP (learning rate, width, depth, dropout, initial scale,
//! batch size), each trial a real training run in the shared loop.
//!
//! Pictures: the best validation error so far per strategy; the GP's posterior mean and
//! uncertainty along the learning rate (the other five hyperparameters at the best trial's); the
//! trials over learning rate and width.

use super::curves::record_curve;
use crate::objective::Objective;
use crate::objectives::mnist_mlp::MnistMlp;
use crate::strategies::bayesian::{BayesianOptimisation, Model};
use crate::strategies::random::RandomSearch;
use crate::strategies::tpe::Tpe;
use crate::strategy::SearchStrategy;
use crate::trial::History;
use crate::tuner::{Execution, search};
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::{LineChart, ScatterPlot};

/// The experiment's name: its record is `out/lecture-13-hyperparameters/mnist-search.json`.
pub const NAME: &str = "mnist-search";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub trials: usize,
    /// Random trials before GP-EI and TPE fit their models.
    pub initial: usize,
    /// Training steps per trial.
    pub steps: u64,
    /// Validation images.
    pub validation: usize,
}

impl Config {
    /// Quick: 8 trials of 60 steps (4 random first), 500 validation images; full: 30 trials of
    /// 300 steps (8 random first), 1000 validation images. `--steps` sets the steps per trial.
    pub fn for_run(run: &Run) -> Config {
        Config {
            trials: run.size(8, 30),
            initial: run.size(4, 8),
            steps: run.steps_or(60, 300),
            validation: run.size(500, 1000),
        }
    }
}

/// What the experiment measured: each strategy's search.
pub struct Outcome {
    /// `(strategy, history)` for random, GP-EI, TPE.
    pub searches: Vec<(String, History)>,
}

/// Runs the three searches; writes `mnist-search.json` and its three pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let objective = MnistMlp::new(run.mnist()?, &run.device, config.steps, 1, config.validation)?;
    let d = objective.space().len();
    let mut gp = BayesianOptimisation::new(d, 1, config.initial, Model::GaussianProcess);
    let mut strategies: Vec<Box<dyn SearchStrategy>> =
        vec![Box::new(RandomSearch::new(d, 1)), Box::new(Tpe::new(d, 1, config.initial))];
    let mut searches = Vec::new();
    for strategy in &mut strategies {
        searches.push((
            strategy.name(),
            search(strategy.as_mut(), &objective, config.trials, run.seed, Execution::Parallel)?,
        ));
    }
    let gp_history = search(&mut gp, &objective, config.trials, run.seed, Execution::Parallel)?;
    searches.insert(1, (gp.name(), gp_history.clone()));
    let mut chart = LineChart::new("MNIST MLP: best validation error so far")
        .x_label("trials")
        .y_label("validation error");
    println!("\n{:<10} {:>16} {:>16}", "strategy", "best error", "trials to random's best");
    let random_best = searches[0].1.best_value();
    for (name, history) in &searches {
        let curve = history.best_so_far();
        record_curve(&mut record, name, "validation error", &curve);
        chart = chart.series(name.as_str(), curve.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y)));
        let reach = history.trials_to_reach(random_best).map_or(f64::NAN, |t| t as f64);
        record.set_metric(format!("{name}: best validation error"), history.best_value());
        record.set_metric(format!("{name}: trials to random's best"), reach);
        println!("{name:<10} {:>16.4} {:>16}", history.best_value(), reach);
    }
    chart.save_svg(run.picture_path("mnist-search-curves.svg"))?;
    record.add_picture("mnist-search-curves.svg");
    draw_gp_slice(run, &objective, &mut gp, &gp_history)?;
    record.add_picture("mnist-search-gp-slice.svg");
    draw_trials(run, &objective, &searches)?;
    record.add_picture("mnist-search-trials.svg");
    let gp_reach = searches[1].1.trials_to_reach(random_best);
    record.add_claim(
        format!(
            "GP-EI reaches random search's {}-trial best on the MNIST MLP in fewer trials",
            config.trials
        ),
        format!("trials to random's best < {}", config.trials),
        format!("{gp_reach:?} (random's best {random_best:.4}, GP-EI's {:.4})", searches[1].1.best_value()),
        gp_reach.is_some_and(|t| t < config.trials),
    );
    run.finish(&mut record)?;
    Ok(Outcome { searches })
}

/// The GP fitted to GP-EI's trials, along the learning rate through the best trial: mean and
/// mean ± 2 sd of the validation error, and the trials themselves.
fn draw_gp_slice(
    run: &Run,
    objective: &MnistMlp,
    gp: &mut BayesianOptimisation,
    history: &History,
) -> Result<()> {
    let (model, mean, sd) = gp.fit(history)?;
    let lr = objective.space().index_of("learning rate").expect("a learning-rate axis");
    let best = history.best_at_full_budget().expect("at least one trial").point.clone();
    let log_lr = |u: f64| objective.space().dimensions[lr].value(u).log10();
    let slice: Vec<(f64, f64, f64)> = (0..=100)
        .map(|i| {
            let mut x = best.clone();
            x[lr] = i as f64 / 100.0;
            let (m, v) = model.posterior(&x);
            (log_lr(x[lr]), mean + sd * m, sd * v.sqrt())
        })
        .collect();
    let band = |k: f64| slice.iter().map(move |&(x, m, s)| (x, m + k * s));
    LineChart::new("GP posterior along the learning rate (other hyperparameters at the best trial's)")
        .x_label("log10 learning rate")
        .y_label("validation error")
        .series("posterior mean", band(0.0))
        .series("mean + 2 sd", band(2.0))
        .series("mean - 2 sd", band(-2.0))
        .series("GP-EI trials (all axes)", history.trials.iter().map(|t| (log_lr(t.point[lr]), t.value)))
        .save_svg(run.picture_path("mnist-search-gp-slice.svg"))
}

/// Every strategy's trials over (learning rate, width).
fn draw_trials(run: &Run, objective: &MnistMlp, searches: &[(String, History)]) -> Result<()> {
    let space = objective.space();
    let (lr, width) = (space.index_of("learning rate").expect("lr"), space.index_of("width").expect("width"));
    let mut plot = ScatterPlot::new("Trials over two hyperparameters")
        .x_label("log10 learning rate")
        .y_label("log2 width");
    for (name, history) in searches {
        plot = plot.group(
            name.as_str(),
            history.trials.iter().map(|t| {
                (
                    space.dimensions[lr].value(t.point[lr]).log10(),
                    space.dimensions[width].value(t.point[width]).log2(),
                )
            }),
        );
    }
    plot.save_svg(run.picture_path("mnist-search-trials.svg"))
}
