//! How every experiment of this lecture trains: Adam for a fixed number of steps in the shared
//! loop ([`shared::train::Fit`]), one batch per step.

use anyhow::Result;
use burn::module::Module;
use burn::prelude::Tensor;
use serde::Serialize;
use shared::report::ExperimentRecord;
use shared::train::{Fit, FusedAdamConfig};

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

/// Trains `model` in the shared loop for `schedule.steps` Adam steps; `loss_at(model, step)` is
/// the loss of step `step`'s batch (a single-element tensor). The loss goes into `record`'s
/// curve `curve` (whose y axis is `y_label`) and onto a progress bar labelled `curve`. Returns
/// the trained model and the mean loss over the last tenth of the steps.
pub fn train_steps<M: Module>(
    model: M,
    schedule: &Schedule,
    record: &mut ExperimentRecord,
    curve: &str,
    y_label: &str,
    loss_at: impl FnMut(&M, u64) -> Result<Tensor<1>>,
) -> Result<(M, f64)> {
    let fitted = Fit::new(curve, schedule.steps, schedule.learning_rate)
        .loss_curve(curve, y_label)
        .curve_points(schedule.curve_points)
        .run(model, FusedAdamConfig::new().init(), record, loss_at)?;
    Ok((fitted.model, fitted.final_loss))
}
