//! The lecture's view of a highway network: an RNN laid along depth. One highway layer is one
//! step of a GRU that has **no reset gate** and gets **no input** at its steps; the layer index
//! plays the role of time and the layer's input `x` is the previous hidden state.
//!
//! ```text
//! GRU without reset, no input:              highway layer (tanh transform):
//! z  = σ(h W_z + b_z)       update gate     T = σ(x W_T + b_T)        transform gate
//! n  = tanh(h W_n + b_n)    candidate       H = tanh(x W_H + b_H)     transform
//! h' = (1 - z) ⊙ n + z ⊙ h                 y = T ⊙ H + (1 - T) ⊙ x
//! ```
//!
//! They are the same map with `h = x`, `n = H` and `z = 1 - T`, the carry gate. Since
//! `1 - σ(a) = σ(-a)`, the update gate's parameters are the transform gate's negated:
//! `W_z = -W_T`, `b_z = -b_T`, `W_n = W_H`, `b_n = b_H` ([`ResetlessGruCell::from_highway`]).
//! A GRU would also feed an input `x_t` into `z` and `n` and scale `h` inside `n` by a reset
//! gate; a highway layer has neither. The differences that remain are of use, not of form: a
//! GRU ties its weights across time, a highway net usually has new weights at every layer (with
//! tied weights it is exactly this GRU run for `depth` steps: [`ResetlessGruCell::run`]).

use crate::highway::HighwayLayer;
use crate::layer::Activation;
use anyhow::{Result, ensure};
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::prelude::Tensor;
use burn::tensor::activation::sigmoid;

/// A GRU cell without reset gate and without input: `h' = (1 - z) ⊙ n + z ⊙ h`.
#[derive(Module, Debug)]
pub struct ResetlessGruCell {
    /// `W_z: [hidden, hidden]`, `b_z: [hidden]`.
    pub update: Linear,
    /// `W_n: [hidden, hidden]`, `b_n: [hidden]`.
    pub candidate: Linear,
}

impl ResetlessGruCell {
    /// The GRU step that computes exactly what `layer` computes; an error unless the layer's
    /// transform is tanh (the GRU's candidate nonlinearity).
    pub fn from_highway(layer: &HighwayLayer) -> Result<Self> {
        ensure!(
            layer.activation() == Activation::Tanh,
            "a highway layer is a GRU step only with a tanh transform, this one uses {:?}",
            layer.activation()
        );
        let fused = &layer.transform_and_gate;
        let weight = fused.weight.val();
        let columns = weight.dims()[1];
        let width = columns / 2;
        let bias =
            fused.bias.as_ref().map_or_else(|| Tensor::zeros([columns], &weight.device()), |b| b.val());
        // The GRU gets its own copies of the parameters (detached from the highway layer's).
        let linear = |w: Tensor<2>, b: Tensor<1>| Linear {
            weight: Param::from_tensor(w.detach()),
            bias: Some(Param::from_tensor(b.detach())),
        };
        Ok(Self {
            update: linear(-weight.clone().narrow(1, width, width), -bias.clone().narrow(0, width, width)),
            candidate: linear(weight.narrow(1, 0, width), bias.narrow(0, 0, width)),
        })
    }

    /// One step, `h: [batch, hidden]` -> `h': [batch, hidden]`.
    pub fn step(&self, h: Tensor<2>) -> Tensor<2> {
        let update = sigmoid(self.update.forward(h.clone()));
        let candidate = self.candidate.forward(h.clone()).tanh();
        // (1 - z) ⊙ n + z ⊙ h  =  n + z ⊙ (h - n)
        candidate.clone() + update * (h - candidate)
    }

    /// `steps` steps from `h`: a highway net of depth `steps` whose layers share one set of weights.
    pub fn run(&self, h: Tensor<2>, steps: usize) -> Tensor<2> {
        (0..steps).fold(h, |h, _| self.step(h))
    }
}
