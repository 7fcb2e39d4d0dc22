//! What the experiments need of a digit classifier: a training loss and class scores.

use burn::prelude::*;

/// A model that classifies images `[B, 1, side, side]` into classes.
pub trait Classifier {
    /// The training loss of a batch of `images` with `labels` `[B]`.
    fn loss(&self, images: Tensor<4>, labels: Tensor<1, Int>) -> Tensor<1>;

    /// One score per class `[B, K]`; the prediction is the arg-max.
    fn scores(&self, images: Tensor<4>) -> Tensor<2>;
}
