//! Plain evaluation: each operation is burn's, applied at once, nothing recorded by us.
//!
//! On a plain device this is a model's forward pass and nothing more (what the cost of a
//! gradient is measured against). On an autodiff device (`device.autodiff()`) burn records the
//! operations itself, and `loss.backward()` is burn's reverse mode: the reference our engine is
//! checked against.

use crate::engine::Engine;
use crate::ops::{self, elementwise_flops, matmul_flops};
use crate::work::Work;
use burn::prelude::{Int, Tensor};
use burn::tensor::activation;

/// Evaluates a model on burn tensors, counting the forward flops.
#[derive(Debug, Default)]
pub struct Eager {
    pub work: Work,
}

impl Eager {
    fn unary(&mut self, x: &Tensor<2>, f: fn(Tensor<2>) -> Tensor<2>) -> Tensor<2> {
        self.work.add_forward(elementwise_flops(x.dims()));
        f(x.clone())
    }

    fn binary(
        &mut self,
        a: &Tensor<2>,
        b: &Tensor<2>,
        f: fn(Tensor<2>, Tensor<2>) -> Tensor<2>,
    ) -> Tensor<2> {
        self.work.add_forward(elementwise_flops(ops::broadcast_shape(a.dims(), b.dims())));
        f(a.clone(), b.clone())
    }
}

impl Engine for Eager {
    type Value = Tensor<2>;

    fn constant(&mut self, value: Tensor<2>) -> Tensor<2> {
        value
    }

    fn value(&self, x: &Tensor<2>) -> Tensor<2> {
        x.clone()
    }

    fn add(&mut self, a: &Tensor<2>, b: &Tensor<2>) -> Tensor<2> {
        self.binary(a, b, |a, b| a + b)
    }

    fn sub(&mut self, a: &Tensor<2>, b: &Tensor<2>) -> Tensor<2> {
        self.binary(a, b, |a, b| a - b)
    }

    fn mul(&mut self, a: &Tensor<2>, b: &Tensor<2>) -> Tensor<2> {
        self.binary(a, b, |a, b| a * b)
    }

    fn matmul(&mut self, a: &Tensor<2>, b: &Tensor<2>) -> Tensor<2> {
        self.work.add_forward(matmul_flops(a.dims(), b.dims()));
        a.clone().matmul(b.clone())
    }

    fn tanh(&mut self, x: &Tensor<2>) -> Tensor<2> {
        self.unary(x, Tensor::tanh)
    }

    fn sigmoid(&mut self, x: &Tensor<2>) -> Tensor<2> {
        self.unary(x, activation::sigmoid)
    }

    fn relu(&mut self, x: &Tensor<2>) -> Tensor<2> {
        self.unary(x, activation::relu)
    }

    fn exp(&mut self, x: &Tensor<2>) -> Tensor<2> {
        self.unary(x, Tensor::exp)
    }

    fn log(&mut self, x: &Tensor<2>) -> Tensor<2> {
        self.unary(x, Tensor::log)
    }

    fn sum(&mut self, x: &Tensor<2>) -> Tensor<2> {
        self.unary(x, ops::sum_all)
    }

    fn mean(&mut self, x: &Tensor<2>) -> Tensor<2> {
        self.unary(x, ops::mean_all)
    }

    fn softmax_cross_entropy(&mut self, logits: &Tensor<2>, targets: &Tensor<1, Int>) -> Tensor<2> {
        self.work.add_forward(ops::cross_entropy_flops(logits.dims()));
        ops::softmax_cross_entropy(logits.clone(), targets)
    }

    fn embedding(&mut self, table: &Tensor<2>, ids: &Tensor<1, Int>) -> Tensor<2> {
        let rows = table.clone().select(0, ids.clone());
        self.work.add_forward(elementwise_flops(rows.dims()));
        rows
    }
}
