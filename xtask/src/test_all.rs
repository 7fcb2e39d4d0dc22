//! `cargo xtask test-all`: every crate's tests on each chosen backend, then a summary table.
//!
//! Tests take their device from `LECTURE_BACKEND` (`shared::backend::test_device`), so one test
//! suite covers every backend. The wgpu pass builds with `--features shared/wgpu` and runs on a
//! GPU or on Mesa's software Vulkan. `shared`'s row covers its layer crates (`shared-data`,
//! `shared-kernels`, ...), tested in the same invocation. Claim tests (`claim_*`) and their
//! negative controls (`control_*`) train real models: they run on the first backend only (flex
//! for `cpu` and `all`), and `--fast` skips them everywhere (the software-Vulkan pass in CI).
//! `check-claims` runs first: a claim without its control fails the run before anything builds.

use crate::command::{cargo, run_streaming, use_gpu_build};
use crate::table;
use crate::workspace::{Package, Workspace};
use anyhow::{Result, bail};
use clap::ValueEnum;
use std::collections::BTreeMap;

#[derive(clap::Args)]
pub struct Args {
    /// Backends to test on: one of them, `cpu` (flex and ndarray) or `all` (cpu and wgpu).
    #[arg(long, value_enum, default_value = "cpu")]
    backend: Selection,
    /// Skip the claim tests and their controls (`claim_*`, `control_*`): the fast correctness
    /// tests only.
    #[arg(long)]
    fast: bool,
    /// Test only this crate (e.g. lecture-01-rnn, or shared, which covers its layer crates).
    #[arg(long = "crate", value_name = "NAME")]
    only: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Selection {
    Flex,
    Ndarray,
    Wgpu,
    Cpu,
    All,
}

impl Selection {
    fn backends(self) -> &'static [&'static str] {
        match self {
            Selection::Flex => &["flex"],
            Selection::Ndarray => &["ndarray"],
            Selection::Wgpu => &["wgpu"],
            Selection::Cpu => &["flex", "ndarray"],
            Selection::All => &["flex", "ndarray", "wgpu"],
        }
    }
}

/// Passed and failed test counts of one crate on one backend.
#[derive(Clone, Default)]
struct Counts {
    passed: u64,
    failed: u64,
    ran: bool,
    success: bool,
    seconds: f64,
    /// The signal that killed a test binary (`SIGSEGV`), when one did.
    crash: Option<String>,
}

pub fn run(args: &Args) -> Result<()> {
    crate::check_claims::run()?;
    let workspace = Workspace::load()?;
    let crates: Vec<&Package> = workspace
        .tested_crates()
        .into_iter()
        .filter(|p| args.only.as_deref().is_none_or(|name| p.name == name))
        .collect();
    if crates.is_empty() {
        bail!("no crate named '{}' in the workspace", args.only.as_deref().unwrap_or_default());
    }
    let backends = args.backend.backends();
    let mut results: BTreeMap<(String, &str), Counts> = BTreeMap::new();
    for (i, backend) in backends.iter().enumerate() {
        for package in &crates {
            // xtask touches no device and has no GPU build: test it once, on the CPU.
            if package.name == "xtask" && (i > 0 || *backend == "wgpu") {
                continue;
            }
            // Claims are about the models: they run once, on the first backend (flex for `cpu`
            // and `all`); further backends run the correctness tests (parity, gradient checks).
            let counts = test_crate(&workspace, &package.name, backend, args.fast || i > 0)?;
            results.insert((package.name.clone(), backend), counts);
        }
    }
    print_summary(&crates, backends, &results);
    let failures = results.values().filter(|c| !c.success).count();
    if failures > 0 {
        bail!("{failures} crate x backend runs failed");
    }
    Ok(())
}

