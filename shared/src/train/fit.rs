//! The supervised training loop: every lecture that trains a classifier or a regressor runs it.
//!
//! ```text
//! evaluate(0, model)                                  (if an evaluation is set)
//! for s in 0..steps:
//!     loss   = loss_at(model, s)                      the lecture draws its batch and computes
//!     stop if loss is NaN or infinite                 (an error, or a stop on request)
//!     model  = optimiser.step(lr(s), model, ∇loss)
//!     after_step(s, model, loss)                      (if a hook is set: timing, logging)
//!     trace loss into the record's curve and the progress bar
//!     every `every` steps and after the last: evaluate(s + 1, model)
//! ```
//!
//! What differs between lectures is a closure: how a step's loss is computed (`loss_at`), how
//! the model is evaluated (`evaluate_every`), the learning rate at each step
//! (`learning_rate_schedule`), anything else to do after a step (`after_step`). The optimiser
//! is any burn `ModuleOptimizer` (Adam, SGD, clipped); a model that burn's autodiff does not
//! differentiate (lecture 03's own engine) brings its gradient and update instead
//! (`run_with_gradients`), and runs in the same loop.

use super::{Diverged, LossTrace, Progress, ensure_finite};
use crate::report::ExperimentRecord;
use anyhow::{Context, Result, ensure};
use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::Tensor;

/// A step's evaluation: `(step, value)` with `step` the number of updates made so far.
type Evaluate<'a, M> = Box<dyn FnMut(u64, &M) -> Result<f64> + 'a>;

/// What to do after a step: `(step, updated model, the step's loss)`.
type AfterStep<'a, M> = Box<dyn FnMut(u64, &M, f64) -> Result<()> + 'a>;

/// What the loop does besides descending the loss; see the module docs.
pub struct Fit<'a, M> {
    label: String,
    steps: u64,
    learning_rate: Box<dyn Fn(u64) -> f64 + 'a>,
    loss_curve: String,
    loss_unit: String,
    curve_points: u64,
    evaluation: Option<Evaluation<'a, M>>,
    stop_on_divergence: bool,
    after_step: Option<AfterStep<'a, M>>,
    silent: bool,
}

struct Evaluation<'a, M> {
    every: u64,
    curve: String,
    unit: String,
    evaluate: Evaluate<'a, M>,
}

/// The trained model and what the loop measured.
#[derive(Debug)]
pub struct Fitted<M> {
    pub model: M,
    /// Mean training loss over the last tenth of the steps taken.
    pub final_loss: f64,
    /// `(updates so far, value)` of every evaluation, the first at 0, the last after the last step.
    pub evaluations: Vec<(u64, f64)>,
    /// Where the loss stopped being finite, when the loop was asked to stop there.
    pub diverged: Option<Diverged>,
}

impl<M> Fitted<M> {
    /// The value of the last evaluation (NaN without any).
    pub fn final_evaluation(&self) -> f64 {
        self.evaluations.last().map_or(f64::NAN, |e| e.1)
    }
}

impl<'a, M> Fit<'a, M> {
    /// `steps` optimiser steps at a constant `learning_rate`. `label` names the progress bar,
    /// the error of a diverging run, and the loss curve `<label> train loss`.
    pub fn new(label: impl Into<String>, steps: u64, learning_rate: f64) -> Self {
        let label = label.into();
        Fit {
            loss_curve: format!("{label} train loss"),
            label,
            steps,
            learning_rate: Box::new(move |_| learning_rate),
            loss_unit: "training loss".to_string(),
            curve_points: 100,
            evaluation: None,
            stop_on_divergence: false,
            after_step: None,
            silent: false,
        }
    }

    /// The loss curve's name (default `<label> train loss`) and its y axis.
    pub fn loss_curve(mut self, name: impl Into<String>, unit: impl Into<String>) -> Self {
        self.loss_curve = name.into();
        self.loss_unit = unit.into();
        self
    }

    /// The loss curve's y axis (default "training loss").
    pub fn loss_unit(mut self, unit: impl Into<String>) -> Self {
        self.loss_unit = unit.into();
        self
    }

