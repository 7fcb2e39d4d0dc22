//! `cargo run -p lecture-16-improved-gan [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo. This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_16_improved_gan::bench_workload::GradientPenaltyStep;
use lecture_16_improved_gan::experiments::{disjoint_supports, w1_tracking};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-16-improved-gan";

/// Lecture 16: improved GANs (the Wasserstein critic, weight clipping, the gradient penalty,
/// spectral normalisation, LSGAN, f-GAN divergences).
///
/// With no experiment named, runs the headline demo: the critic's estimate against the exact
/// W1 during training (claim 1) and the critic's gradient on disjoint supports (claim 2), about
/// two minutes on a laptop CPU, seconds with --quick.
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
    /// Claim 1: the WGAN-GP critic's estimate follows the exact W1 during training; the GAN's discriminator loss does not.
    W1Tracking,
    /// Claim 2: on disjoint supports the WGAN-GP critic still gives the generator a gradient towards the data; the minimax GAN's vanishes.
    DisjointSupports,
    /// Not a claim: times one WGAN-GP critic step with the hand-written input gradient (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-16-improved-gan` runs with no experiment named.
const HEADLINE: [Experiment; 2] = [Experiment::W1Tracking, Experiment::DisjointSupports];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::W1Tracking => drop(w1_tracking::run(run, &w1_tracking::Config::for_run(run))?),
            Experiment::DisjointSupports => {
                drop(disjoint_supports::run(run, &disjoint_supports::Config::for_run(run))?)
            }
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        Box::new(
                            GradientPenaltyStep::new(GradientPenaltyStep::BENCH, device)
                                .expect("the benchmark sizes are valid"),
                        )
                    }),
                    default_steps: GradientPenaltyStep::DEFAULT_STEPS,
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
        shared::testing::check_lecture_command_line(Cli::command(), "w1-tracking", &["--steps"]);
    }
}
