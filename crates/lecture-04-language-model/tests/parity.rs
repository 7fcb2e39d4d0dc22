//! Our LSTM and RNN against burn's `Lstm` and `Rnn` with the same weights, and our LSTM unrolled
//! step by step against shared's `FusedLstm` holding the same weights (the layer the experiments
//! train): equal outputs, final states, and gradients w.r.t. the input and every weight.
//!
//! burn keeps one `GateController` per gate (an input and a hidden `Linear`); ours keep all gates
//! in one fused matrix `W: [input + hidden, 4 hidden]`. Each burn gate gets its column block of
//! `W` (rows of `x` for the input transform, rows of `h` for the hidden one) and our bias.

use burn::nn::{GateController, LstmConfig, LstmState as BurnLstmState, RnnConfig, RnnState};
use burn::prelude::Tensor;
use burn::tensor::Gradients;
use lecture_04_language_model::lstm::{Lstm, LstmState};
use lecture_04_language_model::rnn::Rnn;
use shared::recurrent::LstmState as FusedState;
use shared::testing::weights::FusedGate;
use shared::testing::{Tolerance, assert_tensors_close, grad_of, leaf, normal, param_grad, seeded};

const TOL: Tolerance = Tolerance::F32;
const BATCH: usize = 3;
const TIME: usize = 5;
const INPUT: usize = 4;
const HIDDEN: usize = 6;

/// burn's gate for block `block` of a fused `W` and `b`, as fresh leaves.
fn burn_gate(weight: &Tensor<2>, bias: &Tensor<1>, block: usize) -> GateController {
    FusedGate { input: INPUT, width: HIDDEN, block }.burn_gate(weight, bias)
}

/// Asserts burn's gate got the gradient blocks of our fused `dW` and `db`.
fn assert_gate_grads(
    what: &str,
    burn: &GateController,
    grads_wb: (&Tensor<2>, &Tensor<1>),
    block: usize,
    grads: &Gradients,
) {
    FusedGate { input: INPUT, width: HIDDEN, block }.assert_grads(what, burn, grads_wb, grads);
}

#[test]
fn our_lstm_matches_burns_outputs_state_and_gradients() {
    seeded(11, |device| {
        let ours = Lstm::new(INPUT, HIDDEN, device);
        let (weight, bias) = (ours.weight.val(), ours.bias.val());
        let mut burn = LstmConfig::new(INPUT, HIDDEN, true).init(device);
        burn.input_gate = burn_gate(&weight, &bias, 0);
        burn.forget_gate = Some(burn_gate(&weight, &bias, 1));
        burn.cell_gate = burn_gate(&weight, &bias, 2);
        burn.output_gate = burn_gate(&weight, &bias, 3);

        let x = normal([BATCH, TIME, INPUT], device);
        let (h0, c0) = (normal([BATCH, HIDDEN], device), normal([BATCH, HIDDEN], device));
        let r = normal([BATCH, TIME, HIDDEN], device);
        let r_c = normal([BATCH, HIDDEN], device);
        let loss = |outputs: Tensor<3>, c: Tensor<2>| (outputs * r.clone()).sum() + (c * r_c.clone()).sum();

        let (x_ours, x_burn) = (leaf(&x), leaf(&x));
        let (outputs, state) =
            ours.forward(x_ours.clone(), Some(LstmState { hidden: h0.clone(), cell: c0.clone() }));
        let (expected, burn_state) = burn.forward(x_burn.clone(), Some(BurnLstmState::new(c0, h0)));
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("final h", state.hidden, burn_state.hidden, TOL);
        assert_tensors_close("final c", state.cell.clone(), burn_state.cell.clone(), TOL);

        let grads = loss(outputs, state.cell).backward();
        let burn_grads = loss(expected, burn_state.cell).backward();
        assert_tensors_close(
            "dLoss/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_burn, &burn_grads),
            TOL,
        );
        let ours_grads = (&param_grad("W", &ours.weight, &grads), &param_grad("b", &ours.bias, &grads));
        let forget = burn.forget_gate.as_ref().expect("forget gate");
        for (name, burn_gate, block) in [
            ("input", &burn.input_gate, 0),
            ("forget", forget, 1),
            ("candidate", &burn.cell_gate, 2),
            ("output", &burn.output_gate, 3),
        ] {
            assert_gate_grads(name, burn_gate, ours_grads, block, &burn_grads);
        }
    });
}

