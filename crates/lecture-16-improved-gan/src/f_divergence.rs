//! f-GAN (Nowozin, Cseke and Tomioka 2016): any f-divergence through its convex conjugate.
//!
//! For convex `f` with `f(1) = 0`, `D_f(P || Q) = ∫ q(x) f(p(x) / q(x)) dx`, and by Fenchel duality
//!
//! ```text
//! D_f(P || Q) >= sup_T  E_P[T(x)] - E_Q[f*(T(x))]         f*(t) = sup_u (u t - f(u))
//! ```
//!
//! with equality at `T = f'(p / q)`. The critic's raw output `v` `[batch, 1]` goes through an
//! output activation `g_f` that keeps `T = g_f(v)` in the domain of `f*` (table 6 of the paper):
//!
//! ```text
//! divergence      f(u)                        T = g_f(v)            f*(T) in terms of v
//! KL(P||Q)        u log u                     v                     exp(v - 1)
//! reverse KL      -log u      (= KL(Q||P))    -exp(-v)              v - 1
//! Jensen-Shannon  -(u+1)log((1+u)/2) + u log u  log 2 - softplus(-v)  softplus(v) - log 2
//! Pearson χ²      (u - 1)^2                   v                     v^2/4 + v
//! ```
//!
//! P is the data, Q the generator. Forward KL punishes the generator for missing mass where P
//! has some (it covers every mode, broadly); reverse KL punishes it for mass where P has none
//! (it sits on one mode, sharply).

use burn::prelude::*;
use burn::tensor::activation::softplus;
use std::f64::consts::LN_2;

/// The f-divergences of the lecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Divergence {
    Kl,
    ReverseKl,
    JensenShannon,
    PearsonChiSquared,
}

impl Divergence {
    /// All four, in the table's order.
    pub const ALL: [Divergence; 4] =
        [Divergence::Kl, Divergence::ReverseKl, Divergence::JensenShannon, Divergence::PearsonChiSquared];

    /// `T = g_f(v)`, elementwise on `[batch, 1]`.
    pub fn activation(self, v: Tensor<2>) -> Tensor<2> {
        match self {
            Divergence::Kl | Divergence::PearsonChiSquared => v,
            Divergence::ReverseKl => v.neg().exp().neg(),
            Divergence::JensenShannon => softplus(v.neg(), 1.0).neg().add_scalar(LN_2),
        }
    }

    /// `f*(g_f(v))`, elementwise, written in `v` (no log of a rounded number).
    pub fn conjugate_of_activation(self, v: Tensor<2>) -> Tensor<2> {
        match self {
            Divergence::Kl => v.sub_scalar(1.0).exp(),
            Divergence::ReverseKl => v.sub_scalar(1.0),
            Divergence::JensenShannon => softplus(v, 1.0).sub_scalar(LN_2),
            Divergence::PearsonChiSquared => v.clone().powi_scalar(2).div_scalar(4.0) + v,
        }
    }

    /// The variational bound `E_P[T] - E_Q[f*(T)]` from the critic's outputs on real and
    /// generated samples: what the critic maximises, an estimate of `D_f(P || Q)` from below.
    pub fn bound(self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        self.activation(real).mean() - self.conjugate_of_activation(fake).mean()
    }

    /// A short name for tables and pictures.
    pub fn name(self) -> &'static str {
        match self {
            Divergence::Kl => "KL",
            Divergence::ReverseKl => "reverse KL",
            Divergence::JensenShannon => "Jensen-Shannon",
            Divergence::PearsonChiSquared => "Pearson chi2",
        }
    }
}
