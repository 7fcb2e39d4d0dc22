//! Parameter initialisation shared by the composition functions.

use burn::module::Param;
use burn::prelude::{Device, Shape, Tensor};
use burn::tensor::Distribution;

/// A trainable tensor drawn uniformly from `[-bound, bound]` (at once, not lazily, so the
/// weights depend only on the device's seed at construction).
pub fn uniform<const D: usize>(shape: impl Into<Shape>, bound: f64, device: &Device) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::random(shape, Distribution::Uniform(-bound, bound), device))
}

/// A weight matrix `[fan_in, fan_out]` drawn from `±1/sqrt(fan_in)` (PyTorch's Linear rule).
pub fn weight(fan_in: usize, fan_out: usize, device: &Device) -> Param<Tensor<2>> {
    uniform([fan_in, fan_out], 1.0 / (fan_in.max(1) as f64).sqrt(), device)
}

/// A bias `[width]` of zeros.
pub fn zeros(width: usize, device: &Device) -> Param<Tensor<1>> {
    Param::from_tensor(Tensor::zeros([width], device))
}

/// The bound of the word vectors' uniform initialisation.
pub const WORD_BOUND: f64 = 0.5;

/// A word-vector table `[vocab, width]` drawn from `±WORD_BOUND`.
pub fn embedding(vocab: usize, width: usize, device: &Device) -> Param<Tensor<2>> {
    uniform([vocab, width], WORD_BOUND, device)
}
