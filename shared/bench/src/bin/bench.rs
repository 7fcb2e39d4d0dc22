//! `bench`: training steps per second of the eight benchmark workloads on one burn backend.
//!
//! ```text
//! cargo run -p shared-bench --bin bench -- --backend flex --workloads mlp,cnn --json out/bench/burn-flex.json
//! ```
//! Prints a table (workload | steps/s median | ms/step | min..max) and, with `--json`, writes the
//! record `cargo xtask bench` compares against `bench/pytorch_bench.py`.

use anyhow::Result;
use clap::Parser;
use shared_backend::BackendKind;
use shared_bench::WorkloadKind;
use shared_bench::suite::{Entry, ProtocolArgsWithSteps, run_suite};

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
    #[command(flatten)]
    protocol: ProtocolArgsWithSteps,
    /// Smoke test: one run of a few steps per workload.
    #[arg(long)]
    quick: bool,
}

fn main() -> Result<()> {
    shared_kernels::threads::join_rayon_pool();
    let args = Args::parse();
    let entries: Vec<Entry> = args
        .workloads
        .iter()
        .map(|&kind| Entry {
            build: Box::new(move |device| kind.build(device)),
            default_steps: kind.default_steps(),
        })
        .collect();
    run_suite(args.backend, &entries, &args.protocol.into_protocol(), args.quick)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_are_comma_separated_names_and_default_to_all() {
        let args = Args::try_parse_from(["bench", "--workloads", "mlp,seq2seq_attention"]).unwrap();
        assert_eq!(args.workloads, [WorkloadKind::Mlp, WorkloadKind::Seq2seqAttention]);
        assert_eq!(Args::try_parse_from(["bench"]).unwrap().workloads, WorkloadKind::ALL);
    }

    #[test]
    fn an_unknown_workload_is_an_error_listing_the_names() {
        let err = Args::try_parse_from(["bench", "--workloads", "mlp,lstm"]).unwrap_err().to_string();
        assert!(err.contains("'lstm'"), "{err}");
        assert!(
            err.contains("char_lstm, char_lstm_burn, mlp, cnn, capsnet, gan, seq2seq_attention"),
            "{err}"
        );
    }

    #[test]
    fn the_backend_and_protocol_flags_parse() {
        let args =
            Args::try_parse_from(["bench", "--backend", "ndarray", "--quick", "--runs", "3", "--steps", "4"])
                .unwrap();
        assert_eq!(args.backend, BackendKind::Ndarray);
        let protocol = args.protocol.into_protocol().protocol(WorkloadKind::Mlp.default_steps(), args.quick);
        assert_eq!((protocol.runs, protocol.steps), (3, 4));
    }
}
