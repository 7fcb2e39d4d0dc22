//! `cargo run -p lecture-07-recursive [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo: the negation sentences (claims 1 and 3)
//! and the level-by-level speed-up. This file only parses flags and dispatches; each experiment
//! lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_07_recursive::bench_workload::{BENCH_TREES, BENCH_WIDTH, TreeStep};
use lecture_07_recursive::experiments::{batching, negation, sst};
use lecture_07_recursive::model::{ModelKind, Schedule};
use lecture_07_recursive::treebank::load_treebank;
use shared::bench::suite::{Entry, ProtocolArgsWithSteps, run_lecture_suite};
use shared::cli::{CommonArgs, EpochsArg, Inputs, SstDirArg};
use shared::data::Tree;
use shared::dispatch::run_experiments;
use shared::experiment::Run;
use std::rc::Rc;

const CRATE: &str = "lecture-07-recursive";

/// Lecture 7: recursive networks over parse trees (RNN, RNTN, MV-RNN, Tree-LSTM, bag of vectors).
///
/// With no experiment named, runs the headline demo: synthetic negation sentences (claims 1
/// and 3) and the speed-up of level-by-level batching, about two minutes on a laptop CPU,
/// seconds with --quick.
#[derive(Parser, Debug)]
#[command(name = CRATE, version)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    epochs: EpochsArg,
    #[command(flatten)]
    sst: SstDirArg,
    #[command(subcommand)]
    experiment: Option<Experiment>,
}

/// One experiment per claim of the lecture.
#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
enum Experiment {
    /// Claims 1 and 3: on negation / "but" sentences RNTN and Tree-LSTM > RNN > bag; "not" flips the RNTN.
    Negation,
    /// Claim 2: all five models on the Stanford Sentiment Treebank, beside the published accuracies.
    Sst,
    /// The speed-up of batching nodes of equal height across trees over one node at a time.
    Batching,
    /// Not a claim: times the Tree-LSTM training step batched by level and node at a time (for `cargo xtask bench`).
    Bench(ProtocolArgsWithSteps),
}

/// What `cargo run -p lecture-07-recursive` runs with no experiment named.
const HEADLINE: [Experiment; 2] = [Experiment::Negation, Experiment::Batching];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Negation => drop(negation::run(run, &negation::Config::for_run(run))?),
            Experiment::Sst => drop(sst::run(run, &sst::Config::for_run(run))?),
            Experiment::Batching => drop(batching::run(run, &batching::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let sst = load_treebank(run.data_dir.as_deref())?;
                let trees: Rc<[Tree]> = sst.train.into_iter().take(BENCH_TREES).collect();
                let entries = [Schedule::Levels, Schedule::NodeAtATime].map(|schedule| {
                    let trees = Rc::clone(&trees);
                    Entry {
                        build: Box::new(move |device| {
                            Box::new(TreeStep::new(
                                ModelKind::TreeLstm,
                                &trees,
                                BENCH_WIDTH,
                                schedule,
                                device,
                            ))
                        }),
                        default_steps: TreeStep::default_steps(schedule),
                    }
                });
                drop(run_lecture_suite(run, &entries, protocol.into_protocol())?);
            }
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let inputs = Inputs { epochs: cli.epochs.epochs, data_dir: cli.sst.data_dir, ..Inputs::default() };
    run_experiments(CRATE, &cli.common, &inputs, cli.experiment, &HEADLINE, Experiment::run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_behaves_like_every_lectures() {
        use clap::CommandFactory;
        shared::testing::check_lecture_command_line(Cli::command(), "negation", &["--epochs", "--data-dir"]);
    }
}
