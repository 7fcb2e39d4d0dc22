//! `cargo run -p lecture-12-capsule [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_12_capsule::bench_workload::CapsNetStep;
use lecture_12_capsule::capsnet::CapsNetConfig;
use lecture_12_capsule::experiments::{ablation, digits};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-12-capsule";

/// Lecture 12: capsule networks with dynamic routing.
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
    /// Claims 1-4: CapsNet vs a CNN on MNIST and on unseen affine transforms; reconstructions,
    /// perturbed capsules and routing coupling of the trained CapsNet.
    Digits,
    /// Claims 3 and 5: CapsNets without the reconstruction loss and with one routing pass.
    Ablation,
    /// Not a claim: times this lecture's reduced CapsNet training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-12-capsule` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::Digits];

impl Experiment {
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Digits => drop(digits::run(run, &digits::Config::for_run(run))?),
            Experiment::Ablation => drop(ablation::run(run, &ablation::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        let config = CapsNetConfig::reduced();
                        Box::new(CapsNetStep::new(&config, CapsNetStep::BATCH, device).expect("valid sizes"))
                    }),
                    default_steps: CapsNetStep::DEFAULT_STEPS,
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
        shared::testing::check_lecture_command_line(Cli::command(), "digits", &["--steps", "--data-dir"]);
    }
}
