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

use crate::output_layer::{OutputLayer, ids};
use crate::rnn::Rnn;
use crate::streams::Window;
use burn::module::Module;
use burn::nn::{Embedding, EmbeddingConfig};
use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;
use serde::Serialize;
use shared::recurrent::{FusedLstm, LstmState};

/// Which recurrent layer to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RecurrentKind {
    /// A tanh RNN ([`Rnn`]), written out in this lecture.
    Rnn,
    /// An LSTM: shared's layer ([`FusedLstm`], the LSTM of lecture 1 run over a whole window
    /// at once; tested there against burn's `Lstm` and finite differences).
    Lstm,
}

impl RecurrentKind {
    /// The model's name in curves and progress lines.
    pub fn label(self) -> &'static str {
        match self {
            RecurrentKind::Rnn => "RNN",
            RecurrentKind::Lstm => "LSTM",
        }
    }
}

/// The recurrent layer.
#[derive(Module, Debug)]
pub enum Recurrent {
    Rnn(Rnn),
    Lstm(FusedLstm),
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
    /// The state cut from the graph (truncated backpropagation through time).
    pub fn detach(self) -> RecurrentState {
        match self {
            RecurrentState::Rnn(h) => RecurrentState::Rnn(h.detach()),
            RecurrentState::Lstm(state) => {
                RecurrentState::Lstm(LstmState { hidden: state.hidden.detach(), cell: state.cell.detach() })
            }
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

/// An LSTM layer reading `input` values into `hidden` units, initialised as PyTorch's:
/// `W: [input + hidden, 4 hidden]` and `b: [4 hidden]` uniform in `±1/√hidden`, forget bias 1.
fn lstm_layer(input: usize, hidden: usize, device: &Device) -> FusedLstm {
    let bound = 1.0 / (hidden as f64).sqrt();
    let init = Distribution::Uniform(-bound, bound);
    let bias = Tensor::<1>::random([4 * hidden], init, device).slice_fill(hidden..2 * hidden, 1.0);
    FusedLstm::from_stacked(Tensor::random([input + hidden, 4 * hidden], init, device), bias)
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
            RecurrentKind::Lstm => Recurrent::Lstm(lstm_layer(embedding, hidden, device)),
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
                let (h, last) = lstm.forward_with_state(x, state.and_then(RecurrentState::into_lstm), &[]);
                (h, RecurrentState::Lstm(last))
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
