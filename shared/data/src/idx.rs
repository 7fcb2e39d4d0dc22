//! The IDX file format of MNIST, for unsigned-byte data.
//!
//! Layout (all integers big-endian):
//!
//! | offset      | bytes | content                                              |
//! |-------------|-------|------------------------------------------------------|
//! | 0           | 2     | zero, zero                                           |
//! | 2           | 1     | element type: `0x08` = unsigned byte (the only one read here) |
//! | 3           | 1     | number of dimensions `d`                             |
//! | 4           | 4·d   | the size of each dimension, a `u32` each             |
//! | 4 + 4·d     | Π dims| the elements, last dimension fastest                 |
//!
//! The file must end exactly after the last element: missing and trailing bytes are errors.

use super::error::{DataError, Origin, Place};
use std::cmp::Ordering;

/// The element type code for unsigned bytes.
pub const TYPE_U8: u8 = 0x08;

/// An array of unsigned bytes read from an IDX file: its shape and its elements in row-major order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdxArray {
    /// The size of each dimension, outermost first (MNIST images: `[n, 28, 28]`).
    pub dims: Vec<usize>,
    /// The elements, `dims.iter().product()` of them, last dimension fastest.
    pub data: Vec<u8>,
}

impl IdxArray {
    /// Parses an IDX file of unsigned bytes (already decompressed).
    pub fn parse(bytes: &[u8], origin: &Origin) -> Result<IdxArray, DataError> {
        parse_bytes(bytes).map_err(|(offset, message)| DataError::new(origin, Place::Byte(offset), message))
    }

    /// The IDX encoding of this array (the inverse of [`IdxArray::parse`]).
    ///
    /// Returns `None` when a dimension does not fit in a `u32`, there are more than 255
    /// dimensions, or `data` does not hold exactly `dims.iter().product()` elements.
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        let rank = u8::try_from(self.dims.len()).ok()?;
        if rank == 0 || self.dims.iter().product::<usize>() != self.data.len() {
            return None;
        }
        let mut bytes = vec![0, 0, TYPE_U8, rank];
        for &d in &self.dims {
            bytes.extend(u32::try_from(d).ok()?.to_be_bytes());
        }
        bytes.extend(&self.data);
        Some(bytes)
    }
}

/// A format violation: the byte offset where it was found and what is wrong.
type Violation = (usize, String);

fn parse_bytes(bytes: &[u8]) -> Result<IdxArray, Violation> {
    let dims = read_header(bytes)?;
    let data_start = 4 + 4 * dims.len();
    let data_end = dims
        .iter()
        .try_fold(1usize, |count, &d| count.checked_mul(d))
        .and_then(|count| count.checked_add(data_start))
        .ok_or_else(|| (4, format!("dimensions {dims:?} hold more elements than fit in memory")))?;
    let file_end = bytes.len();
    match file_end.cmp(&data_end) {
        Ordering::Less => Err((
            file_end,
            format!("truncated: dimensions {dims:?} need {data_end} bytes, the file has {file_end}"),
        )),
        Ordering::Greater => Err((
            data_end,
            format!("{} trailing bytes after the data of dimensions {dims:?}", file_end - data_end),
        )),
        Ordering::Equal => Ok(IdxArray { data: bytes[data_start..].to_vec(), dims }),
    }
}

