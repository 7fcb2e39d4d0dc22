//! The digits the experiments train and test on, all 28 x 28 with pixels in [0, 1].
//!
//! - **Training**: MNIST training digits, each shifted by a random whole number of pixels in
//!   `-max_shift..=max_shift` along each axis (the paper: up to 2), drawn afresh every batch.
//! - **Clean test set**: MNIST test digits as they are.
//! - **Affine test set** (the affNIST idea on the 28 x 28 canvas): the same test digits under a
//!   random rotation, scale and translation that the training data never showed; see
//!   [`AffineRange`]. Both models are trained on shifted digits only.

use anyhow::{Result, ensure};
use burn::prelude::*;
use rand::RngExt;
use rand::rngs::StdRng;
use serde::Serialize;
use shared::data::LabelledImages;
use shared::data::synthetic::affine_warp::{Transform, warp};
use shared::data::synthetic::distorted_mnist::DigitImages;
use shared::data::synthetic::seeded_rng;

/// Side of every image.
pub const SIDE: usize = 28;

/// The random stream of the affine test set: `sub_seed(run seed, AFFINE_TEST)`.
pub const AFFINE_TEST: u64 = 0;
/// The random stream of the training batches' shifts.
pub const TRAINING_SHIFTS: u64 = 1;

/// Images as floats `[n, 28, 28]` with their labels: a test set, or a batch.
#[derive(Clone, Debug)]
pub struct ImageSet {
    /// `[n, 28 * 28]` row-major, in [0, 1].
    pub pixels: Vec<f32>,
    pub labels: Vec<u8>,
}

impl ImageSet {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`, `28 * 28` pixels.
    pub fn image(&self, i: usize) -> &[f32] {
        &self.pixels[i * SIDE * SIDE..(i + 1) * SIDE * SIDE]
    }

    /// Images `start..start + count` as `[count, 1, 28, 28]`.
    pub fn images_tensor(&self, start: usize, count: usize, device: &Device) -> Tensor<4> {
        let pixels = self.pixels[start * SIDE * SIDE..(start + count) * SIDE * SIDE].to_vec();
        Tensor::from_data(TensorData::new(pixels, [count, 1, SIDE, SIDE]), device)
    }

    /// Labels `start..start + count` as `[count]`.
    pub fn labels_tensor(&self, start: usize, count: usize, device: &Device) -> Tensor<1, Int> {
        let labels: Vec<i64> = self.labels[start..start + count].iter().map(|&l| i64::from(l)).collect();
        Tensor::from_data(TensorData::new(labels, [count]), device)
    }
}

/// The first `count` digits of `split`, each placed by `transform(rng)`.
fn transformed(
    split: &LabelledImages,
    count: usize,
    rng: &mut StdRng,
    mut transform: impl FnMut(&mut StdRng) -> Transform,
) -> Result<ImageSet> {
    ensure!(
        split.side() == SIDE,
        "the models read {SIDE}x{SIDE} digits, got {}x{}",
        split.side(),
        split.side()
    );
    ensure!(count >= 1 && count <= split.len(), "asked for {count} of {} digits", split.len());
    let digits = DigitImages::new(split.images(), split.labels())?;
    let mut pixels = Vec::with_capacity(count * SIDE * SIDE);
    for i in 0..count {
        pixels.extend(warp(&digits.image(i), SIDE, SIDE, &transform(rng))?);
    }
    Ok(ImageSet { pixels, labels: split.labels()[..count].to_vec() })
}

/// The first `count` test digits unchanged.
pub fn clean_set(split: &LabelledImages, count: usize) -> Result<ImageSet> {
    transformed(split, count, &mut seeded_rng(0), |_| Transform::IDENTITY)
}

/// The first `count` test digits, each under the same `transform`.
pub fn transformed_set(split: &LabelledImages, count: usize, transform: Transform) -> Result<ImageSet> {
    transformed(split, count, &mut seeded_rng(0), |_| transform)
}

/// The range of the unseen affine transforms of the affine test set.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct AffineRange {
    /// Angles uniform in ±this, degrees.
    pub max_angle_degrees: f32,
    /// Scales uniform in `[min_scale, max_scale]`.
    pub min_scale: f32,
    pub max_scale: f32,
    /// Translations uniform in ±this along each axis, pixels (continuous, so the digit is
    /// also resampled between pixels).
    pub max_shift: f32,
}

impl AffineRange {
    /// affNIST-like: ±20° rotation, scale 0.8-1.2, shifts up to 2 px (within the training range).
    pub const AFFNIST_LIKE: AffineRange =
        AffineRange { max_angle_degrees: 20.0, min_scale: 0.8, max_scale: 1.2, max_shift: 2.0 };

    fn draw(&self, rng: &mut StdRng) -> Transform {
        let angle = self.max_angle_degrees.to_radians();
        Transform {
            angle: rng.random_range(-angle..=angle),
            scale: rng.random_range(self.min_scale..=self.max_scale),
            tx: rng.random_range(-self.max_shift..=self.max_shift),
            ty: rng.random_range(-self.max_shift..=self.max_shift),
        }
    }
}

/// The first `count` test digits, each under a random transform of `range`.
pub fn affine_set(split: &LabelledImages, count: usize, range: AffineRange, seed: u64) -> Result<ImageSet> {
    transformed(split, count, &mut seeded_rng(seed), |rng| range.draw(rng))
}

/// A training batch: `indices` of `split`, each shifted by up to `max_shift` whole pixels.
pub fn shifted_batch(
    split: &LabelledImages,
    indices: &[usize],
    max_shift: i32,
    rng: &mut StdRng,
) -> Result<ImageSet> {
    let digits = DigitImages::new(split.images(), split.labels())?;
    let mut pixels = Vec::with_capacity(indices.len() * SIDE * SIDE);
    for &i in indices {
        let shift = Transform {
            tx: rng.random_range(-max_shift..=max_shift) as f32,
            ty: rng.random_range(-max_shift..=max_shift) as f32,
            ..Transform::IDENTITY
        };
        pixels.extend(warp(&digits.image(i), SIDE, SIDE, &shift)?);
    }
    Ok(ImageSet { pixels, labels: indices.iter().map(|&i| digits.label(i)).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::data::Mnist;

    #[test]
    fn sets_keep_labels_and_pixels_and_bad_counts_are_errors() {
        let mnist = Mnist::embedded().unwrap();
        let clean = clean_set(&mnist.test, 3).unwrap();
        assert_eq!(clean.labels, mnist.test.labels()[..3].to_vec());
        let first: Vec<f32> = mnist.test.image(0).iter().map(|&p| f32::from(p) / 255.0).collect();
        assert_eq!(clean.image(0), first.as_slice());
        // A shift of at most 0 pixels leaves the digit as it is.
        let unshifted = shifted_batch(&mnist.test, &[0], 0, &mut seeded_rng(1)).unwrap();
        assert_eq!(unshifted.pixels, first);
        let affine = affine_set(&mnist.test, 3, AffineRange::AFFNIST_LIKE, 7).unwrap();
        assert_eq!(affine.labels, clean.labels);
        assert_ne!(affine.pixels, clean.pixels);
        assert!(clean_set(&mnist.test, 0).is_err());
        assert!(clean_set(&mnist.test, mnist.test.len() + 1).unwrap_err().to_string().contains("asked for"));
    }
}
