//! Alpha dropout (Klambauer et al. 2017): dropout that keeps a SELU net's mean 0 and variance 1.
//!
//! Ordinary dropout sets units to 0 and scales the rest by `1/q` (`q` = keep probability): the
//! mean survives but the variance grows, and 0 is not where SELU rests. Alpha dropout sets a
//! dropped unit to SELU's negative saturation `α' = -λα` and then restores the moments by an
//! affine map. With `d ~ Bernoulli(q)` per element of `x: [...]`:
//!
//! ```text
//! y = a (x d + α' (1 - d)) + b,   a = (q + α'² q (1 - q))^(-1/2),   b = -a (1 - q) α'
//! ```
//!
//! For `x` of mean 0 and variance 1, `y` has mean 0 and variance 1 too. At test time (or on a
//! device without autodiff, or outside training mode) it is the identity.

use crate::selu_constants::SeluConstants;
use burn::module::{Flag, Param};
use burn::prelude::*;
use burn::tensor::Distribution;

/// Alpha dropout with drop probability `drop`.
#[derive(Module, Debug)]
pub struct AlphaDropout {
    /// Probability of dropping a unit, in `[0, 1)`.
    pub drop: f64,
    /// Dropping only while this is on (`module.train()`) and on an autodiff device.
    pub training: Param<Flag>,
}

impl AlphaDropout {
    /// Alpha dropout dropping each unit with probability `drop`; `Err` unless `0 <= drop < 1`.
    pub fn new(drop: f64) -> anyhow::Result<Self> {
        anyhow::ensure!((0.0..1.0).contains(&drop), "dropout probability must be in [0, 1), got {drop}");
        Ok(Self { drop, training: Param::from_bool(true) })
    }

    /// The affine correction `(a, b)` and the dropped value `α'`.
    pub fn affine(&self) -> (f64, f64, f64) {
        let SeluConstants { alpha, lambda } = SeluConstants::get();
        let dropped = -lambda * alpha;
        let keep = 1.0 - self.drop;
        let a = (keep + dropped * dropped * keep * (1.0 - keep)).powf(-0.5);
        (a, -a * (1.0 - keep) * dropped, dropped)
    }

    /// A fresh mask per call in training; the identity otherwise.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if !self.training.is_enabled() || !x.device().is_autodiff() || self.drop == 0.0 {
            return x;
        }
        let keep = x.random_like(Distribution::Bernoulli(1.0 - self.drop));
        self.with_mask(x, keep)
    }

    /// `a (x ⊙ d + α' (1 - d)) + b` for a given keep mask `d` (1 keep, 0 drop), same shape as `x`.
    pub fn with_mask<const D: usize>(&self, x: Tensor<D>, keep: Tensor<D>) -> Tensor<D> {
        let (a, b, dropped) = self.affine();
        let dropped_part = keep.clone().neg().add_scalar(1.0) * dropped;
        (x * keep + dropped_part) * a + b
    }
}
