//! The binary (constituency) Tree-LSTM (Tai et al. 2015): an LSTM cell whose "previous state"
//! is two children, each with its own forget gate.
//!
//! ```text
//! leaf:    [i, o, u] = x W_x + b_x                    x = e_word: [n, e], W_x: [e, 3d]
//!          c = σ(i) ⊙ tanh(u),  h = σ(o) ⊙ tanh(c)
//! parent:  [i, f_l, f_r, o, u] = [h_l ; h_r] U + b    U: [2d, 5d], b: [5d]
//!          c = σ(i) ⊙ tanh(u) + σ(f_l) ⊙ c_l + σ(f_r) ⊙ c_r
//!          h = σ(o) ⊙ tanh(c)
//! ```
//!
//! All five gate blocks of a parent come from ONE matmul. Each forget gate sees both children,
//! so the cell can keep the memory of one child ("good") and drop the other's. The state row is
//! `[h ; c]` (`2d`); the softmax reads `h`. The forget biases start at 1 (keep the children).

use crate::composition::Composition;
use crate::params::{embedding, weight};
use burn::module::{Module, Param};
use burn::prelude::{Device, Int, Tensor};
use burn::tensor::activation::sigmoid;

/// Splits `[n, k d]` gate pre-activations into `k` blocks of `[n, d]`.
fn blocks(z: Tensor<2>, k: usize) -> Vec<Tensor<2>> {
    let d = z.dims()[1] / k;
    (0..k).map(|j| z.clone().narrow(1, j * d, d)).collect()
}

/// Leaf states `[h ; c]: [n, 2d]` from word vectors `x: [n, e]`; `w_x: [e, 3d]`, `b_x: [3d]`.
pub fn leaf(x: Tensor<2>, w_x: Tensor<2>, b_x: Tensor<1>) -> Tensor<2> {
    let z = blocks(x.matmul(w_x) + b_x.unsqueeze(), 3);
    let c = sigmoid(z[0].clone()) * z[2].clone().tanh();
    let h = sigmoid(z[1].clone()) * c.clone().tanh();
    Tensor::cat(vec![h, c], 1)
}

/// Parent states `[h ; c]` from child states `left, right: [n, 2d]`; `u: [2d, 5d]`, `b: [5d]`.
pub fn compose(left: Tensor<2>, right: Tensor<2>, u: Tensor<2>, b: Tensor<1>) -> Tensor<2> {
    let d = u.dims()[0] / 2;
    let (h_l, c_l) = (left.clone().narrow(1, 0, d), left.narrow(1, d, d));
    let (h_r, c_r) = (right.clone().narrow(1, 0, d), right.narrow(1, d, d));
    let z = blocks(Tensor::cat(vec![h_l, h_r], 1).matmul(u) + b.unsqueeze(), 5);
    let c = sigmoid(z[0].clone()) * z[4].clone().tanh()
        + sigmoid(z[1].clone()) * c_l
        + sigmoid(z[2].clone()) * c_r;
    let h = sigmoid(z[3].clone()) * c.clone().tanh();
    Tensor::cat(vec![h, c], 1)
}

/// Word vectors, the leaf transform and the composition weights.
#[derive(Module, Debug)]
pub struct TreeLstm {
    /// Word vectors `[vocab, e]`.
    pub words: Param<Tensor<2>>,
    /// `W_x: [e, 3d]` (input, output, candidate).
    pub w_x: Param<Tensor<2>>,
    /// `b_x: [3d]`.
    pub b_x: Param<Tensor<1>>,
    /// `U: [2d, 5d]` (input, left forget, right forget, output, candidate).
    pub u: Param<Tensor<2>>,
    /// `b: [5d]`.
    pub b: Param<Tensor<1>>,
}

/// The initial bias of both forget gates.
pub const FORGET_BIAS: f32 = 1.0;

impl TreeLstm {
    /// Random word vectors and weights; zero biases except the forget gates' ([`FORGET_BIAS`]).
    pub fn new(vocab: usize, width: usize, device: &Device) -> Self {
        let d = width;
        let forget = Tensor::<1>::ones([2 * d], device) * FORGET_BIAS;
        let b = Tensor::cat(vec![Tensor::zeros([d], device), forget, Tensor::zeros([2 * d], device)], 0);
        Self {
            words: embedding(vocab, width, device),
            w_x: weight(width, 3 * d, device),
            b_x: Param::from_tensor(Tensor::zeros([3 * d], device)),
            u: weight(2 * d, 5 * d, device),
            b: Param::from_tensor(b),
        }
    }
}

impl Composition for TreeLstm {
    fn state_width(&self) -> usize {
        2 * self.feature_width()
    }

    fn feature_width(&self) -> usize {
        self.u.dims()[0] / 2
    }

    fn leaves(&self, words: Tensor<1, Int>) -> Tensor<2> {
        leaf(self.words.val().select(0, words), self.w_x.val(), self.b_x.val())
    }

    fn compose(&self, left: Tensor<2>, right: Tensor<2>) -> Tensor<2> {
        compose(left, right, self.u.val(), self.b.val())
    }

    fn features(&self, states: Tensor<2>) -> Tensor<2> {
        let d = self.feature_width();
        states.narrow(1, 0, d)
    }
}
