//! The JSON record of one experiment run: what ran, with which settings, the curves it traced,
//! its final numbers, and whether the lecture's claims held.
//!
//! File: `<out_dir>/<crate_name>/<experiment>.json`, pretty JSON, written atomically, with the
//! pictures the run drew (`pictures`, file names relative to the JSON's directory) beside it.
//! Non-finite floats in `metrics`, `curves` and `wall_time_s` are written as the strings
//! `"NaN"`, `"Infinity"`, `"-Infinity"` and read back as such (see `json_float`). `config` is
//! plain JSON: a NaN there becomes `null`, as `serde_json` writes it.

use super::json_float;
use crate::atomic::write_json_atomic;
use anyhow::{Context, Result, anyhow, ensure};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// One run of one experiment; see the module documentation for the file it becomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentRecord {
    /// The lecture crate, e.g. `lecture-08-attention`: the directory of the record.
    pub crate_name: String,
    /// The experiment, e.g. `copy-task`: the file name of the record.
    pub experiment: String,
    /// The burn backend it ran on (`flex`, `ndarray`, `wgpu`).
    pub backend: String,
    pub seed: u64,
    /// Whether it ran the `--quick` size.
    pub quick: bool,
    /// The experiment's own settings, as JSON.
    pub config: serde_json::Value,
    /// Named series, e.g. `train loss` against epoch.
    pub curves: BTreeMap<String, Curve>,
    /// Final numbers, e.g. `test accuracy`.
    #[serde(with = "json_float::map")]
    pub metrics: BTreeMap<String, f64>,
    /// The lecture's claims, checked.
    pub claims: Vec<ClaimResult>,
    /// Pictures written beside the JSON, as file names relative to its directory.
    pub pictures: Vec<String>,
    /// How long the run took, seconds.
    #[serde(with = "json_float::single")]
    pub wall_time_s: f64,
    /// When the record was made, seconds since the Unix epoch.
    pub created: u64,
}

/// A named series of `(x, y)` points with the names of its axes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub x_label: String,
    pub y_label: String,
    #[serde(with = "json_float::pairs")]
    pub points: Vec<(f64, f64)>,
}

/// One claim of the lecture, what it predicts, what the run measured, and whether it held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimResult {
    /// The claim in words, e.g. "attention learns to copy sequences longer than training".
    pub claim: String,
    /// The prediction, e.g. "accuracy > 0.9 at length 40".
    pub expected: String,
    /// The measurement, e.g. "0.97".
    pub measured: String,
    pub holds: bool,
}

impl ExperimentRecord {
    /// An empty record of `experiment` in `crate_name`, stamped with the current time.
    pub fn new(crate_name: impl Into<String>, experiment: impl Into<String>) -> ExperimentRecord {
        ExperimentRecord {
            crate_name: crate_name.into(),
            experiment: experiment.into(),
            backend: String::new(),
            seed: 0,
            quick: false,
            config: serde_json::Value::Null,
            curves: BTreeMap::new(),
            metrics: BTreeMap::new(),
            claims: Vec::new(),
            pictures: Vec::new(),
            wall_time_s: 0.0,
            created: SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        }
    }

    /// Records the backend, seed and size of the run.
    pub fn with_run(mut self, backend: impl Into<String>, seed: u64, quick: bool) -> ExperimentRecord {
        self.backend = backend.into();
        self.seed = seed;
        self.quick = quick;
        self
    }

    /// Records the experiment's settings (anything `Serialize`, typically its config struct).
    pub fn with_config(mut self, config: &impl Serialize) -> Result<ExperimentRecord> {
        self.config = serde_json::to_value(config).context("cannot turn the experiment config into JSON")?;
        Ok(self)
    }

    /// Names the axes of curve `name` (creating it if needed, keeping its points).
    pub fn define_curve(&mut self, name: &str, x_label: impl Into<String>, y_label: impl Into<String>) {
        let curve = self.curve_entry(name);
        curve.x_label = x_label.into();
        curve.y_label = y_label.into();
    }

    /// Appends `(x, y)` to curve `name`; a new curve's axes are called `step` and `name`.
    pub fn push_point(&mut self, name: &str, x: f64, y: f64) {
        self.curve_entry(name).points.push((x, y));
    }

    fn curve_entry(&mut self, name: &str) -> &mut Curve {
        self.curves.entry(name.to_string()).or_insert_with(|| Curve {
            x_label: "step".to_string(),
            y_label: name.to_string(),
            points: Vec::new(),
        })
    }

    /// Sets the final number `name` (NaN and infinities are kept, see the module documentation).
    pub fn set_metric(&mut self, name: impl Into<String>, value: f64) {
        self.metrics.insert(name.into(), value);
    }

    /// Records whether a claim held.
    pub fn add_claim(
        &mut self,
        claim: impl Into<String>,
        expected: impl Into<String>,
        measured: impl Into<String>,
        holds: bool,
    ) {
        let (claim, expected, measured) = (claim.into(), expected.into(), measured.into());
        self.claims.push(ClaimResult { claim, expected, measured, holds });
    }

    /// Lists a picture written beside the record (a path relative to the record's directory).
    pub fn add_picture(&mut self, file_name: impl Into<String>) {
        self.pictures.push(file_name.into());
    }

    /// Records how long the run took.
    pub fn set_wall_time_s(&mut self, seconds: f64) {
        self.wall_time_s = seconds;
    }

    /// The directory of this record under `out_dir`: where its pictures go too.
    pub fn directory(&self, out_dir: impl AsRef<Path>) -> PathBuf {
        out_dir.as_ref().join(&self.crate_name)
    }

    /// Writes `<out_dir>/<crate_name>/<experiment>.json` atomically and returns its path.
    pub fn write(&self, out_dir: impl AsRef<Path>) -> Result<PathBuf> {
        check_name_part("crate name", &self.crate_name)?;
        check_name_part("experiment name", &self.experiment)?;
        for picture in &self.pictures {
            check_relative_path(picture)?;
        }
        let path = self.directory(out_dir).join(format!("{}.json", self.experiment));
        write_json_atomic(&path, self)?;
        Ok(path)
    }

    /// Reads a record; the error names the file and, for bad JSON, the line and column.
    pub fn load(path: impl AsRef<Path>) -> Result<ExperimentRecord> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| anyhow!("{} is not a valid experiment record: {e}", path.display()))
    }

    /// The paths of the pictures, for a record read from or written to `json_path`.
    pub fn picture_paths(&self, json_path: impl AsRef<Path>) -> Vec<PathBuf> {
        let directory = json_path.as_ref().parent().unwrap_or(Path::new(""));
        self.pictures.iter().map(|p| directory.join(p)).collect()
    }
}

/// A crate or experiment name becomes a file name: not empty, no separators, not hidden.
fn check_name_part(what: &str, name: &str) -> Result<()> {
    let bad_character = name.chars().find(|c| matches!(c, '/' | '\\' | '\0') || c.is_control());
    ensure!(!name.trim().is_empty(), "the {what} of an experiment record is empty");
    ensure!(
        bad_character.is_none(),
        "the {what} {name:?} contains {bad_character:?}, which a file name cannot hold"
    );
    ensure!(!name.starts_with('.'), "the {what} {name:?} starts with '.', which would hide the file");
    Ok(())
}

/// A picture path stays inside the record's directory: relative, without `..`.
fn check_relative_path(picture: &str) -> Result<()> {
    let path = Path::new(picture);
    let inside = !picture.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    ensure!(inside, "picture {picture:?} must be a relative path inside the record's directory");
    Ok(())
}
