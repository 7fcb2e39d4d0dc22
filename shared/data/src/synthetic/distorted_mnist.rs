//! Distorted digits for spatial transformers (Jaderberg, Simonyan, Zisserman & Kavukcuoglu 2015).
//!
//! Each example is a real 28 x 28 digit (bytes 0-255, supplied by the caller, e.g. from the MNIST
//! loader) placed on a canvas by a random [`Transform`] and sampled bilinearly ([`warp`]).
//! Output pixels are floats in [0, 1] (byte / 255). The four variants of the paper:
//!
//! | variant | canvas | angle | scale | translation | clutter |
//! |---|---|---|---|---|---|
//! | [`Distortion::rotated`] (R) | 28 | ±90° | 1 | none | none |
//! | [`Distortion::rotated_translated_scaled`] (RTS) | 42 | ±45° | 0.7-1.2 | anywhere it fits | none |
//! | [`Distortion::translated`] (T) | 60 | 0 | 1 | anywhere it fits | none |
//! | [`Distortion::cluttered`] (TC) | 60 | 0 | 1 | anywhere it fits | `k` 6x6 crops of other digits |
//!
//! Angles and scales are uniform in their ranges; translations are whole pixels, uniform over the
//! positions where the (unrotated, scaled) digit box fits. Clutter is composited by `max`, so
//! the digit's own pixels are never dimmed. Every example records its [`Transform`] and the index
//! of its source digit: a lecture checks that a trained spatial transformer finds
//! [`Transform::stn_theta`].
//!
//! **What the model must learn**: the class, whatever the pose. **Why it is hard**: a CNN's
//! pooling gives only a little invariance to rotation and scale, and on a big cluttered canvas
//! the digit is a small part of the input; a spatial transformer learns to crop and un-rotate.
//! **Baseline**: 10 balanced classes: 10% accuracy, cross-entropy ln 10 ≈ 2.303.

use super::affine_warp::{Transform, warp};
use super::{ensure_positive, float_tensor, int_tensor, seeded_rng};
use anyhow::{Result, ensure};
use burn::prelude::{Device, Int, Tensor};
use rand::RngExt;

/// Side of a source digit, pixels.
pub const DIGIT_SIDE: usize = 28;

/// Real digits to distort: `images` `[n, 28, 28]` bytes, `labels` `[n]` in 0-9.
#[derive(Clone, Copy, Debug)]
pub struct DigitImages<'a> {
    images: &'a [u8],
    labels: &'a [u8],
}

impl<'a> DigitImages<'a> {
    /// Checks that there is at least one digit, that the sizes agree and the labels are 0-9.
    pub fn new(images: &'a [u8], labels: &'a [u8]) -> Result<Self> {
        ensure!(!labels.is_empty(), "no digits given");
        let pixels = DIGIT_SIDE * DIGIT_SIDE;
        ensure!(
            images.len() == labels.len() * pixels,
            "{} labels need {} image bytes (28 x 28 each), got {}",
            labels.len(),
            labels.len() * pixels,
            images.len()
        );
        if let Some(i) = labels.iter().position(|&l| l > 9) {
            anyhow::bail!("label {} of digit {i} is not a digit 0-9", labels[i]);
        }
        Ok(DigitImages { images, labels })
    }

    /// How many digits there are.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Always false: [`DigitImages::new`] refuses an empty set.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Digit `i`'s pixels as floats in [0, 1], `[28, 28]` row-major.
    pub fn image(&self, i: usize) -> Vec<f32> {
        let pixels = DIGIT_SIDE * DIGIT_SIDE;
        self.images[i * pixels..(i + 1) * pixels].iter().map(|&b| f32::from(b) / 255.0).collect()
    }

    /// Digit `i`'s label.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }
}

/// How to distort: the canvas and the ranges the random transform is drawn from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distortion {
    /// Canvas side, pixels; at least the digit's side at the largest scale.
    pub canvas_side: usize,
    /// Angles are uniform in ±`max_angle_degrees`.
    pub max_angle_degrees: f32,
    /// Scales are uniform in `[min_scale, max_scale]`.
    pub min_scale: f32,
    /// See `min_scale`.
    pub max_scale: f32,
    /// Whether the digit moves off the canvas centre.
    pub translate: bool,
    /// Number of clutter pieces.
    pub clutter_pieces: usize,
    /// Side of each clutter piece, pixels (at most 28).
    pub clutter_side: usize,
}

