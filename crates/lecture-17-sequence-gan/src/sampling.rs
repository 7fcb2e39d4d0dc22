//! Writing sentences with a language model, one token at a time (ancestral sampling):
//!
//! ```text
//! w_1 ~ G_τ(· | BOS),  w_2 ~ G_τ(· | BOS w_1),  ...,  w_L ~ G_τ(· | BOS w_1 .. w_{L-1})
//! G_τ(w | h) = exp(l_w / τ) / Σ_v exp(l_v / τ)        l: the logits [N, V]
//! ```
//!
//! The draws use the caller's random generator (not burn's process-wide one), so a run is
//! reproducible from its seed. The same routine continues sentences from given states: the
//! Monte Carlo roll-outs of [`crate::rollout`] finish many prefixes at once.

use crate::lstm_lm::LstmLm;
use crate::sequences::Sequences;
use burn::prelude::*;
use rand::RngExt;
use shared::recurrent::LstmState;

/// A draw from `softmax(row / τ)`, `row: [V]` logits.
pub fn draw(row: &[f32], temperature: f64, rng: &mut impl RngExt) -> usize {
    let top = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let weights: Vec<f64> = row.iter().map(|&l| ((f64::from(l - top)) / temperature).exp()).collect();
    let mut u = rng.random::<f64>() * weights.iter().sum::<f64>();
    for (token, w) in weights.iter().enumerate() {
        u -= w;
        if u <= 0.0 {
            return token;
        }
    }
    row.len() - 1
}

/// Continues every row of `state` (`[N, H]`), whose next token has the logits `logits: [N, V]`,
/// for up to `steps` tokens; at step `s` only the first `active(s)` rows draw (non-increasing in
/// `s`: the others are finished). Returns each row's new tokens.
pub fn continue_rows(
    model: &LstmLm,
    mut state: LstmState,
    mut logits: Tensor<2>,
    steps: usize,
    temperature: f64,
    rng: &mut impl RngExt,
    active: impl Fn(usize) -> usize,
) -> Vec<Vec<i64>> {
    let [rows, vocab] = logits.dims();
    let mut written = vec![Vec::with_capacity(steps); rows];
    for s in 0..steps {
        let n = active(s);
        if n == 0 {
            break;
        }
        let values: Vec<f32> = logits.into_data().iter::<f32>().collect();
        let drawn: Vec<i64> =
            values.chunks(vocab).take(n).map(|row| draw(row, temperature, rng) as i64).collect();
        for (row, &token) in written.iter_mut().zip(&drawn) {
            row.push(token);
        }
        if s + 1 == steps {
            break;
        }
        let narrow = LstmState { hidden: state.hidden.narrow(0, 0, n), cell: state.cell.narrow(0, 0, n) };
        let previous = Tensor::from_data(TensorData::new(drawn, [n]), &model.device());
        (logits, state) = model.step(previous, Some(narrow));
    }
    written
}

/// `count` sentences of `length` tokens drawn from `G_τ`.
pub fn sample(
    model: &LstmLm,
    count: usize,
    length: usize,
    temperature: f64,
    rng: &mut impl RngExt,
) -> Sequences {
    let bos = Tensor::<1, Int>::full([count], model.bos(), &model.device());
    let (logits, state) = model.step(bos, None);
    let rows = continue_rows(model, state, logits, length, temperature, rng, |_| count);
    Sequences { tokens: rows.concat(), count, length }
}

/// `count` sentences as [`sample`] draws them, in batches of at most `batch` rows (bounded
/// memory).
pub fn sample_many(
    model: &LstmLm,
    count: usize,
    length: usize,
    temperature: f64,
    batch: usize,
    rng: &mut impl RngExt,
) -> Sequences {
    let mut tokens = Vec::with_capacity(count * length);
    let mut done = 0;
    while done < count {
        let n = batch.min(count - done);
        tokens.extend(sample(model, n, length, temperature, rng).tokens);
        done += n;
    }
    Sequences { tokens, count, length }
}
