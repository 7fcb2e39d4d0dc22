//! The bag-of-vectors baseline ("VecAvg" in Socher et al. 2013): a phrase is the mean of its
//! word vectors, whatever their order and whatever the tree.
//!
//! ```text
//! state = [Σ e_w ; count]                 over the words w below the node: [n, d + 1]
//! leaf:    [e_word ; 1]
//! parent:  [l_sum + r_sum ; l_count + r_count]
//! features = Σ e_w / count                the mean: [n, d]
//! ```
//!
//! Carrying the sum and the count (instead of the mean) makes the parent a plain sum, so the
//! same level-by-level machinery runs it. "not good" and "good not" get the same vector, and a
//! linear softmax on the mean cannot flip the sentiment of "good" when "not" is added: the
//! mean of `not` and `good` lies between them.

use crate::composition::Composition;
use crate::params::embedding;
use burn::module::{Module, Param};
use burn::prelude::{Device, Int, Tensor};

/// The parent of two bag states: their sum, `left, right: [n, d + 1]` -> `[n, d + 1]`.
pub fn compose(left: Tensor<2>, right: Tensor<2>) -> Tensor<2> {
    left + right
}

/// The mean word vector of bag states `[n, d + 1]` -> `[n, d]`.
pub fn mean(states: Tensor<2>) -> Tensor<2> {
    let [n, width] = states.dims();
    let d = width - 1;
    states.clone().narrow(1, 0, d) / states.narrow(1, d, 1).reshape([n, 1])
}

/// Word vectors only: the bag has no composition parameters.
#[derive(Module, Debug)]
pub struct Bag {
    /// Word vectors `[vocab, d]`.
    pub words: Param<Tensor<2>>,
}

impl Bag {
    /// Random word vectors.
    pub fn new(vocab: usize, width: usize, device: &Device) -> Self {
        Self { words: embedding(vocab, width, device) }
    }
}

impl Composition for Bag {
    fn state_width(&self) -> usize {
        self.feature_width() + 1
    }

    fn feature_width(&self) -> usize {
        self.words.dims()[1]
    }

    fn leaves(&self, words: Tensor<1, Int>) -> Tensor<2> {
        let n = words.dims()[0];
        let vectors = self.words.val().select(0, words);
        let ones = Tensor::ones([n, 1], &vectors.device());
        Tensor::cat(vec![vectors, ones], 1)
    }

    fn compose(&self, left: Tensor<2>, right: Tensor<2>) -> Tensor<2> {
        compose(left, right)
    }

    fn features(&self, states: Tensor<2>) -> Tensor<2> {
        mean(states)
    }
}
