//! Feature scaling: standardise every input feature with statistics of the training set.
//!
//! ```text
//! x'_i = (x_i - m_i) / max(s_i, min_std)      m_i, s_i: mean and std of feature i over the training set
//! ```
//!
//! Features on very different scales stretch the error surface: the weights of a large feature
//! need a small learning rate, those of a small feature a large one, and one learning rate serves
//! neither (gradient descent zig-zags across the narrow valley). Centring matters too: with
//! all-positive inputs every weight of a unit gets a gradient of the same sign, so a unit's
//! weights can only move together (LeCun et al. 1998, "Efficient BackProp").
//!
//! Standardising the input is batch normalisation of the input layer with the whole training
//! set as the batch, computed once and frozen (gamma = 1, beta = 0): that is why it reuses
//! [`batch_statistics`]. `min_std` keeps features that hardly vary in training (MNIST's border
//! pixels are almost always 0) from being blown up on a test image that happens to ink them.

use crate::batch_norm::batch_statistics;
use anyhow::{Result, ensure};
use burn::prelude::*;

/// The per-feature mean and (floored) standard deviation of a training set `[N, F]`.
#[derive(Clone, Debug)]
pub struct Standardizer {
    mean: Tensor<1>,
    std: Tensor<1>,
}

impl Standardizer {
    /// Statistics of `train` `[N, F]`; standard deviations below `min_std` are raised to it.
    pub fn fit(train: Tensor<2>, min_std: f64) -> Result<Standardizer> {
        ensure!(train.dims()[0] > 0, "cannot fit feature scaling to an empty training set");
        ensure!(min_std > 0.0, "the smallest standard deviation must be positive, got {min_std}");
        let (mean, var) = batch_statistics(train);
        Ok(Standardizer { mean, std: var.sqrt().clamp_min(min_std) })
    }

    /// `(x - mean) / std` for `x` `[N, F]` (on any device).
    pub fn apply(&self, x: Tensor<2>) -> Tensor<2> {
        let device = x.device();
        let mean = self.mean.clone().to_device(&device).unsqueeze::<2>();
        let std = self.std.clone().to_device(&device).unsqueeze::<2>();
        (x - mean) / std
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::{Tolerance, assert_tensors_close};

    #[test]
    fn standardised_features_have_zero_mean_and_unit_std() {
        let device = Device::flex();
        // Feature 0: 0, 10, 20 (mean 10, std 8.165); feature 1 is constant 3 (std floored to 0.5).
        let train = Tensor::<2>::from_floats([[0.0, 3.0], [10.0, 3.0], [20.0, 3.0]], &device);
        let scaler = Standardizer::fit(train.clone(), 0.5).unwrap();
        let s = (200.0f32 / 3.0).sqrt();
        let expected = Tensor::<2>::from_floats([[-10.0 / s, 0.0], [0.0, 0.0], [10.0 / s, 0.0]], &device);
        assert_tensors_close("scaled", scaler.apply(train), expected, Tolerance::F32);
        let test = Tensor::<2>::from_floats([[10.0, 4.0]], &device);
        assert_tensors_close(
            "floored",
            scaler.apply(test),
            Tensor::from_floats([[0.0, 2.0]], &device),
            Tolerance::F32,
        );
    }

    #[test]
    fn bad_settings_are_errors() {
        let device = Device::flex();
        let err = Standardizer::fit(Tensor::<2>::zeros([0, 3], &device), 0.1).unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        assert!(Standardizer::fit(Tensor::<2>::zeros([2, 3], &device), 0.0).is_err());
    }
}
