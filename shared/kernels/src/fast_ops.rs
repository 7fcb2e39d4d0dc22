//! Operations that burn-flex runs slowly, on the fused CPU kernels of [`crate::recurrent`] and
//! [`crate::convolution`]. Each is a drop-in for burn's own (`fast_ops::conv2d(&conv, x)` for
//! `conv.forward(x)`), equal to it within f32 rounding (the tests below hold them to it), and
//! IS burn's own on the other backends (wgpu, ndarray) and in f64.
//!
//! burn-flex computes `tanh` with a scalar library call per element, and again in the backward
//! pass: 20% of the `gan` workload's step. On flex in f32, [`tanh`] is one autodiff node whose
//! forward pass is vectorised (within 3e-7 of the exact value) and whose backward pass takes
//! `1 - y²` from the saved output; `gan` ran 1.3x faster with it.
//!
//! burn-flex's 2-D convolution runs on one thread and was 4-5x slower than PyTorch's (see
//! `bench/upstream`). On flex in f32, [`conv2d`] unfolds each image's patches and multiplies
//! them on the packed AVX-512 tile, the images split between threads, with a hand-written
//! backward pass ([`crate::convolution`]).
//!
//! [`max_pool2d`] does the same for max pooling over non-overlapping windows, and
//! [`max_pool2d_of_relu`] for pooling a rectified map.
//!
//! [`linear`] puts a `Linear` layer's product on the same tile, split between threads.
//!
//! [`leaky_relu`] is one node with one pass forward and one backward, where burn composes three
//! ([`crate::leaky_relu`]).
//!
//! [`target_log_probs`] (a log-softmax read at each row's target) is one node, its rows split
//! between threads, and [`cross_entropy`] (burn's `CrossEntropyLoss`, default settings) its
//! negated mean ([`crate::log_softmax`]).

use crate::convolution::extension::FusedConvBackend;
use crate::leaky_relu::FusedLeakyReluBackend;
use crate::log_softmax::FusedLogSoftmaxBackend;
use crate::recurrent::extension::{FusedKernelBackend, has_kernels};
use burn::backend::Dispatch;
use burn::nn::Linear;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::pool::MaxPool2d;
use burn::prelude::{Int, Tensor, TensorData};

/// `x.tanh()`.
pub fn tanh<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    if !has_kernels(&x.device(), x.dtype()) {
        return x.tanh();
    }
    Tensor::from_dispatch(<Dispatch as FusedKernelBackend>::fused_tanh(x.into_dispatch()))
}

/// `burn::tensor::activation::leaky_relu(x, slope)`: `x` where `x >= 0`, `slope · x` elsewhere.
pub fn leaky_relu<const D: usize>(x: Tensor<D>, slope: f64) -> Tensor<D> {
    if !has_kernels(&x.device(), x.dtype()) {
        return burn::tensor::activation::leaky_relu(x, slope);
    }
    Tensor::from_dispatch(<Dispatch as FusedLeakyReluBackend>::fused_leaky_relu(
        x.into_dispatch(),
        slope as f32,
    ))
}

/// `CrossEntropyLossConfig::new().init(device).forward(logits, targets)`: the mean over rows of
/// `-ln softmax(logits_n)[targets_n]`, for `logits: [N, C]` and `targets: [N]` in `0..C`.
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    if !has_kernels(&logits.device(), logits.dtype()) {
        return CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, targets);
    }
    let targets = targets.into_data();
    let classes: Vec<usize> = targets
        .iter::<i64>()
        .map(|class| usize::try_from(class).unwrap_or_else(|_| panic!("target class {class} is negative")))
        .collect();
    -target_log_probs(logits, &classes).mean()
}

/// `ln softmax(logits_n)[targets_n]` for `logits: [N, C]` and `N` targets in `0..C`: `[N]`.
/// Elsewhere burn's `log_softmax` and `gather`.
pub fn target_log_probs(logits: Tensor<2>, targets: &[usize]) -> Tensor<1> {
    if !has_kernels(&logits.device(), logits.dtype()) {
        let ids: Vec<i64> = targets.iter().map(|&class| class as i64).collect();
        let index = Tensor::<2, Int>::from_data(TensorData::new(ids, [targets.len(), 1]), &logits.device());
        let log_probs = burn::tensor::activation::log_softmax(logits, 1);
        return log_probs.gather(1, index).reshape([targets.len()]);
    }
    Tensor::from_dispatch(<Dispatch as FusedLogSoftmaxBackend>::fused_target_log_probs(
        logits.into_dispatch(),
        targets.to_vec(),
    ))
}

