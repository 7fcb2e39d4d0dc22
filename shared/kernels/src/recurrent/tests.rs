//! The fused layers against the step-by-step composition, burn's `Lstm` / `Gru` and finite
//! differences, on the test backend (`LECTURE_BACKEND`; the kernels run on flex).

use super::composed;
use super::gru::input_projection;
use super::{FusedGru, FusedGruConfig, FusedLstm, FusedLstmConfig, LstmState};
use burn::module::{Module, Param};
use burn::nn::{GruConfig, LstmConfig};
use burn::prelude::{Device, Tensor};
use shared_testing::weights::{bias_block, column_block, gate};
use shared_testing::{Tolerance, assert_tensors_close, grad_of, gradcheck, leaf, normal, param_grad, seeded};

const TOL: Tolerance = Tolerance::new(1e-4, 2e-5);

/// `Σ outputs ⊙ r` for a fixed random `r`: every output element reaches the gradient.
fn projection(outputs: Tensor<3>, r: &Tensor<3>) -> Tensor<1> {
    (outputs * r.clone()).sum()
}

/// Leaf copies of a fused LSTM's parameters (so each path gets its own gradients).
fn lstm_leaves(layer: &FusedLstm) -> FusedLstm {
    FusedLstm {
        input_weight: Param::from_tensor(leaf(&layer.input_weight.val())),
        hidden_weight: Param::from_tensor(leaf(&layer.hidden_weight.val())),
        bias: Param::from_tensor(leaf(&layer.bias.val())),
    }
}

fn gru_leaves(layer: &FusedGru) -> FusedGru {
    FusedGru {
        input_weight: Param::from_tensor(leaf(&layer.input_weight.val())),
        input_bias: Param::from_tensor(leaf(&layer.input_bias.val())),
        hidden_weight: Param::from_tensor(leaf(&layer.hidden_weight.val())),
        hidden_bias: Param::from_tensor(leaf(&layer.hidden_bias.val())),
    }
}

/// Sizes with unequal B, S, I, H so a transposed index cannot pass.
const B: usize = 3;
const S: usize = 5;
const I: usize = 4;
const H: usize = 6;

/// The input projection (one node on flex, split between threads) equals `x W + b` composed
/// from burn's operations, in value and in the gradients of the inputs, weight and bias.
#[test]
fn the_input_projection_matches_the_composed_product() {
    seeded(2, |device| {
        let (x, w, b) = (normal([B, S, I], device), normal([I, 4 * H], device), normal([4 * H], device));
        let r = normal([S, B, 4 * H], device);
        let run = |fused: bool| {
            let (x, w, b) = (leaf(&x), leaf(&w), leaf(&b));
            let y = if fused {
                input_projection(x.clone(), w.clone(), b.clone())
            } else {
                composed::input_projection(x.clone().swap_dims(0, 1), w.clone(), b.clone())
            };
            let grads = projection(y.clone(), &r).backward();
            let g = [
                grad_of("x", &x, &grads).reshape([B * S, I]),
                grad_of("W", &w, &grads),
                grad_of("b", &b, &grads).unsqueeze(),
            ];
            (y, g)
        };
        let ((y_fused, g_fused), (y_composed, g_composed)) = (run(true), run(false));
        assert_tensors_close("projection", y_fused, y_composed, TOL);
        for ((fused, composed), name) in g_fused.into_iter().zip(g_composed).zip(["x", "W", "b"]) {
            assert_tensors_close(&format!("gradient of {name}"), fused, composed, TOL);
        }
    });
}

/// Fills the store of recycled buffers with NaN: a kernel that reads an element of a recycled
/// buffer before writing it then fails the parity tests.
fn poison_recycled_buffers() {
    for _ in 0..8 {
        super::buffers::recycle(vec![f32::NAN; 1 << 17]);
    }
}

