//! Running a list of workloads under one protocol: the front end shared by the `bench` binary
//! and each lecture's `bench` subcommand (a lecture registers its own models' training steps).
//!
//! Every workload is built right after the device is re-seeded, so each starts from the same
//! weights whatever ran before it; then it is timed by [`measure`] and recorded.

use super::{BenchRecord, Protocol, Workload, WorkloadRecord, measure};
use anyhow::Result;
use burn::prelude::Device;
use shared_backend::{BackendKind, training_device};
use shared_kernels::allocator::keep_freed_memory;
use shared_report::atomic::write_json_atomic;
use std::path::PathBuf;

/// Seed of every workload's parameters and fixed batch.
pub const SEED: u64 = 0;

/// Builds a workload on an autodiff device.
pub type Builder = Box<dyn Fn(&Device) -> Box<dyn Workload>>;

/// A workload to measure: how to build it and how many steps a timed run takes by default.
pub struct Entry {
    /// Builds the workload.
    pub build: Builder,
    /// Steps per timed run when `--steps` is not given (about 1-3 s a run on flex).
    pub default_steps: usize,
}

/// The timing flags every benchmark front end shares.
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolArgs {
    /// Timed runs per workload [default: 5; 1 with --quick].
    #[arg(long, value_parser = at_least_one)]
    pub runs: Option<usize>,
    /// Steps per timed run [default: per workload, ~1-3 s a run on flex; 2 with --quick].
    /// Not a flag of its own: each front end fills it from its `--steps` (a lecture's
    /// [`StepsArg`](crate::cli::StepsArg), or [`ProtocolArgsWithSteps`]'s own, see
    /// [`ProtocolArgs::with_steps`]), so one command line never defines it twice.
    #[arg(skip)]
    pub steps: Option<usize>,
    /// Untimed warm-up steps [default: a fifth of the steps, at least 2; 1 with --quick].
    #[arg(long)]
    pub warmup: Option<usize>,
    /// Also write the results as JSON to this path (atomically).
    #[arg(long)]
    pub json: Option<PathBuf>,
}

impl ProtocolArgs {
    /// These flags with the steps per timed run taken from a front end's `--steps`, when given.
    pub fn with_steps(self, steps: Option<u64>) -> Self {
        let steps = steps.map(|s| usize::try_from(s).unwrap_or(usize::MAX));
        Self { steps: steps.or(self.steps), ..self }
    }

    /// The protocol for a workload: explicit flags first, then `quick`, then the defaults.
    pub fn protocol(&self, default_steps: usize, quick: bool) -> Protocol {
        let steps = self.steps.unwrap_or(if quick { 2 } else { default_steps });
        let default_warmup = if quick { 1 } else { (steps / 5).max(2) };
        Protocol {
            warmup: self.warmup.unwrap_or(default_warmup),
            runs: self.runs.unwrap_or(if quick { 1 } else { 5 }),
            steps,
        }
    }
}

/// The timing flags with a `--steps` of their own: for a front end without a `--steps` flag of
/// its experiments (the `bench` binary; lecture 07, whose experiments count epochs).
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolArgsWithSteps {
    #[command(flatten)]
    pub protocol: ProtocolArgs,
    /// Steps per timed run [default: per workload, ~1-3 s a run on flex; 2 with --quick].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub steps: Option<u64>,
}

impl ProtocolArgsWithSteps {
    /// The timing flags, steps included.
    pub fn into_protocol(self) -> ProtocolArgs {
        self.protocol.with_steps(self.steps)
    }
}

/// Measures every entry on `backend`, prints the table, writes the JSON if asked, and returns
/// the record. Freed memory stays in the process meanwhile ([`keep_freed_memory`]).
pub fn run_suite(
    backend: BackendKind,
    entries: &[Entry],
    args: &ProtocolArgs,
    quick: bool,
) -> Result<BenchRecord> {
    keep_freed_memory();
    let device = training_device(backend, SEED)?;
    let mut workloads = Vec::with_capacity(entries.len());
    for entry in entries {
        device.seed(SEED);
        let mut workload = (entry.build)(&device);
        let protocol = args.protocol(entry.default_steps, quick);
        eprintln!(
            "{}: {} warm-up steps, {} runs of {} steps",
            workload.name(),
            protocol.warmup,
            protocol.runs,
            protocol.steps
        );
        let measurement = measure(workload.as_mut(), &device, protocol)?;
        workloads.push(WorkloadRecord::new(workload.name(), workload.description(), &measurement));
    }
    let record = BenchRecord {
        framework: "burn".to_string(),
        backend: backend.name().to_string(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        workloads,
    };
    print!("{}", record.table());
    if let Some(path) = &args.json {
        write_json_atomic(path, &record)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(record)
}

/// Parses a count that must be at least 1 (`--runs`).
pub fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("not a count: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Demo {
        #[command(flatten)]
        protocol: ProtocolArgs,
    }

    fn parse(args: &[&str]) -> Result<ProtocolArgs, clap::Error> {
        Demo::try_parse_from(std::iter::once("demo").chain(args.iter().copied())).map(|d| d.protocol)
    }

    #[test]
    fn quick_shrinks_the_defaults_but_not_explicit_flags() {
        let defaults = parse(&[]).unwrap();
        assert_eq!(defaults.protocol(300, true), Protocol { warmup: 1, runs: 1, steps: 2 });
        assert_eq!(defaults.protocol(300, false), Protocol { warmup: 60, runs: 5, steps: 300 });
        let explicit = parse(&["--runs", "3"]).unwrap().with_steps(Some(7));
        assert_eq!(explicit.protocol(10, true), Protocol { warmup: 1, runs: 3, steps: 7 });
        let err = parse(&["--runs", "0"]).unwrap_err().to_string();
        assert!(err.contains("must be at least 1"), "{err}");
    }

    #[test]
    fn steps_of_their_own_are_kept_when_the_front_end_has_none() {
        #[derive(Parser)]
        struct Own {
            #[command(flatten)]
            protocol: ProtocolArgsWithSteps,
        }
        let own = Own::try_parse_from(["demo", "--steps", "4", "--runs", "2"]).unwrap().protocol;
        let protocol = own.into_protocol().with_steps(None).protocol(10, false);
        assert_eq!((protocol.steps, protocol.runs), (4, 2));
        assert!(Own::try_parse_from(["demo", "--steps", "0"]).is_err());
    }

    #[test]
    fn a_suite_measures_every_entry_and_writes_its_record() {
        let json = std::env::temp_dir().join(format!("suite-{}.json", std::process::id()));
        let entries = [Entry {
            build: Box::new(|device| {
                let sizes = crate::MlpSizes { input: 8, hidden: 4, classes: 3, batch: 2 };
                Box::new(crate::Mlp::new(sizes, device))
            }),
            default_steps: 3,
        }];
        let args = ProtocolArgs { json: Some(json.clone()), ..ProtocolArgs::default() };
        let record = run_suite(BackendKind::Flex, &entries, &args, true).unwrap();
        assert_eq!(record.workloads.len(), 1);
        assert!(record.workloads[0].steps_per_s > 0.0);
        let written: BenchRecord = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert_eq!(written.workloads[0].name, record.workloads[0].name);
    }
}
