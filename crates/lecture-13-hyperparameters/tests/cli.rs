//! The binary end to end: settings at the edges of what the command line accepts run or fail
//! with a message, never with a panic.

use std::path::PathBuf;
use std::process::{Command, Output};

const CRATE: &str = "lecture-13-hyperparameters";

fn scratch_out(test: &str) -> PathBuf {
    shared::testing::scratch_out(CRATE, test)
}

fn lecture(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lecture-13-hyperparameters"))
        .args(args)
        .output()
        .expect("the binary starts")
}

#[test]
fn the_largest_seed_runs_and_writes_its_record() {
    let out = scratch_out("largest-seed");
    let seed = u64::MAX.to_string();
    let output = lecture(&["controller", "--quick", "--seed", &seed, "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(out.join(CRATE).join("controller.json").is_file());
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn an_out_that_is_a_file_fails_before_searching_with_a_message() {
    let out = scratch_out("out-is-a-file");
    std::fs::write(&out, b"a file, not a directory").unwrap();
    let output = lecture(&["mnist-search", "--quick", "--out", out.to_str().unwrap()]);
    std::fs::remove_file(&out).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("--out {} cannot take the results", out.display())), "{stderr}");
}

#[test]
fn flags_of_other_lectures_are_refused() {
    for flag in ["--corpus", "--epochs"] {
        let output = lecture(&["mnist-search", flag, "7"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("unexpected argument '{flag}'")), "{stderr}");
    }
}
