//! The decoding interface: beam search of width 1 is greedy decoding, near-zero temperature
//! sampling is greedy, every hypothesis's log-probability is the teacher-forced one, and bad
//! settings are errors.

use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use lecture_08_attention::attention::AttentionKind;
use lecture_08_attention::decoding::{Hypothesis, Strategy, decode};
use lecture_08_attention::recurrence::Recurrence;
use lecture_08_attention::seq2seq::{Seq2Seq, Seq2SeqConfig};
use shared::data::synthetic::token_tasks::{BOS, EOS, VOCAB_SIZE, reverse_tokens};
use shared::testing::{Tolerance, assert_close, seeded};

const MAX_STEPS: usize = 6;

fn setup(kind: AttentionKind) -> (Seq2Seq, Tensor<2, Int>) {
    seeded(11, |device| {
        let model = Seq2SeqConfig {
            vocab: VOCAB_SIZE,
            embedding: 4,
            hidden: 6,
            attention: kind,
            recurrence: Recurrence::Fused,
        }
        .init(device);
        let source = reverse_tokens(4, 2..=5, 9).unwrap().source_tensor(device).unwrap();
        (model, source)
    })
}

fn run(model: &Seq2Seq, source: &Tensor<2, Int>, strategy: Strategy) -> Vec<Hypothesis> {
    decode(model, source.clone(), MAX_STEPS, strategy, 0).unwrap()
}

#[test]
fn beam_of_width_one_is_greedy() {
    for kind in [AttentionKind::None, AttentionKind::Dot] {
        let (model, source) = setup(kind);
        assert_eq!(run(&model, &source, Strategy::Beam { width: 1 }), run(&model, &source, Strategy::Greedy));
    }
}

#[test]
fn sampling_near_zero_temperature_is_greedy() {
    let (model, source) = setup(AttentionKind::Additive);
    let greedy = run(&model, &source, Strategy::Greedy);
    let cold = run(&model, &source, Strategy::Sample { temperature: 1e-4 });
    let tokens = |hs: &[Hypothesis]| hs.iter().map(|h| h.tokens.clone()).collect::<Vec<_>>();
    assert_eq!(tokens(&cold), tokens(&greedy));
}

#[test]
fn hypothesis_log_probabilities_are_the_teacher_forced_ones() {
    // The step-by-step path (Seq2Seq::step) and the whole-sequence path (Seq2Seq::forward) must
    // give each generated sequence the same log-probability.
    let (model, source) = setup(AttentionKind::Additive);
    let device = source.device();
    for strategy in [Strategy::Greedy, Strategy::Beam { width: 3 }, Strategy::Sample { temperature: 1.5 }] {
        let hypotheses = run(&model, &source, strategy);
        for (i, h) in hypotheses.iter().enumerate() {
            let mut targets = h.tokens.clone();
            if targets.len() < MAX_STEPS {
                targets.push(EOS);
            }
            let inputs: Vec<i64> =
                std::iter::once(BOS).chain(targets.iter().copied()).take(targets.len()).collect();
            let as_tensor =
                |t: &[i64]| Tensor::<2, Int>::from_data(TensorData::new(t.to_vec(), [1, t.len()]), &device);
            let logits = model.forward(source.clone().narrow(0, i, 1), as_tensor(&inputs)).logits;
            let chosen = log_softmax(logits, 2).gather(2, as_tensor(&targets).unsqueeze_dim(2));
            let expected = chosen.sum().into_scalar::<f32>() as f64;
            assert_close(&[h.log_prob], &[expected], Tolerance::new(1e-4, 1e-4));
        }
    }
}

#[test]
fn attending_models_report_one_weight_row_per_generated_token() {
    let (model, source) = setup(AttentionKind::Dot);
    let source_len = source.dims()[1];
    for h in run(&model, &source, Strategy::Beam { width: 2 }) {
        let generated = h.tokens.len() + usize::from(h.tokens.len() < MAX_STEPS);
        assert_eq!(h.weights.len(), generated);
        for row in &h.weights {
            assert_eq!(row.len(), source_len);
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
    }
    let (plain, source) = setup(AttentionKind::None);
    assert!(run(&plain, &source, Strategy::Greedy).iter().all(|h| h.weights.is_empty()));
}

#[test]
fn bad_settings_are_errors() {
    let (model, source) = setup(AttentionKind::None);
    let err = |strategy, steps| decode(&model, source.clone(), steps, strategy, 0).unwrap_err().to_string();
    assert!(err(Strategy::Beam { width: 0 }, 3).contains("width"));
    assert!(err(Strategy::Sample { temperature: 0.0 }, 3).contains("temperature"));
    assert!(err(Strategy::Sample { temperature: f64::NAN }, 3).contains("temperature"));
    assert!(err(Strategy::Greedy, 0).contains("max_steps"));
}
