//! `cargo run -p lecture-01-rnn [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1 and 4). This file only parses
//! flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_01_rnn::bench_workload::ScratchCharLstm;
use lecture_01_rnn::experiments::{
    adding, bidirectional, cnn_basics, cnn_rnn, gate_ablation, pyramidal, stack_rnn, vanishing,
};
use shared::bench::suite::{Entry, ProtocolArgs, run_suite};
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-01-rnn";

/// Lecture 1-2: recurrent networks (RNN, LSTM, GRU, deep, bidirectional, pyramidal, stack RNN).
///
/// With no experiment named, runs the headline demo: the adding problem (claim 1) and the
/// vanishing-gradient picture (claim 4), about two minutes on a laptop CPU, seconds with --quick.
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
    /// Not a claim: times this lecture's LSTM language-model training step (for `cargo xtask bench`).
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
                let entry = Entry {
                    build: Box::new(|device| Box::new(ScratchCharLstm::new(ScratchCharLstm::BENCH, device))),
                    default_steps: ScratchCharLstm::DEFAULT_STEPS,
                };
                drop(run_suite(run.backend, &[entry], &protocol.with_steps(run.steps), run.quick)?);
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once(CRATE).chain(args.iter().copied()))
    }

    #[test]
    fn no_experiment_means_the_headline_demo() {
        let cli = parse(&["--quick", "--out", "/tmp/x"]).unwrap();
        assert_eq!(cli.experiment, None);
        assert!(cli.common.quick);
    }

    #[test]
    fn experiments_parse_with_common_flags_before_or_after() {
        assert_eq!(parse(&["adding"]).unwrap().experiment, Some(Experiment::Adding));
        let cli = parse(&["vanishing", "--quick", "--seed", "3"]).unwrap();
        assert_eq!((cli.experiment, cli.common.seed), (Some(Experiment::Vanishing), 3));
    }

    #[test]
    fn unknown_experiments_and_flags_are_errors() {
        let err = parse(&["no-such-experiment"]).unwrap_err().to_string();
        assert!(err.contains("no-such-experiment"), "{err}");
        assert!(parse(&["adding", "--no-such-flag"]).is_err());
        assert!(parse(&["--backend", "cuda"]).is_err());
    }

    #[test]
    fn bench_takes_the_protocol_flags() {
        let cli = parse(&["bench", "--runs", "2", "--json", "/tmp/b.json", "--quick"]).unwrap();
        let Some(Experiment::Bench(protocol)) = cli.experiment else { panic!("bench parses") };
        assert_eq!(protocol.runs, Some(2));
        assert!(cli.common.quick);
    }

    #[test]
    fn the_parser_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
