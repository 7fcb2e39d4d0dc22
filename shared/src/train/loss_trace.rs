//! Following a training loss: a curve in the record, the progress bar, and a final value.
//!
//! One mini-batch's loss is noisy, so the final loss is the mean over the last tenth of the
//! steps; the curve keeps about `points` evenly spaced values (and always the last step), so a
//! long run does not write a point per step.

use super::Progress;
use crate::report::ExperimentRecord;

/// The loss of one training run, as it goes.
pub struct LossTrace {
    curve: String,
    steps: u64,
    every: u64,
    tail: Vec<f64>,
}

impl LossTrace {
    /// Traces `steps` steps into the record's curve `curve` (defined by the caller), keeping
    /// about `points` points.
    pub fn new(curve: impl Into<String>, steps: u64, points: u64) -> Self {
        Self { curve: curve.into(), steps, every: (steps / points.max(1)).max(1), tail: Vec::new() }
    }

    /// Records the loss `value` of step `step` (0-based).
    pub fn observe(&mut self, step: u64, value: f64, record: &mut ExperimentRecord, progress: &Progress) {
        if step.is_multiple_of(self.every) || step + 1 == self.steps {
            record.push_point(&self.curve, step as f64, value);
            progress.update(step + 1, &[("loss", value)]);
        }
        if step >= self.steps - self.steps.div_ceil(10) {
            self.tail.push(value);
        }
    }

    /// The mean loss over the last tenth of the steps (NaN before any of them).
    pub fn final_loss(&self) -> f64 {
        self.tail.iter().sum::<f64>() / self.tail.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_about_the_asked_points_and_averages_the_last_tenth() {
        let mut record = ExperimentRecord::new("lecture-99-demo", "trace");
        record.define_curve("loss", "step", "loss");
        let progress = Progress::hidden("trace", 100);
        let mut trace = LossTrace::new("loss", 100, 10);
        for step in 0..100 {
            trace.observe(step, step as f64, &mut record, &progress);
        }
        let points = &record.curves["loss"].points;
        assert_eq!(points.len(), 11, "every 10th step and the last: {points:?}");
        assert_eq!(points.last(), Some(&(99.0, 99.0)));
        assert_eq!(trace.final_loss(), (90..100).sum::<u64>() as f64 / 10.0);
        assert_eq!(progress.position(), 100);
    }
}