    /// About how many points the loss curve keeps (default 100).
    pub fn curve_points(mut self, points: u64) -> Self {
        self.curve_points = points;
        self
    }

    /// The learning rate of step `s` is `schedule(s)` instead of the constant.
    pub fn learning_rate_schedule(mut self, schedule: impl Fn(u64) -> f64 + 'a) -> Self {
        self.learning_rate = Box::new(schedule);
        self
    }

    /// Evaluates the model before training, every `every` steps and after the last step, into
    /// the record's curve `<label> <name>`; `evaluate(updates, model)` gets the training model
    /// (take `model.valid()` for test mode).
    pub fn evaluate_every(
        mut self,
        every: u64,
        name: &str,
        evaluate: impl FnMut(u64, &M) -> Result<f64> + 'a,
    ) -> Self {
        let curve = format!("{} {name}", self.label);
        self.evaluation =
            Some(Evaluation { every, curve, unit: name.to_string(), evaluate: Box::new(evaluate) });
        self
    }

    /// A non-finite loss ends training without an error: [`Fitted::diverged`] says where
    /// (for experiments in which divergence is a result, e.g. too large a learning rate).
    pub fn stop_on_divergence(mut self) -> Self {
        self.stop_on_divergence = true;
        self
    }

    /// Calls `after(step, model, loss)` after every optimiser step, before the evaluation: the
    /// 0-based step, the updated model and the step's loss. For what the loop does not do itself,
    /// e.g. timing each step from the start of `loss_at`; an error ends training with it.
    pub fn after_step(mut self, after: impl FnMut(u64, &M, f64) -> Result<()> + 'a) -> Self {
        self.after_step = Some(Box::new(after));
        self
    }

    /// No progress bar and no summary line: for many short runs, e.g. the trials of a
    /// hyperparameter search (hundreds of them, several at once on different threads).
    pub fn silent(mut self) -> Self {
        self.silent = true;
        self
    }
}

impl<M: Module> Fit<'_, M> {
    /// Trains `model` with `optimiser` on `loss_at(model, step)`, a single-element loss of the
    /// batch the closure draws for `step`. The loss (and the evaluation, if any) go into
    /// `record` as curves; a NaN or infinite loss is an error naming the label, unless
    /// [`Fit::stop_on_divergence`] was asked for.
    pub fn run(
        self,
        model: M,
        mut optimiser: ModuleOptimizer,
        record: &mut ExperimentRecord,
        mut loss_at: impl FnMut(&M, u64) -> Result<Tensor<1>>,
    ) -> Result<Fitted<M>> {
        self.run_with_gradients(
            model,
            record,
            |model, step| {
                let loss = loss_at(model, step)?;
                Ok((loss.clone().into_scalar::<f64>(), loss))
            },
            |model, loss, learning_rate| {
                let gradients = GradientsParams::from_grads(loss.backward(), &model);
                optimiser.step(learning_rate, model, gradients)
            },
        )
    }
}