#[test]
fn our_rnn_matches_burns_tanh_rnn() {
    seeded(12, |device| {
        let ours = Rnn::new(INPUT, HIDDEN, device);
        let mut burn = RnnConfig::new(INPUT, HIDDEN, true).init(device);
        burn.gate = burn_gate(&ours.weight.val(), &ours.bias.val(), 0);
        let x = normal([BATCH, TIME, INPUT], device);
        let h0 = normal([BATCH, HIDDEN], device);
        let r = normal([BATCH, TIME, HIDDEN], device);

        let (x_ours, x_burn) = (leaf(&x), leaf(&x));
        let (outputs, h_last) = ours.forward(x_ours.clone(), Some(h0.clone()));
        let (expected, burn_state) = burn.forward(x_burn.clone(), Some(RnnState { hidden: h0 }));
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("final h", h_last, burn_state.hidden, TOL);

        let grads = (outputs * r.clone()).sum().backward();
        let burn_grads = (expected * r).sum().backward();
        assert_tensors_close(
            "dLoss/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_burn, &burn_grads),
            TOL,
        );
        let ours_grads = (&param_grad("W", &ours.weight, &grads), &param_grad("b", &ours.bias, &grads));
        assert_gate_grads("tanh layer", &burn.gate, ours_grads, 0, &burn_grads);
    });
}

#[test]
fn the_fused_layer_computes_our_lstm_with_the_same_weights() {
    seeded(13, |device| {
        let ours =
            Lstm::from_weights(normal([INPUT + HIDDEN, 4 * HIDDEN], device), normal([4 * HIDDEN], device))
                .unwrap();
        let fused = ours.to_fused();

        let x = normal([BATCH, TIME, INPUT], device);
        let (h0, c0) = (normal([BATCH, HIDDEN], device), normal([BATCH, HIDDEN], device));
        let r = normal([BATCH, TIME, HIDDEN], device);
        let r_c = normal([BATCH, HIDDEN], device);
        let loss = |outputs: Tensor<3>, c: Tensor<2>| (outputs * r.clone()).sum() + (c * r_c.clone()).sum();

        let (x_ours, x_fused) = (leaf(&x), leaf(&x));
        let [h0_ours, c0_ours, h0_fused, c0_fused] = [&h0, &c0, &h0, &c0].map(leaf);
        let (outputs, state) =
            ours.forward(x_ours.clone(), Some(LstmState { hidden: h0_ours.clone(), cell: c0_ours.clone() }));
        let (expected, fused_state) = fused.forward_with_state(
            x_fused.clone(),
            Some(FusedState { hidden: h0_fused.clone(), cell: c0_fused.clone() }),
            &[],
        );
        assert_tensors_close("outputs", expected.clone(), outputs.clone(), TOL);
        assert_tensors_close("final h", fused_state.hidden, state.hidden, TOL);
        assert_tensors_close("final c", fused_state.cell.clone(), state.cell.clone(), TOL);

        let grads = loss(outputs, state.cell).backward();
        let fused_grads = loss(expected, fused_state.cell).backward();
        let d_x = grad_of("x", &x_ours, &grads);
        assert_tensors_close("dLoss/dx", grad_of("x", &x_fused, &fused_grads), d_x, TOL);
        for (name, ours_leaf, fused_leaf) in [("h_0", &h0_ours, &h0_fused), ("c_0", &c0_ours, &c0_fused)] {
            let expected = grad_of(name, ours_leaf, &grads);
            assert_tensors_close(name, grad_of(name, fused_leaf, &fused_grads), expected, TOL);
        }
        let d_weight = param_grad("W", &ours.weight, &grads);
        let d_input_weight = param_grad("W_ih", &fused.input_weight, &fused_grads);
        let d_hidden_weight = param_grad("W_hh", &fused.hidden_weight, &fused_grads);
        assert_tensors_close("dW, x rows", d_input_weight, d_weight.clone().narrow(0, 0, INPUT), TOL);
        assert_tensors_close("dW, h rows", d_hidden_weight, d_weight.narrow(0, INPUT, HIDDEN), TOL);
        let d_bias = param_grad("b", &fused.bias, &fused_grads);
        assert_tensors_close("db", d_bias, param_grad("b", &ours.bias, &grads), TOL);
    });
}
