//! Our `BatchNorm` against burn's `nn::BatchNorm` with the same gamma, beta and running
//! statistics: equal outputs in training and evaluation mode, equal gradients w.r.t. the input,
//! gamma and beta, and equal running statistics after a few training batches, for fully
//! connected `[B, C]` and convolutional `[B, C, H, W]` inputs.
//!
//! Momentum means the same in both: the weight of the new batch in the running average
//! (`running <- (1 - m) running + m batch`), PyTorch's convention; both average the biased batch
//! variance. A momentum of 0.3 (not the default 0.1) makes a wrong convention show.

use burn::module::{Module, Param, RunningState};
use burn::nn::{BatchNorm as BurnBatchNorm, BatchNormConfig as BurnBatchNormConfig};
use burn::prelude::{Device, Tensor};
use lecture_10_batch_norm::batch_norm::{BatchNorm, BatchNormConfig};
use shared::testing::{Tolerance, assert_tensors_close, grad_of, normal, normal_with, seeded};

const MOMENTUM: f64 = 0.3;
const CHANNELS: usize = 3;

/// Our layer with random gamma, beta and running statistics, and burn's with the same values.
fn twins(device: &Device) -> (BatchNorm, BurnBatchNorm) {
    let ours = BatchNormConfig::new(CHANNELS).with_momentum(MOMENTUM).init(device);
    let gamma = normal_with([CHANNELS], 1.0, 0.5, device);
    let beta = normal_with([CHANNELS], 0.0, 0.5, device);
    let mean = normal([CHANNELS], device);
    let var = normal([CHANNELS], device).abs().add_scalar(0.5);
    let ours = BatchNorm {
        gamma: Param::from_tensor(gamma.clone()),
        beta: Param::from_tensor(beta.clone()),
        running_mean: RunningState::new(mean.clone()),
        running_var: RunningState::new(var.clone()),
        ..ours
    };
    let theirs = BurnBatchNormConfig::new(CHANNELS).with_momentum(MOMENTUM).init(device);
    let theirs = BurnBatchNorm {
        gamma: Param::from_tensor(gamma),
        beta: Param::from_tensor(beta),
        running_mean: RunningState::new(mean),
        running_var: RunningState::new(var),
        ..theirs
    };
    (ours, theirs)
}

/// Three training batches through both layers (outputs and gradients compared on the last),
/// then evaluation on a fresh batch: on the autodiff device and after `valid()`.
fn check<const D: usize>(shape: [usize; D]) {
    seeded(3, |device| {
        let (ours, theirs) = twins(device);
        let projection = normal(shape, device);
        for batch in 0..3 {
            let x = normal_with(shape, 2.0, 3.0, device).detach().require_grad();
            let y_ours = ours.forward(x.clone());
            let y_theirs = theirs.forward(x.clone());
            assert_tensors_close(
                &format!("training output, batch {batch}"),
                y_ours.clone(),
                y_theirs.clone(),
                Tolerance::F32,
            );
            let g_ours = (y_ours * projection.clone()).sum().backward();
            let g_theirs = (y_theirs * projection.clone()).sum().backward();
            let tol = Tolerance::new(1e-4, 1e-5);
            assert_tensors_close("dL/dx", grad_of("ours", &x, &g_ours), grad_of("burn", &x, &g_theirs), tol);
            let dgamma = (
                grad_of("ours", &ours.gamma.val(), &g_ours),
                grad_of("burn", &theirs.gamma.val(), &g_theirs),
            );
            assert_tensors_close("dL/dgamma", dgamma.0, dgamma.1, tol);
            let dbeta =
                (grad_of("ours", &ours.beta.val(), &g_ours), grad_of("burn", &theirs.beta.val(), &g_theirs));
            assert_tensors_close("dL/dbeta", dbeta.0, dbeta.1, tol);
        }
        let running = |what, a: &RunningState<Tensor<1>>, b: &RunningState<Tensor<1>>| {
            assert_tensors_close(what, a.value_sync(), b.value_sync(), Tolerance::F32);
        };
        running("running mean", &ours.running_mean, &theirs.running_mean);
        running("running variance", &ours.running_var, &theirs.running_var);

        let x = normal_with(shape, 2.0, 3.0, device);
        let (ours, theirs) = (ours.valid(), theirs.valid());
        let plain = device.clone().inner();
        let x = x.to_device(&plain);
        let (y_ours, y_theirs) = (ours.forward(x.clone()), theirs.forward(x.clone()));
        assert_tensors_close("evaluation output", y_ours.clone(), y_theirs, Tolerance::F32);
        assert_tensors_close(
            "forward on a valid layer is forward_eval",
            y_ours,
            ours.forward_eval(x),
            Tolerance::F32,
        );
    });
}

#[test]
fn fully_connected_inputs_match_burn() {
    check([6, CHANNELS]);
}

#[test]
fn convolutional_inputs_match_burn() {
    check([2, CHANNELS, 3, 2]);
}

#[test]
fn the_running_statistics_move_by_the_momentum() {
    seeded(4, |device| {
        let (ours, _) = twins(device);
        let before = (ours.running_mean.value_sync(), ours.running_var.value_sync());
        let x = normal_with([8, CHANNELS], 1.0, 2.0, device);
        let _ = ours.forward(x.clone());
        let (mean, var) = lecture_10_batch_norm::batch_norm::batch_statistics(x);
        let expected_mean = before.0.mul_scalar(1.0 - MOMENTUM) + mean.mul_scalar(MOMENTUM);
        let expected_var = before.1.mul_scalar(1.0 - MOMENTUM) + var.mul_scalar(MOMENTUM);
        assert_tensors_close("running mean", ours.running_mean.value_sync(), expected_mean, Tolerance::F32);
        assert_tensors_close("running variance", ours.running_var.value_sync(), expected_var, Tolerance::F32);
    });
}
