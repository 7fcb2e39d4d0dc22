//! Our layers against burn's (`Gru`, `MultiHeadAttention`) with the same weights, the fused GRU
//! against our step-wise one, the fused LSTM against burn's `Lstm`, and additive attention against
//! values computed by hand in plain Rust.

use burn::module::Param;
use burn::nn::attention::{MhaInput, MultiHeadAttentionConfig};
use burn::nn::{GateController, GruConfig, LstmConfig};
use burn::prelude::*;
use lecture_08_attention::additive_attention::AdditiveAttention;
use lecture_08_attention::attention::attend;
use lecture_08_attention::dot_attention::DotAttention;
use lecture_08_attention::fused_lstm::from_burn;
use lecture_08_attention::gru::{GruLayer, GruLayerConfig};
use lecture_08_attention::recurrence::{Gru, Recurrence};
use shared::testing::weights::{bias_block, column_block, gate, linear};
use shared::testing::{
    Tolerance, assert_close, assert_tensors_close, grad_of, leaf, normal, param_grad, seeded,
};

const TOL: Tolerance = Tolerance::F32;
const BATCH: usize = 2;
const TIME: usize = 4;
const INPUT: usize = 3;
const HIDDEN: usize = 5;

fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f64> {
    tensor.into_data().iter::<f64>().collect()
}

/// burn's gate `block` (update 0, reset 1, candidate 2) from our fused `[., 3 hidden]` layers.
fn burn_gate(layer: &GruLayer, block: usize) -> GateController {
    let columns = |w: &Param<Tensor<2>>| column_block(w.val(), block, HIDDEN).detach();
    let bias = |b: &Option<Param<Tensor<1>>>| b.as_ref().map(|b| bias_block(b.val(), block, HIDDEN).detach());
    gate(
        columns(&layer.input.weight),
        bias(&layer.input.bias),
        columns(&layer.hidden.weight),
        bias(&layer.hidden.bias),
    )
}

#[test]
fn gru_layer_matches_burns_gru_outputs_and_gradients() {
    seeded(3, |device| {
        let ours = GruLayerConfig::new(INPUT, HIDDEN).init(device);
        let mut theirs = GruConfig::new(INPUT, HIDDEN, true).init(device);
        assert!(theirs.reset_after);
        theirs.update_gate = burn_gate(&ours, 0);
        theirs.reset_gate = burn_gate(&ours, 1);
        theirs.new_gate = burn_gate(&ours, 2);
        let (x, h0, r) = (
            normal([BATCH, TIME, INPUT], device),
            normal([BATCH, HIDDEN], device),
            normal([BATCH, TIME, HIDDEN], device),
        );
        let (x_ours, x_theirs) = (leaf(&x), leaf(&x));
        let (outputs, last) = ours.forward(x_ours.clone(), Some(h0.clone()));
        let expected = theirs.forward(x_theirs.clone(), Some(h0));
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("last state", last, expected.clone().narrow(1, TIME - 1, 1).squeeze_dim(1), TOL);

        let grads = (outputs * r.clone()).sum().backward();
        let their_grads = (expected * r).sum().backward();
        assert_tensors_close(
            "dL/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_theirs, &their_grads),
            TOL,
        );
        let w_h = grad_of("W_h", &ours.hidden.weight.val(), &grads);
        let b_x = grad_of("b_x", &ours.input.bias.as_ref().expect("bias").val(), &grads);
        for (block, gate) in
            [&theirs.update_gate, &theirs.reset_gate, &theirs.new_gate].into_iter().enumerate()
        {
            assert_tensors_close(
                "dL/dW_h",
                grad_of("W_h", &gate.hidden_transform.weight.val(), &their_grads),
                column_block(w_h.clone(), block, HIDDEN),
                TOL,
            );
            let bias = gate.input_transform.bias.as_ref().expect("bias").val();
            assert_tensors_close(
                "dL/db_x",
                grad_of("b_x", &bias, &their_grads),
                bias_block(b_x.clone(), block, HIDDEN),
                TOL,
            );
        }
    });
}

/// `[..., 3 hidden]` in the fused layer's block order (reset, update, candidate) back in ours
/// (update, reset, candidate).
fn update_reset_candidate<const D: usize>(blocks: Tensor<D>) -> Tensor<D> {
    let block = |index| blocks.clone().narrow(D - 1, index * HIDDEN, HIDDEN);
    Tensor::cat(vec![block(1), block(0), block(2)], D - 1)
}

