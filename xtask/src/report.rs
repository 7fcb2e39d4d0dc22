//! `cargo xtask report`: the book's lecture chapters and its results gallery.
//!
//! It also rewrites the book's generated sources (introduction, chapters, `SUMMARY.md`: see
//! [`chapters`]).
//!
//! Each experiment writes `out/<crate>/<experiment>.json` (`shared_report::report::ExperimentRecord`)
//! and its pictures beside it. This task copies the pictures into `docs/src/results/<crate>/`
//! (a lecture's key pictures excepted: the gallery links their committed copies) and writes `docs/src/results.md`: per lecture, per experiment, the claims (expected vs
//! measured, holds or not), the final metrics and the pictures. Files that are not records are
//! listed and skipped, never fatal. The benchmark summary (`out/bench/summary.md`) is appended.

use crate::workspace::Workspace;
use crate::{chapters, figures};
use anyhow::{Context, Result};
use shared_report::atomic::write_atomic;
use shared_report::report::{ExperimentRecord, collect_records};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Where the lectures wrote their results.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// The book's source directory.
    #[arg(long, default_value = "docs/src")]
    docs: PathBuf,
}

pub fn run(args: &Args) -> Result<()> {
    let workspace = Workspace::load()?;
    chapters::write(&workspace, &args.docs)?;
    let mut figures = Figures::new();
    for lecture in workspace.lectures() {
        let crate_dir = lecture.manifest_path.parent().context("a manifest has a folder")?;
        figures.insert(lecture.name.clone(), figures::names(crate_dir)?);
    }
    write_gallery(args, &figures)
}

/// Each lecture's key pictures (its `figures.txt`), by crate name.
type Figures = BTreeMap<String, Vec<String>>;

/// `docs/src/results.md` from the records under `out/`, pictures copied beside it, except a
/// lecture's key pictures: those are linked where `cargo xtask book` puts the committed copies
/// (`lectures/<crate>/figures/`), so that the repository holds each picture once.
fn write_gallery(args: &Args, figures: &Figures) -> Result<()> {
    let (records, skipped) = collect(&args.out)?;
    let gallery_dir = args.docs.join("results");
    let mut page = String::from(
        "# Results gallery\n\nEvery experiment's latest record, gathered by `cargo xtask report` from `out/`.\n",
    );
    if records.is_empty() {
        page += "\nNo results yet: run `cargo xtask run-all` (or one lecture), then `cargo xtask report`.\n";
    }
    let mut current_crate = None;
    for (dir, record) in &records {
        if current_crate != Some(&record.crate_name) {
            let _ = write!(page, "\n## {}\n", record.crate_name);
            current_crate = Some(&record.crate_name);
        }
        let key_pictures = figures.get(&record.crate_name).map_or(&[][..], Vec::as_slice);
        page += &section(record, key_pictures);
        for picture in &record.pictures {
            let gallery_copy = gallery_dir.join(&record.crate_name).join(picture);
            if key_pictures.contains(picture) {
                let _ = std::fs::remove_file(gallery_copy); // an older gallery held its own copy
            } else {
                copy_picture(dir, picture, &gallery_dir.join(&record.crate_name))?;
            }
        }
    }
    let bench = args.out.join("bench/summary.md");
    if let Ok(table) = std::fs::read_to_string(&bench) {
        let _ = write!(page, "\n## Benchmarks\n\nFrom `cargo xtask bench` (steps per second):\n\n{table}");
    }
    let path = args.docs.join("results.md");
    write_atomic(&path, page.as_bytes())?;
    println!("Wrote {} ({} records)", path.display(), records.len());
    for (file, why) in skipped {
        println!("skipped {}: {why}", file.display());
    }
    Ok(())
}

type Skipped = Vec<(PathBuf, String)>;

/// Every record under `out/<crate>/*.json` (read by [`collect_records`], the reader of the
/// lectures' own record type), sorted by crate and experiment, with the directory it came from;
/// files that do not parse as records are returned with the reason.
fn collect(out: &Path) -> Result<(Vec<(PathBuf, ExperimentRecord)>, Skipped)> {
    if !out.exists() {
        return Ok((Vec::new(), Vec::new()));
    }
    let collected = collect_records(out)?;
    let mut records: Vec<(PathBuf, ExperimentRecord)> = collected
        .records
        .into_iter()
        .map(|file| (file.path.parent().map(Path::to_path_buf).unwrap_or_default(), file.record))
        .collect();
    records.sort_by(|(_, a), (_, b)| (&a.crate_name, &a.experiment).cmp(&(&b.crate_name, &b.experiment)));
    // `out/bench/` holds benchmark results (shown from its summary.md), not experiment records.
    let bench = out.join("bench");
    let skipped = collected
        .skipped
        .into_iter()
        .filter(|file| !file.path.starts_with(&bench))
        .map(|file| (file.path, file.reason))
        .collect();
    Ok((records, skipped))
}

