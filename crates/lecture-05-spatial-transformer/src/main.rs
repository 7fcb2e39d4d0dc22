//! `cargo run -p lecture-05-spatial-transformer [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo. This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_05_spatial_transformer::bench_workload::StCnnStep;
use lecture_05_spatial_transformer::experiments::{addition, distorted, invariance, undo_rotation};
use shared::bench::suite::{Entry, ProtocolArgs, run_suite};
use shared::cli::CommonArgs;
use shared::experiment::Run;

const CRATE: &str = "lecture-05-spatial-transformer";

/// Lecture 5: spatial transformer networks.
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
    /// The headline demo: CNN vs ST-CNN on R and RTS digits (one seed), with the
    /// grids of input and transformed digits. Run when no experiment is named.
    #[command(hide = true)]
    Headline,
    /// Claim 1: pooling tolerates small shifts, not rotation or scale; a transformer tolerates all three.
    Invariance,
    /// Claim 2: on rotated, RTS and cluttered digits the ST-CNN beats the CNN of equal size.
    Distorted,
    /// Claim 3: trained on rotated digits, the transformer turns each one back upright.
    UndoRotation,
    /// Claim 4: two transformers on a two-digit canvas each crop one digit; one glimpse reads worse.
    Addition,
    /// Not a claim: times this lecture's ST-CNN training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

impl Experiment {
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Headline => drop(distorted::run(run, &distorted::Config::headline(run))?),
            Experiment::Invariance => drop(invariance::run(run, &invariance::Config::for_run(run))?),
            Experiment::Distorted => drop(distorted::run(run, &distorted::Config::for_run(run))?),
            Experiment::UndoRotation => drop(undo_rotation::run(run, &undo_rotation::Config::for_run(run))?),
            Experiment::Addition => drop(addition::run(run, &addition::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        Box::new(StCnnStep::new(StCnnStep::sizes(), StCnnStep::BATCH, device))
                    }),
                    default_steps: StCnnStep::DEFAULT_STEPS,
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
        None => vec![Experiment::Headline],
    };
    for experiment in experiments {
        println!();
        experiment.run(&Run::from_args(CRATE, &cli.common)?)?;
    }
    println!("\nresults (JSON records and pictures) are in {}", cli.common.out.join(CRATE).display());
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
        assert_eq!(parse(&["distorted"]).unwrap().experiment, Some(Experiment::Distorted));
        let cli = parse(&["undo-rotation", "--quick", "--seed", "3"]).unwrap();
        assert_eq!((cli.experiment, cli.common.seed), (Some(Experiment::UndoRotation), 3));
    }

    #[test]
    fn unknown_experiments_and_flags_are_errors() {
        let err = parse(&["no-such-experiment"]).unwrap_err().to_string();
        assert!(err.contains("no-such-experiment"), "{err}");
        assert!(parse(&["addition", "--no-such-flag"]).is_err());
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
