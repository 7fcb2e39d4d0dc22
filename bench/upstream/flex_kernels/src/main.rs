//! burn-flex 0.22.1: forward + backward time of the ops that dominate a small CNN (conv 5x5,
//! max-pool 2x2) and an MLP GAN (tanh), beside a plain matmul. Compare with `flex_kernels.py`
//! (the same ops in PyTorch, one thread). Prints the median milliseconds per call.

use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2dConfig;
use burn::nn::pool::MaxPool2dConfig;
use burn::prelude::*;
use burn::tensor::Distribution;
use std::time::Instant;

/// Median milliseconds of `reps` calls of `f`, after two untimed calls.
fn median_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    f();
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[reps / 2]
}

fn random<const D: usize>(shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::random(shape, Distribution::Uniform(-1.0, 1.0), device)
}

fn main() {
    let device = Device::flex().autodiff();
    device.seed(0);
    let conv = |c: [usize; 2]| {
        Conv2dConfig::new(c, [5, 5]).with_padding(PaddingConfig2d::Explicit(2, 2, 2, 2)).init(&device)
    };

    // conv 32->64 5x5 pad 2 on [64, 32, 14, 14] (the CNN's second conv): x and weight grads.
    let conv2 = conv([32, 64]);
    let x2 = random([64, 32, 14, 14], &device).require_grad();
    let fwd = median_ms(10, || {
        conv2.forward(x2.clone()).into_data();
    });
    let both = median_ms(10, || {
        conv2.forward(x2.clone()).sum().backward();
    });
    println!("conv2d 32->64 5x5 [64,32,14,14]  forward {fwd:8.2} ms  forward+backward {both:8.2} ms");

    // conv 1->32 5x5 pad 2 on [64, 1, 28, 28] (the first conv): weight grad only.
    let conv1 = conv([1, 32]);
    let x1 = random([64, 1, 28, 28], &device);
    let fwd = median_ms(10, || {
        conv1.forward(x1.clone()).into_data();
    });
    let both = median_ms(10, || {
        conv1.forward(x1.clone()).sum().backward();
    });
    println!("conv2d 1->32 5x5 [64,1,28,28]    forward {fwd:8.2} ms  forward+backward {both:8.2} ms");

    // max-pool 2x2 on [64, 32, 28, 28].
    let pool = MaxPool2dConfig::new([2, 2]).init();
    let xp = random([64, 32, 28, 28], &device).require_grad();
    let fwd = median_ms(20, || {
        pool.forward(xp.clone()).into_data();
    });
    let both = median_ms(20, || {
        pool.forward(xp.clone()).sum().backward();
    });
    println!("max_pool2d 2x2 [64,32,28,28]     forward {fwd:8.2} ms  forward+backward {both:8.2} ms");

    // tanh on [64, 784] (the GAN generator's output).
    let xt = random([64, 784], &device).require_grad();
    let fwd = median_ms(200, || {
        xt.clone().tanh().into_data();
    });
    let both = median_ms(200, || {
        xt.clone().tanh().sum().backward();
    });
    println!("tanh [64,784]                    forward {fwd:8.3} ms  forward+backward {both:8.3} ms");

    // matmul [128, 784] @ [784, 256] (the MLP's first layer), forward only.
    let (a, b) = (random([128, 784], &device), random([784, 256], &device));
    let fwd = median_ms(100, || {
        a.clone().matmul(b.clone()).into_data();
    });
    println!("matmul [128,784]@[784,256]       forward {fwd:8.3} ms");
}
