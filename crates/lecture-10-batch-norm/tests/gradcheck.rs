//! Our batch normalisation's autodiff gradient against central finite differences.
//!
//! In training mode the batch mean and variance depend on every input, so `dy_i/dx_j` is not
//! zero for `i != j`: a backward that treated the statistics as constants would fail here.
//! The loss is a fixed random projection of the output, `(BN(x) * r).sum()`, so no term cancels.

use burn::module::Param;
use burn::prelude::{Device, Tensor};
use lecture_10_batch_norm::batch_norm::{BatchNorm, BatchNormConfig};
use lecture_10_batch_norm::scaling::Standardizer;
use shared::testing::{gradcheck, normal, normal_with, seeded};

fn layer(channels: usize, device: &Device) -> BatchNorm {
    let bn = BatchNormConfig::new(channels).init(device);
    BatchNorm {
        gamma: Param::from_tensor(normal_with([channels], 1.0, 0.3, device)),
        beta: Param::from_tensor(normal_with([channels], 0.0, 0.3, device)),
        ..bn
    }
}

fn check_input<const D: usize>(shape: [usize; D], train: bool) {
    seeded(5, |device| {
        let bn = layer(shape[1], device);
        let r = normal(shape, device);
        let x = normal_with(shape, 0.5, 1.5, device);
        let f = |x: Tensor<D>| {
            let y = if train { bn.forward_train(x) } else { bn.forward_eval(x) };
            (y * r.clone()).sum()
        };
        gradcheck(f, x).unwrap_or_else(|report| panic!("shape {shape:?}, train {train}: {report}"));
    });
}

#[test]
fn training_mode_input_gradient_through_the_batch_statistics() {
    check_input([5, 3], true);
}

#[test]
fn training_mode_input_gradient_of_a_conv_batch() {
    check_input([2, 2, 2, 3], true);
}

#[test]
fn evaluation_mode_input_gradient() {
    check_input([4, 3], false);
}

#[test]
fn gamma_and_beta_gradients() {
    seeded(6, |device| {
        let x = normal_with([5, 3], 0.5, 1.5, device);
        let r = normal([5, 3], device);
        let base = layer(3, device);
        let with_gamma = |gamma: Tensor<1>| {
            let bn = BatchNorm { gamma: Param::from_tensor(gamma), ..base.clone() };
            (bn.forward_train(x.clone()) * r.clone()).sum()
        };
        gradcheck(with_gamma, base.gamma.val()).unwrap_or_else(|report| panic!("gamma: {report}"));
        let with_beta = |beta: Tensor<1>| {
            let bn = BatchNorm { beta: Param::from_tensor(beta), ..base.clone() };
            (bn.forward_train(x.clone()) * r.clone()).sum()
        };
        gradcheck(with_beta, base.beta.val()).unwrap_or_else(|report| panic!("beta: {report}"));
    });
}

#[test]
fn standardisation_input_gradient() {
    seeded(7, |device| {
        let train = normal_with([20, 3], 2.0, 3.0, device);
        let scaler = Standardizer::fit(train, 0.1).unwrap();
        let r = normal([4, 3], device);
        gradcheck(|x: Tensor<2>| (scaler.apply(x) * r.clone()).sum(), normal([4, 3], device))
            .unwrap_or_else(|report| panic!("{report}"));
    });
}
