//! `cargo run -p lecture-16-improved-gan [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo. This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_16_improved_gan::experiments::disjoint_supports;
use shared::cli::{CommonArgs, Inputs, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-16-improved-gan";

/// Lecture 16: improved GANs (the Wasserstein critic, weight clipping, the gradient penalty,
/// spectral normalisation, LSGAN, f-GAN divergences).
///
/// With no experiment named, runs the headline demo, about two minutes on a laptop CPU,
/// seconds with --quick.
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
    /// Claim 2: on disjoint supports the WGAN-GP critic still gives the generator a gradient towards the data; the minimax GAN's vanishes.
    DisjointSupports,
}

/// What `cargo run -p lecture-16-improved-gan` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::DisjointSupports];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::DisjointSupports => {
                drop(disjoint_supports::run(run, &disjoint_supports::Config::for_run(run))?)
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
