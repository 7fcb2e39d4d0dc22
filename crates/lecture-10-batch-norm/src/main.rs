//! `cargo run -p lecture-10-batch-norm [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 2 and 3, the paper's Fig. 1).
//! This file only parses flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_10_batch_norm::experiments::covariate_shift;
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
    /// Claims 2 and 3: a sigmoid's input drifts without BN and stays steady with it; BN reaches a test accuracy in far fewer steps.
    CovariateShift,
}

/// What `cargo run -p lecture-10-batch-norm` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::CovariateShift];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::CovariateShift => {
                drop(covariate_shift::run(run, &covariate_shift::Config::for_run(run))?)
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
