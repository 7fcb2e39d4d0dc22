//! `cargo run -p lecture-06-highway-grid-lstm [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1-3). This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_06_highway_grid_lstm::bench_workload::DeepHighway;
use lecture_06_highway_grid_lstm::experiments::{addition, depth, gates, lesion, parity};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-06-highway-grid-lstm";

/// Lecture 6: highway networks, residual networks and grid LSTM.
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
    /// Claim 1: plain nets stall at depth 50 while highway and residual nets train.
    Depth {
        /// Depths to train, e.g. `--depths 10,200` [default: 10,20,50,100; 10,50 with --quick].
        #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(usize))]
        depths: Vec<usize>,
    },
    /// Claim 2: a trained highway net keeps most transform gates closed, most of all in deep layers
    /// (against the same net with frozen gates).
    Gates,
    /// Claim 3: removing one layer hurts a trained highway net far less than a plain net.
    Lesion,
    /// Claim 4: a tied-weight 1-D Grid LSTM learns k-bit parity; a tanh MLP of the same depth does not.
    Parity,
    /// Claim 4: a 2-D Grid LSTM adds numbers as well as or better than a stacked LSTM of similar size.
    Addition,
    /// Not a claim: times a depth-50 highway net's training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-06-highway-grid-lstm` runs with no experiment named: claims 1-3.
const HEADLINE: [Experiment; 3] =
    [Experiment::Depth { depths: Vec::new() }, Experiment::Gates, Experiment::Lesion];

impl Experiment {
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Depth { depths } => {
                let mut config = depth::Config::for_run(run);
                if !depths.is_empty() {
                    config.depths = depths;
                }
                drop(depth::run(run, &config)?)
            }
            Experiment::Gates => drop(gates::run(run, &gates::Config::for_run(run))?),
            Experiment::Lesion => drop(lesion::run(run, &lesion::Config::for_run(run))?),
            Experiment::Parity => drop(parity::run(run, &parity::Config::for_run(run))?),
            Experiment::Addition => drop(addition::run(run, &addition::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        Box::new(
                            DeepHighway::new(DeepHighway::BENCH, device)
                                .expect("the benchmark sizes are not zero"),
                        )
                    }),
                    default_steps: DeepHighway::DEFAULT_STEPS,
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
        shared::testing::check_lecture_command_line(Cli::command(), "depth", &["--steps", "--data-dir"]);
    }
}
