//! `cargo run -p lecture-15-gan [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1 and 2). This file only parses
//! flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_15_gan::experiments::{remedies, saturation};
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-15-gan";

/// Lecture 15: generative adversarial networks (AE and VAE, GAN, its remedies, conditional GAN).
///
/// With no experiment named, runs the headline demo: the discriminator that wins too fast
/// (claim 1) and the remedies that restore learning (claim 2), about two minutes on a laptop
/// CPU, seconds with --quick.
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
    /// Claim 1: D reaches ~100% accuracy on barely overlapping data, JS saturates at log 2, the minimax G gets no gradient.
    Saturation,
    /// Claim 2: instance noise, label smoothing and a weaker dropout D restore learning on the ring and the grid.
    Remedies,
}

/// What `cargo run -p lecture-15-gan` runs with no experiment named.
const HEADLINE: [Experiment; 2] = [Experiment::Saturation, Experiment::Remedies];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Saturation => drop(saturation::run(run, &saturation::Config::for_run(run))?),
            Experiment::Remedies => drop(remedies::run(run, &remedies::Config::for_run(run))?),
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
