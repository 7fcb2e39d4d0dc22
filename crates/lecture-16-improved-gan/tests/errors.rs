//! Bad settings are errors with a message, never a hang or a panic; a diverging game stops.

use burn::prelude::*;
use lecture_16_improved_gan::critic::Critic;
use lecture_16_improved_gan::experiments::toy::ToyConfig;
use lecture_16_improved_gan::objective::Objective;
use lecture_16_improved_gan::trainer::{Lipschitz, Trainer};
use lecture_16_improved_gan::wasserstein::wasserstein_1;
use shared::backend::test_device;

#[test]
fn a_critic_without_hidden_layers_or_with_a_zero_width_is_an_error() {
    let device = test_device();
    let error = Critic::new(2, &[], &device).unwrap_err().to_string();
    assert!(error.contains("at least one hidden layer"), "{error}");
    assert!(Critic::new(2, &[0], &device).is_err());
}

#[test]
fn w1_of_unequal_or_malformed_point_sets_is_an_error_saying_so() {
    let error = wasserstein_1(&[0.0; 6], &[0.0; 4], 2).unwrap_err().to_string();
    assert!(error.contains("as many points on each side: 3 vs 2"), "{error}");
    assert!(wasserstein_1(&[0.0; 5], &[0.0; 5], 2).is_err());
}

#[test]
fn an_unconstrained_critic_that_diverges_stops_the_game_with_a_message() {
    // The Wasserstein loss without any Lipschitz constraint and a huge step: the critic's
    // values run off to infinity within a few steps.
    let device = test_device().autodiff();
    let mut config = ToyConfig::wgan_gp(50, 10);
    config.game.lipschitz = Lipschitz::Unconstrained;
    config.game.objective = Objective::Wasserstein;
    config.game.learning_rate = 1e30;
    let (generator, critic) = config.networks(1, &device).unwrap();
    let mut trainer = Trainer::new(generator, critic, config.game);
    let real = Tensor::<2>::ones([8, 2], &device);
    let error = (0..50)
        .find_map(|step| trainer.step(step, false, || Ok(real.clone())).err())
        .expect("the game diverges")
        .to_string();
    assert!(error.contains("training diverged at step") && error.contains("loss is"), "{error}");
}
