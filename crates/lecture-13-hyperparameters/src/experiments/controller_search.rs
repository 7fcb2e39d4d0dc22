//! Claim 3: the REINFORCE controller's proposals improve: the mean reward of its samples rises
//! over the iterations and ends above random sampling of the same space (Zoph and Le 2017,
//! Fig. 7 in the 2017 version: the accuracy of sampled architectures rising with iterations).
//!
//! The space is Hartmann 6 on 4 options per axis: 4^6 = 4096 configurations, few enough to
//! enumerate, so random sampling's mean reward is known exactly (not estimated). The reward of
//! a configuration is minus its regret. The control is the same controller with learning rate 0:
//! its policy never changes. Each arm runs on several seeds; the claim reads the median.

use crate::objectives::synthetic::{Function, Synthetic};
use crate::strategies::controller::{ControllerConfig, ControllerSearch};
use crate::tuner::{Execution, search};
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::stats::median;

/// The experiment's name: its record is `out/lecture-13-hyperparameters/controller.json`.
pub const NAME: &str = "controller";

/// "Improves": the last iterations' mean reward beats random sampling's and the first
/// iterations' by at least this (regret units: random sampling averages -3.05, the best is -0.55).
pub const MARGIN: f64 = 0.5;
/// Iterations averaged at the start and at the end.
pub const WINDOW: usize = 5;

/// Options per axis.
const OPTIONS: usize = 4;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub controller: ControllerConfig,
    pub iterations: usize,
    pub seeds: usize,
}

impl Config {
    /// Hidden size 32, 10 samples per iteration, Adam at 0.02; quick: 40 iterations, 3 seeds;
    /// full: 100 iterations, 5 seeds.
    pub fn for_run(run: &Run) -> Config {
        Config {
            controller: ControllerConfig {
                options: vec![OPTIONS; 6],
                hidden: 32,
                samples: 10,
                learning_rate: 0.02,
                budget: 1,
            },
            iterations: run.size(40, 100),
            seeds: run.size(3, 5),
        }
    }
}

/// One arm's mean reward per iteration, per seed.
#[derive(Clone, Debug)]
pub struct Learning {
    pub mean_rewards: Vec<Vec<f64>>,
}

impl Learning {
    /// The median over seeds of the mean reward of the first (`last` false) or last iterations.
    pub fn window(&self, last: bool) -> f64 {
        let windowed: Vec<f64> = self
            .mean_rewards
            .iter()
            .map(|r| {
                let w = if last { &r[r.len() - WINDOW..] } else { &r[..WINDOW] };
                w.iter().sum::<f64>() / WINDOW as f64
            })
            .collect();
        median(&windowed)
    }

    /// Whether the arm improves: its end beats random sampling and its start by [`MARGIN`].
    pub fn improves(&self, uniform: f64) -> bool {
        self.window(true) > uniform + MARGIN && self.window(true) > self.window(false) + MARGIN
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub trained: Learning,
    pub frozen: Learning,
    /// The mean reward of a uniform draw from the 4096 configurations (exact).
    pub uniform: f64,
    /// The best reward in the space.
    pub best: f64,
}

/// The reward of every configuration: `(mean, best)`.
fn enumerate(objective: &Synthetic) -> (f64, f64) {
    let count = OPTIONS.pow(6);
    let rewards: Vec<f64> = (0..count)
        .map(|mut n| {
            let point: Vec<f64> = (0..6)
                .map(|_| {
                    let a = n % OPTIONS;
                    n /= OPTIONS;
                    (a as f64 + 0.5) / OPTIONS as f64
                })
                .collect();
            -objective.regret(&point)
        })
        .collect();
    (rewards.iter().sum::<f64>() / count as f64, rewards.iter().copied().fold(f64::NEG_INFINITY, f64::max))
}

/// Trains a controller with `learning_rate` on every seed.
fn learn(run: &Run, config: &Config, objective: &Synthetic, learning_rate: f64) -> Result<Learning> {
    let mut mean_rewards = Vec::new();
    for k in 0..config.seeds {
        let seed = sub_seed(run.seed, k as u64);
        let controller = ControllerConfig { learning_rate, ..config.controller.clone() };
        let mut strategy = ControllerSearch::new(controller, seed, &run.device);
        // One more batch than iterations: the last batch's rewards are learned from when the
        // next is asked for, and the search stops at the trial limit before that.
        let trials = config.iterations * config.controller.samples;
        let history = search(&mut strategy, objective, trials, seed, Execution::Parallel)?;
        let rewards: Vec<f64> = history
            .trials
            .chunks(config.controller.samples)
            .map(|c| -c.iter().map(|t| t.value).sum::<f64>() / c.len() as f64)
            .collect();
        mean_rewards.push(rewards);
    }
    Ok(Learning { mean_rewards })
}

/// Runs both arms; writes `controller.json` and `controller-reward.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let objective = Synthetic::new(Function::Hartmann6, 0);
    let (uniform, best) = enumerate(&objective);
    let trained = learn(run, config, &objective, config.controller.learning_rate)?;
    let frozen = learn(run, config, &objective, 0.0)?;
    let mut chart = LineChart::new("Hartmann 6 on 4^6 configurations: the controller's samples")
        .x_label("iteration")
        .y_label("median mean reward (-regret)")
        .reference_line("random sampling (exact)", uniform)
        .reference_line("best configuration", best);
    for (name, arm) in [("REINFORCE", &trained), ("learning rate 0", &frozen)] {
        let curve: Vec<f64> = (0..config.iterations)
            .map(|i| median(&arm.mean_rewards.iter().map(|r| r[i]).collect::<Vec<_>>()))
            .collect();
        record.define_curve(name, "iteration", "median mean reward");
        for (i, &y) in curve.iter().enumerate() {
            record.push_point(name, (i + 1) as f64, y);
        }
        chart = chart.series(name, curve.iter().enumerate().map(|(i, &y)| ((i + 1) as f64, y)));
        record.set_metric(format!("{name}: first {WINDOW} iterations"), arm.window(false));
        record.set_metric(format!("{name}: last {WINDOW} iterations"), arm.window(true));
    }
    chart.save_svg(run.picture_path("controller-reward.svg"))?;
    record.add_picture("controller-reward.svg");
    record.set_metric("random sampling mean reward", uniform);
    record.set_metric("best reward", best);
    record.add_claim(
        "the controller's samples improve and end above random sampling",
        format!("last {WINDOW} iterations > random + {MARGIN} and > first {WINDOW} + {MARGIN}"),
        format!(
            "first {:.3}, last {:.3}, random {uniform:.3}; learning rate 0: {:.3} -> {:.3}",
            trained.window(false),
            trained.window(true),
            frozen.window(false),
            frozen.window(true)
        ),
        trained.improves(uniform),
    );
    println!("\n{:<18} {:>8} {:>8}   (random sampling {uniform:.3}, best {best:.3})", "arm", "first", "last");
    for (name, arm) in [("REINFORCE", &trained), ("learning rate 0", &frozen)] {
        println!("{name:<18} {:>8.3} {:>8.3}", arm.window(false), arm.window(true));
    }
    run.finish(&mut record)?;
    Ok(Outcome { trained, frozen, uniform, best })
}
