//! The last layer of a neural LM: from a hidden vector to `log P(next word | h)`.
//!
//! - [`OutputLayer::Full`]: `log softmax(h W + b)` over all `V` words, `W: [hidden, V]`;
//! - [`OutputLayer::Class`]: the class-factorised softmax of [`crate::class_softmax`].
//!
//! Both return the log-probability of the given targets only: that is all training
//! (`loss = -mean log P`) and evaluation (perplexity, interpolation, cache) need.

use crate::class_softmax::ClassSoftmax;
use burn::module::Module;
use burn::nn::Linear;
use burn::prelude::{Int, Tensor, TensorData};
use burn::tensor::activation::log_softmax;
use shared::fast_ops;

/// A full or class-based softmax over the vocabulary.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)] // built once per model
pub enum OutputLayer {
    /// `log softmax(h W + b)`.
    Full(Linear),
    /// `log P(class | h) + log P(word | class, h)`.
    Class(ClassSoftmax),
}

impl OutputLayer {
    /// `log P(target_n | h_n)` for `h: [N, hidden]` and `N` targets -> `[N]`.
    pub fn target_log_probs(&self, h: Tensor<2>, targets: &[usize]) -> Tensor<1> {
        match self {
            OutputLayer::Full(linear) => fast_ops::target_log_probs(fast_ops::linear(linear, h), targets),
            OutputLayer::Class(layer) => layer.target_log_probs(h, targets),
        }
    }

    /// `log P(. | h)` over the whole vocabulary, `[N, V]` (full softmax only; `None` for the
    /// class layer, whose models are only scored, never sampled).
    pub fn log_probs(&self, h: Tensor<2>) -> Option<Tensor<2>> {
        match self {
            OutputLayer::Full(linear) => Some(log_softmax(fast_ops::linear(linear, h), 1)),
            OutputLayer::Class(_) => None,
        }
    }
}

/// Token ids as an `Int` tensor of `shape` (row-major).
pub fn ids<const D: usize>(
    shape: [usize; D],
    values: &[usize],
    device: &burn::prelude::Device,
) -> Tensor<D, Int> {
    let values: Vec<i64> = values.iter().map(|&v| v as i64).collect();
    Tensor::from_data(TensorData::new(values, shape), device)
}
