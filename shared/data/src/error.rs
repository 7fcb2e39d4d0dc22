//! [`DataError`]: what went wrong while reading a data set, in which file, and where.
//!
//! Every parser in [`crate`] returns this type on bad input instead of panicking. Its
//! message reads `<origin>: <place>: <what is wrong>`, for example
//! `shared/data/sst/dev.txt: line 12, column 7: label 9 is out of range 0..=4`.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where the bytes came from: a file on disk, a data set compiled into the binary, or a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file the user pointed at (`--data-dir`, `--corpus`).
    File(PathBuf),
    /// A vendored file embedded with `include_bytes!`, named by its path under `shared/data/`.
    Embedded(&'static str),
    /// Text handed over in memory (a string parsed with `str::parse`, a test input).
    Inline,
}

impl Origin {
    /// The origin of a file on disk.
    pub fn file(path: &Path) -> Origin {
        Origin::File(path.to_path_buf())
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Embedded(name) => write!(f, "embedded {name}"),
            Origin::Inline => f.write_str("inline text"),
        }
    }
}

/// The place inside the input where the problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The input as a whole (it is missing, empty, or not decompressible).
    Whole,
    /// A byte offset from the start of the (decompressed) input, counting from 0.
    Byte(usize),
    /// A line, counting from 1.
    Line(usize),
    /// A line and a column (in characters), both counting from 1.
    LineColumn(usize, usize),
    /// The index of a record (an image, a label, a row), counting from 0.
    Record(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Whole => Ok(()),
            Place::Byte(offset) => write!(f, "byte offset {offset}"),
            Place::Line(line) => write!(f, "line {line}"),
            Place::LineColumn(line, column) => write!(f, "line {line}, column {column}"),
            Place::Record(index) => write!(f, "record {index}"),
        }
    }
}

/// A data file that could not be read or parsed: its origin, the place, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    /// The file (or embedded data set) being read.
    pub origin: Origin,
    /// Where in it the problem is.
    pub place: Place,
    /// What is wrong, in words.
    pub message: String,
}

impl DataError {
    /// An error at `place` in `origin`.
    pub fn new(origin: &Origin, place: Place, message: impl Into<String>) -> DataError {
        DataError { origin: origin.clone(), place, message: message.into() }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::Whole => write!(f, "{}: {}", self.origin, self.message),
            place => write!(f, "{}: {}: {}", self.origin, place, self.message),
        }
    }
}

impl std::error::Error for DataError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_file_place_and_problem() {
        let origin = Origin::file(Path::new("data/x.txt"));
        let error = DataError::new(&origin, Place::LineColumn(3, 14), "label 9 out of range");
        assert_eq!(error.to_string(), "data/x.txt: line 3, column 14: label 9 out of range");
    }

    #[test]
    fn embedded_origin_and_whole_place_read_naturally() {
        let error = DataError::new(&Origin::Embedded("sst/dev.txt.gz"), Place::Whole, "empty");
        assert_eq!(error.to_string(), "embedded sst/dev.txt.gz: empty");
    }

    #[test]
    fn converts_into_anyhow_keeping_the_message() {
        let error = DataError::new(&Origin::Inline, Place::Byte(7), "trailing bytes");
        let wrapped: anyhow::Error = error.into();
        assert_eq!(wrapped.to_string(), "inline text: byte offset 7: trailing bytes");
    }
}
