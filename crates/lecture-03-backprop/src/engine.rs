//! The operations a model is written in, once, for every way of evaluating it.
//!
//! A model is a function generic over [`Engine`]: the multilayer perceptron of [`crate::mlp`]
//! runs unchanged on [`crate::reverse::Graph`] (which records a graph for backpropagation), on
//! [`crate::forward_mode::ForwardMode`] (which carries a tangent beside each value) and on
//! [`crate::eager::Eager`] (plain tensors; burn's autodiff when they live on an autodiff
//! device). The same forward computation differentiated three ways is what the parity tests
//! compare.

use burn::prelude::{Int, Tensor};
use std::rc::Rc;

/// A part of a model given to [`Engine::segment`]: `(engine, inputs) -> output`.
pub type Segment<E> = Rc<dyn Fn(&mut E, &[<E as Engine>::Value]) -> <E as Engine>::Value>;

/// Matrix operations with a derivative rule; shapes as in [`crate::ops`].
pub trait Engine {
    /// What the engine computes with: a graph handle, a dual number, or a tensor.
    type Value: Clone;

    /// A value the model does not differentiate (a batch of inputs, a target).
    fn constant(&mut self, value: Tensor<2>) -> Self::Value;
    /// The tensor a value holds.
    fn value(&self, x: &Self::Value) -> Tensor<2>;

    /// `a + b`, broadcasting.
    fn add(&mut self, a: &Self::Value, b: &Self::Value) -> Self::Value;
    /// `a - b`, broadcasting.
    fn sub(&mut self, a: &Self::Value, b: &Self::Value) -> Self::Value;
    /// `a ⊙ b` elementwise, broadcasting.
    fn mul(&mut self, a: &Self::Value, b: &Self::Value) -> Self::Value;
    /// `[m, k] x [k, n] -> [m, n]`.
    fn matmul(&mut self, a: &Self::Value, b: &Self::Value) -> Self::Value;
    /// `tanh x` elementwise.
    fn tanh(&mut self, x: &Self::Value) -> Self::Value;
    /// `σ(x) = 1 / (1 + e^{-x})` elementwise.
    fn sigmoid(&mut self, x: &Self::Value) -> Self::Value;
    /// `max(x, 0)` elementwise.
    fn relu(&mut self, x: &Self::Value) -> Self::Value;
    /// `e^x` elementwise.
    fn exp(&mut self, x: &Self::Value) -> Self::Value;
    /// `ln x` elementwise.
    fn log(&mut self, x: &Self::Value) -> Self::Value;
    /// The sum of all elements, `[1, 1]`.
    fn sum(&mut self, x: &Self::Value) -> Self::Value;
    /// The mean of all elements, `[1, 1]`.
    fn mean(&mut self, x: &Self::Value) -> Self::Value;
    /// The mean softmax cross-entropy of `logits [batch, classes]` at `targets [batch]`, `[1, 1]`.
    fn softmax_cross_entropy(&mut self, logits: &Self::Value, targets: &Tensor<1, Int>) -> Self::Value;
    /// Rows `ids [n]` of `table [vocabulary, width]`: `[n, width]` (an embedding lookup).
    fn embedding(&mut self, table: &Self::Value, ids: &Tensor<1, Int>) -> Self::Value;

    /// Runs `segment` on `inputs`. Engines evaluate it in place; the reverse graph may instead
    /// keep only its output and recompute it during the backward pass (checkpointing).
    fn segment(&mut self, inputs: &[Self::Value], segment: Segment<Self>) -> Self::Value
    where
        Self: Sized,
    {
        segment(self, inputs)
    }
}
