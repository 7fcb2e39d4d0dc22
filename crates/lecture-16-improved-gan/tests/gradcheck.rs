//! Gradients of every hand-written piece against central finite differences.
//!
//! The critic's hand-written input gradient is checked as a function of the input (against
//! finite differences of the critic itself), and the gradient penalty built on it as a function
//! of every weight and bias of the critic: that is the derivative burn takes through the
//! hand-written gradient when the penalty trains the critic, the one burn's first-order
//! autodiff could not take through its own `backward()`.

use burn::prelude::Tensor;
use lecture_16_improved_gan::critic::Critic;
use lecture_16_improved_gan::f_divergence::Divergence;
use lecture_16_improved_gan::gradient_penalty::penalty_at;
use lecture_16_improved_gan::objective::Objective;
use shared::gan::loss::GeneratorLoss;
use shared::testing::{finite_difference_gradient, gradcheck, gradcheck_parameters, normal, seeded};

/// A critic `3 -> 6 -> 5 -> 1` and a few inputs `[4, 3]`.
fn tiny_critic(seed: u64) -> (Critic, Tensor<2>) {
    seeded(seed, |d| (Critic::new(3, &[6, 5], d).unwrap(), normal([4, 3], d)))
}

#[test]
fn the_hand_written_input_gradient_matches_finite_differences_of_the_critic() {
    let (critic, x) = tiny_critic(1);
    let ours: Vec<f64> = critic.input_gradient(x.clone()).into_data().iter::<f64>().collect();
    // Each row's f depends on that row alone, so d(sum f)/dx is every row's own gradient.
    let numeric = finite_difference_gradient(&|x| critic.forward(x).sum(), &x, 1e-3).unwrap();
    for (k, (a, b)) in ours.iter().zip(&numeric).enumerate() {
        assert!((a - b).abs() < 2e-3 + 1e-2 * b.abs(), "element {k}: ours {a}, finite differences {b}");
    }
}

#[test]
fn the_gradient_penalty_has_correct_gradients_with_respect_to_every_critic_parameter() {
    let (critic, points) = tiny_critic(2);
    let checked = gradcheck_parameters(&critic, |c| penalty_at(c, points.clone(), 10.0))
        .unwrap_or_else(|e| panic!("penalty: {e}"));
    assert_eq!(checked.len(), 6, "three layers, weight and bias each (biases get 0: the check still runs)");
}

#[test]
fn the_penalty_has_correct_gradients_with_respect_to_its_points() {
    // Piecewise linear critic: the gradient norm is constant between kinks, so d/dx is 0
    // almost everywhere; the check makes sure the hand-written graph does not invent one.
    let (critic, points) = tiny_critic(3);
    gradcheck(|p| penalty_at(&critic, p, 10.0), points).unwrap();
}

#[test]
fn every_objective_has_correct_gradients() {
    let (real, fake) = seeded(4, |d| (normal([5, 1], d), normal([5, 1], d).mul_scalar(0.5)));
    let objectives = [
        Objective::Gan(GeneratorLoss::Minimax),
        Objective::Gan(GeneratorLoss::NonSaturating),
        Objective::Wasserstein,
        Objective::LeastSquares,
    ]
    .into_iter()
    .chain(Divergence::ALL.map(Objective::F));
    for objective in objectives {
        let name = objective.name();
        gradcheck(|r| objective.critic_loss(r, fake.clone()), real.clone())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        gradcheck(|f| objective.critic_loss(real.clone(), f), fake.clone())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        gradcheck(|f| objective.generator_loss(f), fake.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