impl Distortion {
    /// R: rotated ±90° on a 28 x 28 canvas.
    pub fn rotated() -> Self {
        Distortion {
            canvas_side: 28,
            max_angle_degrees: 90.0,
            min_scale: 1.0,
            max_scale: 1.0,
            translate: false,
            clutter_pieces: 0,
            clutter_side: 6,
        }
    }

    /// RTS: rotated ±45°, scaled 0.7-1.2, placed anywhere on a 42 x 42 canvas.
    pub fn rotated_translated_scaled() -> Self {
        Distortion {
            canvas_side: 42,
            max_angle_degrees: 45.0,
            min_scale: 0.7,
            max_scale: 1.2,
            translate: true,
            ..Distortion::rotated()
        }
    }

    /// T: placed anywhere on a 60 x 60 canvas.
    pub fn translated() -> Self {
        Distortion { canvas_side: 60, max_angle_degrees: 0.0, translate: true, ..Distortion::rotated() }
    }

    /// TC: placed anywhere on a 60 x 60 canvas with `pieces` 6 x 6 crops of other digits.
    pub fn cluttered(pieces: usize) -> Self {
        Distortion { clutter_pieces: pieces, ..Distortion::translated() }
    }

    fn check(&self) -> Result<()> {
        let (low, high) = (self.min_scale, self.max_scale);
        ensure!(
            low.is_finite() && high.is_finite() && low > 0.0 && low <= high,
            "scales must satisfy 0 < min_scale <= max_scale, got {low}..{high}"
        );
        let angle = self.max_angle_degrees;
        ensure!(angle.is_finite() && angle >= 0.0, "max_angle_degrees must be >= 0, got {angle}");
        let needed = (DIGIT_SIDE as f32 * high).ceil() as usize;
        ensure!(
            self.canvas_side >= needed,
            "a {0} x {0} canvas is smaller than the digit at scale {high} ({needed} pixels)",
            self.canvas_side
        );
        ensure!(
            (1..=DIGIT_SIDE).contains(&self.clutter_side),
            "clutter_side must be 1-28, got {}",
            self.clutter_side
        );
        Ok(())
    }

    fn random_transform(&self, rng: &mut impl RngExt) -> Transform {
        let max_angle = self.max_angle_degrees.to_radians();
        let angle = if max_angle > 0.0 { rng.random_range(-max_angle..=max_angle) } else { 0.0 };
        let scale = if self.max_scale > self.min_scale {
            rng.random_range(self.min_scale..=self.max_scale)
        } else {
            self.min_scale
        };
        let room = ((self.canvas_side as f32 - DIGIT_SIDE as f32 * scale) / 2.0).floor() as i32;
        let mut offset = || {
            if self.translate { rng.random_range(-room..=room) as f32 } else { 0.0 }
        };
        let (tx, ty) = (offset(), offset());
        Transform { angle, scale, tx, ty }
    }
}

/// A batch of distorted digits.
#[derive(Clone, Debug, PartialEq)]
pub struct DistortedDigits {
    /// `[count, side, side]`, pixels in [0, 1].
    pub images: Vec<f32>,
    /// `[count]`: the class of each digit, 0-9.
    pub labels: Vec<i64>,
    /// `[count]`: how each digit was placed.
    pub transforms: Vec<Transform>,
    /// `[count]`: the index in [`DigitImages`] of each example's digit.
    pub sources: Vec<usize>,
    /// Examples in the batch.
    pub count: usize,
    /// Canvas side, pixels.
    pub side: usize,
}

