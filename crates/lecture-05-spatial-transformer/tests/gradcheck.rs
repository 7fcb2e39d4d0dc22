//! Autodiff gradients of the hand-written pieces against central finite differences: the
//! sampler with respect to the image and to the grid, the grid generator and the whole
//! transformer with respect to theta, and the whole transformer with respect to its
//! localisation network's weights (the parameters the classification loss trains through the
//! sampler). (The localisation network and the classifiers are built from burn's own layers.)
//!
//! Each check differentiates `f = Σ (output ⊙ r)` for a fixed random `r`. The bilinear kernel
//! has kinks where a sampling point crosses a pixel column or row; the random points used here
//! lie at least 1e-2 away from any (checked), so the finite differences never straddle one.

use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;
use lecture_05_spatial_transformer::affine_grid::affine_grid;
use lecture_05_spatial_transformer::localisation::{LocalisationConfig, Transforms};
use lecture_05_spatial_transformer::sampler::bilinear_sample;
use lecture_05_spatial_transformer::transformer::SpatialTransformer;
use shared::testing::weights::linear;
use shared::testing::{gradcheck, seeded};

fn uniform<const D: usize>(shape: [usize; D], low: f64, high: f64, device: &Device) -> Tensor<D> {
    Tensor::random(shape, Distribution::Uniform(low, high), device)
}

/// Whether every grid point (align_corners false, `side` pixels) lies at least 2e-2 pixels
/// from a kink.
fn away_from_kinks(grid: &Tensor<4>, side: usize) -> bool {
    grid.clone().into_data().iter::<f32>().all(|g| {
        let pixel = ((g + 1.0) * side as f32 - 1.0) / 2.0;
        (pixel - pixel.round()).abs() > 2e-2
    })
}

#[test]
fn sampler_gradient_with_respect_to_the_image() {
    let (image, grid, r) = seeded(4, |device| {
        (
            uniform([1, 2, 4, 5], -1.0, 1.0, device),
            uniform([1, 3, 3, 2], -1.2, 1.2, device),
            uniform([1, 2, 3, 3], -1.0, 1.0, device),
        )
    });
    gradcheck(|image| (bilinear_sample(image, grid.clone(), false) * r.clone()).sum(), image).unwrap();
}

#[test]
fn sampler_gradient_with_respect_to_the_grid() {
    // The first seed whose 9 sampling points all avoid the kinks (each backend draws its own).
    let setup = |seed| {
        seeded(seed, |device| {
            (
                uniform([1, 2, 5, 5], -1.0, 1.0, device),
                uniform([1, 3, 3, 2], -1.1, 1.1, device),
                uniform([1, 2, 3, 3], -1.0, 1.0, device),
            )
        })
    };
    let (image, grid, r) = (5..105)
        .map(setup)
        .find(|(_, grid, _)| away_from_kinks(grid, 5))
        .expect("some seed avoids the kinks");
    gradcheck(|grid| (bilinear_sample(image.clone(), grid, false) * r.clone()).sum(), grid).unwrap();
}

#[test]
fn grid_gradient_with_respect_to_theta() {
    let (theta, r) =
        seeded(6, |device| (uniform([2, 2, 3], -1.0, 1.0, device), uniform([2, 3, 4, 2], -1.0, 1.0, device)));
    gradcheck(|theta| (affine_grid(theta, 3, 4) * r.clone()).sum(), theta).unwrap();
}

#[test]
fn transformer_gradient_with_respect_to_theta() {
    // The first seed whose 16 sampling points all avoid the kinks.
    let setup = |seed| {
        seeded(seed, |device| {
            let identity =
                Tensor::<3>::from_floats([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]], device).repeat_dim(0, 2);
            (
                uniform([2, 1, 6, 6], 0.0, 1.0, device),
                identity + uniform([2, 2, 3], -0.3, 0.3, device),
                uniform([2, 1, 4, 4], -1.0, 1.0, device),
            )
        })
    };
    let (image, theta, r) = (0..100)
        .map(setup)
        .find(|(_, theta, _)| away_from_kinks(&affine_grid(theta.clone(), 4, 4), 6))
        .expect("some seed avoids the kinks");
    let f = |theta| (bilinear_sample(image.clone(), affine_grid(theta, 4, 4), false) * r.clone()).sum();
    gradcheck(f, theta).unwrap();
}

#[test]
fn transformer_gradient_with_respect_to_the_localisation_weights() {
    // A localisation network started at a centred zoom of 0.77 (the identity would put every
    // sampling point on a pixel centre, on a kink), its regressor given random weights.
    let config = LocalisationConfig {
        channels: 1,
        side: 6,
        downsample: 1,
        conv_channels: None,
        hidden: 3,
        initial_scale: 0.77,
        transforms: Transforms::Affine,
    };
    let setup = |seed| {
        seeded(seed, |device| {
            let mut transformer = SpatialTransformer::new(&config, 4, device);
            let regressor = &transformer.localisation.regressor;
            let bias = regressor.bias.as_ref().map(|b| b.val());
            transformer.localisation.regressor = linear(uniform([3, 6], -0.1, 0.1, device), bias);
            (transformer, uniform([2, 1, 6, 6], 0.0, 1.0, device), uniform([2, 1, 4, 4], -1.0, 1.0, device))
        })
    };
    let (transformer, image, r) = (0..100)
        .map(setup)
        .find(|(t, image, _)| away_from_kinks(&affine_grid(t.forward(image.clone()).1, 4, 4), 6))
        .expect("some seed avoids the kinks");
    let f = |t: SpatialTransformer| (t.forward(image.clone()).0 * r.clone()).sum();
    let loc = &transformer.localisation;
    let with_regressor = |w| {
        let mut t = transformer.clone();
        t.localisation.regressor = linear(w, loc.regressor.bias.as_ref().map(|b| b.val()));
        f(t)
    };
    gradcheck(with_regressor, loc.regressor.weight.val()).unwrap_or_else(|e| panic!("regressor: {e}"));
    let with_hidden = |w| {
        let mut t = transformer.clone();
        t.localisation.hidden = linear(w, loc.hidden.bias.as_ref().map(|b| b.val()));
        f(t)
    };
    gradcheck(with_hidden, loc.hidden.weight.val()).unwrap_or_else(|e| panic!("hidden layer: {e}"));
}
