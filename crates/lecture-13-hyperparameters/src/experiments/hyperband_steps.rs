//! Claim 4: Hyperband finds a configuration as good as random search's for a fraction of the
//! total training steps (Li et al. 2017, Fig. 3-5: the same test error several times sooner).
//!
//! Random search trains as many configurations as one run of Hyperband draws, each to the full
//! budget `R`; Hyperband (`η = 3`) draws them in brackets and stops most early. Both on the MNIST
//! MLP objective, several seeds. The control is Hyperband without early stopping: the same
//! brackets with every configuration trained to `R`.

use crate::objectives::mnist_mlp::MnistMlp;
use crate::strategies::hyperband::Hyperband;
use crate::strategies::random::RandomSearch;
use crate::strategy::SearchStrategy;
use crate::trial::History;
use crate::tuner::{Execution, search};
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::stats::median;

/// The experiment's name: its record is `out/lecture-13-hyperparameters/hyperband.json`.
pub const NAME: &str = "hyperband";

/// "As good": Hyperband's median best validation error exceeds random's by at most this.
pub const AS_GOOD: f64 = 0.02;
/// "A fraction": Hyperband's median total steps are at most this fraction of random's.
pub const FRACTION: f64 = 0.6;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// `R`, in budget units.
    pub max_budget: u64,
    pub steps_per_unit: u64,
    pub eta: u64,
    pub seeds: usize,
    pub validation: usize,
}

impl Config {
    /// η = 3, 10 steps a unit; quick: R = 9 (90 steps), 500 validation images; full:
    /// R = 27 (270 steps), 1000 images; 3 seeds.
    pub fn for_run(run: &Run) -> Config {
        Config {
            max_budget: run.size(9, 27),
            steps_per_unit: 10,
            eta: 3,
            seeds: 3,
            validation: run.size(500, 1000),
        }
    }
}

/// One arm's result per seed.
#[derive(Clone, Debug, Default)]
pub struct Arm {
    /// The best validation error among the configurations trained to `R`.
    pub best: Vec<f64>,
    /// Training steps of the whole search.
    pub steps: Vec<u64>,
}

impl Arm {
    pub fn median_best(&self) -> f64 {
        median(&self.best)
    }

    pub fn median_steps(&self) -> f64 {
        median(&self.steps.iter().map(|&s| s as f64).collect::<Vec<_>>())
    }

    /// Whether this arm is as good as `random` for at most [`FRACTION`] of its steps.
    pub fn as_good_for_a_fraction(&self, random: &Arm) -> bool {
        self.median_best() <= random.median_best() + AS_GOOD
            && self.median_steps() <= FRACTION * random.median_steps()
    }

    fn push(&mut self, history: &History) {
        self.best.push(history.best_at_full_budget().map_or(f64::NAN, |t| t.value));
        self.steps.push(history.total_cost());
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub random: Arm,
    pub hyperband: Arm,
    pub without_early_stopping: Arm,
    /// Configurations per search.
    pub configurations: usize,
}

/// Runs the three arms; writes `hyperband.json`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let objective = MnistMlp::new(
        run.mnist()?,
        &run.device,
        config.steps_per_unit,
        config.max_budget,
        config.validation,
    )?;
    let d = 6;
    let configurations = Hyperband::new(d, config.max_budget, config.eta, true)?.plan().0;
    let (mut random, mut hyperband, mut without) = (Arm::default(), Arm::default(), Arm::default());
    for k in 0..config.seeds {
        let seed = sub_seed(run.seed, k as u64);
        // Random search stops at Hyperband's number of configurations; Hyperband at its plan's end.
        let arms: [(&mut Arm, Box<dyn SearchStrategy>, usize); 3] = [
            (&mut random, Box::new(RandomSearch::new(d, config.max_budget)), configurations),
            (&mut hyperband, Box::new(Hyperband::new(d, config.max_budget, config.eta, true)?), usize::MAX),
            (&mut without, Box::new(Hyperband::new(d, config.max_budget, config.eta, false)?), usize::MAX),
        ];
        for (arm, mut strategy, limit) in arms {
            arm.push(&search(strategy.as_mut(), &objective, limit, seed, Execution::Parallel)?);
        }
    }
    println!("\n{:<34} {:>12} {:>14}", "arm", "best error", "total steps");
    for (name, arm) in
        [("random", &random), ("Hyperband", &hyperband), ("Hyperband without early stopping", &without)]
    {
        record.set_metric(format!("{name}: median best validation error"), arm.median_best());
        record.set_metric(format!("{name}: median total steps"), arm.median_steps());
        println!("{name:<34} {:>12.4} {:>14.0}", arm.median_best(), arm.median_steps());
    }
    record.set_metric("configurations per search", configurations as f64);
    record.add_claim(
        "Hyperband finds a configuration as good as random search's for a fraction of the steps",
        format!("median best <= random's + {AS_GOOD}; median steps <= {FRACTION} x random's"),
        format!(
            "best {:.4} vs {:.4}; steps {:.0} vs {:.0}",
            hyperband.median_best(),
            random.median_best(),
            hyperband.median_steps(),
            random.median_steps()
        ),
        hyperband.as_good_for_a_fraction(&random),
    );
    run.finish(&mut record)?;
    Ok(Outcome { random, hyperband, without_early_stopping: without, configurations })
}
