//! Our layers against burn's own modules with the same weights: equal outputs and gradients.
//!
//! - A tanh highway layer is a GRU step without reset gate and without input: burn's `Gru`,
//!   given a zero input, a reset gate saturated at 1 (bias 100: σ(100) = 1 in f32), update-gate
//!   weights `-W_T, -b_T` and candidate weights `W_H, b_H`, started from the state `x`, computes
//!   the highway layer's output; run for several steps it computes a tied highway net.
//! - Our Grid-LSTM cell is burn's `Lstm` step, and each dimension of a 2-D or 3-D Grid block is
//!   burn's `Lstm` reading the other dimensions' hidden vectors as its input.
//! - A one-layer stacked LSTM network ([`Grid2dLstm`] without depth LSTM) is burn's `Lstm` run
//!   over the embedded sequence.

use burn::nn::{Gru, GruConfig, LstmConfig, LstmState};
use burn::prelude::{Device, Int, Tensor, TensorData};
use lecture_06_highway_grid_lstm::grid_block::{Edge, GridBlock};
use lecture_06_highway_grid_lstm::grid2d::{DepthLink, Grid2dLstm, GridLayer};
use lecture_06_highway_grid_lstm::highway::HighwayLayer;
use lecture_06_highway_grid_lstm::highway_gru::ResetlessGruCell;
use lecture_06_highway_grid_lstm::layer::Activation;
use lecture_06_highway_grid_lstm::lstm::LstmCell;
use shared::testing::weights::{bias_block, column_block, gate, linear};
use shared::testing::{Tolerance, assert_tensors_close, grad_of, leaf, normal, param_grad, seeded};

const TOL: Tolerance = Tolerance::F32;
const BATCH: usize = 3;
const WIDTH: usize = 5;

/// A tanh highway layer with a random fused `[W_H, W_T]`, `[b_H, b_T]` (fresh leaves).
fn highway(device: &Device) -> HighwayLayer {
    let weight = leaf(&normal([WIDTH, 2 * WIDTH], device).mul_scalar(0.5));
    let bias = leaf(&normal([2 * WIDTH], device));
    HighwayLayer::from_linear(linear(weight, Some(bias)), Activation::Tanh)
}

/// burn's `Gru` (input size 1, fed zeros) that computes `layer`'s map as one step.
fn burn_gru_of(layer: &HighwayLayer, device: &Device) -> Gru {
    let fused = &layer.transform_and_gate;
    let (w, b) = (fused.weight.val().detach(), fused.bias.as_ref().unwrap().val().detach());
    let zero_input = || Tensor::<2>::zeros([1, WIDTH], device);
    let mut gru = GruConfig::new(1, WIDTH, true).init(device);
    gru.update_gate = gate(
        zero_input(),
        None,
        leaf(&-column_block(w.clone(), 1, WIDTH)),
        Some(leaf(&-bias_block(b.clone(), 1, WIDTH))),
    );
    gru.reset_gate = gate(
        zero_input(),
        Some(Tensor::full([WIDTH], 100.0, device)),
        Tensor::zeros([WIDTH, WIDTH], device),
        None,
    );
    gru.new_gate =
        gate(zero_input(), None, leaf(&column_block(w, 0, WIDTH)), Some(leaf(&bias_block(b, 0, WIDTH))));
    gru
}

#[test]
fn a_highway_layer_is_a_gru_step_without_reset_gate_and_input() {
    let (layer, x, r) = seeded(1, |d| (highway(d), normal([BATCH, WIDTH], d), normal([BATCH, WIDTH], d)));
    let device = x.device();
    let gru = burn_gru_of(&layer, &device);
    let ours = ResetlessGruCell::from_highway(&layer).unwrap();

    let (x_highway, x_gru) = (leaf(&x), leaf(&x));
    let y = layer.forward(x_highway.clone());
    let zeros = Tensor::<3>::zeros([BATCH, 1, 1], &device);
    let y_gru = gru.forward(zeros, Some(x_gru.clone())).squeeze_dim::<2>(1);
    assert_tensors_close("highway vs burn Gru step", y.clone(), y_gru.clone(), TOL);
    assert_tensors_close("highway vs our resetless GRU", y.clone(), ours.step(x.clone()), TOL);

    let grads = (y * r.clone()).sum().backward();
    let grads_gru = (y_gru * r).sum().backward();
    assert_tensors_close("dL/dx", grad_of("x", &x_highway, &grads), grad_of("x", &x_gru, &grads_gru), TOL);
    let dw = param_grad("W", &layer.transform_and_gate.weight, &grads);
    let db = param_grad("b", layer.transform_and_gate.bias.as_ref().unwrap(), &grads);
    let new = &gru.new_gate.hidden_transform;
    let update = &gru.update_gate.hidden_transform;
    assert_tensors_close(
        "dL/dW_H",
        column_block(dw.clone(), 0, WIDTH),
        param_grad("W_n", &new.weight, &grads_gru),
        TOL,
    );
    assert_tensors_close(
        "dL/db_H",
        bias_block(db.clone(), 0, WIDTH),
        param_grad("b_n", new.bias.as_ref().unwrap(), &grads_gru),
        TOL,
    );
    // W_z = -W_T, so dL/dW_T = -dL/dW_z.
    assert_tensors_close(
        "dL/dW_T",
        column_block(dw, 1, WIDTH),
        -param_grad("W_z", &update.weight, &grads_gru),
        TOL,
    );
    assert_tensors_close(
        "dL/db_T",
        bias_block(db, 1, WIDTH),
        -param_grad("b_z", update.bias.as_ref().unwrap(), &grads_gru),
        TOL,
    );
}

