//! Credit assignment and the policy gradient by hand: the roll-outs keep every prefix and finish
//! it to full length; the rewards of a judge that reads only some tokens come out exactly as
//! worked out here; the loss weighs each log-probability by its advantage.

use burn::prelude::*;
use lecture_17_sequence_gan::lstm_lm::{LstmLm, LstmLmConfig};
use lecture_17_sequence_gan::policy_gradient::{advantages, policy_gradient_loss};
use lecture_17_sequence_gan::rollout::{Credit, finish_prefixes, token_rewards};
use lecture_17_sequence_gan::sampling::sample;
use lecture_17_sequence_gan::sequences::Sequences;
use shared::data::synthetic::seeded_rng;
use shared::testing::{Tolerance, assert_close, seeded};

const VOCAB: usize = 5;
const LENGTH: usize = 4;
const BATCH: usize = 3;
const ROLLOUTS: usize = 2;

/// A small model with the oracle's large random weights: peaked next-word distributions that
/// depend strongly on the state, so a roll-out from a wrong state would draw visibly wrong words.
fn generator() -> (LstmLm, Sequences) {
    seeded(5, |device| {
        let model = LstmLmConfig { vocab: VOCAB, embedding: 3, hidden: 4 }.init_normal(1.5, device);
        let sentences = sample(&model, BATCH, LENGTH, 1.0, &mut seeded_rng(1));
        (model, sentences)
    })
}

#[test]
fn every_prefix_is_kept_and_finished_to_full_length() {
    let (model, sentences) = generator();
    let finished = finish_prefixes(&model, &sentences, ROLLOUTS, 1.0, &mut seeded_rng(2));
    assert_eq!((finished.count, finished.length), ((LENGTH - 1) * ROLLOUTS * BATCH, LENGTH));
    for row in 0..finished.count {
        let (t, b) = (row / (ROLLOUTS * BATCH) + 1, row % BATCH);
        assert_eq!(&finished.row(row)[..t], &sentences.row(b)[..t], "row {row}: prefix of {t} tokens");
        assert!(finished.row(row).iter().all(|&w| (0..VOCAB as i64).contains(&w)), "{:?}", finished.row(row));
    }
}

#[test]
fn a_judge_of_the_first_token_credits_every_token_with_it() {
    // Every roll-out keeps y_1, so Q_t = [y_1 = 0] at every t, exactly, with or without roll-outs.
    let (model, sentences) = generator();
    let mut first_is_zero =
        |s: &Sequences| Ok((0..s.count).map(|i| f64::from(u8::from(s.row(i)[0] == 0))).collect());
    for credit in [Credit::RollOut { rollouts: ROLLOUTS }, Credit::WholeSentence] {
        let q =
            token_rewards(&model, &sentences, credit, 1.0, &mut first_is_zero, &mut seeded_rng(3)).unwrap();
        let expected: Vec<f64> =
            (0..BATCH * LENGTH).map(|i| f64::from(u8::from(sentences.row(i / LENGTH)[0] == 0))).collect();
        assert_eq!(q, expected, "{credit:?}");
    }
}

#[test]
fn a_judge_of_the_last_token_is_averaged_over_the_roll_outs() {
    // With roll-outs, Q_t for t < L is the share of the R endings whose last token is even: a
    // multiple of 1/R, and the last position's is the sentence's own.
    let (model, sentences) = generator();
    let mut last_even = |s: &Sequences| {
        Ok((0..s.count).map(|i| f64::from(u8::from(s.row(i)[s.length - 1] % 2 == 0))).collect())
    };
    let credit = Credit::RollOut { rollouts: ROLLOUTS };
    let q = token_rewards(&model, &sentences, credit, 1.0, &mut last_even, &mut seeded_rng(4)).unwrap();
    let finished = finish_prefixes(&model, &sentences, ROLLOUTS, 1.0, &mut seeded_rng(4));
    for b in 0..BATCH {
        for t in 1..LENGTH {
            let endings = (0..ROLLOUTS).map(|r| ((t - 1) * ROLLOUTS + r) * BATCH + b);
            let share = endings.filter(|&row| finished.row(row)[LENGTH - 1] % 2 == 0).count();
            assert_eq!(q[b * LENGTH + t - 1], share as f64 / ROLLOUTS as f64, "sentence {b}, token {t}");
        }
        let own = f64::from(u8::from(sentences.row(b)[LENGTH - 1] % 2 == 0));
        assert_eq!(q[b * LENGTH + LENGTH - 1], own);
    }
}