/// `count` digits drawn at random from `digits` (with replacement) and distorted.
pub fn distorted_digits(
    digits: &DigitImages,
    distortion: &Distortion,
    count: usize,
    seed: u64,
) -> Result<DistortedDigits> {
    ensure_positive("number of distorted digits", count)?;
    distortion.check()?;
    let side = distortion.canvas_side;
    let mut rng = seeded_rng(seed);
    let mut out = DistortedDigits {
        images: Vec::with_capacity(count * side * side),
        labels: Vec::with_capacity(count),
        transforms: Vec::with_capacity(count),
        sources: Vec::with_capacity(count),
        count,
        side,
    };
    for _ in 0..count {
        let source = rng.random_range(0..digits.len());
        let transform = distortion.random_transform(&mut rng);
        let mut canvas = warp(&digits.image(source), DIGIT_SIDE, side, &transform)?;
        for _ in 0..distortion.clutter_pieces {
            add_clutter(&mut canvas, side, digits, source, distortion.clutter_side, &mut rng);
        }
        out.images.extend(canvas);
        out.labels.push(i64::from(digits.label(source)));
        out.transforms.push(transform);
        out.sources.push(source);
    }
    Ok(out)
}

/// Pastes (by `max`) a random `piece` x `piece` crop of a digit other than `source` (when there
/// is another) at a random place on the canvas.
fn add_clutter(
    canvas: &mut [f32],
    side: usize,
    digits: &DigitImages,
    source: usize,
    piece: usize,
    rng: &mut impl RngExt,
) {
    let mut other = rng.random_range(0..digits.len());
    if digits.len() > 1 && other == source {
        other = (other + 1) % digits.len();
    }
    let image = digits.image(other);
    let (crop_row, crop_col) =
        (rng.random_range(0..=DIGIT_SIDE - piece), rng.random_range(0..=DIGIT_SIDE - piece));
    let (row, col) = (rng.random_range(0..=side - piece), rng.random_range(0..=side - piece));
    for r in 0..piece {
        for c in 0..piece {
            let value = image[(crop_row + r) * DIGIT_SIDE + crop_col + c];
            let at = &mut canvas[(row + r) * side + col + c];
            *at = at.max(value);
        }
    }
}

impl DistortedDigits {
    /// The images as a `[count, 1, side, side]` tensor (one channel).
    pub fn image_tensor(&self, device: &Device) -> Result<Tensor<4>> {
        float_tensor(&self.images, [self.count, 1, self.side, self.side], device)
    }

    /// The labels as a `[count]` tensor of class indices.
    pub fn label_tensor(&self, device: &Device) -> Result<Tensor<1, Int>> {
        int_tensor(&self.labels, [self.count], device)
    }

