//! The GAN objective (Goodfellow et al. 2014) and the two generator losses.
//!
//! With `D(x) = sigmoid(l(x))` the value of the game is
//!
//! ```text
//! V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))]        min_G max_D V
//! ```
//!
//! Everything here works on logits `l` `[batch, 1]` and returns a mean `[1]`, using
//! `log sigmoid(l) = -softplus(-l)` and `log(1 - sigmoid(l)) = -softplus(l)` (no log of a
//! rounded probability):
//!
//! ```text
//! BCE(l, y)     = softplus(l) - y l                       (binary cross-entropy, target y)
//! L_D           = BCE(l_real, 1 - s) + BCE(l_fake, 0)      s: label smoothing (0 = none)
//! label noise   each target flipped with probability p: real 1 - s -> 0, fake 0 -> 1 - s
//! L_G minimax   = E[log(1 - D(G(z)))] = -E[softplus(l_fake)]
//! L_G non-sat.  = -E[log D(G(z))]     =  E[softplus(-l_fake)]
//! ```
//!
//! **Why two generator losses.** `dL_G/dl_fake` is `-sigmoid(l_fake)` for the minimax loss and
//! `-(1 - sigmoid(l_fake))` for the non-saturating one. When the discriminator confidently rejects
//! the fakes (`l_fake` very negative) the first is ~0: the generator stops learning exactly when
//! it is worst. The second is ~-1 there: it pushes hardest when the fakes are worst.
//!
//! **What the discriminator's loss measures.** For the best D, `V = -log 4 + 2 JS(p_data, p_G)`,
//! so `JS ≈ log 2 - L_D / 2` (with `s = 0`). A perfect discriminator drives `L_D` to 0 and the
//! estimate to its ceiling `log 2`, whatever the distance between the two distributions.

use burn::prelude::*;
use burn::tensor::activation::softplus;

/// Mean binary cross-entropy of logits `[batch, 1]` against a constant target `y` in [0, 1].
pub fn bce_with_logits(logits: Tensor<2>, target: f64) -> Tensor<1> {
    (softplus(logits.clone(), 1.0) - logits.mul_scalar(target)).mean()
}

/// The discriminator's loss `L_D = BCE(l_real, 1 - smoothing) + BCE(l_fake, 0)`.
pub fn discriminator_loss(real_logits: Tensor<2>, fake_logits: Tensor<2>, smoothing: f64) -> Tensor<1> {
    bce_with_logits(real_logits, 1.0 - smoothing) + bce_with_logits(fake_logits, 0.0)
}

/// Mean binary cross-entropy of logits `[batch, 1]` against per-sample targets `[batch, 1]`.
pub fn bce_with_logit_targets(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    (softplus(logits.clone(), 1.0) - logits * targets).mean()
}

/// `L_D` with label noise: every target of [`discriminator_loss`] swapped with probability
/// `flip` (a real sample's `1 - smoothing` becomes 0, a fake's 0 becomes `1 - smoothing`), drawn
/// afresh on every call. With `flip = 0` it is [`discriminator_loss`] and draws nothing.
pub fn discriminator_loss_with_label_noise(
    real_logits: Tensor<2>,
    fake_logits: Tensor<2>,
    smoothing: f64,
    flip: f64,
) -> Tensor<1> {
    if flip == 0.0 {
        return discriminator_loss(real_logits, fake_logits, smoothing);
    }
    let kept = 1.0 - smoothing;
    // 1 where the label is flipped, 0 elsewhere.
    let flipped = |logits: &Tensor<2>| {
        logits
            .clone()
            .detach()
            .random_like(burn::tensor::Distribution::Uniform(0.0, 1.0))
            .lower_elem(flip)
            .float()
    };
    let real_targets = (flipped(&real_logits).neg() + 1.0) * kept;
    let fake_targets = flipped(&fake_logits) * kept;
    bce_with_logit_targets(real_logits, real_targets) + bce_with_logit_targets(fake_logits, fake_targets)
}

/// Which loss the generator minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum GeneratorLoss {
    /// `E[log(1 - D(G(z)))]`: the game as written; saturates when D wins.
    Minimax,
    /// `-E[log D(G(z))]`: the same fixed point, strong gradients when D wins.
    NonSaturating,
}

impl GeneratorLoss {
    /// The generator's loss given the discriminator's logits on fakes `[batch, 1]`.
    pub fn loss(self, fake_logits: Tensor<2>) -> Tensor<1> {
        match self {
            GeneratorLoss::Minimax => softplus(fake_logits, 1.0).mean().neg(),
            GeneratorLoss::NonSaturating => softplus(fake_logits.neg(), 1.0).mean(),
        }
    }

    /// A short name for tables and pictures.
    pub fn name(self) -> &'static str {
        match self {
            GeneratorLoss::Minimax => "minimax",
            GeneratorLoss::NonSaturating => "non-saturating",
        }
    }
}

/// The Jensen-Shannon divergence estimated from an unsmoothed discriminator loss:
/// `log 2 - L_D / 2`, in nats (between 0 and log 2 for the best discriminator).
pub fn js_estimate(discriminator_loss: f64) -> f64 {
    std::f64::consts::LN_2 - discriminator_loss / 2.0
}

/// Fraction of `[batch, 1]` logits classified right: real when `l > 0`, fake when `l < 0`.
pub fn discriminator_accuracy(real_logits: Tensor<2>, fake_logits: Tensor<2>) -> f64 {
    let n = (real_logits.dims()[0] + fake_logits.dims()[0]) as f64;
    let right = real_logits.greater_elem(0.0).int().sum() + fake_logits.lower_elem(0.0).int().sum();
    right.into_scalar::<i64>() as f64 / n
}
