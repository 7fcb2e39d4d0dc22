//! The recursive neural network (Socher et al. 2011): one shared layer composes every phrase.
//!
//! ```text
//! leaf:    h = e_word                       e: [vocab, d]
//! parent:  p = tanh([l; r] W + b)           l, r: [n, d], W: [2d, d], b: [d] -> p: [n, d]
//! ```
//!
//! The children only meet through the sum `l W_l + r W_r` inside the tanh: the lecture's point
//! that a plain `Wx` lets two words add up but not multiply (e.g. "not" cannot scale "good").

use crate::composition::Composition;
use crate::params::{embedding, weight, zeros};
use burn::module::{Module, Param};
use burn::prelude::{Device, Int, Tensor};

/// `p = tanh([l; r] W + b)` for a batch of node pairs: `left, right: [n, d]` -> `[n, d]`.
pub fn compose(left: Tensor<2>, right: Tensor<2>, w: Tensor<2>, b: Tensor<1>) -> Tensor<2> {
    (Tensor::cat(vec![left, right], 1).matmul(w) + b.unsqueeze()).tanh()
}

/// Word vectors and the composition layer.
#[derive(Module, Debug)]
pub struct RecursiveNet {
    /// Word vectors `[vocab, d]`.
    pub words: Param<Tensor<2>>,
    /// `W: [2d, d]`.
    pub w: Param<Tensor<2>>,
    /// `b: [d]`.
    pub b: Param<Tensor<1>>,
}

impl RecursiveNet {
    /// Random word vectors and weights (`±1/sqrt(2d)`), zero bias.
    pub fn new(vocab: usize, width: usize, device: &Device) -> Self {
        Self {
            words: embedding(vocab, width, device),
            w: weight(2 * width, width, device),
            b: zeros(width, device),
        }
    }
}

impl Composition for RecursiveNet {
    fn state_width(&self) -> usize {
        self.b.dims()[0]
    }

    fn feature_width(&self) -> usize {
        self.state_width()
    }

    fn leaves(&self, words: Tensor<1, Int>) -> Tensor<2> {
        self.words.val().select(0, words)
    }

    fn compose(&self, left: Tensor<2>, right: Tensor<2>) -> Tensor<2> {
        compose(left, right, self.w.val(), self.b.val())
    }

    fn features(&self, states: Tensor<2>) -> Tensor<2> {
        states
    }
}
