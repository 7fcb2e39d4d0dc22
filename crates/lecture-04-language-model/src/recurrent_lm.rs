//! The recurrent language model (Mikolov et al. 2010; Zaremba et al. 2014 with an LSTM):
//!
//! ```text
//! x_t = E[w_t]                    E: [V, embedding]          x: [B, T, embedding]
//! h_t = recurrent(x_t, h_{t-1})   tanh RNN or LSTM           h: [B, T, hidden]
//! log P(w_{t+1} | w_1 .. w_t) = output(h_t)                   full or class-based softmax
//! ```
//!
//! Unlike an n-gram or the feed-forward LM, the history is not cut at `N - 1` words: `h_t`
//! summarises everything read so far (in practice, what truncated backpropagation lets it learn).

use crate::lstm::{Lstm, LstmState};
use crate::output_layer::{OutputLayer, ids};
use crate::rnn::Rnn;
use crate::streams::Window;
use burn::module::Module;
use burn::nn::{Embedding, EmbeddingConfig};
use burn::prelude::{Device, Tensor};
use serde::Serialize;
use shared::recurrent::{self, FusedLstm};

/// Which recurrent layer to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RecurrentKind {
    /// A tanh RNN ([`Rnn`]).
    Rnn,
    /// An LSTM ([`Lstm`]), run step by step as the lecture writes it.
    Lstm,
    /// The same LSTM run by shared's fused layer ([`FusedLstm`]): what the experiments train.
    FusedLstm,
}

impl RecurrentKind {
    /// The model's name in curves and progress lines (both LSTM kinds are the same model).
    pub fn label(self) -> &'static str {
        match self {
            RecurrentKind::Rnn => "RNN",
            RecurrentKind::Lstm | RecurrentKind::FusedLstm => "LSTM",
        }
    }
}

/// The recurrent layer.
#[derive(Module, Debug)]
pub enum Recurrent {
    Rnn(Rnn),
    Lstm(Lstm),
    /// The function [`Lstm`] computes (equations in [`crate::lstm`], same initial weights: the
    /// stacked `W: [input + hidden, 4 hidden]` split into its `x` rows and its `h` rows), but over
    /// the whole window at once: one matrix product projects every step's input, and the
    /// backward pass through time is written by hand as a single autodiff node. Faster than
    /// unrolling [`Lstm::step`] (the README's Speed section); `tests/parity.rs` holds the two to
    /// each other.
    FusedLstm(FusedLstm),
}

/// What flows from one window to the next.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // moved once per window; boxing would allocate once per window
pub enum RecurrentState {
    /// An RNN's `h_t: [B, hidden]`.
    Rnn(Tensor<2>),
    /// An LSTM's `(h_t, c_t)`.
    Lstm(LstmState),
}

impl RecurrentState {
    /// The state cut from the graph.
    pub fn detach(self) -> RecurrentState {
        match self {
            RecurrentState::Rnn(h) => RecurrentState::Rnn(h.detach()),
            RecurrentState::Lstm(state) => RecurrentState::Lstm(state.detach()),
        }
    }

    /// An LSTM's `(h_t, c_t)`; `None` for an RNN's state.
    fn into_lstm(self) -> Option<LstmState> {
        match self {
            RecurrentState::Lstm(state) => Some(state),
            RecurrentState::Rnn(_) => None,
        }
    }
}

/// Embedding, one recurrent layer, output layer.
#[derive(Module, Debug)]
pub struct RecurrentLm {
    pub embedding: Embedding,
    pub recurrent: Recurrent,
    pub output: OutputLayer,
}

impl RecurrentLm {
    /// A model with a `kind` layer of `hidden` units over `embedding`-wide word vectors.
    pub fn new(
        kind: RecurrentKind,
        vocab: usize,
        embedding: usize,
        hidden: usize,
        output: OutputLayer,
        device: &Device,
    ) -> RecurrentLm {
        let recurrent = match kind {
            RecurrentKind::Rnn => Recurrent::Rnn(Rnn::new(embedding, hidden, device)),
            RecurrentKind::Lstm => Recurrent::Lstm(Lstm::new(embedding, hidden, device)),
            RecurrentKind::FusedLstm => Recurrent::FusedLstm(Lstm::new(embedding, hidden, device).to_fused()),
        };
        RecurrentLm { embedding: EmbeddingConfig::new(vocab, embedding).init(device), recurrent, output }
    }

    /// The hidden states `[B, T, hidden]` after reading `inputs` (row-major `[B, T]`), from
    /// `state` (zeros if `None`).
    pub fn hidden_states(
        &self,
        inputs: &[usize],
        [batch, time]: [usize; 2],
        state: Option<RecurrentState>,
    ) -> (Tensor<3>, RecurrentState) {
        let device = self.embedding.weight.device();
        let x = self.embedding.forward(ids([batch, time], inputs, &device));
        match &self.recurrent {
            Recurrent::Rnn(rnn) => {
                let h_0 = state.map(|s| match s {
                    RecurrentState::Rnn(h) => h,
                    RecurrentState::Lstm(s) => s.hidden,
                });
                let (h, last) = rnn.forward(x, h_0);
                (h, RecurrentState::Rnn(last))
            }
            Recurrent::Lstm(lstm) => {
                let (h, last) = lstm.forward(x, state.and_then(RecurrentState::into_lstm));
                (h, RecurrentState::Lstm(last))
            }
            Recurrent::FusedLstm(lstm) => {
                let initial = state
                    .and_then(RecurrentState::into_lstm)
                    .map(|s| recurrent::LstmState { hidden: s.hidden, cell: s.cell });
                let (h, last) = lstm.forward_with_state(x, initial, &[]);
                (h, RecurrentState::Lstm(LstmState { hidden: last.hidden, cell: last.cell }))
            }
        }
    }

    /// `log P(target | history)` for every target of `window`, row-major `[B T]`; also the
    /// hidden states `[B, T, hidden]` and the state after the window.
    pub fn window_log_probs(
        &self,
        window: &Window,
        state: Option<RecurrentState>,
    ) -> (Tensor<1>, Tensor<3>, RecurrentState) {
        let (h, state) = self.hidden_states(&window.inputs, [window.batch, window.time], state);
        let [batch, time, hidden] = h.dims();
        let log_probs =
            self.output.target_log_probs(h.clone().reshape([batch * time, hidden]), &window.targets);
        (log_probs, h, state)
    }

    /// Generates `length` tokens after `prompt`, each drawn from `P(. | history)^(1/temperature)`
    /// (renormalised); needs a full-softmax output layer. Returns the new tokens.
    pub fn sample(
        &self,
        prompt: &[usize],
        length: usize,
        temperature: f64,
        rng: &mut impl rand::RngExt,
    ) -> anyhow::Result<Vec<usize>> {
        anyhow::ensure!(!prompt.is_empty(), "sampling needs a prompt of at least one token");
        let (mut h, mut state) = self.hidden_states(prompt, [1, prompt.len()], None);
        let mut out = Vec::with_capacity(length);
        for _ in 0..length {
            let [_, time, hidden] = h.dims();
            let last = h.narrow(1, time - 1, 1).reshape([1, hidden]);
            let log_probs = self
                .output
                .log_probs(last)
                .ok_or_else(|| anyhow::anyhow!("sampling needs the full softmax output layer"))?;
            let weights: Vec<f64> = (log_probs / temperature).exp().into_data().iter::<f64>().collect();
            let token = crate::ngram_model::draw(&weights, rng);
            out.push(token);
            (h, state) = self.hidden_states(&[token], [1, 1], Some(state));
        }
        Ok(out)
    }
}
