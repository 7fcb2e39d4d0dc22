//! Our cells unrolled step by step against `shared::recurrent`'s fused layers holding the same
//! weights: equal outputs, final states, and gradients w.r.t. the input and every weight.
//!
//! The fused LSTM takes our stacked `W = [W_ih; W_hh]` as it is; the fused GRU takes our blocks
//! `z, r, n` reordered to `r, z, n` and `b_hn` as the candidate block of its hidden bias (see
//! `lecture_01_rnn::fused`).

use burn::prelude::Tensor;
use burn::tensor::DType;
use lecture_01_rnn::any_cell::{AnyCell, AnyState, CellKind};
use lecture_01_rnn::cell::RecurrentCell;
use lecture_01_rnn::fused::{fused_gru, fused_lstm, gru_sequence, lstm_sequence, reset_first};
use lecture_01_rnn::gru_cell::GruCellConfig;
use lecture_01_rnn::lstm_cell::{LstmCellConfig, LstmState};
use lecture_01_rnn::unroll::unroll;
use shared::backend::BackendKind;
use shared::recurrent::extension::has_kernels;
use shared::testing::{Tolerance, assert_tensors_close, grad_of, leaf, normal, param_grad, seeded};

const TOL: Tolerance = Tolerance::F32;
const BATCH: usize = 3;
const TIME: usize = 7;
const INPUT: usize = 4;
const HIDDEN: usize = 6;
/// `[batch, time, input, hidden]`: a small case, and the sizes of the experiments' layers (the
/// fused kernels split large batches between threads).
const SIZES: [[usize; 4]; 2] = [[BATCH, TIME, INPUT, HIDDEN], [32, 5, 32, 64]];

#[test]
fn fused_lstm_matches_the_unrolled_cell_with_the_same_weights() {
    for sizes in SIZES {
        check_lstm(sizes);
    }
}

#[test]
fn fused_gru_matches_the_unrolled_cell_with_the_same_weights() {
    for sizes in SIZES {
        check_gru(sizes);
    }
}

/// On flex the test device runs the fused layers' own kernels, elsewhere the composed steps.
#[test]
fn the_tests_run_the_fused_kernels() {
    // The kernels are flex's; wgpu and ndarray run the composed steps, which the parity tests
    // above then check instead.
    let flex = BackendKind::from_env().unwrap() == BackendKind::Flex;
    seeded(20, |device| assert_eq!(has_kernels(device, DType::F32), flex, "fused kernels on {device:?}"));
}

fn check_lstm([batch, time, input, hidden]: [usize; 4]) {
    seeded(21, |device| {
        let cell = LstmCellConfig::new(input, hidden).init(device);
        let layer = fused_lstm(&cell);
        let x = normal([batch, time, input], device);
        let state =
            LstmState { hidden: normal([batch, hidden], device), cell: normal([batch, hidden], device) };
        let r = normal([batch, time, hidden], device);
        let (r_h, r_c) = (normal([batch, hidden], device), normal([batch, hidden], device));
        let loss = |outputs: Tensor<3>, last: LstmState| {
            (outputs * r.clone()).sum() + (last.hidden * r_h.clone()).sum() + (last.cell * r_c.clone()).sum()
        };

        let (x_cell, x_fused) = (leaf(&x), leaf(&x));
        let (outputs, last) = unroll(&cell, x_cell.clone(), Some(state.clone()));
        let (fused_outputs, fused_last) = lstm_sequence(&layer, x_fused.clone(), Some(state));
        assert_tensors_close("outputs", fused_outputs.clone(), outputs.clone(), TOL);
        assert_tensors_close("final h", fused_last.hidden.clone(), last.hidden.clone(), TOL);
        assert_tensors_close("final c", fused_last.cell.clone(), last.cell.clone(), TOL);

        let grads = loss(outputs, last).backward();
        let fused_grads = loss(fused_outputs, fused_last).backward();
        let dx = grad_of("x", &x_cell, &grads);
        assert_tensors_close("dLoss/dx", grad_of("x", &x_fused, &fused_grads), dx, TOL);
        let fused_dw = Tensor::cat(
            vec![
                param_grad("W_ih", &layer.input_weight, &fused_grads),
                param_grad("W_hh", &layer.hidden_weight, &fused_grads),
            ],
            0,
        );
        assert_tensors_close("dLoss/dW", fused_dw, param_grad("W", &cell.weight, &grads), TOL);
        assert_tensors_close(
            "dLoss/db",
            param_grad("b", &layer.bias, &fused_grads),
            param_grad("b", &cell.bias, &grads),
            TOL,
        );
    });
}

