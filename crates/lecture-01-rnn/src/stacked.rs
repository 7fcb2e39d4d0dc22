//! A deep (stacked) RNN: L cells on top of each other; layer l's output sequence is layer l+1's
//! input sequence, and the top layer's output is the network's.
//!
//! ```text
//! h⁰_t = x_t,    (hˡ_t, stateˡ_t) = cellˡ(hˡ⁻¹_t, stateˡ_{t-1}),   output_t = hᴸ_t
//! ```
//!
//! Running layer 1 over the whole sequence, then layer 2, ... gives the same numbers as stepping
//! all layers at each time step, which is what this does: so a stack is itself a
//! [`RecurrentCell`] (its state is the list of the layers' states) and works with
//! [`crate::unroll`], [`crate::bidirectional`] and everything else that takes a cell.

use crate::any_cell::{AnyCell, CellKind};
use crate::cell::RecurrentCell;
use crate::unroll::unroll;
use anyhow::{Result, ensure};
use burn::config::Config;
use burn::module::Module;
use burn::prelude::{Device, Tensor};

/// A stack of `layers` cells of one kind: the first reads `input_size`, all are `hidden_size` wide.
#[derive(Config, Debug)]
pub struct StackedRnnConfig {
    /// Which cell every layer uses.
    pub kind: CellKind,
    /// Width of the input `x_t`.
    pub input_size: usize,
    /// Width of every layer's `h_t`.
    pub hidden_size: usize,
    /// Number of layers L (at least 1).
    pub layers: usize,
}

impl StackedRnnConfig {
    /// The freshly initialised stack; an error when `layers` is 0.
    pub fn init(&self, device: &Device) -> Result<StackedRnn<AnyCell>> {
        ensure!(self.layers > 0, "StackedRnnConfig: a stacked RNN needs at least one layer, got 0");
        let layers = (0..self.layers)
            .map(|l| {
                let input = if l == 0 { self.input_size } else { self.hidden_size };
                self.kind.init(input, self.hidden_size, device)
            })
            .collect();
        StackedRnn::new(layers)
    }
}

/// L recurrent cells, bottom first.
#[derive(Module, Debug)]
pub struct StackedRnn<C: Module + RecurrentCell> {
    /// The cells, `layers[0]` reading the input.
    pub layers: Vec<C>,
}

impl<C: Module + RecurrentCell> StackedRnn<C> {
    /// A stack of the given cells, bottom first: an error when there are none or when a layer's
    /// input width differs from the hidden width of the layer below.
    pub fn new(layers: Vec<C>) -> Result<Self> {
        ensure!(!layers.is_empty(), "StackedRnn::new: a stacked RNN needs at least one layer");
        for (l, pair) in layers.windows(2).enumerate() {
            ensure!(
                pair[1].input_size() == pair[0].hidden_size(),
                "StackedRnn::new: layer {} reads {} features but layer {l} outputs {}",
                l + 1,
                pair[1].input_size(),
                pair[0].hidden_size()
            );
        }
        Ok(Self { layers })
    }

    /// Number of layers L.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// `inputs: [batch, time, input]` -> the top layer's outputs `[batch, time, hidden]` and
    /// every layer's final state (bottom first); starts from zeros unless `initial` is given.
    pub fn forward(&self, inputs: Tensor<3>, initial: Option<Vec<C::State>>) -> (Tensor<3>, Vec<C::State>) {
        unroll(self, inputs, initial)
    }

    fn top(&self) -> &C {
        self.layers.last().expect("StackedRnn::new ensures at least one layer")
    }
}

impl<C: Module + RecurrentCell> RecurrentCell for StackedRnn<C> {
    type State = Vec<C::State>;

    fn input_size(&self) -> usize {
        self.layers[0].input_size()
    }

    fn hidden_size(&self) -> usize {
        self.top().hidden_size()
    }

    fn zero_state(&self, batch: usize, device: &Device) -> Vec<C::State> {
        self.layers.iter().map(|layer| layer.zero_state(batch, device)).collect()
    }

    fn step(&self, x_t: Tensor<2>, states: Vec<C::State>) -> Vec<C::State> {
        let mut below = x_t;
        let mut next = Vec::with_capacity(states.len());
        for (layer, state) in self.layers.iter().zip(states) {
            let state = layer.step(below, state);
            below = C::hidden(&state);
            next.push(state);
        }
        next
    }

    fn hidden(states: &Vec<C::State>) -> Tensor<2> {
        C::hidden(states.last().expect("a stack's state has one entry per layer"))
    }

    fn with_hidden(mut states: Vec<C::State>, hidden: Tensor<2>) -> Vec<C::State> {
        if let Some(top) = states.pop() {
            states.push(C::with_hidden(top, hidden));
        }
        states
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::any_cell::AnyState;
    use shared::testing::{Tolerance, assert_tensors_close, seeded};

    #[test]
    fn a_stack_equals_running_its_layers_one_after_the_other() {
        seeded(3, |device| {
            let stack = StackedRnnConfig::new(CellKind::LSTM, 3, 4, 3).init(device).unwrap();
            assert_eq!(stack.depth(), 3);
            let x = Tensor::<3>::random([2, 5, 3], burn::tensor::Distribution::Default, device);
            let (outputs, states) = stack.forward(x.clone(), None);
            assert_eq!(outputs.dims(), [2, 5, 4]);
            assert_eq!(states.len(), 3);

            let mut sequence = x;
            for layer in &stack.layers {
                sequence = unroll(layer, sequence, None).0;
            }
            assert_tensors_close("stack vs layer by layer", outputs, sequence, Tolerance::F32);
            assert!(matches!(states[2], AnyState::Lstm(_)));
        });
    }

    #[test]
    fn an_empty_or_mismatched_stack_is_an_error() {
        let device = Device::flex();
        assert!(StackedRnnConfig::new(CellKind::Gru, 3, 4, 0).init(&device).is_err());
        let layers = vec![CellKind::Rnn.init(3, 4, &device), CellKind::Rnn.init(5, 4, &device)];
        let err = StackedRnn::new(layers).unwrap_err().to_string();
        assert!(err.contains("layer 1 reads 5 features but layer 0 outputs 4"), "{err}");
    }
}