/// The fused layer (kernel on flex) and the composed steps agree on outputs, final state and
/// every gradient, with an initial state and unequal lengths, from recycled buffers holding NaN.
#[test]
fn fused_lstm_matches_the_composed_steps() {
    poison_recycled_buffers();
    seeded(1, |device| {
        let layer = FusedLstmConfig::new(I, H).with_forget_bias(1.0).init(device);
        let (x, h0, c0) = (normal([B, S, I], device), normal([B, H], device), normal([B, H], device));
        let r = normal([B, S, H], device);
        let r_cell = normal([B, H], device);
        let lengths = [S, 2, 4];
        let run = |fused: bool| {
            let (layer, x, h0, c0) = (lstm_leaves(&layer), leaf(&x), leaf(&h0), leaf(&c0));
            let (outputs, cell) = if fused {
                let state = LstmState { hidden: h0.clone(), cell: c0.clone() };
                let (outputs, state) = layer.forward_with_state(x.clone(), Some(state), &lengths);
                (outputs, state.cell)
            } else {
                let gates_x = composed::input_projection(
                    x.clone().swap_dims(0, 1),
                    layer.input_weight.val(),
                    layer.bias.val(),
                );
                let (outputs, cell) =
                    composed::lstm(gates_x, layer.hidden_weight.val(), h0.clone(), c0.clone(), &lengths);
                (outputs.swap_dims(0, 1), cell)
            };
            let grads = (projection(outputs.clone(), &r) + (cell.clone() * r_cell.clone()).sum()).backward();
            let g = [
                grad_of("x", &x, &grads).reshape([B * S, I]),
                param_grad("W_ih", &layer.input_weight, &grads),
                param_grad("W_hh", &layer.hidden_weight, &grads),
                param_grad("b", &layer.bias, &grads).unsqueeze(),
                grad_of("h0", &h0, &grads),
                grad_of("c0", &c0, &grads),
            ];
            (outputs, cell, g)
        };
        let (fused, reference) = (run(true), run(false));
        assert_tensors_close("outputs", fused.0, reference.0, TOL);
        assert_tensors_close("final cell", fused.1, reference.1, TOL);
        for (name, (a, b)) in
            ["x", "W_ih", "W_hh", "b", "h0", "c0"].iter().zip(fused.2.into_iter().zip(reference.2))
        {
            assert_tensors_close(&format!("grad {name}"), a, b, TOL);
        }
    });
}

/// The time-major entry equals the batch-major one with the first two dimensions swapped, in
/// outputs and in the input's gradient.
#[test]
fn fused_lstm_time_major_is_the_batch_major_layer_transposed() {
    seeded(3, |device| {
        let layer = FusedLstmConfig::new(I, H).init(device);
        let (x, r) = (normal([B, S, I], device), normal([B, S, H], device));
        let run = |time_major: bool| {
            let x = leaf(&x);
            let outputs = if time_major {
                layer.forward_time_major(x.clone().swap_dims(0, 1), None).swap_dims(0, 1)
            } else {
                layer.forward(x.clone(), None)
            };
            let grads = projection(outputs.clone(), &r).backward();
            (outputs, grad_of("x", &x, &grads))
        };
        let (time_major, batch_major) = (run(true), run(false));
        assert_tensors_close("outputs", time_major.0, batch_major.0, TOL);
        assert_tensors_close("grad x", time_major.1, batch_major.1, TOL);
    });
}

/// burn's `Lstm` holding the fused layer's weights, block by block (`i, f, g, o`).
fn burn_lstm(layer: &FusedLstm, device: &Device) -> burn::nn::Lstm {
    let mut lstm = LstmConfig::new(I, H, true).init(device);
    let block = |k: usize| {
        gate(
            column_block(layer.input_weight.val(), k, H).detach(),
            Some(bias_block(layer.bias.val(), k, H).detach()),
            column_block(layer.hidden_weight.val(), k, H).detach(),
            None,
        )
    };
    lstm.input_gate = block(0);
    lstm.forget_gate = Some(block(1));
    lstm.cell_gate = block(2);
    lstm.output_gate = block(3);
    lstm
}

#[test]
fn fused_lstm_matches_burns_lstm_in_outputs_and_input_gradient() {
    seeded(2, |device| {
        let layer = FusedLstmConfig::new(I, H).init(device);
        let burn = burn_lstm(&layer, device);
        let (x, r) = (normal([B, S, I], device), normal([B, S, H], device));
        let (x_fused, x_burn) = (leaf(&x), leaf(&x));
        let (ours, state) = layer.forward_with_state(x_fused.clone(), None, &[]);
        let (theirs, burn_state) = burn.forward(x_burn.clone(), None);
        assert_tensors_close("outputs", ours.clone(), theirs.clone(), TOL);
        assert_tensors_close("final cell", state.cell, burn_state.cell, TOL);
        assert_tensors_close("final hidden", state.hidden, burn_state.hidden, TOL);
        let (g_ours, g_burn) = (projection(ours, &r).backward(), projection(theirs, &r).backward());
        let input_grad = |x: &Tensor<3>, grads| grad_of("x", x, grads);
        assert_tensors_close("grad x", input_grad(&x_fused, &g_ours), input_grad(&x_burn, &g_burn), TOL);
        let forget_weight = param_grad("W_hh", &layer.hidden_weight, &g_ours);
        let burn_forget = burn.forget_gate.as_ref().expect("burn's LSTM has a forget gate");
        let burn_forget_weight = param_grad("burn W_hf", &burn_forget.hidden_transform.weight, &g_burn);
        assert_tensors_close("grad W_hf", column_block(forget_weight, 1, H), burn_forget_weight, TOL);
    });
}

