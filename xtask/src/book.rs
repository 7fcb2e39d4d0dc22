//! `cargo xtask book`: builds the course book (`docs/`) with mdBook and checks it.
//!
//! The steps: regenerate the book's sources from the READMEs ([`chapters`]); install mdBook at
//! [`MDBOOK_VERSION`] if `mdbook --version` names another version or none; copy each lecture's
//! committed `figures/` beside its chapter (`docs/src/lectures/<crate>/figures/`, ignored by
//! git), where the README's `figures/x.svg` links resolve; run `mdbook build docs`, failing on
//! any error it logs (a missing include is logged, not fatal, in mdBook); then check every local
//! link and image of the built HTML ([`links`]). `--browser-check` then opens pages of the built
//! book in headless Chromium ([`browser`]).

use crate::command::{cargo, run_streaming};
use crate::workspace::Workspace;
use crate::{browser, chapters, figures, links};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// The mdBook the book is built with (`cargo install mdbook --version` this, `--locked`).
pub const MDBOOK_VERSION: &str = "0.4.52";

#[derive(clap::Args)]
pub struct Args {
    /// After the build, open the front page, a lecture and the results gallery in headless
    /// Chromium: every image must load and no console error be raised (skipped, with the
    /// reason, when no Chromium is installed).
    #[arg(long)]
    browser_check: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let workspace = Workspace::load()?;
    let docs = workspace.root.join("docs");
    chapters::write(&workspace, &docs.join("src"))?;
    ensure_mdbook()?;
    stage_figures(&workspace, &docs.join("src"))?;
    build(&docs)?;
    let site = docs.join("book");
    let (broken, checked) = links::check_site(&site)?;
    if !broken.is_empty() {
        for b in &broken {
            eprintln!("broken link in {}: {}", b.page.display(), b.link);
        }
        bail!("{} of {checked} local links and images of the built book resolve to no file", broken.len());
    }
    println!(
        "book: {checked} local links and images, all resolve; open {}",
        site.join("index.html").display()
    );
    if args.browser_check {
        browser::check(&site, &workspace.root.join("out/book-screenshots"))?;
    }
    Ok(())
}

/// Installs mdBook at the pinned version unless `mdbook --version` already reports it.
fn ensure_mdbook() -> Result<()> {
    let found = Command::new("mdbook").arg("--version").output().ok().filter(|o| o.status.success());
    let found = found.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if found.as_deref().is_some_and(|v| v.trim_start_matches("mdbook v") == MDBOOK_VERSION) {
        return Ok(());
    }
    println!(
        "mdBook {MDBOOK_VERSION} is needed ({}): installing it with `cargo install mdbook --version {MDBOOK_VERSION} --locked`, once (a few minutes)",
        found.map_or("no mdbook on PATH".to_string(), |v| format!("found {v}"))
    );
    let mut install = cargo();
    install.args(["install", "mdbook", "--version", MDBOOK_VERSION, "--locked"]);
    install.env_remove("CARGO_TARGET_DIR"); // a temporary target folder, not the workspace's
    if !run_streaming(install)?.success {
        bail!("cannot install mdBook {MDBOOK_VERSION}: see cargo's output above");
    }
    Ok(())
}

/// Copies each lecture's `figures/` to `docs/src/lectures/<crate>/figures/`, replacing the old copy.
fn stage_figures(workspace: &Workspace, src: &Path) -> Result<()> {
    for lecture in workspace.lectures() {
        let crate_dir = lecture.manifest_path.parent().context("a manifest has a folder")?;
        let staged = src.join(chapters::chapter_dir(&lecture.name)).join(figures::DIR);
        if staged.exists() {
            std::fs::remove_dir_all(&staged)
                .with_context(|| format!("cannot remove {}", staged.display()))?;
        }
        let names = figures::names(crate_dir)?;
        if !names.is_empty() {
            std::fs::create_dir_all(&staged)
                .with_context(|| format!("cannot create {}", staged.display()))?;
        }
        for name in names {
            let from = crate_dir.join(figures::DIR).join(&name);
            std::fs::copy(&from, staged.join(&name))
                .with_context(|| format!("cannot copy {}: run `cargo xtask figures`", from.display()))?;
        }
    }
    Ok(())
}

/// `mdbook build docs`, failing when it exits non-zero or logs an error.
fn build(docs: &Path) -> Result<()> {
    let mut mdbook = Command::new("mdbook");
    mdbook.arg("build").arg(docs);
    let outcome = run_streaming(mdbook)?;
    let errors: Vec<&String> = outcome.lines.iter().filter(|l| l.contains("[ERROR]")).collect();
    if !outcome.success || !errors.is_empty() {
        bail!("mdbook build failed ({} errors logged)", errors.len());
    }
    Ok(())
}
