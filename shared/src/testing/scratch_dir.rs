//! A scratch directory for a test that runs a lecture binary with `--out`.

use std::path::PathBuf;

/// `<temp>/<crate_name>-cli-<test>-<process id>`, removed if a previous run left it: empty, and
/// unique to this test in this process.
pub fn scratch_out(crate_name: &str, test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{crate_name}-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
