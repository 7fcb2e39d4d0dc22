//! How every experiment trains: plain mini-batch SGD on MNIST in the shared loop
//! ([`shared::train::Fit`]), with the test accuracy measured every few steps (in evaluation
//! mode: running statistics, no dropout).
//!
//! A run whose loss turns NaN or infinite stops there. Whether that is an error is the caller's
//! call: the learning-rate experiment expects some runs to diverge and records it
//! ([`Trained::diverged`]); the others turn it into an error with [`Trained::require_finite`].

use super::data::MnistData;
use crate::sigmoid_net::SigmoidNet;
use anyhow::{Context, Result};
use burn::optim::SgdConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::Batches;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::train::{Diverged, Fit};

/// Steps, batch size, learning rate and how often to test.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Schedule {
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    /// Test every this many steps (and at step 0 and the last step).
    pub eval_every: u64,
}

/// A trained network and its curves.
pub struct Trained {
    pub net: SigmoidNet,
    /// `(step, test accuracy)`, from step 0.
    pub test_accuracy: Vec<(u64, f64)>,
    /// Mean training loss over the last tenth of the steps run.
    pub final_loss: f64,
    /// Set when the loss stopped being finite; training stopped at that step.
    pub diverged: Option<Diverged>,
}

impl Trained {
    /// The last measured test accuracy.
    pub fn final_accuracy(&self) -> f64 {
        self.test_accuracy.last().map_or(f64::NAN, |&(_, a)| a)
    }

    /// The first tested step with test accuracy at least `target`.
    pub fn steps_to(&self, target: f64) -> Option<u64> {
        self.test_accuracy.iter().find(|&&(_, a)| a >= target).map(|&(s, _)| s)
    }

    /// `self`, or the divergence as an error naming `label`.
    pub fn require_finite(self, label: &str) -> Result<Trained> {
        match self.diverged {
            Some(diverged) => Err(diverged).with_context(|| format!("{label} diverged")),
            None => Ok(self),
        }
    }
}

/// Trains `net` on `data` with SGD in the shared loop on `run`'s device, batches shuffled by
/// `run`'s seed. Records the curves `<label> train loss` and `<label> test accuracy` in
/// `record`; calls `observe(step, &net)` with the evaluation-mode net at every test.
pub fn train(
    label: &str,
    net: SigmoidNet,
    data: &MnistData,
    schedule: &Schedule,
    run: &Run,
    record: &mut ExperimentRecord,
    mut observe: impl FnMut(u64, &SigmoidNet) -> Result<()>,
) -> Result<Trained> {
    let mut batches = Batches::new(data.n_train(), schedule.batch, run.seed, true)
        .with_context(|| label.to_string())?
        .stream();
    let fitted = Fit::new(label, schedule.steps, schedule.learning_rate)
        .loss_unit("cross-entropy")
        .stop_on_divergence()
        .evaluate_every(schedule.eval_every, "test accuracy", |step, net: &SigmoidNet| {
            let valid = net.valid();
            observe(step, &valid)?;
            Ok(accuracy(&valid, &data.test_x, &data.test_y))
        })
        .run(net, SgdConfig::new().init(), record, |net, step| {
            let (x, y) = data.batch(batches.at(step), &run.device);
            Ok(net.loss(x, y))
        })?;
    Ok(Trained {
        net: fitted.model,
        test_accuracy: fitted.evaluations,
        final_loss: fitted.final_loss,
        diverged: fitted.diverged,
    })
}

/// The fraction of `x` `[N, 784]` that `net` classifies as `labels` `[N]`.
pub fn accuracy(net: &SigmoidNet, x: &Tensor<2>, labels: &Tensor<1, Int>) -> f64 {
    shared::train::accuracy(net.forward(x.clone()), labels.clone())
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sigmoid_net::SigmoidNetConfig;

    fn tiny(run: &Run, n: usize) -> (SigmoidNet, MnistData) {
        let plain = run.device.clone().without_autodiff();
        let config =
            SigmoidNetConfig { input: 4, hidden: 3, layers: 2, classes: 2, ..SigmoidNetConfig::mnist(true) };
        let data = MnistData {
            train_x: Tensor::random([n, 4], burn::tensor::Distribution::Default, &plain),
            train_y: Tensor::zeros([n], &plain),
            test_x: Tensor::random([3, 4], burn::tensor::Distribution::Default, &plain),
            test_y: Tensor::zeros([3], &plain),
        };
        (config.init(&run.device), data)
    }

    #[test]
    fn trains_the_asked_steps_and_tests_along_the_way() {
        let run = Run::for_test("lecture-10-batch-norm", 1);
        let (net, data) = tiny(&run, 10);
        let schedule = Schedule { steps: 7, batch: 4, learning_rate: 0.1, eval_every: 3 };
        let mut record = run.record("unit");
        let mut observed = Vec::new();
        let trained = train("tiny", net, &data, &schedule, &run, &mut record, |step, _| {
            observed.push(step);
            Ok(())
        })
        .unwrap();
        assert_eq!(observed, [0, 3, 6, 7], "tests at 0, every 3 steps and the last");
        let steps: Vec<u64> = trained.test_accuracy.iter().map(|&(s, _)| s).collect();
        assert_eq!(steps, observed);
        assert!(trained.diverged.is_none() && trained.final_loss.is_finite());
        assert_eq!(trained.steps_to(0.0), Some(0));
    }

    #[test]
    fn impossible_schedules_are_errors_not_endless_loops() {
        let run = Run::for_test("lecture-10-batch-norm", 1);
        let mut record = run.record("unit");
        let (net, data) = tiny(&run, 3);
        let big_batch = Schedule { steps: 5, batch: 4, learning_rate: 0.1, eval_every: 2 };
        let err =
            train("tiny", net.clone(), &data, &big_batch, &run, &mut record, |_, _| Ok(())).err().unwrap();
        let message = format!("{err:#}");
        assert!(message.contains("tiny") && message.contains("batch of 4"), "{message}");
        let no_steps = Schedule { steps: 0, batch: 2, ..big_batch };
        assert!(train("tiny", net, &data, &no_steps, &run, &mut record, |_, _| Ok(())).is_err());
    }
}
