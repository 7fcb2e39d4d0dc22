//! Running cargo and other programs: echo the command, stream its output, report the outcome.

use anyhow::{Context, Result};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

/// What a finished command printed and how it ended.
pub struct Outcome {
    /// Exit status was zero.
    pub success: bool,
    /// Every line it printed on stdout and stderr (stderr lines after stdout's).
    pub lines: Vec<String>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// `cargo`, as the one that runs xtask (so toolchain overrides carry over).
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `command`, echoing it and streaming its stdout while keeping every line for parsing.
pub fn run_streaming(mut command: Command) -> Result<Outcome> {
    eprintln!("$ {}", describe(&command));
    let start = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", describe(&command)))?;
    let stderr = child.stderr.take().expect("stderr is piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            kept.push(line);
        }
        kept
    });
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("stdout is piped")).lines().map_while(Result::ok) {
        println!("{line}");
        lines.push(line);
    }
    lines.extend(stderr_reader.join().unwrap_or_default());
    let status = child.wait().context("cannot wait for the child process")?;
    Ok(Outcome { success: status.success(), lines, seconds: start.elapsed().as_secs_f64() })
}

/// The command as it would be typed, with its environment overrides.
pub fn describe(command: &Command) -> String {
    let envs = command
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())));
    let program = std::iter::once(command.get_program().to_string_lossy().into_owned());
    let args = command.get_args().map(|a| a.to_string_lossy().into_owned());
    envs.chain(program).chain(args).collect::<Vec<_>>().join(" ")
}

/// Turns a `cargo test|run -p <package> ...` command (before its `--`) into a GPU build: the
/// package's GPU feature ([`Workspace::gpu_feature`]), the separate GPU target directory, and a
/// private `XDG_RUNTIME_DIR` (Mesa warns without one).
///
/// [`Workspace::gpu_feature`]: crate::workspace::Workspace::gpu_feature
pub fn use_gpu_build(
    command: &mut Command,
    workspace: &crate::workspace::Workspace,
    package: &str,
) -> Result<()> {
    command
        .args(["--features", workspace.gpu_feature(package)])
        .env("CARGO_TARGET_DIR", workspace.gpu_target_dir());
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        let dir = std::env::temp_dir().join("xtask-xdg-runtime");
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        command.env("XDG_RUNTIME_DIR", dir);
    }
    Ok(())
}
