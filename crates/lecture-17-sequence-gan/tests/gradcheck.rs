//! Autodiff gradients of the lecture's hand-written pieces against central finite differences:
//! the discriminator (every parameter), the language model's teacher-forced log-likelihood
//! (every parameter: the shift behind BOS, the temperature, the output layer), and the
//! policy-gradient loss with respect to the log-probabilities.

use lecture_17_sequence_gan::discriminator::{DiscriminatorConfig, discriminator_loss};
use lecture_17_sequence_gan::lstm_lm::LstmLmConfig;
use lecture_17_sequence_gan::policy_gradient::policy_gradient_loss;
use lecture_17_sequence_gan::sequences::Sequences;
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
        gradcheck_parameters(&d, |d| discriminator_loss(d.forward(real.clone()), d.forward(fake.clone())))
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
