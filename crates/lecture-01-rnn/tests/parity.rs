//! Our cells against burn's `Rnn`, `Lstm`, `BiLstm` and `Gru` with the same weights: equal outputs,
//! final states, and gradients w.r.t. the input and every weight.
//!
//! burn keeps one `GateController` per gate (an input and a hidden `Linear`, `x W + b`); ours keep
//! all gates in one fused matrix. Each burn gate gets its column block of our matrix (rows of `x`
//! for the input transform, rows of `h` for the hidden one) and our bias as its input bias.

use burn::module::Param;
use burn::nn::{
    BiLstmConfig, GateController, GruConfig, Lstm, LstmConfig, LstmState as BurnLstmState, RnnConfig,
    RnnState,
};
use burn::prelude::{Device, Tensor, s};
use burn::tensor::Gradients;
use lecture_01_rnn::bidirectional::Bidirectional;
use lecture_01_rnn::cell::RecurrentCell;
use lecture_01_rnn::gru_cell::{GruCell, GruCellConfig};
use lecture_01_rnn::lstm_cell::{Gate, LstmCell, LstmCellConfig, LstmState, LstmVariant};
use lecture_01_rnn::rnn_cell::RnnCellConfig;
use lecture_01_rnn::unroll::unroll;
use shared::testing::weights::{FusedGate, bias_block, column_block, gate};
use shared::testing::{Tolerance, assert_tensors_close, grad_of, leaf, normal, param_grad, seeded};

const TOL: Tolerance = Tolerance::F32;
const BATCH: usize = 3;
const TIME: usize = 5;
const INPUT: usize = 4;
const HIDDEN: usize = 6;

/// Asserts that burn's gate got the gradients of its blocks of our fused `W: [input + hidden, _]`
/// and `b`.
fn assert_gate_grads(
    what: &str,
    burn_gate: &GateController,
    grads_wb: (&Tensor<2>, &Tensor<1>),
    input: usize,
    block: usize,
    grads: &Gradients,
) {
    FusedGate { input, width: HIDDEN, block }.assert_grads(what, burn_gate, grads_wb, grads);
}

/// burn's gate for block `block` of our fused `W: [input + hidden, _]` and `b`.
fn burn_gate(weight: &Tensor<2>, bias: &Tensor<1>, input: usize, block: usize) -> GateController {
    FusedGate { input, width: HIDDEN, block }.burn_gate(weight, bias)
}

/// burn's `Lstm` computing the same as our vanilla or coupled cell.
fn burn_lstm(cell: &LstmCell, device: &Device) -> Lstm {
    let variant = cell.variant();
    let coupled = variant == LstmVariant::CoupledInputForget;
    let (weight, bias) = (cell.weight.val(), cell.bias.val());
    let block = |gate: Gate| burn_gate(&weight, &bias, INPUT, variant.block_of(gate).expect("gate"));
    let mut lstm = LstmConfig::new(INPUT, HIDDEN, true).with_input_forget(coupled).init(device);
    lstm.input_gate = block(Gate::Input);
    lstm.forget_gate = (!coupled).then(|| block(Gate::Forget));
    lstm.cell_gate = block(Gate::Candidate);
    lstm.output_gate = block(Gate::Output);
    lstm
}

/// Checks one of our LSTM cells against burn's, from zeros or from a random initial state.
fn check_lstm(variant: LstmVariant, from_random_state: bool) {
    seeded(11, |device| {
        let cell = LstmCellConfig::new(INPUT, HIDDEN).with_variant(variant).init(device);
        let lstm = burn_lstm(&cell, device);
        let x = normal([BATCH, TIME, INPUT], device);
        let (h0, c0) = (normal([BATCH, HIDDEN], device), normal([BATCH, HIDDEN], device));
        let r = normal([BATCH, TIME, HIDDEN], device);
        let (r_h, r_c) = (normal([BATCH, HIDDEN], device), normal([BATCH, HIDDEN], device));
        let loss = |outputs: Tensor<3>, h: Tensor<2>, c: Tensor<2>| {
            (outputs * r.clone()).sum() + (h * r_h.clone()).sum() + (c * r_c.clone()).sum()
        };

        let (x_ours, x_burn) = (leaf(&x), leaf(&x));
        let initial = from_random_state.then(|| LstmState { hidden: h0.clone(), cell: c0.clone() });
        let (outputs, state) = unroll(&cell, x_ours.clone(), initial);
        let initial = from_random_state.then(|| BurnLstmState::new(c0.clone(), h0.clone()));
        let (expected, burn_state) = lstm.forward(x_burn.clone(), initial);

        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("final h", state.hidden.clone(), burn_state.hidden.clone(), TOL);
        assert_tensors_close("final c", state.cell.clone(), burn_state.cell.clone(), TOL);

        let grads = loss(outputs, state.hidden, state.cell).backward();
        let burn_grads = loss(expected, burn_state.hidden, burn_state.cell).backward();
        assert_tensors_close(
            "dLoss/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_burn, &burn_grads),
            TOL,
        );
        let ours = (&param_grad("W", &cell.weight, &grads), &param_grad("b", &cell.bias, &grads));
        let mut gates = vec![("input", &lstm.input_gate, Gate::Input)];
        gates.extend(lstm.forget_gate.as_ref().map(|g| ("forget", g, Gate::Forget)));
        gates.push(("candidate", &lstm.cell_gate, Gate::Candidate));
        gates.push(("output", &lstm.output_gate, Gate::Output));
        for (name, burn_gate, gate) in gates {
            let block = variant.block_of(gate).expect("gate");
            assert_gate_grads(name, burn_gate, ours, INPUT, block, &burn_grads);
        }
    });
}

