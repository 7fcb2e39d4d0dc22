//! Atomic file writes: a result file is either the old one or the complete new one, never half.
//!
//! The bytes go to a temporary file beside the target (same directory, so the same file system),
//! are flushed to disk, and the temporary file is renamed over the target: `rename` is atomic on
//! POSIX file systems, so an interrupted run cannot leave a truncated JSON record or plot. The
//! target must be absent or a regular file: `rename` would as happily replace a device node
//! (`--out /dev`), a socket or a symbolic link.

use anyhow::{Context, Result, bail};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically, creating the parent directories.
///
/// An error naming `path`, and nothing written, when `path` exists and is not a regular file.
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    let path = path.as_ref();
    ensure_replaceable(path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    let tmp = temporary_sibling(path);
    let result = (|| -> Result<()> {
        let mut file = fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        file.write_all(bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        file.sync_all().with_context(|| format!("cannot flush {}", tmp.display()))?;
        fs::rename(&tmp, path).with_context(|| format!("cannot move {} to {}", tmp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Serialises `value` as pretty JSON and writes it atomically.
pub fn write_json_atomic(path: impl AsRef<Path>, value: &impl serde::Serialize) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).context("cannot serialise to JSON")?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

/// An error unless `path` is absent or a regular file (a symbolic link is not followed).
fn ensure_replaceable(path: &Path) -> Result<()> {
    let file_type = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata.file_type(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot inspect {}", path.display())),
    };
    if !file_type.is_file() {
        bail!("{} exists and is {}: refusing to replace it with a file", path.display(), kind_of(file_type));
    }
    Ok(())
}

/// What a file system entry that is not a regular file is, in words.
fn kind_of(file_type: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else if file_type.is_fifo() {
        "a named pipe"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// `dir/.name.tmp-<pid>`: hidden, unique per process, in the target's own directory.
fn temporary_sibling(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("shared-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_the_whole_file_and_creates_directories() {
        let dir = scratch_dir("whole");
        let path = dir.join("a/b/result.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second, longer").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second, longer");
        let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = scratch_dir("failed");
        let path = dir.join("result.json");
        write_atomic(&path, b"old").unwrap();
        // A directory where the temporary file should go makes the write fail before the rename.
        fs::create_dir_all(temporary_sibling(&path)).unwrap();
        assert!(write_atomic(&path, b"new").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }

    /// The error of writing over `path`, which must be left as it was.
    fn refused(path: &Path) -> String {
        let before = fs::symlink_metadata(path).unwrap().file_type();
        let error = write_atomic(path, b"new").unwrap_err().to_string();
        assert_eq!(
            fs::symlink_metadata(path).unwrap().file_type(),
            before,
            "{} was replaced",
            path.display()
        );
        assert!(error.contains(&path.display().to_string()), "{error}");
        error
    }

    #[test]
    fn what_is_not_a_regular_file_is_refused_and_left_alone() {
        let dir = scratch_dir("special");
        fs::create_dir_all(dir.join("a-directory")).unwrap();
        assert!(
            refused(&dir.join("a-directory")).ends_with("is a directory: refusing to replace it with a file")
        );
        let _socket = std::os::unix::net::UnixListener::bind(dir.join("a-socket")).unwrap();
        assert!(refused(&dir.join("a-socket")).contains("is a socket"));
        fs::write(dir.join("target.json"), b"old").unwrap();
        std::os::unix::fs::symlink(dir.join("target.json"), dir.join("a-link")).unwrap();
        assert!(refused(&dir.join("a-link")).contains("is a symbolic link"));
        let leftovers = fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 4, "no temporary file is left behind");
        fs::remove_dir_all(&dir).unwrap();
    }
}
