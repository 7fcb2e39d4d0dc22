//! Building burn's own modules from given weights, for parity tests.
//!
//! A parity test builds our from-scratch layer, copies its weights into burn's module of the
//! same kind, and asserts equal outputs and gradients. burn's `Linear` computes
//! `y = x W + b` with `W: [d_input, d_output]` (the transpose of PyTorch's `[out, in]`), and its
//! recurrent modules (`Lstm`, `Gru`) hold one [`GateController`] per gate: an input transform
//! `[d_input, d_hidden]` and a hidden transform `[d_hidden, d_hidden]`, each with its own bias.
//! A fused layer that keeps all gates in one `[d_input, 4 * d_hidden]` matrix hands each gate
//! its column block with [`column_block`].

use burn::module::Param;
use burn::nn::{GateController, Linear};
use burn::prelude::{Tensor, s};

/// A burn `Linear` computing `x weight + bias`; `weight: [d_input, d_output]`, `bias: [d_output]`.
pub fn linear(weight: Tensor<2>, bias: Option<Tensor<1>>) -> Linear {
    Linear { weight: Param::from_tensor(weight), bias: bias.map(Param::from_tensor) }
}

/// One burn RNN gate: `x input_weight + input_bias + h hidden_weight + hidden_bias`.
/// `input_weight: [d_input, d_hidden]`, `hidden_weight: [d_hidden, d_hidden]`, biases `[d_hidden]`.
pub fn gate(
    input_weight: Tensor<2>,
    input_bias: Option<Tensor<1>>,
    hidden_weight: Tensor<2>,
    hidden_bias: Option<Tensor<1>>,
) -> GateController {
    GateController {
        input_transform: linear(input_weight, input_bias),
        hidden_transform: linear(hidden_weight, hidden_bias),
    }
}

/// Columns `[index * width, (index + 1) * width)` of a fused `[rows, k * width]` matrix.
pub fn column_block(fused: Tensor<2>, index: usize, width: usize) -> Tensor<2> {
    let [rows, _] = fused.dims();
    fused.slice([0..rows, index * width..(index + 1) * width])
}

/// Elements `[index * width, (index + 1) * width)` of a fused `[k * width]` bias.
pub fn bias_block(fused: Tensor<1>, index: usize, width: usize) -> Tensor<1> {
    fused.slice(s![index * width..(index + 1) * width])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Tolerance, assert_tensors_close};
    use burn::prelude::Device;

    #[test]
    fn linear_computes_x_w_plus_b() {
        let device = Device::flex();
        let layer = linear(
            Tensor::<2>::from_floats([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]], &device),
            Some(Tensor::<1>::from_floats([0.5, 0.0, 1.0], &device)),
        );
        let x = Tensor::<2>::from_floats([[1.0, 1.0], [2.0, -1.0]], &device);
        let expected = Tensor::<2>::from_floats([[1.5, 3.0, 0.0], [2.5, 3.0, 2.0]], &device);
        assert_tensors_close("linear", layer.forward(x), expected, Tolerance::F32);
    }

    #[test]
    fn blocks_cut_a_fused_matrix_per_gate() {
        let device = Device::flex();
        let fused = Tensor::<2>::from_floats([[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]], &device);
        let second = column_block(fused, 1, 2);
        assert_tensors_close(
            "block",
            second,
            Tensor::<2>::from_floats([[2.0, 3.0], [6.0, 7.0]], &device),
            Tolerance::F32,
        );
        let bias = bias_block(Tensor::<1>::from_floats([0.0, 1.0, 2.0, 3.0], &device), 1, 2);
        assert_tensors_close("bias", bias, Tensor::<1>::from_floats([2.0, 3.0], &device), Tolerance::F32);
    }
}
