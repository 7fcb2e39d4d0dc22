//! A bidirectional RNN (Schuster & Paliwal 1997): one cell reads the sequence forwards, another
//! reads it backwards, and their outputs at each time step are concatenated, so that the output
//! at t has seen the whole past (forward half) and the whole future (backward half).
//!
//! ```text
//! →h_t = →cell(x_t, →h_{t-1})        t = 1 .. T
//! ←h_t = ←cell(x_t, ←h_{t+1})        t = T .. 1
//! y_t  = [→h_t, ←h_t]                [batch, time, 2 hidden]
//! ```

use crate::any_cell::{AnyCell, CellKind};
use crate::cell::RecurrentCell;
use crate::unroll::reverse_in_time;
use anyhow::{Result, ensure};
use burn::config::Config;
use burn::module::Module;
use burn::prelude::{Device, Tensor};

/// Two fresh cells of one kind for a [`Bidirectional`] layer.
#[derive(Config, Debug)]
pub struct BidirectionalConfig {
    /// Which cell each direction uses.
    pub kind: CellKind,
    /// Width of `x_t`.
    pub input_size: usize,
    /// Width of each direction's `h_t` (the output is twice as wide).
    pub hidden_size: usize,
}

impl BidirectionalConfig {
    /// Two independently initialised cells (forward first).
    pub fn init(&self, device: &Device) -> Bidirectional<AnyCell> {
        Bidirectional {
            forward_cell: self.kind.init(self.input_size, self.hidden_size, device),
            backward_cell: self.kind.init(self.input_size, self.hidden_size, device),
        }
    }
}

/// A forward cell and a backward cell over the same sequence.
#[derive(Module, Debug)]
pub struct Bidirectional<C: Module + RecurrentCell> {
    /// Reads `x_1 .. x_T`; its outputs are `y[.., .., ..hidden]`.
    pub forward_cell: C,
    /// Reads `x_T .. x_1`; its outputs are `y[.., .., hidden..]`.
    pub backward_cell: C,
}

/// What [`Bidirectional::forward`] returns.
#[derive(Clone, Debug)]
pub struct BidirectionalOutput<S> {
    /// `[→h_t, ←h_t]` at every step: `[batch, time, 2 hidden]`.
    pub outputs: Tensor<3>,
    /// The forward cell's state after `x_T`.
    pub forward_state: S,
    /// The backward cell's state after `x_1` (it read the sequence last to first).
    pub backward_state: S,
}

impl<C: Module + RecurrentCell> Bidirectional<C> {
    /// Wraps two cells; an error unless they have the same input and hidden widths.
    pub fn new(forward_cell: C, backward_cell: C) -> Result<Self> {
        let sizes = |cell: &C| (cell.input_size(), cell.hidden_size());
        ensure!(
            sizes(&forward_cell) == sizes(&backward_cell),
            "Bidirectional::new: the forward cell is (input, hidden) = {:?} but the backward cell is {:?}",
            sizes(&forward_cell),
            sizes(&backward_cell)
        );
        Ok(Self { forward_cell, backward_cell })
    }

    /// Width of one direction's `h_t`; the output is `2 * hidden_size()` wide.
    pub fn hidden_size(&self) -> usize {
        self.forward_cell.hidden_size()
    }

    /// `inputs: [batch, time, input]` -> `[batch, time, 2 hidden]` and both final states.
    /// `initial = Some((forward, backward))` starts from given states instead of zeros.
    pub fn forward(
        &self,
        inputs: Tensor<3>,
        initial: Option<(C::State, C::State)>,
    ) -> BidirectionalOutput<C::State> {
        let (forward_initial, backward_initial) = initial.unzip();
        let (forward_outputs, forward_state) = self.forward_cell.unroll(inputs.clone(), forward_initial);
        let (reversed_outputs, backward_state) =
            self.backward_cell.unroll(reverse_in_time(inputs), backward_initial);
        let outputs = Tensor::cat(vec![forward_outputs, reverse_in_time(reversed_outputs)], 2);
        BidirectionalOutput { outputs, forward_state, backward_state }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::s;
    use burn::tensor::Distribution;
    use shared::testing::seeded;

    fn largest_change(a: Tensor<2>, b: Tensor<2>) -> f32 {
        (a - b).abs().max().into_scalar()
    }

    #[test]
    fn only_the_backward_half_sees_the_future() {
        seeded(5, |device| {
            let layer = BidirectionalConfig::new(CellKind::Gru, 2, 3).init(device);
            let x = Tensor::<3>::random([2, 4, 2], Distribution::Default, device);
            let changed_last =
                x.clone().slice_assign(s![.., 3..4, ..], Tensor::ones([2, 1, 2], device) * 5.0);
            let first_step = |x: Tensor<3>| -> Tensor<2> {
                layer.forward(x, None).outputs.slice(s![.., 0..1, ..]).squeeze_dim(1)
            };
            let (before, after) = (first_step(x), first_step(changed_last));
            let forward_change =
                largest_change(before.clone().slice(s![.., 0..3]), after.clone().slice(s![.., 0..3]));
            let backward_change = largest_change(before.slice(s![.., 3..6]), after.slice(s![.., 3..6]));
            assert_eq!(forward_change, 0.0, "the forward half at t=0 must not see x at t=3");
            assert!(backward_change > 1e-4, "the backward half at t=0 must see x at t=3 ({backward_change})");
        });
    }

    #[test]
    fn cells_of_different_sizes_are_an_error() {
        let device = Device::flex();
        let err = Bidirectional::new(CellKind::Rnn.init(2, 3, &device), CellKind::Rnn.init(2, 4, &device))
            .unwrap_err()
            .to_string();
        assert!(err.contains("(2, 3)") && err.contains("(2, 4)"), "{err}");
    }
}
