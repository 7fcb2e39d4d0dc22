//! Digit capsules: every primary capsule predicts every digit capsule, routing picks the parents.
//!
//! Each pair (child `i`, parent `j`) has its own transformation matrix `W_ij` `[D_out, D_in]`:
//!
//! ```text
//! u_hat_{j|i} = W_ij u_i          u_i: [D_in],  u_hat_{j|i}: [D_out]
//! ```
//!
//! `W_ij` learns the part-whole relation (where a stroke sits in a digit, at what angle), so a
//! child's prediction moves with the pose of the part it sees: that is what makes the parents'
//! vectors equivariant. The predictions are routed by agreement ([`route`]).
//!
//! Computed as one batched matmul over the children: `[I, B, D_in] @ [I, D_in, J * D_out]`
//! -> `[I, B, J * D_out]`, then laid out as `[B, I, J, D_out]`.

use crate::routing::{Routed, route};
use burn::module::Param;
use burn::prelude::*;
use burn::tensor::Distribution;

/// Configuration of [`DigitCapsules`].
#[derive(Config, Debug)]
pub struct DigitCapsulesConfig {
    /// Children `I` (primary capsules).
    pub children: usize,
    /// Child dimension `D_in`.
    pub child_dim: usize,
    /// Parents `J` (one per class).
    pub parents: usize,
    /// Parent dimension `D_out` (the paper: 16).
    pub parent_dim: usize,
    /// Routing passes `r` (the paper: 3).
    #[config(default = 3)]
    pub iterations: usize,
    /// Standard deviation of the initial entries of `W`.
    #[config(default = 0.05)]
    pub init_std: f64,
}

impl DigitCapsulesConfig {
    /// The layer with `W` drawn from N(0, init_std^2).
    pub fn init(&self, device: &Device) -> DigitCapsules {
        let shape = [self.children, self.child_dim, self.parents * self.parent_dim];
        let weights = Tensor::random(shape, Distribution::Normal(0.0, self.init_std), device);
        DigitCapsules {
            weights: Param::from_tensor(weights),
            parents: self.parents,
            parent_dim: self.parent_dim,
            iterations: self.iterations,
        }
    }
}

/// The digit-capsule layer: transformation matrices and routing.
#[derive(Module, Debug)]
pub struct DigitCapsules {
    /// `W` stored as `[I, D_in, J * D_out]` (row `k` of child `i` maps component `k` of `u_i`).
    weights: Param<Tensor<3>>,
    parents: usize,
    parent_dim: usize,
    iterations: usize,
}

impl DigitCapsules {
    /// All predictions `u_hat` `[B, I, J, D_out]` of the children `[B, I, D_in]`.
    pub fn predictions(&self, children: Tensor<3>) -> Tensor<4> {
        let [batch, count, _] = children.dims();
        let per_child = children.swap_dims(0, 1).matmul(self.weights.val()); // [I, B, J * D_out]
        per_child.swap_dims(0, 1).reshape([batch, count, self.parents, self.parent_dim])
    }

    /// The parents `[B, J, D_out]` of the children `[B, I, D_in]`, and the final coupling.
    pub fn forward(&self, children: Tensor<3>) -> Routed {
        route(self.predictions(children), self.iterations)
    }

    /// The same with `iterations` routing passes instead of the configured number.
    pub fn forward_with(&self, children: Tensor<3>, iterations: usize) -> Routed {
        route(self.predictions(children), iterations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_prediction_is_its_own_matrix_times_its_child() {
        let device = Device::flex();
        let (children, child_dim, parents, parent_dim) = (5, 3, 4, 2);
        let layer = DigitCapsulesConfig::new(children, child_dim, parents, parent_dim)
            .with_init_std(1.0)
            .init(&device);
        let u = Tensor::<3>::random([2, children, child_dim], Distribution::Normal(0.0, 1.0), &device);
        let w: Vec<f32> = layer.weights.val().into_data().iter::<f32>().collect(); // [I, D_in, J * D_out]
        let flat_u: Vec<f32> = u.clone().into_data().iter::<f32>().collect();
        let got: Vec<f32> = layer.predictions(u).into_data().iter::<f32>().collect(); // [B, I, J, D_out]
        for b in 0..2 {
            for i in 0..children {
                for j in 0..parents {
                    for o in 0..parent_dim {
                        let want: f32 = (0..child_dim)
                            .map(|k| {
                                w[(i * child_dim + k) * parents * parent_dim + j * parent_dim + o]
                                    * flat_u[(b * children + i) * child_dim + k]
                            })
                            .sum();
                        let at = ((b * children + i) * parents + j) * parent_dim + o;
                        assert!(
                            (got[at] - want).abs() < 1e-5,
                            "u_hat[{b}, {i}, {j}, {o}] = {} != {want}",
                            got[at]
                        );
                    }
                }
            }
        }
    }
}
