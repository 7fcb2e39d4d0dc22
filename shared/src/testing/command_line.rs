//! The checks every lecture's command line must pass, for the unit tests of its `main.rs`:
//! common flags before or after the experiment, the headline demo when no experiment is named,
//! clap's errors for unknown experiments, flags and backends, the optional flags it offers
//! accepted and the others refused, and the `bench` subcommand's protocol flags with `--steps`.

use crate::cli::OPTIONAL_FLAGS;
use clap::{ArgMatches, Command};

/// Asserts that `command` (a lecture's `Cli::command()`) behaves like every lecture's, using
/// `experiment`, one of its subcommands, for the checks that need one. `offered` lists the
/// [`OPTIONAL_FLAGS`] the lecture uses: each must be accepted before and after the experiment,
/// every other one refused with clap's "unexpected argument".
pub fn check_lecture_command_line(command: Command, experiment: &str, offered: &[&str]) {
    command.clone().debug_assert();
    let name = command.get_name().to_string();
    let parse = |args: &[&str]| {
        command.clone().try_get_matches_from(std::iter::once(name.as_str()).chain(args.iter().copied()))
    };

    let headline = parse(&["--quick", "--out", "/tmp/x"]).expect("no experiment: the headline demo");
    assert_eq!(headline.subcommand_name(), None, "no experiment named");
    assert!(headline.get_flag("quick"));

    assert_eq!(parse(&[experiment]).unwrap().subcommand_name(), Some(experiment));
    let after = parse(&[experiment, "--quick", "--seed", "3"]).expect("common flags after the experiment");
    assert_eq!((after.subcommand_name(), seed(&after)), (Some(experiment), 3));
    assert_eq!(seed(&parse(&["--seed", "5", experiment]).unwrap()), 5);

    let err = parse(&["no-such-experiment"]).unwrap_err().to_string();
    assert!(err.contains("no-such-experiment"), "{err}");
    assert!(parse(&[experiment, "--no-such-flag"]).is_err());
    assert!(parse(&["--backend", "cuda"]).is_err());

    for flag in OPTIONAL_FLAGS {
        let (before, after) = (parse(&[flag, "7", experiment]), parse(&[experiment, flag, "7"]));
        if offered.contains(&flag) {
            before.unwrap_or_else(|e| panic!("{flag} before the experiment: {e}"));
            after.unwrap_or_else(|e| panic!("{flag} after the experiment: {e}"));
        } else {
            for refused in [before, after] {
                let err = refused.err().unwrap_or_else(|| panic!("{flag} is accepted but not offered"));
                let err = err.to_string();
                assert!(err.contains(&format!("unexpected argument '{flag}'")), "{err}");
            }
        }
    }

    if command.find_subcommand("bench").is_some() {
        let bench = parse(&["bench", "--runs", "2", "--steps", "3", "--quick"]).expect("bench flags");
        let (_, protocol) = bench.subcommand().expect("bench");
        assert_eq!(protocol.get_one::<usize>("runs"), Some(&2));
        assert_eq!(steps(protocol).or(steps(&bench)), Some(3), "the bench's --steps");
    }
}

/// The `--steps` of `matches`, if it defines one and it was given.
fn steps(matches: &ArgMatches) -> Option<u64> {
    matches.try_get_one::<u64>("steps").ok().flatten().copied()
}

/// The `--seed` a parse ended with (global flags propagate up from a subcommand).
fn seed(matches: &ArgMatches) -> u64 {
    *matches.get_one::<u64>("seed").expect("--seed has a default")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::suite::{ProtocolArgs, ProtocolArgsWithSteps};
    use crate::cli::{CommonArgs, EpochsArg, MnistDirArg, StepsArg};
    use clap::{CommandFactory, Parser, Subcommand};

    /// A lecture's command line, as every `main.rs` writes it.
    #[derive(Parser)]
    #[command(name = "lecture-00-demo")]
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

    #[derive(Subcommand, Clone)]
    enum Experiment {
        /// A claim.
        Adding,
        /// The timed training step.
        Bench(ProtocolArgs),
    }

    /// A lecture that counts epochs: no `--steps` but the bench's own.
    #[derive(Parser)]
    #[command(name = "lecture-00-epochs")]
    struct EpochsCli {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        epochs: EpochsArg,
        #[command(subcommand)]
        experiment: Option<EpochsExperiment>,
    }

    #[derive(Subcommand, Clone)]
    enum EpochsExperiment {
        /// A claim.
        Negation,
        /// The timed training step.
        Bench(ProtocolArgsWithSteps),
    }

    #[test]
    fn a_lecture_shaped_command_line_passes() {
        check_lecture_command_line(Cli::command(), "adding", &["--steps", "--data-dir"]);
        check_lecture_command_line(EpochsCli::command(), "negation", &["--epochs"]);
    }

    #[test]
    #[should_panic(expected = "no experiment")]
    fn a_command_line_that_requires_an_experiment_fails() {
        let command = Cli::command().subcommand_required(true);
        check_lecture_command_line(command, "adding", &["--steps", "--data-dir"]);
    }

    #[test]
    #[should_panic(expected = "--corpus before the experiment")]
    fn a_flag_said_to_be_offered_must_be() {
        check_lecture_command_line(Cli::command(), "adding", &["--steps", "--data-dir", "--corpus"]);
    }

    #[test]
    #[should_panic(expected = "--data-dir is accepted but not offered")]
    fn a_flag_offered_unannounced_fails() {
        check_lecture_command_line(Cli::command(), "adding", &["--steps"]);
    }
}
