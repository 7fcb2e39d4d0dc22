//! The JSON record of one benchmark run, shared with `bench/pytorch_bench.py` and read by
//! `cargo xtask bench`.
//!
//! ```json
//! {"framework": "burn", "backend": "flex", "threads": 2,
//!  "workloads": [{"name": "mlp", "description": "...", "steps_per_s": 206.1,
//!                 "ms_per_step": 4.85, "min_steps_per_s": 201.0, "max_steps_per_s": 209.3,
//!                 "runs": [206.1, 201.0, 209.3]}]}
//! ```
//! `steps_per_s` is the median over `runs` (steps per second of each timed run).

use super::Measurement;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// A whole benchmark run: one framework on one backend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchRecord {
    /// `burn` or `pytorch`.
    pub framework: String,
    /// `flex`, `ndarray`, `wgpu` (burn) or `cpu` (PyTorch).
    pub backend: String,
    /// The machine's available parallelism (PyTorch: its thread count).
    pub threads: usize,
    pub workloads: Vec<WorkloadRecord>,
}

/// One workload's speed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkloadRecord {
    pub name: String,
    pub description: String,
    /// Median over runs.
    pub steps_per_s: f64,
    /// `1000 / steps_per_s`.
    pub ms_per_step: f64,
    pub min_steps_per_s: f64,
    pub max_steps_per_s: f64,
    /// Steps per second of each timed run, in the order they ran.
    pub runs: Vec<f64>,
}

impl WorkloadRecord {
    /// The record of `measurement` for the workload `name`.
    pub fn new(name: &str, description: &str, measurement: &Measurement) -> Self {
        Self {
            name: name.to_string(),
            description: description.to_string(),
            steps_per_s: measurement.median_steps_per_s(),
            ms_per_step: measurement.median_ms_per_step(),
            min_steps_per_s: measurement.min_steps_per_s(),
            max_steps_per_s: measurement.max_steps_per_s(),
            runs: measurement.runs.clone(),
        }
    }
}

impl BenchRecord {
    /// A markdown table: workload | steps/s (median) | ms/step | min..max.
    pub fn table(&self) -> String {
        let mut out = format!("{} on {} ({} threads)\n\n", self.framework, self.backend, self.threads);
        out.push_str("| workload | steps/s (median) | ms/step | min..max steps/s |\n");
        out.push_str("|---|---:|---:|---:|\n");
        for w in &self.workloads {
            let _ = writeln!(
                out,
                "| {} | {:.2} | {:.2} | {:.2}..{:.2} |",
                w.name, w.steps_per_s, w.ms_per_step, w.min_steps_per_s, w.max_steps_per_s
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> BenchRecord {
        let measurement = Measurement { runs: vec![10.0, 8.0, 12.0] };
        BenchRecord {
            framework: "burn".into(),
            backend: "flex".into(),
            threads: 2,
            workloads: vec![WorkloadRecord::new("mlp", "an MLP", &measurement)],
        }
    }

    #[test]
    fn json_has_exactly_the_schema_the_xtask_reads() {
        let json = serde_json::to_value(record()).unwrap();
        let expected = serde_json::json!({
            "framework": "burn", "backend": "flex", "threads": 2,
            "workloads": [{"name": "mlp", "description": "an MLP", "steps_per_s": 10.0,
                           "ms_per_step": 100.0, "min_steps_per_s": 8.0,
                           "max_steps_per_s": 12.0, "runs": [10.0, 8.0, 12.0]}]
        });
        assert_eq!(json, expected);
        let back: BenchRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, record());
    }

    #[test]
    fn table_has_one_row_per_workload() {
        let table = record().table();
        assert!(table.contains("| mlp | 10.00 | 100.00 | 8.00..12.00 |"), "{table}");
    }
}
