//! The highway layer (Srivastava, Greff & Schmidhuber 2015): a plain layer's transform `H`,
//! mixed with the untouched input by a learned *transform gate* `T`:
//!
//! ```text
//! H = g(x W_H + b_H)                          the plain layer's output        [batch, width]
//! T = σ(x W_T + b_T)                          transform gate, in (0, 1)       [batch, width]
//! y = T ⊙ H + (1 - T) ⊙ x                     carry gate C = 1 - T
//! ```
//!
//! Where `T ≈ 0` the unit *carries* its input through unchanged, and so does the gradient:
//! `∂y/∂x ≈ I`, whatever the depth. `b_T` starts negative ([`HighwayLayer::new`]'s
//! `gate_bias`, -3 in [`crate::deep_net`]: `T ≈ σ(-3) = 0.047`), so a fresh deep highway net is
//! close to the identity and trains; each layer learns how much to transform, and per example.
//! [`HighwayLayer::with_frozen_gate`] stops `W_T`, `b_T` from learning (the gate claim's
//! control): `T` then moves only with its input `x`.
//!
//! `W_H` and `W_T` are one fused matrix `[width, 2 width]` (columns: `H` block, then `T` block),
//! so both come from one matrix product. Read as a recurrence over the layer index, this is a
//! GRU step with no input and no reset gate: see [`crate::highway_gru`].

use crate::layer::Activation;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::sigmoid;
use shared::init::scaled_normal_linear;

/// `y = T ⊙ g(x W_H + b_H) + (1 - T) ⊙ x` with `T = σ(x W_T + b_T)`.
#[derive(Module, Debug)]
pub struct HighwayLayer {
    /// Fused `[W_H, W_T]: [width, 2 width]` and `[b_H, b_T]: [2 width]`.
    pub transform_and_gate: Linear,
    #[module(skip)]
    activation: Activation,
    /// `W_T`, `b_T` get no gradient: the gate stays as initialised, up to its input.
    #[module(skip)]
    gate_frozen: bool,
}

impl HighwayLayer {
    /// A layer of `width` units: `W_H`, `W_T` He-initialised, `b_T = gate_bias` (negative:
    /// the layer starts by mostly carrying its input).
    pub fn new(width: usize, activation: Activation, gate_bias: f64, device: &Device) -> Self {
        let mut linear = scaled_normal_linear(width, 2 * width, activation.gain(), device);
        let bias = linear.bias.as_ref().expect("burn's Linear has a bias by default").val();
        linear.bias = Some(Param::from_tensor(bias.slice_fill(width..2 * width, gate_bias).detach()));
        Self { transform_and_gate: linear, activation, gate_frozen: false }
    }

    /// A layer from its fused parameters `[W_H, W_T]: [width, 2 width]`, `[b_H, b_T]: [2 width]`.
    pub fn from_linear(transform_and_gate: Linear, activation: Activation) -> Self {
        Self { transform_and_gate, activation, gate_frozen: false }
    }

    /// The same layer whose gate parameters `W_T`, `b_T` never learn: `T = σ(x W_T + b_T)` with
    /// both detached from the gradient, so the optimiser leaves them where they started.
    pub fn with_frozen_gate(self) -> Self {
        Self { gate_frozen: true, ..self }
    }

