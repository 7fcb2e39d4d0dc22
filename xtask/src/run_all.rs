//! `cargo xtask run-all`: every lecture's headline demo, one after the other, then a summary.

use crate::command::{cargo, run_streaming, use_gpu_build};
use crate::table;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The seconds-long version of every demo.
    #[arg(long)]
    quick: bool,
    /// Backend for every run (flex, ndarray or wgpu).
    #[arg(long, default_value = "flex")]
    backend: String,
    /// Where the results go (each lecture writes OUT/<crate>/...).
    #[arg(long, default_value = "out")]
    out: PathBuf,
}

pub fn run(args: &Args) -> Result<()> {
    let workspace = Workspace::load()?;
    let lectures = workspace.lectures();
    if lectures.is_empty() {
        println!("No lecture crates yet: nothing to run.");
        return Ok(());
    }
    let mut rows = Vec::new();
    let mut failed = 0;
    for lecture in lectures {
        let mut command = cargo();
        command.args(["run", "-p", &lecture.name]);
        if args.backend == "wgpu" {
            use_gpu_build(&mut command, &workspace, &lecture.name)?;
        }
        command.args(["--", "--backend", &args.backend, "--out"]).arg(&args.out);
        if args.quick {
            command.arg("--quick");
        }
        let outcome = run_streaming(command)?;
        failed += usize::from(!outcome.success);
        let status = if outcome.success { "ok" } else { "FAILED" };
        rows.push(vec![lecture.name.clone(), status.to_string(), format!("{:.0}s", outcome.seconds)]);
    }
    println!("\n{}", table::markdown(&["lecture", "status", "time"], &rows));
    println!("Results are under {}; `cargo xtask report` gathers them into the book.", args.out.display());
    if failed > 0 {
        bail!("{failed} lecture runs failed");
    }
    Ok(())
}
