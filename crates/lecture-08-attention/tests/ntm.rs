//! The Neural Turing Machine's hand-written parts: the circular shift by hand, and gradients of
//! the whole machine (addressing, erase and add) against finite differences.

use burn::prelude::*;
use burn::tensor::Distribution;
use lecture_08_attention::ntm::{NtmConfig, roll};
use shared::testing::{gradcheck, seeded};

#[test]
fn roll_shifts_circularly() {
    let device = shared::backend::test_device();
    let w = Tensor::<2>::from_floats([[1.0, 2.0, 3.0, 4.0]], &device);
    let values = |t: Tensor<2>| t.into_data().iter::<f32>().collect::<Vec<_>>();
    // roll(w, d)_i = w_{i-d}.
    assert_eq!(values(roll(w.clone(), 1)), vec![4.0, 1.0, 2.0, 3.0]);
    assert_eq!(values(roll(w.clone(), -1)), vec![2.0, 3.0, 4.0, 1.0]);
    assert_eq!(values(roll(w.clone(), 4)), values(w));
}

#[test]
fn ntm_gradients_match_finite_differences() {
    let (ntm, x, r) = seeded(6, |d| {
        let ntm = NtmConfig::new(3, 2, 4, 5, 3).init(d);
        (
            ntm,
            Tensor::<3>::random([2, 3, 3], Distribution::Normal(0.0, 1.0), d),
            Tensor::<3>::random([2, 3, 2], Distribution::Normal(0.0, 1.0), d),
        )
    });
    gradcheck(|x| (ntm.forward(x).logits * r.clone()).sum(), x.clone()).unwrap();
    let output = ntm.forward(x);
    for weights in [output.reads, output.writes] {
        let sums: Vec<f32> = weights.sum_dim(2).into_data().iter::<f32>().collect();
        assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-5), "weightings sum to 1: {sums:?}");
    }
}
