//! Pooling and parameter counts of `cnn_basics` against burn's own modules, and pooling
//! gradients against finite differences.

use burn::module::Module;
use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::{AvgPool2dConfig, MaxPool2dConfig};
use burn::nn::{LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::Distribution;
use lecture_01_rnn::cnn_basics::{
    Window, avg_pool2d, conv2d_parameters, dense_parameters, l2_pool2d, max_pool2d, output_size,
};
use lecture_01_rnn::experiments::cnn_basics as experiment;
use shared::backend::test_device;
use shared::experiment::Run;
use shared::testing::{Tolerance, assert_tensors_close, gradcheck, seeded};

/// Window settings that cover square and rectangular kernels, overlap, stride and padding.
fn windows() -> Vec<Window> {
    vec![
        Window::new([2, 2], [2, 2], [0, 0]),
        Window::new([3, 3], [1, 1], [1, 1]),
        Window::new([3, 2], [2, 1], [1, 0]),
        Window::new([3, 3], [2, 2], [0, 1]),
    ]
}

fn burn_padding(window: &Window) -> PaddingConfig2d {
    let [h, w] = window.padding;
    PaddingConfig2d::Explicit(h, w, h, w)
}

/// `x` `[2, 3, 7, 6]` with distinct random values (no ties in a max), and a projection `r` of
/// the pooled shape so that every output reaches the gradient with its own weight.
fn input_and_projection(window: &Window, device: &Device) -> (Tensor<4>, Tensor<4>) {
    let x = Tensor::<4>::random([2, 3, 7, 6], Distribution::Normal(0.0, 1.0), device);
    let [oh, ow] = window.output_shape([7, 6]).unwrap();
    let r = Tensor::<4>::random([2, 3, oh, ow], Distribution::Normal(0.0, 1.0), device);
    (x, r)
}

/// Output and input gradient of `pool` for `x`, through `(pool(x) * r).sum()`.
fn output_and_gradient(
    pool: impl Fn(Tensor<4>) -> Tensor<4>,
    x: Tensor<4>,
    r: Tensor<4>,
) -> (Tensor<4>, Tensor<4>) {
    let x = x.detach().require_grad();
    let y = pool(x.clone());
    let grads = (y.clone() * r).sum().backward();
    (y.detach(), x.grad(&grads).expect("x requires grad"))
}

#[test]
fn max_pool_matches_burn_in_values_and_gradients() {
    for (i, window) in windows().iter().enumerate() {
        seeded(10 + i as u64, |device| {
            let (x, r) = input_and_projection(window, device);
            let theirs = MaxPool2dConfig::new(window.kernel)
                .with_strides(window.stride)
                .with_padding(burn_padding(window))
                .init();
            let (ours_y, ours_g) =
                output_and_gradient(|x| max_pool2d(x, window).unwrap(), x.clone(), r.clone());
            let (burn_y, burn_g) = output_and_gradient(|x| theirs.forward(x), x, r);
            assert_tensors_close(&format!("max pool {window:?}"), ours_y, burn_y, Tolerance::F32);
            assert_tensors_close(&format!("max pool grad {window:?}"), ours_g, burn_g, Tolerance::F32);
        });
    }
}

#[test]
fn average_pool_matches_burn_counting_padding_as_zeros() {
    for (i, window) in windows().iter().enumerate() {
        seeded(20 + i as u64, |device| {
            let (x, r) = input_and_projection(window, device);
            let theirs = AvgPool2dConfig::new(window.kernel)
                .with_strides(window.stride)
                .with_padding(burn_padding(window))
                .with_count_include_pad(true)
                .init();
            let (ours_y, ours_g) =
                output_and_gradient(|x| avg_pool2d(x, window).unwrap(), x.clone(), r.clone());
            let (burn_y, burn_g) = output_and_gradient(|x| theirs.forward(x), x, r);
            assert_tensors_close(&format!("avg pool {window:?}"), ours_y, burn_y, Tolerance::F32);
            assert_tensors_close(&format!("avg pool grad {window:?}"), ours_g, burn_g, Tolerance::F32);
        });
    }
}

#[test]
fn l2_pool_is_the_root_of_the_window_sum_of_squares() {
    // By hand: one 2x2 window holding 3, 4, 0, 0 has norm 5; [1, 2; 2, 4] has norm 5 too.
    let device = test_device();
    let x = Tensor::<4>::from_floats([[[[3.0, 4.0, 1.0, 2.0], [0.0, 0.0, 2.0, 4.0]]]], &device);
    let y = l2_pool2d(x, &Window::new([2, 2], [2, 2], [0, 0])).unwrap();
    assert_tensors_close(
        "l2 by hand",
        y,
        Tensor::<4>::from_floats([[[[5.0, 5.0]]]], &device),
        Tolerance::F32,
    );

    // Independently: sqrt(area * burn's average of x²), padding included as zeros.
    for (i, window) in windows().iter().enumerate() {
        seeded(30 + i as u64, |device| {
            let (x, _) = input_and_projection(window, device);
            let mean_square = AvgPool2dConfig::new(window.kernel)
                .with_strides(window.stride)
                .with_padding(burn_padding(window))
                .init()
                .forward(x.clone().powi_scalar(2));
            let expected = (mean_square * window.area() as f64).sqrt();
            assert_tensors_close(
                &format!("l2 pool {window:?}"),
                l2_pool2d(x, window).unwrap(),
                expected,
                Tolerance::F32,
            );
        });
    }
}

#[test]
fn pooling_gradients_match_finite_differences() {
    // Values spaced 0.1 apart (far more than the step 1e-3), so no max changes its argmax.
    let device = test_device();
    let values: Vec<f32> = (0..2 * 5 * 4).map(|i| ((i * 17 % 40) as f32 - 20.0) / 10.0).collect();
    let x = Tensor::<1>::from_floats(values.as_slice(), &device).reshape([1, 2, 5, 4]);
    let window = Window::new([3, 2], [2, 1], [1, 1]);
    let [oh, ow] = window.output_shape([5, 4]).unwrap();
    let r = Tensor::<1>::from_floats(
        (0..2 * oh * ow).map(|i| ((i * 7 % 11) as f32 - 5.0) / 4.0).collect::<Vec<_>>().as_slice(),
        &device,
    )
    .reshape([1, 2, oh, ow]);
    type Pool = fn(Tensor<4>, &Window) -> anyhow::Result<Tensor<4>>;
    for (name, pool) in [("max", max_pool2d as Pool), ("avg", avg_pool2d), ("l2", l2_pool2d)] {
        let report = gradcheck(|x| (pool(x, &window).unwrap() * r.clone()).sum(), x.clone());
        assert!(report.is_ok(), "{name} pool: {}", report.unwrap_err());
    }
}

#[test]
fn pooled_shapes_follow_the_output_size_rule() {
    let device = test_device();
    for window in windows() {
        let x = Tensor::<4>::zeros([1, 1, 9, 8], &device);
        let expected = [
            output_size(9, window.kernel[0], window.stride[0], window.padding[0]).unwrap(),
            output_size(8, window.kernel[1], window.stride[1], window.padding[1]).unwrap(),
        ];
        assert_eq!(max_pool2d(x, &window).unwrap().dims()[2..], expected, "{window:?}");
    }
    let too_big = Window::new([5, 5], [1, 1], [0, 0]);
    let err = max_pool2d(Tensor::<4>::zeros([1, 1, 3, 3], &device), &too_big).unwrap_err().to_string();
    assert!(err.contains("does not fit"), "{err}");
}

#[test]
fn conv_output_size_matches_burn_conv2d() {
    let device = test_device().without_autodiff();
    for (kernel, stride, padding) in [(5, 1, 0), (5, 1, 2), (3, 2, 1), (4, 3, 0)] {
        let conv = Conv2dConfig::new([1, 2], [kernel; 2])
            .with_stride([stride; 2])
            .with_padding(PaddingConfig2d::Explicit(padding, padding, padding, padding))
            .init(&device);
        let y = conv.forward(Tensor::<4>::zeros([1, 1, 13, 10], &device));
        let rule = [
            output_size(13, kernel, stride, padding).unwrap(),
            output_size(10, kernel, stride, padding).unwrap(),
        ];
        assert_eq!(y.dims()[2..], rule, "kernel {kernel} stride {stride} padding {padding}");
    }
}

#[test]
fn parameter_counts_match_burn_modules() {
    let device = test_device().without_autodiff();
    for (channels, kernel) in [([1, 32], [5, 5]), ([3, 8], [3, 2])] {
        let burn_count = Conv2dConfig::new(channels, kernel).init(&device).num_params();
        assert_eq!(conv2d_parameters(channels[0], channels[1], kernel).total(), burn_count);
    }
    let burn_count = LinearConfig::new(49, 30).init(&device).num_params();
    assert_eq!(dense_parameters(49, 30).total(), burn_count);
}

/// Lecture 2: a 5x5 convolution from 28x28x1 to 32 maps has 32 (25 + 1) = 832 parameters; a
/// fully connected layer to the same 24x24x32 outputs has 18432 (784 + 1) = 14 469 120, about
/// 17 391 times more. burn's own modules have exactly these counts.
#[test]
fn conv_layer_has_fewer_parameters() {
    let run = Run::for_test("lecture-01-rnn", 0);
    let outcome = experiment::run(&run, &experiment::Config::for_run(&run)).expect("the experiment runs");
    let c = &outcome.comparison;
    assert_eq!(c.output, [24, 24, 32]);
    assert_eq!(c.convolution.total(), 32 * (25 + 1));
    assert_eq!(c.locally_connected.total(), 24 * 24 * 32 * (25 + 1));
    assert_eq!(c.dense.total(), 24 * 24 * 32 * (784 + 1));
    assert_eq!((outcome.burn_conv_parameters, outcome.burn_dense_parameters), (832, 14_469_120));
    assert_eq!(c.dense_over_conv().round(), 17_391.0);
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:?}", outcome.record.claims);
}
