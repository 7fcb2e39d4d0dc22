//! Random test inputs: tensors of normal draws from burn's generator, which [`seeded`] seeds and
//! holds so that a test's inputs depend on its seed alone.
//!
//! [`seeded`]: crate::seeded

use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;

/// A tensor of `shape` with entries drawn from N(0, 1).
pub fn normal<const D: usize>(shape: [usize; D], device: &Device) -> Tensor<D> {
    normal_with(shape, 0.0, 1.0, device)
}

/// A tensor of `shape` with entries drawn from N(`mean`, `std`²).
pub fn normal_with<const D: usize>(shape: [usize; D], mean: f64, std: f64, device: &Device) -> Tensor<D> {
    Tensor::random(shape, Distribution::Normal(mean, std), device)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded;

    #[test]
    fn draws_have_the_asked_shape_mean_and_spread() {
        let (standard, shifted) = seeded(1, |d| (normal([200, 50], d), normal_with([10_000], 3.0, 0.5, d)));
        assert_eq!(standard.dims(), [200, 50]);
        let mean = |t: Tensor<1>| t.mean().into_scalar::<f32>();
        assert!(mean(standard.clone().flatten(0, 1)).abs() < 0.03);
        assert!((mean(standard.powi_scalar(2).flatten(0, 1)) - 1.0).abs() < 0.05);
        assert!((mean(shifted.clone()) - 3.0).abs() < 0.02);
        assert!((mean(shifted.sub_scalar(3.0).powi_scalar(2)) - 0.25).abs() < 0.02);
    }

    #[test]
    fn the_same_seed_draws_the_same_tensor() {
        let draw = || seeded(7, |d| normal([3, 4], d)).into_data().iter::<f32>().collect::<Vec<_>>();
        assert_eq!(draw(), draw());
    }
}
