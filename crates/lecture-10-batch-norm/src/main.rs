//! `cargo run -p lecture-10-batch-norm [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 2 and 3, the paper's Fig. 1).
//! This file only parses flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_10_batch_norm::bench_workload::SigmoidMlpStep;
use lecture_10_batch_norm::experiments::{
    batch_independence, covariate_shift, dropout, feature_scaling, initialisation, learning_rate,
};
use lecture_10_batch_norm::sigmoid_net::SigmoidNetConfig;
use shared::bench::suite::{Entry, ProtocolArgs, run_suite};
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-10-batch-norm";

/// Lecture 10: feature scaling and batch normalisation on MNIST (3 hidden layers of 100 sigmoids).
///
/// With no experiment named, runs the headline demo: the paper's Fig. 1 (claims 2 and 3), about
/// two minutes on a laptop CPU, seconds with --quick.
#[derive(Parser, Debug)]
#[command(name = CRATE, version)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    experiment: Option<Experiment>,
}

/// One experiment per claim of the lecture.
#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
enum Experiment {
    /// Claim 1: standardising the input speeds up training of a plain sigmoid net (raw bytes vs /255 vs standardised).
    FeatureScaling,
    /// Claims 2 and 3: a sigmoid's input drifts without BN and stays steady with it; BN reaches a test accuracy in far fewer steps.
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
                drop(run_suite(run.backend, &entries, &protocol.with_steps(run.steps), run.quick)?);
            }
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let experiments = match cli.experiment {
        Some(experiment) => vec![experiment],
        None => HEADLINE.to_vec(),
    };
    for experiment in experiments {
        println!();
        experiment.run(&Run::from_args(CRATE, &cli.common)?)?;
    }
    let results = cli.common.out.join(CRATE);
    println!("\nresults (JSON records and SVG pictures) are in {}", results.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once(CRATE).chain(args.iter().copied()))
    }

    #[test]
    fn no_experiment_means_the_headline_demo() {
        let cli = parse(&["--quick", "--out", "/tmp/x"]).unwrap();
        assert_eq!(cli.experiment, None);
        assert!(cli.common.quick);
    }

    #[test]
    fn experiments_parse_with_common_flags_before_or_after() {
        assert_eq!(parse(&["feature-scaling"]).unwrap().experiment, Some(Experiment::FeatureScaling));
        let cli = parse(&["learning-rate", "--quick", "--seed", "3"]).unwrap();
        assert_eq!((cli.experiment, cli.common.seed), (Some(Experiment::LearningRate), 3));
    }

    #[test]
    fn unknown_experiments_and_flags_are_errors() {
        let err = parse(&["no-such-experiment"]).unwrap_err().to_string();
        assert!(err.contains("no-such-experiment"), "{err}");
        assert!(parse(&["dropout", "--no-such-flag"]).is_err());
        assert!(parse(&["--backend", "cuda"]).is_err());
    }

    #[test]
    fn bench_takes_the_protocol_flags() {
        let cli = parse(&["bench", "--runs", "2", "--json", "/tmp/b.json", "--quick"]).unwrap();
        let Some(Experiment::Bench(protocol)) = cli.experiment else { panic!("bench parses") };
        assert_eq!(protocol.runs, Some(2));
        assert!(cli.common.quick);
    }

    #[test]
    fn the_parser_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
