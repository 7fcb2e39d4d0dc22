//! Autodiff gradients of every hand-written layer against central finite differences.
//!
//! Each check differentiates `f = Σ (layer(x) ⊙ r)` for a fixed random `r`, so every output
//! element reaches the gradient with its own weight (batch 2, widths 3-4, 3-4 steps).

use burn::prelude::*;
use lecture_08_attention::additive_attention::AdditiveAttention;
use lecture_08_attention::attention::attend;
use lecture_08_attention::caption::{COLUMNS, CaptionerConfig};
use lecture_08_attention::digit_strip::{HEIGHT, WIDTH};
use lecture_08_attention::dot_attention::DotAttention;
use lecture_08_attention::gru::GruLayerConfig;
use lecture_08_attention::recurrence::Recurrence;
use shared::testing::{gradcheck, normal, seeded};

#[test]
fn gru_layer_gradients_reach_input_and_initial_state() {
    let (layer, x, h0, r) = seeded(1, |d| {
        (GruLayerConfig::new(3, 4).init(d), normal([2, 3, 3], d), normal([2, 4], d), normal([2, 3, 4], d))
    });
    gradcheck(|x| (layer.forward(x, Some(h0.clone())).0 * r.clone()).sum(), x.clone()).unwrap();
    gradcheck(|h| (layer.forward(x.clone(), Some(h)).0 * r.clone()).sum(), h0).unwrap();
}

#[test]
fn additive_scores_gradients_reach_queries_and_keys() {
    let (attention, q, k, r) = seeded(2, |d| {
        (AdditiveAttention::new(3, 4, d), normal([2, 2, 3], d), normal([2, 4, 4], d), normal([2, 2, 4], d))
    });
    gradcheck(|q| (attention.scores(q, k.clone()) * r.clone()).sum(), q.clone()).unwrap();
    gradcheck(|k| (attention.scores(q.clone(), k) * r.clone()).sum(), k).unwrap();
}

#[test]
fn dot_scores_gradients_reach_queries_and_keys() {
    let (attention, q, k, r) = seeded(3, |d| {
        (DotAttention::new(3, 4, d), normal([2, 2, 3], d), normal([2, 4, 4], d), normal([2, 2, 4], d))
    });
    gradcheck(|q| (attention.scores(q, k.clone()) * r.clone()).sum(), q.clone()).unwrap();
    gradcheck(|k| (attention.scores(q.clone(), k) * r.clone()).sum(), k).unwrap();
}

#[test]
fn attend_gradients_reach_scores_and_values() {
    let (scores, values, r_context, r_weights) = seeded(4, |d| {
        (normal([2, 2, 4], d), normal([2, 4, 3], d), normal([2, 2, 3], d), normal([2, 2, 4], d))
    });
    let f = |scores: Tensor<3>, values: Tensor<3>| {
        let (context, weights) = attend(scores, values);
        (context * r_context.clone()).sum() + (weights * r_weights.clone()).sum()
    };
    gradcheck(|s| f(s, values.clone()), scores.clone()).unwrap();
    gradcheck(|v| f(scores.clone(), v), values).unwrap();
}

#[test]
fn captioner_encoder_gradients_reach_the_image() {
    // The CNN, the column-pair means and the one-hot positions of `Captioner::encode`.
    let (model, image, r) = seeded(5, |d| {
        let config = CaptionerConfig {
            vocab: 13,
            channels: 2,
            embedding: 3,
            hidden: 3,
            recurrence: Recurrence::StepWise,
        };
        (config.init(d), normal([1, 1, HEIGHT, WIDTH], d), normal([1, COLUMNS, config.feature_width()], d))
    });
    gradcheck(|x| (model.encode(x).memory * r.clone()).sum(), image).unwrap();
}
