//! The margin loss on capsule lengths: one independent "is digit k present?" per class.
//!
//! ```text
//! L_k = T_k max(0, m+ - |v_k|)^2 + lambda (1 - T_k) max(0, |v_k| - m-)^2
//! ```
//!
//! with `T_k = 1` for the true class, `m+ = 0.9`, `m- = 0.1`, `lambda = 0.5` (down-weights the
//! absent classes so that early training does not shrink every capsule). Summed over the
//! classes, averaged over the batch. Unlike a softmax, the classes do not compete: several
//! digits may be present at once.

use burn::prelude::*;
use burn::tensor::activation::relu;

/// The paper's `m+`.
pub const PRESENT_MARGIN: f32 = 0.9;
/// The paper's `m-`.
pub const ABSENT_MARGIN: f32 = 0.1;
/// The paper's `lambda`.
pub const ABSENT_WEIGHT: f32 = 0.5;

/// Mean over the batch of the summed margin loss of `lengths` `[B, K]` for `labels` `[B]`.
pub fn margin_loss(lengths: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
    let classes = lengths.dims()[1];
    let present = labels.one_hot::<2>(classes).float(); // T_k
    let short = relu(lengths.clone().neg().add_scalar(PRESENT_MARGIN)).square();
    let long = relu(lengths.sub_scalar(ABSENT_MARGIN)).square();
    let absent = present.clone().neg().add_scalar(1.0);
    (present * short + absent * long * ABSENT_WEIGHT).sum_dim(1).mean()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_case() {
        let device = Device::flex();
        // Example 0, label 1: class 0 length 0.3 (absent, 0.5 * 0.2^2 = 0.02), class 1 length 0.5
        // (present, 0.4^2 = 0.16). Example 1, label 0: class 0 length 0.95 (0), class 1 0.05 (0).
        let lengths = Tensor::<2>::from_floats([[0.3, 0.5], [0.95, 0.05]], &device);
        let labels = Tensor::<1, Int>::from_ints([1, 0], &device);
        let loss: f32 = margin_loss(lengths, labels).into_scalar();
        assert!((loss - 0.18 / 2.0).abs() < 1e-6, "{loss}");
    }
}