#[test]
fn fused_gru_matches_the_step_wise_layer_outputs_and_gradients() {
    seeded(4, |device| {
        let ours = GruLayerConfig::new(INPUT, HIDDEN).init(device);
        let fused = ours.fused();
        let (x, h0, r) = (
            normal([BATCH, TIME, INPUT], device),
            normal([BATCH, HIDDEN], device),
            normal([BATCH, TIME, HIDDEN], device),
        );
        let (x_ours, x_fused, h0_ours, h0_fused) = (leaf(&x), leaf(&x), leaf(&h0), leaf(&h0));
        let (outputs, last) = ours.forward(x_ours.clone(), Some(h0_ours.clone()));
        let expected = fused.forward(x_fused.clone(), Some(h0_fused.clone()));
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("last state", last, expected.clone().narrow(1, TIME - 1, 1).squeeze_dim(1), TOL);

        let grads = (outputs * r.clone()).sum().backward();
        let fused_grads = (expected * r).sum().backward();
        let dx = (grad_of("x", &x_ours, &grads), grad_of("x", &x_fused, &fused_grads));
        assert_tensors_close("dL/dx", dx.0, dx.1, TOL);
        let dh0 = (grad_of("h0", &h0_ours, &grads), grad_of("h0", &h0_fused, &fused_grads));
        assert_tensors_close("dL/dh0", dh0.0, dh0.1, TOL);
        let weight = |what, ours: &Param<Tensor<2>>, fused: &Param<Tensor<2>>| {
            let expected = update_reset_candidate(param_grad(what, fused, &fused_grads));
            assert_tensors_close(what, param_grad(what, ours, &grads), expected, TOL);
        };
        weight("dL/dW_x", &ours.input.weight, &fused.input_weight);
        weight("dL/dW_h", &ours.hidden.weight, &fused.hidden_weight);
        let bias = |what, ours: &Option<Param<Tensor<1>>>, fused: &Param<Tensor<1>>| {
            let expected = update_reset_candidate(param_grad(what, fused, &fused_grads));
            assert_tensors_close(what, param_grad(what, ours.as_ref().expect("bias"), &grads), expected, TOL);
        };
        bias("dL/db_x", &ours.input.bias, &fused.input_bias);
        bias("dL/db_h", &ours.hidden.bias, &fused.hidden_bias);
    });
}

#[test]
fn a_fused_gru_step_is_the_step_wise_layers_step() {
    // Generation feeds one token at a time: the fused layer over one step, from the same weights.
    seeded(6, |device| {
        let layer = GruLayerConfig::new(INPUT, HIDDEN).init(device);
        let (step_wise, fused) = (Gru::StepWise(layer.clone()), Gru::Fused(layer.fused()));
        let (x_t, h) = (normal([BATCH, INPUT], device), normal([BATCH, HIDDEN], device));
        let expected = step_wise.step(x_t.clone(), h.clone());
        assert_tensors_close("h_t", fused.step(x_t, h), expected, TOL);
        let fresh = Gru::new(Recurrence::Fused, INPUT, HIDDEN, device);
        assert!(matches!(fresh, Gru::Fused(_)), "Recurrence::Fused builds the fused layer");
    });
}

#[test]
fn fused_lstm_matches_burns_lstm_outputs_and_gradients() {
    seeded(8, |device| {
        let theirs = LstmConfig::new(INPUT, HIDDEN, true).init(device);
        let fused = from_burn(&theirs);
        let (x, r, r_c) = (
            normal([BATCH, TIME, INPUT], device),
            normal([BATCH, TIME, HIDDEN], device),
            normal([BATCH, HIDDEN], device),
        );
        let (x_theirs, x_fused) = (leaf(&x), leaf(&x));
        let (expected, expected_state) = theirs.forward(x_theirs.clone(), None);
        let (outputs, state) = fused.forward_with_state(x_fused.clone(), None, &[]);
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("last hidden", state.hidden, expected_state.hidden, TOL);
        assert_tensors_close("last cell", state.cell.clone(), expected_state.cell.clone(), TOL);

        let grads = ((outputs * r.clone()).sum() + (state.cell * r_c.clone()).sum()).backward();
        let their_grads = ((expected * r).sum() + (expected_state.cell * r_c).sum()).backward();
        let dx = (grad_of("x", &x_fused, &grads), grad_of("x", &x_theirs, &their_grads));
        assert_tensors_close("dL/dx", dx.0, dx.1, TOL);
        let forget = theirs.forget_gate.as_ref().expect("forget gate");
        let gates = [&theirs.input_gate, forget, &theirs.cell_gate, &theirs.output_gate];
        let block = |grad: Tensor<2>, k| column_block(grad, k, HIDDEN);
        let d_w_x = param_grad("W_x", &fused.input_weight, &grads);
        let d_w_h = param_grad("W_h", &fused.hidden_weight, &grads);
        let d_b = param_grad("b", &fused.bias, &grads);
        for (k, gate) in gates.into_iter().enumerate() {
            let theirs = |linear: &burn::nn::Linear| param_grad("W", &linear.weight, &their_grads);
            assert_tensors_close("dL/dW_x", block(d_w_x.clone(), k), theirs(&gate.input_transform), TOL);
            assert_tensors_close("dL/dW_h", block(d_w_h.clone(), k), theirs(&gate.hidden_transform), TOL);
            // Both of burn's biases add to the same pre-activation: each gets the fused bias's gradient.
            for linear in [&gate.input_transform, &gate.hidden_transform] {
                let bias = linear.bias.as_ref().expect("bias");
                let expected = param_grad("b", bias, &their_grads);
                assert_tensors_close("dL/db", bias_block(d_b.clone(), k, HIDDEN), expected, TOL);
            }
        }
    });
}