    /// Example `i`'s canvas, `[side, side]`.
    pub fn image(&self, i: usize) -> &[f32] {
        let pixels = self.side * self.side;
        &self.images[i * pixels..(i + 1) * pixels]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ten stand-in digits (labels 0-9): a bright bar and a blob inside the central 20 x 20
    /// box, like MNIST's, in a different place for each label.
    pub(crate) fn test_digits() -> (Vec<u8>, Vec<u8>) {
        let mut images = vec![0u8; 10 * 784];
        for d in 0..10 {
            for r in 4..24 {
                for c in 4..24 {
                    let bar = c == 6 + d || c == 7 + d;
                    let blob = (r as i32 - 8 - d as i32).pow(2) + (c as i32 - 14).pow(2) < 16;
                    if bar || blob {
                        images[d * 784 + r * 28 + c] = 200 + 5 * d as u8;
                    }
                }
            }
        }
        (images, (0..10).collect())
    }

    fn mass(pixels: &[f32]) -> f32 {
        pixels.iter().sum()
    }

    #[test]
    fn no_distortion_on_a_28_canvas_reproduces_the_digit() {
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        let still = Distortion { max_angle_degrees: 0.0, ..Distortion::rotated() };
        let batch = distorted_digits(&digits, &still, 5, 1).unwrap();
        for i in 0..5 {
            assert_eq!(batch.image(i), digits.image(batch.sources[i]).as_slice());
            assert_eq!(batch.labels[i], i64::from(digits.label(batch.sources[i])));
        }
    }

    #[test]
    fn rotation_keeps_the_pixel_mass() {
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        let batch = distorted_digits(&digits, &Distortion::rotated(), 20, 2).unwrap();
        for i in 0..20 {
            let ratio = mass(batch.image(i)) / mass(&digits.image(batch.sources[i]));
            assert!((ratio - 1.0).abs() < 0.03, "example {i}: mass ratio {ratio}");
            assert!(batch.transforms[i].angle.abs() <= std::f32::consts::FRAC_PI_2);
        }
        let angles: Vec<f32> = batch.transforms.iter().map(|t| t.angle).collect();
        assert!(angles.iter().any(|&a| a > 0.5) && angles.iter().any(|&a| a < -0.5), "{angles:?}");
    }

    #[test]
    fn clutter_adds_pixels_and_keeps_the_digit() {
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        let batch = distorted_digits(&digits, &Distortion::cluttered(8), 10, 3).unwrap();
        let (mut clean_mass, mut cluttered_mass) = (0.0, 0.0);
        for i in 0..10 {
            let clean = warp(&digits.image(batch.sources[i]), 28, 60, &batch.transforms[i]).unwrap();
            assert!(batch.image(i).iter().zip(&clean).all(|(c, d)| c >= d), "digit {i} dimmed");
            clean_mass += mass(&clean);
            cluttered_mass += mass(batch.image(i));
        }
        assert!(cluttered_mass > 1.1 * clean_mass, "clutter {cluttered_mass} vs {clean_mass}");
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        let rts = Distortion::rotated_translated_scaled();
        let draw = |seed| distorted_digits(&digits, &rts, 4, seed).unwrap();
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let (images, labels) = test_digits();
        assert!(DigitImages::new(&[], &[]).is_err());
        let err = DigitImages::new(&images[1..], &labels).unwrap_err().to_string();
        assert!(err.contains("7840"), "{err}");
        assert!(DigitImages::new(&images[..784], &[10]).is_err());
        let digits = DigitImages::new(&images, &labels).unwrap();
        let small = Distortion { canvas_side: 27, ..Distortion::translated() };
        let err = distorted_digits(&digits, &small, 1, 0).unwrap_err().to_string();
        assert!(err.contains("smaller than the digit"), "{err}");
        let too_big = Distortion { canvas_side: 30, ..Distortion::rotated_translated_scaled() };
        assert!(distorted_digits(&digits, &too_big, 1, 0).is_err(), "28 x 1.2 > 30");
        let no_clutter_side = Distortion { clutter_side: 0, ..Distortion::cluttered(2) };
        assert!(distorted_digits(&digits, &no_clutter_side, 1, 0).is_err());
        assert!(distorted_digits(&digits, &Distortion::translated(), 0, 0).is_err());
    }

    #[test]
    fn tensors_have_the_documented_shapes() {
        let device = shared_backend::test_device();
        let (images, labels) = test_digits();
        let digits = DigitImages::new(&images, &labels).unwrap();
        let batch = distorted_digits(&digits, &Distortion::translated(), 3, 0).unwrap();
        assert_eq!(batch.image_tensor(&device).unwrap().dims(), [3, 1, 60, 60]);
        assert_eq!(batch.label_tensor(&device).unwrap().dims(), [3]);
    }

    fn variants() -> Vec<Distortion> {
        vec![
            Distortion::rotated(),
            Distortion::rotated_translated_scaled(),
            Distortion::translated(),
            Distortion::cluttered(4),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn pixels_stay_in_range_and_transforms_in_their_ranges(
            distortion in prop::sample::select(variants()), count in 1usize..4, seed in any::<u64>()
        ) {
            let (images, labels) = test_digits();
            let digits = DigitImages::new(&images, &labels).unwrap();
            let batch = distorted_digits(&digits, &distortion, count, seed).unwrap();
            let side = distortion.canvas_side;
            prop_assert_eq!(batch.images.len(), count * side * side);
            prop_assert!(batch.images.iter().all(|p| (0.0..=1.0).contains(p)));
            for (i, t) in batch.transforms.iter().enumerate() {
                prop_assert!(t.angle.abs() <= distortion.max_angle_degrees.to_radians() + 1e-6);
                prop_assert!(t.scale >= distortion.min_scale && t.scale <= distortion.max_scale);
                let room = (side as f32 - 28.0 * t.scale) / 2.0;
                prop_assert!(t.tx.abs() <= room && t.ty.abs() <= room, "{:?}", t);
                prop_assert_eq!(batch.labels[i], i64::from(digits.label(batch.sources[i])));
            }
        }
    }
}
