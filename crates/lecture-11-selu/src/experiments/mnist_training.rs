//! Training a [`DeepNet`] on MNIST in the shared loop, as claims 1 and 4 do.
//!
//! Images are flattened to `[batch, 784]` with pixels in [0, 1]; the loss is the mean
//! cross-entropy of the logits `[batch, 10]`; plain SGD (the optimiser of the SELU paper's
//! experiments) or Adam takes the step. Mini-batches come from seeded shuffles of the training
//! set, epoch after epoch. Test accuracy is measured on the first `test_size` test images every
//! `eval_every` steps, in test mode (batch norm's running statistics, no dropout).

use crate::deep_net::DeepNet;
use anyhow::Result;
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::SgdConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::batching::Batches;
use shared::data::{LabelledImages, Mnist};
use shared::report::ExperimentRecord;
use shared::train::{Fit, FusedAdamConfig, correct};

/// The optimiser.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OptimiserKind {
    Sgd,
    Adam,
}

/// How to train.
#[derive(Clone, Debug, Serialize)]
pub struct Training {
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    pub optimiser: OptimiserKind,
    /// Steps between two test evaluations.
    pub eval_every: u64,
    /// Test images evaluated (the first ones of the test split).
    pub test_size: usize,
}

/// A trained network and its numbers.
pub struct Trained {
    pub model: DeepNet,
    /// Mean training loss over the last tenth of the steps.
    pub final_train_loss: f64,
    /// `(step, test accuracy)` at step 0, every `eval_every` steps and the last step.
    pub test_accuracy: Vec<(f64, f64)>,
}

impl Trained {
    /// The test accuracy after the last step.
    pub fn final_accuracy(&self) -> f64 {
        self.test_accuracy.last().map_or(f64::NAN, |p| p.1)
    }
}

/// Trains `model`; adds the curves `<label> train loss` and `<label> test accuracy` and the
/// metrics `<label> final train loss`, `<label> test accuracy` to `record`. A NaN or infinite
/// loss is an error naming `label`.
pub fn train(
    label: &str,
    model: DeepNet,
    mnist: &Mnist,
    training: &Training,
    seed: u64,
    device: &Device,
    record: &mut ExperimentRecord,
) -> Result<Trained> {
    let optimiser = match training.optimiser {
        OptimiserKind::Sgd => SgdConfig::new().init(),
        OptimiserKind::Adam => FusedAdamConfig::new().init(),
    };
    let test: Vec<usize> = (0..training.test_size.min(mnist.test.len())).collect();
    let mut batches = Batches::new(mnist.train.len(), training.batch, seed, true)?.stream();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let fitted = Fit::new(label, training.steps, training.learning_rate)
        .loss_unit("cross-entropy")
        .evaluate_every(training.eval_every, "test accuracy", |_, model: &DeepNet| {
            Ok(accuracy(model, &mnist.test, &test, device))
        })
        .run(model, optimiser, record, |model, step| {
            let indices = batches.at(step);
            let x = mnist.train.features_tensor(indices, device);
            Ok(loss_fn.forward(model.forward(x), mnist.train.labels_tensor(indices, device)))
        })?;
    let test_accuracy = fitted.evaluations.iter().map(|&(step, a)| (step as f64, a)).collect();
    let trained = Trained { model: fitted.model, final_train_loss: fitted.final_loss, test_accuracy };
    record.set_metric(format!("{label} final train loss"), trained.final_train_loss);
    record.set_metric(format!("{label} test accuracy"), trained.final_accuracy());
    Ok(trained)
}

/// The fraction of `images[indices]` that `model` classifies right, in test mode without
/// autodiff, 1000 images at a time.
pub fn accuracy(model: &DeepNet, images: &LabelledImages, indices: &[usize], device: &Device) -> f64 {
    let plain = device.clone().inner();
    let model = model.valid();
    let right: usize = indices
        .chunks(1000)
        .map(|chunk| {
            let logits = model.forward(images.features_tensor(chunk, &plain));
            correct(logits, images.labels_tensor(chunk, &plain))
        })
        .sum();
    right as f64 / indices.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::ActivationKind;
    use crate::deep_net::{DeepNetConfig, DropoutKind, WeightInit};
    use shared::data::mnist::{CLASSES, PIXELS};
    use shared::testing::seeded;

    fn tiny(learning_rate: f64) -> (DeepNet, Training, Device) {
        let net = DeepNetConfig {
            input: PIXELS,
            width: 8,
            depth: 2,
            classes: CLASSES,
            activation: ActivationKind::Selu,
            init: WeightInit::LeCun,
            batch_norm: false,
            dropout: DropoutKind::None,
        };
        let training = Training {
            steps: 12,
            batch: 16,
            learning_rate,
            optimiser: OptimiserKind::Sgd,
            eval_every: 5,
            test_size: 50,
        };
        seeded(0, |device| (net.init(device).unwrap(), training, device.clone()))
    }

    #[test]
    fn curves_have_a_point_per_evaluation_and_the_last_step() {
        let mnist = Mnist::embedded().unwrap();
        let (model, training, device) = tiny(0.01);
        let mut record = ExperimentRecord::new("lecture-11-selu", "test");
        let trained = train("tiny", model, &mnist, &training, 0, &device, &mut record).unwrap();
        let steps: Vec<f64> = trained.test_accuracy.iter().map(|p| p.0).collect();
        assert_eq!(steps, [0.0, 5.0, 10.0, 12.0]);
        assert!(trained.test_accuracy.iter().all(|p| (0.0..=1.0).contains(&p.1)));
        assert!(record.metrics.contains_key("tiny test accuracy") && trained.final_train_loss.is_finite());
    }

    #[test]
    fn a_diverging_run_is_an_error_that_says_so() {
        let mnist = Mnist::embedded().unwrap();
        let (model, training, device) = tiny(1e30);
        let mut record = ExperimentRecord::new("lecture-11-selu", "test");
        let err =
            train("tiny", model, &mnist, &training, 0, &device, &mut record).err().expect("lr 1e30 blows up");
        let message = format!("{err:#}");
        assert!(message.contains("tiny diverged") && message.contains("training loss"), "{message}");
    }
}
