//! Our pieces against burn where burn has the same thing (its first-order gradient of the
//! critic), and against values worked out independently where it does not (conjugates by a
//! numerical supremum, penalties from burn's gradient in plain arithmetic).

use burn::prelude::*;
use lecture_16_improved_gan::critic::Critic;
use lecture_16_improved_gan::f_divergence::Divergence;
use lecture_16_improved_gan::gradient_penalty::{gradient_norms, penalty_at};
use lecture_16_improved_gan::objective::Objective;
use lecture_16_improved_gan::weight_clipping::{clip_weights, fraction_at_bounds, weight_values};
use shared::backend::test_device;
use shared::testing::{Tolerance, assert_tensors_close, normal, seeded};

fn values<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

#[test]
fn the_hand_written_input_gradient_equals_burns_first_order_gradient() {
    for (seed, hidden) in [(1, vec![7]), (2, vec![8, 6]), (3, vec![5, 9, 4])] {
        let (critic, x) =
            seeded(seed, |d| (Critic::new(2, &hidden, d).unwrap(), normal([16, 2], d).mul_scalar(2.0)));
        let x = x.detach().require_grad();
        let burns = x.grad(&critic.forward(x.clone()).sum().backward()).unwrap();
        let ours = critic.input_gradient(x.clone());
        assert_tensors_close(&format!("∇_x f, hidden {hidden:?}"), ours, burns, Tolerance::new(1e-5, 1e-6));
    }
}

#[test]
fn the_penalty_is_lambda_times_the_mean_squared_excess_of_burns_gradient_norms() {
    let (critic, x) = seeded(4, |d| (Critic::new(3, &[8, 8], d).unwrap(), normal([6, 3], d)));
    let x = x.detach().require_grad();
    let burns = values(x.grad(&critic.forward(x.clone()).sum().backward()).unwrap());
    let expected: f64 =
        burns.chunks(3).map(|g| (g.iter().map(|v| v * v).sum::<f64>().sqrt() - 1.0).powi(2)).sum::<f64>()
            / 6.0
            * 10.0;
    let norms = values(gradient_norms(&critic, x.clone()));
    for (norm, g) in norms.iter().zip(burns.chunks(3)) {
        assert!((norm - g.iter().map(|v| v * v).sum::<f64>().sqrt()).abs() < 1e-5);
    }
    let ours = penalty_at(&critic, x, 10.0).into_scalar::<f64>();
    assert!((ours - expected).abs() < 1e-5 * expected.max(1.0), "ours {ours}, expected {expected}");
}

/// `f*(t) = sup_u (u t - f(u))` by a dense search over `u` in (0, 60].
fn numerical_conjugate(f: impl Fn(f64) -> f64, t: f64) -> f64 {
    (1..=600_000).map(|k| f64::from(k) * 1e-4).map(|u| u * t - f(u)).fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn each_conjugate_is_the_supremum_of_its_f() {
    let device = test_device();
    let generator = |divergence| -> Box<dyn Fn(f64) -> f64> {
        match divergence {
            Divergence::Kl => Box::new(|u: f64| u * u.ln()),
            Divergence::ReverseKl => Box::new(|u: f64| -u.ln()),
            Divergence::JensenShannon => Box::new(|u: f64| -(u + 1.0) * ((1.0 + u) / 2.0).ln() + u * u.ln()),
            Divergence::PearsonChiSquared => Box::new(|u: f64| (u - 1.0).powi(2)),
        }
    };
    for divergence in Divergence::ALL {
        let v = Tensor::<2>::from_floats([[-1.5], [-0.3], [0.4], [1.2]], &device);
        let t = values(divergence.activation(v.clone()));
        let ours = values(divergence.conjugate_of_activation(v));
        for (t, ours) in t.iter().zip(&ours) {
            let expected = numerical_conjugate(generator(divergence), *t);
            assert!((ours - expected).abs() < 1e-3, "{divergence:?} at t = {t}: ours {ours}, sup {expected}");
        }
    }
}

#[test]
fn least_squares_and_wasserstein_losses_on_a_worked_example() {
    let device = test_device();
    let real = Tensor::<2>::from_floats([[1.0], [0.0]], &device);
    let fake = Tensor::<2>::from_floats([[2.0], [-1.0]], &device);
    // LSGAN critic: ½ mean((r - 1)^2) + ½ mean(f^2) = ½ (0 + 1)/2 + ½ (4 + 1)/2 = 1.5.
    let ls = Objective::LeastSquares.critic_loss(real.clone(), fake.clone()).into_scalar::<f64>();
    assert!((ls - 1.5).abs() < 1e-6, "{ls}");
    // LSGAN generator: ½ mean((f - 1)^2) = ½ (1 + 4)/2 = 1.25.
    let lg = Objective::LeastSquares.generator_loss(fake.clone()).into_scalar::<f64>();
    assert!((lg - 1.25).abs() < 1e-6, "{lg}");
    // Wasserstein critic: mean(f) - mean(r) = 0.5 - 0.5 = 0; generator: -mean(f) = -0.5.
    let w = Objective::Wasserstein.critic_loss(real, fake.clone()).into_scalar::<f64>();
    assert!(
        w.abs() < 1e-6
            && (Objective::Wasserstein.generator_loss(fake).into_scalar::<f64>() + 0.5).abs() < 1e-6
    );
}

#[test]
fn clipping_bounds_every_parameter_and_leaves_them_trainable() {
    let critic = seeded(5, |d| Critic::new(2, &[16, 16], d).unwrap());
    let clipped = clip_weights(critic.clone(), 0.01);
    assert_eq!(clipped.num_params(), critic.num_params());
    let weights = weight_values(&clipped);
    assert!(weights.iter().all(|w| w.abs() <= 0.01 + 1e-7));
    // Kaiming-uniform weights of a 16-wide layer are mostly far above 0.01: most are now at ±c.
    assert!(fraction_at_bounds(&weights, 0.01) > 0.8, "{}", fraction_at_bounds(&weights, 0.01));
    assert!(fraction_at_bounds(&weight_values(&critic), 0.01) < 0.05);
    let x = seeded(6, |d| normal([4, 2], d));
    let grads = clipped.forward(x).sum().backward();
    for layer in clipped.net().layers() {
        assert!(layer.weight.val().grad(&grads).is_some(), "a clipped weight still gets a gradient");
    }
}
