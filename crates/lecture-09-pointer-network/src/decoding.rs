//! Answering without the true answer: the model feeds itself its own choices.
//!
//! ```text
//! greedy:  c_t = argmax_j p(j | c_<t, P) over the allowed j, until STOP
//! beam:    keep the k partial answers of highest Σ_t log p(c_t | c_<t, P); extend each by
//!          every allowed j, keep the best k again; a beam that chose STOP is finished and
//!          carried along; the answer is the finished beam of highest log-probability
//! ```
//!
//! The mask (crate::masking) keeps every answer valid: no input twice, no STOP before the
//! task allows it. The `k` beams of an instance run as `k` rows of one batch `[B k, ..]`.

use crate::attention::FORBIDDEN_SCORE;
use crate::masking::forbidden;
use crate::pointer_net::PointerNet;
use crate::tasks::{STOP, StopRule};
use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use shared::recurrent::LstmState;

/// Greedy answers and what the model saw at each step.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// Per instance, the chosen input positions (0-based), STOP left out.
    pub answers: Vec<Vec<usize>>,
    /// Per instance, per step, the probabilities over the classes.
    pub probabilities: Vec<Vec<Vec<f32>>>,
}

/// `[rows, classes]` masks for each row's choices so far, as a tensor.
fn masks(
    rule: StopRule,
    chosen: &[Vec<usize>],
    n: usize,
    classes: usize,
    device: &Device,
) -> Tensor<2, Bool> {
    let mask: Vec<bool> = chosen.iter().flat_map(|c| forbidden(rule, c, n, classes)).collect();
    Tensor::from_data(TensorData::new(mask, [chosen.len(), classes]), device)
}

/// One decoding step for every row: the log-probabilities `[rows, classes]` (as numbers) of
/// the next choice after `previous` (one per row), and the decoder's new state.
fn step(
    model: &PointerNet,
    encoded: &crate::encoder_decoder::Encoded,
    previous: &[usize],
    state: LstmState,
    (rule, n, chosen): (StopRule, usize, &[Vec<usize>]),
) -> (Vec<f32>, LstmState) {
    let device = encoded.states.device();
    let previous: Vec<i64> = previous.iter().map(|&p| p as i64).collect();
    let previous = Tensor::<1, Int>::from_ints(previous.as_slice(), &device).unsqueeze_dim(1);
    let (scores, state) = model.scores(encoded, previous, state);
    let scores = scores.squeeze_dim::<2>(1);
    let classes = scores.dims()[1];
    let masked = scores.mask_fill(masks(rule, chosen, n, classes, &device), FORBIDDEN_SCORE);
    (log_softmax(masked, 1).into_data().convert::<f32>().try_into_vec::<f32>().expect("f32 scores"), state)
}

/// Answers `inputs: [B, n, F]` greedily. Runs on the tensors' device; no gradients needed.
pub fn greedy(model: &PointerNet, inputs: Tensor<3>, rule: StopRule) -> Decoded {
    let [batch, n, _] = inputs.dims();
    let classes = model.classes(n);
    let encoded = model.encode(inputs);
    let mut state = encoded.last.clone();
    let (mut chosen, mut done) = (vec![Vec::new(); batch], vec![false; batch]);
    let mut previous = vec![STOP; batch];
    let mut probabilities = vec![Vec::new(); batch];
    while !done.iter().all(|&d| d) {
        let (log_p, next) = step(model, &encoded, &previous, state, (rule, n, &chosen));
        state = next;
        for b in 0..batch {
            if done[b] {
                continue;
            }
            let row = &log_p[b * classes..(b + 1) * classes];
            let best = (0..classes).max_by(|&i, &j| row[i].total_cmp(&row[j])).expect("classes");
            probabilities[b].push(row.iter().map(|l| l.exp()).collect());
            previous[b] = best;
            if best == STOP || chosen[b].len() + 1 == classes {
                done[b] = true;
            }
            if best != STOP {
                chosen[b].push(best);
            }
        }
    }
    let answers = chosen.into_iter().map(|c| c.into_iter().map(|j| j - 1).collect()).collect();
    Decoded { answers, probabilities }
}

/// One partial answer of a beam.
#[derive(Clone, Debug)]
struct Beam {
    chosen: Vec<usize>,
    log_p: f64,
    finished: bool,
}

/// Answers `inputs: [B, n, F]` by beam search of `width` beams (width 1 is greedy).
pub fn beam_search(model: &PointerNet, inputs: Tensor<3>, rule: StopRule, width: usize) -> Vec<Vec<usize>> {
    let [batch, n, _] = inputs.dims();
    let device = inputs.device();
    let classes = model.classes(n);
    let rows: Vec<i64> = (0..batch * width).map(|r| (r / width) as i64).collect();
    let encoded = model.encode(inputs.select(0, Tensor::from_ints(rows.as_slice(), &device)));
    let mut state = encoded.last.clone();
    // only the first beam of each instance starts alive, so that the k copies do not repeat
    let mut beams: Vec<Beam> = (0..batch * width)
        .map(|r| Beam {
            chosen: Vec::new(),
            log_p: if r % width == 0 { 0.0 } else { f64::NEG_INFINITY },
            finished: false,
        })
        .collect();
    while !beams.iter().all(|b| b.finished || b.log_p == f64::NEG_INFINITY) {
        let previous: Vec<usize> = beams.iter().map(|b| b.chosen.last().copied().unwrap_or(STOP)).collect();
        let chosen: Vec<Vec<usize>> = beams.iter().map(|b| b.chosen.clone()).collect();
        let (log_p, next) = step(model, &encoded, &previous, state, (rule, n, &chosen));
        let mut parents = Vec::with_capacity(batch * width);
        for instance in 0..batch {
            let mut candidates: Vec<(f64, usize, Option<usize>)> = Vec::new();
            for r in instance * width..(instance + 1) * width {
                let beam = &beams[r];
                if beam.finished {
                    candidates.push((beam.log_p, r, None));
                } else if beam.log_p > f64::NEG_INFINITY {
                    let row = &log_p[r * classes..(r + 1) * classes];
                    let allowed = (0..classes).filter(|&j| row[j] > FORBIDDEN_SCORE / 2.0);
                    candidates.extend(allowed.map(|j| (beam.log_p + f64::from(row[j]), r, Some(j))));
                }
            }
            candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
            candidates.resize(width, (f64::NEG_INFINITY, instance * width, None));
            parents.extend(candidates);
        }
        let rows: Vec<i64> = parents.iter().map(|p| p.1 as i64).collect();
        let rows = Tensor::<1, Int>::from_ints(rows.as_slice(), &device);
        state = LstmState { hidden: next.hidden.select(0, rows.clone()), cell: next.cell.select(0, rows) };
        beams = parents
            .into_iter()
            .map(|(log_p, r, choice)| {
                let mut beam = Beam { log_p, ..beams[r].clone() };
                if let Some(j) = choice {
                    beam.finished = j == STOP || beam.chosen.len() + 1 == classes;
                    if j != STOP {
                        beam.chosen.push(j);
                    }
                }
                beam
            })
            .collect();
    }
    beams.chunks(width).map(|group| group[0].chosen.iter().map(|j| j - 1).collect()).collect()
}
