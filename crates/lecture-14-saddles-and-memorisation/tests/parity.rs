//! The finite-difference Hessian against Hessians worked out by hand: a quadratic (exact:
//! central differences of a linear gradient make no truncation error) and a one-unit tanh net
//! on one point, whose second derivatives are written out below. And the eigen-solver on the
//! Hessian it feeds.

use burn::prelude::*;
use lecture_14_saddles_and_memorisation::eigen::symmetric_eigen;
use lecture_14_saddles_and_memorisation::flat_net::FlatNet;
use lecture_14_saddles_and_memorisation::hessian::hessian;
use lecture_14_saddles_and_memorisation::landscape::{Landscape, NetLandscape, rows_tensor, split_rows};
use shared::backend::test_device;

/// `L(θ) = ½ θᵀAθ + bᵀθ` with a non-symmetric `A`: its Hessian is `(A + Aᵀ) / 2`.
struct Quadratic {
    a: Vec<f64>,
    b: Vec<f64>,
    device: Device,
}

impl Landscape for Quadratic {
    fn dimension(&self) -> usize {
        self.b.len()
    }

    fn gradients(&self, points: &[Vec<f64>]) -> Vec<(f64, Vec<f64>)> {
        let p = self.b.len();
        let theta = rows_tensor(points, &self.device).require_grad();
        let a = rows_tensor(&self.a.chunks(p).map(<[f64]>::to_vec).collect::<Vec<_>>(), &self.device);
        let b = rows_tensor(std::slice::from_ref(&self.b), &self.device);
        let quadratic = (theta.clone().matmul(a) * theta.clone()).sum_dim(1) * 0.5;
        let losses = (quadratic + (theta.clone() * b).sum_dim(1)).flatten::<1>(0, 1);
        let gradient = theta.grad(&losses.clone().sum().backward()).unwrap();
        split_rows(
            losses.into_data().iter::<f64>().collect(),
            &gradient.into_data().iter::<f64>().collect::<Vec<_>>(),
        )
    }
}

#[test]
fn the_hessian_of_a_quadratic_is_its_symmetrised_matrix() {
    let a = vec![2.0, 0.5, -1.0, 0.3, 1.0, 0.0, -0.6, 0.4, -3.0];
    let quadratic = Quadratic { a: a.clone(), b: vec![0.1, -0.2, 0.3], device: test_device() };
    let curvature = hessian(&quadratic, &[0.4, -0.7, 1.1], 1e-2);
    for i in 0..3 {
        for j in 0..3 {
            let want = 0.5 * (a[i * 3 + j] + a[j * 3 + i]);
            assert!((curvature.hessian[i * 3 + j] - want).abs() < 1e-4, "H[{i}][{j}] {curvature:?}");
        }
    }
    // A = diag-dominant with one negative direction: eigenvalues of the symmetric part.
    let values = symmetric_eigen(&curvature.hessian, 3).values;
    assert!(values[0] < -2.5 && values[1] > 0.5 && values[2] > 1.5, "{values:?}");
}

/// `f = a tanh(w x + c) + d` on one point `(x, y)`, `L = (f - y)²`, `θ = (w, c, a, d)`:
/// `H = 2 (∇r ∇rᵀ + r ∇²r)` with `r = f - y`, `u = w x + c`, `t = tanh u`, `s = 1 - t²`:
/// `∇r = (a s x, a s, t, 1)`; `∇²r` has `∂²r/∂w² = -2 a t s x²`, `∂²r/∂w∂c = -2 a t s x`,
/// `∂²r/∂c² = -2 a t s`, `∂²r/∂w∂a = s x`, `∂²r/∂c∂a = s`, and zeros elsewhere.
fn tiny_net_hessian(theta: [f64; 4], x: f64, y: f64) -> Vec<f64> {
    let [w, c, a, d] = theta;
    let t = (w * x + c).tanh();
    let s = 1.0 - t * t;
    let r = a * t + d - y;
    let grad_r = [a * s * x, a * s, t, 1.0];
    let mut second = [[0.0; 4]; 4];
    second[0][0] = -2.0 * a * t * s * x * x;
    second[0][1] = -2.0 * a * t * s * x;
    second[1][1] = -2.0 * a * t * s;
    second[0][2] = s * x;
    second[1][2] = s;
    (0..16)
        .map(|k| {
            let (i, j) = (k / 4, k % 4);
            let r2 = if i <= j { second[i][j] } else { second[j][i] };
            2.0 * (grad_r[i] * grad_r[j] + r * r2)
        })
        .collect()
}

#[test]
fn the_hessian_of_a_one_unit_tanh_net_matches_the_hand_worked_one() {
    let device = test_device();
    let landscape = NetLandscape {
        net: FlatNet::new(&[1, 1, 1]).unwrap(),
        x: Tensor::from_floats([[0.7]], &device),
        y: Tensor::from_floats([[0.2]], &device),
        weight_decay: 0.0,
    };
    let theta = [0.9, -0.3, 1.3, 0.1];
    let curvature = hessian(&landscape, &theta, 3e-3);
    let want = tiny_net_hessian(theta, 0.7, 0.2);
    for (k, (got, want)) in curvature.hessian.iter().zip(&want).enumerate() {
        assert!((got - want).abs() < 2e-4, "H[{}][{}]: {got} vs {want}", k / 4, k % 4);
    }
    // One-unit nets have a saddle-shaped loss here: both signs of curvature.
    let values = symmetric_eigen(&want, 4).values;
    assert!(values[0] < 0.0 && values[3] > 0.0, "{values:?}");
}

#[test]
fn the_student_nets_finite_difference_error_is_far_below_the_index_threshold() {
    use lecture_14_saddles_and_memorisation::experiments::critical_points::INDEX_THRESHOLD;
    use lecture_14_saddles_and_memorisation::teacher::TeacherTask;
    use rand::SeedableRng;
    let device = test_device();
    let task = TeacherTask { points: 200, teacher_hidden: 8, teacher_scale: 2.0 };
    let student = FlatNet::new(&[2, 4, 1]).unwrap();
    let landscape = task.landscape(student.clone(), 1e-3, 5, &device).unwrap();
    let theta = student.init(1.0, &mut rand::rngs::StdRng::seed_from_u64(6));
    // eps = 3e-3 (the experiments') against 6e-3: truncation error x4, rounding error / 2.
    let (used, wider) = (hessian(&landscape, &theta, 3e-3), hessian(&landscape, &theta, 6e-3));
    let (values, wider_values) =
        (symmetric_eigen(&used.hessian, 17).values, symmetric_eigen(&wider.hessian, 17).values);
    let largest = values.iter().fold(0.0f64, |m, l| m.max(l.abs()));
    let difference = values.iter().zip(&wider_values).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    assert!(difference < 0.1 * INDEX_THRESHOLD * largest, "max |Δλ| {difference}, max |λ| {largest}");
    assert!(used.asymmetry < 0.2 * INDEX_THRESHOLD, "asymmetry {}", used.asymmetry);
}
