//! Bytes that may be gzip-compressed or raw: detected by the gzip magic number `1f 8b`.
//!
//! The vendored data sets are stored gzipped; a user's `--data-dir` may hold either form.

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
    if !is_gzip(bytes) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| DataError::new(origin, Place::Whole, format!("corrupt gzip data: {e}")))?;
    Ok(Cow::Owned(out))
}

/// Reads the file at `path` and decompresses it if it is gzip.
pub fn read_maybe_gzip(path: &Path) -> Result<Vec<u8>, DataError> {
    let origin = Origin::file(path);
    let bytes = std::fs::read(path)
        .map_err(|e| DataError::new(&origin, Place::Whole, format!("cannot read file: {e}")))?;
    Ok(decompress_if_gzip(&bytes, &origin)?.into_owned())
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
        let error = read_maybe_gzip(path).unwrap_err().to_string();
        assert!(error.contains("/nonexistent/dir/train-images-idx3-ubyte.gz"), "{error}");
        assert!(error.contains("cannot read file"), "{error}");
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
