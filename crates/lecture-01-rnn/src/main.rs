//! `cargo run -p lecture-01-rnn [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1 and 4). This file only parses
//! flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_01_rnn::any_cell::CellKind;
use lecture_01_rnn::bench_workload::ScratchCharLstm;
use lecture_01_rnn::experiments::{
    adding, bidirectional, cnn_basics, cnn_rnn, gate_ablation, pyramidal, stack_rnn, vanishing,
};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-01-rnn";

/// Lecture 1-2: recurrent networks (RNN, LSTM, GRU, deep, bidirectional, pyramidal, stack RNN).
///
/// With no experiment named, runs the headline demo: the adding problem (claim 1) and the
/// vanishing-gradient picture (claim 4), about a minute on a laptop CPU, seconds with --quick.
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
    /// Claim 1: LSTM and GRU solve the adding problem; a tanh RNN and a window MLP stay at the baseline.
    Adding,
    /// Claim 4: a tanh RNN's dLoss/dh_t vanishes back in time, an LSTM's does not, so the LSTM learns faster.
    Vanishing,
    /// Claims 2 and 3: a bidirectional RNN reads the future; an output delay lets a one-way RNN do it too.
    Bidirectional,
    /// Claim 5: LSTM gate ablation over seeds: the forget gate matters most; coupling gates costs little.
    GateAblation,
    /// Claim 6: a Stack RNN learns a^n b^n (and a^n b^n c^n) and generalises to longer n; a plain RNN does not.
    StackRnn,
    /// Claim 7: a 3-layer pyramidal RNN reads 8x fewer steps at the top and trains faster per step.
    Pyramidal,
    /// Lecture 2's basic structures: the conv output-size rule, pooling, and parameters of conv vs FC layers.
    CnnBasics,
    /// Lecture 2's layer types combined: a CNN reads MNIST digits, a GRU carries their sum across frames.
    CnnRnn,
    /// Not a claim: times this lecture's LSTM language-model training step, unrolled and fused (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-01-rnn` runs with no experiment named.
const HEADLINE: [Experiment; 2] = [Experiment::Adding, Experiment::Vanishing];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Adding => drop(adding::run(run, &adding::Config::for_run(run))?),
            Experiment::Vanishing => drop(vanishing::run(run, &vanishing::Config::for_run(run))?),
            Experiment::Bidirectional => drop(bidirectional::run(run, &bidirectional::Config::for_run(run))?),
            Experiment::GateAblation => drop(gate_ablation::run(run, &gate_ablation::Config::for_run(run))?),
            Experiment::StackRnn => drop(stack_rnn::run(run, &stack_rnn::Config::for_run(run))?),
            Experiment::Pyramidal => drop(pyramidal::run(run, &pyramidal::Config::for_run(run))?),
            Experiment::CnnBasics => drop(cnn_basics::run(run, &cnn_basics::Config::for_run(run))?),
            Experiment::CnnRnn => drop(cnn_rnn::run(run, &cnn_rnn::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = |lstm: CellKind| Entry {
                    build: Box::new(move |device| {
                        Box::new(ScratchCharLstm::new(ScratchCharLstm::BENCH, lstm, device))
                    }),
                    default_steps: ScratchCharLstm::DEFAULT_STEPS,
                };
                drop(run_lecture_suite(run, &[entry(CellKind::LSTM), entry(CellKind::FusedLstm)], protocol)?);
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
        shared::testing::check_lecture_command_line(Cli::command(), "adding", &["--steps", "--data-dir"]);
    }
}
