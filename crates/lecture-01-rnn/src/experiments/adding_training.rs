//! How claims 1 and 4 train any sequence -> number model on the adding problem, in the shared
//! loop ([`shared::train::Fit`]).
//!
//! Every step draws a fresh batch (`[batch, time, 2]`, see [`shared::data::synthetic::adding`]),
//! so there is no training set to memorise; the loss is the mean squared error
//! `(1/B) Σ_b (y_b - target_b)²`; Adam with per-tensor gradient-norm clipping takes the step.
//! Every `eval_every` steps (and before the first) the model predicts a fixed test set of
//! `test_size` sequences that no training step sees; that test MSE is the curve the claims read.
//! Always answering 1.0 scores 1/6 ([`CONSTANT_BASELINE_MSE`]).

use anyhow::Result;
use burn::module::Module;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::{Device, Tensor};
use serde::Serialize;
use shared::data::synthetic::adding::{AddingBatch, adding_problem};
use shared::data::{batch_seed, sub_seed};
use shared::report::ExperimentRecord;
use shared::train::{Fit, FusedAdamConfig};

pub use shared::data::synthetic::adding::CONSTANT_BASELINE_MSE;

/// How to train on the adding problem.
#[derive(Clone, Debug, Serialize)]
pub struct AddingTraining {
    /// Sequence length T.
    pub time: usize,
    /// Sequences per step.
    pub batch: usize,
    /// Optimiser steps.
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Each parameter tensor's gradient is rescaled to at most this L2 norm.
    pub clip_norm: f32,
    /// Steps between two test evaluations.
    pub eval_every: u64,
    /// Sequences in the fixed test set.
    pub test_size: usize,
}

/// A trained model and its test curve, `(step, MSE)` points.
pub struct Trained<M> {
    /// The model after the last step.
    pub model: M,
    /// Test MSE at step 0 and every `eval_every` steps, ending at the last step.
    pub test_mse: Vec<(f64, f64)>,
}

impl<M> Trained<M> {
    /// The test MSE after the last step.
    pub fn final_test_mse(&self) -> f64 {
        self.test_mse.last().map_or(f64::NAN, |&(_, mse)| mse)
    }

    /// The first step at which the test MSE was below `threshold`, if it ever was.
    pub fn steps_to_reach(&self, threshold: f64) -> Option<u64> {
        self.test_mse.iter().find(|&&(_, mse)| mse < threshold).map(|&(step, _)| step as u64)
    }
}

/// The random stream of the adding problem's test set (training batches use [`batch_seed`]).
const TEST_SET: u64 = 0;
/// The random stream of the batch that probes gradients (`vanishing`).
pub const GRADIENT_PROBE: u64 = 1;
/// The random streams of the models' initial weights, one sub-stream per model.
const WEIGHTS: u64 = 2;

/// The seed of model `model`'s initial weights in a run seeded `seed`.
pub fn weights_seed(seed: u64, model: u64) -> u64 {
    sub_seed(sub_seed(seed, WEIGHTS), model)
}

/// The seed of a run's test set: a stream of its own, apart from every training batch's.
pub fn test_seed(seed: u64) -> u64 {
    sub_seed(seed, TEST_SET)
}

/// The mean squared error of `prediction` and `target`, both `[batch, 1]`, as a `[1]` tensor.
pub fn mse(prediction: Tensor<2>, target: Tensor<2>) -> Tensor<1> {
    (prediction - target).powi_scalar(2).mean()
}

