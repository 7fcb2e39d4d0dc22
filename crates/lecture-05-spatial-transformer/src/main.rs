//! `cargo run -p lecture-05-spatial-transformer [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo. This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_05_spatial_transformer::bench_workload::StCnnStep;
use lecture_05_spatial_transformer::experiments::{addition, distorted, invariance, undo_rotation};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-05-spatial-transformer";

/// Lecture 5: spatial transformer networks.
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
    /// The headline demo: CNN vs ST-CNN on R and RTS digits (one seed), with the
    /// grids of input and transformed digits. Run when no experiment is named.
    #[command(hide = true)]
    Headline,
    /// Claim 1: pooling tolerates small shifts, not rotation or scale; a transformer tolerates all three.
    Invariance,
    /// Claim 2: on rotated, RTS and cluttered digits the ST-CNN beats the CNN of equal size.
    Distorted,
    /// Claim 3: trained on rotated digits, the transformer turns each one back upright.
    UndoRotation,
    /// Claim 4: two transformers on a two-digit canvas each crop one digit; one glimpse reads worse.
    Addition,
    /// Not a claim: times this lecture's ST-CNN training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

impl Experiment {
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Headline => drop(distorted::run(run, &distorted::Config::headline(run))?),
            Experiment::Invariance => drop(invariance::run(run, &invariance::Config::for_run(run))?),
            Experiment::Distorted => drop(distorted::run(run, &distorted::Config::for_run(run))?),
            Experiment::UndoRotation => drop(undo_rotation::run(run, &undo_rotation::Config::for_run(run))?),
            Experiment::Addition => drop(addition::run(run, &addition::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        Box::new(StCnnStep::new(StCnnStep::sizes(), StCnnStep::BATCH, device))
                    }),
                    default_steps: StCnnStep::DEFAULT_STEPS,
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
    run_experiments(CRATE, &cli.common, &inputs, cli.experiment, &[Experiment::Headline], Experiment::run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_behaves_like_every_lectures() {
        use clap::CommandFactory;
        shared::testing::check_lecture_command_line(Cli::command(), "distorted", &["--steps", "--data-dir"]);
    }
}
