//! The UCI optical-recognition handwritten digits: 1,797 images of 8 x 8 pixels, each pixel a
//! count 0-16, with labels 0-9 (as shipped inside scikit-learn; CC BY 4.0, Alpaydin & Kaynak).
//!
//! File format: CSV without a header, one image a line: 64 integers 0-16 (row by row), then
//! the label 0-9.

use super::error::{DataError, Origin, Place};
use super::gzip::decompress_if_gzip;
use super::labelled_images::LabelledImages;
use super::text::utf8;

/// Height and width of an image.
pub const SIDE: usize = 8;
/// Pixels in one image.
pub const PIXELS: usize = SIDE * SIDE;
/// The largest pixel value.
pub const MAX_PIXEL: u8 = 16;

const EMBEDDED: (&str, &[u8]) = ("digits/digits.csv.gz", include_bytes!("../../data/digits/digits.csv.gz"));

/// The embedded data set: 1,797 images `[8, 8]` with pixels 0-16, labels 0-9.
pub fn embedded() -> Result<LabelledImages, DataError> {
    let (name, bytes) = EMBEDDED;
    let origin = Origin::Embedded(name);
    let raw = decompress_if_gzip(bytes, &origin)?;
    parse_csv(utf8(&raw, &origin)?, &origin)
}

/// Parses the CSV text: each non-blank line holds 64 pixels 0-16 and a label 0-9.
pub fn parse_csv(text: &str, origin: &Origin) -> Result<LabelledImages, DataError> {
    let (mut images, mut labels) = (Vec::new(), Vec::new());
    for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        let row = parse_row(line, origin, index + 1)?;
        images.extend(&row[..PIXELS]);
        labels.push(row[PIXELS]);
    }
    if labels.is_empty() {
        return Err(DataError::new(origin, Place::Whole, "no rows"));
    }
    Ok(LabelledImages::new(SIDE, MAX_PIXEL, images, labels))
}

/// One CSV line: 64 pixels then the label, each checked against its range.
fn parse_row(line: &str, origin: &Origin, line_number: usize) -> Result<[u8; PIXELS + 1], DataError> {
    let error = |message: String| DataError::new(origin, Place::Line(line_number), message);
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() != PIXELS + 1 {
        return Err(error(format!(
            "expected {} comma-separated fields (64 pixels and a label), found {}",
            PIXELS + 1,
            fields.len()
        )));
    }
    let mut row = [0u8; PIXELS + 1];
    for (column, (field, value)) in fields.iter().zip(row.iter_mut()).enumerate() {
        let (what, max) = if column < PIXELS { ("pixel", MAX_PIXEL) } else { ("label", 9) };
        *value = field.parse::<u8>().ok().filter(|&v| v <= max).ok_or_else(|| {
            error(format!("field {}: {what} '{field}' is not an integer 0-{max}", column + 1))
        })?;
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::Device;
    use proptest::prelude::*;

    fn row(pixel: u8, label: u8) -> String {
        let mut fields = vec![pixel.to_string(); PIXELS];
        fields.push(label.to_string());
        fields.join(",")
    }

    fn error_of(text: &str) -> String {
        parse_csv(text, &Origin::Embedded("digits.csv")).unwrap_err().to_string()
    }

    #[test]
    fn parses_hand_made_rows() {
        let text = format!("{}\n{}\n", row(3, 7), row(16, 0));
        let digits = parse_csv(&text, &Origin::Inline).unwrap();
        assert_eq!(digits.len(), 2);
        assert_eq!(digits.labels(), &[7, 0]);
        assert_eq!(digits.image(1), &[16; 64]);
        let x = digits.features_tensor(&[1, 0], &Device::flex());
        assert_eq!(x.dims(), [2, 64]);
        let values: Vec<f32> = x.into_data().iter::<f32>().collect();
        assert_eq!((values[0], values[64]), (1.0, 3.0 / 16.0));
        let y: Vec<i64> = digits.labels_tensor(&[1, 0], &Device::flex()).into_data().iter::<i64>().collect();
        assert_eq!(y, vec![0, 7]);
    }

    #[test]
    fn embedded_set_has_1797_images_of_every_digit() {
        let digits = embedded().unwrap();
        assert_eq!(digits.len(), 1_797);
        for label in 0..10 {
            let count = digits.labels().iter().filter(|&&l| l == label).count();
            assert!((170..=190).contains(&count), "digit {label}: {count}");
        }
        assert_eq!(digits.image(0)[..8], [0, 0, 5, 13, 9, 1, 0, 0]);
    }

    #[test]
    fn wrong_field_count_names_the_line() {
        let text = format!("{}\n1,2,3\n", row(0, 1));
        assert_eq!(
            error_of(&text),
            "embedded digits.csv: line 2: expected 65 comma-separated fields (64 pixels and a label), found 3"
        );
    }

    #[test]
    fn pixel_out_of_range_names_line_and_field() {
        let text = format!("{}\n\n{}", row(0, 1), row(17, 1));
        assert!(error_of(&text).contains("line 3: field 1: pixel '17' is not an integer 0-16"));
    }

    #[test]
    fn bad_label_and_header_are_errors() {
        assert!(error_of(&row(0, 10)).contains("line 1: field 65: label '10' is not an integer 0-9"));
        let header = (0..65).map(|i| format!("f{i}")).collect::<Vec<_>>().join(",");
        assert!(error_of(&header).contains("line 1: field 1: pixel 'f0'"));
    }

    #[test]
    fn empty_text_is_an_error() {
        assert_eq!(error_of("\n \n"), "embedded digits.csv: no rows");
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "[0-9,\n -]{0,300}") {
            let _ = parse_csv(&text, &Origin::Inline);
        }

        #[test]
        fn printed_rows_parse_back(
            pixels in proptest::collection::vec(0..=MAX_PIXEL, PIXELS),
            label in 0u8..10,
        ) {
            let mut fields: Vec<String> = pixels.iter().map(u8::to_string).collect();
            fields.push(label.to_string());
            let digits = parse_csv(&fields.join(","), &Origin::Inline).unwrap();
            prop_assert_eq!(digits.image(0), &pixels[..]);
            prop_assert_eq!(digits.labels(), &[label][..]);
        }
    }
}