impl<'a, M> Fit<'a, M> {
    /// The loop with the differentiation and the update in the caller's hands, for a model
    /// that burn's autodiff does not train (a lecture's own differentiation engine):
    /// `loss_and_gradients(model, step)` gives the step's loss and whatever `update(model,
    /// gradients, learning rate)` needs; the update is skipped when the loss is not finite.
    pub fn run_with_gradients<G>(
        mut self,
        mut model: M,
        record: &mut ExperimentRecord,
        mut loss_and_gradients: impl FnMut(&M, u64) -> Result<(f64, G)>,
        mut update: impl FnMut(M, G, f64) -> M,
    ) -> Result<Fitted<M>> {
        ensure!(self.steps > 0, "{}: training needs at least one step", self.label);
        if let Some(evaluation) = &self.evaluation {
            ensure!(evaluation.every > 0, "{}: evaluating every 0 steps is not a schedule", self.label);
        }
        record.define_curve(&self.loss_curve, "step", &self.loss_unit);
        let progress = if self.silent {
            Progress::hidden(&self.label, self.steps)
        } else {
            Progress::new(&self.label, self.steps)
        };
        let mut trace = LossTrace::new(&self.loss_curve, self.steps, self.curve_points);
        let mut evaluations = Vec::new();
        self.evaluate(0, &model, record, &mut evaluations)?;
        let mut diverged = None;
        for step in 0..self.steps {
            let (loss, gradients) = loss_and_gradients(&model, step)?;
            let value = match ensure_finite(step, "training loss", loss) {
                Ok(value) => value,
                Err(error) if self.stop_on_divergence => {
                    diverged = Some(error);
                    break;
                }
                Err(error) => return Err(error).with_context(|| format!("{} diverged", self.label)),
            };
            model = update(model, gradients, (self.learning_rate)(step));
            if let Some(after) = &mut self.after_step {
                after(step, &model, value)?;
            }
            trace.observe(step, value, record, &progress);
            if self.evaluation.as_ref().is_some_and(|e| (step + 1) % e.every == 0 || step + 1 == self.steps) {
                self.evaluate(step + 1, &model, record, &mut evaluations)?;
            }
        }
        let fitted = Fitted { model, final_loss: trace.final_loss(), evaluations, diverged };
        self.finish(&progress, &fitted);
        Ok(fitted)
    }

    /// Runs the evaluation, if any, at `updates` and records its value.
    fn evaluate(
        &mut self,
        updates: u64,
        model: &M,
        record: &mut ExperimentRecord,
        evaluations: &mut Vec<(u64, f64)>,
    ) -> Result<()> {
        if let Some(evaluation) = &mut self.evaluation {
            if updates == 0 {
                record.define_curve(&evaluation.curve, "step", &evaluation.unit);
            }
            let value = (evaluation.evaluate)(updates, model)?;
            record.push_point(&evaluation.curve, updates as f64, value);
            evaluations.push((updates, value));
        }
        Ok(())
    }

