//! Credit assignment: how much reward each token of a sampled sentence earns, when the
//! discriminator only judges complete sentences.
//!
//! SeqGAN (Yu et al. 2017, eq. 4) values the action `y_t` after the prefix `Y_{1:t-1}` by
//! finishing the sentence `R` times with the generator itself (Monte Carlo roll-outs) and
//! averaging the discriminator's verdicts:
//!
//! ```text
//! Q(Y_{1:t-1}, y_t) = (1/R) Σ_r D(Y_{1:t} ⊕ Y^r_{t+1:L}),   Y^r ~ G(· | Y_{1:t})     t < L
//! Q(Y_{1:L-1}, y_L) = D(Y_{1:L})
//! ```
//!
//! so a token that makes a good sentence likely earns more than one that spoils it, even if the
//! sampled ending happened to be bad. The alternative credits every token with the complete
//! sentence's reward, `Q_t = D(Y)` for all `t`: right on average, but each token's credit then
//! carries the noise of every other token's draw.
//!
//! All `B (L - 1) R` roll-outs run as one batch: the generator reads each sentence once, keeping
//! its state after every prefix; the states are stacked (prefix length `t` ascending, then the
//! roll-out `r`, then the sentence `b`), and the batch is continued with the rows of the longer
//! prefixes dropping out as they finish (a prefix of `t` tokens needs `L - t` more).

use crate::lstm_lm::LstmLm;
use crate::sampling::continue_rows;
use crate::sequences::Sequences;
use anyhow::{Result, ensure};
use burn::prelude::*;
use rand::RngExt;
use serde::Serialize;
use shared::recurrent::LstmState;

/// How the tokens of a sampled sentence are credited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Credit {
    /// SeqGAN: every prefix is finished `rollouts` times and judged.
    RollOut { rollouts: usize },
    /// Every token gets the complete sentence's reward.
    WholeSentence,
}

/// The reward `Q` of every token of `sentences`, row-major `[B, L]`. `reward` judges complete
/// sentences (e.g. `D(Y)`), `generator` finishes the prefixes (on its own device).
pub fn token_rewards(
    generator: &LstmLm,
    sentences: &Sequences,
    credit: Credit,
    temperature: f64,
    reward: &mut dyn FnMut(&Sequences) -> Result<Vec<f64>>,
    rng: &mut impl RngExt,
) -> Result<Vec<f64>> {
    let (batch, length) = (sentences.count, sentences.length);
    let complete = reward(sentences)?;
    let rollouts = match credit {
        Credit::WholeSentence => {
            return Ok(complete.iter().flat_map(|&r| std::iter::repeat_n(r, length)).collect());
        }
        Credit::RollOut { rollouts } => rollouts,
    };
    ensure!(rollouts > 0, "Monte Carlo credit needs at least one roll-out");
    let finished = finish_prefixes(generator, sentences, rollouts, temperature, rng);
    let judged = reward(&finished)?;
    let mut q = vec![0.0; batch * length];
    for (row, score) in judged.iter().enumerate() {
        let (t, b) = (row / (rollouts * batch) + 1, row % batch);
        q[b * length + t - 1] += score / rollouts as f64;
    }
    for (b, score) in complete.iter().enumerate() {
        q[b * length + length - 1] = *score;
    }
    Ok(q)
}

/// Every prefix `Y_{1:t}` (`t = 1..L-1`) of every sentence, finished `rollouts` times by the
/// generator: `(L - 1) R B` complete sentences, row `((t - 1) R + r) B + b`.
pub fn finish_prefixes(
    generator: &LstmLm,
    sentences: &Sequences,
    rollouts: usize,
    temperature: f64,
    rng: &mut impl RngExt,
) -> Sequences {
    let (batch, length) = (sentences.count, sentences.length);
    if length == 1 {
        return Sequences { tokens: Vec::new(), count: 0, length };
    }
    let (states, logits) = prefix_states(generator, sentences);
    let stack = |parts: &[Tensor<2>]| {
        Tensor::cat(parts.iter().flat_map(|p| std::iter::repeat_n(p.clone(), rollouts)).collect(), 0)
    };
    let state = LstmState {
        hidden: stack(&states.iter().map(|s| s.hidden.clone()).collect::<Vec<_>>()),
        cell: stack(&states.iter().map(|s| s.cell.clone()).collect::<Vec<_>>()),
    };
    let per_prefix = rollouts * batch;
    // At roll-out step s the prefixes of t <= L - 1 - s tokens still draw: the first rows.
    let endings = continue_rows(generator, state, stack(&logits), length - 1, temperature, rng, |s| {
        per_prefix * (length - 1 - s)
    });
    let mut tokens = Vec::with_capacity(endings.len() * length);
    for (row, ending) in endings.iter().enumerate() {
        let (t, b) = (row / per_prefix + 1, row % batch);
        tokens.extend_from_slice(&sentences.row(b)[..t]);
        tokens.extend_from_slice(ending);
    }
    Sequences { count: endings.len(), tokens, length }
}

/// The generator's state after reading BOS and `Y_{1:t}`, and the logits of `y_{t+1}` there, for
/// `t = 1..L-1`: each `[B, H]` and `[B, V]`.
fn prefix_states(generator: &LstmLm, sentences: &Sequences) -> (Vec<LstmState>, Vec<Tensor<2>>) {
    let device = generator.device();
    let tokens = sentences.tensor(&device);
    let bos = Tensor::<1, Int>::full([sentences.count], generator.bos(), &device);
    let (_, mut state) = generator.step(bos, None);
    let (mut states, mut logits) = (Vec::new(), Vec::new());
    for t in 0..sentences.length - 1 {
        let previous = tokens.clone().narrow(1, t, 1).reshape([sentences.count]);
        let (next, after) = generator.step(previous, Some(state));
        states.push(after.clone());
        logits.push(next);
        state = after;
    }
    (states, logits)
}
