//! `cargo run -p lecture-11-selu [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo: the SELU constants, self-normalisation
//! (claim 2) and the deep SELU net on MNIST (claim 4). This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_11_selu::bench_workload::DeepSelu;
use lecture_11_selu::experiments::{alpha_dropout, dead_units, deep_mnist, self_normalising, selu_constants};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-11-selu";

/// Lecture 11: from ReLU to self-normalising networks (ReLU variants, ELU, SELU, alpha dropout).
///
/// With no experiment named, runs the headline demo: SELU's constants solved from the
/// fixed-point conditions, a 64-layer net keeping (or losing) its activations' scale for every
/// activation (claim 2), and a 16-layer SELU net against ReLU with and without batch norm on
/// MNIST (claim 4); about two minutes on a laptop CPU, seconds with --quick.
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
    /// SELU's alpha and lambda solved from the fixed-point conditions; the moment map's Jacobian.
    SeluConstants,
    /// Claim 1: ReLU passes gradient unchanged but its units die; leaky ReLU, PReLU, RReLU and ELU keep theirs.
    DeadUnits,
    /// Claim 2: through 64 layers SELU keeps activations at mean 0, variance 1; ReLU's collapse.
    SelfNormalising,
    /// Claim 3: alpha dropout keeps a SELU net at mean 0, variance 1; ordinary dropout does not.
    AlphaDropout,
    /// Claim 4: a 16-layer SELU net trains on MNIST as well as ReLU + batch norm, far better than plain ReLU.
    DeepMnist,
    /// Not a claim: times the deep SELU net's training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-11-selu` runs with no experiment named.
const HEADLINE: [Experiment; 3] =
    [Experiment::SeluConstants, Experiment::SelfNormalising, Experiment::DeepMnist];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::SelfNormalising => {
                drop(self_normalising::run(run, &self_normalising::Config::for_run(run))?)
            }
            Experiment::AlphaDropout => drop(alpha_dropout::run(run, &alpha_dropout::Config::for_run(run))?),
            Experiment::DeepMnist => drop(deep_mnist::run(run, &deep_mnist::Config::for_run(run))?),
            Experiment::DeadUnits => drop(dead_units::run(run, &dead_units::Config::for_run(run))?),
            Experiment::SeluConstants => {
                drop(selu_constants::run(run, &selu_constants::Config::for_run(run))?)
            }
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        Box::new(
                            DeepSelu::new(DeepSelu::BENCH, device).expect("the benchmark sizes are valid"),
                        )
                    }),
                    default_steps: DeepSelu::DEFAULT_STEPS,
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
        shared::testing::check_lecture_command_line(Cli::command(), "deep-mnist", &["--steps", "--data-dir"]);
    }
}
