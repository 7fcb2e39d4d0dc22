//! The matrix-vector RNN (MV-RNN, Socher et al. 2012): every word and phrase has a vector `a`
//! and a matrix `A`; a child's matrix transforms its sibling's vector.
//!
//! ```text
//! leaf:    (a, A) = (e_word, M_word)                 e: [vocab, d], M: [vocab, d, d] (≈ I)
//! parent:  p = tanh([B a ; A b] W + b_p)             W: [2d, d]                 -> [n, d]
//!          P = W_M [A ; B]                           W_M: [d, 2d], [A ; B]: [2d, d] -> [n, d, d]
//! ```
//!
//! for a left child `(a, A)` and a right child `(b, B)`. An operator word like "not" can learn
//! a matrix that negates whatever it is applied to. The state row is `[a ; vec(A)]` (`d + d²`,
//! the matrix row-major); the softmax reads `a`. Word matrices start as the identity plus small
//! noise, so at first a child's vector passes through unchanged.
//!
//! CPU-sized: only the [`MATRIX_WORDS`] most frequent words (vocabulary ids are ordered by
//! frequency) get a matrix of their own; rarer words share the `<unk>` matrix. With SST's 16k
//! words and d = 16 a matrix for every word is 4M parameters whose dense Adam update made an
//! epoch 25 times slower than the RNTN's.

use crate::composition::Composition;
use crate::params::{embedding, uniform, weight, zeros};
use burn::module::{Module, Param};
use burn::prelude::{Device, Int, Tensor};
use burn::tensor::Distribution;

/// Splits states `[n, d + d²]` into vectors `[n, d]` and matrices `[n, d, d]`.
pub fn split(states: Tensor<2>, d: usize) -> (Tensor<2>, Tensor<3>) {
    let n = states.dims()[0];
    (states.clone().narrow(1, 0, d), states.narrow(1, d, d * d).reshape([n, d, d]))
}

/// The parent `[p ; vec(P)]` of left `(a, A)` and right `(b, B)` states, each `[n, d + d²]`;
/// `w: [2d, d]`, `bias: [d]`, `w_m: [d, 2d]`.
pub fn compose(
    left: Tensor<2>,
    right: Tensor<2>,
    w: Tensor<2>,
    bias: Tensor<1>,
    w_m: Tensor<2>,
) -> Tensor<2> {
    let d = w.dims()[1];
    let n = left.dims()[0];
    let (a, mat_a) = split(left, d);
    let (b, mat_b) = split(right, d);
    // B a and A b: [n, d, d] x [n, d, 1] -> [n, d].
    let b_a = mat_b.clone().matmul(a.unsqueeze_dim::<3>(2)).reshape([n, d]);
    let a_b = mat_a.clone().matmul(b.unsqueeze_dim::<3>(2)).reshape([n, d]);
    let p = (Tensor::cat(vec![b_a, a_b], 1).matmul(w) + bias.unsqueeze()).tanh();
    // P = W_M [A; B] computed as Pᵀ = [A; B]ᵀ W_Mᵀ, one matmul for all n nodes.
    let stacked = Tensor::cat(vec![mat_a, mat_b], 1); // [n, 2d, d]
    let p_t = stacked.swap_dims(1, 2).reshape([n * d, 2 * d]).matmul(w_m.transpose());
    let mat_p = p_t.reshape([n, d, d]).swap_dims(1, 2).reshape([n, d * d]);
    Tensor::cat(vec![p, mat_p], 1)
}

/// Word vectors and matrices, and the two composition matrices.
#[derive(Module, Debug)]
pub struct MvRnn {
    /// Word vectors `[vocab, d]`.
    pub words: Param<Tensor<2>>,
    /// Word matrices, flattened row-major: `[min(vocab, MATRIX_WORDS), d²]`.
    pub matrices: Param<Tensor<2>>,
    /// `W: [2d, d]`.
    pub w: Param<Tensor<2>>,
    /// `b_p: [d]`.
    pub b: Param<Tensor<1>>,
    /// `W_M: [d, 2d]`.
    pub w_m: Param<Tensor<2>>,
}

/// Words with a matrix of their own: ids `0..MATRIX_WORDS` (the others use id 0's, `<unk>`).
pub const MATRIX_WORDS: usize = 1000;

/// The noise on the initial identity word matrices.
pub const MATRIX_NOISE: f64 = 0.01;

impl MvRnn {
    /// Random word vectors, word matrices `I + U(±0.01)`, `W` and `W_M` from `±1/sqrt(2d)`.
    pub fn new(vocab: usize, width: usize, device: &Device) -> Self {
        let identity = Tensor::<2>::eye(width, device).reshape([1, width * width]);
        let noise = Tensor::<2>::random(
            [vocab, width * width],
            Distribution::Uniform(-MATRIX_NOISE, MATRIX_NOISE),
            device,
        );
        Self {
            words: embedding(vocab, width, device),
            matrices: Param::from_tensor(noise + identity),
            w: weight(2 * width, width, device),
            b: zeros(width, device),
            w_m: uniform([width, 2 * width], 1.0 / ((2 * width) as f64).sqrt(), device),
        }
    }
}

impl Composition for MvRnn {
    fn state_width(&self) -> usize {
        let d = self.feature_width();
        d + d * d
    }

    fn feature_width(&self) -> usize {
        self.b.dims()[0]
    }

    fn leaves(&self, words: Tensor<1, Int>) -> Tensor<2> {
        let vectors = self.words.val().select(0, words.clone());
        let own = self.matrices.dims()[0] as i64;
        let matrix_ids = words.clone().mask_fill(words.greater_equal_elem(own), 0);
        Tensor::cat(vec![vectors, self.matrices.val().select(0, matrix_ids)], 1)
    }

    fn compose(&self, left: Tensor<2>, right: Tensor<2>) -> Tensor<2> {
        compose(left, right, self.w.val(), self.b.val(), self.w_m.val())
    }

    fn features(&self, states: Tensor<2>) -> Tensor<2> {
        let d = self.feature_width();
        states.narrow(1, 0, d)
    }
}
