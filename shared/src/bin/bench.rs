//! `bench`: training steps per second of the six benchmark workloads on one burn backend.
//!
//! ```text
//! cargo run -p shared --bin bench -- --backend flex --workloads mlp,cnn --json out/bench/burn-flex.json
//! ```
//! Prints a table (workload | steps/s median | ms/step | min..max) and, with `--json`, writes the
//! record `cargo xtask bench` compares against `bench/pytorch_bench.py`.

use anyhow::Result;
use clap::Parser;
use shared::atomic::write_json_atomic;
use shared::backend::{BackendKind, training_device};
use shared::bench::{BenchRecord, Protocol, WorkloadKind, WorkloadRecord, measure};
use std::path::PathBuf;

/// Seed of every workload's parameter initialisation (reset before each workload).
const SEED: u64 = 0;

/// Training-speed benchmark: warm-up steps, then timed runs; reports the median steps/s.
#[derive(Parser, Debug)]
#[command(name = "bench")]
struct Args {
    /// The burn backend to run on.
    #[arg(long, value_enum, default_value_t = BackendKind::DEFAULT)]
    backend: BackendKind,
    /// Comma-separated workloads to run, in this order.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = WorkloadKind::ALL)]
    workloads: Vec<WorkloadKind>,
    /// Timed runs per workload [default: 5; 1 with --quick].
    #[arg(long, value_parser = at_least_one)]
    runs: Option<usize>,
    /// Steps per timed run [default: per workload, ~1-3 s a run on flex; 2 with --quick].
    #[arg(long, value_parser = at_least_one)]
    steps: Option<usize>,
    /// Untimed warm-up steps [default: a fifth of the steps, at least 2; 1 with --quick].
    #[arg(long)]
    warmup: Option<usize>,
    /// Also write the results as JSON to this path (atomically).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Smoke test: one run of a few steps per workload.
    #[arg(long)]
    quick: bool,
}

impl Args {
    /// The protocol for `kind`: explicit flags first, then --quick, then the defaults.
    fn protocol(&self, kind: WorkloadKind) -> Protocol {
        let steps = self
            .steps
            .unwrap_or(if self.quick { 2 } else { kind.default_steps() });
        let default_warmup = if self.quick { 1 } else { (steps / 5).max(2) };
        Protocol {
            warmup: self.warmup.unwrap_or(default_warmup),
            runs: self.runs.unwrap_or(if self.quick { 1 } else { 5 }),
            steps,
        }
    }
}

/// Parses a count that must be at least 1 (`--runs`, `--steps`).
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("not a count: {e}")),
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let device = training_device(args.backend, SEED)?;
    let mut workloads = Vec::with_capacity(args.workloads.len());
    for &kind in &args.workloads {
        device.seed(SEED);
        let mut workload = kind.build(&device);
        let protocol = args.protocol(kind);
        eprintln!(
            "{}: {} warm-up steps, {} runs of {} steps",
            workload.name(),
            protocol.warmup,
            protocol.runs,
            protocol.steps
        );
        let measurement = measure(workload.as_mut(), &device, protocol)?;
        workloads.push(WorkloadRecord::new(
            workload.name(),
            workload.description(),
            &measurement,
        ));
    }
    let record = BenchRecord {
        framework: "burn".to_string(),
        backend: args.backend.name().to_string(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        workloads,
    };
    print!("{}", record.table());
    if let Some(path) = &args.json {
        write_json_atomic(path, &record)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_are_comma_separated_names_and_default_to_all() {
        let args = Args::try_parse_from(["bench", "--workloads", "mlp,seq2seq_attention"]).unwrap();
        assert_eq!(
            args.workloads,
            [WorkloadKind::Mlp, WorkloadKind::Seq2seqAttention]
        );
        assert_eq!(
            Args::try_parse_from(["bench"]).unwrap().workloads,
            WorkloadKind::ALL
        );
    }

    #[test]
    fn an_unknown_workload_is_an_error_listing_the_names() {
        let err = Args::try_parse_from(["bench", "--workloads", "mlp,lstm"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("'lstm'"), "{err}");
        assert!(
            err.contains("char_lstm, mlp, cnn, capsnet, gan, seq2seq_attention"),
            "{err}"
        );
    }

    #[test]
    fn quick_shrinks_the_defaults_but_not_explicit_flags() {
        let quick = Args::try_parse_from(["bench", "--quick"]).unwrap();
        assert_eq!(
            quick.protocol(WorkloadKind::Mlp),
            Protocol {
                warmup: 1,
                runs: 1,
                steps: 2
            }
        );
        let full = Args::try_parse_from(["bench", "--backend", "ndarray"]).unwrap();
        assert_eq!(full.backend, BackendKind::Ndarray);
        assert_eq!(
            full.protocol(WorkloadKind::Mlp),
            Protocol {
                warmup: 60,
                runs: 5,
                steps: 300
            }
        );
        let err = Args::try_parse_from(["bench", "--runs", "0"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("must be at least 1"), "{err}");
        let explicit =
            Args::try_parse_from(["bench", "--quick", "--steps", "7", "--runs", "3"]).unwrap();
        assert_eq!(
            explicit.protocol(WorkloadKind::Cnn),
            Protocol {
                warmup: 1,
                runs: 3,
                steps: 7
            }
        );
    }
}
