//! Autodiff gradients of every hand-written activation, of alpha dropout and of a small deep net
//! against central finite differences.
//!
//! Each check differentiates `f = Σ (layer(x) ⊙ r)` for a fixed random `r`, so every output element
//! reaches the gradient with its own weight. Inputs keep at least 0.05 away from the kink at 0,
//! where a finite difference would straddle two slopes (eps is 1e-3).

use burn::module::Param;
use burn::prelude::Tensor;
use burn::tensor::Distribution;
use lecture_11_selu::activation::ActivationKind;
use lecture_11_selu::alpha_dropout::AlphaDropout;
use lecture_11_selu::deep_net::{DeepNetConfig, DropoutKind, WeightInit};
use lecture_11_selu::elu::elu;
use lecture_11_selu::leaky_relu::leaky_relu;
use lecture_11_selu::prelu::Prelu;
use lecture_11_selu::relu::relu;
use lecture_11_selu::rrelu::Rrelu;
use lecture_11_selu::selu::selu;
use shared::testing::{gradcheck, normal, seeded};

const SHAPE: [usize; 2] = [3, 4];

/// An input of both signs away from the kink, and a projection `r`.
fn setup(seed: u64) -> (Tensor<2>, Tensor<2>) {
    seeded(seed, |d| {
        let x = normal(SHAPE, d);
        (x.clone().sign() * 0.05 + x, normal(SHAPE, d))
    })
}

#[track_caller]
fn check(name: &str, seed: u64, layer: impl Fn(Tensor<2>) -> Tensor<2>) {
    let (x, r) = setup(seed);
    gradcheck(|x| (layer(x) * r.clone()).sum(), x).unwrap_or_else(|e| panic!("{name}: {e}"));
}

#[test]
fn the_fixed_activations_have_correct_input_gradients() {
    check("ReLU", 1, relu);
    check("leaky ReLU", 2, |x| leaky_relu(x, 0.1));
    check("ELU", 3, |x| elu(x, 1.0));
    check("ELU 0.5", 4, |x| elu(x, 0.5));
    check("SELU", 5, selu);
}

#[test]
fn rrelu_with_given_slopes_has_correct_input_gradients() {
    let slopes = seeded(6, |d| Tensor::<2>::random(SHAPE, Distribution::Uniform(0.125, 0.333), d));
    check("RReLU", 7, |x| Rrelu::with_slopes(x, slopes.clone()));
}

#[test]
fn prelu_has_correct_input_and_slope_gradients() {
    let slopes = seeded(8, |d| Tensor::<1>::random([SHAPE[1]], Distribution::Uniform(0.05, 0.6), d));
    let layer = Prelu { slope: Param::from_tensor(slopes.clone()) };
    check("PReLU input", 9, |x| layer.forward(x).unwrap());
    let (x, r) = setup(10);
    gradcheck(
        |a| (Prelu { slope: Param::from_tensor(a) }.forward(x.clone()).unwrap() * r.clone()).sum(),
        slopes,
    )
    .unwrap_or_else(|e| panic!("PReLU slopes: {e}"));
}

#[test]
fn alpha_dropout_with_a_fixed_mask_has_correct_input_gradients() {
    let keep = seeded(11, |d| Tensor::<2>::random(SHAPE, Distribution::Bernoulli(0.7), d));
    let layer = AlphaDropout::new(0.3).unwrap();
    check("alpha dropout", 12, |x| layer.with_mask(x, keep.clone()));
}

#[test]
fn a_deep_net_has_correct_input_gradients_for_every_activation() {
    // RReLU's random slopes would change between the evaluations: it is checked with its
    // training flag off (the mean slope).
    for (seed, activation) in (20..).zip(ActivationKind::RECTIFIERS) {
        let config = DeepNetConfig {
            input: SHAPE[1],
            width: 5,
            depth: 3,
            classes: 2,
            activation,
            init: WeightInit::LeCun,
            batch_norm: false,
            dropout: DropoutKind::None,
        };
        let (mut net, x, r) =
            seeded(seed, |d| (config.init(d).unwrap(), normal(SHAPE, d), normal([SHAPE[0], 2], d)));
        for layer in &mut net.activations {
            layer.rrelu = layer.rrelu.take().map(|r| Rrelu { training: Param::from_bool(false), ..r });
        }
        gradcheck(|x| (net.forward(x) * r.clone()).sum(), x)
            .unwrap_or_else(|e| panic!("{activation} net: {e}"));
    }
}
