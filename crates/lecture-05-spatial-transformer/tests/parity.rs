//! Our grid generator and bilinear sampler against burn's `affine_grid_2d` and
//! `grid_sample_2d` (bilinear, zero padding): same outputs and same gradients with respect to
//! the image, the grid and theta, for both `align_corners` conventions; and the transformer
//! against the shared distortion generator's own inverse warp.

use burn::prelude::{Device, Tensor, TensorData};
use burn::tensor::Distribution;
use burn::tensor::grid::affine_grid_2d;
use burn::tensor::ops::GridSampleOptions;
use lecture_05_spatial_transformer::affine_grid::affine_grid;
use lecture_05_spatial_transformer::sampler::bilinear_sample;
use shared::data::synthetic::affine_warp::{Transform, warp};
use shared::testing::{Tolerance, assert_tensors_close, seeded};

fn uniform<const D: usize>(shape: [usize; D], low: f64, high: f64, device: &Device) -> Tensor<D> {
    Tensor::random(shape, Distribution::Uniform(low, high), device)
}

/// Random thetas near the identity: rotation, zoom and shift of a few tenths.
fn thetas(batch: usize, device: &Device) -> Tensor<3> {
    let identity =
        Tensor::<3>::from_floats([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]], device).repeat_dim(0, batch);
    identity + uniform([batch, 2, 3], -0.4, 0.4, device)
}

#[test]
fn affine_grid_matches_burn_values_and_theta_gradients() {
    let (theta, r) = seeded(1, |device| (thetas(3, device), uniform([3, 5, 7, 2], -1.0, 1.0, device)));
    let ours_theta = theta.clone().require_grad();
    let ours = affine_grid(ours_theta.clone(), 5, 7);
    let burn_theta = theta.require_grad();
    let reference = affine_grid_2d(burn_theta.clone(), [3, 1, 5, 7]);
    assert_tensors_close("grid", ours.clone(), reference.clone(), Tolerance::F32);
    let ours_grads = (ours * r.clone()).sum().backward();
    let burn_grads = (reference * r).sum().backward();
    assert_tensors_close(
        "d/dtheta",
        ours_theta.grad(&ours_grads).unwrap(),
        burn_theta.grad(&burn_grads).unwrap(),
        Tolerance::F32,
    );
}

#[test]
fn bilinear_sampler_matches_burn_values_and_gradients() {
    for align_corners in [false, true] {
        // The grid reaches past the image (|g| up to 1.3) so zero padding is exercised.
        let (image, grid, r) = seeded(2, |device| {
            (
                uniform([2, 3, 6, 5], -1.0, 1.0, device),
                uniform([2, 4, 7, 2], -1.3, 1.3, device),
                uniform([2, 3, 4, 7], -1.0, 1.0, device),
            )
        });
        let what = |name: &str| format!("{name}, align_corners {align_corners}");
        let (our_image, our_grid) = (image.clone().require_grad(), grid.clone().require_grad());
        let ours = bilinear_sample(our_image.clone(), our_grid.clone(), align_corners);
        let (burn_image, burn_grid) = (image.require_grad(), grid.require_grad());
        let options = GridSampleOptions::default().with_align_corners(align_corners);
        let reference = burn_image.clone().grid_sample_2d(burn_grid.clone(), options);
        assert_tensors_close(&what("output"), ours.clone(), reference.clone(), Tolerance::F32);
        let ours_grads = (ours * r.clone()).sum().backward();
        let burn_grads = (reference * r).sum().backward();
        assert_tensors_close(
            &what("d/dimage"),
            our_image.grad(&ours_grads).unwrap(),
            burn_image.grad(&burn_grads).unwrap(),
            Tolerance::F32,
        );
        assert_tensors_close(
            &what("d/dgrid"),
            our_grid.grad(&ours_grads).unwrap(),
            burn_grid.grad(&burn_grads).unwrap(),
            Tolerance::new(1e-4, 1e-4),
        );
    }
}

#[test]
fn grid_and_sampler_together_match_burn_in_the_theta_gradient() {
    let (image, theta, r) = seeded(3, |device| {
        (uniform([2, 1, 9, 9], 0.0, 1.0, device), thetas(2, device), uniform([2, 1, 6, 6], -1.0, 1.0, device))
    });
    let our_theta = theta.clone().require_grad();
    let ours = bilinear_sample(image.clone(), affine_grid(our_theta.clone(), 6, 6), false);
    let burn_theta = theta.require_grad();
    let reference =
        image.grid_sample_2d(affine_grid_2d(burn_theta.clone(), [2, 1, 6, 6]), GridSampleOptions::default());
    assert_tensors_close("warped", ours.clone(), reference.clone(), Tolerance::F32);
    let (ours_grads, burn_grads) = ((ours * r.clone()).sum().backward(), (reference * r).sum().backward());
    assert_tensors_close(
        "d/dtheta",
        our_theta.grad(&ours_grads).unwrap(),
        burn_theta.grad(&burn_grads).unwrap(),
        Tolerance::new(1e-4, 1e-4),
    );
}

/// A smooth off-centre test image: two Gaussian blobs, 28 x 28.
fn blobs() -> Vec<f32> {
    let blob = |x: f32, y: f32, cx: f32, cy: f32, r: f32| {
        (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * r * r)).exp()
    };
    (0..28 * 28)
        .map(|i| {
            let (x, y) = ((i % 28) as f32, (i / 28) as f32);
            (blob(x, y, 10.0, 12.0, 3.0) + 0.6 * blob(x, y, 17.0, 17.0, 2.5)).min(1.0)
        })
        .collect()
}

/// Independent reference: the shared generator places an image by a known transform and its
/// `stn_theta` names the theta that undoes it; our sampler with that theta must produce what
/// the generator's own (plain Rust, f64) inverse warp produces.
#[test]
fn the_transformer_undoes_a_known_placement_like_the_generators_inverse_warp() {
    let device = shared::backend::test_device();
    let transform = Transform { angle: 0.6, scale: 0.85, tx: 3.0, ty: -4.0 };
    let canvas = warp(&blobs(), 28, 42, &transform).unwrap();
    let expected = warp(&canvas, 42, 28, &transform.inverse()).unwrap();
    let theta = transform.stn_theta(42, 28, false).concat();
    let theta = Tensor::<3>::from_data(TensorData::new(theta.to_vec(), [1, 2, 3]), &device);
    let image = Tensor::<4>::from_data(TensorData::new(canvas, [1, 1, 42, 42]), &device);
    let ours = bilinear_sample(image, affine_grid(theta, 28, 28), false);
    let expected = Tensor::<4>::from_data(TensorData::new(expected, [1, 1, 28, 28]), &device);
    assert_tensors_close("undone", ours.clone(), expected, Tolerance::new(1e-3, 1e-4));
    // And it is the source again, up to the blur of two bilinear resamplings.
    let source = Tensor::<4>::from_data(TensorData::new(blobs(), [1, 1, 28, 28]), &device);
    let worst: f32 = (ours - source).abs().max().into_scalar();
    assert!(worst < 0.06, "largest pixel difference from the source {worst}");
}
