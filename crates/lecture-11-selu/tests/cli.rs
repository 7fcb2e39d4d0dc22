//! The binary end to end: settings at the edges of what the command line accepts run or fail
//! with a message, never with a panic.

use lecture_11_selu::experiments::{alpha_dropout, self_normalising};
use shared::experiment::Run;
use std::path::PathBuf;
use std::process::{Command, Output};

const CRATE: &str = "lecture-11-selu";

/// A scratch output directory for `test`, empty.
fn scratch_out(test: &str) -> PathBuf {
    shared::testing::scratch_out(CRATE, test)
}

/// Runs the lecture binary with `args`.
fn lecture(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lecture-11-selu")).args(args).output().expect("the binary starts")
}

#[test]
fn the_largest_seed_runs_without_overflow() {
    let out = scratch_out("largest-seed");
    let seed = u64::MAX.to_string();
    let output = lecture(&["self-normalising", "--quick", "--seed", &seed, "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(out.join(CRATE).join("self-normalising.json").is_file());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn experiments_derive_their_streams_from_the_largest_seed() {
    let run = Run::for_test(CRATE, u64::MAX);
    self_normalising::run(&run, &self_normalising::Config::for_run(&run)).unwrap();
    alpha_dropout::run(&run, &alpha_dropout::Config::for_run(&run)).unwrap();
}

#[test]
fn an_out_that_is_a_file_fails_before_training_with_a_message() {
    let out = scratch_out("out-is-a-file");
    std::fs::write(&out, b"a file, not a directory").unwrap();
    let output = lecture(&["deep-mnist", "--quick", "--out", out.to_str().unwrap()]);
    std::fs::remove_file(&out).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("--out {} cannot take the results", out.display())), "{stderr}");
}

#[test]
fn flags_of_other_lectures_are_refused_and_the_data_dir_says_what_it_reads() {
    for flag in ["--corpus", "--epochs"] {
        let output = lecture(&["deep-mnist", flag, "7"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("unexpected argument '{flag}'")), "{stderr}");
    }
    let help = String::from_utf8_lossy(&lecture(&["--help"]).stdout).into_owned();
    assert!(help.contains("--data-dir <DIR>") && help.contains("MNIST IDX files"), "{help}");
    assert!(help.contains("--steps <STEPS>") && !help.contains("--corpus"), "{help}");
}
