//! REINFORCE's pieces: the loss by hand, and the sampled log-probabilities against the
//! teacher-forced ones; its claim at quick size.

use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use lecture_08_attention::attention::AttentionKind;
use lecture_08_attention::recurrence::Recurrence;
use lecture_08_attention::reinforce::{reinforce_loss, sample};
use lecture_08_attention::seq2seq::Seq2SeqConfig;
use shared::data::synthetic::seeded_rng;
use shared::data::synthetic::token_tasks::{BOS, EOS, VOCAB_SIZE, reverse_tokens};
use shared::testing::{Tolerance, assert_close, seeded};

#[test]
fn the_loss_weighs_each_log_probability_by_its_advantage() {
    let device = shared::backend::test_device();
    let log_prob = Tensor::<1>::from_floats([-1.0, -2.0, -4.0], &device);
    // Rewards 1, 0, 0.5: baseline 0.5, advantages 0.5, -0.5, 0.
    // loss = -(0.5 * -1 + -0.5 * -2 + 0) / 3 = -0.5 / 3.
    let loss = reinforce_loss(log_prob, &[1.0, 0.0, 0.5]).into_scalar::<f32>() as f64;
    assert_close(&[loss], &[-0.5 / 3.0], Tolerance::new(1e-6, 1e-7));
}

#[test]
fn sampled_log_probabilities_are_the_teacher_forced_ones() {
    let (model, pairs, device) = seeded(3, |d| {
        let config = Seq2SeqConfig {
            vocab: VOCAB_SIZE,
            embedding: 4,
            hidden: 6,
            attention: AttentionKind::Dot,
            recurrence: Recurrence::Fused,
        };
        (config.init(d), reverse_tokens(4, 2..=4, 1).unwrap(), d.clone())
    });
    let source = pairs.source_tensor(&device).unwrap();
    let steps = 5;
    let sampled = sample(&model, source.clone(), steps, &mut seeded_rng(2));
    let log_probs: Vec<f64> = sampled.log_prob.into_data().iter::<f64>().collect();
    for (i, tokens) in sampled.tokens.iter().enumerate() {
        let mut targets = tokens.clone();
        if targets.len() < steps {
            targets.push(EOS);
        }
        let inputs: Vec<i64> =
            std::iter::once(BOS).chain(targets.iter().copied()).take(targets.len()).collect();
        let as_tensor =
            |t: &[i64]| Tensor::<2, Int>::from_data(TensorData::new(t.to_vec(), [1, t.len()]), &device);
        let logits = model.forward(source.clone().narrow(0, i, 1), as_tensor(&inputs)).logits;
        let expected = log_softmax(logits, 2).gather(2, as_tensor(&targets).unsqueeze_dim(2)).sum();
        assert_close(&[log_probs[i]], &[expected.into_scalar::<f32>() as f64], Tolerance::new(1e-4, 1e-4));
    }
}