#[test]
fn fused_gru_matches_the_composed_steps() {
    seeded(3, |device| {
        let layer = FusedGruConfig::new(I, H).init(device);
        let (x, h0, r) = (normal([B, S, I], device), normal([B, H], device), normal([B, S, H], device));
        let lengths = [3, S, 1];
        let run = |fused: bool| {
            let (layer, x, h0) = (gru_leaves(&layer), leaf(&x), leaf(&h0));
            let outputs = if fused {
                layer.forward_with_lengths(x.clone(), Some(h0.clone()), &lengths)
            } else {
                let gates_x = composed::input_projection(
                    x.clone().swap_dims(0, 1),
                    layer.input_weight.val(),
                    layer.input_bias.val(),
                );
                let hidden = (layer.hidden_weight.val(), layer.hidden_bias.val());
                composed::gru(gates_x, hidden.0, hidden.1, h0.clone(), &lengths).swap_dims(0, 1)
            };
            let grads = projection(outputs.clone(), &r).backward();
            let g = [
                grad_of("x", &x, &grads).reshape([B * S, I]),
                param_grad("W_ih", &layer.input_weight, &grads),
                param_grad("W_hh", &layer.hidden_weight, &grads),
                param_grad("b_ih", &layer.input_bias, &grads).unsqueeze(),
                param_grad("b_hh", &layer.hidden_bias, &grads).unsqueeze(),
                grad_of("h0", &h0, &grads),
            ];
            (outputs, g)
        };
        let (fused, reference) = (run(true), run(false));
        assert_tensors_close("outputs", fused.0, reference.0, TOL);
        for (name, (a, b)) in
            ["x", "W_ih", "W_hh", "b_ih", "b_hh", "h0"].iter().zip(fused.1.into_iter().zip(reference.1))
        {
            assert_tensors_close(&format!("grad {name}"), a, b, TOL);
        }
    });
}

#[test]
fn fused_gru_matches_burns_gru() {
    seeded(4, |device| {
        let layer = FusedGruConfig::new(I, H).init(device);
        let mut burn = GruConfig::new(I, H, true).init(device);
        let block = |k: usize| {
            gate(
                column_block(layer.input_weight.val(), k, H).detach(),
                Some(bias_block(layer.input_bias.val(), k, H).detach()),
                column_block(layer.hidden_weight.val(), k, H).detach(),
                Some(bias_block(layer.hidden_bias.val(), k, H).detach()),
            )
        };
        (burn.reset_gate, burn.update_gate, burn.new_gate) = (block(0), block(1), block(2));
        let (x, h0, r) = (normal([B, S, I], device), normal([B, H], device), normal([B, S, H], device));
        let (x_fused, x_burn) = (leaf(&x), leaf(&x));
        let ours = layer.forward(x_fused.clone(), Some(h0.clone()));
        let theirs = burn.forward(x_burn.clone(), Some(h0));
        assert_tensors_close("outputs", ours.clone(), theirs.clone(), TOL);
        let (g_ours, g_burn) = (projection(ours, &r).backward(), projection(theirs, &r).backward());
        assert_tensors_close("grad x", grad_of("x", &x_fused, &g_ours), grad_of("x", &x_burn, &g_burn), TOL);
        let new_hidden = param_grad("W_hh", &layer.hidden_weight, &g_ours);
        let burn_new_hidden = param_grad("burn W_hn", &burn.new_gate.hidden_transform.weight, &g_burn);
        assert_tensors_close("grad W_hn", column_block(new_hidden, 2, H), burn_new_hidden, TOL);
    });
}

