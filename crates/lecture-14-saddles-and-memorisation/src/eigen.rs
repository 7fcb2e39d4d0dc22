//! Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
//!
//! ```text
//! repeat (a sweep) until the off-diagonal part is negligible:
//!     for every pair p < q with A[p][q] ≠ 0:
//!         choose the rotation J(p, q, φ) with (JᵀAJ)[p][q] = 0:
//!             τ = (A[q][q] - A[p][p]) / (2 A[p][q]),  t = tan φ = sign(τ) / (|τ| + √(τ² + 1))
//!         A ← JᵀAJ,  V ← V J
//! eigenvalues = diag(A), eigenvectors = the columns of V
//! ```
//!
//! Each rotation is exact in exact arithmetic and keeps `A` symmetric; the off-diagonal sum of
//! squares falls with every rotation, quadratically once it is small. `O(P³)` per sweep and a
//! handful of sweeps: fine for the lecture's networks of a few hundred parameters.

/// The eigen-decomposition `A = V diag(values) Vᵀ`, values ascending.
#[derive(Clone, Debug)]
pub struct Eigen {
    pub values: Vec<f64>,
    /// `vectors[k]` is the unit eigenvector of `values[k]`.
    pub vectors: Vec<Vec<f64>>,
}

/// At most this many sweeps (convergence takes well under 20 for the matrices here).
const MAX_SWEEPS: usize = 100;

/// Decomposes the symmetric `n x n` row-major matrix `a`.
pub fn symmetric_eigen(a: &[f64], n: usize) -> Eigen {
    assert_eq!(a.len(), n * n, "a is n x n");
    let mut a = a.to_vec();
    let mut v: Vec<f64> = (0..n * n).map(|k| if k / n == k % n { 1.0 } else { 0.0 }).collect();
    let scale = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _ in 0..MAX_SWEEPS {
        if off_diagonal(&a, n) <= 1e-24 * scale * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                rotate(&mut a, &mut v, n, p, q);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[i * n + i].total_cmp(&a[j * n + j]));
    Eigen {
        values: order.iter().map(|&k| a[k * n + k]).collect(),
        vectors: order.iter().map(|&k| (0..n).map(|i| v[i * n + k]).collect()).collect(),
    }
}

/// The sum of squares of the off-diagonal entries.
fn off_diagonal(a: &[f64], n: usize) -> f64 {
    (0..n * n).filter(|k| k / n != k % n).map(|k| a[k] * a[k]).sum()
}

/// Zeroes `A[p][q]` by the rotation of the module docs, applied to `A` and accumulated in `V`.
fn rotate(a: &mut [f64], v: &mut [f64], n: usize, p: usize, q: usize) {
    let apq = a[p * n + q];
    if apq == 0.0 {
        return;
    }
    let tau = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
    let t = tau.signum() / (tau.abs() + (tau * tau + 1.0).sqrt());
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    for k in 0..n {
        let (akp, akq) = (a[k * n + p], a[k * n + q]);
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
    }
    for k in 0..n {
        let (apk, aqk) = (a[p * n + k], a[q * n + k]);
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
    }
    for k in 0..n {
        let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn a_two_by_two_matrix_by_hand() {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1)/√2 and (1, 1)/√2.
        let e = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!(close(e.values[0], 1.0) && close(e.values[1], 3.0), "{:?}", e.values);
        let r = 0.5f64.sqrt();
        assert!(close(e.vectors[0][0].abs(), r) && close(e.vectors[0][0], -e.vectors[0][1]));
        assert!(close(e.vectors[1][0], e.vectors[1][1]) && close(e.vectors[1][1].abs(), r));
    }

    #[test]
    fn an_indefinite_three_by_three_matrix_by_hand() {
        // [[0, 1, 0], [1, 0, 0], [0, 0, -2]]: eigenvalues -2, -1, 1 (a saddle's Hessian).
        let e = symmetric_eigen(&[0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, -2.0], 3);
        for (got, want) in e.values.iter().zip([-2.0, -1.0, 1.0]) {
            assert!(close(*got, want), "{:?}", e.values);
        }
    }

    #[test]
    fn a_random_symmetric_matrix_is_rebuilt_from_its_decomposition() {
        let n = 7;
        let b: Vec<f64> = (0..n * n).map(|k| ((k * 37 % 11) as f64 - 5.0) / 3.0).collect();
        let a: Vec<f64> = (0..n * n).map(|k| b[k] + b[(k % n) * n + k / n]).collect();
        let e = symmetric_eigen(&a, n);
        for i in 0..n {
            for j in 0..n {
                let rebuilt: f64 = (0..n).map(|k| e.values[k] * e.vectors[k][i] * e.vectors[k][j]).sum();
                assert!((rebuilt - a[i * n + j]).abs() < 1e-10, "A[{i}][{j}]");
                let dot: f64 = (0..n).map(|k| e.vectors[i][k] * e.vectors[j][k]).sum();
                assert!((dot - f64::from(u8::from(i == j))).abs() < 1e-10, "V orthonormal");
            }
        }
        let trace: f64 = (0..n).map(|i| a[i * n + i]).sum();
        assert!((e.values.iter().sum::<f64>() - trace).abs() < 1e-10);
        assert!(e.values.windows(2).all(|w| w[0] <= w[1]), "ascending");
    }
}