    /// Closes the progress bar with the final loss and evaluation.
    fn finish(&self, progress: &Progress, fitted: &Fitted<M>) {
        if self.silent {
            return;
        }
        let mut numbers = vec![("loss", fitted.final_loss)];
        if let Some(evaluation) = &self.evaluation {
            numbers.push((evaluation.unit.as_str(), fitted.final_evaluation()));
        }
        progress.finish(&numbers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::seeded;
    use burn::nn::{Linear, LinearConfig};
    use burn::optim::SgdConfig;
    use burn::prelude::{Device, TensorData};

    /// Inputs `[8, 1]` of 0..8 / 8 and targets `3 x + 1`.
    fn line(device: &Device) -> (Tensor<2>, Tensor<2>) {
        let x: Vec<f32> = (0..8).map(|i| i as f32 / 8.0).collect();
        let y: Vec<f32> = x.iter().map(|x| 3.0 * x + 1.0).collect();
        (
            Tensor::from_data(TensorData::new(x, [8, 1]), device),
            Tensor::from_data(TensorData::new(y, [8, 1]), device),
        )
    }

    fn mse(model: &Linear, (x, y): &(Tensor<2>, Tensor<2>)) -> Tensor<1> {
        (model.forward(x.clone()) - y.clone()).powi_scalar(2).mean()
    }

    /// Trains `model` on the line by `fit` with SGD, into a scratch record.
    fn train_line(
        fit: Fit<'_, Linear>,
        model: Linear,
        data: &(Tensor<2>, Tensor<2>),
    ) -> Result<Fitted<Linear>> {
        let mut record = ExperimentRecord::new("lecture-99-demo", "fit");
        fit.run(model, SgdConfig::new().init(), &mut record, |model, _| Ok(mse(model, data)))
    }

    fn fit(
        label: &str,
        steps: u64,
        learning_rate: f64,
        every: u64,
    ) -> Result<(Fitted<Linear>, ExperimentRecord)> {
        seeded(1, |device| {
            let data = line(device);
            let model = LinearConfig::new(1, 1).init(device);
            let mut record = ExperimentRecord::new("lecture-99-demo", "fit");
            let fitted = Fit::new(label, steps, learning_rate)
                .evaluate_every(every, "test MSE", |_, model: &Linear| {
                    Ok(mse(model, &data).into_scalar::<f64>())
                })
                .run(model, SgdConfig::new().init(), &mut record, |model, _| Ok(mse(model, &data)))?;
            Ok((fitted, record))
        })
    }

    #[test]
    fn descends_the_loss_and_evaluates_before_every_k_steps_and_after_the_last() {
        let (fitted, record) = fit("line", 300, 0.5, 100).unwrap();
        let steps: Vec<u64> = fitted.evaluations.iter().map(|e| e.0).collect();
        assert_eq!(steps, [0, 100, 200, 300]);
        assert!(fitted.evaluations[0].1 > 1.0, "untrained: {:?}", fitted.evaluations);
        assert!(fitted.final_evaluation() < 1e-3, "trained: {:?}", fitted.evaluations);
        assert!(fitted.final_loss < 1e-3 && fitted.diverged.is_none());
        assert_eq!(record.curves["line test MSE"].points.len(), 4);
        assert!(record.curves["line train loss"].points.len() >= 100);
    }

    #[test]
    fn a_diverging_run_is_an_error_naming_the_label_unless_asked_to_stop() {
        let message = format!("{:#}", fit("wild", 200, 1e6, 50).unwrap_err());
        assert!(message.contains("wild diverged") && message.contains("training loss"), "{message}");
        let stopped = seeded(1, |device| {
            let data = line(device);
            train_line(
                Fit::new("wild", 200, 1e6).stop_on_divergence(),
                LinearConfig::new(1, 1).init(device),
                &data,
            )
        })
        .unwrap();
        let diverged = stopped.diverged.expect("the loss overflows");
        assert!(diverged.step > 0 && diverged.step < 200, "{diverged:?}");
    }

    #[test]
    fn the_schedule_sets_each_steps_learning_rate() {
        let frozen = seeded(1, |device| {
            let data = line(device);
            let model = LinearConfig::new(1, 1).init(device);
            let before = mse(&model, &data).into_scalar::<f64>();
            let fitted =
                train_line(Fit::new("frozen", 20, 0.5).learning_rate_schedule(|_| 0.0), model, &data)
                    .unwrap();
            (before, fitted.final_loss)
        });
        assert_eq!(frozen.0, frozen.1, "a zero learning rate leaves the model as it was");
    }

    #[test]
    fn after_step_sees_every_step_its_updated_model_and_its_loss_and_can_stop_the_run() {
        let (seen, stopped) = seeded(1, |device| {
            let data = line(device);
            let mut seen = Vec::new();
            let watched = Fit::new("hooked", 5, 0.5).after_step(|step, model: &Linear, loss| {
                seen.push((step, loss, mse(model, &data).into_scalar::<f64>()));
                Ok(())
            });
            train_line(watched, LinearConfig::new(1, 1).init(device), &data).unwrap();
            let stopping = Fit::new("hooked", 5, 0.5).after_step(|step, _: &Linear, _| {
                ensure!(step < 2, "enough at step {step}");
                Ok(())
            });
            let stopped = train_line(stopping, LinearConfig::new(1, 1).init(device), &data).unwrap_err();
            (seen, stopped.to_string())
        });
        assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        for pair in seen.windows(2) {
            // the loss passed is the step's own (before its update); the model is the updated one
            assert!(pair[1].1 == pair[0].2 && pair[0].2 < pair[0].1, "{seen:?}");
        }
        assert_eq!(stopped, "enough at step 2");
    }

    #[test]
    fn zero_steps_or_an_evaluation_every_zero_steps_is_an_error() {
        assert!(fit("none", 0, 0.1, 1).unwrap_err().to_string().contains("at least one step"));
        assert!(fit("never", 10, 0.1, 0).unwrap_err().to_string().contains("every 0 steps"));
    }
}
