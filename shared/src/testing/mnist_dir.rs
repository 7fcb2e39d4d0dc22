//! A `--data-dir` MNIST of chosen sizes, for tests of what the lectures do with too small a set.

use crate::data::idx::IdxArray;
use crate::data::mnist::{CLASSES, PIXELS, SIDE};
use std::path::{Path, PathBuf};

/// Writes the four raw MNIST IDX files into `dir` (created): `train` and `test` blank images
/// labelled 0, 1, ..., 9, 0, ... Returns `dir`.
pub fn write_mnist_dir(dir: &Path, train: usize, test: usize) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for (prefix, count) in [("train", train), ("t10k", test)] {
        let images = IdxArray { dims: vec![count, SIDE, SIDE], data: vec![0; count * PIXELS] };
        let labels = IdxArray { dims: vec![count], data: (0..count).map(|i| (i % CLASSES) as u8).collect() };
        for (name, array) in [("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)] {
            let bytes = array.to_bytes().expect("a consistent array");
            std::fs::write(dir.join(format!("{prefix}-{name}")), bytes)?;
        }
    }
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Mnist;

    #[test]
    fn the_written_directory_reads_back() {
        let dir = std::env::temp_dir().join(format!("shared-mnist-dir-{}", std::process::id()));
        let mnist = Mnist::from_dir(&write_mnist_dir(&dir, 12, 3).unwrap()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((mnist.train.len(), mnist.test.len()), (12, 3));
        assert_eq!(mnist.train.labels()[11], 1);
    }
}
