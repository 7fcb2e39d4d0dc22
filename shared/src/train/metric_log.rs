//! The metric log: every value a run reports, by step, saved as CSV and JSON.
//!
//! Stored in long form, one `(step, name, value)` row per observation, so that metrics logged at
//! different rates (training loss every step, validation accuracy every epoch) sit in one table.

use crate::atomic::{write_atomic, write_json_atomic};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::Path;

/// One observation of one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    /// The training step (or epoch) it was measured at.
    pub step: u64,
    /// The metric's name, e.g. `train_loss` or `valid_accuracy`.
    pub name: String,
    /// Its value; non-finite values are kept (they are what the divergence guard reports).
    pub value: f64,
}

/// All metrics of one run, in the order they were logged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricLog {
    rows: Vec<MetricRow>,
}

impl MetricLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `value` for metric `name` at `step`.
    pub fn log(&mut self, step: u64, name: &str, value: f64) {
        self.rows.push(MetricRow { step, name: name.to_string(), value });
    }

    /// Every row, in logging order.
    pub fn rows(&self) -> &[MetricRow] {
        &self.rows
    }

    /// The `(step, value)` points of one metric, in logging order.
    pub fn series(&self, name: &str) -> Vec<(u64, f64)> {
        self.rows.iter().filter(|r| r.name == name).map(|r| (r.step, r.value)).collect()
    }

    /// The last value logged for `name`.
    pub fn last(&self, name: &str) -> Option<f64> {
        self.rows.iter().rev().find(|r| r.name == name).map(|r| r.value)
    }

    /// The distinct metric names, in order of first appearance.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for row in &self.rows {
            if !names.contains(&row.name.as_str()) {
                names.push(&row.name);
            }
        }
        names
    }

    /// Drops every row after `step`: what a resumed run does before it repeats those steps.
    pub fn truncate_after(&mut self, step: u64) {
        self.rows.retain(|r| r.step <= step);
    }

    /// The log as CSV with the header `step,name,value`.
    pub fn to_csv(&self) -> String {
        let mut csv = String::from("step,name,value\n");
        for row in &self.rows {
            let _ = writeln!(csv, "{},{},{}", row.step, csv_field(&row.name), row.value);
        }
        csv
    }

    /// Writes the CSV atomically.
    pub fn save_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path, self.to_csv().as_bytes())
    }

    /// Writes the JSON atomically (non-finite values become `null`).
    pub fn save_json(&self, path: impl AsRef<Path>) -> Result<()> {
        write_json_atomic(path, self)
    }
}

/// Quotes a CSV field when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MetricLog {
        let mut log = MetricLog::new();
        log.log(1, "train_loss", 2.0);
        log.log(2, "train_loss", 1.5);
        log.log(2, "valid_accuracy", 0.5);
        log.log(3, "train_loss", 1.25);
        log
    }

    #[test]
    fn series_last_and_names() {
        let log = sample();
        assert_eq!(log.series("train_loss"), vec![(1, 2.0), (2, 1.5), (3, 1.25)]);
        assert_eq!(log.last("valid_accuracy"), Some(0.5));
        assert_eq!(log.last("missing"), None);
        assert_eq!(log.names(), vec!["train_loss", "valid_accuracy"]);
    }

    #[test]
    fn csv_has_header_rows_and_quotes_odd_names() {
        let mut log = sample();
        log.log(4, "loss, smoothed", 1.0);
        let csv = log.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "step,name,value");
        assert_eq!(lines[1], "1,train_loss,2");
        assert_eq!(lines[5], "4,\"loss, smoothed\",1");
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn truncate_after_drops_later_rows() {
        let mut log = sample();
        log.truncate_after(2);
        assert_eq!(log.rows().len(), 3);
        assert_eq!(log.last("train_loss"), Some(1.5));
    }

    #[test]
    fn json_round_trips() {
        let dir = std::env::temp_dir().join(format!("metric-log-{}", std::process::id()));
        let path = dir.join("log.json");
        sample().save_json(&path).unwrap();
        let back: MetricLog = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back, sample());
    }
}
