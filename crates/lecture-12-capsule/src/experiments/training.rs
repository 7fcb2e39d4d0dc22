//! How every experiment trains (in the shared loop, [`shared::train::Fit`]) and tests.
//!
//! Adam on mini-batches of shifted training digits ([`shifted_batch`]), epoch after epoch in a
//! seeded order, for a fixed number of steps, the learning rate decaying exponentially (as in the
//! paper); the loss is the model's own
//! ([`Classifier::loss`]). Accuracy is the fraction of an [`ImageSet`] whose arg-max score is
//! the label, computed without autodiff.

use super::data::{ImageSet, TRAINING_SHIFTS, shifted_batch};
use crate::classifier::Classifier;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::prelude::*;
use serde::Serialize;
use shared::data::batching::Batches;
use shared::data::synthetic::seeded_rng;
use shared::data::{LabelledImages, sub_seed};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::train::{Fit, FusedAdamConfig, correct};

/// How long and how a model is trained.
#[derive(Clone, Debug, Serialize)]
pub struct Schedule {
    /// Adam steps, each on one mini-batch.
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    /// The learning rate decays exponentially to this fraction of itself by the last step.
    pub final_lr_fraction: f64,
    /// Training digits are shifted by up to this many whole pixels (the paper: 2).
    pub max_shift: i32,
    /// Points kept on each loss curve.
    pub curve_points: u64,
}

impl Schedule {
    /// `lr * fraction^(step / steps)`.
    pub fn learning_rate_at(&self, step: u64) -> f64 {
        self.learning_rate * self.final_lr_fraction.powf(step as f64 / self.steps as f64)
    }

    fn check(&self) -> Result<()> {
        ensure!(self.steps >= 1 && self.batch >= 1, "nothing to train: {self:?}");
        ensure!(
            self.learning_rate > 0.0 && self.learning_rate.is_finite(),
            "the learning rate must be positive: {self:?}"
        );
        ensure!(
            self.final_lr_fraction > 0.0 && self.final_lr_fraction <= 1.0,
            "the final learning-rate fraction must be in (0, 1]: {self:?}"
        );
        ensure!((0..=6).contains(&self.max_shift), "shifts beyond 6 px push digits off the canvas: {self:?}");
        Ok(())
    }
}

/// Trains `model` on `split` by `schedule` in the shared loop, tracing the loss into curve
/// `name` of `record`. Returns the trained model and its final training loss (mean of the last
/// tenth of the steps).
pub fn train<M: Module + Classifier>(
    run: &Run,
    model: M,
    schedule: &Schedule,
    split: &LabelledImages,
    name: &str,
    record: &mut ExperimentRecord,
) -> Result<(M, f64)> {
    schedule.check()?;
    ensure!(
        schedule.batch <= split.len(),
        "batch {} is larger than the {} digits",
        schedule.batch,
        split.len()
    );
    let device = &run.device;
    let mut batches = Batches::new(split.len(), schedule.batch, run.seed, true)?.stream();
    let mut rng = seeded_rng(sub_seed(run.seed, TRAINING_SHIFTS));
    let fitted = Fit::new(name, schedule.steps, schedule.learning_rate)
        .learning_rate_schedule(|step| schedule.learning_rate_at(step))
        .loss_curve(name, "training loss")
        .curve_points(schedule.curve_points)
        .run(model, FusedAdamConfig::new().init(), record, |model, step| {
            let batch = shifted_batch(split, batches.at(step), schedule.max_shift, &mut rng)?;
            let count = batch.len();
            Ok(model.loss(batch.images_tensor(0, count, device), batch.labels_tensor(0, count, device)))
        })?;
    Ok((fitted.model, fitted.final_loss))
}

/// Images per forward pass when testing.
const TEST_BATCH: usize = 200;

/// The fraction of `set` classified right (the model taken off autodiff first).
pub fn accuracy<M: Module + Classifier>(model: &M, set: &ImageSet, device: &Device) -> f64 {
    let model = model.valid();
    let right: usize = (0..set.len())
        .step_by(TEST_BATCH)
        .map(|start| {
            let count = TEST_BATCH.min(set.len() - start);
            correct(
                model.scores(set.images_tensor(start, count, device)),
                set.labels_tensor(start, count, device),
            )
        })
        .sum();
    right as f64 / set.len().max(1) as f64
}
