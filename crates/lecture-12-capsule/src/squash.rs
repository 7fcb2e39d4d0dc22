//! The capsule non-linearity: squash a vector's length into [0, 1), keep its direction.
//!
//! ```text
//! v = squash(s) = |s|^2 / (1 + |s|^2) * s / |s| = s * |s| / (1 + |s|^2)
//! ```
//!
//! A short vector (`|s| << 1`) shrinks to almost nothing (`|v| ≈ |s|^2`), a long one reaches a
//! length just below 1: the length of a capsule's output can be read as the probability that
//! its entity is present, while its direction is free to encode the entity's pose.

use burn::prelude::*;

/// Added under the square root so that `|s|` has a finite gradient at `s = 0`.
const EPSILON: f32 = 1e-9;

/// Squashes every vector along the last dimension: `[.., D]` -> `[.., D]`.
pub fn squash<const R: usize>(s: Tensor<R>) -> Tensor<R> {
    let squared_norm = s.clone().square().sum_dim(R - 1); // [.., 1]
    let norm = squared_norm.clone().add_scalar(EPSILON).sqrt();
    s * (norm / squared_norm.add_scalar(1.0))
}

/// The Euclidean length of every vector along the last dimension: `[B, N, D]` -> `[B, N]`.
pub fn lengths(capsules: Tensor<3>) -> Tensor<2> {
    capsules.square().sum_dim(2).add_scalar(EPSILON).sqrt().squeeze_dim(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_3_4_vector_of_length_5_becomes_length_25_over_26() {
        let device = Device::flex();
        let s = Tensor::<3>::from_floats([[[3.0, 4.0], [0.0, 0.0]]], &device);
        let v = squash(s);
        let got: Vec<f32> = v.clone().into_data().try_to_vec().unwrap();
        let shrink = 5.0 / 26.0;
        let want = [3.0 * shrink, 4.0 * shrink, 0.0, 0.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-6, "{got:?} vs {want:?}");
        }
        let length: Vec<f32> = lengths(v).into_data().try_to_vec().unwrap();
        assert!((length[0] - 25.0 / 26.0).abs() < 1e-6 && length[1] < 1e-4, "{length:?}");
    }
}
