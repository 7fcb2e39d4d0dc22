//! Dynamic routing by agreement (Sabour, Frosst & Hinton 2017, Procedure 1).
//!
//! Every child capsule `i` (a primary capsule) predicts every parent `j` (a digit capsule):
//! `u_hat_{j|i}`. Routing decides how much of each prediction goes to each parent:
//!
//! ```text
//! b_ij = 0
//! repeat r times:
//!     c_ij = softmax_j(b_ij)                 coupling: each child splits itself over the parents
//!     s_j  = sum_i c_ij u_hat_{j|i}          a parent's total input
//!     v_j  = squash(s_j)                     the parent's output
//!     b_ij = b_ij + u_hat_{j|i} . v_j        (not after the last pass) agreement raises the logit
//! ```
//!
//! A child whose prediction agrees with the parent's output sends more of itself to that
//! parent next time: a "multi-hop" attention in which the parents attend over the children and
//! the children compete for the parents. With `r = 1` the coupling is uniform, `c_ij = 1 / J`.
//! Gradients flow through every pass, as in the paper.
//!
//! Shapes: predictions `[B, I, J, D]` (batch, children, parents, parent dimension), logits and
//! coupling `[B, I, J]`, parents `[B, J, D]`.

use crate::squash::squash;
use burn::prelude::*;
use burn::tensor::activation::softmax;

/// The parents' outputs and the coupling coefficients of the last routing pass.
#[derive(Clone, Debug)]
pub struct Routed {
    /// `v_j`, `[B, J, D]`.
    pub parents: Tensor<3>,
    /// `c_ij` used to form `parents`, `[B, I, J]`; each row sums to one over `j`.
    pub coupling: Tensor<3>,
}

/// Routes `predictions` `[B, I, J, D]` to the parents with `iterations` (`r >= 1`) passes.
///
/// Panics if `iterations` is 0 (configurations are checked before a model is built).
pub fn route(predictions: Tensor<4>, iterations: usize) -> Routed {
    assert!(iterations >= 1, "routing needs at least one pass");
    let [batch, children, parents, _] = predictions.dims();
    let mut logits = Tensor::<3>::zeros([batch, children, parents], &predictions.device());
    let mut pass = 1;
    loop {
        let coupling = softmax(logits.clone(), 2);
        let weighted = predictions.clone() * coupling.clone().unsqueeze_dim::<4>(3);
        let outputs = squash(weighted.sum_dim(1).squeeze_dim::<3>(1)); // [B, J, D]
        if pass == iterations {
            return Routed { parents: outputs, coupling };
        }
        // u_hat_{j|i} . v_j for every child and parent: [B, I, J, D] * [B, 1, J, D], summed over D.
        let agreement = (predictions.clone() * outputs.unsqueeze_dim::<4>(1)).sum_dim(3);
        logits = logits + agreement.squeeze_dim::<3>(3);
        pass += 1;
    }
}
