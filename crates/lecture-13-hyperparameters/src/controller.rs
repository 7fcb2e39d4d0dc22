//! The RNN controller of neural architecture search (Zoph and Le 2017), in small: a recurrent
//! net that writes a configuration one decision at a time, each decision fed back as the next
//! input.
//!
//! ```text
//! x_0 = s                                      a learned start input             [batch, H]
//! for decision t = 0..T-1 (K_t options each):
//!     h_t = tanh(x_t W + h_{t-1} U + b)                                          [batch, H]
//!     π_t = softmax(h_t V_t + c_t)             the policy over the options        [batch, K_t]
//!     a_t ~ π_t
//!     x_{t+1} = E_t[a_t]                       the chosen option's embedding      [batch, H]
//! log π(a) = Σ_t log π_t(a_t)
//! ```
//!
//! Zoph and Le use a two-layer LSTM and emit a layer's filter sizes and strides; ours is one tanh
//! layer emitting the six hyperparameters of the MNIST MLP (or any row of choices).

use burn::module::{Module, Param};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::{log_softmax, softmax};
use rand::RngExt;
use rand::rngs::StdRng;

/// The controller's parameters.
#[derive(Module, Debug)]
pub struct RnnController {
    /// `s` [1, H].
    pub start: Param<Tensor<2>>,
    /// `W` [H, H] with the bias `b`.
    pub input: Linear,
    /// `U` [H, H].
    pub recurrent: Linear,
    /// `V_t, c_t` [H, K_t], one per decision.
    pub heads: Vec<Linear>,
    /// `E_t` [K_t, H], one per decision.
    pub embeddings: Vec<Param<Tensor<2>>>,
}

impl RnnController {
    /// A controller for decisions of `options[t]` options, hidden size `hidden`, weights from
    /// the device's generator (small output heads: the first policy is nearly uniform).
    pub fn new(options: &[usize], hidden: usize, device: &Device) -> RnnController {
        let uniform = |shape: [usize; 2]| {
            Param::from_tensor(Tensor::random(shape, Distribution::Uniform(-0.1, 0.1), device))
        };
        RnnController {
            start: uniform([1, hidden]),
            input: LinearConfig::new(hidden, hidden).init(device),
            recurrent: LinearConfig::new(hidden, hidden).with_bias(false).init(device),
            heads: options.iter().map(|&k| LinearConfig::new(hidden, k).init(device)).collect(),
            embeddings: options.iter().map(|&k| uniform([k, hidden])).collect(),
        }
    }

    fn hidden(&self) -> usize {
        self.start.dims()[1]
    }

    /// One step: `h_t` from `x_t` and `h_{t-1}`.
    fn step(&self, x: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        (self.input.forward(x) + self.recurrent.forward(h)).tanh()
    }

    /// `log π(a)` of each row of `actions` [batch][T]: `[batch]`, differentiable.
    pub fn log_prob(&self, actions: &[Vec<usize>]) -> Tensor<1> {
        let device = self.start.device();
        let batch = actions.len();
        let mut x = self.start.val().repeat_dim(0, batch);
        let mut h = Tensor::<2>::zeros([batch, self.hidden()], &device);
        let mut total = Tensor::<1>::zeros([batch], &device);
        for (t, head) in self.heads.iter().enumerate() {
            h = self.step(x, h);
            let logp = log_softmax(head.forward(h.clone()), 1);
            let chosen = one_hot(actions.iter().map(|a| a[t]), logp.dims()[1], &device);
            total = total + (logp * chosen.clone()).sum_dim(1).squeeze_dim(1);
            x = chosen.matmul(self.embeddings[t].val());
        }
        total
    }

    /// `batch` configurations drawn from the policy with `rng` (no gradient is kept).
    pub fn sample(&self, batch: usize, rng: &mut StdRng) -> Vec<Vec<usize>> {
        let model = self.valid();
        let device = model.start.device();
        let mut actions = vec![Vec::with_capacity(model.heads.len()); batch];
        let mut x = model.start.val().repeat_dim(0, batch);
        let mut h = Tensor::<2>::zeros([batch, model.hidden()], &device);
        for (t, head) in model.heads.iter().enumerate() {
            h = model.step(x, h);
            let probabilities = softmax(head.forward(h.clone()), 1);
            let k = probabilities.dims()[1];
            let p: Vec<f64> = probabilities.into_data().iter::<f64>().collect();
            for (b, row) in p.chunks(k).enumerate() {
                actions[b].push(draw(row, rng));
            }
            let chosen = one_hot(actions.iter().map(|a| a[t]), k, &device);
            x = chosen.matmul(model.embeddings[t].val());
        }
        actions
    }
}

/// An index drawn with probabilities `p`.
fn draw(p: &[f64], rng: &mut StdRng) -> usize {
    let u = rng.random::<f64>() * p.iter().sum::<f64>();
    let mut cumulative = 0.0;
    p.iter()
        .position(|&q| {
            cumulative += q;
            u < cumulative
        })
        .unwrap_or(p.len() - 1)
}

/// Rows of one-hot vectors of length `k`: `[batch, k]`.
fn one_hot(indices: impl Iterator<Item = usize>, k: usize, device: &Device) -> Tensor<2> {
    let rows: Vec<f32> = indices.flat_map(|i| (0..k).map(move |j| f32::from(u8::from(i == j)))).collect();
    let batch = rows.len() / k;
    Tensor::from_data(TensorData::new(rows, [batch, k]), device)
}
