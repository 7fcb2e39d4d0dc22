//! Many-to-one: a recurrent cell reads the whole sequence, a linear read-out of its last hidden
//! state gives the answer.
//!
//! ```text
//! h_t = cell(x_t, h_{t-1})  for t = 1..T,      y = h_T W_out + b_out
//! ```
//!
//! Shapes: `inputs: [batch, time, input]`, `h_t: [batch, hidden]`, `W_out: [hidden, output]`,
//! `y: [batch, output]`. Everything the model knows about `x_1` must have been carried in the
//! state for `T - 1` steps: the shape of model the adding problem asks for.

use crate::any_cell::{AnyCell, CellKind};
use crate::cell::{RecurrentCell, uniform, uniform_param};
use crate::feedforward::Dense;
use crate::unroll::unroll_probed;
use burn::module::{Module, Param};
use burn::prelude::{Device, Tensor};

/// A recurrent cell with a linear read-out of its last hidden state.
#[derive(Module, Debug)]
pub struct ManyToOne {
    /// The recurrent cell, any kind.
    pub cell: AnyCell,
    /// `W_out: [hidden, output]`, `b_out: [output]`.
    pub readout: Dense,
}

/// The answer of [`ManyToOne::forward_probed`] and the probes that read `dLoss/dh_t`.
#[derive(Clone, Debug)]
pub struct ProbedPrediction {
    /// `y: [batch, output]`.
    pub prediction: Tensor<2>,
    /// One zero tensor `[batch, hidden]` per step: after `loss.backward()`,
    /// `probes[t].grad(&grads)` is `dLoss/dh_t`.
    pub probes: Vec<Tensor<2>>,
}

impl ManyToOne {
    /// A fresh cell of `kind` (`input -> hidden`) and a read-out `hidden -> output`, the read-out
    /// drawn from `U(-1/sqrt(hidden), 1/sqrt(hidden))`.
    pub fn new(kind: CellKind, input: usize, hidden: usize, output: usize, device: &Device) -> ManyToOne {
        ManyToOne {
            cell: kind.init(input, hidden, device),
            readout: Dense {
                weight: Param::from_tensor(uniform([hidden, output], hidden, device)),
                bias: uniform_param([output], hidden, device),
            },
        }
    }

    /// `inputs: [batch, time, input]` -> `y: [batch, output]` from `h_T` (through
    /// [`RecurrentCell::unroll`]: in one call for a fused layer, step by step for a cell).
    pub fn forward(&self, inputs: Tensor<3>) -> Tensor<2> {
        let (_, state) = self.cell.unroll(inputs, None);
        self.readout.forward(AnyCell::hidden(&state))
    }

    /// [`ManyToOne::forward`] with a probe on every `h_t` (see [`crate::unroll::unroll_probed`]);
    /// `inputs` must be on an autodiff device.
    pub fn forward_probed(&self, inputs: Tensor<3>) -> ProbedPrediction {
        let probed = unroll_probed(&self.cell, inputs, None);
        let prediction = self.readout.forward(AnyCell::hidden(&probed.state));
        ProbedPrediction { prediction, probes: probed.probes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::{Tolerance, assert_tensors_close, seeded};

    #[test]
    fn the_answer_reads_the_last_hidden_state_only() {
        seeded(1, |device| {
            let model = ManyToOne::new(CellKind::LSTM, 2, 3, 1, device);
            let x = Tensor::<3>::random([4, 5, 2], burn::tensor::Distribution::Default, device);
            let (outputs, _) = crate::unroll::unroll(&model.cell, x.clone(), None);
            let h_last = outputs.slice(burn::prelude::s![.., 4..5, ..]).squeeze_dim(1);
            let expected = model.readout.forward(h_last);
            assert_tensors_close("y", model.forward(x.clone()), expected.clone(), Tolerance::F32);
            let probed = model.forward_probed(x);
            assert_eq!(probed.probes.len(), 5);
            assert_tensors_close("probed y", probed.prediction, expected, Tolerance::F32);
        });
    }
}
