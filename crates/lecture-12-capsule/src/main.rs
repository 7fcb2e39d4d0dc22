//! `cargo run -p lecture-12-capsule [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_12_capsule::bench_workload::CapsNetStep;
use lecture_12_capsule::capsnet::CapsNetConfig;
use lecture_12_capsule::experiments::digits;
use shared::bench::suite::{Entry, ProtocolArgs, run_suite};
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-12-capsule";

/// Lecture 12: capsule networks with dynamic routing.
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
    /// Claims 1-4: CapsNet vs a CNN on MNIST and on unseen affine transforms; reconstructions,
    /// perturbed capsules and routing coupling of the trained CapsNet.
    Digits,
    /// Not a claim: times this lecture's reduced CapsNet training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-12-capsule` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::Digits];

impl Experiment {
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Digits => drop(digits::run(run, &digits::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        let config = CapsNetConfig::reduced();
                        Box::new(CapsNetStep::new(&config, CapsNetStep::BATCH, device).expect("valid sizes"))
                    }),
                    default_steps: CapsNetStep::DEFAULT_STEPS,
                };
                drop(run_suite(run.backend, &[entry], &protocol, run.quick)?);
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