/// Trains `model` with `predict: (model, [batch, time, 2]) -> [batch, 1]` on the adding problem.
///
/// `label` names the progress bar, the divergence error, the curves `<label> test MSE` and
/// `<label> train MSE` (a training batch's MSE, as many points as evaluations) and the metric
/// `<label> final test MSE` in `record`. `device` is the autodiff device to train on; tests run
/// on `model.valid()` without autodiff. A NaN or infinite loss is an error.
pub fn train<M: Module>(
    label: &str,
    model: M,
    predict: impl Fn(&M, Tensor<3>) -> Result<Tensor<2>>,
    training: &AddingTraining,
    seed: u64,
    device: &Device,
    record: &mut ExperimentRecord,
) -> Result<Trained<M>> {
    let test = adding_problem(training.test_size, training.time, test_seed(seed))?;
    let optimiser = FusedAdamConfig::new()
        .with_grad_clipping(Some(GradientClippingConfig::Norm(training.clip_norm)))
        .init();
    let fitted = Fit::new(label, training.steps, training.learning_rate)
        .loss_curve(format!("{label} train MSE"), "train MSE")
        .curve_points(training.steps / training.eval_every)
        .evaluate_every(training.eval_every, "test MSE", |_, model: &M| {
            test_mse(model, &predict, &test, device)
        })
        .run(model, optimiser, record, |model, step| {
            // training batches are numbered from 1
            let batch = adding_problem(training.batch, training.time, batch_seed(seed, step + 1))?;
            Ok(mse(predict(model, batch.input_tensor(device)?)?, batch.target_tensor(device)?))
        })?;
    let test_mse = fitted.evaluations.iter().map(|&(step, mse)| (step as f64, mse)).collect();
    let trained = Trained { model: fitted.model, test_mse };
    record.set_metric(format!("{label} final test MSE"), trained.final_test_mse());
    Ok(trained)
}

/// The MSE of `predict` on `test`, computed without autodiff.
fn test_mse<M: Module>(
    model: &M,
    predict: &impl Fn(&M, Tensor<3>) -> Result<Tensor<2>>,
    test: &AddingBatch,
    device: &Device,
) -> Result<f64> {
    let plain = device.clone().inner();
    let prediction = predict(&model.valid(), test.input_tensor(&plain)?)?;
    Ok(mse(prediction, test.target_tensor(&plain)?).into_scalar::<f32>() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::any_cell::CellKind;
    use crate::many_to_one::ManyToOne;
    use shared::testing::seeded;

    fn tiny(steps: u64, learning_rate: f64) -> AddingTraining {
        AddingTraining {
            time: 4,
            batch: 4,
            steps,
            learning_rate,
            clip_norm: 1.0,
            eval_every: 2,
            test_size: 8,
        }
    }

    #[test]
    fn curves_have_a_point_per_evaluation_and_the_last_step() {
        let (model, device) =
            seeded(3, |device| (ManyToOne::new(CellKind::Gru, 2, 3, 1, device), device.clone()));
        let mut record = ExperimentRecord::new("lecture-99-demo", "adding");
        let trained =
            train("test", model, |m, x| Ok(m.forward(x)), &tiny(5, 1e-2), 0, &device, &mut record).unwrap();
        let steps: Vec<f64> = trained.test_mse.iter().map(|p| p.0).collect();
        assert_eq!(steps, [0.0, 2.0, 4.0, 5.0]);
        assert_eq!(record.curves["test test MSE"].points, trained.test_mse);
        assert_eq!(record.curves["test train MSE"].points.len(), 3);
        assert_eq!(record.metrics["test final test MSE"], trained.final_test_mse());
        assert!(trained.test_mse.iter().all(|p| p.1.is_finite() && p.1 >= 0.0));
    }

    #[test]
    fn steps_to_reach_finds_the_first_evaluation_below_the_threshold() {
        let trained = Trained { model: (), test_mse: vec![(0.0, 0.2), (10.0, 0.04), (20.0, 0.01)] };
        assert_eq!(trained.steps_to_reach(0.05), Some(10));
        assert_eq!(trained.steps_to_reach(0.001), None);
        assert_eq!(trained.final_test_mse(), 0.01);
    }

    #[test]
    fn a_diverging_run_is_an_error_that_says_so() {
        let (model, device) =
            seeded(3, |device| (ManyToOne::new(CellKind::Rnn, 2, 3, 1, device), device.clone()));
        let mut record = ExperimentRecord::new("lecture-99-demo", "adding");
        let err = train("RNN", model, |m, x| Ok(m.forward(x)), &tiny(20, 1e30), 0, &device, &mut record)
            .err()
            .expect("a learning rate of 1e30 must blow up");
        let message = format!("{err:#}");
        assert!(message.contains("RNN diverged") && message.contains("training loss"), "{message}");
    }
}
