//! `cargo run -p lecture-11-selu [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo. This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_11_selu::experiments::{alpha_dropout, deep_mnist, self_normalising};
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-11-selu";

/// Lecture 11: from ReLU to self-normalising networks.
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
    /// Claim 2: through 64 layers SELU keeps activations at mean 0, variance 1; ReLU's collapse.
    SelfNormalising,
    /// Claim 3: alpha dropout keeps a SELU net at mean 0, variance 1; ordinary dropout does not.
    AlphaDropout,
    /// Claim 4: a 16-layer SELU net trains on MNIST as well as ReLU + batch norm, far better than plain ReLU.
    DeepMnist,
}

/// What `cargo run -p lecture-11-selu` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::SelfNormalising];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::SelfNormalising => {
                drop(self_normalising::run(run, &self_normalising::Config::for_run(run))?)
            }
            Experiment::AlphaDropout => drop(alpha_dropout::run(run, &alpha_dropout::Config::for_run(run))?),
            Experiment::DeepMnist => drop(deep_mnist::run(run, &deep_mnist::Config::for_run(run))?),
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
