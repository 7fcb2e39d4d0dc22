//! Early stopping: end training when a validation metric has stopped improving.
//!
//! After each evaluation the metric is compared with the best value so far; an improvement of
//! more than `min_delta` resets the count, anything else adds one, and after `patience`
//! evaluations without improvement the verdict is [`Verdict::Stop`].

/// Whether a smaller or a larger metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Loss, error rate, perplexity.
    Minimize,
    /// Accuracy, reward.
    Maximize,
}

/// What to do after an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The metric reached a new best: keep (or checkpoint) this model.
    Improved,
    /// No improvement yet, but patience is not used up.
    Continue,
    /// `patience` evaluations in a row without improvement.
    Stop,
}

/// Tracks the best value of a metric and how long ago it was reached.
#[derive(Clone, Debug)]
pub struct EarlyStopping {
    goal: Goal,
    patience: usize,
    min_delta: f64,
    best: Option<(u64, f64)>,
    evaluations_since_best: usize,
}

impl EarlyStopping {
    /// Stops after `patience` evaluations that do not beat the best by more than `min_delta`.
    pub fn new(goal: Goal, patience: usize, min_delta: f64) -> Self {
        Self { goal, patience, min_delta: min_delta.abs(), best: None, evaluations_since_best: 0 }
    }

    /// Records the metric `value` measured at `step` and says what to do next.
    /// A non-finite value never counts as an improvement.
    pub fn observe(&mut self, step: u64, value: f64) -> Verdict {
        if value.is_finite() && self.beats_best(value) {
            self.best = Some((step, value));
            self.evaluations_since_best = 0;
            return Verdict::Improved;
        }
        self.evaluations_since_best += 1;
        if self.evaluations_since_best >= self.patience { Verdict::Stop } else { Verdict::Continue }
    }

    /// The best `(step, value)` seen so far.
    pub fn best(&self) -> Option<(u64, f64)> {
        self.best
    }

    fn beats_best(&self, value: f64) -> bool {
        match (self.best, self.goal) {
            (None, _) => true,
            (Some((_, best)), Goal::Minimize) => value < best - self.min_delta,
            (Some((_, best)), Goal::Maximize) => value > best + self.min_delta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_after_patience_evaluations_without_improvement() {
        let mut stopper = EarlyStopping::new(Goal::Minimize, 2, 0.0);
        assert_eq!(stopper.observe(1, 1.0), Verdict::Improved);
        assert_eq!(stopper.observe(2, 0.5), Verdict::Improved);
        assert_eq!(stopper.observe(3, 0.7), Verdict::Continue);
        assert_eq!(stopper.observe(4, 0.4), Verdict::Improved, "an improvement resets patience");
        assert_eq!(stopper.observe(5, 0.4), Verdict::Continue, "equal is not better");
        assert_eq!(stopper.observe(6, 0.9), Verdict::Stop);
        assert_eq!(stopper.best(), Some((4, 0.4)));
    }

    #[test]
    fn min_delta_and_goal_are_respected() {
        let mut stopper = EarlyStopping::new(Goal::Maximize, 1, 0.01);
        assert_eq!(stopper.observe(1, 0.90), Verdict::Improved);
        assert_eq!(stopper.observe(2, 0.905), Verdict::Stop, "+0.005 is below min_delta");
        let mut stopper = EarlyStopping::new(Goal::Maximize, 3, 0.01);
        stopper.observe(1, 0.90);
        assert_eq!(stopper.observe(2, 0.95), Verdict::Improved);
    }

    #[test]
    fn nan_is_never_an_improvement() {
        let mut stopper = EarlyStopping::new(Goal::Minimize, 5, 0.0);
        assert_eq!(stopper.observe(1, f64::NAN), Verdict::Continue);
        assert_eq!(stopper.best(), None);
        assert_eq!(stopper.observe(2, 3.0), Verdict::Improved);
    }
}
