//! Two digits on one canvas, labelled with both classes and their sum (the MNIST-addition
//! experiment of Jaderberg et al. 2015, here on a single canvas).
//!
//! The canvas (default 60 x 60) is split into a left and a right half; each half holds one digit
//! drawn at random (with replacement) from the caller's [`DigitImages`], at a random whole-pixel
//! position where its 28 x 28 box fits inside the half. The two are composited by `max`, so they
//! never overlap. Pixels are floats in [0, 1]. Each example records both [`Transform`]s (no
//! rotation, unit scale, the translation), so a lecture can check where a spatial transformer
//! with two heads looks.
//!
//! **What the model must learn**: to find and read both digits and add them (19 classes, 0-18).
//! **Why it is hard**: the label depends on two objects at varying places; a transformer per
//! digit can crop each one. **Baseline**: always answering the most frequent sum, 9, is right
//! one time in 10 when the digits are uniform (10 of the 100 ordered pairs sum to 9).

use super::affine_warp::{Transform, warp};
use super::distorted_mnist::{DIGIT_SIDE, DigitImages};
use super::{ensure_positive, float_tensor, int_tensor, seeded_rng};
use anyhow::{Result, ensure};
use burn::prelude::{Device, Int, Tensor};
use rand::RngExt;

/// The canvas side used by default: two 28-pixel digits side by side with room to move.
pub const DEFAULT_PAIR_CANVAS: usize = 60;

/// Number of classes of the sum: 0..=18.
pub const SUM_CLASSES: usize = 19;

/// A batch of two-digit canvases.
#[derive(Clone, Debug, PartialEq)]
pub struct DigitPairs {
    /// `[count, side, side]`, pixels in [0, 1].
    pub images: Vec<f32>,
    /// `[count]`: the left digit's class.
    pub left_labels: Vec<i64>,
    /// `[count]`: the right digit's class.
    pub right_labels: Vec<i64>,
    /// `[count]`: left + right, 0-18.
    pub sums: Vec<i64>,
    /// `[count]`: the placements of the left and the right digit.
    pub transforms: Vec<[Transform; 2]>,
    /// `[count]`: the indices in [`DigitImages`] of the left and the right digit.
    pub sources: Vec<[usize; 2]>,
    /// Examples in the batch.
    pub count: usize,
    /// Canvas side, pixels.
    pub side: usize,
}

/// `count` canvases of side `side` (at least 56, two digits wide) with a random digit in each half.
pub fn digit_pairs(digits: &DigitImages, side: usize, count: usize, seed: u64) -> Result<DigitPairs> {
    ensure_positive("number of digit pairs", count)?;
    ensure!(
        side >= 2 * DIGIT_SIDE,
        "a {side} x {side} canvas is smaller than two digits side by side (56 pixels)"
    );
    let mut rng = seeded_rng(seed);
    let mut out = DigitPairs {
        images: Vec::with_capacity(count * side * side),
        left_labels: Vec::with_capacity(count),
        right_labels: Vec::with_capacity(count),
        sums: Vec::with_capacity(count),
        transforms: Vec::with_capacity(count),
        sources: Vec::with_capacity(count),
        count,
        side,
    };
    let half = side / 2;
    for _ in 0..count {
        let sources = [rng.random_range(0..digits.len()), rng.random_range(0..digits.len())];
        let transforms = [random_place(side, 0, half, &mut rng), random_place(side, half, side, &mut rng)];
        let left = warp(&digits.image(sources[0]), DIGIT_SIDE, side, &transforms[0])?;
        let right = warp(&digits.image(sources[1]), DIGIT_SIDE, side, &transforms[1])?;
        out.images.extend(left.iter().zip(&right).map(|(a, b)| a.max(*b)));
        let labels = sources.map(|s| i64::from(digits.label(s)));
        out.left_labels.push(labels[0]);
        out.right_labels.push(labels[1]);
        out.sums.push(labels[0] + labels[1]);
        out.transforms.push(transforms);
        out.sources.push(sources);
    }
    Ok(out)
}

/// A translation putting the digit's box at a random whole-pixel place with its columns in
/// `first_col..end_col` and its rows anywhere on the canvas.
fn random_place(side: usize, first_col: usize, end_col: usize, rng: &mut impl RngExt) -> Transform {
    let left = rng.random_range(first_col..=end_col - DIGIT_SIDE);
    let top = rng.random_range(0..=side - DIGIT_SIDE);
    // The box's centre minus the canvas centre: (edge + 13.5) - (side - 1) / 2.
    let offset = |edge: usize| edge as f32 + (DIGIT_SIDE as f32 - side as f32) / 2.0;
    Transform { tx: offset(left), ty: offset(top), ..Transform::IDENTITY }
}