fn check_gru([batch, time, input, hidden]: [usize; 4]) {
    seeded(22, |device| {
        let cell = GruCellConfig::new(input, hidden).init(device);
        let layer = fused_gru(&cell);
        let x = normal([batch, time, input], device);
        let h0 = normal([batch, hidden], device);
        let (r, r_h) = (normal([batch, time, hidden], device), normal([batch, hidden], device));
        let loss =
            |outputs: Tensor<3>, last: Tensor<2>| (outputs * r.clone()).sum() + (last * r_h.clone()).sum();

        let (x_cell, x_fused) = (leaf(&x), leaf(&x));
        let (outputs, last) = unroll(&cell, x_cell.clone(), Some(h0.clone()));
        let (fused_outputs, fused_last) = gru_sequence(&layer, x_fused.clone(), Some(h0));
        assert_tensors_close("outputs", fused_outputs.clone(), outputs.clone(), TOL);
        assert_tensors_close("final h", fused_last.clone(), last.clone(), TOL);

        let grads = loss(outputs, last).backward();
        let fused_grads = loss(fused_outputs, fused_last).backward();
        let dx = grad_of("x", &x_cell, &grads);
        assert_tensors_close("dLoss/dx", grad_of("x", &x_fused, &fused_grads), dx, TOL);
        // The fused blocks are r, z, n: swapping the first two back gives our z, r, n.
        for (name, fused, ours) in [
            ("dLoss/dW_x", &layer.input_weight, &cell.input_weight),
            ("dLoss/dW_h", &layer.hidden_weight, &cell.hidden_weight),
        ] {
            let fused = reset_first(param_grad(name, fused, &fused_grads), 1);
            assert_tensors_close(name, fused, param_grad(name, ours, &grads), TOL);
        }
        assert_tensors_close(
            "dLoss/db",
            reset_first(param_grad("b_ih", &layer.input_bias, &fused_grads), 0),
            param_grad("b", &cell.bias, &grads),
            TOL,
        );
        assert_tensors_close(
            "dLoss/db_hn",
            param_grad("b_hh", &layer.hidden_bias, &fused_grads).narrow(0, 2 * hidden, hidden),
            param_grad("b_hn", &cell.candidate_hidden_bias, &grads),
            TOL,
        );
    });
}

#[test]
fn a_fused_kind_starts_from_the_weights_of_its_cell_kind() {
    let outputs = |kind: CellKind| {
        seeded(23, |device| {
            let cell = kind.init(INPUT, HIDDEN, device);
            cell.unroll(normal([BATCH, TIME, INPUT], device), None).0.inner()
        })
    };
    assert_tensors_close("LSTM", outputs(CellKind::FusedLstm), outputs(CellKind::LSTM), TOL);
    assert_tensors_close("GRU", outputs(CellKind::FusedGru), outputs(CellKind::Gru), TOL);
}

#[test]
fn a_fused_layer_stepped_one_step_at_a_time_gives_the_whole_sequence_run() {
    seeded(24, |device| {
        for kind in [CellKind::FusedLstm, CellKind::FusedGru] {
            let cell = kind.init(INPUT, HIDDEN, device);
            let x = normal([BATCH, TIME, INPUT], device);
            let (stepped, stepped_state) = unroll(&cell, x.clone(), None);
            let (whole, whole_state) = cell.unroll(x, None);
            assert_tensors_close(&format!("{kind} outputs"), whole, stepped, TOL);
            let final_h = |state: &AnyState| AnyCell::hidden(state);
            assert_tensors_close(
                &format!("{kind} final h"),
                final_h(&whole_state),
                final_h(&stepped_state),
                TOL,
            );
        }
    });
}

/// Evaluation runs on the device without autodiff, where the kernels have a forward of their own.
#[test]
fn the_fused_layers_match_the_cells_without_autodiff_too() {
    seeded(25, |device| {
        let plain = device.clone().inner();
        for [batch, time, input, hidden] in SIZES {
            let cell = GruCellConfig::new(input, hidden).init(&plain);
            let layer = fused_gru(&cell);
            let x = normal([batch, time, input], &plain);
            let (a, _) = unroll(&cell, x.clone(), None);
            let (b, _) = gru_sequence(&layer, x, None);
            assert_tensors_close("plain gru", b, a, TOL);
            let cell = LstmCellConfig::new(input, hidden).init(&plain);
            let layer = fused_lstm(&cell);
            let x = normal([batch, time, input], &plain);
            let (a, _) = unroll(&cell, x.clone(), None);
            let (b, _) = lstm_sequence(&layer, x, None);
            assert_tensors_close("plain lstm", b, a, TOL);
        }
    });
}
