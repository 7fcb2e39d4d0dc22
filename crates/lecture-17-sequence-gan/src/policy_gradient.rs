//! The generator's update when its output is discrete: REINFORCE (Williams 1992) with a baseline,
//! SeqGAN's policy gradient (Yu et al. 2017, eq. 6).
//!
//! ```text
//! ∇_θ J = E_{Y ~ G_θ} [ Σ_t (Q_t - b_t) ∇_θ log G_θ(y_t | Y_{1:t-1}) ]
//! loss  = -(1 / (B L)) Σ_b Σ_t (Q_bt - b_t) log G_θ(y_bt | y_b,<t)         log-probs: [B, L]
//! b_t   = (1/B) Σ_b Q_bt                                                   the batch's mean at t
//! ```
//!
//! The sentence was sampled, so no gradient flows through the choice of tokens; instead each
//! token's log-probability is pushed up in proportion to how much better than usual its reward
//! `Q` was. The baseline leaves the expected gradient unchanged (`E[∇ log G] = ∇ Σ G = 0`) and
//! removes the part of the noise that comes from the reward's overall level.

use burn::prelude::*;

/// `A_bt = Q_bt - (1/B) Σ_b' Q_b't` of rewards `[B, L]` row-major.
pub fn advantages(rewards: &[f64], length: usize) -> Vec<f64> {
    let batch = rewards.len() / length;
    let mut baseline = vec![0.0; length];
    for row in rewards.chunks(length) {
        for (b, r) in baseline.iter_mut().zip(row) {
            *b += r / batch as f64;
        }
    }
    rewards.iter().enumerate().map(|(i, r)| r - baseline[i % length]).collect()
}

/// `-(1 / (B L)) Σ A_bt log G(y_bt | y_b,<t)` for `token_log_probs: [B, L]` and advantages
/// `[B, L]` row-major.
pub fn policy_gradient_loss(token_log_probs: Tensor<2>, advantages: &[f64]) -> Tensor<1> {
    let dims = token_log_probs.dims();
    let a: Vec<f32> = advantages.iter().map(|&a| a as f32).collect();
    let a = Tensor::<2>::from_data(TensorData::new(a, dims), &token_log_probs.device());
    (token_log_probs * a).mean().neg()
}
