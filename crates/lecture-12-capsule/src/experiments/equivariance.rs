//! Equivariance measured (claim 2): how a representation moves when every input is moved the
//! same way, a small rotation or shift.
//!
//! For images `x_n` of class `k_n`, a transform `T` and a representation `f` (the CapsNet: the
//! true class's 16-dimensional capsule `v`; the CNN: its hidden features), the move of image `n`
//! is `d_n = f(T x_n) - f(x_n)`. Two numbers summarise the moves:
//!
//! ```text
//! sensitivity = mean_n |d_n| / |f(x_n)|                      how far the representation moves
//! consistency = sum_k (n_k / N) |mean_{n in k} d_n / |d_n||  whether the moves of one class agree
//! ```
//!
//! An equivariant pose moves the same way for every digit of a class when the digits turn the
//! same way (`v(T x) ~ M_T v(x)` with one `M_T`): consistency near 1. Moves that depend on each
//! image's details point anywhere: the consistency of `n_k` random unit vectors is about
//! `1 / sqrt(n_k)` whatever their dimension, so the two models' numbers compare.

use super::data::{ImageSet, transformed_set};
use crate::capsnet::CapsNet;
use crate::cnn::Cnn;
use anyhow::Result;
use burn::prelude::*;
use shared::data::LabelledImages;
use shared::data::synthetic::affine_warp::Transform;

/// The moves every digit is put through: a small rotation and a shift, each applied alike to
/// all the digits.
pub const MOVES: [(&str, Transform); 2] = [
    ("rotated 10 degrees", Transform { angle: 10.0 * std::f32::consts::PI / 180.0, ..Transform::IDENTITY }),
    ("shifted 2 px right", Transform { tx: 2.0, ..Transform::IDENTITY }),
];

/// How a representation responded to one transform.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Response {
    pub sensitivity: f64,
    pub consistency: f64,
}

/// The response of `width`-wide representations `before` and `after` (`[N, width]` row-major,
/// image by image) of images labelled `labels` `[N]`.
pub fn response(before: &[f32], after: &[f32], width: usize, labels: &[u8]) -> Response {
    let images = labels.len();
    assert_eq!(before.len(), images * width, "before is not [{images}, {width}]");
    assert_eq!(after.len(), images * width, "after is not [{images}, {width}]");
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let mut sensitivity = 0.0;
    let classes = usize::from(labels.iter().copied().max().unwrap_or(0)) + 1;
    let mut directions = vec![vec![0.0f64; width]; classes];
    for (n, &label) in labels.iter().enumerate() {
        let row = |set: &[f32]| set[n * width..][..width].iter().map(|&x| f64::from(x)).collect::<Vec<f64>>();
        let (b, a) = (row(before), row(after));
        let moved: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a - b).collect();
        let distance = norm(&moved);
        sensitivity += distance / norm(&b).max(f64::MIN_POSITIVE);
        if distance > 0.0 {
            for (sum, m) in directions[usize::from(label)].iter_mut().zip(&moved) {
                *sum += m / distance;
            }
        }
    }
    // |sum of unit moves| / n_k, weighted by n_k / N: the resultant lengths summed, over N.
    let consistency = directions.iter().map(|sum| norm(sum)).sum::<f64>() / images.max(1) as f64;
    Response { sensitivity: sensitivity / images.max(1) as f64, consistency }
}

/// The CapsNet's and the CNN's responses to each of [`MOVES`] over the first `count` digits of
/// `split` (models already off autodiff).
pub fn responses(
    capsnet: &CapsNet,
    cnn: &Cnn,
    split: &LabelledImages,
    count: usize,
    device: &Device,
) -> Result<Vec<(Response, Response)>> {
    let represent = |set: &ImageSet| {
        let images = set.images_tensor(0, set.len(), device);
        // The true class's capsule [N, 1, 16] -> [N, 16].
        let keep = set.labels_tensor(0, set.len(), device).reshape([set.len(), 1, 1]);
        let capsules = capsnet.forward(images.clone()).parents;
        let [_, _, dim] = capsules.dims();
        let poses = capsules.gather(1, keep.repeat_dim(2, dim));
        let values = |t: Tensor<2>| t.into_data().iter::<f32>().collect::<Vec<f32>>();
        (values(poses.flatten::<2>(1, 2)), dim, values(cnn.features(images)))
    };
    let clean = transformed_set(split, count, Transform::IDENTITY)?;
    let (poses, dim, features) = represent(&clean);
    let width = features.len() / count;
    MOVES
        .iter()
        .map(|(_, transform)| {
            let moved = transformed_set(split, count, *transform)?;
            let (moved_poses, _, moved_features) = represent(&moved);
            Ok((
                response(&poses, &moved_poses, dim, &clean.labels),
                response(&features, &moved_features, width, &clean.labels),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_common_move_is_consistent_and_opposite_moves_cancel() {
        let before = [1.0, 0.0, 0.0, 1.0, 2.0, 2.0];
        let labels = [0, 0, 1];
        // Every image moves by (0.5, 0): consistency 1, sensitivity mean of 0.5/|b|.
        let common = [1.5, 0.0, 0.5, 1.0, 2.5, 2.0];
        let r = response(&before, &common, 2, &labels);
        assert!((r.consistency - 1.0).abs() < 1e-12, "{r:?}");
        let want = (0.5 / 1.0 + 0.5 / 1.0 + 0.5 / 8f64.sqrt()) / 3.0;
        assert!((r.sensitivity - want).abs() < 1e-12, "{r:?}");
        // The two images of class 0 move in opposite directions: only class 1's move remains.
        let opposite = [1.5, 0.0, -0.5, 1.0, 2.5, 2.0];
        let r = response(&before, &opposite, 2, &labels);
        assert!((r.consistency - 1.0 / 3.0).abs() < 1e-12, "{r:?}");
        // Nothing moves: nothing to agree on.
        assert_eq!(response(&before, &before, 2, &labels), Response { sensitivity: 0.0, consistency: 0.0 });
    }
}
