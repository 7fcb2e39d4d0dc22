//! Our activations against burn's with the same inputs (and, for PReLU, the same slopes): equal
//! outputs and equal gradients with respect to the input and the slopes. Alpha dropout has no
//! counterpart in burn: it is checked against a case worked out by hand from the paper's
//! formulas and constants, and by its effect on the moments of a large standard normal sample.

use burn::module::{Module, Param};
use burn::nn::activation::RReluConfig;
use burn::nn::{EluConfig, LeakyReluConfig, PRelu, Relu, Selu};
use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;
use lecture_11_selu::alpha_dropout::AlphaDropout;
use lecture_11_selu::elu::elu;
use lecture_11_selu::leaky_relu::{DEFAULT_SLOPE, leaky_relu};
use lecture_11_selu::moments::Moments;
use lecture_11_selu::prelu::Prelu;
use lecture_11_selu::relu::relu;
use lecture_11_selu::rrelu::{DEFAULT_RANGE, Rrelu};
use lecture_11_selu::selu::selu;
use shared::testing::{Tolerance, assert_tensors_close, seeded};

const TOL: Tolerance = Tolerance::F32;

/// A `[4, 6]` input with entries of both signs, none within 0.05 of the kink at 0.
fn input(seed: u64) -> Tensor<2> {
    seeded(seed, |device| {
        let x = Tensor::<2>::random([4, 6], Distribution::Normal(0.0, 2.0), device);
        x.clone().sign() * 0.05 + x
    })
}

/// Asserts equal outputs and equal input gradients of `ours` and `theirs` on `x`, and returns
/// the gradients of a fixed projection for further checks.
#[track_caller]
fn assert_same(
    what: &str,
    x: Tensor<2>,
    ours: impl Fn(Tensor<2>) -> Tensor<2>,
    theirs: impl Fn(Tensor<2>) -> Tensor<2>,
) {
    let r = seeded(99, |d| Tensor::<2>::random(x.dims(), Distribution::Normal(0.0, 1.0), d));
    let (x_ours, x_theirs) = (x.clone().detach().require_grad(), x.detach().require_grad());
    let (y_ours, y_theirs) = (ours(x_ours.clone()), theirs(x_theirs.clone()));
    assert_tensors_close(&format!("{what}: output"), y_ours.clone(), y_theirs.clone(), TOL);
    let g_ours = (y_ours * r.clone()).sum().backward();
    let g_theirs = (y_theirs * r).sum().backward();
    assert_tensors_close(
        &format!("{what}: dLoss/dx"),
        x_ours.grad(&g_ours).expect("our gradient"),
        x_theirs.grad(&g_theirs).expect("burn's gradient"),
        TOL,
    );
}

#[test]
fn relu_matches_burn() {
    assert_same("ReLU", input(1), relu, |x| Relu::new().forward(x));
}

#[test]
fn leaky_relu_matches_burn() {
    let burn_layer = LeakyReluConfig::new().init();
    assert_same("leaky ReLU", input(2), |x| leaky_relu(x, DEFAULT_SLOPE), |x| burn_layer.forward(x));
    let steep = LeakyReluConfig::new().with_negative_slope(0.3).init();
    assert_same("leaky ReLU 0.3", input(3), |x| leaky_relu(x, 0.3), |x| steep.forward(x));
}

#[test]
fn elu_matches_burn() {
    assert_same("ELU", input(4), |x| elu(x, 1.0), |x| EluConfig::new().init().forward(x));
    assert_same("ELU 1.5", input(5), |x| elu(x, 1.5), |x| EluConfig::new().with_alpha(1.5).init().forward(x));
}

#[test]
fn selu_with_derived_constants_matches_burns_typed_in_constants() {
    assert_same("SELU", input(6), selu, |x| Selu::new().forward(x));
}

#[test]
fn rrelu_at_test_time_matches_burn() {
    let plain = input(7).device().inner();
    let x = input(7).inner();
    let ours = Rrelu::new(DEFAULT_RANGE).valid().forward(x.clone());
    let theirs = RReluConfig::new().init().valid().forward(x);
    assert_tensors_close("RReLU at test", ours, theirs, TOL);
    assert!(!plain.is_autodiff());
}

#[test]
fn rrelu_in_training_draws_slopes_in_its_range() {
    let x = seeded(8, |d| Tensor::<2>::random([64, 64], Distribution::Normal(-3.0, 1.0), d).clamp_max(-0.1));
    let y = seeded(9, |_| Rrelu::new(DEFAULT_RANGE).forward(x.clone()));
    let slopes: Vec<f64> = (y / x).into_data().iter::<f64>().collect();
    let (low, high) = DEFAULT_RANGE;
    assert!(slopes.iter().all(|s| (low - 1e-6..=high + 1e-6).contains(s)), "slopes outside [{low}, {high}]");
    let mean = slopes.iter().sum::<f64>() / slopes.len() as f64;
    assert!((mean - (low + high) / 2.0).abs() < 0.005, "mean slope {mean}");
    let spread = slopes.iter().fold(0.0, |m, s| f64::max(m, (s - mean).abs()));
    assert!(spread > 0.09, "slopes should vary in training: largest deviation {spread}");
}

