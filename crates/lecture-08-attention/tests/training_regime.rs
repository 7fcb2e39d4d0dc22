//! The feeding regimes: the step-by-step path fed the truth reproduces the teacher-forced
//! forward pass, and fed its own outputs it reproduces greedy decoding.

use burn::prelude::*;
use lecture_08_attention::attention::AttentionKind;
use lecture_08_attention::decoding::{Strategy, decode};
use lecture_08_attention::recurrence::Recurrence;
use lecture_08_attention::seq2seq::{Seq2Seq, Seq2SeqConfig};
use lecture_08_attention::training_regime::mixed_feed_logits;
use shared::data::synthetic::seeded_rng;
use shared::data::synthetic::token_tasks::{EOS, TokenPairs, VOCAB_SIZE, sort_tokens};
use shared::testing::{Tolerance, assert_tensors_close, seeded};

fn setup() -> (Seq2Seq, TokenPairs, Device) {
    seeded(21, |device| {
        let config = Seq2SeqConfig {
            vocab: VOCAB_SIZE,
            embedding: 4,
            hidden: 6,
            attention: AttentionKind::Additive,
            recurrence: Recurrence::Fused,
        };
        (config.init(device), sort_tokens(3, 4..=4, 5).unwrap(), device.clone())
    })
}

#[test]
fn fed_the_truth_the_stepwise_decoder_is_the_teacher_forced_one() {
    let (model, pairs, device) = setup();
    let source = pairs.source_tensor(&device).unwrap();
    let expected = model.forward(source.clone(), pairs.decoder_input_tensor(&device).unwrap()).logits;
    let mut rng = seeded_rng(0);
    // truth just below 1 takes the step-by-step path; every coin still says "truth".
    let stepwise =
        mixed_feed_logits(&model, source.clone(), &pairs.decoder_input, 1.0 - 1e-12, &mut rng).unwrap();
    assert_tensors_close("logits", stepwise, expected.clone(), Tolerance::F32);
    let fast = mixed_feed_logits(&model, source, &pairs.decoder_input, 1.0, &mut rng).unwrap();
    assert_tensors_close("logits", fast, expected, Tolerance::F32);
}

#[test]
fn fed_its_own_outputs_the_decoder_writes_what_greedy_decoding_writes() {
    let (model, pairs, device) = setup();
    let source = pairs.source_tensor(&device).unwrap();
    let logits =
        mixed_feed_logits(&model, source.clone(), &pairs.decoder_input, 0.0, &mut seeded_rng(0)).unwrap();
    let own: Vec<i64> = logits.argmax(2).into_data().iter::<i64>().collect();
    let greedy = decode(&model, source, pairs.time, Strategy::Greedy, 0).unwrap();
    for (row, h) in own.chunks(pairs.time).zip(&greedy) {
        let until_eos: Vec<i64> = row.iter().copied().take_while(|&t| t != EOS).collect();
        assert_eq!(until_eos, h.tokens);
    }
}

#[test]
fn a_decoder_input_that_does_not_fit_the_batch_is_an_error() {
    let (model, pairs, device) = setup();
    let source = pairs.source_tensor(&device).unwrap();
    let err =
        mixed_feed_logits(&model, source, &pairs.decoder_input[1..], 0.5, &mut seeded_rng(0)).unwrap_err();
    assert!(err.to_string().contains("does not fit"), "{err}");
}
