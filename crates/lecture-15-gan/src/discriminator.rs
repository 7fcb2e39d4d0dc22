//! The discriminator: a sample in, the logit of "this is real" out.
//!
//! ```text
//! l = D(x | y) = MLP([x, onehot(y)])     x: [batch, features] -> l: [batch, 1]
//! P(real | x) = sigmoid(l)
//! ```
//!
//! Its capacity and regularisation are the lecture's knobs: a *weaker* discriminator (fewer or
//! narrower layers) or one with *dropout* cannot separate real from fake perfectly, so it keeps
//! passing a useful gradient to the generator.

use anyhow::Result;
use burn::prelude::*;
use shared::gan::conditioning::append_condition;
use shared::gan::mlp::{Mlp, MlpConfig};

/// A sample (and an optional one-hot class) to a logit.
#[derive(Module, Debug)]
pub struct Discriminator {
    net: Mlp,
    /// Whether it reads the condition (built with `classes > 0`).
    conditional: bool,
}

/// Sizes of a [`Discriminator`].
#[derive(Clone, Debug, serde::Serialize)]
pub struct DiscriminatorConfig {
    /// Width of a sample.
    pub features: usize,
    /// Hidden widths of the MLP (fewer or narrower: a weaker discriminator).
    pub hidden: Vec<usize>,
    /// Classes of the condition, 0 for an unconditional discriminator (which ignores any
    /// condition it is given: the control of the conditional GAN trains one beside a
    /// conditional generator).
    pub classes: usize,
    /// Dropout after every hidden layer.
    pub dropout: f64,
}

impl DiscriminatorConfig {
    /// The discriminator; an error for a zero width or a dropout outside [0, 1).
    pub fn init(&self, device: &Device) -> Result<Discriminator> {
        let widths = [vec![self.features + self.classes], self.hidden.clone(), vec![1]].concat();
        let net = MlpConfig::new(widths).with_dropout(self.dropout).init(device)?;
        Ok(Discriminator { net, conditional: self.classes > 0 })
    }
}

impl Discriminator {
    /// `D(x | condition)`: logits `[batch, 1]`; an unconditional discriminator reads `x` alone.
    pub fn forward(&self, x: Tensor<2>, condition: Option<&Tensor<2>>) -> Tensor<2> {
        self.net.forward(append_condition(x, condition.filter(|_| self.conditional)))
    }

    /// The MLP inside (for tests).
    pub fn net(&self) -> &Mlp {
        &self.net
    }
}