#[test]
fn prelu_matches_burn_in_outputs_and_slope_gradients() {
    for (channels, seed, slope_seed) in [(6, 10, 110), (1, 11, 111)] {
        let x = input(seed);
        // Distinct slopes per channel, so that a channel mix-up cannot pass.
        let slopes =
            seeded(slope_seed, |d| Tensor::<1>::random([channels], Distribution::Uniform(0.05, 0.6), d));
        let ours = Prelu { slope: Param::from_tensor(slopes.clone()) };
        let theirs = PRelu { alpha: Param::from_tensor(slopes), alpha_value: 0.25 };
        assert_same(
            &format!("PReLU x{channels}"),
            x.clone(),
            |x| ours.forward(x).unwrap(),
            |x| theirs.forward(x),
        );
        let g_ours = ours.forward(x.clone()).unwrap().powi_scalar(2).sum().backward();
        let g_theirs = theirs.forward(x).powi_scalar(2).sum().backward();
        assert_tensors_close(
            &format!("PReLU x{channels}: dLoss/da"),
            ours.slope.val().grad(&g_ours).expect("our slope gradient"),
            theirs.alpha.val().grad(&g_theirs).expect("burn's slope gradient"),
            TOL,
        );
    }
}

#[test]
fn prelu_takes_channels_on_axis_one_and_rejects_a_mismatch() {
    let x = seeded(12, |d| Tensor::<3>::random([2, 3, 5], Distribution::Normal(0.0, 1.0), d));
    let slopes = Tensor::<1>::from_floats([0.1, 0.2, 0.3], &x.device());
    let ours = Prelu { slope: Param::from_tensor(slopes.clone()) };
    let theirs = PRelu { alpha: Param::from_tensor(slopes), alpha_value: 0.25 };
    assert_tensors_close("PReLU [2, 3, 5]", ours.forward(x.clone()).unwrap(), theirs.forward(x.clone()), TOL);
    let err = Prelu::new(4, 0.25, &x.device()).forward(x).unwrap_err().to_string();
    assert!(err.contains("4 slopes") && err.contains("[2, 3, 5]"), "{err}");
}

#[test]
fn alpha_dropout_matches_a_hand_computed_case() {
    let device = Device::flex().autodiff();
    // The paper's constants, typed in here only as an independent reference:
    // α' = -λα = -1.0507009873554805 · 1.6732632423543772 = -1.7580993408473766.
    // With drop 0.5 (q = 0.5): a = (0.5 + α'² · 0.25)^(-1/2) = 0.886404894665932,
    // b = -a · 0.5 · α' = 0.7791939305180317 (worked out with Python's floats).
    let dropped = -1.7580993408473766f64;
    let a = (0.5 + dropped * dropped * 0.25).powf(-0.5);
    let b = -a * 0.5 * dropped;
    assert!((a - 0.886_404_894_665_932).abs() < 1e-12 && (b - 0.779_193_930_518_031_7).abs() < 1e-12);
    let x = Tensor::<2>::from_floats([[1.0, -2.0], [0.5, 3.0]], &device);
    let keep = Tensor::<2>::from_floats([[1.0, 0.0], [0.0, 1.0]], &device);
    let expected = Tensor::<2>::from_floats(
        [[(a * 1.0 + b) as f32, (a * dropped + b) as f32], [(a * dropped + b) as f32, (a * 3.0 + b) as f32]],
        &device,
    );
    let layer = AlphaDropout::new(0.5).unwrap();
    assert_tensors_close("alpha dropout", layer.with_mask(x, keep), expected, TOL);
}

#[test]
fn alpha_dropout_keeps_standard_moments_and_is_the_identity_at_test() {
    let x = seeded(13, |d| Tensor::<2>::random([200, 500], Distribution::Normal(0.0, 1.0), d));
    let layer = AlphaDropout::new(0.2).unwrap();
    let y = seeded(14, |_| layer.forward(x.clone()));
    let (before, after) = (Moments::of(x.clone()), Moments::of(y.clone()));
    // 100,000 samples: the moments' sampling error is about 0.003 (mean) and 0.005 (variance).
    assert!(after.mean.abs() < 0.02 && (after.var - 1.0).abs() < 0.03, "{before:?} -> {after:?}");
    let dropped = y.clone().sub(x.clone()).abs().greater_elem(1e-6).float().mean().into_scalar::<f32>();
    assert!(dropped > 0.9, "the affine map changes every element in training: {dropped}");
    assert_tensors_close("test mode", layer.valid().forward(x.clone().inner()), x.inner(), TOL);
    assert!(AlphaDropout::new(1.0).is_err() && AlphaDropout::new(-0.1).is_err());
}
