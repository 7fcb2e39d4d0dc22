//! The feed-forward neural language model (Bengio et al. 2003): an n-gram model whose
//! probability table is replaced by a network over word vectors.
//!
//! ```text
//! x = [E[w_{t-n+1}], .., E[w_{t-1}]]       E: [V, embedding]     x: [N, (n-1) embedding]
//! a = tanh(x W_h + b_h)                                          a: [N, hidden]
//! log P(w_t | w_{t-n+1} .. w_{t-1}) = log softmax(a W_o + b_o)    W_o: [hidden, V]
//! ```
//!
//! Similar words get similar vectors, so a context never seen can borrow from contexts that
//! were: "the cat is walking" informs "a dog was running". With few training words the net
//! memorises its contexts quickly, so dropout (Srivastava et al. 2014) zeroes a random share of
//! `x` and `a` while training (only on an autodiff device in training mode).

use crate::output_layer::{OutputLayer, ids};
use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::{Device, Tensor};

/// A window language model: scores `targets` given the `context_size()` tokens before each.
pub trait WindowLm {
    /// `n - 1`, the tokens of context.
    fn context_size(&self) -> usize;

    /// `log P(target_i | context_i)` -> `[N]`, for `contexts` row-major `[N, n - 1]`.
    fn target_log_probs(&self, contexts: &[usize], targets: &[usize]) -> Tensor<1>;
}

/// Bengio's model: concatenated embeddings, one tanh layer, softmax.
#[derive(Module, Debug)]
pub struct FeedForwardLm {
    pub embedding: Embedding,
    pub hidden: Linear,
    pub output: OutputLayer,
    pub dropout: Dropout,
    context: usize,
}

impl FeedForwardLm {
    /// A model reading `context` words of `embedding` dims into `hidden` tanh units, dropping
    /// `dropout` of `x` and `a` while training.
    pub fn new(
        vocab: usize,
        context: usize,
        [embedding, hidden]: [usize; 2],
        dropout: f64,
        device: &Device,
    ) -> FeedForwardLm {
        FeedForwardLm {
            embedding: EmbeddingConfig::new(vocab, embedding).init(device),
            hidden: LinearConfig::new(context * embedding, hidden).init(device),
            output: OutputLayer::Full(LinearConfig::new(hidden, vocab).init(device)),
            dropout: DropoutConfig::new(dropout).init(),
            context,
        }
    }
}

impl WindowLm for FeedForwardLm {
    fn context_size(&self) -> usize {
        self.context
    }

    fn target_log_probs(&self, contexts: &[usize], targets: &[usize]) -> Tensor<1> {
        let n = targets.len();
        let x = self.embedding.forward(ids([n, self.context], contexts, &self.embedding.weight.device()));
        let [_, _, embedding] = x.dims();
        let x = self.dropout.forward(x.reshape([n, self.context * embedding]));
        let a = self.dropout.forward(self.hidden.forward(x).tanh());
        self.output.target_log_probs(a, targets)
    }
}
