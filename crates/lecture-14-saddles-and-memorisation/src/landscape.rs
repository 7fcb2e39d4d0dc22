//! A loss surface the lecture can explore: loss and gradient at many points in one call.
//!
//! ```text
//! points θ_1..θ_K ∈ R^P  ->  (L(θ_k), ∇L(θ_k)) for every k
//! ```
//!
//! [`NetLandscape`] is a [`FlatNet`]'s mean squared error on fixed data (plus an optional
//! weight decay `c/2 ‖θ‖²`, which lifts the flat directions of unused units), differentiated by
//! burn's autodiff (first order: the Hessian is built from these gradients in [`crate::hessian`]).

use crate::flat_net::FlatNet;
use burn::prelude::*;

/// Loss and gradient of a function of `R^P`, at many points at once.
pub trait Landscape {
    /// `P`.
    fn dimension(&self) -> usize;

    /// `(L(θ), ∇L(θ))` at each of `points` (each of length `P`).
    fn gradients(&self, points: &[Vec<f64>]) -> Vec<(f64, Vec<f64>)>;

    /// `L(θ)` and `∇L(θ)` at one point.
    fn gradient(&self, point: &[f64]) -> (f64, Vec<f64>) {
        self.gradients(&[point.to_vec()]).remove(0)
    }
}

/// A net's mean squared error on inputs `x: [N, n_0]` and targets `y: [N, n_L]`.
#[derive(Clone, Debug)]
pub struct NetLandscape {
    pub net: FlatNet,
    pub x: Tensor<2>,
    pub y: Tensor<2>,
    /// `c` of the penalty `c/2 ‖θ‖²` added to the loss (0 for none).
    pub weight_decay: f64,
}

impl Landscape for NetLandscape {
    fn dimension(&self) -> usize {
        self.net.parameters()
    }

    fn gradients(&self, points: &[Vec<f64>]) -> Vec<(f64, Vec<f64>)> {
        let theta = rows_tensor(points, &self.x.device()).require_grad();
        let penalty = theta.clone().powi_scalar(2).sum_dim(1).flatten(0, 1) * (self.weight_decay / 2.0);
        let losses = self.net.losses(theta.clone(), self.x.clone(), self.y.clone()) + penalty;
        let grads = losses.clone().sum().backward();
        let gradient = theta.grad(&grads).expect("every parameter reaches the loss");
        split_rows(
            losses.into_data().iter::<f64>().collect(),
            &gradient.into_data().iter::<f64>().collect::<Vec<_>>(),
        )
    }
}

/// The points as one tensor `[K, P]` on `device`.
pub fn rows_tensor(points: &[Vec<f64>], device: &Device) -> Tensor<2> {
    let columns = points[0].len();
    let values: Vec<f64> = points.iter().flat_map(|p| p.iter().copied()).collect();
    Tensor::from_data(TensorData::new(values, [points.len(), columns]), device)
}

/// Pairs each loss with its row of the row-major gradients.
pub fn split_rows(losses: Vec<f64>, gradients: &[f64]) -> Vec<(f64, Vec<f64>)> {
    let columns = gradients.len() / losses.len();
    losses.into_iter().zip(gradients.chunks(columns)).map(|(l, g)| (l, g.to_vec())).collect()
}