/// `linear.forward(x)` for `x: [..., d_input]`. On the fused kernel when the device has them:
/// one autodiff node whose product runs on the packed tile split between threads (burn-flex's
/// own product runs on one thread); otherwise burn's own.
///
/// Measured on the bench workloads: seq2seq +20-25% (its vocabulary read-out and attention
/// combination), mlp +5-17%, but the GAN 10-20% slower (batch 64, a few MFLOP per product:
/// packing the weight on every call costs about as much as the product; kept on one thread it
/// was still 3% slower), so the GAN keeps burn's.
pub fn linear<const D: usize>(linear: &Linear, x: Tensor<D>) -> Tensor<D> {
    if !has_kernels(&x.device(), x.dtype()) {
        return linear.forward(x);
    }
    let weight = linear.weight.val();
    let [input, output] = weight.dims();
    let mut dims = x.dims();
    let flat = x.reshape([dims[..D - 1].iter().product::<usize>(), input]);
    let bias = match &linear.bias {
        Some(bias) => bias.val(),
        None => Tensor::zeros([output], &flat.device()),
    };
    let y = <Dispatch as FusedKernelBackend>::fused_affine(
        flat.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
    );
    dims[D - 1] = output;
    Tensor::<2>::from_dispatch(y).reshape(dims)
}

/// `conv.forward(x)` for `x: [B, C, H, W]`. On the fused kernel when the device has them and
/// the layer has no dilation, one group and symmetric padding (explicit, none, or `Same` with
/// odd kernels at stride 1); otherwise burn's own.
pub fn conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let padding = symmetric_padding(&conv.padding, conv.kernel_size, conv.stride);
    let plain = conv.dilation == [1, 1] && conv.groups == 1;
    let Some(padding) = padding.filter(|_| plain && has_kernels(&x.device(), x.dtype())) else {
        return conv.forward(x);
    };
    let weight = conv.weight.val();
    let bias = match &conv.bias {
        Some(bias) => bias.val(),
        None => Tensor::zeros([weight.dims()[0]], &x.device()),
    };
    let y = <Dispatch as FusedConvBackend>::fused_conv2d(
        x.into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
        conv.stride,
        padding,
    );
    Tensor::from_dispatch(y)
}

/// `pool.forward(x)` for `x: [B, C, H, W]`. On the fused kernel when the device has them and
/// the windows do not overlap (stride = window, no padding, no dilation, floor mode); otherwise
/// burn's own.
pub fn max_pool2d(pool: &MaxPool2d, x: Tensor<4>) -> Tensor<4> {
    if !pools_on_kernel(pool, &x) {
        return pool.forward(x);
    }
    let y = <Dispatch as FusedConvBackend>::fused_max_pool2d(x.into_dispatch(), pool.kernel_size, false);
    Tensor::from_dispatch(y)
}

/// `pool.forward(relu(x))` as one node where [`max_pool2d`] takes the kernel: the pooling
/// rectifies each window's maximum, so the rectified map and its gradient, as large as `x`, are
/// never written (`cnn` +4% to +14% in three interleaved pairs).
pub fn max_pool2d_of_relu(pool: &MaxPool2d, x: Tensor<4>) -> Tensor<4> {
    if !pools_on_kernel(pool, &x) {
        return pool.forward(burn::tensor::activation::relu(x));
    }
    let y = <Dispatch as FusedConvBackend>::fused_max_pool2d(x.into_dispatch(), pool.kernel_size, true);
    Tensor::from_dispatch(y)
}

/// Whether the pooling kernel takes `pool` on `x`: non-overlapping windows (stride = window,
/// no padding, no dilation, floor mode) on a device with the kernels.
fn pools_on_kernel(pool: &MaxPool2d, x: &Tensor<4>) -> bool {
    let tiled = pool.stride == pool.kernel_size && pool.dilation == [1, 1] && !pool.ceil_mode;
    let unpadded = symmetric_padding(&pool.padding, pool.kernel_size, pool.stride) == Some([0, 0]);
    tiled && unpadded && has_kernels(&x.device(), x.dtype())
}

