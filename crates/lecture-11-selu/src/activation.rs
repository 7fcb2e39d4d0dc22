//! Every activation of the lecture behind one name, so that a network can be built with any of
//! them: [`ActivationKind`] names it (on the command line too), [`Activation`] is the layer.

use crate::elu::elu;
use crate::leaky_relu::{DEFAULT_SLOPE, leaky_relu};
use crate::prelu::{INITIAL_SLOPE, Prelu};
use crate::relu::relu;
use crate::rrelu::{DEFAULT_RANGE, Rrelu};
use crate::selu::selu;
use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use serde::Serialize;
use std::fmt;

/// The activations compared in this lecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
pub enum ActivationKind {
    /// The logistic sigmoid `1 / (1 + exp(-x))` (burn's), the pre-ReLU baseline.
    Sigmoid,
    /// `max(0, x)`.
    Relu,
    /// `x` or `0.01 x`.
    LeakyRelu,
    /// `x` or `a_c x` with a learned slope per unit, starting at 0.25.
    Prelu,
    /// `x` or `a x` with `a` uniform in [1/8, 1/3] in training, its mean at test.
    Rrelu,
    /// `x` or `exp(x) - 1`.
    Elu,
    /// `λ x` or `λ α (exp(x) - 1)` with the derived constants.
    Selu,
}

impl ActivationKind {
    /// The ReLU family and the self-normalising unit (everything but the sigmoid baseline).
    pub const RECTIFIERS: [ActivationKind; 6] = [
        ActivationKind::Relu,
        ActivationKind::LeakyRelu,
        ActivationKind::Prelu,
        ActivationKind::Rrelu,
        ActivationKind::Elu,
        ActivationKind::Selu,
    ];

    /// The slope `a` of the negative side at initialisation, which He et al.'s initialisation
    /// takes into account: 0 for ReLU, 0.01 leaky, 0.25 PReLU, RReLU's test-time mean slope
    /// 0.229; `None` for the activations He's derivation does not cover (sigmoid, ELU, SELU).
    pub fn negative_slope(self) -> Option<f64> {
        match self {
            ActivationKind::Relu => Some(0.0),
            ActivationKind::LeakyRelu => Some(DEFAULT_SLOPE),
            ActivationKind::Prelu => Some(INITIAL_SLOPE),
            ActivationKind::Rrelu => Some(Rrelu::new(DEFAULT_RANGE).mean_slope()),
            ActivationKind::Sigmoid | ActivationKind::Elu | ActivationKind::Selu => None,
        }
    }

    /// The layer for `width` units (PReLU learns one slope per unit).
    pub fn init(self, width: usize, device: &Device) -> Activation {
        Activation {
            kind: self,
            prelu: (self == ActivationKind::Prelu).then(|| Prelu::new(width, INITIAL_SLOPE, device)),
            rrelu: (self == ActivationKind::Rrelu).then(|| Rrelu::new(DEFAULT_RANGE)),
        }
    }
}

impl fmt::Display for ActivationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ActivationKind::Sigmoid => "sigmoid",
            ActivationKind::Relu => "ReLU",
            ActivationKind::LeakyRelu => "leaky ReLU",
            ActivationKind::Prelu => "PReLU",
            ActivationKind::Rrelu => "RReLU",
            ActivationKind::Elu => "ELU",
            ActivationKind::Selu => "SELU",
        })
    }
}

/// One activation layer; only PReLU has parameters and only RReLU behaves differently in
/// training and at test.
#[derive(Module, Debug)]
pub struct Activation {
    /// Which function.
    #[module(skip)]
    pub kind: ActivationKind,
    /// PReLU's slopes, `[width]`.
    pub prelu: Option<Prelu>,
    /// RReLU's slope range and training flag.
    pub rrelu: Option<Rrelu>,
}

impl Activation {
    /// Applies the activation to `x: [batch, width]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match (self.kind, &self.prelu, &self.rrelu) {
            (ActivationKind::Sigmoid, _, _) => sigmoid(x),
            (ActivationKind::Relu, _, _) => relu(x),
            (ActivationKind::LeakyRelu, _, _) => leaky_relu(x, DEFAULT_SLOPE),
            (ActivationKind::Prelu, Some(prelu), _) => {
                prelu.forward(x).expect("a PReLU layer is built for the width of its linear layer")
            }
            (ActivationKind::Rrelu, _, Some(rrelu)) => rrelu.forward(x),
            (ActivationKind::Elu, _, _) => elu(x, 1.0),
            (ActivationKind::Selu, _, _) => selu(x),
            (kind, _, _) => unreachable!("{kind} is built by ActivationKind::init with its parameters"),
        }
    }
}
