//! Autodiff gradients of the lecture's hand-written pieces against central finite differences:
//! the discriminator (every parameter), the language model's teacher-forced log-likelihood
//! (every parameter: the shift behind BOS, the temperature, the output layer), and the
//! policy-gradient loss with respect to the log-probabilities.

use lecture_17_sequence_gan::discriminator::DiscriminatorConfig;
use lecture_17_sequence_gan::gumbel_softmax::{gumbel_noise, gumbel_softmax, straight_through};
use lecture_17_sequence_gan::lstm_lm::LstmLmConfig;
use lecture_17_sequence_gan::policy_gradient::policy_gradient_loss;
use lecture_17_sequence_gan::sequences::Sequences;
use shared::gan::loss::discriminator_loss;
use shared::testing::{gradcheck, gradcheck_parameters, normal, seeded};

fn sentences(rows: &[[i64; 4]]) -> Sequences {
    Sequences::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>(), 4).unwrap()
}

#[test]
fn the_discriminator_loss_has_correct_parameter_gradients() {
    seeded(1, |device| {
        let config = DiscriminatorConfig { vocab: 5, embedding: 3, windows: vec![1, 3], filters: 2 };
        let d = config.init(device).unwrap();
        let real = sentences(&[[0, 1, 2, 3], [4, 4, 1, 0]]).tensor(device);
        let fake = sentences(&[[2, 2, 2, 2], [1, 3, 0, 4]]).tensor(device);
        gradcheck_parameters(&d, |d| {
            discriminator_loss(d.forward(real.clone()), d.forward(fake.clone()), 0.0)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    });
}

#[test]
fn the_tempered_log_likelihood_has_correct_parameter_gradients() {
    seeded(2, |device| {
        let model = LstmLmConfig { vocab: 5, embedding: 3, hidden: 3 }.init(device);
        let tokens = sentences(&[[0, 1, 2, 3], [4, 4, 1, 0]]).tensor(device);
        let r = normal([2, 4], device);
        gradcheck_parameters(&model, |m| (m.token_log_probs(tokens.clone(), 0.7) * r.clone()).sum())
            .unwrap_or_else(|e| panic!("{e}"));
    });
}

#[test]
fn the_policy_gradient_loss_has_correct_gradients() {
    seeded(3, |device| {
        let log_probs = normal([3, 4], device).abs().neg();
        let advantages = [0.3, -0.2, 0.0, 1.0, -1.0, 0.5, 0.25, -0.75, 0.1, 0.2, -0.4, 0.6];
        gradcheck(|x| policy_gradient_loss(x, &advantages), log_probs).unwrap_or_else(|e| panic!("{e}"));
    });
}

#[test]
fn the_gumbel_softmax_and_the_straight_through_estimator_have_the_relaxations_gradient() {
    seeded(4, |device| {
        let logits = normal([3, 5], device);
        let noise = gumbel_noise([3, 5], &mut shared::data::synthetic::seeded_rng(1), device);
        let r = normal([3, 5], device);
        for temperature in [0.5, 1.0, 2.0] {
            let relaxed = |l| (gumbel_softmax(l, noise.clone(), temperature) * r.clone()).sum();
            gradcheck(relaxed, logits.clone()).unwrap_or_else(|e| panic!("τ = {temperature}: {e}"));
            // The straight-through estimator's gradient is the relaxation's (its value is the hard
            // sample's, a step function the finite differences would not see move).
            let l = logits.clone().detach().require_grad();
            let through =
                (straight_through(l.clone(), noise.clone(), temperature) * r.clone()).sum().backward();
            let l2 = logits.clone().detach().require_grad();
            let soft = (gumbel_softmax(l2.clone(), noise.clone(), temperature) * r.clone()).sum().backward();
            shared::testing::assert_tensors_close(
                "straight-through gradient",
                l.grad(&through).unwrap(),
                l2.grad(&soft).unwrap(),
                shared::testing::Tolerance::F32,
            );
        }
    });
}