/// One experiment: its run settings, claims, metrics and pictures as markdown.
fn section(record: &ExperimentRecord, key_pictures: &[String]) -> String {
    let size = if record.quick { "quick" } else { "full" };
    let mut text = format!(
        "\n### {}\n\n{size} run, backend {}, seed {}, {} s\n",
        record.experiment,
        record.backend,
        record.seed,
        number(record.wall_time_s, 0)
    );
    if !record.claims.is_empty() {
        text += "\n| claim | expected | measured | holds? |\n| --- | --- | --- | --- |\n";
        for c in &record.claims {
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} |",
                c.claim,
                c.expected,
                c.measured,
                if c.holds { "yes" } else { "**no**" }
            );
        }
    }
    if !record.metrics.is_empty() {
        text += "\n| metric | value |\n| --- | --- |\n";
        for (name, value) in &record.metrics {
            let _ = writeln!(text, "| {name} | {} |", number(*value, 4));
        }
    }
    for picture in &record.pictures {
        let folder = if key_pictures.contains(picture) {
            format!("{}/{}", chapters::chapter_dir(&record.crate_name), figures::DIR)
        } else {
            format!("results/{}", record.crate_name)
        };
        let _ = write!(text, "\n![{picture}]({folder}/{picture})\n");
    }
    text
}

/// A number with `decimals` places; NaN and the infinities as the record writes them ("NaN",
/// "Infinity", "-Infinity").
fn number(value: f64, decimals: usize) -> String {
    match value {
        v if v.is_finite() => format!("{v:.decimals$}"),
        v if v.is_nan() => "NaN".to_string(),
        v if v > 0.0 => "Infinity".to_string(),
        _ => "-Infinity".to_string(),
    }
}

fn copy_picture(from_dir: &Path, name: &str, to_dir: &Path) -> Result<()> {
    let source = from_dir.join(name);
    if !source.exists() {
        println!("missing picture {} (named in a record)", source.display());
        return Ok(());
    }
    std::fs::create_dir_all(to_dir).with_context(|| format!("cannot create {}", to_dir.display()))?;
    std::fs::copy(&source, to_dir.join(name)).with_context(|| format!("cannot copy {}", source.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathers_records_and_pictures_and_skips_other_json() {
        let root = std::env::temp_dir().join(format!("xtask-report-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let mut record = ExperimentRecord::new("lecture-99-demo", "adding").with_run("flex", 1, true);
        record.set_metric("test_mse", 0.01);
        record.set_metric("diverged", f64::NAN);
        record.set_metric("exploded", f64::INFINITY);
        record.add_claim("LSTM beats RNN", "< 0.05", "0.01", true);
        record.add_picture("loss.svg");
        record.add_picture("key.svg");
        record.set_wall_time_s(3.0);
        let json = record.write(root.join("out")).unwrap();
        let out = json.parent().unwrap();
        std::fs::write(out.join("loss.svg"), "<svg/>").unwrap();
        std::fs::write(out.join("key.svg"), "<svg/>").unwrap();
        std::fs::write(out.join("notes.json"), "[1, 2]").unwrap();
        std::fs::create_dir_all(root.join("out/bench")).unwrap();
        std::fs::write(root.join("out/bench/burn-flex.json"), r#"{"framework":"burn"}"#).unwrap();
        let args = Args { out: root.join("out"), docs: root.join("docs/src") };
        let figures = Figures::from([("lecture-99-demo".to_string(), vec!["key.svg".to_string()])]);
        write_gallery(&args, &figures).unwrap();
        let page = std::fs::read_to_string(root.join("docs/src/results.md")).unwrap();
        assert!(page.contains("## lecture-99-demo") && page.contains("### adding"), "{page}");
        assert!(page.contains("quick run, backend flex, seed 1, 3 s"), "{page}");
        assert!(page.contains("| LSTM beats RNN | < 0.05 | 0.01 | yes |"), "{page}");
        assert!(
            page.contains("| test_mse | 0.0100 |")
                && page.contains("| diverged | NaN |")
                && page.contains("| exploded | Infinity |"),
            "{page}"
        );
        assert!(root.join("docs/src/results/lecture-99-demo/loss.svg").exists());
        assert!(page.contains("![loss.svg](results/lecture-99-demo/loss.svg)"), "{page}");
        assert!(page.contains("![key.svg](lectures/lecture-99-demo/figures/key.svg)"), "{page}");
        assert!(
            !root.join("docs/src/results/lecture-99-demo/key.svg").exists(),
            "a key picture is committed once"
        );
        let (records, skipped) = collect(&root.join("out")).unwrap();
        assert_eq!((records.len(), skipped.len()), (1, 1), "the bench results are not records, nor skipped");
        assert_eq!(skipped[0].0, out.join("notes.json"));
    }

    #[test]
    fn no_results_is_not_an_error() {
        let root = std::env::temp_dir().join(format!("xtask-report-empty-{}", std::process::id()));
        let args = Args { out: root.join("missing"), docs: root.join("docs/src") };
        write_gallery(&args, &Figures::new()).unwrap();
        assert!(
            std::fs::read_to_string(root.join("docs/src/results.md")).unwrap().contains("No results yet")
        );
    }
}
