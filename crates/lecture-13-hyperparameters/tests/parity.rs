//! The numerical pieces against values worked out independently: the GP's posterior mean and
//! variance and its evidence on a two-point case, expected improvement against its closed form,
//! the Cholesky factor against its definition, and the evidence's gradient against finite
//! differences. The reference numbers come from the 2 x 2 inverse written out by hand
//! (`K⁻¹ = [[d, -b], [-b, a]] / (ad - b²)`), evaluated with Python's floats:
//!
//! ```text
//! k(r) = a (1 + √5 r/ℓ + 5 r²/(3ℓ²)) exp(-√5 r/ℓ),  ℓ = 0.5, a = 2, σ_n² = 0.1
//! X = (0.2, 0.7), y = (1, -0.5);  K_01 = 1.0479882176636408
//! x*     μ(x*)                 σ²(x*)
//! 0.2    0.9207664428860851    0.09365888553715918
//! 0.45   0.26323133541876054   0.2549886371813266
//! 1.0   -0.5827343902886793    0.8262538411802414
//! log p(y) = -2.9911547961618865
//! ```

use lecture_13_hyperparameters::gp::cholesky::Cholesky;
use lecture_13_hyperparameters::gp::expected_improvement::expected_improvement;
use lecture_13_hyperparameters::gp::gaussian_process::{GaussianProcess, Hyperparameters, log_evidence};
use lecture_13_hyperparameters::gp::kernel::Matern52;

fn two_points() -> (Vec<Vec<f64>>, Vec<f64>, Hyperparameters) {
    let hyperparameters =
        Hyperparameters { kernel: Matern52 { lengthscales: vec![0.5], amplitude: 2.0 }, noise: 0.1 };
    (vec![vec![0.2], vec![0.7]], vec![1.0, -0.5], hyperparameters)
}

#[test]
fn the_posterior_of_two_points_matches_the_hand_worked_case() {
    let (x, y, h) = two_points();
    assert!((h.kernel.covariance(&[0.2], &[0.7]) - 1.0479882176636408).abs() < 1e-12);
    let gp = GaussianProcess::new(&x, &y, h).unwrap();
    for (at, mean, variance) in [
        (0.2, 0.9207664428860851, 0.09365888553715918),
        (0.45, 0.26323133541876054, 0.2549886371813266),
        (1.0, -0.5827343902886793, 0.8262538411802414),
    ] {
        let (m, v) = gp.posterior(&[at]);
        assert!((m - mean).abs() < 1e-12 && (v - variance).abs() < 1e-12, "at {at}: ({m}, {v})");
    }
}

#[test]
fn the_evidence_matches_the_hand_worked_case_and_its_gradient_finite_differences() {
    let (x, y, h) = two_points();
    let theta = h.to_log();
    let (evidence, gradient) = log_evidence(&x, &y, &theta).unwrap();
    assert!((evidence - -2.9911547961618865).abs() < 1e-12, "{evidence}");
    // A richer case for the gradient: 5 points in 2-d, every hyperparameter off its bound.
    let x: Vec<Vec<f64>> =
        (0..5).map(|i| vec![(i as f64 * 0.37) % 1.0, (i as f64 * 0.61 + 0.1) % 1.0]).collect();
    let y: Vec<f64> = x.iter().map(|p| (3.0 * p[0]).sin() + p[1] * p[1]).collect();
    let theta = vec![(0.4f64).ln(), (0.7f64).ln(), (1.3f64).ln(), (0.05f64).ln()];
    let (_, gradient_2d) = log_evidence(&x, &y, &theta).unwrap();
    for (j, &analytic) in gradient_2d.iter().enumerate() {
        let eps = 1e-6;
        let at = |d: f64| {
            let mut t = theta.clone();
            t[j] += d;
            log_evidence(&x, &y, &t).unwrap().0
        };
        let numeric = (at(eps) - at(-eps)) / (2.0 * eps);
        assert!((analytic - numeric).abs() < 1e-6 * (1.0 + numeric.abs()), "θ_{j}: {analytic} vs {numeric}");
    }
    assert_eq!(gradient.len(), 3);
}

#[test]
fn fitting_raises_the_evidence_above_the_default_start() {
    let x: Vec<Vec<f64>> = (0..12).map(|i| vec![i as f64 / 11.0]).collect();
    let y: Vec<f64> = x.iter().map(|p| (6.0 * p[0]).sin()).collect();
    let start = Hyperparameters::default_for(1);
    let fitted = GaussianProcess::fit(&x, &y, std::slice::from_ref(&start)).unwrap();
    let before = log_evidence(&x, &y, &start.to_log()).unwrap().0;
    let after = log_evidence(&x, &y, &fitted.hyperparameters.to_log()).unwrap().0;
    assert!(after > before + 1.0, "evidence {before} -> {after}");
}

#[test]
fn expected_improvement_matches_its_closed_form() {
    // σ (γ Φ(γ) + φ(γ)), γ = (best - μ)/σ, evaluated with Python's math.erf.
    for (mean, variance, best, expected) in [
        (0.0, 1.0, 0.0, 0.3989422804014327),
        (0.5, 0.25, 0.0, 0.041657735293843146),
        (-1.0, 4.0, 0.3, 1.6107447752882045),
    ] {
        let ei = expected_improvement(mean, variance, best);
        assert!((ei - expected).abs() < 1e-12, "EI({mean}, {variance}, {best}) = {ei}, expected {expected}");
    }
    assert!(expected_improvement(2.0, 0.01, 0.0) < 1e-80, "20 standard deviations above the best");
}

#[test]
fn the_cholesky_factor_reproduces_its_matrix_and_solves() {
    // K = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]]; L worked out by hand: L00 = 2, L10 = 1, L20 = 0.2,
    // L11 = 2, L21 = (1 - 0.2) / 2 = 0.4, L22 = sqrt(3 - 0.04 - 0.16) = sqrt(2.8).
    let k = [4.0, 2.0, 0.4, 2.0, 5.0, 1.0, 0.4, 1.0, 3.0];
    let factor = Cholesky::new(&k, 3).unwrap();
    let expected = [[2.0, 0.0, 0.0], [1.0, 2.0, 0.0], [0.2, 0.4, 2.8f64.sqrt()]];
    for (i, row) in expected.iter().enumerate() {
        for (j, &value) in row.iter().enumerate() {
            assert!((factor.at(i, j) - value).abs() < 1e-12, "L[{i}][{j}] = {}", factor.at(i, j));
        }
    }
    let b = [1.0, -2.0, 0.5];
    let x = factor.solve(&b);
    for i in 0..3 {
        let kx: f64 = (0..3).map(|j| k[i * 3 + j] * x[j]).sum();
        assert!((kx - b[i]).abs() < 1e-12, "(K K⁻¹b)[{i}] = {kx}");
    }
    assert!((factor.log_det() - (4.0f64 * 4.0 * 2.8).ln()).abs() < 1e-12);
}
