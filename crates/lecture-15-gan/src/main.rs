//! `cargo run -p lecture-15-gan [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1 and 2). This file only parses
//! flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_15_gan::bench_workload::MixtureGanStep;
use lecture_15_gan::experiments::{conditional, overfitting, remedies, saturation, vae_vs_gan};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
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
    /// Claim 1: D reaches ~100% accuracy on barely overlapping data, JS saturates at log 2, the minimax G gets no gradient.
    Saturation,
    /// Claim 1b: D overfits a finite sample of real data: against a perfect generator it calls its own digits real, unseen ones fake.
    Overfitting,
    /// Claim 2: instance noise, label smoothing, label noise and a weaker dropout D, each alone and together, against the failing game.
    Remedies,
    /// Claim 3: GAN digits are sharper than VAE digits, and a classifier reads most of them as confident digits.
    VaeVsGan,
    /// Claim 4: a conditional GAN draws the requested digit (the classifier agrees for >= 90%).
    Conditional,
    /// Not a claim: times this lecture's GAN training step on the 2-D mixture (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-15-gan` runs with no experiment named.
const HEADLINE: [Experiment; 3] = [Experiment::Saturation, Experiment::Overfitting, Experiment::Remedies];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Saturation => drop(saturation::run(run, &saturation::Config::for_run(run))?),
            Experiment::Overfitting => drop(overfitting::run(run, &overfitting::Config::for_run(run))?),
            Experiment::Remedies => drop(remedies::run(run, &remedies::Config::for_run(run))?),
            Experiment::Conditional => drop(conditional::run(run, &conditional::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        Box::new(
                            MixtureGanStep::new(MixtureGanStep::BENCH, device)
                                .expect("the benchmark sizes are valid"),
                        )
                    }),
                    default_steps: MixtureGanStep::DEFAULT_STEPS,
                };
                drop(run_lecture_suite(run, &[entry], protocol)?);
            }
            Experiment::VaeVsGan => drop(vae_vs_gan::run(run, &vae_vs_gan::Config::for_run(run))?),
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
        shared::testing::check_lecture_command_line(Cli::command(), "vae-vs-gan", &["--steps", "--data-dir"]);
    }
}
