//! The training loop every experiment shares: Adam for a fixed number of steps, one batch per
//! step, the loss traced into the record, a progress bar, and a stop with an error if the loss
//! stops being finite.

use anyhow::Result;
use burn::module::Module;
use burn::optim::GradientsParams;
use burn::prelude::Tensor;
use serde::Serialize;
use shared::report::ExperimentRecord;
use shared::train::{FusedAdamConfig, LossTrace, Progress, ensure_finite};

/// How long and how fast to train.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Schedule {
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    /// Test examples used for the test numbers.
    pub test_size: usize,
    /// Points kept on each loss curve.
    pub curve_points: u64,
}

/// Trains `model` for `schedule.steps` Adam steps; `loss_at(model, step)` is the loss of step
/// `step`'s batch (a single-element tensor). The loss goes into `record`'s curve `curve` (whose
/// y axis is `y_label`) and onto a progress bar labelled `curve`. Returns the trained model and
/// the mean loss over the last tenth of the steps.
pub fn train_steps<M: Module>(
    mut model: M,
    schedule: &Schedule,
    record: &mut ExperimentRecord,
    curve: &str,
    y_label: &str,
    mut loss_at: impl FnMut(&M, u64) -> Result<Tensor<1>>,
) -> Result<(M, f64)> {
    let mut optimizer = FusedAdamConfig::new().init();
    record.define_curve(curve, "step", y_label);
    let progress = Progress::new(curve, schedule.steps);
    let mut trace = LossTrace::new(curve, schedule.steps, schedule.curve_points);
    for step in 0..schedule.steps {
        let loss = loss_at(&model, step)?;
        let value = ensure_finite(step, "loss", loss.clone().into_scalar::<f64>())?;
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(schedule.learning_rate, model, gradients);
        trace.observe(step, value, record, &progress);
    }
    let final_loss = trace.final_loss();
    progress.finish(&[("loss", final_loss)]);
    Ok((model, final_loss))
}
