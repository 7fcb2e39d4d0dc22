//! The forward computations every engine shares, and what each costs in flops.
//!
//! All values are matrices `Tensor<2>`: a batch of rows `[batch, features]`, a weight
//! `[in, out]`, a bias `[1, out]`, a scalar `[1, 1]`. Binary operations broadcast a dimension
//! of size 1 against the other operand's (a bias row added to every row of a batch).

use burn::prelude::{Int, Tensor};

/// Bytes one f32 tensor of `shape` holds.
pub fn bytes_of(shape: [usize; 2]) -> u64 {
    (shape[0] * shape[1] * std::mem::size_of::<f32>()) as u64
}

/// Flops of an operation touching each element of `shape` once.
pub fn elementwise_flops(shape: [usize; 2]) -> u64 {
    (shape[0] * shape[1]) as u64
}

/// Flops of `[m, k] x [k, n]`: one multiply and one add per term, `2 m k n`.
pub fn matmul_flops(a: [usize; 2], b: [usize; 2]) -> u64 {
    2 * (a[0] * a[1] * b[1]) as u64
}

/// The shape of a broadcast binary operation's result: each dimension the larger of the two.
pub fn broadcast_shape(a: [usize; 2], b: [usize; 2]) -> [usize; 2] {
    [a[0].max(b[0]), a[1].max(b[1])]
}

/// The gradient of an operand that was broadcast to `grad`'s shape: summed over each
/// dimension in which the operand had size 1, the adjoint of broadcasting.
pub fn unbroadcast(grad: Tensor<2>, shape: [usize; 2]) -> Tensor<2> {
    let [rows, cols] = grad.dims();
    let grad = if shape[0] == 1 && rows > 1 { grad.sum_dim(0) } else { grad };
    if shape[1] == 1 && cols > 1 { grad.sum_dim(1) } else { grad }
}

/// `log softmax(x)` along each row, computed as `x - max - log Σ exp(x - max)` so that no
/// exponential overflows. `[batch, classes] -> [batch, classes]`.
pub fn log_softmax(logits: Tensor<2>) -> Tensor<2> {
    let shifted = logits.clone() - logits.max_dim(1);
    shifted.clone() - shifted.exp().sum_dim(1).log()
}

/// Each row's target as a one-hot row. `[batch] -> [batch, classes]`.
pub fn one_hot(targets: &Tensor<1, Int>, classes: usize) -> Tensor<2> {
    targets.clone().one_hot::<2>(classes).float()
}

/// The mean softmax cross-entropy `-(1/B) Σ_b log softmax(x_b)[y_b]`:
/// `[batch, classes]`, `[batch]` -> `[1, 1]`.
pub fn softmax_cross_entropy(logits: Tensor<2>, targets: &Tensor<1, Int>) -> Tensor<2> {
    let [batch, classes] = logits.dims();
    let picked = (log_softmax(logits) * one_hot(targets, classes)).sum();
    (picked.neg() / batch as f64).reshape([1, 1])
}

/// Flops of the cross-entropy's forward pass: about five per logit (shift, exp, sum, log, pick).
pub fn cross_entropy_flops(logits: [usize; 2]) -> u64 {
    5 * elementwise_flops(logits)
}

/// The sum of all elements as a `[1, 1]` scalar.
pub fn sum_all(x: Tensor<2>) -> Tensor<2> {
    x.sum().reshape([1, 1])
}

/// The mean of all elements as a `[1, 1]` scalar.
pub fn mean_all(x: Tensor<2>) -> Tensor<2> {
    x.mean().reshape([1, 1])
}
