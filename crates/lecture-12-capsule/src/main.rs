//! `cargo run -p lecture-12-capsule [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_12_capsule::bench_workload::CapsNetStep;
use lecture_12_capsule::capsnet::CapsNetConfig;
use lecture_12_capsule::experiments::{ablation, digits};
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
    /// Claims 3 and 5: CapsNets without the reconstruction loss and with one routing pass.
    Ablation,
    /// Not a claim: times this lecture's reduced CapsNet training step (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-12-capsule` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::Digits];

impl Experiment {
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::Digits => drop(digits::run(run, &digits::Config::for_run(run))?),
            Experiment::Ablation => drop(ablation::run(run, &ablation::Config::for_run(run))?),
            Experiment::Bench(protocol) => {
                let entry = Entry {
                    build: Box::new(|device| {
                        let config = CapsNetConfig::reduced();
                        Box::new(CapsNetStep::new(&config, CapsNetStep::BATCH, device).expect("valid sizes"))
                    }),
                    default_steps: CapsNetStep::DEFAULT_STEPS,
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
        assert_eq!(parse(&["digits"]).unwrap().experiment, Some(Experiment::Digits));
        let cli = parse(&["ablation", "--quick", "--seed", "3"]).unwrap();
        assert_eq!((cli.experiment, cli.common.seed), (Some(Experiment::Ablation), 3));
    }

    #[test]
    fn unknown_experiments_and_flags_are_errors() {
        let err = parse(&["no-such-experiment"]).unwrap_err().to_string();
        assert!(err.contains("no-such-experiment"), "{err}");
        assert!(parse(&["digits", "--no-such-flag"]).is_err());
    }

    #[test]
    fn bench_takes_the_protocol_flags() {
        let cli = parse(&["bench", "--runs", "2", "--quick"]).unwrap();
        let Some(Experiment::Bench(protocol)) = cli.experiment else { panic!("bench parses") };
        assert_eq!(protocol.runs, Some(2));
    }

    #[test]
    fn the_parser_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
