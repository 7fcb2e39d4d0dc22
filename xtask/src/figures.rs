//! `cargo xtask figures`: each lecture's key pictures, committed beside its README.
//!
//! `out/` is not committed, so a README that linked its pictures there would show none on a
//! fresh clone or a code host. Each lecture names its key pictures (the two to four that make its
//! claims visible) in `crates/<crate>/figures.txt`, one file name a line (`#` starts a comment).
//! This task copies each of them from `out/<crate>/`, where the default run writes it, into
//! `crates/<crate>/figures/`; a picture whose bytes did not change is not rewritten, and one that
//! `out/` lacks (no run here) keeps its committed copy. The results gallery links these copies
//! rather than holding its own (see `report`), so each picture is committed once.

use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::path::Path;

/// The file in a lecture crate that names its key pictures.
const LIST: &str = "figures.txt";
/// The folder in a lecture crate that holds the committed pictures.
pub const DIR: &str = "figures";

pub fn run() -> Result<()> {
    let workspace = Workspace::load()?;
    let (mut written, mut unchanged, mut bytes) = (0, 0, 0);
    for lecture in workspace.lectures() {
        let crate_dir = lecture.manifest_path.parent().context("a manifest has a folder")?;
        let out = workspace.root.join("out").join(&lecture.name);
        for name in names(crate_dir)? {
            let (source, committed) = (out.join(&name), crate_dir.join(DIR).join(&name));
            let content = match std::fs::read(&source) {
                Ok(content) => content,
                Err(_) if committed.is_file() => {
                    unchanged += 1;
                    bytes += std::fs::metadata(&committed)?.len();
                    continue;
                }
                Err(_) => bail!(
                    "{}: {name} is neither in {} nor committed: run the lecture's default run first",
                    lecture.name,
                    out.display()
                ),
            };
            bytes += content.len() as u64;
            if write_if_changed(&committed, &content)? {
                println!("wrote {}/{DIR}/{name}", lecture.name);
                written += 1;
            } else {
                unchanged += 1;
            }
        }
    }
    println!("figures: {written} written, {unchanged} unchanged, {} KiB committed in all", bytes / 1024);
    Ok(())
}

/// The key pictures a lecture crate names in its `figures.txt` (none when it has no list).
pub fn names(crate_dir: &Path) -> Result<Vec<String>> {
    let path = crate_dir.join(LIST);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let names = parse_list(&text);
    if let Some(bad) = names.iter().find(|n| n.contains(['/', '\\'])) {
        bail!("{}: `{bad}` must be a bare file name", path.display());
    }
    Ok(names)
}

/// The file names of a `figures.txt`: one a line, blank lines and `#` comments skipped.
fn parse_list(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(String::from)
        .collect()
}

/// Writes `content` to `path` unless it already holds exactly those bytes; true when written.
fn write_if_changed(path: &Path, content: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, content).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-figures-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_list_skips_blank_lines_and_comments() {
        let text = "# key pictures\nloss.svg\n\n  samples.png  # the grid\n";
        assert_eq!(parse_list(text), ["loss.svg", "samples.png"]);
    }

    #[test]
    fn an_unchanged_picture_is_not_rewritten() {
        let dir = scratch("unchanged");
        let path = dir.join("figures/a.svg");
        assert!(write_if_changed(&path, b"<svg/>").unwrap());
        assert!(!write_if_changed(&path, b"<svg/>").unwrap());
        assert!(write_if_changed(&path, b"<svg></svg>").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"<svg></svg>");
    }

    #[test]
    fn every_listed_figure_is_committed() {
        let workspace = Workspace::load().unwrap();
        for lecture in workspace.lectures() {
            let crate_dir = lecture.manifest_path.parent().unwrap();
            for name in names(crate_dir).unwrap() {
                let path = crate_dir.join(DIR).join(&name);
                assert!(path.is_file(), "{} is missing: run `cargo xtask figures`", path.display());
            }
        }
    }
}