#[test]
fn a_tied_highway_net_is_a_gru_run_over_depth() {
    let (layer, x) = seeded(2, |d| (highway(d), normal([BATCH, WIDTH], d)));
    let device = x.device();
    let depth = 4;
    let stacked = (0..depth).fold(x.clone(), |h, _| layer.forward(h));
    let ours = ResetlessGruCell::from_highway(&layer).unwrap().run(x.clone(), depth);
    let gru = burn_gru_of(&layer, &device).forward(Tensor::zeros([BATCH, depth, 1], &device), Some(x));
    let last = gru.narrow(1, depth - 1, 1).squeeze_dim::<2>(1);
    assert_tensors_close("tied highway net vs burn Gru over 4 steps", stacked.clone(), last, TOL);
    assert_tensors_close("tied highway net vs our resetless GRU", stacked, ours, TOL);
}

#[test]
fn only_a_tanh_highway_layer_is_a_gru_step() {
    let layer = seeded(3, |d| HighwayLayer::new(WIDTH, Activation::Relu, -2.0, d));
    let err = ResetlessGruCell::from_highway(&layer).unwrap_err().to_string();
    assert!(err.contains("tanh"), "{err}");
}

/// burn's `Lstm` whose step reads `input_rows` of our `H` as its input and `hidden_rows` as its
/// hidden state, with our cell's weights.
fn burn_lstm_of(
    cell: &LstmCell,
    input_rows: &[std::ops::Range<usize>],
    hidden_rows: std::ops::Range<usize>,
) -> burn::nn::Lstm {
    let w = cell.gates.weight.val().detach();
    let b = cell.gates.bias.as_ref().unwrap().val().detach();
    let hidden = cell.hidden();
    let device = w.device();
    let d_input: usize = input_rows.iter().map(|r| r.len()).sum();
    let rows = |ranges: &[std::ops::Range<usize>], block: usize| {
        let parts = ranges
            .iter()
            .map(|r| column_block(w.clone(), block, hidden).slice([r.clone(), 0..hidden]))
            .collect();
        leaf(&Tensor::cat(parts, 0))
    };
    let gate_of = |block: usize| {
        gate(
            rows(input_rows, block),
            Some(leaf(&bias_block(b.clone(), block, hidden))),
            rows(std::slice::from_ref(&hidden_rows), block),
            None,
        )
    };
    let mut lstm = LstmConfig::new(d_input, hidden, true).init(&device);
    lstm.input_gate = gate_of(0);
    lstm.forget_gate = Some(gate_of(1));
    lstm.cell_gate = gate_of(2);
    lstm.output_gate = gate_of(3);
    lstm
}

