//! `cargo run -p lecture-08-attention [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1 and 2: attention against a
//! fixed-size context on long inputs, with attention heatmaps). This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_08_attention::experiments::long_inputs;
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-08-attention";

/// Lecture 8: conditional generation, attention and memory.
///
/// With no experiment named, runs the headline demo: encoder-decoders with and without attention
/// learn to reverse digit strings; accuracy against length and attention heatmaps (about two
/// minutes on a laptop CPU, seconds with --quick).
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
    /// Claims 1 and 2: attention holds up on long inputs where a fixed-size context collapses; its weights align.
    LongInputs,
}

/// What `cargo run -p lecture-08-attention` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::LongInputs];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::LongInputs => drop(long_inputs::run(run, &long_inputs::Config::for_run(run))?),
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
