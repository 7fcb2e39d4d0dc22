//! Every hand-written layer's autodiff gradient against central finite differences
//! (`shared::testing::gradcheck`): each scalar is a fixed random projection of the layer's
//! output, `(layer(x) * r).sum()`, on tiny shapes.

use burn::module::Param;
use burn::nn::LinearConfig;
use burn::prelude::Tensor;
use lecture_04_language_model::class_softmax::{ClassSoftmax, FrequencyClasses};
use lecture_04_language_model::neural_cache::cache_probs;
use lecture_04_language_model::output_layer::OutputLayer;
use lecture_04_language_model::rnn::Rnn;
use shared::testing::{gradcheck, normal, seeded};

fn check<const D: usize>(what: &str, f: impl Fn(Tensor<D>) -> Tensor<1>, x: Tensor<D>) {
    if let Err(report) = gradcheck(f, x) {
        panic!("{what}: {report}");
    }
}

#[test]
fn rnn_gradients_match_finite_differences() {
    seeded(2, |device| {
        let rnn = Rnn::new(3, 4, device);
        let x = normal([2, 3, 3], device);
        let r = normal([2, 3, 4], device);
        let run = |rnn: &Rnn, x: Tensor<3>| (rnn.forward(x, None).0 * r.clone()).sum();
        check("RNN dLoss/dx", |x| run(&rnn, x), x.clone());
        check(
            "RNN dLoss/dW",
            |w| run(&Rnn { weight: Param::from_tensor(w), bias: rnn.bias.clone() }, x.clone()),
            rnn.weight.val(),
        );
    });
}

#[test]
fn class_softmax_gradients_match_finite_differences() {
    seeded(3, |device| {
        // 7 words in 3 classes of 3 (the last class has one padded slot).
        let classes = FrequencyClasses::from_counts(&[0, 0, 1, 2, 3, 3, 3, 4, 5, 6], 7, 3).unwrap();
        let layer = ClassSoftmax::new(4, classes, device);
        let targets = [0, 3, 6, 5, 1];
        let r = normal([5], device);
        let h = normal([5, 4], device);
        let run =
            |layer: &ClassSoftmax, h: Tensor<2>| (layer.target_log_probs(h, &targets) * r.clone()).sum();
        check("class softmax dLoss/dh", |h| run(&layer, h), h.clone());
        let rebuilt = |weight: Tensor<3>| {
            let mut copy = layer.clone();
            copy.word_weight = Param::from_tensor(weight);
            copy
        };
        check("class softmax dLoss/dV", |w| run(&rebuilt(w), h.clone()), layer.word_weight.val());
    });
}

#[test]
fn full_softmax_gradients_match_finite_differences() {
    seeded(4, |device| {
        let layer = OutputLayer::Full(LinearConfig::new(4, 6).init(device));
        let r = normal([3], device);
        check(
            "full softmax dLoss/dh",
            |h| (layer.target_log_probs(h, &[0, 5, 2]) * r.clone()).sum(),
            normal([3, 4], device),
        );
    });
}

#[test]
fn neural_cache_gradients_match_finite_differences() {
    seeded(5, |device| {
        // 2 streams, 2 remembered steps + 3 queries; words repeat so every query has matches.
        let next = [1, 2, 1, 2, 1, 3, 3, 1, 3, 1];
        let r = normal([2, 3], device);
        check(
            "cache dP/dh",
            |h| (cache_probs(h, &next, 2, 3, 0.7) * r.clone()).sum(),
            normal([2, 5, 3], device),
        );
    });
}
