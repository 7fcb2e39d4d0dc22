//! `cargo xtask list`: the lectures and their experiments.
//!
//! Experiments are a lecture binary's subcommands, read from its `--help` (clap's `Commands:`
//! section), so the list cannot drift from what the binaries really offer.

use crate::command::cargo;
use crate::workspace::Workspace;
use anyhow::{Context, Result};

pub fn run() -> Result<()> {
    let workspace = Workspace::load()?;
    let lectures = workspace.lectures();
    if lectures.is_empty() {
        println!("No lecture crates yet: add one under crates/ (see crates/README.md).");
        return Ok(());
    }
    for lecture in lectures {
        println!("{}  {}", lecture.name, lecture.description.as_deref().unwrap_or(""));
        for (name, about) in experiments(&lecture.name)?.into_iter().filter(|(name, _)| name != "bench") {
            println!("    {name:<28} {about}");
        }
    }
    Ok(())
}

/// The `(subcommand, description)` pairs of a lecture binary.
pub fn experiments(lecture: &str) -> Result<Vec<(String, String)>> {
    let output = cargo()
        .args(["run", "--quiet", "-p", lecture, "--", "--help"])
        .output()
        .with_context(|| format!("cannot run {lecture} --help"))?;
    if !output.status.success() {
        anyhow::bail!("{lecture} --help failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(parse_commands(&String::from_utf8_lossy(&output.stdout)))
}

/// Reads clap's `Commands:` section: one `  name  description` line per subcommand.
fn parse_commands(help: &str) -> Vec<(String, String)> {
    help.lines()
        .skip_while(|line| line.trim() != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let line = line.trim();
            let (name, about) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            (name != "help").then(|| (name.to_string(), about.trim().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_commands_section_of_clap_help() {
        let help = "Demo\n\nUsage: demo [OPTIONS] [COMMAND]\n\nCommands:\n  adding   The adding problem\n  \
                    copy     Copy task\n  help     Print this message\n\nOptions:\n  --quick  Quick\n";
        assert_eq!(
            parse_commands(help),
            vec![("adding".into(), "The adding problem".into()), ("copy".into(), "Copy task".into())]
        );
        assert!(parse_commands("Usage: demo\n").is_empty());
    }
}
