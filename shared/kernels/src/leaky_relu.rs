//! The leaky rectifier as ONE autodiff node on burn-flex, reached through
//! [`crate::fast_ops::leaky_relu`].
//!
//! ```text
//! y  = x            if x >= 0,   slope · x    if x < 0
//! δx = δy           if x >= 0,   slope · δy   if x < 0
//! ```
//!
//! burn composes `leaky_relu` from three operations (`x < 0`, `x · slope`, `mask_where`), each a
//! node with its own pass over the data forward and backward: 7% of the GAN workload's step.
//! Here the forward pass is one loop and the backward pass another, reading the saved input.
//! The convention at `x = 0` is burn's (the identity branch).

use crate::recurrent::extension::{contiguous, flex_tensor, floats, register};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Flex, backend_extension};
use rayon::prelude::*;

/// Elements per parallel task: smaller tensors run on the calling thread.
const CHUNK: usize = 1 << 16;

/// The leaky rectifier as a backend operation (burn-flex only; see
/// [`crate::recurrent::extension::has_kernels`]).
#[backend_extension(Autodiff, Flex)]
pub trait FusedLeakyReluBackend: burn::backend::Backend {
    /// `x` where `x >= 0`, `slope · x` elsewhere, for any shape.
    fn fused_leaky_relu(x: FloatTensor<Self>, slope: f32) -> FloatTensor<Self>;
}

/// `y = x` (`x >= 0`) or `slope · x`, element by element.
pub fn leaky_relu_forward(x: &[f32], slope: f32) -> Vec<f32> {
    let mut y = x.to_vec();
    y.par_chunks_mut(CHUNK).for_each(|y| {
        y.iter_mut().for_each(|v| *v = if *v < 0.0 { *v * slope } else { *v });
    });
    y
}

/// `δx = δy` where `x >= 0`, `slope · δy` elsewhere.
pub fn leaky_relu_backward(x: &[f32], d_y: &[f32], slope: f32) -> Vec<f32> {
    let mut d_x = d_y.to_vec();
    d_x.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).for_each(|(d_x, x)| {
        d_x.iter_mut().zip(x).for_each(|(d, &x)| *d = if x < 0.0 { *d * slope } else { *d });
    });
    d_x
}

/// The input, contiguous, and the slope: what the backward pass reads.
#[derive(Clone, Debug)]
struct LeakyReluCall {
    x: FlexTensor,
    slope: f32,
}

impl LeakyReluCall {
    fn run(x: FlexTensor, slope: f32) -> (Self, FlexTensor) {
        let x = contiguous(x);
        let shape = x.layout().shape().to_vec();
        let y = flex_tensor(leaky_relu_forward(floats(&x), slope), &shape);
        (Self { x, slope }, y)
    }
}

#[derive(Debug)]
struct FusedLeakyReluBackward;

impl Backward<Flex, 1> for FusedLeakyReluBackward {
    type State = LeakyReluCall;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [x] = ops.parents;
        let d_y = contiguous(grads.consume::<Flex>(&ops.node));
        let LeakyReluCall { x: input, slope } = ops.state;
        let shape = input.layout().shape().to_vec();
        register(
            grads,
            x.map(|node| node.id),
            leaky_relu_backward(floats(&input), floats(&d_y), slope),
            &shape,
        );
    }
}

impl FusedLeakyReluBackend for Flex {
    fn fused_leaky_relu(x: FlexTensor, slope: f32) -> FlexTensor {
        LeakyReluCall::run(x, slope).1
    }
}

impl<C: CheckpointStrategy> FusedLeakyReluBackend for Autodiff<Flex, C> {
    fn fused_leaky_relu(x: FloatTensor<Self>, slope: f32) -> FloatTensor<Self> {
        match FusedLeakyReluBackward.prepare::<C>([x.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (call, y) = LeakyReluCall::run(x.into_primitive(), slope);
                prep.finish(call, y)
            }
            OpsKind::UnTracked(prep) => prep.finish(LeakyReluCall::run(x.into_primitive(), slope).1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_values_are_scaled_and_zero_takes_the_identity_branch() {
        let x = [-2.0, -0.5, 0.0, 0.5, 3.0];
        assert_eq!(leaky_relu_forward(&x, 0.2), [-0.4, -0.1, 0.0, 0.5, 3.0]);
        let d_y = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(leaky_relu_backward(&x, &d_y, 0.2), [0.2, 0.4, 3.0, 4.0, 5.0]);
    }

    #[test]
    fn large_inputs_split_between_threads_give_the_same_result() {
        let x: Vec<f32> = (0..3 * CHUNK + 17).map(|i| (i as f32 * 0.37).sin()).collect();
        let y = leaky_relu_forward(&x, 0.1);
        assert!(x.iter().zip(&y).all(|(&x, &y)| y == if x < 0.0 { 0.1 * x } else { x }));
        let d_x = leaky_relu_backward(&x, &y, 0.1);
        assert!(x.iter().zip(&y).zip(&d_x).all(|((&x, &y), &d)| d == if x < 0.0 { 0.1 * y } else { y }));
    }
}
