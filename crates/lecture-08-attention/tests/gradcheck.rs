//! Autodiff gradients of every hand-written layer against central finite differences, with
//! respect to its inputs and to its parameters (a detached weight would pass the input checks).
//!
//! Each check differentiates `f = Σ (layer(x) ⊙ r)` for a fixed random `r`, so every output
//! element reaches the gradient with its own weight (batch 2, widths 3-4, 3-4 steps). A
//! parameter check builds the layer from the weight tensor under test ([`with_weight`]).

use burn::nn::Linear;
use burn::prelude::*;
use lecture_08_attention::additive_attention::AdditiveAttention;
use lecture_08_attention::attention::attend;
use lecture_08_attention::caption::{COLUMNS, CaptionerConfig};
use lecture_08_attention::digit_strip::{HEIGHT, WIDTH};
use lecture_08_attention::dot_attention::DotAttention;
use lecture_08_attention::gru::{GruLayer, GruLayerConfig};
use lecture_08_attention::ntm::{Ntm, NtmConfig};
use lecture_08_attention::recurrence::Recurrence;
use shared::testing::weights::linear;
use shared::testing::{gradcheck, normal, seeded};

/// `layer` with its weight matrix replaced by `weight` (same bias).
fn with_weight(layer: &Linear, weight: Tensor<2>) -> Linear {
    linear(weight, layer.bias.as_ref().map(|b| b.val()))
}

#[test]
fn gru_layer_gradients_reach_input_and_initial_state() {
    let (layer, x, h0, r) = seeded(1, |d| {
        (GruLayerConfig::new(3, 4).init(d), normal([2, 3, 3], d), normal([2, 4], d), normal([2, 3, 4], d))
    });
    gradcheck(|x| (layer.forward(x, Some(h0.clone())).0 * r.clone()).sum(), x.clone()).unwrap();
    gradcheck(|h| (layer.forward(x.clone(), Some(h)).0 * r.clone()).sum(), h0).unwrap();
}

#[test]
fn gru_layer_gradients_reach_both_weight_matrices() {
    let (layer, x, r) =
        seeded(11, |d| (GruLayerConfig::new(3, 4).init(d), normal([2, 3, 3], d), normal([2, 3, 4], d)));
    let f = |layer: &GruLayer| (layer.forward(x.clone(), None).0 * r.clone()).sum();
    let input = |w| {
        let mut l = layer.clone();
        l.input = with_weight(&layer.input, w);
        f(&l)
    };
    gradcheck(input, layer.input.weight.val()).unwrap();
    let hidden = |w| {
        let mut l = layer.clone();
        l.hidden = with_weight(&layer.hidden, w);
        f(&l)
    };
    gradcheck(hidden, layer.hidden.weight.val()).unwrap();
}

#[test]
fn additive_scores_gradients_reach_queries_and_keys() {
    let (attention, q, k, r) = seeded(2, |d| {
        (AdditiveAttention::new(3, 4, d), normal([2, 2, 3], d), normal([2, 4, 4], d), normal([2, 2, 4], d))
    });
    gradcheck(|q| (attention.scores(q, k.clone()) * r.clone()).sum(), q.clone()).unwrap();
    gradcheck(|k| (attention.scores(q.clone(), k) * r.clone()).sum(), k.clone()).unwrap();
    let f = |a: AdditiveAttention| (a.scores(q.clone(), k.clone()) * r.clone()).sum();
    let weights = [&attention.query, &attention.key, &attention.score].map(|l| l.weight.val());
    gradcheck(
        |w| f(AdditiveAttention { query: with_weight(&attention.query, w), ..attention.clone() }),
        weights[0].clone(),
    )
    .unwrap();
    gradcheck(
        |w| f(AdditiveAttention { key: with_weight(&attention.key, w), ..attention.clone() }),
        weights[1].clone(),
    )
    .unwrap();
    gradcheck(
        |w| f(AdditiveAttention { score: with_weight(&attention.score, w), ..attention.clone() }),
        weights[2].clone(),
    )
    .unwrap();
}

#[test]
fn dot_scores_gradients_reach_queries_and_keys() {
    let (attention, q, k, r) = seeded(3, |d| {
        (DotAttention::new(3, 4, d), normal([2, 2, 3], d), normal([2, 4, 4], d), normal([2, 2, 4], d))
    });
    gradcheck(|q| (attention.scores(q, k.clone()) * r.clone()).sum(), q.clone()).unwrap();
    gradcheck(|k| (attention.scores(q.clone(), k) * r.clone()).sum(), k.clone()).unwrap();
    let with_query = |w| DotAttention { query: with_weight(&attention.query, w) };
    gradcheck(
        |w| (with_query(w).scores(q.clone(), k.clone()) * r.clone()).sum(),
        attention.query.weight.val(),
    )
    .unwrap();
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

#[test]
fn ntm_gradients_reach_the_heads_controller_and_output_weights() {
    // Addressing, erase and add all sit between the heads' weights and the output.
    let (ntm, x, r) =
        seeded(12, |d| (NtmConfig::new(3, 2, 4, 5, 3).init(d), normal([2, 3, 3], d), normal([2, 3, 2], d)));
    let f = |n: Ntm| (n.forward(x.clone()).logits * r.clone()).sum();
    let read = |w| f(Ntm { read_head: with_weight(&ntm.read_head, w), ..ntm.clone() });
    gradcheck(read, ntm.read_head.weight.val()).unwrap_or_else(|e| panic!("read head: {e}"));
    let write = |w| f(Ntm { write_head: with_weight(&ntm.write_head, w), ..ntm.clone() });
    gradcheck(write, ntm.write_head.weight.val()).unwrap_or_else(|e| panic!("write head: {e}"));
    let output = |w| f(Ntm { output: with_weight(&ntm.output, w), ..ntm.clone() });
    gradcheck(output, ntm.output.weight.val()).unwrap_or_else(|e| panic!("output: {e}"));
    let controller = |w| {
        let mut n = ntm.clone();
        n.controller.input = with_weight(&ntm.controller.input, w);
        f(n)
    };
    gradcheck(controller, ntm.controller.input.weight.val()).unwrap_or_else(|e| panic!("controller: {e}"));
}
