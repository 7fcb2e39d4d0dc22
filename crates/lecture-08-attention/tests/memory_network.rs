//! The memory network's hand-written parts: one hop against a plain-Rust computation, and
//! gradients against finite differences.

use burn::module::Param;
use burn::prelude::*;
use lecture_08_attention::memory_network::{MemoryNetworkConfig, position_encoding};
use shared::testing::{Tolerance, assert_close, gradcheck, seeded};

fn values<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

#[test]
fn one_hop_matches_a_hand_computation() {
    // vocab 3, d 2, two sentences of two words, question of two words.
    let device = shared::backend::test_device();
    let e0 = [[0.5, -0.25], [1.0, 0.5], [-0.5, 0.75]];
    let e1 = [[0.25, 1.0], [-1.0, 0.5], [0.5, 0.5]];
    let t0 = [[0.1, 0.0], [0.0, -0.2]];
    let t1 = [[0.0, 0.3], [-0.1, 0.0]];
    let story = [[0usize, 1], [2, 1]];
    let question = [1usize, 2];
    let l = values(position_encoding(2, 2, &device)); // [j, k] row-major
    let encode = |e: &[[f64; 2]; 3], words: &[usize]| -> [f64; 2] {
        let mut out = [0.0; 2];
        for (j, &w) in words.iter().enumerate() {
            for k in 0..2 {
                out[k] += l[j * 2 + k] * e[w][k];
            }
        }
        out
    };
    let u = encode(&e0, &question);
    let keys: Vec<[f64; 2]> = (0..2)
        .map(|i| {
            let m = encode(&e0, &story[i]);
            [m[0] + t0[i][0], m[1] + t0[i][1]]
        })
        .collect();
    let vals: Vec<[f64; 2]> = (0..2)
        .map(|i| {
            let c = encode(&e1, &story[i]);
            [c[0] + t1[i][0], c[1] + t1[i][1]]
        })
        .collect();
    let scores: Vec<f64> = keys.iter().map(|m| m[0] * u[0] + m[1] * u[1]).collect();
    let z: f64 = scores.iter().map(|s| s.exp()).sum();
    let p: Vec<f64> = scores.iter().map(|s| s.exp() / z).collect();
    let u2 = [u[0] + p[0] * vals[0][0] + p[1] * vals[1][0], u[1] + p[0] * vals[0][1] + p[1] * vals[1][1]];
    let logits: Vec<f64> = e1.iter().map(|w| u2[0] * w[0] + u2[1] * w[1]).collect();

    let tensor = |rows: &[[f64; 2]]| {
        let flat: Vec<f32> = rows.iter().flatten().map(|&x| x as f32).collect();
        Tensor::<2>::from_data(TensorData::new(flat, [rows.len(), 2]), &device)
    };
    let mut net = MemoryNetworkConfig::new(3, 2, 2, 1).init(&device);
    net.embeddings[0].weight = Param::from_tensor(tensor(&e0));
    net.embeddings[1].weight = Param::from_tensor(tensor(&e1));
    net.temporal = vec![Param::from_tensor(tensor(&t0)), Param::from_tensor(tensor(&t1))];
    let story = Tensor::<3, Int>::from_data(TensorData::new(vec![0i64, 1, 2, 1], [1, 2, 2]), &device);
    let question = Tensor::<2, Int>::from_data(TensorData::new(vec![1i64, 2], [1, 2]), &device);
    let out = net.forward(story.clone(), question.clone());
    let tol = Tolerance::new(1e-5, 1e-6);
    assert_close(&values(out.attention[0].clone()), &p, tol);
    assert_close(&values(out.logits), &logits, tol);
    let linear = net.forward_with(story, question, true);
    assert_close(&values(linear.attention[0].clone()), &scores, tol);
}

#[test]
fn memory_network_gradients_match_finite_differences() {
    let (net, story, question, r) = seeded(4, |device| {
        let net = MemoryNetworkConfig::new(5, 3, 3, 2).init(device);
        let story = Tensor::<3, Int>::from_data(
            TensorData::new(vec![0i64, 1, 2, 3, 4, 0, 1, 1, 2], [1, 3, 3]),
            device,
        );
        let question = Tensor::<2, Int>::from_data(TensorData::new(vec![4i64, 2, 1], [1, 3]), device);
        let r = Tensor::<2>::random([1, 5], burn::tensor::Distribution::Normal(0.0, 1.0), device);
        (net, story, question, r)
    });
    // Differentiate with respect to the middle embedding E_1 (keys of hop 2, values of hop 1)
    // and the first temporal encoding, each scaled up to order one.
    let weight = net.embeddings[1].weight.val().mul_scalar(10.0);
    gradcheck(
        |w| {
            let mut n = net.clone();
            n.embeddings[1].weight = Param::from_tensor(w);
            (n.forward(story.clone(), question.clone()).logits * r.clone()).sum()
        },
        weight,
    )
    .unwrap();
    let temporal = net.temporal[0].val().mul_scalar(10.0);
    gradcheck(
        |t| {
            let mut n = net.clone();
            n.temporal[0] = Param::from_tensor(t);
            (n.forward(story.clone(), question.clone()).logits * r.clone()).sum()
        },
        temporal,
    )
    .unwrap();
}
