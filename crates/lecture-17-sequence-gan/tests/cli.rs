//! The binary end to end: settings at the edges of what the command line accepts run or fail
//! with a message, never with a panic.

use std::path::PathBuf;
use std::process::{Command, Output};

const CRATE: &str = "lecture-17-sequence-gan";

/// A scratch output directory for `test`, empty.
fn scratch_out(test: &str) -> PathBuf {
    shared::testing::scratch_out(CRATE, test)
}

/// Runs the lecture binary with `args`.
fn lecture(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lecture-17-sequence-gan"))
        .args(args)
        .output()
        .expect("the binary starts")
}

#[test]
fn the_largest_seed_runs_without_overflow() {
    let out = scratch_out("largest-seed");
    let seed = u64::MAX.to_string();
    let output =
        lecture(&["oracle", "--quick", "--steps", "2", "--seed", &seed, "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(out.join(CRATE).join("oracle.json").is_file());
    assert!(out.join(CRATE).join("oracle-nll.svg").is_file());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn an_out_that_is_a_file_fails_before_training_with_a_message() {
    let out = scratch_out("out-is-a-file");
    std::fs::write(&out, b"a file, not a directory").unwrap();
    let output = lecture(&["oracle", "--quick", "--out", out.to_str().unwrap()]);
    std::fs::remove_file(&out).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("--out {} cannot take the results", out.display())), "{stderr}");
}

#[test]
fn flags_of_other_lectures_and_zero_steps_are_refused() {
    for flag in ["--corpus", "--epochs", "--data-dir"] {
        let output = lecture(&["oracle", flag, "7"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("unexpected argument '{flag}'")), "{stderr}");
    }
    let output = lecture(&["oracle", "--steps", "0"]);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
}
