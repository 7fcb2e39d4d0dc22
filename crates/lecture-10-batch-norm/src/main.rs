//! `cargo run -p lecture-10-batch-norm [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 2, 3 and 8, the paper's Fig. 1).
//! This file only parses flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_10_batch_norm::bench_workload::SigmoidMlpStep;
use lecture_10_batch_norm::experiments::{
    batch_independence, covariate_shift, dropout, feature_scaling, initialisation, learning_rate,
};
use lecture_10_batch_norm::sigmoid_net::SigmoidNetConfig;
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-10-batch-norm";

/// Lecture 10: feature scaling and batch normalisation on MNIST (3 hidden layers of 100 sigmoids).
///
/// With no experiment named, runs the headline demo: the paper's Fig. 1 (claims 2, 3 and 8), about
/// two minutes on a laptop CPU, seconds with --quick.
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
    /// Claim 1: standardising the input speeds up training of a plain sigmoid net (raw bytes vs /255 vs standardised).
    FeatureScaling,
    /// Claims 2, 3 and 8: a sigmoid's input drifts without BN and stays steady with it; BN reaches a test accuracy in far fewer steps; a tenth of the rate (does it also keep it steady?).
    CovariateShift,
    /// Claim 4: at 10x and 30x the plain net's best learning rate, BN still trains and the plain net does not.
    LearningRate,
    /// Claim 5: BN is less sensitive to the initial weight scale and eases the sigmoid net's vanishing gradient.
    Initialisation,
    /// Claim 6: BN regularises: with BN, removing dropout costs little or nothing.
    Dropout,
    /// Claim 7: with running statistics a test image gets the same answer alone or inside a batch.
    BatchIndependence,
    /// Not a claim: times the 3x100 sigmoid net's training step with and without BN (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-10-batch-norm` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::CovariateShift];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::FeatureScaling => {
                drop(feature_scaling::run(run, &feature_scaling::Config::for_run(run))?)
            }
            Experiment::CovariateShift => {
                drop(covariate_shift::run(run, &covariate_shift::Config::for_run(run))?)
            }
            Experiment::LearningRate => drop(learning_rate::run(run, &learning_rate::Config::for_run(run))?),
            Experiment::Initialisation => {
                drop(initialisation::run(run, &initialisation::Config::for_run(run))?)
            }
            Experiment::Dropout => drop(dropout::run(run, &dropout::Config::for_run(run))?),
            Experiment::BatchIndependence => {
                drop(batch_independence::run(run, &batch_independence::Config::for_run(run))?)
            }
            Experiment::Bench(protocol) => {
                let entries = [false, true].map(|batch_norm| Entry {
                    build: Box::new(move |device| {
                        let config = SigmoidNetConfig::mnist(batch_norm);
                        Box::new(SigmoidMlpStep::new(config, SigmoidMlpStep::BATCH, device))
                    }),
                    default_steps: SigmoidMlpStep::DEFAULT_STEPS,
                });
                drop(run_lecture_suite(run, &entries, protocol)?);
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
            "feature-scaling",
            &["--steps", "--data-dir"],
        );
    }
}
