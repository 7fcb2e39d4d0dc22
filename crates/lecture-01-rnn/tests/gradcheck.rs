//! Autodiff gradients of every cell, variant and wrapper against central finite differences.
//!
//! Each check differentiates `f = Σ (model(x) ⊙ r)` for a fixed random `r`, so every output element
//! reaches the gradient with its own weight (batch 2, input 3, hidden 4, time 3).

use burn::prelude::{Device, Tensor};
use lecture_01_rnn::any_cell::{AnyCell, CellKind};
use lecture_01_rnn::bidirectional::BidirectionalConfig;
use lecture_01_rnn::cell::RecurrentCell;
use lecture_01_rnn::gru_cell::{GruCell, GruCellConfig};
use lecture_01_rnn::lstm_cell::{LstmCell, LstmCellConfig, LstmVariant};
use lecture_01_rnn::pyramidal::PyramidalRnnConfig;
use lecture_01_rnn::rnn_cell::{RnnCell, RnnCellConfig};
use lecture_01_rnn::stacked::StackedRnnConfig;
use lecture_01_rnn::unroll::unroll;
use shared::testing::{gradcheck, normal, seeded};

const BATCH: usize = 2;
const INPUT: usize = 3;
const HIDDEN: usize = 4;
const TIME: usize = 3;

/// A model built inside `seeded`, an input `[BATCH, time, INPUT]` and a projection `r` of `out_shape`.
fn setup<M>(
    seed: u64,
    time: usize,
    out_shape: [usize; 3],
    build: impl FnOnce(&Device) -> M,
) -> (M, Tensor<3>, Tensor<3>) {
    seeded(seed, |device| (build(device), normal([BATCH, time, INPUT], device), normal(out_shape, device)))
}

#[track_caller]
fn check_input_gradient<C: RecurrentCell>(name: &str, cell: &C, x: Tensor<3>, r: Tensor<3>) {
    gradcheck(|x| (unroll(cell, x, None).0 * r.clone()).sum(), x).unwrap_or_else(|e| panic!("{name}: {e}"));
}

#[test]
fn every_cell_and_variant_has_correct_input_gradients() {
    let kinds = [CellKind::Rnn, CellKind::Gru].into_iter().chain(LstmVariant::ALL.map(CellKind::Lstm));
    for (seed, kind) in kinds.enumerate() {
        let (cell, x, r) = setup(seed as u64, TIME, [BATCH, TIME, HIDDEN], |d| kind.init(INPUT, HIDDEN, d));
        check_input_gradient(&kind.to_string(), &cell, x, r);
    }
}

#[test]
fn every_lstm_variant_has_correct_weight_gradients() {
    for variant in LstmVariant::ALL {
        let (cell, x, r) = setup(20, TIME, [BATCH, TIME, HIDDEN], |d| {
            LstmCellConfig::new(INPUT, HIDDEN).with_variant(variant).init(d)
        });
        let peepholes = cell.peepholes.as_ref().map(|p| [p.input.val(), p.forget.val(), p.output.val()]);
        let bias = cell.bias.val();
        let with_weight = |w: Tensor<2>| {
            let cell = LstmCell::from_weights(variant, w, bias.clone(), peepholes.clone()).expect("weights");
            (unroll(&cell, x.clone(), None).0 * r.clone()).sum()
        };
        gradcheck(with_weight, cell.weight.val()).unwrap_or_else(|e| panic!("{variant:?} dW: {e}"));
        let with_bias = |b: Tensor<1>| {
            let cell =
                LstmCell::from_weights(variant, cell.weight.val(), b, peepholes.clone()).expect("weights");
            (unroll(&cell, x.clone(), None).0 * r.clone()).sum()
        };
        gradcheck(with_bias, cell.bias.val()).unwrap_or_else(|e| panic!("{variant:?} db: {e}"));
    }
}

