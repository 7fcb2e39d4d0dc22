//! A deep fully connected network with a chosen activation, optional batch norm and optional
//! (alpha) dropout: the network every experiment of the lecture stacks.
//!
//! `x: [batch, input]` -> `depth` times (Linear -> [BatchNorm] -> activation -> [dropout])
//! `[batch, width]` -> Linear -> logits `[batch, classes]`.
//!
//! Hidden weights start normal with variance `gain² / fan_in` and biases at 0 ([`WeightInit`]):
//! LeCun-normal (`gain = 1`) is what SELU's fixed point assumes (mean 0, variance `1/k` over `k`
//! inputs); He-normal (`gain² = 2 / (1 + a²)`) is what a rectifier with negative slope `a` needs
//! to keep its mean square (He et al. 2015, eq. 15), the fair start for a ReLU baseline. The
//! read-out is LeCun-normal. burn's `BatchNorm` is used as is (batch norm is lecture 10's subject).

use crate::activation::{Activation, ActivationKind};
use crate::alpha_dropout::AlphaDropout;
use anyhow::{Result, ensure};
use burn::nn::{BatchNorm, BatchNormConfig, Dropout, DropoutConfig, Linear};
use burn::prelude::*;
use serde::Serialize;
use shared::init::scaled_normal_linear;

/// Which dropout follows each activation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum DropoutKind {
    /// None.
    None,
    /// Ordinary (inverted) dropout: drop to 0, scale the kept units by `1/(1 - p)`.
    Standard(f64),
    /// Alpha dropout, made for SELU.
    Alpha(f64),
}

/// How the hidden layers' weights are drawn: `w ~ N(0, gain² / fan_in)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum WeightInit {
    /// `gain = 1` (LeCun et al. 1998): the variance `1/k` SELU's fixed point is derived for.
    LeCun,
    /// `gain² = 2 / (1 + a²)` with `a` the activation's negative slope (He et al. 2015): a
    /// rectifier zeroes (or shrinks) half of its input's mean square, the gain restores it.
    He,
}

impl WeightInit {
    /// What each activation is usually started with: He for the ReLU family, LeCun for the rest
    /// (SELU is derived for it; the sigmoid and ELU are not rectifiers).
    pub fn usual_for(activation: ActivationKind) -> WeightInit {
        if activation.negative_slope().is_some() { WeightInit::He } else { WeightInit::LeCun }
    }

    /// The gain for `activation` (He for a non-rectifier uses ReLU's slope 0).
    pub fn gain(self, activation: ActivationKind) -> f64 {
        match self {
            WeightInit::LeCun => 1.0,
            WeightInit::He => {
                let a = activation.negative_slope().unwrap_or(0.0);
                (2.0 / (1.0 + a * a)).sqrt()
            }
        }
    }
}

/// The shape of a [`DeepNet`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct DeepNetConfig {
    pub input: usize,
    pub width: usize,
    /// Hidden layers.
    pub depth: usize,
    pub classes: usize,
    pub activation: ActivationKind,
    /// How the hidden weights start.
    pub init: WeightInit,
    /// Batch norm between each linear layer and its activation.
    pub batch_norm: bool,
    pub dropout: DropoutKind,
}

/// Dropout of either kind (one instance serves every layer: each call draws a fresh mask).
#[derive(Module, Debug)]
pub enum Noise {
    Standard(Dropout),
    Alpha(AlphaDropout),
}

impl Noise {
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Noise::Standard(dropout) => dropout.forward(x),
            Noise::Alpha(dropout) => dropout.forward(x),
        }
    }
}

/// The network; see the module documentation.
#[derive(Module, Debug)]
pub struct DeepNet {
    pub hidden: Vec<Linear>,
    pub norms: Vec<BatchNorm>,
    pub activations: Vec<Activation>,
    pub noise: Option<Noise>,
    pub head: Linear,
}

/// What each hidden layer computed on one batch.
pub struct Trace {
    /// Pre-activations (after batch norm, if any), one `[batch, width]` per layer.
    pub pre: Vec<Tensor<2>>,
    /// Activations (after dropout, if any), one `[batch, width]` per layer.
    pub post: Vec<Tensor<2>>,
    /// The logits `[batch, classes]`.
    pub logits: Tensor<2>,
}

/// A linear layer `[fan_in] -> [fan_out]` with LeCun-normal weights, `N(0, 1 / fan_in)`, and
/// zero bias.
pub fn lecun_linear(fan_in: usize, fan_out: usize, device: &Device) -> Linear {
    scaled_normal_linear(fan_in, fan_out, 1.0, device)
}

impl DeepNetConfig {
    /// A fresh network; `Err` for a zero size or a dropout probability outside `[0, 1)`.
    pub fn init(&self, device: &Device) -> Result<DeepNet> {
        ensure!(
            self.input > 0 && self.width > 0 && self.depth > 0 && self.classes > 0,
            "every size of the network must be positive: {self:?}"
        );
        let noise = match self.dropout {
            DropoutKind::None => None,
            DropoutKind::Standard(p) => {
                ensure!((0.0..1.0).contains(&p), "dropout probability must be in [0, 1), got {p}");
                Some(Noise::Standard(DropoutConfig::new(p).init()))
            }
            DropoutKind::Alpha(p) => Some(Noise::Alpha(AlphaDropout::new(p)?)),
        };
        let fan_in = |layer: usize| if layer == 0 { self.input } else { self.width };
        let gain = self.init.gain(self.activation);
        Ok(DeepNet {
            hidden: (0..self.depth)
                .map(|l| scaled_normal_linear(fan_in(l), self.width, gain, device))
                .collect(),
            norms: if self.batch_norm {
                (0..self.depth).map(|_| BatchNormConfig::new(self.width).init(device)).collect()
            } else {
                Vec::new()
            },
            activations: (0..self.depth).map(|_| self.activation.init(self.width, device)).collect(),
            noise,
            head: lecun_linear(self.width, self.classes, device),
        })
    }
}

impl DeepNet {
    /// Logits `[batch, classes]` of `x: [batch, input]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.trace(x).logits
    }

    /// The forward pass, keeping every hidden layer's pre-activations and activations.
    pub fn trace(&self, x: Tensor<2>) -> Trace {
        let (mut pre, mut post) = (Vec::new(), Vec::new());
        let mut h = x;
        for (layer, (linear, activation)) in self.hidden.iter().zip(&self.activations).enumerate() {
            let mut z = linear.forward(h);
            if let Some(norm) = self.norms.get(layer) {
                z = norm.forward(z);
            }
            h = activation.forward(z.clone());
            if let Some(noise) = &self.noise {
                h = noise.forward(h);
            }
            pre.push(z);
            post.push(h.clone());
        }
        Trace { pre, post, logits: self.head.forward(h) }
    }
}
