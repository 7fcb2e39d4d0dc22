//! One experiment per claim of the lecture, plus the graph pictures and the training demo.

pub mod bptt;
pub mod chain_rule;
pub mod checkpointing;
pub mod cost_scaling;
pub mod graphs;
pub mod mlp_training;

use burn::prelude::{Device, Int, Tensor};
use shared::data::LabelledImages;
use shared::data::synthetic::adding::adding_problem;
use shared::experiment::Run;

/// The run's device without burn's autodiff: our engines differentiate, burn only computes.
pub fn engine_device(run: &Run) -> Device {
    run.device.clone().without_autodiff()
}

/// Images `[batch, 784]` and labels `[batch]` of training step `step`: consecutive images,
/// wrapping around the set.
pub fn mnist_batch(
    images: &LabelledImages,
    batch: usize,
    step: u64,
    device: &Device,
) -> (Tensor<2>, Tensor<1, Int>) {
    let indices: Vec<usize> = (0..batch).map(|i| (step as usize * batch + i) % images.len()).collect();
    (images.features_tensor(&indices, device), images.labels_tensor(&indices, device))
}

/// An adding-problem batch as the RNN takes it: the steps (each `[batch, 2]`) and the
/// targets `[batch, 1]`.
pub fn adding_batch(
    batch: usize,
    time: usize,
    seed: u64,
    device: &Device,
) -> anyhow::Result<(Vec<Tensor<2>>, Tensor<2>)> {
    let problem = adding_problem(batch, time, seed)?;
    Ok((crate::rnn::steps_of(problem.input_tensor(device)?), problem.target_tensor(device)?))
}
