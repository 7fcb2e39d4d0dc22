//! `cargo run -p lecture-09-pointer-network [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo: length generalisation on sorting
//! (claim 1) and copying unseen names (claim 4). This file only parses flags and dispatches;
//! each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_09_pointer_network::bench_workload::PointerStep;
use lecture_09_pointer_network::experiments::{convex_hull, copying, length_generalisation, tsp};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-09-pointer-network";

/// Lecture 9: pointer networks, pointing at the input (sorting, convex hull, TSP) and copying
/// from it (the pointer-generator).
///
/// With no experiment named, runs the headline demo: a pointer network and a fixed-vocabulary
/// seq2seq trained to sort 5-10 numbers and tested on up to 20 (claim 1), and a
/// pointer-generator against a plain seq2seq with attention on sentences with names never seen
/// in training (claim 4); about a minute and a half on a 2-core CPU, seconds with --quick.
#[derive(Parser, Debug)]
#[command(name = CRATE, version)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    steps: StepsArg,
    #[command(subcommand)]
    experiment: Option<Experiment>,
}

/// One experiment per claim of the lecture.
#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
enum Experiment {
    /// Claim 1: trained on 5-10 numbers, a pointer network sorts 20; a fixed vocabulary cannot name position 11.
    LengthGeneralisation,
    /// Claim 2: convex hulls: exact-match accuracy and area covered by number of points.
    ConvexHull,
    /// Claim 3: TSP tours against the optimum (Held-Karp) and nearest neighbour; beam search against greedy.
    Tsp,
    /// Claim 4: the pointer-generator copies names never seen in training; plain seq2seq cannot.
    Copying,
    /// Not a claim: times one pointer-network training step on sorting (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-09-pointer-network` runs with no experiment named.
const HEADLINE: [Experiment; 2] = [Experiment::LengthGeneralisation, Experiment::Copying];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::LengthGeneralisation => {
                drop(length_generalisation::run(run, &length_generalisation::Config::for_run(run))?)
            }
            Experiment::ConvexHull => drop(convex_hull::run(run, &convex_hull::Config::for_run(run))?),
            Experiment::Tsp => drop(tsp::run(run, &tsp::Config::for_run(run))?),
            Experiment::Copying => drop(copying::run(run, &copying::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| Box::new(PointerStep::new(PointerStep::BENCH, device))),
                    default_steps: PointerStep::DEFAULT_STEPS,
                };
                drop(run_lecture_suite(run, &[entry], protocol)?);
            }
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let inputs = Inputs { steps: cli.steps.steps, ..Inputs::default() };
    run_experiments(CRATE, &cli.common, &inputs, cli.experiment, &HEADLINE, Experiment::run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_behaves_like_every_lectures() {
        use clap::CommandFactory;
        shared::testing::check_lecture_command_line(Cli::command(), "copying", &["--steps"]);
    }
}
