//! `cargo run -p lecture-17-sequence-gan [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo: SeqGAN against maximum likelihood in the
//! oracle setting (claims 1-3) and training through a sampled token (claim 4). This file only
//! parses flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_17_sequence_gan::bench_workload::SeqGanGeneratorStep;
use lecture_17_sequence_gan::experiments::{gumbel, oracle};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-17-sequence-gan";

/// Lecture 17: reinforcement learning and GANs for sentence generation.
///
/// With no experiment named, runs the headline demo: an LSTM with random weights is the "true"
/// language, a generator is pre-trained on its sentences by maximum likelihood, then continued
/// by maximum likelihood, by SeqGAN's policy gradient (with roll-outs, with the whole sentence's
/// reward, with a random reward), and the MLE model's temperature is swept (claims 1-3); then a
/// sampled token is trained through with the Gumbel-softmax (claim 4). About two and a half
/// minutes on a 2-core CPU, under one with --quick.
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
    /// Claims 1-3: SeqGAN lowers the oracle NLL below MLE; roll-outs lower the gradient's variance; a lower temperature buys the same.
    Oracle,
    /// Claim 4: a hard sample passes no gradient; the Gumbel-softmax trains through it (and what its temperature does).
    Gumbel,
    /// Not a claim: times one SeqGAN generator step with roll-outs (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-17-sequence-gan` runs with no experiment named.
const HEADLINE: [Experiment; 2] = [Experiment::Oracle, Experiment::Gumbel];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Oracle => drop(oracle::run(run, &oracle::Config::for_run(run))?),
            Experiment::Gumbel => drop(gumbel::run(run, &gumbel::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        Box::new(
                            SeqGanGeneratorStep::new(SeqGanGeneratorStep::BENCH, device)
                                .expect("the benchmark sizes are valid"),
                        )
                    }),
                    default_steps: SeqGanGeneratorStep::DEFAULT_STEPS,
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
        shared::testing::check_lecture_command_line(Cli::command(), "oracle", &["--steps"]);
    }
}
