//! Bytes that may be gzip-compressed or raw: detected by the gzip magic number `1f 8b`.
//!
//! The vendored data sets are stored gzipped; a user's `--data-dir` may hold either form. A
//! user's file is read only if it is a regular file of at most a given size, compressed or not,
//! so that `/dev/zero` or a gzip bomb is an error rather than an exhausted memory.

use super::error::{DataError, Origin, Place};
use flate2::read::MultiGzDecoder;
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

/// The two bytes every gzip member starts with (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether `bytes` start with the gzip magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// The decompressed content of `bytes` if they are gzip, else `bytes` unchanged.
///
/// Concatenated gzip members are decompressed one after another, as `gunzip` does.
pub fn decompress_if_gzip<'a>(bytes: &'a [u8], origin: &Origin) -> Result<Cow<'a, [u8]>, DataError> {
    decompress_at_most(bytes, origin, u64::MAX)
}

/// [`decompress_if_gzip`], refusing to decompress to more than `max_bytes` bytes.
fn decompress_at_most<'a>(
    bytes: &'a [u8],
    origin: &Origin,
    max_bytes: u64,
) -> Result<Cow<'a, [u8]>, DataError> {
    if !is_gzip(bytes) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    MultiGzDecoder::new(bytes)
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DataError::new(origin, Place::Whole, format!("corrupt gzip data: {e}")))?;
    if out.len() as u64 > max_bytes {
        return Err(DataError::new(origin, Place::Whole, too_large("decompresses to", max_bytes)));
    }
    Ok(Cow::Owned(out))
}

/// Reads the file at `path` and decompresses it if it is gzip.
///
/// An error naming the file when it is missing, is not a regular file (a directory, a device
/// such as `/dev/zero`, a pipe), or holds more than `max_bytes` bytes on disk or decompressed.
pub fn read_maybe_gzip(path: &Path, max_bytes: u64) -> Result<Vec<u8>, DataError> {
    let origin = Origin::file(path);
    let error = |message: String| DataError::new(&origin, Place::Whole, message);
    let metadata = std::fs::metadata(path).map_err(|e| error(format!("cannot read file: {e}")))?;
    if !metadata.is_file() {
        return Err(error("not a regular file".to_string()));
    }
    if metadata.len() > max_bytes {
        return Err(error(too_large(&format!("has {} bytes,", metadata.len()), max_bytes)));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| error(format!("cannot read file: {e}")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(error(too_large("grew while being read to", max_bytes)));
    }
    Ok(decompress_at_most(&bytes, &origin, max_bytes)?.into_owned())
}

/// `the file <what> more than <max_bytes> bytes (the most read from one file)`.
fn too_large(what: &str, max_bytes: u64) -> String {
    format!(
        "the file {what} more than {max_bytes} bytes ({} MiB), the most read from one file",
        max_bytes >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use proptest::prelude::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn raw_bytes_pass_through_unchanged_and_borrowed() {
        let out = decompress_if_gzip(b"plain text", &Origin::Inline).unwrap();
        assert!(matches!(out, Cow::Borrowed(b"plain text")));
    }

    #[test]
    fn gzip_bytes_are_decompressed() {
        let compressed = gzip(b"hello");
        let out = decompress_if_gzip(&compressed, &Origin::Inline).unwrap();
        assert_eq!(&*out, b"hello");
    }

    #[test]
    fn concatenated_members_are_all_read() {
        let mut both = gzip(b"first ");
        both.extend(gzip(b"second"));
        assert_eq!(&*decompress_if_gzip(&both, &Origin::Inline).unwrap(), b"first second");
    }

    #[test]
    fn corrupt_gzip_names_the_origin() {
        let mut bytes = gzip(b"some text that compresses");
        bytes.truncate(bytes.len() - 10);
        let error = decompress_if_gzip(&bytes, &Origin::Embedded("x.gz")).unwrap_err();
        assert!(error.to_string().starts_with("embedded x.gz: corrupt gzip data"), "{error}");
    }

    #[test]
    fn missing_file_error_names_the_path() {
        let path = Path::new("/nonexistent/dir/train-images-idx3-ubyte.gz");
        let error = read_maybe_gzip(path, 1 << 20).unwrap_err().to_string();
        assert!(error.contains("/nonexistent/dir/train-images-idx3-ubyte.gz"), "{error}");
        assert!(error.contains("cannot read file"), "{error}");
    }

    #[test]
    fn only_regular_files_are_read() {
        for path in ["/dev/zero", "/"] {
            let error = read_maybe_gzip(Path::new(path), 1 << 20).unwrap_err().to_string();
            assert_eq!(error, format!("{path}: not a regular file"));
        }
    }

    #[test]
    fn files_over_the_limit_are_refused_raw_or_decompressed() {
        let dir = std::env::temp_dir().join(format!("shared-gzip-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (raw, packed) = (dir.join("raw.txt"), dir.join("packed.txt.gz"));
        std::fs::write(&raw, [b'a'; 101]).unwrap();
        std::fs::write(&packed, gzip(&[b'a'; 101])).unwrap();
        assert_eq!(read_maybe_gzip(&raw, 101).unwrap().len(), 101);
        assert_eq!(read_maybe_gzip(&packed, 101).unwrap().len(), 101);
        let error = read_maybe_gzip(&raw, 100).unwrap_err().to_string();
        assert!(error.contains("raw.txt: the file has 101 bytes, more than 100 bytes"), "{error}");
        let error = read_maybe_gzip(&packed, 100).unwrap_err().to_string();
        assert!(error.contains("packed.txt.gz: the file decompresses to more than 100 bytes"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    proptest! {
        #[test]
        fn any_bytes_after_the_magic_give_ok_or_err(
            tail in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let mut bytes = GZIP_MAGIC.to_vec();
            bytes.extend(tail);
            let _ = decompress_if_gzip(&bytes, &Origin::Inline);
        }

        #[test]
        fn round_trip(data in proptest::collection::vec(any::<u8>(), 0..500)) {
            let compressed = gzip(&data);
            prop_assert_eq!(&*decompress_if_gzip(&compressed, &Origin::Inline).unwrap(), &data[..]);
        }
    }
}
