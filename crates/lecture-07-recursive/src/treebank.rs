//! The Stanford Sentiment Treebank for this lecture: the embedded copy from `shared`, or the
//! user's own bracketed trees from `--data-dir`, and the vocabulary of the training trees.
//!
//! `--data-dir DIR` reads `DIR/train.txt`, `DIR/dev.txt` and `DIR/test.txt` (each may also be
//! gzipped as `<name>.txt.gz`), one tree per line as in SST's `trees/` folder. A malformed line
//! is an error naming the file, the line and the column (unbalanced brackets, a missing or bad
//! label); a file without a single tree is an error too.

use anyhow::{Context, Result, bail};
use shared::data::gzip::read_maybe_gzip;
use shared::data::text::utf8;
use shared::data::tree::parse_trees;
use shared::data::{Origin, Tree, Treebank, Vocab, VocabLimits};
use std::path::{Path, PathBuf};

/// The three splits' file stems, in `Treebank` order.
pub const SPLITS: [&str; 3] = ["train", "dev", "test"];
/// The most bytes one split file may hold, on disk or decompressed: 64 MiB (SST's training
/// trees take 2 MB).
pub const MAX_SPLIT_BYTES: u64 = 64 << 20;

/// The embedded SST, or the treebank in `data_dir` when given.
pub fn load_treebank(data_dir: Option<&Path>) -> Result<Treebank> {
    let Some(dir) = data_dir else {
        return Treebank::sst().context("reading the embedded Stanford Sentiment Treebank");
    };
    let [train, dev, test] = SPLITS.map(|split| split_file(dir, split).and_then(|path| read_trees(&path)));
    Ok(Treebank { train: train?, dev: dev?, test: test? })
}

/// `dir/<split>.txt`, else `dir/<split>.txt.gz`; an error naming both when neither exists.
fn split_file(dir: &Path, split: &str) -> Result<PathBuf> {
    let plain = dir.join(format!("{split}.txt"));
    let gzipped = dir.join(format!("{split}.txt.gz"));
    match (plain.is_file(), gzipped.is_file()) {
        (true, _) => Ok(plain),
        (false, true) => Ok(gzipped),
        (false, false) => {
            bail!("no {split} trees: neither {} nor {} exists", plain.display(), gzipped.display())
        }
    }
}

/// Every tree of a file (one per line, blank lines skipped); an empty file is an error.
pub fn read_trees(path: &Path) -> Result<Vec<Tree>> {
    let origin = Origin::file(path);
    let bytes = read_maybe_gzip(path, MAX_SPLIT_BYTES)?;
    let trees = parse_trees(utf8(&bytes, &origin)?, &origin)?;
    if trees.is_empty() {
        bail!("{}: the file holds no trees (expected one bracketed tree per line)", path.display());
    }
    Ok(trees)
}

/// The vocabulary of every word at the leaves of `trees`.
pub fn vocabulary(trees: &[Tree]) -> Vocab {
    Vocab::build(trees.iter().flat_map(Tree::leaves), VocabLimits::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lecture-07-treebank-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        dir
    }

    const GOOD: &str = "(3 (2 a) (3 good))\n(1 (2 not) (3 good))\n";

    #[test]
    fn reads_a_treebank_directory() {
        let dir = dir_with("good", &[("train.txt", GOOD), ("dev.txt", GOOD), ("test.txt", "(2 meh)\n")]);
        let bank = load_treebank(Some(&dir)).unwrap();
        assert_eq!((bank.train.len(), bank.dev.len(), bank.test.len()), (2, 2, 1));
        assert_eq!(vocabulary(&bank.train).size(), 4);
    }

    #[test]
    fn malformed_and_empty_files_are_errors_naming_file_and_line() {
        let unbalanced = "(3 (2 a) (3 good))\n\n(1 (2 not) (3 good)\n";
        let dir = dir_with(
            "bad",
            &[("train.txt", unbalanced), ("dev.txt", "(2 (a) (2 b))\n"), ("test.txt", "\n \n")],
        );
        let err = read_trees(&dir.join("train.txt")).unwrap_err().to_string();
        assert!(err.contains("train.txt: line 3") && err.contains("unbalanced brackets"), "{err}");
        let err = read_trees(&dir.join("dev.txt")).unwrap_err().to_string();
        assert!(err.contains("dev.txt: line 1, column 5") && err.contains("label"), "{err}");
        let err = read_trees(&dir.join("test.txt")).unwrap_err().to_string();
        assert!(err.contains("test.txt") && err.contains("holds no trees"), "{err}");
        let err = format!("{:#}", load_treebank(Some(&dir)).unwrap_err());
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn a_missing_split_names_the_files_it_looked_for() {
        let dir = dir_with("missing", &[("train.txt", "(2 only-train)\n")]);
        let err = load_treebank(Some(&dir)).unwrap_err().to_string();
        assert!(err.contains("dev.txt") && err.contains("dev.txt.gz"), "{err}");
    }
}
