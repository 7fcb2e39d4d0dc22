//! What the critic and the generator each minimise, from the critic's outputs `v` `[batch, 1]`
//! on real samples (`v_r`) and generated ones (`v_g`).
//!
//! ```text
//! objective        critic's loss                                   generator's loss
//! GAN, minimax     BCE(v_r, 1) + BCE(v_g, 0)                       E[log(1 - sigmoid(v_g))]
//! GAN, non-sat.    BCE(v_r, 1) + BCE(v_g, 0)                       -E[log sigmoid(v_g)]
//! Wasserstein      E[v_g] - E[v_r]   (+ a Lipschitz constraint)    -E[v_g]
//! least squares    ½E[(v_r - 1)^2] + ½E[v_g^2]                     ½E[(v_g - 1)^2]
//! f-GAN (f)        -(E[g_f(v_r)] - E[f*(g_f(v_g))])                -E[f*(g_f(v_g))]
//! ```
//!
//! The GAN rows are lecture 15's (`shared::gan::loss`), on logits. The Wasserstein critic
//! (Arjovsky et al. 2017) estimates `W_1(P, Q) = sup_{||f||_L <= 1} E_P[f] - E_Q[f]` (the
//! Kantorovich-Rubinstein dual) and its value is a distance, not a probability: nothing
//! saturates. Least squares (Mao et al. 2017, the 0-1-1 coding) penalises fakes by their
//! distance to the decision boundary, so even correctly classified fakes still get a gradient.
//! The f-GAN rows minimise the f-divergence's variational bound ([`crate::f_divergence`]): the
//! generator's loss is the bound's term that depends on it.

use crate::f_divergence::Divergence;
use burn::prelude::*;
use shared::gan::loss::{GeneratorLoss, discriminator_loss};

/// The game the two networks play.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Objective {
    Gan(GeneratorLoss),
    Wasserstein,
    LeastSquares,
    F(Divergence),
}

impl Objective {
    /// The critic's loss given its outputs on real and generated samples, `[batch, 1]` each.
    pub fn critic_loss(self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        match self {
            Objective::Gan(_) => discriminator_loss(real, fake, 0.0),
            Objective::Wasserstein => fake.mean() - real.mean(),
            Objective::LeastSquares => {
                (real.sub_scalar(1.0).powi_scalar(2).mean() + fake.powi_scalar(2).mean()).div_scalar(2.0)
            }
            Objective::F(divergence) => divergence.bound(real, fake).neg(),
        }
    }

    /// The generator's loss given the critic's outputs on generated samples `[batch, 1]`.
    pub fn generator_loss(self, fake: Tensor<2>) -> Tensor<1> {
        match self {
            Objective::Gan(loss) => loss.loss(fake),
            Objective::Wasserstein => fake.mean().neg(),
            Objective::LeastSquares => fake.sub_scalar(1.0).powi_scalar(2).mean().div_scalar(2.0),
            Objective::F(divergence) => divergence.conjugate_of_activation(fake).mean().neg(),
        }
    }

    /// A short name for tables and pictures.
    pub fn name(self) -> String {
        match self {
            Objective::Gan(loss) => format!("GAN ({})", loss.name()),
            Objective::Wasserstein => "WGAN".into(),
            Objective::LeastSquares => "LSGAN".into(),
            Objective::F(divergence) => format!("f-GAN ({})", divergence.name()),
        }
    }
}
