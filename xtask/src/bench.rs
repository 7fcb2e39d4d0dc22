//! `cargo xtask bench`: training steps per second of the fixed workloads, burn beside PyTorch.
//!
//! The workloads live in `shared-bench` and run through its `bench` binary; their
//! PyTorch twins live in `bench/pytorch_bench.py`; both write the same JSON schema. A lecture
//! with a `bench` subcommand adds its own models' training steps (named `lecture-NN-topic:
//! workload`), timed the same way; their twins are in `bench/pytorch_lectures.py`, under the
//! same names. This task prints them side by side with the ratio burn / PyTorch (above 1: burn
//! is faster; `-` where a workload has no twin). Run it on an idle machine: a concurrent build
//! slows either side by up to 10x.

use crate::command::{cargo, run_streaming, use_gpu_build};
use crate::list::experiments;
use crate::table;
use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use shared_report::atomic::write_atomic;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(clap::Args)]
pub struct Args {
    /// Backend for the burn side (flex, ndarray or wgpu).
    #[arg(long, default_value = "flex")]
    backend: String,
    /// Also run the PyTorch twins (needs `python3 -c "import torch"` to work) and print ratios.
    #[arg(long)]
    compare_pytorch: bool,
    /// One short run per workload: a smoke test, not a measurement.
    #[arg(long)]
    quick: bool,
    /// Comma-separated workloads (default: all).
    #[arg(long)]
    workloads: Option<String>,
    /// Timed runs per workload (the median is reported).
    #[arg(long)]
    runs: Option<u32>,
    /// Directory for the JSON results and the summary table.
    #[arg(long, default_value = "out/bench")]
    out: PathBuf,
}

/// The JSON both harnesses write.
#[derive(Deserialize)]
struct BenchFile {
    framework: String,
    backend: String,
    threads: u64,
    workloads: Vec<WorkloadResult>,
}

#[derive(Deserialize)]
struct WorkloadResult {
    name: String,
    steps_per_s: f64,
    ms_per_step: f64,
}

pub fn run(args: &Args) -> Result<()> {
    let burn_json = args.out.join(format!("burn-{}.json", args.backend));
    let mut command = cargo();
    command.args(["run", "-p", "shared-bench", "--bin", "bench"]);
    if args.backend == "wgpu" {
        use_gpu_build(&mut command, &Workspace::load()?, "shared-bench")?;
    }
    command.args(["--", "--backend", &args.backend, "--json"]).arg(&burn_json);
    add_shared_flags(&mut command, args, true);
    if !run_streaming(command)?.success {
        bail!("the burn benchmark failed");
    }
    let mut burn = read(&burn_json)?;
    burn.workloads.extend(run_lecture_benches(args)?);
    let pytorch = if args.compare_pytorch { run_pytorch(args, &burn.workloads)? } else { None };
    let summary = summarize(&burn, pytorch.as_ref());
    println!("\n{summary}");
    let path = args.out.join("summary.md");
    write_atomic(&path, summary.as_bytes())?;
    println!("Wrote {}, {}", burn_json.display(), path.display());
    Ok(())
}

/// Every lecture's own workloads: a lecture binary with a `bench` subcommand times its models'
/// training steps with the same protocol. Their names get the lecture as a prefix.
fn run_lecture_benches(args: &Args) -> Result<Vec<WorkloadResult>> {
    let workspace = Workspace::load()?;
    let mut results = Vec::new();
    for lecture in workspace.lectures() {
        if !experiments(&lecture.name)?.iter().any(|(name, _)| name == "bench") {
            continue;
        }
        let json = args.out.join(format!("{}-{}.json", lecture.name, args.backend));
        let mut command = cargo();
        command.args(["run", "-p", &lecture.name]);
        if args.backend == "wgpu" {
            use_gpu_build(&mut command, &workspace, &lecture.name)?;
        }
        command.args(["--", "bench", "--backend", &args.backend, "--json"]).arg(&json);
        add_shared_flags(&mut command, args, false);
        if !run_streaming(command)?.success {
            bail!("the benchmark of {} failed", lecture.name);
        }
        for mut workload in read(&json)?.workloads {
            workload.name = format!("{}: {}", lecture.name, workload.name);
            results.push(workload);
        }
    }
    Ok(results)
}

/// Passes `--quick`, `--runs` and (where the harness has the eight workloads) `--workloads` on.
fn add_shared_flags(command: &mut Command, args: &Args, with_workloads: bool) {
    if args.quick {
        command.arg("--quick");
    }
    if let Some(workloads) = args.workloads.as_ref().filter(|_| with_workloads) {
        command.args(["--workloads", workloads]);
    }
    if let Some(runs) = args.runs {
        command.args(["--runs", &runs.to_string()]);
    }
}

