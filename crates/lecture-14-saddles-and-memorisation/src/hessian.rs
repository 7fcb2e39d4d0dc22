//! The Hessian of a loss from its gradients: burn's autodiff is first order, so each column
//! is a central difference of two exact gradients.
//!
//! ```text
//! H[:, i] ≈ (∇L(θ + ε e_i) - ∇L(θ - ε e_i)) / (2ε)        i = 1..P   (error O(ε²))
//! H ← (H + Hᵀ) / 2                                         (the true Hessian is symmetric)
//! ```
//!
//! The `2P + 1` gradients (both sides of every direction, and θ itself) go to the landscape
//! in one batch: for a [`FlatNet`](crate::flat_net::FlatNet) that is one forward and one
//! backward pass. What the symmetrisation removed, `max |H - Hᵀ| / max |H|`, is kept as a
//! check on ε: it is the finite differences' own error.

use crate::landscape::Landscape;

/// Loss, gradient and Hessian at a point.
#[derive(Clone, Debug)]
pub struct Curvature {
    pub loss: f64,
    pub gradient: Vec<f64>,
    /// `P x P`, row-major, symmetric.
    pub hessian: Vec<f64>,
    /// `max |H - Hᵀ| / max |H|` before symmetrising.
    pub asymmetry: f64,
}

impl Curvature {
    /// `‖∇L‖`.
    pub fn gradient_norm(&self) -> f64 {
        norm(&self.gradient)
    }
}

/// The Euclidean norm of `v`.
pub fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Loss, gradient and the central-difference Hessian with step `eps` at `theta`.
pub fn hessian(landscape: &impl Landscape, theta: &[f64], eps: f64) -> Curvature {
    let p = theta.len();
    let shifted = |i: usize, by: f64| {
        let mut point = theta.to_vec();
        point[i] += by;
        point
    };
    let points: Vec<Vec<f64>> = (0..p)
        .map(|i| shifted(i, eps))
        .chain((0..p).map(|i| shifted(i, -eps)))
        .chain(std::iter::once(theta.to_vec()))
        .collect();
    let results = landscape.gradients(&points);
    let mut columns = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            columns[i * p + j] = (results[i].1[j] - results[p + i].1[j]) / (2.0 * eps);
        }
    }
    let (hessian, asymmetry) = symmetrise(&columns, p);
    let (loss, gradient) = results[2 * p].clone();
    Curvature { loss, gradient, hessian, asymmetry }
}

/// `(A + Aᵀ) / 2` of the `n x n` matrix `a`, and `max |A - Aᵀ| / max |A|`.
fn symmetrise(a: &[f64], n: usize) -> (Vec<f64>, f64) {
    let mut symmetric = vec![0.0; n * n];
    let (mut largest, mut skew) = (0.0f64, 0.0f64);
    for i in 0..n {
        for j in 0..n {
            symmetric[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
            largest = largest.max(a[i * n + j].abs());
            skew = skew.max((a[i * n + j] - a[j * n + i]).abs());
        }
    }
    (symmetric, if largest > 0.0 { skew / largest } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetrising_averages_the_two_triangles_and_reports_the_skew() {
        let (s, skew) = symmetrise(&[1.0, 2.0, 4.0, 3.0], 2);
        assert_eq!(s, [1.0, 3.0, 3.0, 3.0]);
        assert_eq!(skew, 2.0 / 4.0);
    }
}
