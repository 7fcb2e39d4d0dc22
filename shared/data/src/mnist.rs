//! MNIST handwritten digits: 28 x 28 grey images with labels 0-9, read from IDX files.
//!
//! [`Mnist::embedded`] gives the vendored subset compiled into the binary (the first 10,000
//! training images and the full 10,000-image test set); [`Mnist::from_dir`] reads the full
//! data set (60,000 + 10,000) from a directory of the standard files, gzipped or raw.
//! MNIST is by Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0 (see `shared/data/NOTICE.md`).

use super::error::{DataError, Origin, Place};
use super::gzip::{decompress_if_gzip, read_maybe_gzip};
use super::idx::IdxArray;
use super::labelled_images::LabelledImages;
use std::path::{Path, PathBuf};

/// Height and width of an MNIST image.
pub const SIDE: usize = 28;
/// Pixels in one image.
pub const PIXELS: usize = SIDE * SIDE;
/// The number of classes (digits 0-9).
pub const CLASSES: usize = 10;
/// The most bytes one MNIST file may hold, on disk or decompressed: 128 MiB, well above the
/// 47 MB of the full training images.
pub const MAX_FILE_BYTES: u64 = 128 << 20;

/// Checks an IDX image array `[n, 28, 28]`, `n >= 1`, against an IDX label array `[n]` with
/// labels < 10.
pub fn split_from_idx(
    images: IdxArray,
    images_origin: &Origin,
    labels: IdxArray,
    labels_origin: &Origin,
) -> Result<LabelledImages, DataError> {
    if images.dims.len() != 3 || images.dims[1..] != [SIDE, SIDE] {
        return Err(DataError::new(
            images_origin,
            Place::Byte(3),
            format!("expected images of shape [n, 28, 28], found dimensions {:?}", images.dims),
        ));
    }
    if images.dims[0] == 0 {
        return Err(DataError::new(images_origin, Place::Byte(4), "the file holds 0 images"));
    }
    if labels.dims.len() != 1 {
        return Err(DataError::new(
            labels_origin,
            Place::Byte(3),
            format!("expected labels of shape [n], found dimensions {:?}", labels.dims),
        ));
    }
    if images.dims[0] != labels.dims[0] {
        return Err(DataError::new(
            labels_origin,
            Place::Byte(4),
            format!("{} labels for {} images in {images_origin}", labels.dims[0], images.dims[0]),
        ));
    }
    if let Some(index) = labels.data.iter().position(|&label| usize::from(label) >= CLASSES) {
        return Err(DataError::new(
            labels_origin,
            Place::Record(index),
            format!("label {} is not a digit 0-9", labels.data[index]),
        ));
    }
    Ok(LabelledImages::new(SIDE, u8::MAX, images.data, labels.data))
}

/// MNIST: a training split and a test split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mnist {
    pub train: LabelledImages,
    pub test: LabelledImages,
}

/// The standard file names of the training images, training labels, test images, test labels.
const FILE_NAMES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// The vendored files, gzipped, in the order of [`FILE_NAMES`].
const EMBEDDED: [(&str, &[u8]); 4] = [
    ("mnist/train-images-idx3-ubyte.gz", include_bytes!("../mnist/train-images-idx3-ubyte.gz")),
    ("mnist/train-labels-idx1-ubyte.gz", include_bytes!("../mnist/train-labels-idx1-ubyte.gz")),
    ("mnist/t10k-images-idx3-ubyte.gz", include_bytes!("../mnist/t10k-images-idx3-ubyte.gz")),
    ("mnist/t10k-labels-idx1-ubyte.gz", include_bytes!("../mnist/t10k-labels-idx1-ubyte.gz")),
];

impl Mnist {
    /// The vendored subset compiled into the binary: 10,000 training and 10,000 test images.
    ///
    /// Decompresses and parses about 16 MB on every call: call it once and keep the result.
    pub fn embedded() -> Result<Mnist, DataError> {
        let [train_images, train_labels, test_images, test_labels] = EMBEDDED.map(|(name, bytes)| {
            let origin = Origin::Embedded(name);
            let array = decompress_if_gzip(bytes, &origin).and_then(|raw| IdxArray::parse(&raw, &origin));
            (array, origin)
        });
        Ok(Mnist { train: split(train_images, train_labels)?, test: split(test_images, test_labels)? })
    }

    /// Reads the four standard MNIST files from `dir`, each either `NAME.gz` or raw `NAME`.
    pub fn from_dir(dir: &Path) -> Result<Mnist, DataError> {
        let [train_images, train_labels, test_images, test_labels] = FILE_NAMES.map(|name| {
            let path = find_file(dir, name);
            let origin = Origin::file(&path);
            let array = read_maybe_gzip(&path, MAX_FILE_BYTES).and_then(|raw| IdxArray::parse(&raw, &origin));
            (array, origin)
        });
        Ok(Mnist { train: split(train_images, train_labels)?, test: split(test_images, test_labels)? })
    }
}

type Parsed = (Result<IdxArray, DataError>, Origin);

fn split(
    (images, images_origin): Parsed,
    (labels, labels_origin): Parsed,
) -> Result<LabelledImages, DataError> {
    split_from_idx(images?, &images_origin, labels?, &labels_origin)
}

