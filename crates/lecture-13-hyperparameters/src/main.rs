//! `cargo run -p lecture-13-hyperparameters [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo: grid against random search (claim 1),
//! model-based against random search on the synthetic functions (claim 2) and on the MNIST MLP.
//! This file only parses flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_13_hyperparameters::bench_workload::TrialStep;
use lecture_13_hyperparameters::experiments::{
    controller_search, hyperband_steps, mnist_search, model_based, random_vs_grid,
};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-13-hyperparameters";

/// Lecture 13: hyperparameter search (grid, random, Bayesian optimisation, TPE, Hyperband, an
/// RNN controller trained with REINFORCE).
///
/// With no experiment named, runs the headline demo: grid against random search on a function
/// where 2 of 6 hyperparameters matter (claim 1), GP-EI and TPE against random search on Branin
/// and Hartmann 6 (claim 2), and all three tuning a small MNIST MLP; about two minutes on a
/// laptop CPU, seconds with --quick.
#[derive(Parser, Debug)]
#[command(name = CRATE, version)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    steps: StepsArg,
    #[command(flatten)]
    mnist: MnistDirArg,
    #[command(subcommand)]
    experiment: Option<Experiment>,
}

/// One experiment per claim of the lecture.
#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
enum Experiment {
    /// Claim 1: random search beats grid search at 64 trials when only 2 of 6 hyperparameters matter.
    RandomVsGrid,
    /// Claim 2: GP-EI (and TPE) reach random search's best in fewer trials on Branin and Hartmann 6.
    ModelBased,
    /// Claim 2 on real training runs: random, GP-EI and TPE tune an MNIST MLP (--steps: per trial).
    MnistSearch,
    /// Claim 3: the REINFORCE controller's samples improve and end above random sampling.
    Controller,
    /// Claim 4: Hyperband finds as good an MNIST MLP as random search for a fraction of the steps.
    Hyperband,
    /// Not a claim: times a training step of the MNIST MLP trial (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-13-hyperparameters` runs with no experiment named.
const HEADLINE: [Experiment; 3] = [Experiment::RandomVsGrid, Experiment::ModelBased, Experiment::MnistSearch];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::RandomVsGrid => {
                drop(random_vs_grid::run(run, &random_vs_grid::Config::for_run(run))?)
            }
            Experiment::ModelBased => drop(model_based::run(run, &model_based::Config::for_run(run))?),
            Experiment::MnistSearch => drop(mnist_search::run(run, &mnist_search::Config::for_run(run))?),
            Experiment::Controller => {
                drop(controller_search::run(run, &controller_search::Config::for_run(run))?)
            }
            Experiment::Hyperband => drop(hyperband_steps::run(run, &hyperband_steps::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| Box::new(TrialStep::new(TrialStep::BENCH, device))),
                    default_steps: TrialStep::DEFAULT_STEPS,
                };
                drop(run_lecture_suite(run, &[entry], protocol)?);
            }
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let inputs = Inputs { steps: cli.steps.steps, data_dir: cli.mnist.data_dir, ..Inputs::default() };
    run_experiments(CRATE, &cli.common, &inputs, cli.experiment, &HEADLINE, Experiment::run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_behaves_like_every_lectures() {
        use clap::CommandFactory;
        shared::testing::check_lecture_command_line(
            Cli::command(),
            "mnist-search",
            &["--steps", "--data-dir"],
        );
    }
}
