//! A set of small square greyscale images with class labels: an MNIST split.
//!
//! Pixels are stored as bytes, `[n, side, side]` row-major, from 0 (background) to `max_pixel`
//! (full ink); labels are class indices. Batches come out as tensors scaled to [0, 1].

use burn::prelude::{Device, Int, Tensor, TensorData};

/// Images `[n, side, side]` with pixels `0..=max_pixel`, and one label per image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledImages {
    side: usize,
    max_pixel: u8,
    images: Vec<u8>,
    labels: Vec<u8>,
}

impl LabelledImages {
    /// Wraps checked data: `images.len() == labels.len() * side * side`.
    pub(crate) fn new(side: usize, max_pixel: u8, images: Vec<u8>, labels: Vec<u8>) -> Self {
        debug_assert_eq!(images.len(), labels.len() * side * side, "one label per image");
        Self { side, max_pixel, images, labels }
    }

    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no images (never true for a parsed file).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Height and width of every image.
    pub fn side(&self) -> usize {
        self.side
    }

    /// The pixel value of full ink (255 for MNIST).
    pub fn max_pixel(&self) -> u8 {
        self.max_pixel
    }

    /// Image `i`: `side * side` bytes, row by row. Panics if `i >= len()`.
    pub fn image(&self, i: usize) -> &[u8] {
        let pixels = self.side * self.side;
        &self.images[i * pixels..(i + 1) * pixels]
    }

    /// All images, `[n, side, side]` row-major bytes (what `synthetic::DigitImages::new` takes).
    pub fn images(&self) -> &[u8] {
        &self.images
    }

    /// The labels of all images, in order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The images at `indices` as `[batch, 1, side, side]`, scaled to [0, 1] (for conv nets).
    /// Panics if an index is `>= len()`.
    pub fn images_tensor(&self, indices: &[usize], device: &Device) -> Tensor<4> {
        let data = TensorData::new(self.scaled_pixels(indices), [indices.len(), 1, self.side, self.side]);
        Tensor::from_data(data, device)
    }

    /// The images at `indices` as flat feature vectors `[batch, side * side]`, scaled to [0, 1]
    /// (for fully connected nets). Panics if an index is `>= len()`.
    pub fn features_tensor(&self, indices: &[usize], device: &Device) -> Tensor<2> {
        let data = TensorData::new(self.scaled_pixels(indices), [indices.len(), self.side * self.side]);
        Tensor::from_data(data, device)
    }

    /// The labels at `indices` as an integer tensor `[batch]`. Panics if an index is `>= len()`.
    pub fn labels_tensor(&self, indices: &[usize], device: &Device) -> Tensor<1, Int> {
        let labels: Vec<i64> = indices.iter().map(|&i| i64::from(self.labels[i])).collect();
        Tensor::from_data(TensorData::new(labels, [indices.len()]), device)
    }

    fn scaled_pixels(&self, indices: &[usize]) -> Vec<f32> {
        let scale = f32::from(self.max_pixel);
        indices.iter().flat_map(|&i| self.image(i).iter().map(move |&p| f32::from(p) / scale)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three 2x2 images whose pixels encode their index, labels 7, 8, 9.
    fn sample() -> LabelledImages {
        let images = vec![0, 1, 2, 3, 10, 11, 12, 13, 20, 16, 12, 20];
        LabelledImages::new(2, 20, images, vec![7, 8, 9])
    }

    #[test]
    fn images_and_labels_are_indexed_per_image() {
        let set = sample();
        assert_eq!((set.len(), set.side(), set.max_pixel()), (3, 2, 20));
        assert_eq!(set.image(1), &[10, 11, 12, 13]);
        assert_eq!(set.labels(), &[7, 8, 9]);
    }

    #[test]
    fn batch_tensors_follow_the_indices_and_scale_to_one() {
        let device = Device::flex();
        let set = sample();
        let images = set.images_tensor(&[2, 0], &device);
        assert_eq!(images.dims(), [2, 1, 2, 2]);
        let values: Vec<f32> = images.into_data().try_to_vec().unwrap();
        assert_eq!(values, vec![1.0, 0.8, 0.6, 1.0, 0.0, 0.05, 0.1, 0.15]);
        let features = set.features_tensor(&[1], &device);
        assert_eq!(features.dims(), [1, 4]);
        let labels: Vec<i64> = set.labels_tensor(&[2, 0], &device).into_data().iter::<i64>().collect();
        assert_eq!(labels, vec![9, 7]);
    }
}
