//! The LSTM baselines of the memory-network and NTM experiments run as
//! `shared::recurrent::FusedLstm`, which computes burn's `Lstm` over whole sequences in far fewer
//! operations (one autodiff node, backpropagation through time written by hand):
//!
//! ```text
//! [a_i, a_f, a_g, a_o] = x_t W_x + h_{t-1} W_h + b        W_x: [input, 4H], W_h: [H, 4H]
//! i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
//! c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
//! ```
//!
//! burn's `Lstm` keeps one `Linear` per gate and input, with a bias on each; the fused layer
//! stacks the gates' weights side by side (blocks i, f, g, o) and keeps one bias per gate, the sum
//! of burn's two (the same function, `4H` fewer parameters). [`fused_lstm`] starts from burn's
//! own initialisation, so at a given seed the baselines start as the same function as before.
//! `tests/parity.rs` holds [`from_burn`] to burn's `Lstm`, outputs and gradients.

use burn::module::Param;
use burn::nn::{GateController, Linear, Lstm, LstmConfig};
use burn::prelude::*;
use shared::recurrent::FusedLstm;

/// A fresh fused LSTM `input -> hidden`, initialised as burn's `LstmConfig` would.
pub fn fused_lstm(input: usize, hidden: usize, device: &Device) -> FusedLstm {
    from_burn(&LstmConfig::new(input, hidden, true).init(device))
}

/// A copy of `lstm`'s weights as a [`FusedLstm`] (a new set of parameters).
///
/// # Panics
///
/// If `lstm` couples its input and forget gates (it has no forget gate of its own).
pub fn from_burn(lstm: &Lstm) -> FusedLstm {
    let forget = lstm.forget_gate.as_ref().expect("an LSTM with its own forget gate");
    let gates = [&lstm.input_gate, forget, &lstm.cell_gate, &lstm.output_gate];
    let stacked = |part: fn(&GateController) -> &Linear| {
        Tensor::cat(gates.iter().map(|gate| part(gate).weight.val()).collect(), 1).detach()
    };
    let bias = Tensor::cat(gates.iter().map(|gate| gate_bias(gate)).collect(), 0).detach();
    FusedLstm {
        input_weight: Param::from_tensor(stacked(|gate| &gate.input_transform)),
        hidden_weight: Param::from_tensor(stacked(|gate| &gate.hidden_transform)),
        bias: Param::from_tensor(bias),
    }
}

/// `b_x + b_h` of one gate, `[H]` (a missing bias counts as zeros).
fn gate_bias(gate: &GateController) -> Tensor<1> {
    let bias = |linear: &Linear| {
        let width = linear.weight.dims()[1];
        let bias = linear.bias.as_ref().map(|b| b.val());
        bias.unwrap_or_else(|| Tensor::zeros([width], &linear.weight.device()))
    };
    bias(&gate.input_transform) + bias(&gate.hidden_transform)
}
