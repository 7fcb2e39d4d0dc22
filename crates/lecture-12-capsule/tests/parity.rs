//! burn ships no capsule layers: the routing procedure is checked against a plain-loop f64
//! re-implementation of the paper's Procedure 1, written independently below, and against the
//! properties the issue names (coupling sums to one, lengths in [0, 1), r = 1 is uniform).

use burn::prelude::*;
use burn::tensor::Distribution;
use lecture_12_capsule::routing::route;
use lecture_12_capsule::squash::{lengths, squash};
use shared::backend::test_device;
use shared::testing::{Tolerance, assert_close, seeded};

fn values<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

/// Procedure 1 with loops: `u` is `[B][I][J][D]` flattened; returns `(v [B][J][D], c [B][I][J])`.
fn reference_routing(u: &[f64], [b, i, j, d]: [usize; 4], iterations: usize) -> (Vec<f64>, Vec<f64>) {
    let at = |bb: usize, ii: usize, jj: usize, dd: usize| u[((bb * i + ii) * j + jj) * d + dd];
    let mut logits = vec![0.0; b * i * j];
    let mut v = vec![0.0; b * j * d];
    let mut c = vec![0.0; b * i * j];
    for pass in 0..iterations {
        for bb in 0..b {
            for ii in 0..i {
                let row = &logits[(bb * i + ii) * j..][..j];
                let max = row.iter().cloned().fold(f64::MIN, f64::max);
                let total: f64 = row.iter().map(|l| (l - max).exp()).sum();
                for jj in 0..j {
                    c[(bb * i + ii) * j + jj] = (logits[(bb * i + ii) * j + jj] - max).exp() / total;
                }
            }
            for jj in 0..j {
                let s: Vec<f64> = (0..d)
                    .map(|dd| (0..i).map(|ii| c[(bb * i + ii) * j + jj] * at(bb, ii, jj, dd)).sum())
                    .collect();
                let norm2: f64 = s.iter().map(|x| x * x).sum();
                for dd in 0..d {
                    v[(bb * j + jj) * d + dd] = norm2 / (1.0 + norm2) * s[dd] / norm2.sqrt();
                }
            }
            if pass + 1 < iterations {
                for ii in 0..i {
                    for jj in 0..j {
                        let agreement: f64 =
                            (0..d).map(|dd| at(bb, ii, jj, dd) * v[(bb * j + jj) * d + dd]).sum();
                        logits[(bb * i + ii) * j + jj] += agreement;
                    }
                }
            }
        }
    }
    (v, c)
}

/// Predictions `[2, 5, 3, 4]` large enough that routing moves the coupling visibly.
fn predictions(device: &Device) -> Tensor<4> {
    Tensor::random([2, 5, 3, 4], Distribution::Normal(0.0, 1.0), device)
}

#[test]
fn routing_matches_the_loop_reference_for_one_to_four_passes() {
    let u = seeded(3, predictions);
    let flat = values(u.clone());
    for iterations in 1..=4 {
        let routed = route(u.clone(), iterations);
        let (v, c) = reference_routing(&flat, [2, 5, 3, 4], iterations);
        assert_close(&values(routed.parents), &v, Tolerance::new(1e-4, 1e-5));
        assert_close(&values(routed.coupling), &c, Tolerance::new(1e-4, 1e-5));
    }
}

#[test]
fn coupling_coefficients_sum_to_one_over_parents() {
    let u = seeded(4, predictions);
    for iterations in [1, 3] {
        let sums = values(route(u.clone(), iterations).coupling.sum_dim(2));
        assert_close(&sums, &vec![1.0; sums.len()], Tolerance::new(0.0, 1e-5));
    }
    // And routing does move them: after 3 passes they are no longer uniform.
    let c = values(route(u, 3).coupling);
    assert!(c.iter().any(|&x| (x - 1.0 / 3.0).abs() > 0.05), "{c:?}");
}

#[test]
fn squashed_lengths_lie_in_zero_one() {
    let device = test_device();
    let scales = [0.0, 1e-3, 0.5, 1.0, 3.0, 100.0, 1e4];
    let s: Vec<f32> = scales.iter().flat_map(|&k| [0.6 * k, -0.8 * k, 0.0]).collect();
    let s = Tensor::<3>::from_data(TensorData::new(s, [1, scales.len(), 3]), &device);
    let got = values(lengths(squash(s)));
    for (&k, &length) in scales.iter().zip(&got) {
        let want = f64::from(k * k / (1.0 + k * k)); // |s| = k
        assert!((0.0..1.0).contains(&length), "length {length} for |s| = {k}");
        assert!((length - want).abs() < 1e-4, "length {length} for |s| = {k}, want {want}");
    }
}

#[test]
fn one_routing_pass_is_uniform_coupling() {
    let u = seeded(5, predictions);
    let routed = route(u.clone(), 1);
    let c = values(routed.coupling);
    assert_close(&c, &vec![1.0 / 3.0; c.len()], Tolerance::new(0.0, 1e-6));
    // v_j = squash(sum_i u_hat_{j|i} / J).
    let uniform = squash(u.sum_dim(1).squeeze_dim::<3>(1).div_scalar(3.0));
    assert_close(&values(routed.parents), &values(uniform), Tolerance::new(1e-5, 1e-6));
}
