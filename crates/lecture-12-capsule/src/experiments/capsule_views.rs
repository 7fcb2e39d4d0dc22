//! What a trained CapsNet's digit capsules hold, made visible (claims 2, 3 and 5).
//!
//! - **Reconstructions**: decode the longest capsule of a test digit and compare with the input;
//!   the reference errors are a constant guess (the mean training digit) and decoding a wrong
//!   class's capsule.
//! - **Perturbations**: add `delta` to one of the 16 dimensions of the winning capsule and decode
//!   (the paper's Figure 4): each dimension should move some property of the drawn digit.
//! - **Coupling**: how each routing pass sends the primary capsules' votes to the parents.

use super::data::{ImageSet, SIDE};
use crate::capsnet::CapsNet;
use crate::squash::lengths;
use burn::prelude::*;

/// Sum over pixels of the squared error, averaged over images.
fn mean_squared_error_per_image(drawn: &[f32], targets: &[f32], images: usize) -> f64 {
    let total: f64 = drawn.iter().zip(targets).map(|(d, t)| f64::from(d - t).powi(2)).sum();
    total / images.max(1) as f64
}

/// Reconstruction errors of the first `count` images of `set`.
#[derive(Clone, Debug)]
pub struct Reconstructions {
    /// Decoded from the longest capsule, `[count, 28 * 28]`.
    pub drawn: Vec<f32>,
    /// The longest capsule of each image.
    pub predicted: Vec<usize>,
    /// Per-image squared error from the longest capsule.
    pub error: f64,
    /// The same, decoding capsule `(label + 1) mod 10` instead.
    pub wrong_capsule_error: f64,
    /// The same, "reconstructing" every image as the mean training image.
    pub mean_image_error: f64,
}

/// Reconstructs the first `count` images of `set` (model already off autodiff).
pub fn reconstructions(
    model: &CapsNet,
    set: &ImageSet,
    count: usize,
    mean_image: &[f32],
    device: &Device,
) -> Reconstructions {
    let images = set.images_tensor(0, count, device);
    let capsules = model.forward(images).parents;
    let predicted = lengths(capsules.clone()).argmax(1).squeeze_dim::<1>(1);
    let drawn: Vec<f32> =
        model.reconstruct(capsules.clone(), predicted.clone()).into_data().iter::<f32>().collect();
    let wrong = set.labels_tensor(0, count, device).add_scalar(1).remainder_scalar(10);
    let wrong_drawn: Vec<f32> = model.reconstruct(capsules, wrong).into_data().iter::<f32>().collect();
    let targets = &set.pixels[..count * SIDE * SIDE];
    let means: Vec<f32> = (0..count).flat_map(|_| mean_image.iter().copied()).collect();
    Reconstructions {
        error: mean_squared_error_per_image(&drawn, targets, count),
        wrong_capsule_error: mean_squared_error_per_image(&wrong_drawn, targets, count),
        mean_image_error: mean_squared_error_per_image(&means, targets, count),
        predicted: predicted.into_data().iter::<i64>().map(|c| c as usize).collect(),
        drawn,
    }
}

/// Decodes of image `index` of `set` with dimension `d` of its winning capsule moved by each of
/// `deltas`: `[16 * deltas.len(), 28 * 28]`, dimension by dimension; and for every dimension the
/// mean absolute pixel change between the decodes at the first and the last delta.
pub fn perturbations(
    model: &CapsNet,
    set: &ImageSet,
    index: usize,
    deltas: &[f32],
    device: &Device,
) -> (Vec<f32>, Vec<f64>) {
    let capsules = model.forward(set.images_tensor(index, 1, device)).parents; // [1, 10, 16]
    let [_, classes, dim] = capsules.dims();
    let winner = lengths(capsules.clone()).argmax(1).squeeze_dim::<1>(1);
    let winner_index = winner.clone().into_data().iter::<i64>().next().unwrap_or(0) as usize;
    let variants = dim * deltas.len();
    // One row per (dimension, delta): the capsules plus delta at [winner, dimension].
    let mut offsets = vec![0.0f32; variants * classes * dim];
    for d in 0..dim {
        for (k, &delta) in deltas.iter().enumerate() {
            offsets[(d * deltas.len() + k) * classes * dim + winner_index * dim + d] = delta;
        }
    }
    let offsets = Tensor::<3>::from_data(TensorData::new(offsets, [variants, classes, dim]), device);
    let moved = capsules.repeat_dim(0, variants) + offsets;
    let drawn: Vec<f32> =
        model.reconstruct(moved, winner.repeat_dim(0, variants)).into_data().iter::<f32>().collect();
    let pixels = SIDE * SIDE;
    let change = (0..dim)
        .map(|d| {
            let first = &drawn[d * deltas.len() * pixels..][..pixels];
            let last = &drawn[(d * deltas.len() + deltas.len() - 1) * pixels..][..pixels];
            first.iter().zip(last).map(|(a, b)| f64::from((a - b).abs())).sum::<f64>() / pixels as f64
        })
        .collect();
    (drawn, change)
}

/// For images `start..start + count` of `set`: for `r = 1..=passes`, the share of the primary
/// capsules' votes (weighted by their lengths) that goes to each parent after `r` passes,
/// `[passes, 10]` per image averaged; and the same share for the predicted class alone.
pub fn coupling_by_pass(
    model: &CapsNet,
    set: &ImageSet,
    start: usize,
    count: usize,
    passes: usize,
    device: &Device,
) -> (Vec<f32>, Vec<f64>) {
    let primary = model.primary_capsules(set.images_tensor(start, count, device));
    let weights = lengths(primary.clone()); // [B, I]
    let weights = weights.clone() / weights.sum_dim(1); // each row sums to one
    let mut per_parent = Vec::new();
    let mut to_winner = Vec::new();
    for r in 1..=passes {
        let routed = model.route_with(primary.clone(), r);
        // sum_i w_i c_ij: [B, I, 1] * [B, I, J] summed over I -> [B, J].
        let share = (routed.coupling * weights.clone().unsqueeze_dim::<3>(2)).sum_dim(1).squeeze_dim::<2>(1);
        let winner = lengths(routed.parents).argmax(1);
        to_winner.push(f64::from(share.clone().gather(1, winner).mean().into_scalar::<f32>()));
        per_parent.extend(share.mean_dim(0).into_data().iter::<f32>());
    }
    (per_parent, to_winner)
}
