//! Finding every record under an output directory, for `cargo xtask report`.
//!
//! Layout searched: `<out_dir>/<crate>/<experiment>.json`, one level of directories. Files that
//! are not records (other JSON, unreadable files) are listed as skipped with the reason rather
//! than failing the whole gallery; hidden files and non-JSON files (pictures) are ignored.

use super::record::ExperimentRecord;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// What [`collect_records`] found.
#[derive(Debug)]
pub struct CollectedRecords {
    /// The records, sorted by path (so by crate, then experiment).
    pub records: Vec<RecordFile>,
    /// Files that looked like records but could not be read as one, with the reason.
    pub skipped: Vec<SkippedFile>,
}

/// A record and the file it came from (its pictures lie beside it).
#[derive(Debug)]
pub struct RecordFile {
    pub path: PathBuf,
    pub record: ExperimentRecord,
}

/// A file left out of the collection, and why.
#[derive(Debug)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: String,
}

/// Reads every `<out_dir>/<crate>/*.json` record; an error only if `out_dir` cannot be listed.
pub fn collect_records(out_dir: impl AsRef<Path>) -> Result<CollectedRecords> {
    let out_dir = out_dir.as_ref();
    let mut collected = CollectedRecords { records: Vec::new(), skipped: Vec::new() };
    for crate_dir in sorted_entries(out_dir).with_context(|| format!("cannot list {}", out_dir.display()))? {
        if !crate_dir.is_dir() || is_hidden(&crate_dir) {
            continue;
        }
        let files = match sorted_entries(&crate_dir) {
            Ok(files) => files,
            Err(error) => {
                collected
                    .skipped
                    .push(SkippedFile { path: crate_dir, reason: format!("cannot list: {error}") });
                continue;
            }
        };
        for path in files.into_iter().filter(|p| is_json(p) && !is_hidden(p)) {
            match ExperimentRecord::load(&path) {
                Ok(record) => collected.records.push(RecordFile { path, record }),
                Err(error) => collected.skipped.push(SkippedFile { path, reason: format!("{error:#}") }),
            }
        }
    }
    Ok(collected)
}

/// The entries of `dir`, sorted by name.
fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths =
        std::fs::read_dir(dir)?.map(|entry| entry.map(|e| e.path())).collect::<std::io::Result<Vec<_>>>()?;
    paths.sort();
    Ok(paths)
}

fn is_json(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "json")
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}
