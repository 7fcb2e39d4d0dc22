//! The recursive neural tensor network (RNTN, Socher et al. 2013): the RNN's layer plus a
//! bilinear term, so the two children can multiply.
//!
//! ```text
//! x = [l; r]                                        x: [n, 2d]
//! p_k = tanh( xᵀ V_k x + (x W)_k + b_k )            V: [2d, 2d, d], W: [2d, d], b: [d]
//! ```
//!
//! Each output unit `k` has its own `2d x 2d` slice `V_k`, so every product `l_i r_j` of a
//! left and a right coordinate can move the parent: "not" can flip the sign of "good" instead
//! of only shifting it. Batched: `x V` with `V` seen as `[2d, 2d d]` gives `[n, 2d, d]`;
//! multiplying by `x` again and summing over the middle axis gives the `[n, d]` bilinear term.
//!
//! The module stores `V' = 2d V` and uses `V = V' / 2d`. Adam moves every parameter by about
//! the learning rate per step, whatever its gradient, and the bilinear term sums `4d²`
//! products: with `V` stored directly, each step moved the term `2d` times more than `W`
//! moves the linear term, the units saturated within a few steps, and on SST the RNTN stayed
//! at chance (binary root accuracy 54% after an epoch at d = 8; 71% with the scale).

use crate::composition::Composition;
use crate::params::{embedding, uniform, weight, zeros};
use burn::module::{Module, Param};
use burn::prelude::{Device, Int, Tensor};

/// The bilinear term `(xᵀ V_k x)_k` for `x: [n, 2d]` and `v: [2d, 2d, d]` -> `[n, d]`.
pub fn bilinear(x: Tensor<2>, v: Tensor<3>) -> Tensor<2> {
    let [n, two_d] = x.dims();
    let [_, _, d] = v.dims();
    let xv = x.clone().matmul(v.reshape([two_d, two_d * d])).reshape([n, two_d, d]);
    (xv * x.unsqueeze_dim::<3>(2)).sum_dim(1).reshape([n, d])
}

/// `p = tanh(xᵀ V x + x W + b)` with `x = [l; r]`: `left, right: [n, d]` -> `[n, d]`.
pub fn compose(left: Tensor<2>, right: Tensor<2>, v: Tensor<3>, w: Tensor<2>, b: Tensor<1>) -> Tensor<2> {
    let x = Tensor::cat(vec![left, right], 1);
    (bilinear(x.clone(), v) + x.matmul(w) + b.unsqueeze()).tanh()
}

/// Word vectors, the tensor `V` and the RNN layer `W, b`.
#[derive(Module, Debug)]
pub struct Rntn {
    /// Word vectors `[vocab, d]`.
    pub words: Param<Tensor<2>>,
    /// `V' = 2d V: [2d, 2d, d]` (the tensor of the equation is `v / 2d`).
    pub v: Param<Tensor<3>>,
    /// `W: [2d, d]`.
    pub w: Param<Tensor<2>>,
    /// `b: [d]`.
    pub b: Param<Tensor<1>>,
}

impl Rntn {
    /// Random word vectors, `W` from `±1/sqrt(2d)`, `V` from `±1/(2d)` (`V'` from `±1`; the
    /// term is quadratic in `x`), zero bias.
    pub fn new(vocab: usize, width: usize, device: &Device) -> Self {
        let two_d = 2 * width;
        Self {
            words: embedding(vocab, width, device),
            v: uniform([two_d, two_d, width], 1.0, device),
            w: weight(two_d, width, device),
            b: zeros(width, device),
        }
    }
}

impl Composition for Rntn {
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
        let two_d = self.v.dims()[0] as f64;
        compose(left, right, self.v.val() / two_d, self.w.val(), self.b.val())
    }

    fn features(&self, states: Tensor<2>) -> Tensor<2> {
        states
    }
}
