//! The pieces against values worked out independently: the attention score by hand, the
//! pointer's distribution (sums to one over the allowed positions, zero elsewhere), the
//! whole-sequence teacher-forced pass against one step at a time, beam search of width 1
//! against greedy, and the pointer-generator's mixture against its own parts.

use burn::module::Param;
use burn::prelude::*;
use lecture_09_pointer_network::attention::{AdditiveAttention, masked_log_softmax};
use lecture_09_pointer_network::decoding::{beam_search, greedy};
use lecture_09_pointer_network::encoder_decoder::EncoderDecoderConfig;
use lecture_09_pointer_network::pointer_generator::PointerGeneratorConfig;
use lecture_09_pointer_network::pointer_net::{OutputKind, PointerNetConfig};
use lecture_09_pointer_network::tasks::names::{NamePool, NameSplit, NamesTask};
use lecture_09_pointer_network::tasks::{PointerBatch, PointerTask};
use shared::testing::{Tolerance, assert_close, assert_tensors_close, normal, seeded};

fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_into_vec().unwrap()
}

fn scalar(value: f32, device: &Device) -> Param<Tensor<2>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(vec![value], [1, 1]), device))
}

/// Width 1 everywhere: `u_j = v tanh(w_1 e_j + w_2 d + b)` with `w_1 = 0.5`, `w_2 = -1`,
/// `b = 0.25`, `v = 2`, worked out here in f64.
#[test]
fn the_score_is_v_tanh_of_the_projected_sum() {
    let device = shared::backend::test_device();
    let mut attention = AdditiveAttention::new(1, 1, 1, &device);
    attention.key.weight = scalar(0.5, &device);
    attention.query.weight = scalar(-1.0, &device);
    attention.query.bias = Some(Param::from_tensor(Tensor::from_floats([0.25], &device)));
    attention.score.weight = scalar(2.0, &device);
    let encoder = [0.4f32, -1.2, 2.0];
    let decoder = 0.7f32;
    let scores = attention.scores(
        Tensor::from_data(TensorData::new(vec![decoder], [1, 1, 1]), &device),
        Tensor::from_data(TensorData::new(encoder.to_vec(), [1, 3, 1]), &device),
    );
    let expected: Vec<f64> =
        encoder.iter().map(|&e| 2.0 * (0.5 * f64::from(e) - f64::from(decoder) + 0.25).tanh()).collect();
    let actual: Vec<f64> = floats(scores).into_iter().map(f64::from).collect();
    assert_close(&actual, &expected, Tolerance::new(1e-6, 1e-6));
}

#[test]
fn the_pointer_distribution_sums_to_one_over_allowed_positions_and_is_zero_elsewhere() {
    let (scores, device) = seeded(1, |d| (normal([2, 3, 5], d) * 4.0, d.clone()));
    let mask: Vec<bool> = (0..30).map(|i| i % 3 == 1 || i % 7 == 0).collect();
    let forbidden = Tensor::<3, Bool>::from_data(TensorData::new(mask.clone(), [2, 3, 5]), &device);
    let p = floats(masked_log_softmax(scores, forbidden).exp());
    for (row, forbidden) in p.chunks(5).zip(mask.chunks(5)) {
        let allowed: f32 = row.iter().zip(forbidden).filter(|(_, f)| !**f).map(|(p, _)| p).sum();
        assert!((allowed - 1.0).abs() < 1e-6, "{row:?}");
        assert!(row.iter().zip(forbidden).all(|(p, f)| !f || *p == 0.0), "{row:?}");
    }
}

#[test]
fn teacher_forcing_over_the_whole_answer_equals_one_step_at_a_time() {
    let batch = PointerBatch::draw(PointerTask::ConvexHull, 3, 6, 2).unwrap();
    for output in [OutputKind::Pointer, OutputKind::FixedVocabulary { n_max: 7 }] {
        let config =
            PointerNetConfig { core: EncoderDecoderConfig { features: 2, embedding: 4, hidden: 5 }, output };
        let (model, device) = seeded(3, |d| (config.init(d), d.clone()));
        let whole = model.log_probs(&batch, &device);
        let encoded = model.encode(batch.inputs_tensor(&device));
        let previous = batch.previous_tensor(&device);
        let mask = batch.mask_tensor(model.classes(batch.n), &device);
        let mut state = encoded.last.clone();
        for t in 0..batch.time {
            let (scores, next) = model.scores(&encoded, previous.clone().narrow(1, t, 1), state);
            state = next;
            let step = masked_log_softmax(scores, mask.clone().narrow(1, t, 1));
            assert_tensors_close(
                &format!("step {t}"),
                step,
                whole.clone().narrow(1, t, 1),
                Tolerance::new(1e-5, 1e-5),
            );
        }
    }
}

#[test]
fn beam_search_of_width_one_is_greedy_and_every_beam_answer_is_a_tour() {
    let batch = PointerBatch::draw(PointerTask::Tsp, 4, 6, 4).unwrap();
    let config = PointerNetConfig {
        core: EncoderDecoderConfig { features: 2, embedding: 4, hidden: 5 },
        output: OutputKind::Pointer,
    };
    let (model, device) = seeded(5, |d| (config.init(d), d.clone()));
    let rule = batch.task.stop_rule();
    let inputs = batch.inputs_tensor(&device);
    assert_eq!(beam_search(&model, inputs.clone(), rule, 1), greedy(&model, inputs.clone(), rule).answers);
    for answer in beam_search(&model, inputs, rule, 4) {
        let mut sorted = answer.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..6).collect::<Vec<_>>());
    }
}

#[test]
fn the_pointer_generator_mixes_its_vocabulary_and_the_attention_by_the_switch() {
    let task = NamesTask::new(NamePool { known: 3, rare: 3, test: 3 }).unwrap();
    let batch = task.batch(NameSplit::Test, 3, 7);
    for copy in [true, false] {
        let config = PointerGeneratorConfig { vocabulary: task.vocabulary(), embedding: 4, hidden: 5, copy };
        let (model, device) = seeded(8, |d| (config.init(d), d.clone()));
        let source = model.encode(&task, &batch, &device);
        let previous =
            Tensor::<1, Int>::from_ints(batch.decoder_input.as_slice(), &device).reshape([3, batch.time]);
        let last = source.last.clone();
        let (mixture, _) = model.step(&source, previous, last);
        let p = floats(mixture.probabilities);
        let (attention, generate) = (floats(mixture.attention), floats(mixture.generate));
        let (v, x, s) = (task.vocabulary(), task.extended(), batch.source_time);
        assert_eq!(p.len() % x, 0);
        for (row, probabilities) in p.chunks(x).enumerate() {
            assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-5);
            let b = row / batch.time;
            // a word outside the vocabulary gets exactly the attention on its source positions
            for (word, &probability) in probabilities.iter().enumerate().skip(v) {
                let on_word: f32 = (0..batch.source_lengths[b])
                    .filter(|&k| batch.source[b * s + k] as usize == word)
                    .map(|k| attention[row * s + k])
                    .sum();
                let expected = (1.0 - generate[row]) * on_word;
                assert!((probability - expected).abs() < 1e-6, "copy {copy}, word {word}");
            }
        }
        if !copy {
            assert!(generate.iter().all(|&g| g == 1.0));
        }
    }
}