#[test]
fn vanilla_lstm_matches_burn_from_zero_state() {
    check_lstm(LstmVariant::Vanilla, false);
}

#[test]
fn vanilla_lstm_matches_burn_from_a_given_state() {
    check_lstm(LstmVariant::Vanilla, true);
}

#[test]
fn coupled_lstm_matches_burns_input_forget_lstm() {
    check_lstm(LstmVariant::CoupledInputForget, true);
}

#[test]
fn bidirectional_lstm_matches_burn_in_both_directions() {
    seeded(12, |device| {
        let new_cell = || LstmCellConfig::new(INPUT, HIDDEN).init(device);
        let ours = Bidirectional::new(new_cell(), new_cell()).unwrap();
        let mut bilstm = BiLstmConfig::new(INPUT, HIDDEN, true).init(device);
        bilstm.forward = burn_lstm(&ours.forward_cell, device);
        bilstm.reverse = burn_lstm(&ours.backward_cell, device);
        let x = normal([BATCH, TIME, INPUT], device);
        let r = normal([BATCH, TIME, 2 * HIDDEN], device);
        let r_state = normal([2, BATCH, HIDDEN], device);

        let (x_ours, x_burn) = (leaf(&x), leaf(&x));
        let out = ours.forward(x_ours.clone(), None);
        let (expected, burn_state) = bilstm.forward(x_burn.clone(), None);
        assert_tensors_close("outputs [→h, ←h]", out.outputs.clone(), expected.clone(), TOL);
        let hidden = Tensor::stack::<3>(vec![out.forward_state.hidden, out.backward_state.hidden], 0);
        let cell = Tensor::stack::<3>(vec![out.forward_state.cell, out.backward_state.cell], 0);
        assert_tensors_close("final h (forward, backward)", hidden.clone(), burn_state.hidden.clone(), TOL);
        assert_tensors_close("final c (forward, backward)", cell, burn_state.cell, TOL);

        let loss = |outputs: Tensor<3>, hidden: Tensor<3>| {
            (outputs * r.clone()).sum() + (hidden * r_state.clone()).sum()
        };
        let grads = loss(out.outputs, hidden).backward();
        let burn_grads = loss(expected, burn_state.hidden).backward();
        assert_tensors_close(
            "dLoss/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_burn, &burn_grads),
            TOL,
        );
        for (name, cell, lstm) in [
            ("forward", &ours.forward_cell, &bilstm.forward),
            ("backward", &ours.backward_cell, &bilstm.reverse),
        ] {
            let ours = (&param_grad("W", &cell.weight, &grads), &param_grad("b", &cell.bias, &grads));
            assert_gate_grads(&format!("{name} input gate"), &lstm.input_gate, ours, INPUT, 0, &burn_grads);
            let forget = lstm.forget_gate.as_ref().expect("forget gate");
            assert_gate_grads(&format!("{name} forget gate"), forget, ours, INPUT, 1, &burn_grads);
            assert_gate_grads(&format!("{name} candidate"), &lstm.cell_gate, ours, INPUT, 2, &burn_grads);
            assert_gate_grads(&format!("{name} output gate"), &lstm.output_gate, ours, INPUT, 3, &burn_grads);
        }
    });
}

/// burn's GRU gate for block `block`: `W_x`, `b` and `W_h` blocks; the candidate also gets `b_hn`.
/// Fresh leaves, detached after slicing (burn's `detach` keeps `require_grad`, so a slice of a
/// detached parameter would be a graph node, which a `Param` cannot hold).
fn burn_gru_gate(cell: &GruCell, block: usize) -> GateController {
    let columns = |p: &Param<Tensor<2>>| column_block(p.val(), block, HIDDEN).detach();
    let hidden_bias = (block == 2).then(|| cell.candidate_hidden_bias.val().detach());
    gate(
        columns(&cell.input_weight),
        Some(bias_block(cell.bias.val(), block, HIDDEN).detach()),
        columns(&cell.hidden_weight),
        hidden_bias,
    )
}

