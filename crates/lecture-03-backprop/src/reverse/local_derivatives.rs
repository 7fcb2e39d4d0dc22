//! Each operation's local derivative, as a vector-Jacobian product.
//!
//! For a node `y = f(x₁, ..., x_k)` and the gradient `ḡ = ∂L/∂y` that reached it, the chain
//! rule gives each input its share `∂L/∂x_i = ḡ · ∂y/∂x_i`; the Jacobian is never formed, only
//! its product with `ḡ`:
//!
//! ```text
//! y = a + b          ā = ḡ, b̄ = ḡ             (summed over a broadcast dimension)
//! y = a - b          ā = ḡ, b̄ = -ḡ
//! y = a ⊙ b          ā = ḡ ⊙ b, b̄ = ḡ ⊙ a
//! y = A B            Ā = ḡ Bᵀ, B̄ = Aᵀ ḡ
//! y = tanh x         x̄ = ḡ ⊙ (1 - y²)
//! y = σ(x)           x̄ = ḡ ⊙ y ⊙ (1 - y)
//! y = relu x         x̄ = ḡ ⊙ [y > 0]
//! y = e^x            x̄ = ḡ ⊙ y
//! y = ln x           x̄ = ḡ / x
//! y = Σ x            x̄ = ḡ everywhere;  mean: ḡ / n
//! y = CE(z, t)       z̄ = ḡ (softmax(z) - onehot(t)) / batch
//! y = E[ids]         Ē[i] = Σ over the rows j with ids[j] = i of ḡ[j]
//! ```

use super::graph::{Graph, Op, Var};
use crate::ops::{elementwise_flops, log_softmax, matmul_flops, one_hot, unbroadcast};
use burn::prelude::Tensor;
use burn::tensor::IndexingUpdateOp;

impl Graph {
    /// `(input, ∂L/∂input)` for each input of `node`, given `upstream = ∂L/∂node`.
    pub(crate) fn local_gradients(&self, node: Var, upstream: Tensor<2>) -> Vec<(Var, Tensor<2>)> {
        use Op::*;
        let y = self.node(node).value.clone();
        let value = |v: &Var| self.node(*v).value.clone();
        let shape = |v: &Var| self.node(*v).value.dims();
        let count = |flops: u64| self.work().add_backward(flops);
        let g = upstream;
        let n = elementwise_flops(g.dims());
        match &self.node(node).op {
            Leaf(_) | Constant => vec![],
            Add(a, b) => {
                count(n);
                vec![(*a, unbroadcast(g.clone(), shape(a))), (*b, unbroadcast(g, shape(b)))]
            }
            Sub(a, b) => {
                count(2 * n);
                vec![(*a, unbroadcast(g.clone(), shape(a))), (*b, unbroadcast(g.neg(), shape(b)))]
            }
            Mul(a, b) => {
                count(2 * n);
                vec![
                    (*a, unbroadcast(g.clone() * value(b), shape(a))),
                    (*b, unbroadcast(g * value(a), shape(b))),
                ]
            }
            MatMul(a, b) => {
                let (va, vb) = (value(a), value(b));
                count(2 * matmul_flops(va.dims(), vb.dims()));
                vec![(*a, g.clone().matmul(vb.transpose())), (*b, va.transpose().matmul(g))]
            }
            Tanh(x) => {
                count(3 * n);
                vec![(*x, g * (y.clone() * y).neg().add_scalar(1.0))]
            }
            Sigmoid(x) => {
                count(3 * n);
                vec![(*x, g * y.clone() * y.neg().add_scalar(1.0))]
            }
            Relu(x) => {
                count(2 * n);
                vec![(*x, g * y.greater_elem(0.0).float())]
            }
            Exp(x) => {
                count(n);
                vec![(*x, g * y)]
            }
            Log(x) => {
                count(n);
                vec![(*x, g / value(x))]
            }
            Sum(x) => {
                count(elementwise_flops(shape(x)));
                vec![(*x, g.expand(shape(x)))]
            }
            Mean(x) => {
                let [rows, cols] = shape(x);
                count(elementwise_flops(shape(x)));
                vec![(*x, g.expand([rows, cols]) / (rows * cols) as f64)]
            }
            SoftmaxCrossEntropy(logits, targets) => {
                let [batch, classes] = shape(logits);
                count(4 * elementwise_flops([batch, classes]));
                let residual = log_softmax(value(logits)).exp() - one_hot(targets, classes);
                vec![(*logits, residual * g / batch as f64)]
            }
            Embedding(table, ids) => {
                count(n);
                let zeros = Tensor::zeros(shape(table), &g.device());
                vec![(*table, zeros.select_assign(0, ids.clone(), g, IndexingUpdateOp::Add))]
            }
            Checkpoint(inputs, segment) => self.checkpoint_gradients(inputs, segment, g),
        }
    }
}
