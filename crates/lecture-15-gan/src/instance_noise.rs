//! Instance noise (Sønderby et al. 2017; Arjovsky & Bottou 2017): Gaussian noise added to
//! *every* input of the discriminator, real and fake, with a standard deviation that decays to 0.
//!
//! ```text
//! x~ = x + sigma_t e,    e ~ N(0, I),    sigma_t = sigma_0 max(0, 1 - t / T_decay)
//! ```
//!
//! Real data on a thin set (a ring of tight modes, the manifold of digits) and early fakes
//! elsewhere barely overlap, so a discriminator can separate them perfectly and its gradient
//! carries no information. Blurring both with the same noise makes the two distributions
//! overlap: D cannot be perfect and its verdict changes smoothly between them. Decaying the
//! noise lets the generator sharpen its samples at the end.

use burn::prelude::*;
use burn::tensor::Distribution;

/// The decaying standard deviation of the noise.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct NoiseSchedule {
    /// `sigma_0`, the standard deviation at step 0 (0 = no noise).
    pub initial_std: f64,
    /// `T_decay`: the step from which the noise is off.
    pub decay_steps: u64,
}

impl NoiseSchedule {
    /// No noise at all.
    pub const NONE: NoiseSchedule = NoiseSchedule { initial_std: 0.0, decay_steps: 1 };

    /// `sigma_t = sigma_0 max(0, 1 - t / T_decay)`.
    pub fn std_at(&self, step: u64) -> f64 {
        let left = 1.0 - step as f64 / self.decay_steps.max(1) as f64;
        self.initial_std * left.max(0.0)
    }

    /// `x + sigma_t e` for `x` `[batch, features]`; `x` itself when `sigma_t` is 0.
    pub fn apply(&self, x: Tensor<2>, step: u64) -> Tensor<2> {
        let std = self.std_at(step);
        if std == 0.0 { x } else { x.clone() + x.random_like(Distribution::Normal(0.0, std)) }
    }
}