/// `dir/NAME.gz` if it exists, else `dir/NAME` (whose absence the reader then reports).
fn find_file(dir: &Path, name: &str) -> PathBuf {
    let gzipped = dir.join(format!("{name}.gz"));
    if gzipped.exists() { gzipped } else { dir.join(name) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::Device;
    use proptest::prelude::*;

    fn images(n: usize) -> IdxArray {
        IdxArray { dims: vec![n, SIDE, SIDE], data: (0..n * PIXELS).map(|i| (i % 256) as u8).collect() }
    }

    fn labels(values: &[u8]) -> IdxArray {
        IdxArray { dims: vec![values.len()], data: values.to_vec() }
    }

    fn check(images: IdxArray, labels: IdxArray) -> Result<LabelledImages, DataError> {
        split_from_idx(images, &Origin::Embedded("images"), labels, &Origin::Embedded("labels"))
    }

    #[test]
    fn embedded_subset_has_ten_thousand_images_in_each_split() {
        let mnist = Mnist::embedded().unwrap();
        assert_eq!((mnist.train.len(), mnist.test.len()), (10_000, 10_000));
        assert_eq!(mnist.train.image(9_999).len(), 784);
        // Every digit occurs; a wrong label file would skew this badly.
        for split in [&mnist.train, &mnist.test] {
            let mut counts = [0usize; CLASSES];
            split.labels().iter().for_each(|&l| counts[usize::from(l)] += 1);
            assert!(counts.iter().all(|&c| (800..1_300).contains(&c)), "{counts:?}");
        }
        // The well-known first labels of the MNIST training and test sets.
        assert_eq!(&mnist.train.labels()[..5], &[5, 0, 4, 1, 9]);
        assert_eq!(&mnist.test.labels()[..5], &[7, 2, 1, 0, 4]);
        let ink: u32 = mnist.train.image(0).iter().map(|&p| u32::from(p)).sum();
        assert!(ink > 10_000, "the first image has ink: {ink}");
    }

    #[test]
    fn batch_tensors_have_the_right_shape_scale_and_order() {
        let split = check(images(3), labels(&[4, 7, 1])).unwrap();
        let device = Device::flex();
        let x = split.images_tensor(&[2, 0], &device);
        assert_eq!(x.dims(), [2, 1, 28, 28]);
        let values: Vec<f32> = x.into_data().iter::<f32>().collect();
        assert_eq!(values[0], f32::from(split.image(2)[0]) / 255.0);
        assert_eq!(values[PIXELS + 255], 1.0);
        assert!(values.iter().all(|v| (0.0..=1.0).contains(v)));
        let y = split.labels_tensor(&[2, 0, 1], &device);
        let y: Vec<i64> = y.into_data().iter::<i64>().collect();
        assert_eq!(y, vec![1, 4, 7]);
    }

    #[test]
    fn image_returns_the_right_slice() {
        let split = check(images(2), labels(&[0, 1])).unwrap();
        assert_eq!(split.image(1)[0], (PIXELS % 256) as u8);
    }

    #[test]
    fn wrong_image_shape_is_an_error_naming_the_images() {
        let flat = IdxArray { dims: vec![2, 784], data: vec![0; 2 * 784] };
        let error = check(flat, labels(&[0, 1])).unwrap_err().to_string();
        assert!(error.starts_with("embedded images: byte offset 3: expected images of shape"), "{error}");
    }

    #[test]
    fn label_array_must_be_one_dimensional() {
        let error =
            check(images(2), IdxArray { dims: vec![2, 1], data: vec![0, 1] }).unwrap_err().to_string();
        assert!(error.starts_with("embedded labels: byte offset 3: expected labels of shape [n]"), "{error}");
    }

    #[test]
    fn count_mismatch_is_an_error() {
        let error = check(images(3), labels(&[0, 1])).unwrap_err().to_string();
        assert!(error.contains("2 labels for 3 images in embedded images"), "{error}");
    }

    #[test]
    fn a_file_of_zero_images_is_an_error_naming_it() {
        let error = check(images(0), labels(&[])).unwrap_err().to_string();
        assert_eq!(error, "embedded images: byte offset 4: the file holds 0 images");
    }

    #[test]
    fn label_out_of_range_names_the_record() {
        let error = check(images(3), labels(&[0, 10, 1])).unwrap_err().to_string();
        assert_eq!(error, "embedded labels: record 1: label 10 is not a digit 0-9");
    }

    #[test]
    fn from_dir_reads_raw_and_gzipped_files_and_names_a_missing_one() {
        let dir = std::env::temp_dir().join(format!("shared-mnist-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write =
            |name: &str, array: IdxArray| std::fs::write(dir.join(name), array.to_bytes().unwrap()).unwrap();
        write("train-images-idx3-ubyte", images(2));
        write("train-labels-idx1-ubyte", labels(&[3, 4]));
        write("t10k-images-idx3-ubyte", images(1));
        let missing = Mnist::from_dir(&dir).unwrap_err().to_string();
        assert!(missing.contains(&dir.join("t10k-labels-idx1-ubyte").display().to_string()), "{missing}");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut encoder, &labels(&[9]).to_bytes().unwrap()).unwrap();
        std::fs::write(dir.join("t10k-labels-idx1-ubyte.gz"), encoder.finish().unwrap()).unwrap();
        let mnist = Mnist::from_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((mnist.train.labels(), mnist.test.labels()), (&[3, 4][..], &[9][..]));
    }

    proptest! {
        #[test]
        fn labels_are_accepted_exactly_when_all_are_digits(
            values in proptest::collection::vec(any::<u8>(), 1..6),
        ) {
            let result = check(images(values.len()), labels(&values));
            prop_assert_eq!(result.is_ok(), values.iter().all(|&l| l < 10));
        }

        #[test]
        fn any_shapes_give_ok_or_err(
            image_dims in proptest::collection::vec(0usize..30, 1..4),
            label_dims in proptest::collection::vec(0usize..4, 1..3),
        ) {
            let images = IdxArray { data: vec![0; image_dims.iter().product()], dims: image_dims };
            let labels = IdxArray { data: vec![0; label_dims.iter().product()], dims: label_dims };
            let _ = check(images, labels);
        }
    }
}