/// Checks the magic number and element type and reads the dimension sizes.
fn read_header(bytes: &[u8]) -> Result<Vec<usize>, Violation> {
    let file_end = bytes.len();
    let Some(&[zero_a, zero_b, type_code, rank]) = bytes.first_chunk::<4>() else {
        return Err((file_end, format!("the file ends inside the 4-byte header, at byte {file_end}")));
    };
    if [zero_a, zero_b] != [0, 0] {
        return Err((0, format!("bad magic: expected 00 00, found {zero_a:02x} {zero_b:02x}")));
    }
    if type_code != TYPE_U8 {
        let message = format!("element type 0x{type_code:02x} is not supported (only 0x08, u8)");
        return Err((2, message));
    }
    if rank == 0 {
        return Err((3, "the number of dimensions is 0".to_string()));
    }
    let dims_end = 4 + 4 * usize::from(rank);
    let dim_bytes = bytes.get(4..dims_end).ok_or_else(|| {
        let message = format!("the file ends inside the {rank} dimension sizes (bytes 4..{dims_end})");
        (file_end, message)
    })?;
    Ok(dim_bytes.chunks_exact(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A 2 x 3 array: header, dims 2 and 3, then six bytes.
    fn two_by_three() -> Vec<u8> {
        vec![0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]
    }

    fn parse_error(bytes: &[u8]) -> String {
        IdxArray::parse(bytes, &Origin::Embedded("test.idx")).unwrap_err().to_string()
    }

    #[test]
    fn parses_a_hand_made_file() {
        let array = IdxArray::parse(&two_by_three(), &Origin::Inline).unwrap();
        assert_eq!(array.dims, vec![2, 3]);
        assert_eq!(array.data, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn dimensions_are_big_endian() {
        let mut bytes = vec![0, 0, 8, 1, 0, 0, 1, 2];
        bytes.extend(vec![7; 258]);
        assert_eq!(IdxArray::parse(&bytes, &Origin::Inline).unwrap().dims, vec![258]);
    }

    #[test]
    fn bad_magic_is_reported_at_byte_0() {
        let mut bytes = two_by_three();
        bytes[1] = 1;
        let error = parse_error(&bytes);
        assert!(error.starts_with("embedded test.idx: byte offset 0: bad magic"), "{error}");
    }

    #[test]
    fn other_element_types_are_refused_at_byte_2() {
        let mut bytes = two_by_three();
        bytes[2] = 0x0d; // float
        let error = parse_error(&bytes);
        assert!(error.contains("byte offset 2: element type 0x0d"), "{error}");
    }

    #[test]
    fn zero_dimensions_are_refused() {
        assert!(parse_error(&[0, 0, 8, 0]).contains("byte offset 3: the number of dimensions is 0"));
    }

    #[test]
    fn truncated_header_names_the_end_offset() {
        assert!(parse_error(&[0, 0, 8]).contains("byte offset 3: the file ends inside the 4-byte header"));
        let error = parse_error(&two_by_three()[..9]);
        assert!(error.contains("byte offset 9: the file ends inside the 2 dimension sizes"), "{error}");
    }

    #[test]
    fn truncated_data_names_the_end_offset() {
        let error = parse_error(&two_by_three()[..16]);
        assert!(error.contains("byte offset 16: truncated"), "{error}");
        assert!(error.contains("need 18 bytes, the file has 16"), "{error}");
    }

    #[test]
    fn trailing_bytes_name_where_the_data_should_end() {
        let mut bytes = two_by_three();
        bytes.extend([9, 9]);
        let error = parse_error(&bytes);
        assert!(error.contains("byte offset 18: 2 trailing bytes"), "{error}");
    }

    #[test]
    fn huge_dimensions_are_an_error_not_an_allocation() {
        let bytes = [0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        let error = parse_error(&bytes);
        assert!(error.contains("byte offset 4: dimensions [4294967295, "), "{error}");
        assert!(error.ends_with("hold more elements than fit in memory"), "{error}");
    }

    #[test]
    fn to_bytes_refuses_inconsistent_arrays() {
        let wrong_len = IdxArray { dims: vec![2, 2], data: vec![0; 3] };
        assert_eq!(wrong_len.to_bytes(), None);
        let no_dims = IdxArray { dims: vec![], data: vec![0] };
        assert_eq!(no_dims.to_bytes(), None);
    }

    fn arbitrary_array() -> impl Strategy<Value = IdxArray> {
        proptest::collection::vec(1usize..5, 1..4).prop_flat_map(|dims| {
            let len: usize = dims.iter().product();
            proptest::collection::vec(any::<u8>(), len)
                .prop_map(move |data| IdxArray { dims: dims.clone(), data })
        })
    }

    proptest! {
        #[test]
        fn round_trip(array in arbitrary_array()) {
            let bytes = array.to_bytes().unwrap();
            prop_assert_eq!(IdxArray::parse(&bytes, &Origin::Inline).unwrap(), array);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = IdxArray::parse(&bytes, &Origin::Inline);
        }

        #[test]
        fn mutations_never_panic_and_truncation_is_always_an_error(
            array in arbitrary_array(),
            cut in any::<prop::sample::Index>(),
            flip in any::<prop::sample::Index>(),
            value in any::<u8>(),
        ) {
            let bytes = array.to_bytes().unwrap();
            let truncated = &bytes[..cut.index(bytes.len())];
            prop_assert!(IdxArray::parse(truncated, &Origin::Inline).is_err());
            let mut flipped = bytes.clone();
            flipped[flip.index(bytes.len())] = value;
            let _ = IdxArray::parse(&flipped, &Origin::Inline);
        }
    }
}
