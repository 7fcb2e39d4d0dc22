//! The gated recurrent unit (Cho et al. 2014), with the reset gate applied after the hidden
//! matrix product ("reset after", as in burn's `Gru`, PyTorch and cuDNN):
//!
//! ```text
//! [a_z, a_r, a_n] = x_t W_x + b             W_x: [input, 3 hidden],  b: [3 hidden]
//! [u_z, u_r, u_n] = h_{t-1} W_h             W_h: [hidden, 3 hidden]
//! z   = σ(a_z + u_z)                        update gate (how much of h_{t-1} to keep)
//! r   = σ(a_r + u_r)                        reset gate  (how much of h_{t-1} the candidate sees)
//! n   = tanh(a_n + r ⊙ (u_n + b_hn))        candidate,  b_hn: [hidden]
//! h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
//! ```
//!
//! Column blocks are in the order update, reset, candidate. `b_hn` stays separate because it is
//! inside the reset product; the hidden biases of `z` and `r` would only add to `b`, so there are
//! none. Shapes: `x_t: [batch, input]`, `h_t: [batch, hidden]`.

use crate::cell::{RecurrentCell, uniform_param};
use anyhow::{Result, ensure};
use burn::config::Config;
use burn::module::{Module, Param};
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::sigmoid;

/// Sizes of a [`GruCell`].
#[derive(Config, Debug)]
pub struct GruCellConfig {
    /// Width of `x_t`.
    pub input_size: usize,
    /// Width of `h_t`.
    pub hidden_size: usize,
}

impl GruCellConfig {
    /// A cell with all parameters drawn from `U(-1/sqrt(hidden), 1/sqrt(hidden))`.
    pub fn init(&self, device: &Device) -> GruCell {
        let (input, hidden) = (self.input_size, self.hidden_size);
        GruCell {
            input_weight: uniform_param([input, 3 * hidden], hidden, device),
            hidden_weight: uniform_param([hidden, 3 * hidden], hidden, device),
            bias: uniform_param([3 * hidden], hidden, device),
            candidate_hidden_bias: uniform_param([hidden], hidden, device),
        }
    }
}

/// The GRU cell; its state is `h_t: [batch, hidden]`.
#[derive(Module, Debug)]
pub struct GruCell {
    /// `W_x: [input, 3 hidden]`, blocks update, reset, candidate.
    pub input_weight: Param<Tensor<2>>,
    /// `W_h: [hidden, 3 hidden]`, same blocks.
    pub hidden_weight: Param<Tensor<2>>,
    /// `b: [3 hidden]`, same blocks.
    pub bias: Param<Tensor<1>>,
    /// `b_hn: [hidden]`, added to `u_n` before the reset gate scales it.
    pub candidate_hidden_bias: Param<Tensor<1>>,
}

impl GruCell {
    /// A cell from `W_x: [input, 3 hidden]`, `W_h: [hidden, 3 hidden]`, `b: [3 hidden]`,
    /// `b_hn: [hidden]`.
    pub fn from_weights(
        input_weight: Tensor<2>,
        hidden_weight: Tensor<2>,
        bias: Tensor<1>,
        candidate_hidden_bias: Tensor<1>,
    ) -> Result<Self> {
        let [_, columns] = input_weight.dims();
        let hidden = columns / 3;
        ensure!(
            columns % 3 == 0
                && hidden > 0
                && hidden_weight.dims() == [hidden, columns]
                && bias.dims() == [columns]
                && candidate_hidden_bias.dims() == [hidden],
            "GruCell::from_weights: expected W_x [input, 3 hidden], W_h [hidden, 3 hidden], \
             b [3 hidden], b_hn [hidden]; got W_x {:?}, W_h {:?}, b {:?}, b_hn {:?}",
            input_weight.dims(),
            hidden_weight.dims(),
            bias.dims(),
            candidate_hidden_bias.dims()
        );
        Ok(Self {
            input_weight: Param::from_tensor(input_weight),
            hidden_weight: Param::from_tensor(hidden_weight),
            bias: Param::from_tensor(bias),
            candidate_hidden_bias: Param::from_tensor(candidate_hidden_bias),
        })
    }
}

impl RecurrentCell for GruCell {
    type State = Tensor<2>;

    fn input_size(&self) -> usize {
        self.input_weight.val().dims()[0]
    }

    fn hidden_size(&self) -> usize {
        self.candidate_hidden_bias.val().dims()[0]
    }

    fn zero_state(&self, batch: usize, device: &Device) -> Tensor<2> {
        Tensor::zeros([batch, self.hidden_size()], device)
    }

    fn step(&self, x_t: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        let from_input = x_t.matmul(self.input_weight.val()) + self.bias.val().unsqueeze();
        let from_hidden = h.clone().matmul(self.hidden_weight.val());
        let [a_z, a_r, a_n]: [Tensor<2>; 3] = from_input.chunk(3, 1).try_into().expect("3 blocks");
        let [u_z, u_r, u_n]: [Tensor<2>; 3] = from_hidden.chunk(3, 1).try_into().expect("3 blocks");
        let update = sigmoid(a_z + u_z);
        let reset = sigmoid(a_r + u_r);
        let candidate = (a_n + reset * (u_n + self.candidate_hidden_bias.val().unsqueeze())).tanh();
        // (1 - z) ⊙ n + z ⊙ h  =  n + z ⊙ (h - n)
        candidate.clone() + update * (h - candidate)
    }

    fn hidden(state: &Tensor<2>) -> Tensor<2> {
        state.clone()
    }

    fn with_hidden(_state: Tensor<2>, hidden: Tensor<2>) -> Tensor<2> {
        hidden
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::{Tolerance, assert_tensors_close};

    #[test]
    fn a_closed_update_gate_keeps_the_old_state() {
        // z = σ(50) ≈ 1 whatever the input: h_t ≈ h_{t-1}.
        let device = Device::flex();
        let cell = GruCellConfig::new(2, 3).init(&device);
        let bias = Tensor::<1>::from_floats([50.0, 50.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], &device);
        let cell = GruCell::from_weights(
            cell.input_weight.val(),
            cell.hidden_weight.val().zeros_like(),
            bias,
            cell.candidate_hidden_bias.val(),
        )
        .unwrap();
        let h = Tensor::<2>::from_floats([[0.5, -0.2, 0.9]], &device);
        let next = cell.step(Tensor::from_floats([[3.0, -4.0]], &device), h.clone());
        assert_tensors_close("h_t", next, h, Tolerance::new(0.0, 1e-6));
    }
}
