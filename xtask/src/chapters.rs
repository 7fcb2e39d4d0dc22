//! The book's generated sources: the introduction, one chapter per lecture and `SUMMARY.md`.
//!
//! Each lecture's chapter is `docs/src/lectures/<crate>/index.md`, which includes the lecture's
//! README: a folder per chapter so that the README's relative picture links (`figures/x.svg`)
//! resolve to `lectures/<crate>/figures/` in the book, where `cargo xtask book` copies them.
//! The introduction is the root README with its links to the lecture READMEs pointed at the
//! chapters (a link to `crates/<crate>/README.md` would be broken in the book).

use crate::workspace::Workspace;
use anyhow::Result;
use shared_report::atomic::write_atomic;
use std::fmt::Write as _;
use std::path::Path;

/// Writes the introduction, the lecture chapters and `SUMMARY.md` under `docs` (`docs/src`).
pub fn write(workspace: &Workspace, docs: &Path) -> Result<()> {
    let readme = std::fs::read_to_string(workspace.root.join("README.md"))?;
    write_if_changed(&docs.join("introduction.md"), &introduction(&readme))?;
    let lectures = workspace.lectures();
    for lecture in &lectures {
        write_if_changed(&docs.join(chapter_path(&lecture.name)), &chapter(&lecture.name))?;
    }
    let entries: Vec<(&str, &str)> =
        lectures.iter().map(|l| (l.name.as_str(), l.description.as_deref().unwrap_or(""))).collect();
    write_if_changed(&docs.join("SUMMARY.md"), &summary(&entries))
}

/// A lecture's chapter, relative to the book's source folder.
pub fn chapter_path(lecture: &str) -> String {
    format!("{}/index.md", chapter_dir(lecture))
}

/// The folder of a lecture's chapter (and of its staged figures), relative to the book's source.
pub fn chapter_dir(lecture: &str) -> String {
    format!("lectures/{lecture}")
}

/// The chapter: the lecture's README, included.
fn chapter(lecture: &str) -> String {
    format!("{{{{#include ../../../../crates/{lecture}/README.md}}}}\n")
}

/// The root README with each `](crates/<crate>/README.md)` link pointed at the chapter.
fn introduction(readme: &str) -> String {
    let mut text = String::with_capacity(readme.len());
    let mut rest = readme;
    while let Some(start) = rest.find("](crates/") {
        let (before, link) = rest.split_at(start);
        text += before;
        let target = &link[2..link.find(')').unwrap_or(link.len())];
        match target.strip_prefix("crates/").and_then(|t| t.strip_suffix("/README.md")) {
            Some(lecture) if !lecture.contains('/') => {
                let _ = write!(text, "]({})", chapter_path(lecture));
                rest = &link[2 + target.len() + 1..];
            }
            _ => {
                text += "](";
                rest = &link[2..];
            }
        }
    }
    text + rest
}

/// The book's table of contents: introduction, one chapter per lecture, the results gallery.
fn summary(lectures: &[(&str, &str)]) -> String {
    let mut text = String::from("# Summary\n\n[Introduction](introduction.md)\n\n# Lectures\n\n");
    for (name, description) in lectures {
        let title = if description.is_empty() { name.to_string() } else { format!("{name}: {description}") };
        let _ = writeln!(text, "- [{title}]({})", chapter_path(name));
    }
    text + "\n# Results\n\n- [Results gallery](results.md)\n"
}

/// Writes `text` unless the file already holds it (mdBook's watchers and git see no change).
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_lists_every_lecture_between_introduction_and_results() {
        let text = summary(&[("lecture-01-rnn", "The RNN family"), ("lecture-08-attention", "")]);
        let intro = text.find("introduction.md").unwrap();
        let rnn = text.find("- [lecture-01-rnn: The RNN family](lectures/lecture-01-rnn/index.md)").unwrap();
        let attention =
            text.find("- [lecture-08-attention](lectures/lecture-08-attention/index.md)").unwrap();
        let results = text.find("results.md").unwrap();
        assert!(intro < rnn && rnn < attention && attention < results, "{text}");
    }

    #[test]
    fn the_introduction_links_the_chapters_not_the_readmes() {
        let readme = "| [`lecture-01-rnn`](crates/lecture-01-rnn/README.md) | x |\n\
                      see [the code](crates/lecture-01-rnn/src/lib.rs) and [burn](https://burn.dev).";
        assert_eq!(
            introduction(readme),
            "| [`lecture-01-rnn`](lectures/lecture-01-rnn/index.md) | x |\n\
             see [the code](crates/lecture-01-rnn/src/lib.rs) and [burn](https://burn.dev)."
        );
    }

    #[test]
    fn the_committed_book_sources_are_up_to_date() {
        let workspace = Workspace::load().unwrap();
        let readme = std::fs::read_to_string(workspace.root.join("README.md")).unwrap();
        let docs = workspace.root.join("docs/src");
        let committed = std::fs::read_to_string(docs.join("introduction.md")).unwrap();
        assert!(
            committed == introduction(&readme),
            "docs/src/introduction.md is stale: run `cargo xtask book`"
        );
        for lecture in workspace.lectures() {
            let path = docs.join(chapter_path(&lecture.name));
            assert_eq!(
                std::fs::read_to_string(&path).ok(),
                Some(chapter(&lecture.name)),
                "{}",
                path.display()
            );
        }
    }
}
