//! The neural cache (Grave, Joulin & Usunier 2017): a memory of the recent past that needs no
//! training. The LM keeps its last hidden states `h_i` together with the word that followed
//! each, and at step `t` points back at the states most like the current one:
//!
//! ```text
//! a_ti        = softmax_i(θ h_t · h_i)          over the window t - W <= i < t
//! P_cache(w | t) = Σ_i a_ti [w_{i+1} = w]
//! P(w | t)    = (1 - λ) P_LM(w | t) + λ P_cache(w | t)
//! ```
//!
//! A word that appeared recently in a similar context ("the jury said ... the jury") gets
//! extra probability: the cache models burstiness, which a softmax over a fixed vocabulary
//! learns poorly. `θ` (sharpness) and `λ` (trust) are tuned on validation data.
//!
//! Shapes: `hidden: [B, K, H]` holds the keys, the last `T` of which are the queries;
//! `next: [B, K]` the word after each key state.

use crate::output_layer::ids;
use burn::prelude::{Tensor, TensorData};
use burn::tensor::activation::softmax;

/// `P_cache(target_t | t)` for the last `T` positions -> `[B, T]`.
///
/// `hidden: [B, K, H]` are the states of `K` consecutive steps, `next` (row-major `[B, K]`) the
/// word that followed each; the queries are the last `T = K - previous` steps, so `previous`
/// steps of an earlier window can be kept as memory. Query `t` (step `previous + t`) looks at
/// the keys `j` with `previous + t - window <= j < previous + t`; a query with no key gets 0.
pub fn cache_probs(
    hidden: Tensor<3>,
    next: &[usize],
    previous: usize,
    window: usize,
    theta: f64,
) -> Tensor<2> {
    let [batch, keys, _] = hidden.dims();
    let queries = keys - previous;
    let device = hidden.device();
    let query_states = hidden.clone().narrow(1, previous, queries);
    let scores = query_states.matmul(hidden.swap_dims(1, 2)) * theta; // [B, T, K]

    let mut mask = vec![-1e9f32; queries * keys];
    let mut has_key = vec![0f32; queries];
    for t in 0..queries {
        let now = previous + t;
        for j in now.saturating_sub(window)..now {
            mask[t * keys + j] = 0.0;
            has_key[t] = 1.0;
        }
    }
    let mask = Tensor::<2>::from_data(TensorData::new(mask, [queries, keys]), &device);
    let has_key = Tensor::<1>::from_data(TensorData::new(has_key, [queries]), &device);
    let attention = softmax(scores + mask.unsqueeze(), 2);

    let next = ids([batch, keys], next, &device);
    let target = next.clone().narrow(1, previous, queries);
    let same_word = target.unsqueeze_dim::<3>(2).equal(next.unsqueeze_dim::<3>(1)).float(); // [B, T, K]
    (attention * same_word).sum_dim(2).squeeze_dim::<2>(2) * has_key.unsqueeze()
}

/// `log((1 - λ) P_LM + λ P_cache)` from per-token `log P_LM` and `P_cache`.
pub fn mix(lm_log_probs: &[f64], cache: &[f64], lambda: f64) -> Vec<f64> {
    lm_log_probs.iter().zip(cache).map(|(&lp, &c)| ((1.0 - lambda) * lp.exp() + lambda * c).ln()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn a_sharp_cache_points_at_the_most_similar_earlier_state() {
        seeded(0, |device| {
            // Three steps: states e1, e2, e1; words after them: 7, 8, 7.
            let h = Tensor::<3>::from_data(
                TensorData::new(vec![1.0f32, 0.0, 0.0, 1.0, 1.0, 0.0], [1, 3, 2]),
                device,
            );
            let p = cache_probs(h, &[7, 8, 7], 0, 10, 50.0).into_data().try_to_vec::<f32>().unwrap();
            assert_eq!(p[0], 0.0, "the first step has nothing to look back at");
            assert_eq!(p[1], 0.0, "step 1 sees only step 0, whose next word (7) is not its target (8)");
            assert!(p[2] > 0.99, "step 2 is e1 again and its target 7 followed e1: {}", p[2]);
            let windowed = cache_probs(
                Tensor::<3>::from_data(
                    TensorData::new(vec![1.0f32, 0.0, 0.0, 1.0, 1.0, 0.0], [1, 3, 2]),
                    device,
                ),
                &[7, 8, 7],
                0,
                1,
                50.0,
            );
            assert_eq!(
                windowed.into_data().try_to_vec::<f32>().unwrap()[2],
                0.0,
                "window 1 sees step 1 only"
            );
        });
    }

    #[test]
    fn mixing_keeps_probabilities_between_the_two() {
        let mixed = mix(&[0.5f64.ln()], &[1.0], 0.5);
        assert!((mixed[0] - 0.75f64.ln()).abs() < 1e-12);
    }
}
