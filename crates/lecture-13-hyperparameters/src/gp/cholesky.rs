//! The Cholesky factor of a symmetric positive definite matrix, and the solves a GP needs.
//!
//! ```text
//! K = L Lᵀ,   L lower triangular:   L_jj = sqrt(K_jj - Σ_{k<j} L_jk²),
//!                                   L_ij = (K_ij - Σ_{k<j} L_ik L_jk) / L_jj    (i > j)
//! K⁻¹ b = L⁻ᵀ (L⁻¹ b)       (forward, then back substitution)
//! log det K = 2 Σ_j log L_jj
//! ```
//!
//! Written here rather than taken from a linear-algebra crate: the matrices are at most a few
//! hundred rows, and nalgebra (the crate we tried) turns on a feature of `num-integer` that
//! changes burn's build, so every crate built beside it rebuilt burn (9 minutes on 2 cores).
//! `tests/parity.rs` checks `L Lᵀ = K` and the solves on a hand-worked case.

use anyhow::{Result, ensure};

/// `L` of `K = L Lᵀ`, an `n x n` row-major lower triangle.
#[derive(Clone, Debug)]
pub struct Cholesky {
    n: usize,
    l: Vec<f64>,
}

impl Cholesky {
    /// Factors the `n x n` row-major `k`; an error when `k` is not positive definite.
    pub fn new(k: &[f64], n: usize) -> Result<Cholesky> {
        ensure!(k.len() == n * n, "a {n} x {n} matrix needs {} entries, got {}", n * n, k.len());
        let mut l = vec![0.0f64; n * n];
        for j in 0..n {
            let diagonal = k[j * n + j] - (0..j).map(|k| l[j * n + k].powi(2)).sum::<f64>();
            ensure!(diagonal > 0.0 && diagonal.is_finite(), "not positive definite at row {j}: {diagonal}");
            let pivot = diagonal.sqrt();
            l[j * n + j] = pivot;
            for i in j + 1..n {
                let dot: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
                l[i * n + j] = (k[i * n + j] - dot) / pivot;
            }
        }
        Ok(Cholesky { n, l })
    }

    /// The factor's entry `L_ij`.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.l[i * self.n + j]
    }

    /// `L⁻¹ b` by forward substitution.
    pub fn solve_lower(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x = b.to_vec();
        for i in 0..n {
            let dot: f64 = (0..i).map(|k| self.l[i * n + k] * x[k]).sum();
            x[i] = (x[i] - dot) / self.l[i * n + i];
        }
        x
    }

    /// `K⁻¹ b = L⁻ᵀ L⁻¹ b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x = self.solve_lower(b);
        for i in (0..n).rev() {
            let dot: f64 = (i + 1..n).map(|k| self.l[k * n + i] * x[k]).sum();
            x[i] = (x[i] - dot) / self.l[i * n + i];
        }
        x
    }

    /// `K⁻¹`, row-major, one solve per column.
    pub fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        let mut inverse = vec![0.0; n * n];
        for j in 0..n {
            let column = self.solve(&(0..n).map(|i| f64::from(u8::from(i == j))).collect::<Vec<_>>());
            for i in 0..n {
                inverse[i * n + j] = column[i];
            }
        }
        inverse
    }

    /// `log det K = 2 Σ log L_jj`.
    pub fn log_det(&self) -> f64 {
        2.0 * (0..self.n).map(|j| self.l[j * self.n + j].ln()).sum::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_that_is_not_positive_definite_is_an_error() {
        assert!(Cholesky::new(&[1.0, 2.0, 2.0, 1.0], 2).is_err());
        assert!(Cholesky::new(&[1.0, 0.0, 0.0], 2).is_err());
    }
}
