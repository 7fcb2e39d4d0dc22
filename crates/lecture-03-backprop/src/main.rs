//! `cargo run -p lecture-03-backprop [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo: the graphs drawn, the MLP trained by our
//! engine beside burn's autodiff, the gradient agreement (claim 1) and the forward/reverse cost
//! table (claim 3). This file only parses flags and dispatches; each experiment lives in
//! `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_03_backprop::bench_workload::{Differentiation, MlpStep};
use lecture_03_backprop::experiments::{bptt, chain_rule, checkpointing, cost_scaling, graphs, mlp_training};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-03-backprop";

/// Lecture 03: backpropagation is the chain rule on the computational graph; here is the
/// machine, our own reverse and forward modes over burn tensors, checked against burn's.
///
/// With no experiment named, runs the headline demo: the graphs drawn (DOT and SVG), the MLP
/// trained on MNIST by our engine beside burn's autodiff, the gradient agreement on the MLP
/// and the RNN (claim 1), and the cost of the full gradient by reverse and by forward mode
/// (claim 3); about a minute on a laptop CPU, seconds with --quick.
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
    /// The graph of a small expression and of the unrolled RNN, as Graphviz DOT and SVG.
    Graphs,
    /// The MLP trained on MNIST by our reverse mode beside burn's autodiff (same curve).
    MlpTraining,
    /// Claim 1: our backpropagation equals burn's autodiff and finite differences (MLP, RNN).
    ChainRule,
    /// Claim 2: the RNN's shared recurrent weight gets the sum of its per-step gradients.
    Bptt,
    /// Claim 3: reverse mode costs a few forward passes at any size; forward mode one per parameter.
    CostScaling,
    /// Claim 4: BPTT memory grows with T; checkpointing every √T steps keeps it near √T.
    Checkpointing,
    /// Not a claim: times an MLP step with our engine and with burn's (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-03-backprop` runs with no experiment named.
const HEADLINE: [Experiment; 4] =
    [Experiment::Graphs, Experiment::MlpTraining, Experiment::ChainRule, Experiment::CostScaling];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Graphs => {
                graphs::run(run, &graphs::Config::for_run(run))?;
            }
            Experiment::MlpTraining => {
                mlp_training::run(run, &mlp_training::Config::for_run(run))?;
            }
            Experiment::ChainRule => {
                chain_rule::run(run, &chain_rule::Config::for_run(run))?;
            }
            Experiment::Bptt => {
                bptt::run(run, &bptt::Config::for_run(run))?;
            }
            Experiment::CostScaling => {
                cost_scaling::run(run, &cost_scaling::Config::for_run(run))?;
            }
            Experiment::Checkpointing => {
                checkpointing::run(run, &checkpointing::Config::for_run(run))?;
            }
            Experiment::Bench(protocol) => {
                let entry = |differentiation| Entry {
                    build: Box::new(move |device| {
                        Box::new(MlpStep::new(differentiation, MlpStep::BENCH, device))
                    }),
                    default_steps: MlpStep::DEFAULT_STEPS,
                };
                let entries = [entry(Differentiation::OurReverseMode), entry(Differentiation::BurnAutodiff)];
                drop(run_lecture_suite(run, &entries, protocol)?);
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
        shared::testing::check_lecture_command_line(Cli::command(), "chain-rule", &["--steps", "--data-dir"]);
    }
}
