//! The binary end to end: the quick headline runs and writes its records and pictures; settings
//! at the edges of the command line run or fail with a message, never a panic.

use std::path::PathBuf;
use std::process::{Command, Output};

const CRATE: &str = "lecture-03-backprop";

/// A scratch output directory for `test`, empty.
fn scratch_out(test: &str) -> PathBuf {
    shared::testing::scratch_out(CRATE, test)
}

/// Runs the lecture binary with `args`.
fn lecture(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lecture-03-backprop")).args(args).output().expect("the binary starts")
}

#[test]
fn the_quick_headline_writes_its_records_and_graphs() {
    let out = scratch_out("headline");
    let output = lecture(&["--quick", "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let dir = out.join(CRATE);
    for file in [
        "graphs.json",
        "mlp-training.json",
        "chain-rule.json",
        "cost-scaling.json",
        "expression.dot",
        "expression.svg",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let dot = std::fs::read_to_string(dir.join("rnn-unrolled.dot")).unwrap();
    assert!(dot.starts_with("digraph") && dot.contains("W_rec") && dot.contains("->"), "{dot}");
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn the_largest_seed_runs_without_overflow() {
    let out = scratch_out("largest-seed");
    let seed = u64::MAX.to_string();
    let output = lecture(&["bptt", "--quick", "--seed", &seed, "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(out.join(CRATE).join("bptt.json").is_file());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn zero_steps_is_refused_with_a_message() {
    let out = scratch_out("zero-steps");
    let output = lecture(&["mlp-training", "--quick", "--steps", "0", "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("invalid value '0' for '--steps"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}
