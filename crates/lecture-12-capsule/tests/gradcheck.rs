//! Autodiff gradients of every hand-written piece against central finite differences: squash,
//! the routing loop (gradients flow through every pass), the digit-capsule predictions, primary
//! capsules, the margin loss, the decoder, and a whole tiny CapsNet's loss; with respect to the
//! inputs and to every parameter (the `W_ij`, the convolutions' weights and biases, the
//! decoder's), so that a weight the forward pass detached would fail.
//!
//! Each check differentiates `f = Σ (piece(x) ⊙ r)` for a fixed random `r` (or a scalar loss),
//! so every output element reaches the gradient with its own weight.

use burn::prelude::*;
use burn::tensor::Distribution;
use lecture_12_capsule::capsnet::CapsNetConfig;
use lecture_12_capsule::classifier::Classifier;
use lecture_12_capsule::decoder::DecoderConfig;
use lecture_12_capsule::digit_capsules::DigitCapsulesConfig;
use lecture_12_capsule::margin_loss::margin_loss;
use lecture_12_capsule::primary_capsules::PrimaryCapsulesConfig;
use lecture_12_capsule::routing::route;
use lecture_12_capsule::squash::squash;
use shared::testing::{gradcheck, gradcheck_parameters, normal, normal_with, seeded};

#[test]
fn squash_gradient() {
    let (s, r) = seeded(1, |d| (normal([2, 3, 4], d), normal([2, 3, 4], d)));
    gradcheck(|s| (squash(s) * r.clone()).sum(), s).unwrap();
}

#[test]
fn routing_gradient_through_three_passes() {
    let (u, r) = seeded(2, |d| (normal_with([2, 4, 3, 5], 0.0, 0.7, d), normal([2, 3, 5], d)));
    gradcheck(|u| (route(u, 3).parents * r.clone()).sum(), u.clone()).unwrap();
    // The coupling coefficients themselves depend on u through the agreement updates.
    let rc = seeded(3, |d| normal([2, 4, 3], d));
    gradcheck(|u| (route(u, 3).coupling * rc.clone()).sum(), u).unwrap();
}

#[test]
fn digit_capsule_gradient_through_predictions_and_routing() {
    let (layer, x, r) = seeded(4, |d| {
        let layer = DigitCapsulesConfig::new(6, 3, 2, 4).with_init_std(0.5).init(d);
        (layer, normal_with([2, 6, 3], 0.0, 0.5, d), normal([2, 2, 4], d))
    });
    gradcheck(|x| (layer.forward(x.clone()).parents * r.clone()).sum(), x.clone()).unwrap();
    let checked = gradcheck_parameters(&layer, |layer| (layer.forward(x.clone()).parents * r.clone()).sum());
    assert_eq!(names(checked), ["weights"]);
}

/// The paths of the parameters a check covered.
fn names<R>(checked: Result<Vec<(String, R)>, String>) -> Vec<String> {
    checked.unwrap_or_else(|e| panic!("{e}")).into_iter().map(|(path, _)| path).collect()
}

#[test]
fn primary_capsule_gradient() {
    let (layer, x, r) = seeded(5, |d| {
        let layer = PrimaryCapsulesConfig::new(2, 2, 3, 3).init(d);
        // 7x7 input -> 3x3 grid: 2 types x 9 cells = 18 capsules of 3 components.
        (layer, normal([2, 2, 7, 7], d), normal([2, 18, 3], d))
    });
    gradcheck(|x| (layer.forward(x) * r.clone()).sum(), x.clone()).unwrap();
    let checked = gradcheck_parameters(&layer, |layer| (layer.forward(x.clone()) * r.clone()).sum());
    assert_eq!(names(checked), ["conv.weight", "conv.bias"]);
}

#[test]
fn margin_loss_gradient() {
    let device = shared::backend::test_device();
    // Lengths away from the kinks at 0.1 and 0.9; both terms active and inactive.
    let lengths = Tensor::<2>::from_floats([[0.05, 0.5, 0.95, 0.3], [0.7, 0.2, 0.02, 0.6]], &device);
    let labels = Tensor::<1, Int>::from_ints([1, 3], &device);
    gradcheck(|l| margin_loss(l, labels.clone()), lengths).unwrap();
}

#[test]
fn decoder_gradient_reaches_only_the_kept_capsule() {
    let (decoder, capsules, r) = seeded(6, |d| {
        (DecoderConfig::new(3, 4, [16, 16], 7).init(d), normal([2, 3, 4], d), normal([2, 7], d))
    });
    let keep = Tensor::<1, Int>::from_ints([2, 0], &capsules.device());
    let report = gradcheck(|c| (decoder.forward(c, keep.clone()) * r.clone()).sum(), capsules).unwrap();
    // Example 0 keeps capsule 2, example 1 capsule 0: every other capsule gets zero gradient,
    // the kept one does not.
    for example in 0..2 {
        let kept = if example == 0 { 2 } else { 0 };
        for capsule in 0..3 {
            let block = &report.analytic[(example * 3 + capsule) * 4..][..4];
            let zero = block.iter().all(|&g| g == 0.0);
            assert_eq!(zero, capsule != kept, "example {example}, capsule {capsule}: {block:?}");
        }
    }
}

#[test]
fn whole_capsnet_loss_gradient_with_respect_to_the_image() {
    let (model, images) = seeded(7, |d| {
        // 5x5 images, 3x3 kernels: a 1x1 grid of 3 primary types of dimension 4, 3 classes.
        let config = CapsNetConfig::new(5, 3, 3, [6, 6])
            .with_kernel(3)
            .with_primary_dim(4)
            .with_classes(3)
            .with_digit_dim(4)
            .with_reconstruction_weight(0.1);
        (config.init(d).unwrap(), Tensor::random([2, 1, 5, 5], Distribution::Uniform(0.0, 1.0), d))
    });
    let labels = Tensor::<1, Int>::from_ints([2, 0], &images.device());
    gradcheck(|x| model.loss(x, labels.clone()), images.clone()).unwrap();
}

#[test]
fn whole_capsnet_loss_gradient_with_respect_to_every_parameter() {
    let (model, images) = seeded(8, |d| {
        let config = CapsNetConfig::new(5, 3, 3, [6, 6])
            .with_kernel(3)
            .with_primary_dim(4)
            .with_classes(3)
            .with_digit_dim(4)
            .with_digit_init_std(1.0)
            .with_reconstruction_weight(0.1);
        (config.init(d).unwrap(), Tensor::random([2, 1, 5, 5], Distribution::Uniform(0.0, 1.0), d))
    });
    let labels = Tensor::<1, Int>::from_ints([2, 0], &images.device());
    let reports = gradcheck_parameters(&model, |m| m.loss(images.clone(), labels.clone())).unwrap();
    let checked: Vec<&str> = reports.iter().map(|(path, _)| path.as_str()).collect();
    assert!(checked.iter().any(|p| p.starts_with("decoder")), "the decoder is not checked: {checked:?}");
    // W_ij drawn with std 1 (not 0.05) so that the loss depends on the weights the issue names
    // strongly enough for the check to see them: a detached one (autodiff gradient 0) fails
    // the check's absolute tolerance of 2e-3 where its true gradient exceeds 5e-3.
    for part in ["conv.weight", "primary.conv.weight", "digits.weights"] {
        let (_, report) = reports.iter().find(|(path, _)| path == part).expect("checked");
        let largest = report.numeric.iter().fold(0.0f64, |m, g| m.max(g.abs()));
        assert!(largest > 5e-3, "{part}: the loss barely depends on it (largest gradient {largest:e})");
    }
}
