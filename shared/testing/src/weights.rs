//! Building burn's own modules from given weights, for parity tests.
//!
//! A parity test builds our from-scratch layer, copies its weights into burn's module of the
//! same kind, and asserts equal outputs and gradients. burn's `Linear` computes
//! `y = x W + b` with `W: [d_input, d_output]` (the transpose of PyTorch's `[out, in]`), and its
//! recurrent modules (`Lstm`, `Gru`) hold one [`GateController`] per gate: an input transform
//! `[d_input, d_hidden]` and a hidden transform `[d_hidden, d_hidden]`, each with its own bias.
//! A fused layer that keeps all gates in one `[d_input, 4 * d_hidden]` matrix hands each gate
//! its column block with [`column_block`].

use super::grads::param_grad;
use super::{Tolerance, assert_tensors_close};
use burn::module::Param;
use burn::nn::{GateController, Linear};
use burn::prelude::{Tensor, s};
use burn::tensor::Gradients;

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

/// Where one gate sits in a fused recurrent layer whose `W: [input + hidden, k * width]` stacks
/// the rows that multiply `x` over the rows that multiply `h`, and whose `b: [k * width]` holds
/// one bias per gate: the gate is column block `block` of both.
#[derive(Clone, Copy, Debug)]
pub struct FusedGate {
    /// Rows of `W` that multiply the input `x` (the rest multiply `h`).
    pub input: usize,
    /// Columns per gate (the hidden size).
    pub width: usize,
    /// Which gate: the column block.
    pub block: usize,
}

impl FusedGate {
    /// burn's gate computing this block of the fused `weight` and `bias`, as fresh leaves
    /// (detached after slicing, so burn's gradients land on the gate's own parameters). burn's
    /// hidden transform gets no bias: the fused layer has one bias per gate.
    pub fn burn_gate(self, weight: &Tensor<2>, bias: &Tensor<1>) -> GateController {
        let [rows, _] = weight.dims();
        let columns = |rows: std::ops::Range<usize>| {
            column_block(weight.clone().slice(s![rows, ..]), self.block, self.width)
        };
        gate(
            columns(0..self.input).detach(),
            Some(bias_block(bias.clone(), self.block, self.width).detach()),
            columns(self.input..rows).detach(),
            None,
        )
    }

    /// Asserts that burn's gate (built by [`FusedGate::burn_gate`]) got this block of the fused
    /// layer's gradients `weight_grad: [input + hidden, k * width]` and `bias_grad: [k * width]`.
    pub fn assert_grads(
        self,
        what: &str,
        burn_gate: &GateController,
        (weight_grad, bias_grad): (&Tensor<2>, &Tensor<1>),
        grads: &Gradients,
    ) {
        let [rows, _] = weight_grad.dims();
        let block = |rows: std::ops::Range<usize>| {
            column_block(weight_grad.clone().slice(s![rows, ..]), self.block, self.width)
        };
        let input_weight = param_grad(what, &burn_gate.input_transform.weight, grads);
        assert_tensors_close(
            &format!("{what}: dW rows of x"),
            input_weight,
            block(0..self.input),
            Tolerance::F32,
        );
        let hidden_weight = param_grad(what, &burn_gate.hidden_transform.weight, grads);
        assert_tensors_close(
            &format!("{what}: dW rows of h"),
            hidden_weight,
            block(self.input..rows),
            Tolerance::F32,
        );
        let bias = burn_gate.input_transform.bias.as_ref().expect("the gate has an input bias");
        let expected = bias_block(bias_grad.clone(), self.block, self.width);
        assert_tensors_close(&format!("{what}: db"), param_grad(what, bias, grads), expected, Tolerance::F32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Tolerance, assert_tensors_close};
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

    #[test]
    fn a_fused_gate_computes_its_block_and_receives_its_block_of_the_gradients() {
        use burn::tensor::Distribution;
        crate::seeded(3, |device| {
            let (input, width) = (2, 3);
            let normal =
                |shape: [usize; 2]| Tensor::<2>::random(shape, Distribution::Normal(0.0, 1.0), device);
            let weight = normal([input + width, 2 * width]).require_grad();
            let bias = normal([1, 2 * width]).reshape([2 * width]).require_grad();
            let (x, h) = (normal([4, input]), normal([4, width]));
            let fused = FusedGate { input, width, block: 1 };
            let all_gates = Tensor::cat(vec![x.clone(), h.clone()], 1).matmul(weight.clone());
            let ours = (all_gates + bias.clone().unsqueeze()).slice(s![.., width..2 * width]);
            let burn_gate = fused.burn_gate(&weight, &bias);
            let theirs = burn_gate.gate_product(x, h);
            assert_tensors_close("gate", theirs.clone(), ours.clone(), Tolerance::F32);
            let grads = (ours.sum() + theirs.sum()).backward();
            let (dw, db) = (weight.grad(&grads).unwrap(), bias.grad(&grads).unwrap());
            fused.assert_grads("block 1", &burn_gate, (&dw, &db), &grads);
        });
    }
}
