//! Which implementation runs the GRUs of the encoder-decoder and the captioner.
//!
//! Both compute the function of [`crate::gru`] (see there for the equations):
//!
//! - [`Recurrence::StepWise`]: the lecture's [`GruLayer`], one matmul and a dozen tensor
//!   operations per time step, each a node of burn's autodiff graph. This is the one to read.
//! - [`Recurrence::Fused`]: `shared::recurrent::FusedGru`, the whole sequence in one call, with
//!   backpropagation through time written by hand (one autodiff node). The default runs use it:
//!   it is several times faster on the flex backend.
//!
//! A fused model starts from the step-wise layer's own initial weights ([`GruLayer::fused`]), so
//! at the same seed the two start as the same function and train alike, up to rounding.
//! `tests/parity.rs` holds them to each other, outputs and gradients.
//! Shapes: `x: [batch, time, input]`, `h: [batch, hidden]`.

use crate::gru::{GruLayer, GruLayerConfig};
use burn::prelude::*;
use serde::Serialize;
use shared::recurrent::FusedGru;

/// How a [`Gru`] runs over time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Recurrence {
    /// The lecture's [`GruLayer`], unrolled step by step.
    StepWise,
    /// `shared::recurrent::FusedGru`: the same function over the whole sequence at once.
    Fused,
}

/// A GRU layer, step-wise or fused.
#[derive(Module, Debug)]
pub enum Gru {
    /// The lecture's layer.
    StepWise(GruLayer),
    /// The same function, fused: the lecture's layer's weights with the gate blocks reordered.
    Fused(FusedGru),
}

impl Gru {
    /// A fresh layer `input -> hidden`: the step-wise layer's initialisation, fused if asked.
    pub fn new(recurrence: Recurrence, input: usize, hidden: usize, device: &Device) -> Self {
        let layer = GruLayerConfig::new(input, hidden).init(device);
        match recurrence {
            Recurrence::StepWise => Gru::StepWise(layer),
            Recurrence::Fused => Gru::Fused(layer.fused()),
        }
    }

    /// Runs over `x: [batch, time, input]` from `h_0` (zeros if `None`); returns every `h_t`
    /// `[batch, time, hidden]` and the last one `[batch, hidden]`.
    pub fn forward(&self, x: Tensor<3>, h_0: Option<Tensor<2>>) -> (Tensor<3>, Tensor<2>) {
        match self {
            Gru::StepWise(layer) => layer.forward(x, h_0),
            Gru::Fused(layer) => {
                let states = layer.forward(x, h_0);
                let time = states.dims()[1];
                (states.clone(), states.narrow(1, time - 1, 1).squeeze_dim(1))
            }
        }
    }

    /// One step for generation: `x_t: [batch, input]` and `h_{t-1}: [batch, hidden]` in, `h_t` out.
    pub fn step(&self, x_t: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        match self {
            Gru::StepWise(layer) => layer.step(layer.project(x_t.unsqueeze_dim(1)).squeeze_dim(1), h),
            Gru::Fused(layer) => layer.forward(x_t.unsqueeze_dim(1), Some(h)).squeeze_dim(1),
        }
    }
}
