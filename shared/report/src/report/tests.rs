//! Tests of records on disk: round trip, atomic write, errors that name the file, collection.

use super::{ExperimentRecord, collect_records};
use std::fs;
use std::path::PathBuf;

/// A fresh empty directory under the system temp dir, unique to this test and process.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shared-report-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[derive(serde::Serialize)]
struct Config {
    hidden: usize,
    learning_rate: f64,
}

fn sample_record() -> ExperimentRecord {
    let config = Config { hidden: 64, learning_rate: 0.01 };
    let mut record = ExperimentRecord::new("lecture-08-attention", "copy-task")
        .with_run("flex", 7, true)
        .with_config(&config)
        .unwrap();
    record.define_curve("train loss", "epoch", "cross-entropy");
    for epoch in 1..=3 {
        record.push_point("train loss", epoch as f64, 1.0 / epoch as f64);
    }
    record.push_point("diverged", 1.0, f64::INFINITY);
    record.push_point("diverged", 2.0, f64::NAN);
    record.set_metric("test accuracy", 0.9731);
    record.set_metric("final loss | no-attention", f64::NAN);
    record.add_claim("attention copies", "accuracy > 0.9", "0.973", true);
    record.add_claim("no attention copies", "accuracy < 0.5", "0.81", false);
    record.add_picture("copy-task-attention.svg");
    record.set_wall_time_s(12.5);
    record
}

#[test]
fn a_written_record_loads_back_unchanged_nan_included() {
    let dir = scratch_dir("round-trip");
    let record = sample_record();
    let path = record.write(&dir).unwrap();
    assert_eq!(path, dir.join("lecture-08-attention/copy-task.json"));
    let back = ExperimentRecord::load(&path).unwrap();
    assert!(back.metrics["final loss | no-attention"].is_nan());
    assert_eq!(back.curves["diverged"].points[0], (1.0, f64::INFINITY));
    assert!(back.curves["diverged"].points[1].1.is_nan());
    let without_nan = |mut r: ExperimentRecord| {
        r.metrics.remove("final loss | no-attention");
        r.curves.remove("diverged");
        r
    };
    assert_eq!(without_nan(back), without_nan(record));
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(json["metrics"]["final loss | no-attention"], "NaN", "standard JSON, NaN as a string");
    assert_eq!(json["config"]["hidden"], 64);
    assert_eq!(json["curves"]["train loss"]["x_label"], "epoch");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn writing_twice_leaves_one_file_and_no_temporary() {
    let dir = scratch_dir("atomic");
    let mut record = sample_record();
    record.write(&dir).unwrap();
    record.set_metric("test accuracy", 0.5);
    let path = record.write(&dir).unwrap();
    let names: Vec<_> =
        fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["copy-task.json"]);
    assert_eq!(ExperimentRecord::load(&path).unwrap().metrics["test accuracy"], 0.5);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn malformed_json_is_an_error_that_names_the_file() {
    let dir = scratch_dir("malformed");
    let path = dir.join("broken.json");
    fs::write(&path, "{\"crate_name\": \"x\",").unwrap();
    let message = format!("{:#}", ExperimentRecord::load(&path).unwrap_err());
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("line 1"), "{message}");
    let missing = format!("{:#}", ExperimentRecord::load(dir.join("absent.json")).unwrap_err());
    assert!(missing.contains("absent.json"), "{missing}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn names_that_are_not_file_names_are_refused() {
    let dir = scratch_dir("names");
    for (crate_name, experiment) in [("", "a"), ("lecture", "../escape"), (".hidden", "a"), ("a/b", "c")] {
        let error = ExperimentRecord::new(crate_name, experiment).write(&dir).unwrap_err().to_string();
        assert!(error.contains("name"), "{error}");
    }
    let mut record = ExperimentRecord::new("lecture", "a");
    record.add_picture("../outside.png");
    assert!(record.write(&dir).unwrap_err().to_string().contains("outside.png"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_markdown_table_lists_every_metric_and_claim() {
    let table = sample_record().markdown_table();
    assert!(table.contains("| test accuracy | 0.9731 |"), "{table}");
    assert!(table.contains("| final loss \\| no-attention | NaN |"), "{table}");
    assert!(table.contains("| attention copies | accuracy > 0.9 | 0.973 | yes |"), "{table}");
    assert!(table.contains("| no attention copies | accuracy < 0.5 | 0.81 | **NO** |"), "{table}");
    assert_eq!(table.lines().filter(|l| l.starts_with("|:--")).count(), 2, "two tables, each with its rule");
}

#[test]
fn the_summary_ends_with_where_the_files_went() {
    let summary = sample_record().summary("out/lecture-08-attention/copy-task.json");
    assert!(summary.starts_with("== lecture-08-attention / copy-task (quick run, backend flex, seed 7) =="));
    assert!(summary.contains("claims held: 1 of 2"));
    let last_lines: Vec<&str> = summary.lines().rev().take(2).collect();
    assert_eq!(
        last_lines,
        [
            "picture: out/lecture-08-attention/copy-task-attention.svg",
            "record: out/lecture-08-attention/copy-task.json"
        ]
    );
}

#[test]
fn collect_finds_records_and_lists_what_it_skipped() {
    let dir = scratch_dir("collect");
    let first = sample_record().write(&dir).unwrap();
    let second = ExperimentRecord::new("lecture-01-rnn", "parity").write(&dir).unwrap();
    fs::write(dir.join("lecture-01-rnn/metrics-log.json"), "[1, 2, 3]").unwrap();
    fs::write(dir.join("lecture-01-rnn/parity.svg"), "<svg/>").unwrap();
    fs::write(dir.join("stray.json"), "{}").unwrap();
    let collected = collect_records(&dir).unwrap();
    let paths: Vec<&PathBuf> = collected.records.iter().map(|r| &r.path).collect();
    assert_eq!(paths, [&second, &first], "sorted by crate, then experiment");
    assert_eq!(collected.skipped.len(), 1, "{:?}", collected.skipped);
    assert!(collected.skipped[0].path.ends_with("lecture-01-rnn/metrics-log.json"));
    assert!(collected.skipped[0].reason.contains("not a valid experiment record"));
    assert!(collect_records(dir.join("absent")).unwrap_err().to_string().contains("absent"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_curve_chart_draws_the_named_curves_or_names_the_missing_one() {
    let record = sample_record();
    let svg = record.curve_chart("loss", &["train loss"]).unwrap().to_svg();
    assert!(svg.contains(">train loss</text>") && svg.contains(">cross-entropy</text>"));
    let error = record.curve_chart("loss", &["valid loss"]).unwrap_err().to_string();
    assert!(error.contains("valid loss") && error.contains("train loss"), "{error}");
}
