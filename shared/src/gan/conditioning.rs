//! Conditioning on a class (Mirza & Osindero 2014): the label, one-hot, is appended to the input
//! of both networks.
//!
//! ```text
//! G(z | y) = G([z, onehot(y)])     z: [batch, noise], onehot(y): [batch, classes]
//! D(x | y) = D([x, onehot(y)])     x: [batch, features]
//! ```
//!
//! The discriminator now judges *pairs*: a sharp 3 labelled "7" is fake. To fool it the
//! generator has to draw the digit it was asked for.

use burn::prelude::*;

/// `labels` `[batch]` (class indices below `classes`) as one-hot rows `[batch, classes]`.
pub fn one_hot(labels: Tensor<1, Int>, classes: usize) -> Tensor<2> {
    labels.one_hot::<2>(classes).float()
}

/// `x` `[batch, n]` with the condition `[batch, c]` appended: `[batch, n + c]`; `x` unchanged
/// when there is no condition.
pub fn append_condition(x: Tensor<2>, condition: Option<&Tensor<2>>) -> Tensor<2> {
    match condition {
        Some(c) => Tensor::cat(vec![x, c.clone()], 1),
        None => x,
    }
}