#[test]
fn the_advantage_subtracts_each_positions_batch_mean() {
    // Q: [[1, 0], [0, 0], [0.5, 0.3]]: baselines 0.5 and 0.1.
    let a = advantages(&[1.0, 0.0, 0.0, 0.0, 0.5, 0.3], 2);
    assert_close(&a, &[0.5, -0.1, -0.5, -0.1, 0.0, 0.2], Tolerance::new(0.0, 1e-12));
}

#[test]
fn the_loss_weighs_each_log_probability_by_its_advantage() {
    let device = shared::backend::test_device();
    let log_probs = Tensor::<2>::from_floats([[-1.0, -2.0], [-0.5, -4.0]], &device);
    // loss = -(0.5·-1 + -0.5·-2 + 1·-0.5 + 0·-4) / 4 = -(-0.5 + 1 - 0.5) / 4 = 0.
    let zero = policy_gradient_loss(log_probs.clone(), &[0.5, -0.5, 1.0, 0.0]).into_scalar::<f64>();
    // loss = -(2·-1 + 0 + 0 + 1·-4) / 4 = 1.5.
    let loss = policy_gradient_loss(log_probs, &[2.0, 0.0, 0.0, 1.0]).into_scalar::<f64>();
    assert_close(&[zero, loss], &[0.0, 1.5], Tolerance::new(1e-6, 1e-7));
}

#[test]
fn roll_outs_continue_from_the_state_after_the_prefix() {
    // The token after a prefix of t tokens, over many roll-outs, is distributed as the
    // teacher-forced softmax at position t + 1: an off-by-one state would show.
    let (model, sentences) = generator();
    let one = sentences.select(&[0]);
    let rollouts = 20_000;
    let finished = finish_prefixes(&model, &one, rollouts, 1.0, &mut seeded_rng(6));
    let forced = burn::tensor::activation::softmax(model.logits(one.tensor(&model.device())), 2);
    for t in 1..LENGTH {
        let expected: Vec<f64> = forced.clone().narrow(1, t, 1).into_data().iter::<f64>().collect();
        let mut counts = [0usize; VOCAB];
        for r in 0..rollouts {
            counts[finished.row((t - 1) * rollouts + r)[t] as usize] += 1;
        }
        let observed: Vec<f64> = counts.iter().map(|&c| c as f64 / rollouts as f64).collect();
        // Binomial standard error at 20,000 draws is at most 0.0036: three of them.
        assert_close(&observed, &expected, Tolerance::new(0.0, 0.011));
    }
    // The word two places after the one-word prefix: its marginal Σ_v p(v | y_1) p(w | y_1 v)
    // needs the state carried past the first drawn word.
    let device = model.device();
    let y1 = one.row(0)[0];
    let first = forced.clone().narrow(1, 1, 1).into_data().iter::<f64>().collect::<Vec<f64>>();
    let mut expected = vec![0.0; VOCAB];
    for (v, p_v) in first.iter().enumerate() {
        let sentence = Sequences::from_rows(&[vec![y1, v as i64, 0, 0]], LENGTH).unwrap();
        let next =
            burn::tensor::activation::softmax(model.logits(sentence.tensor(&device)), 2).narrow(1, 2, 1);
        for (e, p_w) in expected.iter_mut().zip(next.into_data().iter::<f64>()) {
            *e += p_v * p_w;
        }
    }
    let mut counts = [0usize; VOCAB];
    for r in 0..rollouts {
        counts[finished.row(r)[2] as usize] += 1;
    }
    let observed: Vec<f64> = counts.iter().map(|&c| c as f64 / rollouts as f64).collect();
    assert_close(&observed, &expected, Tolerance::new(0.0, 0.011));
}