fn test_crate(workspace: &Workspace, name: &str, backend: &str, fast: bool) -> Result<Counts> {
    let mut command = cargo();
    command.args(["test", "-p", name]).env("LECTURE_BACKEND", backend);
    // The layers below `shared` are tested with it, in one invocation: alone, each resolves
    // another feature set of the dependencies they share with burn, and cargo rebuilds burn for
    // each set (about ten minutes on two cores).
    if name == "shared" {
        for layer in workspace.shared_layers() {
            command.args(["-p", &layer.name]);
        }
    }
    if backend == "wgpu" {
        use_gpu_build(&mut command, workspace, name)?;
    }
    if fast {
        command.args(["--", "--skip", "claim_", "--skip", "control_"]);
    }
    let outcome = run_streaming(command)?;
    let mut counts = Counts { success: outcome.success, seconds: outcome.seconds, ..Counts::default() };
    for line in &outcome.lines {
        if let Some((passed, failed)) = parse_test_result(line) {
            counts.passed += passed;
            counts.failed += failed;
            counts.ran = true;
        }
        if let Some(signal) = parse_crash_signal(line) {
            counts.crash = Some(signal);
        }
    }
    Ok(counts)
}

/// Reads the signal out of cargo's `process didn't exit successfully: ... (signal: 11, SIGSEGV:
/// invalid memory reference)`: a test binary that died rather than failed a test.
fn parse_crash_signal(line: &str) -> Option<String> {
    let rest = &line[line.find("(signal: ")? + "(signal: ".len()..];
    let name = rest.split([',', ')', ':']).nth(1).map(str::trim).filter(|n| !n.is_empty());
    Some(name.unwrap_or_else(|| rest.split([',', ')']).next().unwrap_or_default()).to_string())
}

/// Reads `test result: ok. 12 passed; 0 failed; ...` into (passed, failed).
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        let end = rest.find(word)?;
        rest[..end].trim_end().rsplit([' ', '.', ';']).next()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

fn print_summary(crates: &[&Package], backends: &[&str], results: &BTreeMap<(String, &str), Counts>) {
    let header: Vec<&str> = std::iter::once("crate").chain(backends.iter().copied()).collect();
    let rows: Vec<Vec<String>> = crates
        .iter()
        .map(|p| {
            let cells = backends.iter().map(|b| match results.get(&(p.name.clone(), *b)) {
                None => "-".to_string(),
                Some(c) if c.success => format!("ok {} passed ({:.0}s)", c.passed, c.seconds),
                Some(Counts { crash: Some(signal), passed, failed, .. }) => {
                    format!("CRASHED ({signal}) after {passed} passed, {failed} failed")
                }
                Some(c) if c.ran => format!("FAILED {} of {}", c.failed, c.passed + c.failed),
                Some(_) => "FAILED to build".to_string(),
            });
            std::iter::once(p.name.clone()).chain(cells).collect()
        })
        .collect();
    println!("\n{}", table::markdown(&header, &rows));
    let passed: u64 = results.values().map(|c| c.passed).sum();
    let failed: u64 = results.values().map(|c| c.failed).sum();
    println!("{passed} passed, {failed} failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_test_result_lines() {
        let ok =
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.52s";
        assert_eq!(parse_test_result(ok), Some((12, 0)));
        let bad = "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_test_result(bad), Some((3, 2)));
        assert_eq!(parse_test_result("running 12 tests"), None);
    }

    #[test]
    fn reads_the_signal_of_a_crashed_test_binary() {
        let crashed = "error: test failed, to rerun pass `--lib`\n\nCaused by:\n  process didn't exit \
                       successfully: `/t/deps/x-1 --skip claim_` (signal: 11, SIGSEGV: invalid memory reference)";
        assert_eq!(parse_crash_signal(crashed).as_deref(), Some("SIGSEGV"));
        assert_eq!(parse_crash_signal("x (signal: 6)").as_deref(), Some("6"));
        assert_eq!(parse_crash_signal("error: test failed, to rerun pass `--lib`"), None);
    }
}
