//! Randomised ReLU (Xu et al. 2015): a leaky ReLU whose negative slope is drawn afresh for every
//! element in training, uniform in `[lower, upper]`, and fixed to the mean `(lower + upper) / 2`
//! at test time, the way dropout averages its masks. Element-wise, any shape.

use burn::module::{Flag, Param};
use burn::prelude::*;
use burn::tensor::Distribution;

/// The slope range used by burn and PyTorch: `[1/8, 1/3]`.
pub const DEFAULT_RANGE: (f64, f64) = (1.0 / 8.0, 1.0 / 3.0);

/// A leaky ReLU with a random slope in training.
#[derive(Module, Debug)]
pub struct Rrelu {
    /// Lowest slope.
    pub lower: f64,
    /// Highest slope.
    pub upper: f64,
    /// Random slopes only while this is on (`module.train()`) and on an autodiff device.
    pub training: Param<Flag>,
}

impl Rrelu {
    /// Slopes uniform in `[lower, upper]`, in training mode.
    pub fn new((lower, upper): (f64, f64)) -> Self {
        Self { lower, upper, training: Param::from_bool(true) }
    }

    /// The slope used at test time.
    pub fn mean_slope(&self) -> f64 {
        (self.lower + self.upper) / 2.0
    }

    /// In training: random slopes; otherwise the mean slope.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if self.training.is_enabled() && x.device().is_autodiff() {
            let slopes = x.random_like(Distribution::Uniform(self.lower, self.upper));
            Self::with_slopes(x, slopes)
        } else {
            crate::leaky_relu::leaky_relu(x, self.mean_slope())
        }
    }

    /// `x` where `x > 0`, else `slopes ⊙ x` (slopes of the same shape as `x`).
    pub fn with_slopes<const D: usize>(x: Tensor<D>, slopes: Tensor<D>) -> Tensor<D> {
        let negative = x.clone().lower_equal_elem(0.0);
        x.clone().mask_where(negative, x * slopes)
    }
}
