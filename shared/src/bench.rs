//! The training-speed benchmark (crate `shared-bench`) as a lecture reaches it: its workloads,
//! timer and records, plus [`suite::run_lecture_suite`], which runs a lecture's `bench`
//! subcommand with the lecture's own run settings ([`Run`]).
//!
//! `shared-bench` stands below `shared` (it needs the backend, the kernels and the records, not
//! the lecture kit), so `shared` re-exports it; the one function that reads a lecture's [`Run`]
//! lives here.

pub use shared_bench::*;

#[cfg(doc)]
use crate::experiment::Run;

pub mod suite {
    //! The suite of `shared-bench` ([`Entry`], [`ProtocolArgs`], [`run_suite`], ...) and a
    //! lecture's entry into it.

    pub use shared_bench::suite::*;

    use crate::experiment::Run;
    use anyhow::Result;
    use shared_bench::BenchRecord;

    /// A lecture's `bench` subcommand: `entries` on the run's backend under the protocol flags,
    /// with the steps per timed run from the common `--steps` and the sizes from `--quick`.
    pub fn run_lecture_suite(run: &Run, entries: &[Entry], args: ProtocolArgs) -> Result<BenchRecord> {
        run_suite(run.backend, entries, &args.with_steps(run.steps), run.quick)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use clap::Parser;

        /// A lecture's command line: the common flags, a global `--steps`, and a `bench`
        /// subcommand taking the protocol flags.
        #[derive(Parser)]
        struct Lecture {
            #[command(flatten)]
            common: crate::cli::CommonArgs,
            #[command(flatten)]
            steps: crate::cli::StepsArg,
            #[command(subcommand)]
            command: LectureCommand,
        }

        #[derive(clap::Subcommand)]
        enum LectureCommand {
            Bench(ProtocolArgs),
        }

        #[test]
        fn a_lectures_bench_takes_the_common_steps_flag() {
            use clap::CommandFactory;
            Lecture::command().debug_assert();
            for args in [["demo", "bench", "--steps", "3"], ["demo", "--steps", "3", "bench"]] {
                let cli = Lecture::try_parse_from(args).unwrap();
                let LectureCommand::Bench(protocol) = cli.command;
                assert_eq!(protocol.with_steps(cli.steps.steps).protocol(10, false).steps, 3);
            }
        }
    }
}
