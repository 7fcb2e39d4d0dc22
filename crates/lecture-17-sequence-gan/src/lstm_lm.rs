//! The sequence model of the lecture: an LSTM language model over `V` tokens. The "true"
//! language (the oracle, random weights) and the generator are both this model.
//!
//! ```text
//! x_t = E[w_{t-1}]                 w_0 = BOS (row V of E)     E: [V + 1, e]   x: [B, L, e]
//! h_t = LSTM(x_t, h_{t-1})                                                    h: [B, L, H]
//! G_τ(w_t | w_<t) = softmax((h_t W + b) / τ)                 W: [H, V]   logits: [B, L, V]
//! ```
//!
//! The temperature `τ` divides the logits: `τ < 1` sharpens every next-token distribution,
//! `τ > 1` flattens it, `τ = 1` is the model as trained. The LSTM is shared's
//! [`FusedLstm`] (the LSTM of lecture 1 over a whole sequence in one node; held there to burn's
//! `Lstm` and to finite differences).

use burn::module::{Initializer, Module};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use serde::Serialize;
use shared::fast_ops;
use shared::recurrent::{FusedLstm, FusedLstmConfig, LstmState};

/// Sizes of an [`LstmLm`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LstmLmConfig {
    /// `V`: tokens `0..V` (the start token BOS is `V`, read but never written).
    pub vocab: usize,
    /// `e`: width of a token's embedding.
    pub embedding: usize,
    /// `H`: LSTM units.
    pub hidden: usize,
}

impl LstmLmConfig {
    /// A generator to train: burn's default initialisation of the embedding (N(0, 1)) and the
    /// output layer, the LSTM uniform in `±1/√H` with forget bias 1.
    pub fn init(&self, device: &Device) -> LstmLm {
        LstmLm {
            embedding: EmbeddingConfig::new(self.vocab + 1, self.embedding).init(device),
            lstm: FusedLstmConfig::new(self.embedding, self.hidden).with_forget_bias(1.0).init(device),
            output: LinearConfig::new(self.hidden, self.vocab).init(device),
        }
    }

    /// Every weight and bias drawn from `N(0, std²)`: the oracle of Yu et al. (2017), whose
    /// large random weights give the language structure (peaked next-token distributions).
    pub fn init_normal(&self, std: f64, device: &Device) -> LstmLm {
        let normal = Initializer::Normal { mean: 0.0, std };
        let (v, e, h) = (self.vocab, self.embedding, self.hidden);
        LstmLm {
            embedding: Embedding { weight: normal.init([v + 1, e], device) },
            lstm: FusedLstm {
                input_weight: normal.init([e, 4 * h], device),
                hidden_weight: normal.init([h, 4 * h], device),
                bias: normal.init([4 * h], device),
            },
            output: Linear { weight: normal.init([h, v], device), bias: Some(normal.init([v], device)) },
        }
    }
}

/// Embedding, one LSTM layer, a softmax over the vocabulary.
#[derive(Module, Debug)]
pub struct LstmLm {
    pub embedding: Embedding,
    pub lstm: FusedLstm,
    pub output: Linear,
}

impl LstmLm {
    /// `V`.
    pub fn vocab(&self) -> usize {
        self.output.weight.dims()[1]
    }

    /// The start token read before the first word: `V`.
    pub fn bos(&self) -> i64 {
        self.vocab() as i64
    }

    /// The device the weights live on.
    pub fn device(&self) -> Device {
        self.output.weight.device()
    }

    /// The logits of every next token, `[B, L, V]`, reading `tokens: [B, L]` shifted right
    /// behind BOS (teacher forcing).
    pub fn logits(&self, tokens: Tensor<2, Int>) -> Tensor<3> {
        let [batch, length] = tokens.dims();
        let bos = Tensor::<2, Int>::full([batch, 1], self.bos(), &tokens.device());
        let inputs = Tensor::cat(vec![bos, tokens.narrow(1, 0, length - 1)], 1);
        let h = self.lstm.forward(self.embedding.forward(inputs), None);
        fast_ops::linear(&self.output, h)
    }

    /// `log G_τ(w_t | w_<t)` of every token of `tokens: [B, L]`, `[B, L]`.
    pub fn token_log_probs(&self, tokens: Tensor<2, Int>, temperature: f64) -> Tensor<2> {
        let [batch, length] = tokens.dims();
        let targets: Vec<usize> = tokens.clone().into_data().iter::<i64>().map(|t| t as usize).collect();
        let logits = self.logits(tokens).reshape([batch * length, self.vocab()]) / temperature;
        fast_ops::target_log_probs(logits, &targets).reshape([batch, length])
    }

    /// One step of generation: the logits `[N, V]` of the token after `previous: [N]`, read from
    /// `state` (zeros when `None`), and the state after it.
    pub fn step(&self, previous: Tensor<1, Int>, state: Option<LstmState>) -> (Tensor<2>, LstmState) {
        let x = self.embedding.forward(previous.unsqueeze_dim(1));
        let (h, state) = self.lstm.forward_with_state(x, state, &[]);
        let [n, _, hidden] = h.dims();
        (fast_ops::linear(&self.output, h.reshape([n, hidden])), state)
    }
}
