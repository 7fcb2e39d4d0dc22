//! The training loop every experiment shares: plain mini-batch SGD on MNIST, with the test
//! accuracy measured every few steps (in evaluation mode: running statistics, no dropout).
//!
//! A run whose loss turns NaN or infinite stops there. Whether that is an error is the caller's
//! call: the learning-rate experiment expects some runs to diverge and records it
//! ([`Trained::diverged`]); the others turn it into an error with [`Trained::require_finite`].

use super::data::MnistData;
use crate::sigmoid_net::SigmoidNet;
use anyhow::{Context, Result, ensure};
use burn::optim::{GradientsParams, SgdConfig};
use burn::prelude::*;
use serde::Serialize;
use shared::data::Batches;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::train::{Diverged, LossTrace, Progress, ensure_finite};

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

/// Trains `net` on `data` with SGD on `run`'s device, batches shuffled by `run`'s seed.
/// Records the curves `<label> train loss` and `<label> test accuracy` in `record`; calls
/// `observe(step, &net)` with the evaluation-mode net at every test.
pub fn train(
    label: &str,
    mut net: SigmoidNet,
    data: &MnistData,
    schedule: &Schedule,
    run: &Run,
    record: &mut ExperimentRecord,
    mut observe: impl FnMut(u64, &SigmoidNet) -> Result<()>,
) -> Result<Trained> {
    let loss_curve = format!("{label} train loss");
    let accuracy_curve = format!("{label} test accuracy");
    record.define_curve(&loss_curve, "step", "cross-entropy");
    record.define_curve(&accuracy_curve, "step", "test accuracy");
    let mut test = |step: u64, net: &SigmoidNet, record: &mut ExperimentRecord| -> Result<f64> {
        let valid = net.valid();
        observe(step, &valid)?;
        let accuracy = accuracy(&valid, &data.test_x, &data.test_y);
        record.push_point(&accuracy_curve, step as f64, accuracy);
        Ok(accuracy)
    };

    ensure!(schedule.steps > 0, "{label}: training needs at least one step");
    let batches = Batches::new(data.n_train(), schedule.batch, run.seed, true)?;
    ensure!(
        batches.batches_per_epoch() > 0,
        "{label}: a batch of {} needs at least that many training images, there are {}",
        schedule.batch,
        data.n_train()
    );
    let mut optimizer = SgdConfig::new().init();
    let progress = Progress::new(label, schedule.steps);
    let mut trace = LossTrace::new(loss_curve, schedule.steps, 100);
    let mut test_accuracy = vec![(0, test(0, &net, record)?)];
    let mut diverged = None;
    let mut step = 0;
    'epochs: for epoch in 0.. {
        for indices in &batches.epoch(epoch) {
            let (x, y) = data.batch(indices, &run.device);
            let loss = net.loss(x, y);
            let value = loss.clone().into_scalar::<f32>() as f64;
            if let Err(error) = ensure_finite(step, "training loss", value) {
                diverged = Some(error);
                break 'epochs;
            }
            trace.observe(step, value, record, &progress);
            let grads = GradientsParams::from_grads(loss.backward(), &net);
            net = optimizer.step(schedule.learning_rate, net, grads);
            step += 1;
            if step % schedule.eval_every == 0 || step == schedule.steps {
                test_accuracy.push((step, test(step, &net, record)?));
            }
            if step == schedule.steps {
                break 'epochs;
            }
        }
    }
    let trained = Trained { net, test_accuracy, final_loss: trace.final_loss(), diverged };
    progress.finish(&[("test accuracy", trained.final_accuracy())]);
    Ok(trained)
}

/// The fraction of `x` `[N, 784]` that `net` classifies as `labels` `[N]`.
pub fn accuracy(net: &SigmoidNet, x: &Tensor<2>, labels: &Tensor<1, Int>) -> f64 {
    logits_accuracy(net.forward(x.clone()), labels)
}

/// The fraction of rows of `logits` `[N, classes]` whose largest entry is at `labels` `[N]`.
pub fn logits_accuracy(logits: Tensor<2>, labels: &Tensor<1, Int>) -> f64 {
    let predicted = logits.argmax(1).flatten::<1>(0, 1);
    let correct = predicted.equal(labels.clone()).int().sum().into_scalar::<i64>();
    correct as f64 / labels.dims()[0] as f64
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
        assert!(err.to_string().contains("batch of 4"), "{err}");
        let no_steps = Schedule { steps: 0, batch: 2, ..big_batch };
        assert!(train("tiny", net, &data, &no_steps, &run, &mut record, |_, _| Ok(())).is_err());
    }
}
