//! `cargo run -p lecture-06-highway-grid-lstm [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo. This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_06_highway_grid_lstm::experiments::depth;
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-06-highway-grid-lstm";

/// Lecture 6: highway networks, residual networks and grid LSTM.
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
    /// Claim 1: plain nets stall at depth 50 while highway and residual nets train.
    Depth,
}

const HEADLINE: [Experiment; 1] = [Experiment::Depth];

impl Experiment {
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Depth => drop(depth::run(run, &depth::Config::for_run(run))?),
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