    /// The nonlinearity `g` of `H`.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// `x: [batch, width]` -> `y: [batch, width]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.forward_with_gate(x).0
    }

    /// `y` and the transform gate `T`, both `[batch, width]`.
    pub fn forward_with_gate(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let [h, t]: [Tensor<2>; 2] =
            self.transform_and_gate.forward(x.clone()).chunk(2, 1).try_into().expect("two blocks");
        let transform = self.activation.apply(h);
        let gate = sigmoid(if self.gate_frozen { self.frozen_gate_input(x.clone()) } else { t });
        // T ⊙ H + (1 - T) ⊙ x  =  x + T ⊙ (H - x)
        (x.clone() + gate.clone() * (transform - x), gate)
    }

    /// `x W_T + b_T: [batch, width]` with `W_T`, `b_T` detached: the gradient reaches `x` only.
    fn frozen_gate_input(&self, x: Tensor<2>) -> Tensor<2> {
        let width = x.dims()[1];
        let w_t = self.transform_and_gate.weight.val().detach().narrow(1, width, width);
        let bias = self.transform_and_gate.bias.as_ref().expect("burn's Linear has a bias by default");
        x.matmul(w_t) + bias.val().detach().narrow(0, width, width).unsqueeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::weights::linear;
    use shared::testing::{Tolerance, assert_tensors_close};

    fn one_unit(w_h: f32, w_t: f32, b_h: f32, b_t: f32, activation: Activation) -> HighwayLayer {
        let device = Device::flex();
        let weight = Tensor::<2>::from_floats([[w_h, w_t]], &device);
        let bias = Tensor::<1>::from_floats([b_h, b_t], &device);
        HighwayLayer::from_linear(linear(weight, Some(bias)), activation)
    }

    #[test]
    fn a_hand_computed_unit() {
        // x = 0.5, H = tanh(0.5), T = σ(0) = 0.5: y = 0.5 tanh(0.5) + 0.5 * 0.5 = 0.48105858.
        let layer = one_unit(1.0, 0.0, 0.0, 0.0, Activation::Tanh);
        let x = Tensor::<2>::from_floats([[0.5]], &Device::flex());
        let (y, gate) = layer.forward_with_gate(x);
        assert_tensors_close("y", y, Tensor::from_floats([[0.481_058_58]], &Device::flex()), Tolerance::F32);
        assert_tensors_close("T", gate, Tensor::from_floats([[0.5]], &Device::flex()), Tolerance::F32);
    }

    #[test]
    fn a_closed_gate_carries_the_input_and_an_open_one_transforms_it() {
        let x = Tensor::<2>::from_floats([[0.5], [-2.0]], &Device::flex());
        let closed = one_unit(3.0, 0.0, 1.0, -50.0, Activation::Relu);
        assert_tensors_close("T = 0", closed.forward(x.clone()), x.clone(), Tolerance::F32);
        let open = one_unit(3.0, 0.0, 1.0, 50.0, Activation::Relu);
        let h = Tensor::<2>::from_floats([[2.5], [0.0]], &Device::flex());
        assert_tensors_close("T = 1", open.forward(x), h, Tolerance::F32);
    }

    #[test]
    fn a_frozen_gate_computes_the_same_and_gives_w_t_and_b_t_no_gradient() {
        let device = Device::flex().autodiff();
        let layer = HighwayLayer::new(3, Activation::Tanh, -1.0, &device);
        let frozen = layer.clone().with_frozen_gate();
        let x = Tensor::<2>::from_floats([[0.5, -1.0, 2.0]], &device);
        let (y, gate) = layer.forward_with_gate(x.clone());
        let (y_frozen, gate_frozen) = frozen.forward_with_gate(x.clone());
        assert_tensors_close("y", y.clone(), y_frozen.clone(), Tolerance::F32);
        assert_tensors_close("T", gate, gate_frozen, Tolerance::F32);
        let grads = y_frozen.sum().backward();
        let dw = frozen.transform_and_gate.weight.grad(&grads).expect("W_H learns");
        let db = frozen.transform_and_gate.bias.as_ref().unwrap().grad(&grads).expect("b_H learns");
        let zero = |t: Tensor<2>| t.abs().max().into_scalar::<f32>() == 0.0;
        assert!(zero(dw.clone().narrow(1, 3, 3)), "dL/dW_T = 0");
        assert!(!zero(dw.narrow(1, 0, 3)), "dL/dW_H != 0");
        assert!(zero(db.unsqueeze::<2>().narrow(1, 3, 3)), "dL/db_T = 0");
    }

    #[test]
    fn new_layers_start_with_the_gate_bias() {
        let layer = HighwayLayer::new(3, Activation::Tanh, -2.0, &Device::flex());
        let bias: Vec<f32> = layer.transform_and_gate.bias.unwrap().val().into_data().iter::<f32>().collect();
        assert_eq!(&bias[3..], &[-2.0, -2.0, -2.0]);
    }
}
