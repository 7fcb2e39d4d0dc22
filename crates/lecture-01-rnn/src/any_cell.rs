//! A cell chosen at run time: tanh RNN, LSTM (any variant) or GRU behind one type, so that an
//! experiment can loop over cell kinds and the wrappers (stacked, bidirectional, pyramidal) can
//! hold any of them. The plain LSTM and the GRU also come fused ([`crate::fused`]): the same
//! function, run over the whole sequence at once by [`RecurrentCell::unroll`].

use crate::cell::RecurrentCell;
use crate::fused::{self, FusedGru, FusedLstm};
use crate::gru_cell::{GruCell, GruCellConfig};
use crate::lstm_cell::{LstmCell, LstmCellConfig, LstmState, LstmVariant};
use crate::rnn_cell::{RnnCell, RnnCellConfig};
use burn::module::Module;
use burn::prelude::{Device, Tensor};
use serde::{Deserialize, Serialize};
use shared::experiment::Run;
use std::fmt;

/// Which cell to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CellKind {
    /// [`RnnCell`]: `h_t = tanh(x_t W_x + h_{t-1} W_h + b)`.
    Rnn,
    /// [`LstmCell`] of the given variant, forget bias 1.0.
    Lstm(LstmVariant),
    /// [`GruCell`].
    Gru,
    /// [`FusedLstm`]: computes what [`LstmCell`] (plain, forget bias 1.0) computes, from the
    /// same initial weights, over the whole sequence at once (see [`crate::lstm_cell`] for the
    /// equations). Same name as the cell's in records: it is the same model.
    FusedLstm,
    /// [`FusedGru`]: computes what [`GruCell`] computes, from the same initial weights (see
    /// [`crate::gru_cell`] for the equations).
    FusedGru,
}

impl CellKind {
    /// The plain LSTM.
    pub const LSTM: CellKind = CellKind::Lstm(LstmVariant::Vanilla);

    /// The plain LSTM an experiment trains: the from-scratch [`LstmCell`] at `--quick` size, which
    /// the claim tests run (so a wrong line in `lstm_cell.rs` turns them red), the fused layer at
    /// full size (the same function several times faster, held to the cell by
    /// `tests/parity_fused.rs`).
    pub fn lstm_for(run: &Run) -> CellKind {
        run.size(CellKind::LSTM, CellKind::FusedLstm)
    }

    /// The GRU an experiment trains: the from-scratch [`GruCell`] at `--quick` size, the fused
    /// layer at full size (as [`CellKind::lstm_for`]).
    pub fn gru_for(run: &Run) -> CellKind {
        run.size(CellKind::Gru, CellKind::FusedGru)
    }

    /// A freshly initialised cell of this kind (see each cell's config for the initialisation).
    pub fn init(self, input_size: usize, hidden_size: usize, device: &Device) -> AnyCell {
        match self {
            CellKind::Rnn => AnyCell::Rnn(RnnCellConfig::new(input_size, hidden_size).init(device)),
            CellKind::Lstm(variant) => {
                AnyCell::Lstm(LstmCellConfig::new(input_size, hidden_size).with_variant(variant).init(device))
            }
            CellKind::Gru => AnyCell::Gru(GruCellConfig::new(input_size, hidden_size).init(device)),
            CellKind::FusedLstm => {
                AnyCell::FusedLstm(fused::init_fused_lstm(input_size, hidden_size, device))
            }
            CellKind::FusedGru => AnyCell::FusedGru(fused::init_fused_gru(input_size, hidden_size, device)),
        }
    }
}

impl fmt::Display for CellKind {
    /// `RNN`, `LSTM`, `GRU`, or `LSTM-<variant>` (e.g. `LSTM-NFG`) for the ablation variants;
    /// a fused layer is named as the cell it computes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellKind::Rnn => f.write_str("RNN"),
            CellKind::Lstm(LstmVariant::Vanilla) | CellKind::FusedLstm => f.write_str("LSTM"),
            CellKind::Lstm(variant) => write!(f, "LSTM-{}", variant.abbreviation()),
            CellKind::Gru | CellKind::FusedGru => f.write_str("GRU"),
        }
    }
}

/// Any of the three cells, or a fused LSTM or GRU layer.
#[derive(Module, Debug)]
pub enum AnyCell {
    /// A tanh RNN cell.
    Rnn(RnnCell),
    /// An LSTM cell.
    Lstm(LstmCell),
    /// A GRU cell.
    Gru(GruCell),
    /// The plain LSTM as a fused layer (state `(h, c)`).
    FusedLstm(FusedLstm),
    /// The GRU as a fused layer (state `h`).
    FusedGru(FusedGru),
}

/// The state of an [`AnyCell`]: `h_t` alone (RNN, GRU) or `(h_t, c_t)` (LSTM).
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // moved once per step; boxing would allocate once per step
pub enum AnyState {
    /// `h_t: [batch, hidden]` of an RNN or GRU.
    Hidden(Tensor<2>),
    /// An LSTM's `(h_t, c_t)`.
    Lstm(LstmState),
}

impl AnyCell {
    /// The kind this cell was built as.
    pub fn kind(&self) -> CellKind {
        match self {
            AnyCell::Rnn(_) => CellKind::Rnn,
            AnyCell::Lstm(cell) => CellKind::Lstm(cell.variant()),
            AnyCell::Gru(_) => CellKind::Gru,
            AnyCell::FusedLstm(_) => CellKind::FusedLstm,
            AnyCell::FusedGru(_) => CellKind::FusedGru,
        }
    }