/// `[top = bottom, left = right]`, or `None` for asymmetric padding. `Same` is symmetric for
/// odd kernels at stride 1: `(k - 1) / 2` on each side.
fn symmetric_padding(
    padding: &PaddingConfig2d,
    kernel: [usize; 2],
    stride: [usize; 2],
) -> Option<[usize; 2]> {
    match *padding {
        PaddingConfig2d::Valid => Some([0, 0]),
        PaddingConfig2d::Explicit(top, left, bottom, right) if top == bottom && left == right => {
            Some([top, left])
        }
        PaddingConfig2d::Same if stride == [1, 1] && kernel.iter().all(|k| k % 2 == 1) => {
            Some(kernel.map(|k| (k - 1) / 2))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Param;
    use burn::nn::LinearConfig;
    use burn::nn::conv::Conv2dConfig;
    use burn::nn::pool::MaxPool2dConfig;
    use burn::tensor::Distribution;
    use shared_testing::{Tolerance, assert_tensors_close, grad_of, leaf, param_grad, seeded};

    /// Values and input gradient equal burn's `tanh` on a 3-D tensor spanning saturation.
    #[test]
    fn tanh_matches_burns_tanh_in_value_and_gradient() {
        seeded(4, |device| {
            let x = Tensor::<3>::random([3, 5, 7], Distribution::Normal(0.0, 3.0), device);
            let r = Tensor::<3>::random([3, 5, 7], Distribution::Normal(0.0, 1.0), device);
            let run = |fast: bool| {
                let x = leaf(&x);
                let y = if fast { tanh(x.clone()) } else { x.clone().tanh() };
                let grads = (y.clone() * r.clone()).sum().backward();
                (y, grad_of("x", &x, &grads))
            };
            let (fast, burn) = (run(true), run(false));
            assert_tensors_close("tanh", fast.0, burn.0, Tolerance::new(1e-6, 1e-6));
            assert_tensors_close("gradient of x", fast.1, burn.1, Tolerance::new(1e-5, 1e-5));
        });
    }

    /// Loss and logits gradient equal burn's `CrossEntropyLoss` on rows split between threads
    /// (600: not a multiple of the 256 rows a task takes), logits large enough that an
    /// exponential without the row maximum would overflow, and an upstream gradient not 1.
    #[test]
    fn cross_entropy_matches_burns_in_value_and_gradient() {
        seeded(7, |device| {
            let logits = Tensor::<2>::random([600, 65], Distribution::Normal(0.0, 30.0), device);
            let targets = Tensor::<1, Int>::random([600], Distribution::Uniform(0.0, 65.0), device);
            let run = |fast: bool| {
                let z = leaf(&logits);
                let loss = if fast {
                    cross_entropy(z.clone(), targets.clone())
                } else {
                    CrossEntropyLossConfig::new().init(device).forward(z.clone(), targets.clone())
                };
                let grads = (loss.clone() * 3.0).backward();
                (loss, grad_of("logits", &z, &grads))
            };
            let (fast, burn) = (run(true), run(false));
            assert_tensors_close("loss", fast.0, burn.0, Tolerance::new(1e-5, 1e-5));
            assert_tensors_close("gradient of the logits", fast.1, burn.1, Tolerance::new(1e-6, 1e-4));
        });
    }

    /// The targets' log-probabilities and the logits' gradient equal burn's `log_softmax` and
    /// `gather`, under an upstream gradient that differs by row.
    #[test]
    fn target_log_probs_match_burns_log_softmax_and_gather() {
        seeded(9, |device| {
            let logits = Tensor::<2>::random([300, 40], Distribution::Normal(0.0, 5.0), device);
            let targets: Vec<usize> = (0..300).map(|n| (n * 7) % 40).collect();
            let r = Tensor::<1>::random([300], Distribution::Normal(0.0, 1.0), device);
            let run = |fast: bool| {
                let z = leaf(&logits);
                let log_probs = if fast {
                    target_log_probs(z.clone(), &targets)
                } else {
                    let ids: Vec<i64> = targets.iter().map(|&t| t as i64).collect();
                    let index = Tensor::<2, Int>::from_data(TensorData::new(ids, [300, 1]), device);
                    burn::tensor::activation::log_softmax(z.clone(), 1).gather(1, index).reshape([300])
                };
                let grads = (log_probs.clone() * r.clone()).sum().backward();
                (log_probs, grad_of("logits", &z, &grads))
            };
            let (fast, burn) = (run(true), run(false));
            assert_tensors_close("log-probabilities", fast.0, burn.0, Tolerance::new(1e-5, 1e-5));
            assert_tensors_close("gradient of the logits", fast.1, burn.1, Tolerance::new(1e-5, 1e-5));
        });
    }

    /// On flex (whatever `LECTURE_BACKEND` says: the check is the fused kernel's), a target
    /// outside the classes is refused with the class named.
    #[test]
    #[should_panic(expected = "target class 65 outside 0..65")]
    fn cross_entropy_refuses_a_target_outside_the_classes() {
        let flex = shared_backend::BackendKind::Flex.device().unwrap();
        let logits = Tensor::<2>::zeros([2, 65], &flex);
        cross_entropy(logits, Tensor::<1, Int>::from_ints([3, 65], &flex));
    }

    /// Values and input gradient equal burn's `leaky_relu`, zeros included (burn's identity
    /// branch).
    #[test]
    fn leaky_relu_matches_burns_in_value_and_gradient() {
        seeded(5, |device| {
            let x = Tensor::<3>::random([4, 6, 9], Distribution::Normal(0.0, 1.0), device);
            let x = x.clone().mask_fill(x.abs().lower_elem(0.3), 0.0);
            let r = Tensor::<3>::random([4, 6, 9], Distribution::Normal(0.0, 1.0), device);
            let run = |fast: bool| {
                let x = leaf(&x);
                let y = if fast {
                    leaky_relu(x.clone(), 0.2)
                } else {
                    burn::tensor::activation::leaky_relu(x.clone(), 0.2)
                };
                let grads = (y.clone() * r.clone()).sum().backward();
                (y, grad_of("x", &x, &grads))
            };
            let (fast, burn) = (run(true), run(false));
            assert_tensors_close("leaky_relu", fast.0, burn.0, Tolerance::new(0.0, 0.0));
            assert_tensors_close("gradient of x", fast.1, burn.1, Tolerance::new(0.0, 0.0));
        });
    }

    /// Output and the gradients of the input, weight and bias equal burn's `Conv2d` for strided,
    /// padded (explicit and `Same`) and bias-free layers, and the layers the kernel does not take
    /// (asymmetric padding, dilation) still run.
    #[test]
    fn conv2d_matches_burns_convolution_in_value_and_gradients() {
        seeded(6, |device| {
            let layers = [
                Conv2dConfig::new([3, 5], [3, 4])
                    .with_stride([2, 1])
                    .with_padding(PaddingConfig2d::Explicit(1, 2, 1, 2)),
                Conv2dConfig::new([3, 5], [3, 3]).with_bias(false),
                Conv2dConfig::new([3, 5], [3, 5]).with_padding(PaddingConfig2d::Same),
                Conv2dConfig::new([3, 5], [3, 3]).with_padding(PaddingConfig2d::Explicit(1, 0, 2, 0)),
                Conv2dConfig::new([3, 5], [3, 3]).with_dilation([2, 2]),
            ];
            for config in layers {
                let conv = config.init(device);
                let x = Tensor::<4>::random([4, 3, 9, 8], Distribution::Normal(0.0, 1.0), device);
                let (weight, bias) = (&conv.weight, &conv.bias);
                let fast = value_and_grads(&x, weight, bias, |x| conv2d(&conv, x));
                let burn = value_and_grads(&x, weight, bias, |x| conv.forward(x));
                assert_layers_agree("conv2d", fast, burn, Tolerance::new(1e-5, 1e-4));
            }
        });
    }

    /// A layer's output `y` and the gradients of its input, weight and bias under `Σ y²`.
    type LayerRun<const D: usize, const W: usize> = (Tensor<D>, Tensor<D>, Tensor<W>, Option<Tensor<1>>);

    fn value_and_grads<const D: usize, const W: usize>(
        x: &Tensor<D>,
        weight: &Param<Tensor<W>>,
        bias: &Option<Param<Tensor<1>>>,
        forward: impl Fn(Tensor<D>) -> Tensor<D>,
    ) -> LayerRun<D, W> {
        let x = leaf(x);
        let y = forward(x.clone());
        let grads = (y.clone() * y.clone()).sum().backward();
        let bias = bias.as_ref().map(|b| param_grad("bias", b, &grads));
        (y, grad_of("x", &x, &grads), param_grad("weight", weight, &grads), bias)
    }

    fn assert_layers_agree<const D: usize, const W: usize>(
        what: &str,
        fast: LayerRun<D, W>,
        burn: LayerRun<D, W>,
        tolerance: Tolerance,
    ) {
        assert_tensors_close(what, fast.0, burn.0, tolerance);
        assert_tensors_close("gradient of x", fast.1, burn.1, tolerance);
        assert_tensors_close("gradient of the weight", fast.2, burn.2, tolerance);
        if let (Some(fast), Some(burn)) = (fast.3, burn.3) {
            assert_tensors_close("gradient of the bias", fast, burn, tolerance);
        }
    }

    /// Output and input gradient equal burn's `MaxPool2d` for 2 x 2 and 3 x 2 windows on a ragged
    /// input, and overlapping windows (which the kernel does not take) still run.
    #[test]
    fn max_pool2d_matches_burns_pooling_in_value_and_gradient() {
        seeded(8, |device| {
            let x = Tensor::<4>::random([3, 4, 9, 7], Distribution::Normal(0.0, 1.0), device);
            let r = Tensor::<4>::random([3, 4, 9, 7], Distribution::Normal(0.0, 1.0), device);
            let pools = [
                MaxPool2dConfig::new([2, 2]).init(),
                MaxPool2dConfig::new([3, 2]).init(),
                MaxPool2dConfig::new([3, 3]).with_strides([1, 1]).init(),
            ];
            for pool in pools {
                let run = |fast: bool| {
                    let x = leaf(&x);
                    let y = if fast { max_pool2d(&pool, x.clone()) } else { pool.forward(x.clone()) };
                    let [b, c, h, w] = y.dims();
                    let weights = r.clone().slice([0..b, 0..c, 0..h, 0..w]);
                    let grads = (y.clone() * weights).sum().backward();
                    (y, grad_of("x", &x, &grads))
                };
                let (fast, burn) = (run(true), run(false));
                assert_tensors_close("max_pool2d", fast.0, burn.0, Tolerance::new(0.0, 0.0));
                assert_tensors_close("gradient of x", fast.1, burn.1, Tolerance::new(0.0, 0.0));
            }
        });
    }

    /// Values and input gradient equal burn's `relu` then pooling, exactly, with windows whose
    /// values are all negative or zero (no gradient passes there) and overlapping windows (the
    /// fallback).
    #[test]
    fn max_pool2d_of_relu_matches_burns_relu_then_pooling() {
        seeded(10, |device| {
            let x = Tensor::<4>::random([3, 4, 9, 7], Distribution::Normal(-0.5, 1.0), device);
            let x = x.clone().mask_fill(x.clone().lower_elem(-0.8), 0.0);
            let r = Tensor::<4>::random([3, 4, 9, 7], Distribution::Normal(0.0, 1.0), device);
            let pools = [
                MaxPool2dConfig::new([2, 2]).init(),
                MaxPool2dConfig::new([3, 3]).with_strides([1, 1]).init(),
            ];
            for pool in pools {
                let run = |fast: bool| {
                    let x = leaf(&x);
                    let y = if fast {
                        max_pool2d_of_relu(&pool, x.clone())
                    } else {
                        pool.forward(burn::tensor::activation::relu(x.clone()))
                    };
                    let [b, c, h, w] = y.dims();
                    let grads = (y.clone() * r.clone().slice([0..b, 0..c, 0..h, 0..w])).sum().backward();
                    (y, grad_of("x", &x, &grads))
                };
                let (fast, burn) = (run(true), run(false));
                assert!(
                    fast.0.clone().equal_elem(0.0).any().into_scalar::<bool>(),
                    "a window without a positive value"
                );
                assert_tensors_close("max_pool2d_of_relu", fast.0, burn.0, Tolerance::new(0.0, 0.0));
                assert_tensors_close("gradient of x", fast.1, burn.1, Tolerance::new(0.0, 0.0));
            }
        });
    }

    /// Output and the gradients of the input, weight and bias equal burn's `Linear` on a 3-D
    /// input, with and without bias.
    #[test]
    fn linear_matches_burns_linear_in_value_and_gradients() {
        seeded(9, |device| {
            let layers = [LinearConfig::new(7, 37), LinearConfig::new(7, 5).with_bias(false)];
            for config in layers {
                let layer = config.init(device);
                let x = Tensor::<3>::random([3, 4, 7], Distribution::Normal(0.0, 1.0), device);
                let (weight, bias) = (&layer.weight, &layer.bias);
                let fast = value_and_grads(&x, weight, bias, |x| linear(&layer, x));
                let burn = value_and_grads(&x, weight, bias, |x| layer.forward(x));
                assert_layers_agree("linear", fast, burn, Tolerance::new(1e-5, 1e-5));
            }
        });
    }
}