/// The PyTorch twins of the workloads burn measured (`bench/pytorch_bench.py`, which holds the
/// eight shared ones and, through `bench/pytorch_lectures.py`, the lectures'), or `None` without
/// PyTorch. Workloads without a twin are skipped there and show `-` in the table.
fn run_pytorch(args: &Args, measured: &[WorkloadResult]) -> Result<Option<BenchFile>> {
    let has_torch =
        Command::new("python3").args(["-c", "import torch"]).output().is_ok_and(|o| o.status.success());
    if !has_torch {
        println!(
            "PyTorch is not installed (`python3 -c \"import torch\"` fails): no ratios. `pip install torch` adds them."
        );
        return Ok(None);
    }
    let json = args.out.join("pytorch.json");
    let names: Vec<&str> = measured.iter().map(|w| w.name.as_str()).collect();
    if !run_streaming(pytorch_command(args, &names, &json))?.success {
        bail!("the PyTorch benchmark failed");
    }
    Ok(Some(read(&json)?))
}

/// `python3 bench/pytorch_bench.py` on exactly the workloads `names` (burn's reported names, so
/// `--workloads` was applied on the burn side) that have a twin, with `--quick` and `--runs`.
fn pytorch_command(args: &Args, names: &[&str], json: &Path) -> Command {
    let mut command = Command::new("python3");
    command.arg("bench/pytorch_bench.py").arg("--json").arg(json);
    command.args(["--skip-unknown", "--workloads", &names.join(",")]);
    add_shared_flags(&mut command, args, false);
    command
}

fn read(path: &Path) -> Result<BenchFile> {
    let text = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&text).with_context(|| format!("{} is not a benchmark result", path.display()))
}

/// The markdown table: burn's steps/s, PyTorch's, and their ratio, per workload.
fn summarize(burn: &BenchFile, pytorch: Option<&BenchFile>) -> String {
    let burn_column = format!("{} {} steps/s", burn.framework, burn.backend);
    let mut header = vec!["workload", burn_column.as_str(), "ms/step"];
    if pytorch.is_some() {
        header.extend(["PyTorch steps/s", "burn / PyTorch"]);
    }
    let rows: Vec<Vec<String>> = burn
        .workloads
        .iter()
        .map(|w| {
            let mut row =
                vec![w.name.clone(), format!("{:.2}", w.steps_per_s), format!("{:.1}", w.ms_per_step)];
            if let Some(torch) = pytorch {
                match torch.workloads.iter().find(|t| t.name == w.name) {
                    Some(t) => row.extend([
                        format!("{:.2}", t.steps_per_s),
                        format!("{:.2}x", w.steps_per_s / t.steps_per_s),
                    ]),
                    None => row.extend(["-".into(), "-".into()]),
                }
            }
            row
        })
        .collect();
    format!(
        "{}\nThreads: burn {}{}\n",
        table::markdown(&header, &rows),
        burn.threads,
        pytorch.map(|t| format!(", PyTorch {}", t.threads)).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(framework: &str, rates: &[(&str, f64)]) -> BenchFile {
        BenchFile {
            framework: framework.into(),
            backend: "cpu".into(),
            threads: 2,
            workloads: rates
                .iter()
                .map(|(n, r)| WorkloadResult { name: n.to_string(), steps_per_s: *r, ms_per_step: 1e3 / r })
                .collect(),
        }
    }

    #[test]
    fn pytorch_runs_every_workload_burn_measured_and_skips_those_without_a_twin() {
        let args = Args {
            backend: "flex".into(),
            compare_pytorch: true,
            quick: true,
            workloads: Some("mlp".into()),
            runs: Some(3),
            out: PathBuf::from("out/bench"),
        };
        let names = ["mlp", "lecture-01-rnn: char_lstm_scratch"];
        let command = pytorch_command(&args, &names, Path::new("out/bench/pytorch.json"));
        let argv: Vec<&str> = command.get_args().map(|a| a.to_str().unwrap()).collect();
        assert_eq!(
            argv,
            [
                "bench/pytorch_bench.py",
                "--json",
                "out/bench/pytorch.json",
                "--skip-unknown",
                "--workloads",
                "mlp,lecture-01-rnn: char_lstm_scratch",
                "--quick",
                "--runs",
                "3"
            ]
        );
    }

    #[test]
    fn the_ratio_is_burn_over_pytorch() {
        let burn = file("burn", &[("mlp", 200.0), ("cnn", 10.0)]);
        let torch = file("pytorch", &[("mlp", 400.0)]);
        let table = summarize(&burn, Some(&torch));
        assert!(table.contains("| mlp "), "{table}");
        assert!(table.contains("0.50x"), "{table}");
        assert!(table.lines().any(|l| l.starts_with("| cnn") && l.contains(" - ")), "{table}");
    }
}
