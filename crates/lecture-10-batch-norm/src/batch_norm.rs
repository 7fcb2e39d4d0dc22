//! Batch normalisation (Ioffe & Szegedy 2015), written from tensor operations.
//!
//! For a mini-batch of pre-activations `x` with shape `[batch, channels, ...]` (`[B, C]` after a
//! fully connected layer, `[B, C, H, W]` after a convolution), every channel `c` is normalised
//! with the statistics of the batch, taken over every axis except the channel axis:
//!
//! ```text
//! mu_c      = mean over (b, h, w) of x[b, c, h, w]
//! sigma2_c  = mean over (b, h, w) of (x[b, c, h, w] - mu_c)^2        (biased: divides by m)
//! x_hat     = (x - mu_c) / sqrt(sigma2_c + eps)
//! y         = gamma_c * x_hat + beta_c
//! ```
//!
//! `gamma` and `beta` `[C]` are learned, so the layer can undo the normalisation if training
//! wants it (gamma = sigma, beta = mu gives back x). In training mode the gradient flows *through*
//! `mu` and `sigma2` as well: they are functions of the whole batch, so every example's output
//! depends on every other example of the batch. Autodiff differentiates these tensor operations
//! directly; `tests/gradcheck.rs` checks that gradient against finite differences.
//!
//! At test time there is no batch to average over (or one we do not want the answer to depend
//! on), so the layer uses running averages collected during training:
//!
//! ```text
//! running_mean <- (1 - momentum) * running_mean + momentum * mu
//! running_var  <- (1 - momentum) * running_var  + momentum * sigma2
//! ```
//!
//! `momentum` is the weight of the *new* batch (0.1 by default), the convention of burn's and
//! PyTorch's `BatchNorm` (Keras and TensorFlow call `1 - momentum` the momentum). Like burn's, the
//! running variance averages the biased batch variance; the paper (and PyTorch) use the unbiased
//! `m / (m - 1) * sigma2` there, which differs by a factor 1.017 at batch 60.

use burn::module::{Flag, Module, Param, RunningState};
use burn::prelude::*;

/// Settings of a [`BatchNorm`] layer.
#[derive(Clone, Copy, Debug)]
pub struct BatchNormConfig {
    /// The number of channels `C` (features of a fully connected layer).
    pub channels: usize,
    /// Added to the variance before the square root. Default 1e-5.
    pub epsilon: f64,
    /// Weight of the new batch in the running statistics, in `[0, 1]`. Default 0.1.
    pub momentum: f64,
}

impl BatchNormConfig {
    /// `channels` channels, epsilon 1e-5, momentum 0.1 (burn's and PyTorch's defaults).
    pub fn new(channels: usize) -> Self {
        Self { channels, epsilon: 1e-5, momentum: 0.1 }
    }

    /// The same settings with another momentum.
    pub fn with_momentum(self, momentum: f64) -> Self {
        Self { momentum, ..self }
    }

    /// A fresh layer: gamma = 1, beta = 0, running mean 0 and running variance 1.
    pub fn init(&self, device: &Device) -> BatchNorm {
        let c = self.channels;
        BatchNorm {
            gamma: Param::from_tensor(Tensor::ones([c], device)),
            beta: Param::from_tensor(Tensor::zeros([c], device)),
            running_mean: RunningState::new(Tensor::zeros([c], device)),
            running_var: RunningState::new(Tensor::ones([c], device)),
            training: Param::from_bool(true),
            momentum: self.momentum,
            epsilon: self.epsilon,
        }
    }
}

/// Batch normalisation over the channel axis 1 of `[batch, channels, ...]` inputs.
#[derive(Module, Debug)]
pub struct BatchNorm {
    /// Learned scale `[C]`.
    pub gamma: Param<Tensor<1>>,
    /// Learned shift `[C]`.
    pub beta: Param<Tensor<1>>,
    /// Running average of the batch means `[C]`, used in evaluation mode.
    pub running_mean: RunningState<Tensor<1>>,
    /// Running average of the batch variances `[C]`, used in evaluation mode.
    pub running_var: RunningState<Tensor<1>>,
    /// Training mode; `model.valid()` switches it off.
    pub training: Param<Flag>,
    /// Weight of the new batch in the running statistics.
    pub momentum: f64,
    /// Added to the variance before the square root.
    pub epsilon: f64,
}

