//! The simple (Elman) recurrent cell: `h_t = tanh(x_t W_x + h_{t-1} W_h + b)`.
//!
//! Shapes: `x_t: [batch, input]`, `h_t: [batch, hidden]`, `W_x: [input, hidden]`,
//! `W_h: [hidden, hidden]`, `b: [hidden]`. The gradient reaching `h_{t-k}` is multiplied k times by
//! `diag(1 - h²) W_hᵀ`, which is why it vanishes (or explodes) over long spans.

use crate::cell::{RecurrentCell, uniform_param};
use anyhow::{Result, ensure};
use burn::config::Config;
use burn::module::{Module, Param};
use burn::prelude::{Device, Tensor};

/// Sizes of an [`RnnCell`].
#[derive(Config, Debug)]
pub struct RnnCellConfig {
    /// Width of `x_t`.
    pub input_size: usize,
    /// Width of `h_t`.
    pub hidden_size: usize,
}

impl RnnCellConfig {
    /// A cell with weights and bias drawn from `U(-1/sqrt(hidden), 1/sqrt(hidden))`.
    pub fn init(&self, device: &Device) -> RnnCell {
        let (input, hidden) = (self.input_size, self.hidden_size);
        RnnCell {
            input_weight: uniform_param([input, hidden], hidden, device),
            hidden_weight: uniform_param([hidden, hidden], hidden, device),
            bias: uniform_param([hidden], hidden, device),
        }
    }
}

/// The tanh RNN cell; its state is `h_t: [batch, hidden]`.
#[derive(Module, Debug)]
pub struct RnnCell {
    /// `W_x: [input, hidden]`.
    pub input_weight: Param<Tensor<2>>,
    /// `W_h: [hidden, hidden]`.
    pub hidden_weight: Param<Tensor<2>>,
    /// `b: [hidden]`.
    pub bias: Param<Tensor<1>>,
}

impl RnnCell {
    /// A cell with the given `W_x: [input, hidden]`, `W_h: [hidden, hidden]`, `b: [hidden]`.
    pub fn from_weights(input_weight: Tensor<2>, hidden_weight: Tensor<2>, bias: Tensor<1>) -> Result<Self> {
        let [_, hidden] = input_weight.dims();
        ensure!(
            hidden_weight.dims() == [hidden, hidden] && bias.dims() == [hidden],
            "RnnCell::from_weights: W_x is {:?}, so W_h must be [{hidden}, {hidden}] and b [{hidden}]; \
             got W_h {:?} and b {:?}",
            input_weight.dims(),
            hidden_weight.dims(),
            bias.dims()
        );
        Ok(Self {
            input_weight: Param::from_tensor(input_weight),
            hidden_weight: Param::from_tensor(hidden_weight),
            bias: Param::from_tensor(bias),
        })
    }
}

impl RecurrentCell for RnnCell {
    type State = Tensor<2>;

    fn input_size(&self) -> usize {
        self.input_weight.val().dims()[0]
    }

    fn hidden_size(&self) -> usize {
        self.bias.val().dims()[0]
    }

    fn zero_state(&self, batch: usize, device: &Device) -> Tensor<2> {
        Tensor::zeros([batch, self.hidden_size()], device)
    }

    fn step(&self, x_t: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        let pre_activation = x_t.matmul(self.input_weight.val())
            + h.matmul(self.hidden_weight.val())
            + self.bias.val().unsqueeze();
        pre_activation.tanh()
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
    fn one_step_is_tanh_of_the_affine_map() {
        let device = Device::flex();
        let cell = RnnCell::from_weights(
            Tensor::from_floats([[1.0, 0.0], [0.0, 2.0]], &device),
            Tensor::from_floats([[0.5, 0.0], [0.0, -1.0]], &device),
            Tensor::from_floats([0.1, 0.2], &device),
        )
        .unwrap();
        let x = Tensor::from_floats([[0.3, -0.4]], &device);
        let h = Tensor::from_floats([[1.0, 0.5]], &device);
        let expected =
            Tensor::<2>::from_floats([[(0.3f32 + 0.5 + 0.1).tanh(), (-0.8f32 - 0.5 + 0.2).tanh()]], &device);
        assert_tensors_close("h_t", cell.step(x, h), expected, Tolerance::F32);
    }

    #[test]
    fn mismatched_weights_are_an_error() {
        let device = Device::flex();
        let err = RnnCell::from_weights(
            Tensor::zeros([3, 4], &device),
            Tensor::zeros([4, 3], &device),
            Tensor::zeros([4], &device),
        )
        .unwrap_err();
        assert!(err.to_string().contains("W_h must be [4, 4]"), "{err}");
    }
}