/// Finite differences through the whole layer, for the input and the hidden weight.
#[test]
fn fused_layers_pass_gradcheck() {
    seeded(5, |device| {
        let lstm = FusedLstmConfig::new(2, 3).init(device);
        let gru = FusedGruConfig::new(2, 3).init(device);
        let (x, r) = (normal([2, 3, 2], device), normal([2, 3, 3], device));
        let lengths = [3, 2];
        let lstm_of_x = |x| projection(lstm.forward_with_state(x, None, &lengths).0, &r);
        gradcheck(lstm_of_x, x.clone()).unwrap_or_else(|e| panic!("LSTM, input: {e}"));
        let lstm_of_w = |w: Tensor<2>| {
            let layer = FusedLstm { hidden_weight: Param::from_tensor(w), ..lstm.clone() };
            projection(layer.forward(x.clone(), None), &r)
        };
        gradcheck(lstm_of_w, lstm.hidden_weight.val()).unwrap_or_else(|e| panic!("LSTM, W_hh: {e}"));
        let gru_of_x = |x| projection(gru.forward_with_lengths(x, None, &lengths), &r);
        gradcheck(gru_of_x, x.clone()).unwrap_or_else(|e| panic!("GRU, input: {e}"));
        let gru_of_b = |b: Tensor<1>| {
            let layer = FusedGru { hidden_bias: Param::from_tensor(b), ..gru.clone() };
            projection(layer.forward(x.clone(), None), &r)
        };
        gradcheck(gru_of_b, gru.hidden_bias.val()).unwrap_or_else(|e| panic!("GRU, b_hh: {e}"));
    });
}

/// A sequence stopped at length L ends in the state of running its first L steps alone, and
/// its later outputs repeat that state.
#[test]
fn lengths_stop_a_sequence_and_carry_its_state() {
    seeded(6, |device| {
        let layer = FusedLstmConfig::new(I, H).init(device);
        let x = normal([B, S, I], device);
        let (outputs, state) = layer.forward_with_state(x.clone(), None, &[S, 2, S]);
        let alone = layer.forward(x.narrow(0, 1, 1).narrow(1, 0, 2), None);
        let last_alone = alone.narrow(1, 1, 1).reshape([1, H]);
        assert_tensors_close("final hidden", state.hidden.narrow(0, 1, 1), last_alone.clone(), TOL);
        for t in 2..S {
            let later = outputs.clone().narrow(0, 1, 1).narrow(1, t, 1).reshape([1, H]);
            assert_tensors_close("carried output", later, last_alone.clone(), TOL);
        }
    });
}

#[test]
#[should_panic(expected = "sequence length 7 outside 1..=5")]
fn a_length_beyond_the_sequence_is_refused() {
    seeded(7, |device| {
        let layer = FusedGruConfig::new(I, H).init(device);
        layer.forward_with_lengths(normal([B, S, I], device), None, &[S, 7, 1]);
    });
}

/// The lectures' stacked `[I + H, 4H]` layout splits into the input and hidden weights.
#[test]
fn from_stacked_splits_input_rows_from_hidden_rows() {
    seeded(8, |device| {
        let (weight, bias) = (normal([I + H, 4 * H], device), normal([4 * H], device));
        // Even from another model's trainable parameters: the layer's are its own leaves.
        let layer = FusedLstm::from_stacked(weight.clone().require_grad(), bias.require_grad());
        assert_tensors_close("W_ih", layer.input_weight.val(), weight.clone().narrow(0, 0, I), TOL);
        assert_tensors_close("W_hh", layer.hidden_weight.val(), weight.narrow(0, I, H), TOL);
        let grads = layer.forward(normal([B, S, I], device), None).sum().backward();
        param_grad("W_hh", &layer.hidden_weight, &grads);
    });
}

/// Without autodiff (inference) the layers give the outputs they give under autodiff.
#[test]
fn fused_layers_run_the_same_without_autodiff() {
    seeded(9, |device| {
        let lstm = FusedLstmConfig::new(I, H).init(device);
        let gru = FusedGruConfig::new(I, H).init(device);
        let x = normal([B, S, I], device);
        let plain = device.clone().inner();
        let (x_plain, lstm_plain, gru_plain) =
            (x.clone().to_device(&plain), lstm.clone().to_device(&plain), gru.clone().to_device(&plain));
        let lengths = [S, 3, 1];
        let (ours, _) = lstm.forward_with_state(x.clone(), None, &lengths);
        let (theirs, _) = lstm_plain.forward_with_state(x_plain.clone(), None, &lengths);
        assert_tensors_close("LSTM", theirs, ours.to_device(&plain), TOL);
        let ours = gru.forward_with_lengths(x, None, &lengths);
        let theirs = gru_plain.forward_with_lengths(x_plain, None, &lengths);
        assert_tensors_close("GRU", theirs, ours.to_device(&plain), TOL);
    });
}
