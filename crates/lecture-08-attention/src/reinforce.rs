//! REINFORCE (Williams 1992) for a sequence-level reward: the model writes a whole output by
//! sampling, is told only at the end how good it was, and raises the probability of what it
//! wrote in proportion to how much better than usual that was (Ranzato et al. 2016 use this
//! for sequence generation).
//!
//! ```text
//! y ~ p_θ(· | x)                    a complete sampled output (until EOS)
//! R(y)                              its reward, e.g. the share of digits in the right place
//! ∇_θ E[R] = E[(R(y) - b) ∇_θ log p_θ(y | x)],   log p_θ(y | x) = Σ_t log p_θ(y_t | y_<t, x)
//! loss = -mean_batch (R(y) - b) log p_θ(y | x)    b: the batch's mean reward (a baseline)
//! ```
//!
//! The baseline does not change the expected gradient (`E[b ∇ log p] = b ∇ Σ p = 0`) but shrinks
//! its variance: outputs better than the batch average are pushed up, worse ones down. The
//! reward needs no gradient and no per-token target, so it can be anything computed on the
//! finished output (BLEU, a game's score).

use crate::seq2seq::Seq2Seq;
use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use rand::RngExt;
use shared::data::synthetic::token_tasks::{BOS, EOS};

/// Sampled outputs with their differentiable log-probabilities.
pub struct Sampled {
    /// Per sequence, the tokens before EOS.
    pub tokens: Vec<Vec<i64>>,
    /// `log p_θ(y | x)` of every sequence (EOS included), `[batch]`, attached to the graph.
    pub log_prob: Tensor<1>,
}

/// Samples one output per row of `source: [batch, S]`, at most `steps` tokens, from `p_θ`.
pub fn sample(model: &Seq2Seq, source: Tensor<2, Int>, steps: usize, rng: &mut impl RngExt) -> Sampled {
    let [batch, _] = source.dims();
    let device = source.device();
    let encoded = model.encode(source);
    let mut state = encoded.last.clone();
    let mut previous = vec![BOS; batch];
    let mut tokens = vec![Vec::new(); batch];
    let mut alive = vec![true; batch];
    let mut log_prob = Tensor::<1>::zeros([batch], &device);
    for _ in 0..steps {
        let input = Tensor::from_data(TensorData::new(previous.clone(), [batch]), &device);
        let output = model.step(&encoded, input, state);
        state = output.state;
        let log_p = log_softmax(output.logits, 1); // [B, V]
        let rows: Vec<f32> = log_p.clone().detach().into_data().iter::<f32>().collect();
        let vocab = rows.len() / batch;
        let mask: Vec<f32> = alive.iter().map(|&a| if a { 1.0 } else { 0.0 }).collect();
        for (b, row) in rows.chunks(vocab).enumerate() {
            let mut u = rng.random::<f64>();
            let token = row.iter().position(|&lp| {
                u -= (lp as f64).exp();
                u <= 0.0
            });
            previous[b] = token.unwrap_or(vocab - 1) as i64;
        }
        let chosen = Tensor::<2, Int>::from_data(TensorData::new(previous.clone(), [batch, 1]), &device);
        let picked = log_p.gather(1, chosen).squeeze_dim::<1>(1);
        log_prob = log_prob + picked * Tensor::from_data(TensorData::new(mask, [batch]), &device);
        for b in 0..batch {
            if alive[b] {
                if previous[b] == EOS {
                    alive[b] = false;
                } else {
                    tokens[b].push(previous[b]);
                }
            }
        }
        if alive.iter().all(|&a| !a) {
            break;
        }
    }
    Sampled { tokens, log_prob }
}

/// The REINFORCE loss `-mean_b (R_b - mean(R)) log p_b` for rewards `R` of the sampled outputs.
pub fn reinforce_loss(log_prob: Tensor<1>, rewards: &[f64]) -> Tensor<1> {
    let baseline = rewards.iter().sum::<f64>() / rewards.len().max(1) as f64;
    let advantages: Vec<f32> = rewards.iter().map(|r| (r - baseline) as f32).collect();
    let n = advantages.len();
    let advantages = Tensor::<1>::from_data(TensorData::new(advantages, [n]), &log_prob.device());
    (log_prob * advantages).mean().neg()
}
