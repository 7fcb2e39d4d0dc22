//! Every workload trains: a step runs on the test device and gives a finite loss, and the MLP's
//! loss falls on its fixed batch. Small sizes keep the suite fast; the structure is the bench's.

use super::*;
use shared_backend::test_device;

/// Runs `steps` training steps and returns their losses.
fn losses(workload: &mut dyn Workload, steps: usize) -> Vec<f32> {
    (0..steps).map(|_| workload.step()).collect()
}

fn assert_one_finite_step(workload: &mut dyn Workload) {
    let loss = workload.step();
    assert!(loss.is_finite() && loss > 0.0, "{}: loss {loss}", workload.name());
}

#[test]
fn char_lstm_steps() {
    let sizes = CharLstmSizes { vocab: 65, embedding: 8, hidden: 16, batch: 2, seq_len: 5 };
    for kind in [LstmKind::Fused, LstmKind::Burn] {
        assert_one_finite_step(&mut CharLstm::new(sizes, kind, &test_device()));
    }
}

#[test]
fn cnn_steps() {
    assert_one_finite_step(&mut Cnn::new(2, &test_device()));
}

#[test]
fn capsnet_steps() {
    assert_one_finite_step(&mut CapsNet::new(2, &test_device()));
}

#[test]
fn gan_steps() {
    let sizes = GanSizes { noise: 4, hidden: 8, image: 12, batch: 3 };
    assert_one_finite_step(&mut Gan::new(sizes, &test_device()));
}

#[test]
fn seq2seq_attention_steps() {
    let sizes = Seq2SeqSizes { vocab: 20, embedding: 4, hidden: 8, length: 5, batch: 2 };
    for kind in [Seq2SeqKind::Fused, Seq2SeqKind::Stepwise] {
        assert_one_finite_step(&mut Seq2SeqAttention::new(sizes, kind, &test_device()));
    }
}

#[test]
fn mlp_loss_falls_on_its_fixed_batch() {
    let sizes = MlpSizes { input: 20, hidden: 16, classes: 4, batch: 8 };
    let losses = losses(&mut Mlp::new(sizes, &test_device()), 30);
    assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    // Adam at lr 1e-3 memorises 8 examples: 30 steps cut the loss by well over 10%.
    assert!(losses[29] < 0.9 * losses[0], "{losses:?}");
}

#[test]
fn every_kind_builds_its_named_workload_at_bench_size() {
    let device = test_device();
    for kind in WorkloadKind::ALL {
        let name = clap::ValueEnum::to_possible_value(&kind).unwrap().get_name().to_string();
        let workload = kind.build(&device);
        assert_eq!(workload.name(), name);
        assert!(!workload.description().is_empty());
        assert!(kind.default_steps() > 0);
    }
}