#[test]
fn dot_attention_matches_burns_single_head_attention() {
    // burn's MultiHeadAttention with one head computes softmax((x_q W_q)(x_k W_k)ᵀ / sqrt(d)) (x_v W_v) W_o.
    // With W_k = W_v = W_o = I and no biases that is our scaled dot-product attention with W = W_q.
    seeded(5, |device| {
        let ours = DotAttention::new(HIDDEN, HIDDEN, device);
        let mut theirs = MultiHeadAttentionConfig::new(HIDDEN, 1)
            .with_dropout(0.0)
            .with_query_bias(false)
            .with_key_bias(false)
            .with_value_bias(false)
            .with_output_bias(false)
            .init(device);
        let identity = || linear(Tensor::eye(HIDDEN, device), None);
        theirs.query = linear(ours.query.weight.val().detach(), None);
        (theirs.key, theirs.value, theirs.output) = (identity(), identity(), identity());
        let (queries, memory) = (normal([BATCH, 3, HIDDEN], device), normal([BATCH, TIME, HIDDEN], device));
        let (mq, mm) = (leaf(&memory), leaf(&memory));
        let (context, weights) = attend(ours.scores(queries.clone(), mm.clone()), mm.clone());
        let expected = theirs.forward(MhaInput::new(queries, mq.clone(), mq.clone()));
        assert_tensors_close("weights", weights, expected.weights.squeeze_dim(1), TOL);
        assert_tensors_close("context", context.clone(), expected.context.clone(), TOL);
        let r = normal([BATCH, 3, HIDDEN], device);
        let grads = (context * r.clone()).sum().backward();
        let their_grads = (expected.context * r).sum().backward();
        assert_tensors_close("dL/dmemory", grad_of("m", &mm, &grads), grad_of("m", &mq, &their_grads), TOL);
        assert_tensors_close(
            "dL/dW",
            grad_of("W", &ours.query.weight.val(), &grads),
            grad_of("W_q", &theirs.query.weight.val(), &their_grads),
            TOL,
        );
    });
}

#[test]
fn additive_attention_matches_a_hand_computation() {
    // e_ts = v · tanh(W_q q_t + b + W_k k_s), α = softmax_s(e), c_t = Σ_s α_ts k_s, in f64 loops.
    let device = shared::backend::test_device();
    let (q, k, a) = (2usize, 3usize, 2usize);
    let w_q = [[0.5, -1.0], [0.25, 0.75]]; // [q, a]
    let b = [0.1, -0.2];
    let w_k = [[1.0, 0.0], [-0.5, 0.5], [0.3, -0.7]]; // [k, a]
    let v = [1.5, -2.0];
    let queries = [[0.2, -0.4], [1.0, 0.5]]; // T = 2
    let keys = [[0.1, 0.2, 0.3], [-0.3, 0.0, 0.9], [0.5, -0.5, 0.2], [1.0, 1.0, -1.0]]; // S = 4
    let mut expected_weights = Vec::new();
    let mut expected_context = Vec::new();
    for query in &queries {
        let scores: Vec<f64> = keys
            .iter()
            .map(|key| {
                (0..a)
                    .map(|j| {
                        let pre = (0..q).map(|i| query[i] * w_q[i][j]).sum::<f64>()
                            + b[j]
                            + (0..k).map(|i| key[i] * w_k[i][j]).sum::<f64>();
                        v[j] * pre.tanh()
                    })
                    .sum()
            })
            .collect();
        let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = scores.iter().map(|e| (e - top).exp()).sum();
        let alpha: Vec<f64> = scores.iter().map(|e| (e - top).exp() / total).collect();
        expected_context
            .extend((0..k).map(|i| alpha.iter().zip(&keys).map(|(w, key)| w * key[i]).sum::<f64>()));
        expected_weights.extend(alpha);
    }
    let tensor2 = |rows: &[&[f64]]| {
        let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().map(|&x| x as f32)).collect();
        Tensor::<2>::from_data(TensorData::new(flat, [rows.len(), rows[0].len()]), &device)
    };
    let attention = AdditiveAttention {
        query: linear(tensor2(&[&w_q[0], &w_q[1]]), Some(Tensor::from_floats([0.1, -0.2], &device))),
        key: linear(tensor2(&[&w_k[0], &w_k[1], &w_k[2]]), None),
        score: linear(tensor2(&[&[v[0]], &[v[1]]]), None),
    };
    let queries = tensor2(&[&queries[0], &queries[1]]).unsqueeze_dim::<3>(0);
    let keys = tensor2(&[&keys[0], &keys[1], &keys[2], &keys[3]]).unsqueeze_dim::<3>(0);
    let (context, weights) = attend(attention.scores(queries, keys.clone()), keys);
    let tol = Tolerance::new(1e-5, 1e-6);
    assert_close(&values(weights), &expected_weights, tol);
    assert_close(&values(context), &expected_context, tol);
}
