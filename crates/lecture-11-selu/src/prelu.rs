//! Parametric ReLU (He et al. 2015): a leaky ReLU whose negative slope is learned, one slope per
//! channel.
//!
//! `prelu(x)_{b,c,...} = max(0, x) + a_c · min(0, x)`, with `x: [batch, channels, ...]` and
//! `a: [channels]` (or a single slope shared by all channels). The slope's gradient is
//! `Σ min(0, x)` over the positions of its channel. Initial slope 0.25, as in the paper.

use crate::relu::relu;
use anyhow::{Result, ensure};
use burn::module::Param;
use burn::prelude::*;

/// The paper's initial slope.
pub const INITIAL_SLOPE: f64 = 0.25;

/// A learned negative slope per channel.
#[derive(Module, Debug)]
pub struct Prelu {
    /// The slopes `a`, `[channels]` (or `[1]`, shared).
    pub slope: Param<Tensor<1>>,
}

impl Prelu {
    /// `channels` slopes, each starting at `initial`.
    pub fn new(channels: usize, initial: f64, device: &Device) -> Self {
        Self { slope: Param::from_tensor(Tensor::full([channels], initial, device)) }
    }

    /// `relu(x) - a ⊙ relu(-x)` for `x: [batch, channels, ...]` (channels on axis 1); a shared
    /// slope takes any shape. Errors if the channel count does not match the slopes.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Result<Tensor<D>> {
        let channels = self.slope.dims()[0];
        let mut shape = [1; D];
        if channels > 1 {
            ensure!(
                D >= 2 && x.dims()[1] == channels,
                "PReLU with {channels} slopes got input {:?}",
                x.dims()
            );
            shape[1] = channels;
        }
        let slope = self.slope.val().reshape(shape);
        Ok(relu(x.clone()) - relu(-x) * slope)
    }
}
