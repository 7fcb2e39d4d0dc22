//! `cargo run -p lecture-14-saddles-and-memorisation [-- [--quick] [EXPERIMENT]]`: the lecture's
//! experiments.
//!
//! With no experiment named it runs the headline demo: the critical points' loss against their
//! index (claim 1), the plateau near a saddle, and label noise on MNIST (claims 3 and 4). This
//! file only parses flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_14_saddles_and_memorisation::bench_workload::MemorisationMlp;
use lecture_14_saddles_and_memorisation::experiments::{
    critical_points, interpolation, label_noise, plateau, random_labels,
};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-14-saddles-and-memorisation";

/// Lecture 14: why training stalls (saddle points, not local minima) and what a network learns
/// first (clean examples before noisy ones; early stopping).
///
/// With no experiment named, runs the headline demo: critical points of a small tanh net found
/// by Newton steps, their loss against their Hessian's index (claim 1), gradient descent
/// stalling near a saddle, and an MLP on MNIST with 40% and 80% random labels (claims 3 and 4);
/// about two minutes on a laptop CPU, seconds with --quick.
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
    /// Claim 1: the index of critical points grows with their loss; only the lowest-loss ones are minima.
    CriticalPoints,
    /// Claim 1: gradient descent stalls where the gradient norm dips at a saddle, then leaves it.
    Plateau,
    /// Claims 3 and 4: under label noise clean examples are fitted first, test accuracy peaks then falls, early stopping keeps the peak.
    LabelNoise,
    /// Claim 2: an MLP fits random labels to 100% training accuracy, test accuracy at chance, in more steps than the true labels.
    RandomLabels,
    /// Claim 5: along the line from the initial to the trained weights the loss falls without a barrier.
    Interpolation,
    /// Not a claim: times the label-noise MLP's training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-14-saddles-and-memorisation` runs with no experiment named.
const HEADLINE: [Experiment; 3] = [Experiment::CriticalPoints, Experiment::Plateau, Experiment::LabelNoise];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::CriticalPoints => {
                drop(critical_points::run(run, &critical_points::Config::for_run(run))?)
            }
            Experiment::Plateau => drop(plateau::run(run, &plateau::Config::for_run(run))?),
            Experiment::LabelNoise => drop(label_noise::run(run, &label_noise::Config::for_run(run))?),
            Experiment::RandomLabels => drop(random_labels::run(run, &random_labels::Config::for_run(run))?),
            Experiment::Interpolation => drop(interpolation::run(run, &interpolation::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| Box::new(MemorisationMlp::new(MemorisationMlp::BENCH, device))),
                    default_steps: MemorisationMlp::DEFAULT_STEPS,
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
        shared::testing::check_lecture_command_line(
            Cli::command(),
            "label-noise",
            &["--steps", "--data-dir"],
        );
    }
}