#[test]
fn gru_matches_burns_reset_after_gru() {
    seeded(13, |device| {
        let cell = GruCellConfig::new(INPUT, HIDDEN).init(device);
        let mut gru = GruConfig::new(INPUT, HIDDEN, true).init(device);
        assert!(gru.reset_after, "burn's default is reset after the hidden product");
        gru.update_gate = burn_gru_gate(&cell, 0);
        gru.reset_gate = burn_gru_gate(&cell, 1);
        gru.new_gate = burn_gru_gate(&cell, 2);
        let x = normal([BATCH, TIME, INPUT], device);
        let h0 = normal([BATCH, HIDDEN], device);
        let r = normal([BATCH, TIME, HIDDEN], device);

        let (x_ours, x_burn) = (leaf(&x), leaf(&x));
        let (outputs, h_final) = unroll(&cell, x_ours.clone(), Some(h0.clone()));
        let expected = gru.forward(x_burn.clone(), Some(h0));
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        let last = expected.clone().slice(s![.., TIME - 1..TIME, ..]).squeeze_dim(1);
        assert_tensors_close("final h", h_final, last, TOL);

        let grads = (outputs * r.clone()).sum().backward();
        let burn_grads = (expected * r).sum().backward();
        assert_tensors_close(
            "dLoss/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_burn, &burn_grads),
            TOL,
        );
        let [w_x, w_h] = [&cell.input_weight, &cell.hidden_weight].map(|w| param_grad("W", w, &grads));
        let b = param_grad("b", &cell.bias, &grads);
        for (name, burn_gate, block) in
            [("update", &gru.update_gate, 0), ("reset", &gru.reset_gate, 1), ("candidate", &gru.new_gate, 2)]
        {
            let grad = |p: &Param<Tensor<2>>| -> Tensor<2> { param_grad(name, p, &burn_grads) };
            let bias = burn_gate.input_transform.bias.as_ref().expect("input bias");
            assert_tensors_close(
                name,
                grad(&burn_gate.input_transform.weight),
                column_block(w_x.clone(), block, HIDDEN),
                TOL,
            );
            assert_tensors_close(
                name,
                grad(&burn_gate.hidden_transform.weight),
                column_block(w_h.clone(), block, HIDDEN),
                TOL,
            );
            assert_tensors_close(
                name,
                param_grad(name, bias, &burn_grads),
                bias_block(b.clone(), block, HIDDEN),
                TOL,
            );
        }
        let b_hn = gru.new_gate.hidden_transform.bias.as_ref().expect("b_hn");
        assert_tensors_close(
            "dLoss/db_hn",
            param_grad("b_hn", b_hn, &burn_grads),
            param_grad("b_hn", &cell.candidate_hidden_bias, &grads),
            TOL,
        );
    });
}

#[test]
fn rnn_matches_burns_rnn() {
    seeded(14, |device| {
        let cell = RnnCellConfig::new(INPUT, HIDDEN).init(device);
        let mut rnn = RnnConfig::new(INPUT, HIDDEN, true).init(device);
        rnn.gate = gate(
            cell.input_weight.val().detach(),
            Some(cell.bias.val().detach()),
            cell.hidden_weight.val().detach(),
            None,
        );
        let x = normal([BATCH, TIME, INPUT], device);
        let h0 = normal([BATCH, HIDDEN], device);
        let r = normal([BATCH, TIME, HIDDEN], device);

        let (x_ours, x_burn) = (leaf(&x), leaf(&x));
        let (outputs, h_final) = unroll(&cell, x_ours.clone(), Some(h0.clone()));
        let (expected, burn_state) = rnn.forward(x_burn.clone(), Some(RnnState::new(h0)));
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("final h", h_final, burn_state.hidden, TOL);

        let grads = (outputs * r.clone()).sum().backward();
        let burn_grads = (expected * r).sum().backward();
        assert_tensors_close(
            "dLoss/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_burn, &burn_grads),
            TOL,
        );
        for (name, ours, theirs) in [
            ("W_x", &cell.input_weight, &rnn.gate.input_transform.weight),
            ("W_h", &cell.hidden_weight, &rnn.gate.hidden_transform.weight),
        ] {
            assert_tensors_close(
                name,
                param_grad(name, ours, &grads),
                param_grad(name, theirs, &burn_grads),
                TOL,
            );
        }
        let bias = rnn.gate.input_transform.bias.as_ref().expect("bias");
        assert_tensors_close(
            "b",
            param_grad("b", &cell.bias, &grads),
            param_grad("b", bias, &burn_grads),
            TOL,
        );
        assert_eq!(cell.hidden_size(), HIDDEN);
    });
}
