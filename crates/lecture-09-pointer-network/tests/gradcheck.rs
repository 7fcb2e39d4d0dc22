//! Autodiff gradients of the hand-written pieces against central finite differences: the
//! pointer attention with its mask, the whole pointer network's loss (every parameter, both
//! outputs), and the pointer-generator's mixture through its switch.
//!
//! Each check differentiates a weighted sum with fixed random weights so that every output
//! element reaches the gradient with its own weight; forbidden positions get weight 0 (their
//! log-probability is about -1e9, where f32 has no digits left for a finite difference).

use burn::prelude::*;
use lecture_09_pointer_network::attention::{AdditiveAttention, masked_log_softmax};
use lecture_09_pointer_network::encoder_decoder::EncoderDecoderConfig;
use lecture_09_pointer_network::pointer_generator::PointerGeneratorConfig;
use lecture_09_pointer_network::pointer_net::{OutputKind, PointerNetConfig};
use lecture_09_pointer_network::tasks::names::{NamePool, NameSplit, NamesTask};
use lecture_09_pointer_network::tasks::{PointerBatch, PointerTask};
use shared::testing::{gradcheck, gradcheck_parameters, normal, seeded};

/// `[1, 2, 4]`: step 0 may not point at position 1, step 1 not at 0 or 3.
fn forbidden(device: &Device) -> Tensor<3, Bool> {
    let mask = [false, true, false, false, true, false, false, true];
    Tensor::from_data(TensorData::new(mask.to_vec(), [1, 2, 4]), device)
}

#[test]
fn the_masked_pointer_distribution_has_correct_gradients_for_encoder_and_decoder_states() {
    let (attention, encoder, decoder, r, mask) = seeded(1, |d| {
        (
            AdditiveAttention::new(3, 3, 5, d),
            normal([1, 4, 3], d),
            normal([1, 2, 3], d),
            normal([1, 2, 4], d),
            forbidden(d),
        )
    });
    let allowed = r.clone().mask_fill(mask.clone(), 0.0);
    let log_p = |e: Tensor<3>, d: Tensor<3>| masked_log_softmax(attention.scores(d, e), mask.clone());
    gradcheck(|e| (log_p(e, decoder.clone()) * allowed.clone()).sum(), encoder.clone()).unwrap();
    gradcheck(|d| (log_p(encoder.clone(), d) * allowed.clone()).sum(), decoder.clone()).unwrap();
}

#[test]
fn the_glimpse_has_correct_gradients() {
    let (attention, encoder, decoder, r) = seeded(2, |d| {
        (AdditiveAttention::new(3, 3, 4, d), normal([2, 4, 3], d), normal([2, 2, 3], d), normal([2, 2, 3], d))
    });
    gradcheck(|e| (attention.glimpse(decoder.clone(), e) * r.clone()).sum(), encoder).unwrap();
}

/// Whether the tests run on wgpu: the two whole-model parameter checks below take finite
/// differences through every parameter of an LSTM encoder-decoder, thousands of small kernels
/// each that software Vulkan runs for tens of minutes; the CPU passes run them, the wgpu pass
/// says it skipped them.
fn skipped_on_wgpu(test: &str) -> bool {
    let on_wgpu =
        shared::backend::BackendKind::from_env().is_ok_and(|k| k == shared::backend::BackendKind::Wgpu);
    if on_wgpu {
        eprintln!(
            "{test}: skipped on wgpu (finite differences over every parameter; run on the CPU backends)"
        );
    }
    on_wgpu
}

#[test]
fn the_pointer_network_loss_has_correct_gradients_for_every_parameter_of_both_outputs() {
    if skipped_on_wgpu("pointer network parameters") {
        return;
    }
    let batch = PointerBatch::draw(PointerTask::ConvexHull, 2, 5, 3).unwrap();
    for output in [OutputKind::Pointer, OutputKind::FixedVocabulary { n_max: 6 }] {
        let config =
            PointerNetConfig { core: EncoderDecoderConfig { features: 2, embedding: 3, hidden: 3 }, output };
        let (model, device) = seeded(4, |d| (config.init(d), d.clone()));
        let checked = gradcheck_parameters(&model, |m| m.loss(&batch, &device)).unwrap();
        assert_eq!(checked.len(), if output == OutputKind::Pointer { 13 } else { 15 }, "{output:?}");
    }
}

#[test]
fn the_pointer_generator_loss_has_correct_gradients_through_the_switch() {
    if skipped_on_wgpu("pointer-generator parameters") {
        return;
    }
    let task = NamesTask::new(NamePool { known: 3, rare: 3, test: 2 }).unwrap();
    let batch = task.batch(NameSplit::Train, 2, 5);
    let config =
        PointerGeneratorConfig { vocabulary: task.vocabulary(), embedding: 3, hidden: 3, copy: true };
    let (model, device) = seeded(6, |d| (config.init(d), d.clone()));
    let checked = gradcheck_parameters(&model, |m| m.loss(&task, &batch, &device)).unwrap();
    assert!(
        checked.iter().any(|(path, _)| path.starts_with("switch")),
        "{:?}",
        checked.iter().map(|c| &c.0).collect::<Vec<_>>()
    );
}
