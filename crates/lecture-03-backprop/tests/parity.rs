//! Our engines against burn's autodiff on whole models, and our training against burn's.

use burn::prelude::{Int, Tensor};
use lecture_03_backprop::differentiate::{
    by_burn_autodiff, by_reverse_mode, relative_error, worst_relative_error,
};
use lecture_03_backprop::engine::Engine;
use lecture_03_backprop::forward_mode::{ForwardMode, gradient_by_forward_mode};
use lecture_03_backprop::mlp::{MlpShape, mlp_loss};
use lecture_03_backprop::parameters::{Layer, Parameters};
use lecture_03_backprop::rnn::{self, rnn_loss, steps_of};
use lecture_03_backprop::training::{Descent, train_with_burn, train_with_our_engine};
use shared::backend::test_device;
use shared::data::mnist::Mnist;
use shared::data::synthetic::adding::adding_problem;
use shared::report::ExperimentRecord;
use shared::testing::{normal, seeded_on};

/// The bound: relative error under 1e-5 on every parameter.
const PARITY: f64 = 1e-5;

fn small_batch() -> (Tensor<2>, Tensor<1, Int>) {
    let device = test_device();
    let x = seeded_on(&device, 5, |d| normal([6, 8], d));
    (x, Tensor::from_ints([0, 2, 1, 2, 0, 1], &device))
}

fn small_mlp() -> Parameters {
    MlpShape { input: 8, hidden: 5, classes: 3 }.init(11, &test_device())
}

#[test]
fn mlp_gradients_equal_burns() {
    let (x, y) = small_batch();
    let p = small_mlp();
    let (ours_loss, ours) = by_reverse_mode(&p.names, &p.tensors, |g, w| mlp_loss(g, w, &x, &y));
    let (burn_loss, burns) = by_burn_autodiff(&p.tensors, |e, w| mlp_loss(e, w, &x, &y));
    assert!((ours_loss - burn_loss).abs() < 1e-6, "loss {ours_loss} vs {burn_loss}");
    for (name, (a, b)) in p.names.iter().zip(ours.iter().zip(&burns)) {
        let error = relative_error(a, b);
        assert!(error < PARITY, "{name}: relative error {error:.2e}");
    }
}

#[test]
fn rnn_gradients_equal_burns_with_and_without_checkpointing() {
    let device = test_device();
    let batch = adding_problem(4, 12, 3).unwrap();
    let xs = steps_of(batch.input_tensor(&device).unwrap());
    let targets = batch.target_tensor(&device).unwrap();
    let p = rnn::init(6, 7, &device);
    let (_, burns) = by_burn_autodiff(&p.tensors, |e, w| rnn_loss(e, w, &xs, &targets, None));
    for checkpoint_every in [None, Some(4), Some(5), Some(12)] {
        let (_, ours) =
            by_reverse_mode(&p.names, &p.tensors, |g, w| rnn_loss(g, w, &xs, &targets, checkpoint_every));
        let error = worst_relative_error(&ours, &burns);
        assert!(error < PARITY, "checkpoint every {checkpoint_every:?}: relative error {error:.2e}");
    }
}

#[test]
fn forward_mode_gradients_equal_reverse_modes() {
    let (x, y) = small_batch();
    let p = small_mlp();
    let (_, reverse) = by_reverse_mode(&p.names, &p.tensors, |g, w| mlp_loss(g, w, &x, &y));
    let forward =
        gradient_by_forward_mode(&mut ForwardMode::default(), &p.tensors, |e, w| mlp_loss(e, w, &x, &y));
    let error = worst_relative_error(&forward, &reverse);
    assert!(error < PARITY, "forward vs reverse: relative error {error:.2e}");
}

#[test]
fn embedding_gradients_with_repeated_rows_equal_burns() {
    let device = test_device();
    let p = Parameters::init(
        &[
            Layer { name: "embedding", fan_in: 5, fan_out: 4, gain: 1.0 },
            Layer { name: "out", fan_in: 4, fan_out: 3, gain: 1.0 },
        ],
        2,
        &device,
    );
    let ids = Tensor::<1, Int>::from_ints([1, 3, 1, 1, 0], &device);
    let labels = Tensor::<1, Int>::from_ints([0, 1, 2, 2, 1], &device);
    fn model<E: Engine>(
        e: &mut E,
        w: &[E::Value],
        ids: &Tensor<1, Int>,
        labels: &Tensor<1, Int>,
    ) -> E::Value {
        let rows = e.embedding(&w[0], ids);
        let logits = e.matmul(&rows, &w[2]);
        let logits = e.add(&logits, &w[3]);
        e.softmax_cross_entropy(&logits, labels)
    }
    let (_, ours) = by_reverse_mode(&p.names, &p.tensors, |g, w| model(g, w, &ids, &labels));
    let (_, burns) = by_burn_autodiff(&p.tensors, |e, w| model(e, w, &ids, &labels));
    let error = relative_error(&ours[0], &burns[0]);
    assert!(error < PARITY, "embedding table: relative error {error:.2e}");
}

#[test]
fn training_with_our_engine_follows_burns_loss_curve_for_50_steps() {
    let device = test_device();
    let mnist = Mnist::embedded().unwrap();
    let shape = MlpShape { input: 784, hidden: 32, classes: 10 };
    let batch_at = |step: u64| {
        let indices: Vec<usize> = (0..32).map(|i| (step as usize * 32 + i) % mnist.train.len()).collect();
        (mnist.train.features_tensor(&indices, &device), mnist.train.labels_tensor(&indices, &device))
    };
    let descent = Descent { steps: 50, learning_rate: 0.1 };
    let mut record = ExperimentRecord::new("lecture-03-backprop", "parity");
    let ours = train_with_our_engine("ours", shape.init(3, &device), descent, &mut record, |g, w, step| {
        let (x, y) = batch_at(step);
        mlp_loss(g, w, &x, &y)
    })
    .unwrap();
    let burns = train_with_burn("burn", shape.init(3, &device), descent, &mut record, |e, w, step| {
        let (x, y) = batch_at(step);
        mlp_loss(e, w, &x, &y)
    })
    .unwrap();
    let curve = |name: &str| record.curves[name].points.clone();
    let (a, b) = (curve("ours train loss"), curve("burn train loss"));
    assert_eq!(a.len(), 50);
    for ((step, x), (_, y)) in a.iter().zip(&b) {
        assert!((x - y).abs() <= 1e-5 * y.abs().max(1.0), "step {step}: ours {x}, burn {y}");
    }
    assert!(a[49].1 < a[0].1 - 0.5, "the loss fell: {} -> {}", a[0].1, a[49].1);
    let error = worst_relative_error(&ours.model.tensors, &burns.model.tensors);
    assert!(error < 1e-5, "weights after 50 steps differ by {error:.2e}");
}
