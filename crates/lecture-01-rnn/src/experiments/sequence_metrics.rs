//! Losses and scores of per-step predictions where only some steps carry a target.
//!
//! A `mask: [batch, time]` holds 1 where step t of sequence b has a target and 0 where it has none
//! (e.g. the last steps of a "label = input three steps later" task): masked steps add nothing to
//! the loss or the score, whatever their (placeholder) target is.

use burn::prelude::{Int, Tensor};
use burn::tensor::activation::log_softmax;

/// Mean cross-entropy over the unmasked steps:
/// `-Σ_{b,t} mask[b,t] log softmax(logits[b,t])[targets[b,t]] / Σ mask`.
///
/// `logits: [batch, time, classes]`, `targets: [batch, time]` (any class where masked),
/// `mask: [batch, time]`.
pub fn masked_cross_entropy(logits: Tensor<3>, targets: Tensor<2, Int>, mask: Tensor<2>) -> Tensor<1> {
    let log_p = log_softmax(logits, 2).gather(2, targets.unsqueeze_dim(2)).squeeze_dim::<2>(2);
    let count = mask.clone().sum().clamp_min(1.0);
    (log_p * mask).sum().neg() / count
}

/// Fraction of unmasked steps whose most likely class is the target (shapes as in
/// [`masked_cross_entropy`]); 0 when every step is masked.
pub fn masked_accuracy(logits: Tensor<3>, targets: Tensor<2, Int>, mask: Tensor<2>) -> f64 {
    let predicted = logits.argmax(2).squeeze_dim::<2>(2);
    let hits = predicted.equal(targets).float() * mask.clone();
    let count: f64 = mask.sum().into_scalar::<f32>().into();
    if count == 0.0 { 0.0 } else { f64::from(hits.sum().into_scalar::<f32>()) / count }
}

/// Mean squared error over the unmasked steps: `Σ mask (pred - target)² / Σ mask`, all `[batch, time]`.
pub fn masked_mse(predictions: Tensor<2>, targets: Tensor<2>, mask: Tensor<2>) -> Tensor<1> {
    let count = mask.clone().sum().clamp_min(1.0);
    ((predictions - targets).powi_scalar(2) * mask).sum() / count
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::Device;

    #[test]
    fn masked_steps_do_not_count() {
        let device = Device::flex();
        // Step 0 predicts class 1 (right), step 1 predicts class 0 (wrong but masked).
        let logits = Tensor::<3>::from_floats([[[0.0, 2.0], [3.0, 0.0]]], &device);
        let targets = Tensor::<2, Int>::from_ints([[1, 1]], &device);
        let mask = Tensor::<2>::from_floats([[1.0, 0.0]], &device);
        assert_eq!(masked_accuracy(logits.clone(), targets.clone(), mask.clone()), 1.0);
        let loss: f32 = masked_cross_entropy(logits, targets, mask.clone()).into_scalar();
        let expected = (1.0 + (-2.0f32).exp()).ln(); // -log softmax([0, 2])[1]
        assert!((loss - expected).abs() < 1e-5, "{loss} vs {expected}");

        let predictions = Tensor::<2>::from_floats([[1.0, 5.0]], &device);
        let mse: f32 =
            masked_mse(predictions, Tensor::from_floats([[3.0, 0.0]], &device), mask).into_scalar();
        assert_eq!(mse, 4.0);
    }
}