impl BatchNorm {
    /// Batch statistics in training mode (on an autodiff device, layer not switched to `valid`),
    /// running statistics otherwise. Shapes: `[B, C, ...]` -> `[B, C, ...]`.
    pub fn forward<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        if x.device().is_autodiff() && self.training.is_enabled() {
            self.forward_train(x)
        } else {
            self.forward_eval(x)
        }
    }

    /// Normalises with the batch's own statistics (the gradient flows through them) and folds
    /// them, detached, into the running statistics.
    pub fn forward_train<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        let (mean, var) = batch_statistics(x.clone());
        let blend = |running: &RunningState<Tensor<1>>, batch: Tensor<1>| {
            let old = running.value_sync().to_device(&batch.device());
            running.update(old.mul_scalar(1.0 - self.momentum).add(batch.detach().mul_scalar(self.momentum)));
        };
        blend(&self.running_mean, mean.clone());
        blend(&self.running_var, var.clone());
        self.affine(x, mean, var)
    }

    /// Normalises with the running statistics: every example is treated on its own, whatever
    /// batch it comes in.
    pub fn forward_eval<const D: usize>(&self, x: Tensor<D>) -> Tensor<D> {
        let device = x.device();
        let mean = self.running_mean.value_sync().to_device(&device);
        let var = self.running_var.value_sync().to_device(&device);
        self.affine(x, mean, var)
    }

    /// `gamma * (x - mean) / sqrt(var + eps) + beta`, with `mean`, `var` `[C]`.
    fn affine<const D: usize>(&self, x: Tensor<D>, mean: Tensor<1>, var: Tensor<1>) -> Tensor<D> {
        let x_hat = (x - per_channel(mean)).div(per_channel(var.add_scalar(self.epsilon).sqrt()));
        x_hat * per_channel(self.gamma.val()) + per_channel(self.beta.val())
    }
}

/// The per-channel mean and biased variance of `x` `[B, C, ...]` over every axis but axis 1:
/// two tensors `[C]`. Differentiable: the gradient reaches `x` through both.
pub fn batch_statistics<const D: usize>(x: Tensor<D>) -> (Tensor<1>, Tensor<1>) {
    let over_all_but_channels =
        |t: Tensor<D>| (0..D).filter(|&axis| axis != 1).fold(t, |t, axis| t.mean_dim(axis));
    let mean = over_all_but_channels(x.clone());
    let var = over_all_but_channels((x - mean.clone()).powi_scalar(2));
    let channels = mean.dims()[1];
    (mean.reshape([channels]), var.reshape([channels]))
}

/// `[C]` -> `[1, C, 1, ...]` of rank `D`, to broadcast against `[B, C, ...]`.
fn per_channel<const D: usize>(t: Tensor<1>) -> Tensor<D> {
    let mut shape = [1; D];
    shape[1] = t.dims()[0];
    t.reshape(shape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::{Tolerance, assert_tensors_close};

    #[test]
    fn a_hand_computed_batch() {
        let device = Device::flex().autodiff();
        // Channel 0: 1, 3 -> mean 2, variance 1; channel 1: 2, 2 -> mean 2, variance 0.
        let x = Tensor::<2>::from_floats([[1.0, 2.0], [3.0, 2.0]], &device);
        let bn = BatchNormConfig::new(2).with_momentum(0.5).init(&device);
        let y = bn.forward(x);
        let s = 1.0 / (1.0f32 + 1e-5).sqrt();
        let expected = Tensor::<2>::from_floats([[-s, 0.0], [s, 0.0]], &device);
        assert_tensors_close("normalised", y, expected, Tolerance::F32);
        // Running: 0.5 * (0, 0) + 0.5 * (2, 2); 0.5 * (1, 1) + 0.5 * (1, 0).
        let mean = Tensor::<1>::from_floats([1.0, 1.0], &device);
        let var = Tensor::<1>::from_floats([1.0, 0.5], &device);
        assert_tensors_close("running mean", bn.running_mean.value_sync(), mean, Tolerance::F32);
        assert_tensors_close("running var", bn.running_var.value_sync(), var, Tolerance::F32);
    }

    #[test]
    fn conv_statistics_pool_batch_and_space() {
        let device = Device::flex();
        // [B=2, C=2, H=1, W=2]: channel 0 holds 0, 1, 2, 3; channel 1 holds 5 everywhere.
        let x =
            Tensor::<4>::from_floats([[[[0.0, 1.0]], [[5.0, 5.0]]], [[[2.0, 3.0]], [[5.0, 5.0]]]], &device);
        let (mean, var) = batch_statistics(x);
        assert_tensors_close("mean", mean, Tensor::from_floats([1.5, 5.0], &device), Tolerance::F32);
        assert_tensors_close("var", var, Tensor::from_floats([1.25, 0.0], &device), Tolerance::F32);
    }
}