    /// The `(h, c)` of an LSTM state.
    ///
    /// # Panics
    /// On a state without a cell (`h` alone).
    fn lstm_state(state: AnyState) -> LstmState {
        match state {
            AnyState::Lstm(state) => state,
            AnyState::Hidden(_) => panic!("an LSTM was given a state without a cell (h alone)"),
        }
    }
}

impl RecurrentCell for AnyCell {
    type State = AnyState;

    fn input_size(&self) -> usize {
        match self {
            AnyCell::Rnn(cell) => cell.input_size(),
            AnyCell::Lstm(cell) => cell.input_size(),
            AnyCell::Gru(cell) => cell.input_size(),
            AnyCell::FusedLstm(layer) => layer.input_weight.dims()[0],
            AnyCell::FusedGru(layer) => layer.input_weight.dims()[0],
        }
    }

    fn hidden_size(&self) -> usize {
        match self {
            AnyCell::Rnn(cell) => cell.hidden_size(),
            AnyCell::Lstm(cell) => cell.hidden_size(),
            AnyCell::Gru(cell) => cell.hidden_size(),
            AnyCell::FusedLstm(layer) => layer.d_hidden(),
            AnyCell::FusedGru(layer) => layer.d_hidden(),
        }
    }

    fn zero_state(&self, batch: usize, device: &Device) -> AnyState {
        let zeros = || Tensor::zeros([batch, self.hidden_size()], device);
        match self {
            AnyCell::Rnn(cell) => AnyState::Hidden(cell.zero_state(batch, device)),
            AnyCell::Lstm(cell) => AnyState::Lstm(cell.zero_state(batch, device)),
            AnyCell::Gru(cell) => AnyState::Hidden(cell.zero_state(batch, device)),
            AnyCell::FusedLstm(_) => AnyState::Lstm(LstmState { hidden: zeros(), cell: zeros() }),
            AnyCell::FusedGru(_) => AnyState::Hidden(zeros()),
        }
    }

    /// A fused layer steps as a sequence of length 1 (right, but without its speed-up: use
    /// [`RecurrentCell::unroll`] for whole sequences).
    ///
    /// # Panics
    /// When given the state of another kind of cell (an LSTM state to a GRU, or the reverse):
    /// states come from this cell's [`RecurrentCell::zero_state`] or a previous step.
    fn step(&self, x_t: Tensor<2>, state: AnyState) -> AnyState {
        match (self, state) {
            (AnyCell::Rnn(cell), AnyState::Hidden(h)) => AnyState::Hidden(cell.step(x_t, h)),
            (AnyCell::Gru(cell), AnyState::Hidden(h)) => AnyState::Hidden(cell.step(x_t, h)),
            (AnyCell::Lstm(cell), AnyState::Lstm(state)) => AnyState::Lstm(cell.step(x_t, state)),
            (AnyCell::FusedGru(layer), AnyState::Hidden(h)) => {
                AnyState::Hidden(fused::gru_step(layer, x_t, h))
            }
            (AnyCell::FusedLstm(layer), AnyState::Lstm(state)) => {
                AnyState::Lstm(fused::lstm_step(layer, x_t, state))
            }
            (cell, state) => panic!(
                "AnyCell::step: a {} cell was given a state of another kind of cell ({})",
                cell.kind(),
                match state {
                    AnyState::Hidden(_) => "h alone",
                    AnyState::Lstm(_) => "LSTM (h, c)",
                }
            ),
        }
    }

    fn hidden(state: &AnyState) -> Tensor<2> {
        match state {
            AnyState::Hidden(h) => h.clone(),
            AnyState::Lstm(state) => state.hidden.clone(),
        }
    }

    fn with_hidden(state: AnyState, hidden: Tensor<2>) -> AnyState {
        match state {
            AnyState::Hidden(_) => AnyState::Hidden(hidden),
            AnyState::Lstm(state) => AnyState::Lstm(LstmCell::with_hidden(state, hidden)),
        }
    }

    /// A fused layer takes the whole sequence in one call; a cell steps through it.
    fn unroll(&self, inputs: Tensor<3>, initial: Option<AnyState>) -> (Tensor<3>, AnyState) {
        match self {
            AnyCell::FusedLstm(layer) => {
                let (outputs, state) = fused::lstm_sequence(layer, inputs, initial.map(Self::lstm_state));
                (outputs, AnyState::Lstm(state))
            }
            AnyCell::FusedGru(layer) => {
                let (outputs, h) = fused::gru_sequence(layer, inputs, initial.map(|s| Self::hidden(&s)));
                (outputs, AnyState::Hidden(h))
            }
            cell => crate::unroll::unroll(cell, inputs, initial),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_builds_a_cell_of_that_kind_and_size() {
        let device = Device::flex();
        let kinds = [CellKind::Rnn, CellKind::Gru, CellKind::FusedLstm, CellKind::FusedGru]
            .into_iter()
            .chain(LstmVariant::ALL.into_iter().map(CellKind::Lstm));
        for kind in kinds {
            let cell = kind.init(3, 5, &device);
            assert_eq!(cell.kind(), kind);
            assert_eq!((cell.input_size(), cell.hidden_size()), (3, 5), "{kind}");
            let state = cell.step(Tensor::zeros([2, 3], &device), cell.zero_state(2, &device));
            assert_eq!(AnyCell::hidden(&state).dims(), [2, 5], "{kind}");
        }
    }

    #[test]
    fn names_are_short_and_distinct() {
        assert_eq!(CellKind::LSTM.to_string(), "LSTM");
        assert_eq!(CellKind::Lstm(LstmVariant::NoForgetGate).to_string(), "LSTM-NFG");
        assert_eq!(CellKind::Rnn.to_string(), "RNN");
        assert_eq!(CellKind::FusedLstm.to_string(), "LSTM", "the same model, computed fused");
    }
}