impl DigitPairs {
    /// The canvases as a `[count, 1, side, side]` tensor.
    pub fn image_tensor(&self, device: &Device) -> Result<Tensor<4>> {
        float_tensor(&self.images, [self.count, 1, self.side, self.side], device)
    }

    /// The sums as a `[count]` tensor of class indices (19 classes).
    pub fn sum_tensor(&self, device: &Device) -> Result<Tensor<1, Int>> {
        int_tensor(&self.sums, [self.count], device)
    }

    /// Both digits' classes as a `[count, 2]` tensor (left, right).
    pub fn digit_label_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        let pairs: Vec<i64> =
            self.left_labels.iter().zip(&self.right_labels).flat_map(|(l, r)| [*l, *r]).collect();
        int_tensor(&pairs, [self.count, 2], device)
    }

    /// Example `i`'s canvas, `[side, side]`.
    pub fn image(&self, i: usize) -> &[f32] {
        let pixels = self.side * self.side;
        &self.images[i * pixels..(i + 1) * pixels]
    }
}

#[cfg(test)]
mod tests {
    use super::super::distorted_mnist::tests::test_digits;
    use super::*;
    use proptest::prelude::*;

    fn check(pairs: &DigitPairs, digits: &DigitImages) {
        let side = pairs.side;
        assert_eq!(pairs.images.len(), pairs.count * side * side);
        assert!(pairs.images.iter().all(|p| (0.0..=1.0).contains(p)));
        for i in 0..pairs.count {
            let [l, r] = pairs.sources[i];
            assert_eq!(pairs.left_labels[i], i64::from(digits.label(l)));
            assert_eq!(pairs.right_labels[i], i64::from(digits.label(r)));
            assert_eq!(pairs.sums[i], pairs.left_labels[i] + pairs.right_labels[i]);
            // Each digit lies, pixel for pixel, in its own half of the canvas.
            for (k, source) in [l, r].into_iter().enumerate() {
                let alone = warp(&digits.image(source), 28, side, &pairs.transforms[i][k]).unwrap();
                let (mine, other) =
                    if k == 0 { (0..side / 2, side / 2..side) } else { (side / 2..side, 0..side / 2) };
                for row in 0..side {
                    assert!(other.clone().all(|c| alone[row * side + c] == 0.0), "digit {k} crosses over");
                    for c in mine.clone() {
                        assert_eq!(pairs.image(i)[row * side + c], alone[row * side + c]);
                    }
                }
                assert!((alone.iter().sum::<f32>() - digits.image(source).iter().sum::<f32>()).abs() < 1e-3);
            }
        }
    }

    #[test]
    fn both_digits_are_on_the_canvas_and_the_labels_add_up() {
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        check(&digit_pairs(&digits, DEFAULT_PAIR_CANVAS, 12, 5).unwrap(), &digits);
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        assert_eq!(digit_pairs(&digits, 60, 3, 1).unwrap(), digit_pairs(&digits, 60, 3, 1).unwrap());
        assert_ne!(digit_pairs(&digits, 60, 3, 1).unwrap(), digit_pairs(&digits, 60, 3, 2).unwrap());
    }

    #[test]
    fn a_canvas_narrower_than_two_digits_is_an_error() {
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        let err = digit_pairs(&digits, 55, 1, 0).unwrap_err().to_string();
        assert!(err.contains("two digits"), "{err}");
        assert!(digit_pairs(&digits, 60, 0, 0).is_err());
    }

    #[test]
    fn tensors_have_the_documented_shapes() {
        let device = shared_backend::test_device();
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        let pairs = digit_pairs(&digits, 60, 2, 0).unwrap();
        assert_eq!(pairs.image_tensor(&device).unwrap().dims(), [2, 1, 60, 60]);
        assert_eq!(pairs.sum_tensor(&device).unwrap().dims(), [2]);
        let both: Vec<i64> = pairs.digit_label_tensor(&device).unwrap().into_data().try_to_vec_as().unwrap();
        assert_eq!(
            both,
            [pairs.left_labels[0], pairs.right_labels[0], pairs.left_labels[1], pairs.right_labels[1]]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        #[test]
        fn every_canvas_holds_its_two_digits(side in 56usize..72, count in 1usize..3, seed in any::<u64>()) {
            let (images, labels) = test_digits();
            let digits = DigitImages::new(&images, &labels).unwrap();
            check(&digit_pairs(&digits, side, count, seed).unwrap(), &digits);
        }
    }
}