#[test]
fn the_grid_lstm_cell_is_burns_lstm_step() {
    let (input, hidden) = (4, WIDTH);
    let (cell, x, h, m, r) = seeded(4, |d| {
        let cell = LstmCell::new(input + hidden, hidden, d);
        (
            cell,
            normal([BATCH, input], d),
            normal([BATCH, hidden], d),
            normal([BATCH, hidden], d),
            normal([BATCH, hidden], d),
        )
    });
    let lstm = burn_lstm_of(&cell, std::slice::from_ref(&(0..input)), input..input + hidden);
    let (x1, h1, m1) = (leaf(&x), leaf(&h), leaf(&m));
    let (x2, h2, m2) = (leaf(&x), leaf(&h), leaf(&m));
    let (h_ours, m_ours) = cell.forward(Tensor::cat(vec![x1.clone(), h1.clone()], 1), m1.clone());
    let (_, state) = lstm.forward(x2.clone().unsqueeze_dim(1), Some(LstmState::new(m2.clone(), h2.clone())));
    assert_tensors_close("h'", h_ours.clone(), state.hidden.clone(), TOL);
    assert_tensors_close("m'", m_ours.clone(), state.cell.clone(), TOL);
    let ours = ((h_ours + m_ours) * r.clone()).sum().backward();
    let theirs = ((state.hidden + state.cell) * r).sum().backward();
    for (name, a, b) in [("dL/dx", &x1, &x2), ("dL/dh", &h1, &h2), ("dL/dm", &m1, &m2)] {
        assert_tensors_close(name, grad_of(name, a, &ours), grad_of(name, b, &theirs), TOL);
    }
    let dw = param_grad("W", &cell.gates.weight, &ours);
    for (block, burn_gate) in
        [&lstm.input_gate, lstm.forget_gate.as_ref().unwrap(), &lstm.cell_gate, &lstm.output_gate]
            .into_iter()
            .enumerate()
    {
        let ours = column_block(dw.clone(), block, hidden);
        assert_tensors_close(
            &format!("dL/dW block {block}, rows of x"),
            ours.clone().slice([0..input, 0..hidden]),
            param_grad("W_x", &burn_gate.input_transform.weight, &theirs),
            TOL,
        );
        assert_tensors_close(
            &format!("dL/dW block {block}, rows of h"),
            ours.slice([input..input + hidden, 0..hidden]),
            param_grad("W_h", &burn_gate.hidden_transform.weight, &theirs),
            TOL,
        );
    }
}

/// Each dimension `d` of an N-D block is burn's LSTM step with the other dimensions' hidden
/// vectors as input and `(h_d, m_d)` as state.
fn check_grid_block(dims: usize, seed: u64) {
    let (block, edges) = seeded(seed, |d| {
        let block = GridBlock::new(dims, WIDTH, d);
        let edges: Vec<Edge> = (0..dims)
            .map(|_| Edge { hidden: normal([BATCH, WIDTH], d), memory: normal([BATCH, WIDTH], d) })
            .collect();
        (block, edges)
    });
    let outgoing = block.forward(&edges).unwrap();
    assert_eq!(outgoing.len(), dims);
    let rows = |j: usize| j * WIDTH..(j + 1) * WIDTH;
    for (d, (cell, out)) in block.cells.iter().zip(&outgoing).enumerate() {
        let others: Vec<usize> = (0..dims).filter(|&j| j != d).collect();
        let lstm = burn_lstm_of(cell, &others.iter().map(|&j| rows(j)).collect::<Vec<_>>(), rows(d));
        let input = Tensor::cat(others.iter().map(|&j| edges[j].hidden.clone()).collect(), 1);
        let state = LstmState::new(edges[d].memory.clone(), edges[d].hidden.clone());
        let (_, state) = lstm.forward(input.unsqueeze_dim(1), Some(state));
        assert_tensors_close(&format!("{dims}-D block, h'_{d}"), out.hidden.clone(), state.hidden, TOL);
        assert_tensors_close(&format!("{dims}-D block, m'_{d}"), out.memory.clone(), state.cell, TOL);
    }
}

#[test]
fn every_dimension_of_a_2d_and_a_3d_grid_block_is_an_lstm_step() {
    check_grid_block(2, 5);
    check_grid_block(3, 6);
}

#[test]
fn a_grid_block_rejects_the_wrong_number_of_edges() {
    let (block, edge) = seeded(7, |d| {
        (GridBlock::new(2, WIDTH, d), Edge { hidden: normal([1, WIDTH], d), memory: normal([1, WIDTH], d) })
    });
    let err = block.forward(&[edge]).unwrap_err().to_string();
    assert!(err.contains("2-D") && err.contains("got 1"), "{err}");
}

#[test]
fn a_one_layer_stacked_network_is_burns_lstm_over_the_sequence() {
    let net = seeded(9, |d| Grid2dLstm::new(DepthLink::Stacked, 7, WIDTH, 1, d));
    let device = net.embedding.weight.val().device();
    let tokens =
        Tensor::<2, Int>::from_data(TensorData::new(vec![1i64, 4, 2, 6, 0, 3, 3, 5], [2, 4]), &device);
    let GridLayer::Stacked(cell) = &net.layers[0] else { panic!("a stacked layer") };
    // Our cell reads H = [h_time, x_t]: rows 0..WIDTH are burn's hidden, the rest its input.
    let lstm = burn_lstm_of(cell, std::slice::from_ref(&(WIDTH..2 * WIDTH)), 0..WIDTH);
    let (hidden, _) = lstm.forward(net.embedding.forward(tokens.clone()), None);
    let expected = net.readout.forward(hidden);
    assert_tensors_close("logits [batch, time, vocab]", net.forward(tokens).unwrap(), expected, TOL);
}
