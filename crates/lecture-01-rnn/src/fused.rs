//! The lecture's LSTM and GRU as `shared::recurrent`'s fused layers: the same functions, run
//! over the whole sequence at once, several times faster to train than unrolling the cell.
//!
//! [`crate::unroll`] steps a cell through `x_1 .. x_T`, and autodiff records every gate of every
//! step. [`FusedLstm`] and [`FusedGru`] take the whole `[batch, time, input]` sequence: one
//! matrix product projects every `x_t`, one pass runs the recurrence, and backpropagation through
//! time is written by hand. They hold the same parameters as [`LstmCell`] and [`GruCell`], laid
//! out differently:
//!
//! ```text
//! LSTM   W = [W_ih; W_hh]: [input + hidden, 4 hidden], b: [4 hidden]   blocks i, f, g, o (same order)
//! GRU    ours: W_x, W_h: [., 3 hidden], b: [3 hidden] blocks z, r, n;  b_hn: [hidden]
//!        fused: W_ih, W_hh, b_ih, b_hh                  blocks r, z, n;  b_hh = [0, 0, b_hn]
//! ```
//!
//! The fused GRU has PyTorch's two biases: the `r, z` blocks of `b_hh` start at zero and only
//! ever add to those of `b_ih`, so the functions are the same, with `2 hidden` redundant
//! parameters (under Adam the summed `r, z` biases move up to twice as fast as the cell's).
//!
//! A fused layer has no per-step cell, so the equations to read are the cells'
//! ([`crate::lstm_cell`], [`crate::gru_cell`]); `tests/parity_fused.rs` holds the two to equal
//! outputs and gradients.

use crate::gru_cell::{GruCell, GruCellConfig};
use crate::lstm_cell::{LstmCell, LstmCellConfig, LstmState, LstmVariant};
use burn::module::Param;
use burn::prelude::{Device, Tensor};
use shared::recurrent::LstmState as FusedLstmState;

pub use shared::recurrent::{FusedGru, FusedLstm};

/// A fresh fused LSTM, drawn exactly as [`LstmCellConfig::init`] draws the plain cell (forget
/// bias 1.0), so a seed gives the same starting weights to both.
pub fn init_fused_lstm(input: usize, hidden: usize, device: &Device) -> FusedLstm {
    fused_lstm(&LstmCellConfig::new(input, hidden).init(device))
}

/// A fresh fused GRU, drawn exactly as [`GruCellConfig::init`] draws the cell.
pub fn init_fused_gru(input: usize, hidden: usize, device: &Device) -> FusedGru {
    fused_gru(&GruCellConfig::new(input, hidden).init(device))
}

/// The fused layer holding a copy of `cell`'s weights (new parameters, not tied to the cell's).
///
/// # Panics
/// Unless the cell is [`LstmVariant::Vanilla`]: the fused layer has all four gates and no
/// peepholes.
pub fn fused_lstm(cell: &LstmCell) -> FusedLstm {
    assert_eq!(cell.variant(), LstmVariant::Vanilla, "only the plain LSTM has a fused layer");
    FusedLstm::from_stacked(copy(cell.weight.val()), copy(cell.bias.val()))
}

/// The fused layer holding a copy of `cell`'s weights, its gate blocks reordered from
/// `z, r, n` to `r, z, n`; `b` is the input bias, `[0, 0, b_hn]` the hidden one.
pub fn fused_gru(cell: &GruCell) -> FusedGru {
    let hidden = cell.candidate_hidden_bias.dims()[0];
    let zero = Tensor::zeros([2 * hidden], &cell.bias.device());
    FusedGru {
        input_weight: Param::from_tensor(reset_first(copy(cell.input_weight.val()), 1)),
        input_bias: Param::from_tensor(reset_first(copy(cell.bias.val()), 0)),
        hidden_weight: Param::from_tensor(reset_first(copy(cell.hidden_weight.val()), 1)),
        hidden_bias: Param::from_tensor(Tensor::cat(vec![zero, copy(cell.candidate_hidden_bias.val())], 0)),
    }
}

/// `[z | r | n]` along `dim` -> `[r | z | n]` (the swap is its own inverse).
pub fn reset_first<const D: usize>(blocks: Tensor<D>, dim: usize) -> Tensor<D> {
    let [z, r, n]: [Tensor<D>; 3] = blocks.chunk(3, dim).try_into().expect("3 gate blocks");
    Tensor::cat(vec![r, z, n], dim)
}

/// `inputs: [batch, time, input]` from `initial` (zeros when `None`) -> `h_1 .. h_T`
/// `[batch, time, hidden]` and the final `(h_T, c_T)`, as [`crate::unroll::unroll`] of the cell.
pub fn lstm_sequence(
    layer: &FusedLstm,
    inputs: Tensor<3>,
    initial: Option<LstmState>,
) -> (Tensor<3>, LstmState) {
    let initial = initial.map(|state| FusedLstmState { hidden: state.hidden, cell: state.cell });
    let (outputs, last) = layer.forward_with_state(inputs, initial, &[]);
    (outputs, LstmState { hidden: last.hidden, cell: last.cell })
}

/// `inputs: [batch, time, input]` from `initial` -> `h_1 .. h_T` and `h_T`, as
/// [`crate::unroll::unroll`] of the GRU cell.
pub fn gru_sequence(
    layer: &FusedGru,
    inputs: Tensor<3>,
    initial: Option<Tensor<2>>,
) -> (Tensor<3>, Tensor<2>) {
    let outputs = layer.forward(inputs, initial);
    let time = outputs.dims()[1];
    let last = outputs.clone().narrow(1, time - 1, 1).squeeze_dim(1);
    (outputs, last)
}

/// One step, `x_t: [batch, input]`: the fused layer over a sequence of length 1. Correct but
/// without the speed-up; for the rare per-step uses (probes of `dLoss/dh_t`).
pub fn lstm_step(layer: &FusedLstm, x_t: Tensor<2>, state: LstmState) -> LstmState {
    lstm_sequence(layer, x_t.unsqueeze_dim(1), Some(state)).1
}

/// One GRU step, `x_t: [batch, input]`, as [`lstm_step`].
pub fn gru_step(layer: &FusedGru, x_t: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
    gru_sequence(layer, x_t.unsqueeze_dim(1), Some(h)).1
}

/// The values of `tensor` as a new tensor outside any autodiff graph (a `Param` must be a leaf).
fn copy<const D: usize>(tensor: Tensor<D>) -> Tensor<D> {
    let device = tensor.device();
    Tensor::from_data(tensor.into_data(), &device)
}
