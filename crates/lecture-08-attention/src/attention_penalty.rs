//! The "doubly stochastic" attention penalty (Xu et al. 2015, Show, Attend and Tell; the
//! lecture's video-captioning example): every input position should receive about the same
//! total attention over the whole output.
//!
//! ```text
//! α: [batch, T, S], each row Σ_s α_ts = 1 (the softmax)
//! total attention of input s:   A_s = Σ_t α_ts                               [batch, S]
//! penalty = λ · mean_batch Σ_s (T/S - A_s)²      T/S: the total if attention were spread evenly
//! ```
//!
//! The softmax already makes the rows sum to one; the penalty asks the columns to sum to the
//! same amount too, so no input (a frame of a video, a region of an image) is ignored and none
//! is looked at over and over. Xu et al. used a target of 1 (`T ≈ S` there).

use burn::prelude::*;

/// `mean_batch Σ_s (T/S - Σ_t α_ts)²` of attention weights `α: [batch, T, S]`, a `[1]` tensor.
pub fn coverage_penalty(weights: Tensor<3>) -> Tensor<1> {
    let [_, outputs, inputs] = weights.dims();
    let totals = weights.sum_dim(1); // [B, 1, S]
    let even = outputs as f64 / inputs as f64;
    totals.neg().add_scalar(even).powi_scalar(2).sum_dim(2).mean()
}

/// The spread of the per-input totals: for each example the standard deviation over `s` of
/// `A_s = Σ_t α_ts`, averaged over the batch.
pub fn total_attention_spread(weights: Tensor<3>) -> f64 {
    let totals = weights.sum_dim(1).squeeze_dim::<2>(1); // [B, S]
    let variance = totals.var(1); // [B, 1], unbiased
    variance.sqrt().mean().into_scalar::<f32>() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_attention_costs_nothing_and_piled_up_attention_costs_by_hand() {
        let device = shared::backend::test_device();
        // T = 2 outputs, S = 2 inputs: the even total is 1 per input.
        let even = Tensor::<3>::from_floats([[[1.0, 0.0], [0.0, 1.0]]], &device);
        assert_eq!(coverage_penalty(even.clone()).into_scalar::<f32>(), 0.0);
        assert_eq!(total_attention_spread(even), 0.0);
        // Both outputs look at input 0: totals (2, 0), penalty (1-2)² + (1-0)² = 2.
        let piled = Tensor::<3>::from_floats([[[1.0, 0.0], [1.0, 0.0]]], &device);
        assert_eq!(coverage_penalty(piled.clone()).into_scalar::<f32>(), 2.0);
        // Standard deviation (unbiased) of (2, 0) is sqrt(2).
        assert!((total_attention_spread(piled) - 2f64.sqrt()).abs() < 1e-6);
        // T = 1, S = 2, half and half: the even total is 1/2 per input.
        let half = Tensor::<3>::from_floats([[[0.5, 0.5]]], &device);
        assert_eq!(coverage_penalty(half).into_scalar::<f32>(), 0.0);
    }
}