#[test]
fn lstm_peephole_weights_have_correct_gradients() {
    let (cell, x, r) = setup(21, TIME, [BATCH, TIME, HIDDEN], |d| {
        LstmCellConfig::new(INPUT, HIDDEN).with_variant(LstmVariant::Peepholes).init(d)
    });
    let p = cell.peepholes.as_ref().expect("peepholes");
    let (p_i, p_f, p_o) = (p.input.val(), p.forget.val(), p.output.val());
    let f = |peepholes: [Tensor<1>; 3]| {
        let cell = LstmCell::from_weights(
            LstmVariant::Peepholes,
            cell.weight.val(),
            cell.bias.val(),
            Some(peepholes),
        )
        .expect("weights");
        (unroll(&cell, x.clone(), None).0 * r.clone()).sum()
    };
    gradcheck(|p| f([p, p_f.clone(), p_o.clone()]), p_i.clone()).expect("p_i");
    gradcheck(|p| f([p_i.clone(), p, p_o.clone()]), p_f.clone()).expect("p_f");
    gradcheck(|p| f([p_i.clone(), p_f.clone(), p]), p_o.clone()).expect("p_o");
}

#[test]
fn gru_and_rnn_recurrent_weights_have_correct_gradients() {
    let (gru, x, r) = setup(22, TIME, [BATCH, TIME, HIDDEN], |d| GruCellConfig::new(INPUT, HIDDEN).init(d));
    let with_hidden_weight = |w: Tensor<2>| {
        let cell =
            GruCell::from_weights(gru.input_weight.val(), w, gru.bias.val(), gru.candidate_hidden_bias.val())
                .expect("weights");
        (unroll(&cell, x.clone(), None).0 * r.clone()).sum()
    };
    gradcheck(with_hidden_weight, gru.hidden_weight.val()).expect("GRU W_h");
    let with_candidate_bias = |b_hn: Tensor<1>| {
        let cell =
            GruCell::from_weights(gru.input_weight.val(), gru.hidden_weight.val(), gru.bias.val(), b_hn)
                .expect("weights");
        (unroll(&cell, x.clone(), None).0 * r.clone()).sum()
    };
    gradcheck(with_candidate_bias, gru.candidate_hidden_bias.val()).expect("GRU b_hn");

    let (rnn, x, r) = setup(23, TIME, [BATCH, TIME, HIDDEN], |d| RnnCellConfig::new(INPUT, HIDDEN).init(d));
    let with_hidden_weight = |w: Tensor<2>| {
        let cell = RnnCell::from_weights(rnn.input_weight.val(), w, rnn.bias.val()).expect("weights");
        (unroll(&cell, x.clone(), None).0 * r.clone()).sum()
    };
    gradcheck(with_hidden_weight, rnn.hidden_weight.val()).expect("RNN W_h");
}

#[test]
fn stacked_rnn_has_correct_input_gradients() {
    let (stack, x, r) = setup(30, TIME, [BATCH, TIME, HIDDEN], |d| {
        StackedRnnConfig::new(CellKind::LSTM, INPUT, HIDDEN, 2).init(d).expect("stack")
    });
    check_input_gradient("stacked LSTM", &stack, x, r);
}

#[test]
fn bidirectional_rnn_has_correct_input_gradients() {
    let (layer, x, r) = setup(31, TIME, [BATCH, TIME, 2 * HIDDEN], |d| {
        BidirectionalConfig::new(CellKind::Gru, INPUT, HIDDEN).init(d)
    });
    gradcheck(|x| (layer.forward(x, None).outputs * r.clone()).sum(), x).expect("bidirectional GRU");
}

#[test]
fn pyramidal_rnn_has_correct_input_gradients() {
    let (pyramid, x, r) = setup(32, 4, [BATCH, 1, HIDDEN], |d| {
        PyramidalRnnConfig::new(CellKind::LSTM, INPUT, HIDDEN, 2).init(d).expect("pyramid")
    });
    let f = |x| (pyramid.forward(x).expect("length 4 is a multiple of 4").0 * r.clone()).sum();
    gradcheck(f, x).expect("pyramidal LSTM");
}

#[test]
fn any_cell_exposes_the_same_gradients_as_the_cell_it_wraps() {
    let (cell, x, r) = setup(33, TIME, [BATCH, TIME, HIDDEN], |d| LstmCellConfig::new(INPUT, HIDDEN).init(d));
    let direct = gradcheck(|x| (unroll(&cell, x, None).0 * r.clone()).sum(), x.clone()).expect("LstmCell");
    let wrapped = AnyCell::Lstm(cell);
    let via_any = gradcheck(|x| (unroll(&wrapped, x, None).0 * r.clone()).sum(), x).expect("AnyCell");
    assert_eq!(direct.analytic, via_any.analytic);
}
