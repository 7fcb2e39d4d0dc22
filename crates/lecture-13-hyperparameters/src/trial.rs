//! What a search has tried: each trial's point, budget and result.

use serde::Serialize;

/// One configuration to train: a unit point of the space and a budget (training steps for the
/// MNIST net; for the synthetic functions, the resource their learning curve is read at).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Request {
    pub point: Vec<f64>,
    pub budget: u64,
}

/// A finished trial. Lower `value` is better (a validation error, a function value).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trial {
    /// 0-based position in the search; the trial's random stream is derived from it.
    pub index: usize,
    pub point: Vec<f64>,
    pub budget: u64,
    pub value: f64,
    /// The work the trial cost, in training steps.
    pub cost: u64,
}

/// All trials of one search, in the order they were asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct History {
    pub trials: Vec<Trial>,
}

impl History {
    pub fn len(&self) -> usize {
        self.trials.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trials.is_empty()
    }

    /// The best (lowest) value after each trial: the best-so-far curve.
    pub fn best_so_far(&self) -> Vec<f64> {
        self.trials
            .iter()
            .scan(f64::INFINITY, |best, t| {
                *best = best.min(t.value);
                Some(*best)
            })
            .collect()
    }

    /// The best trial among those trained with the largest budget used (a Hyperband trial cut
    /// short is not compared with fully trained ones); `None` before any trial.
    pub fn best_at_full_budget(&self) -> Option<&Trial> {
        let full = self.trials.iter().map(|t| t.budget).max()?;
        self.trials.iter().filter(|t| t.budget == full).min_by(|a, b| a.value.total_cmp(&b.value))
    }

    /// The best value over all trials (infinite before any).
    pub fn best_value(&self) -> f64 {
        self.trials.iter().map(|t| t.value).fold(f64::INFINITY, f64::min)
    }

    /// The total cost of all trials, in training steps.
    pub fn total_cost(&self) -> u64 {
        self.trials.iter().map(|t| t.cost).sum()
    }

    /// The number of trials after which the best value first reaches `target` (`None`: never).
    pub fn trials_to_reach(&self, target: f64) -> Option<usize> {
        self.best_so_far().iter().position(|&b| b <= target).map(|i| i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(index: usize, budget: u64, value: f64) -> Trial {
        Trial { index, point: vec![0.5], budget, value, cost: budget }
    }

    #[test]
    fn best_so_far_and_trials_to_reach_a_target() {
        let history = History { trials: vec![trial(0, 9, 3.0), trial(1, 9, 5.0), trial(2, 9, 1.0)] };
        assert_eq!(history.best_so_far(), [3.0, 3.0, 1.0]);
        assert_eq!(history.trials_to_reach(3.0), Some(1));
        assert_eq!(history.trials_to_reach(2.0), Some(3));
        assert_eq!(history.trials_to_reach(0.5), None);
        assert_eq!(history.total_cost(), 27);
    }

    #[test]
    fn the_best_at_full_budget_ignores_trials_cut_short() {
        let history = History { trials: vec![trial(0, 1, 0.1), trial(1, 9, 0.4), trial(2, 9, 0.3)] };
        assert_eq!(history.best_at_full_budget().unwrap().index, 2);
        assert_eq!(history.best_value(), 0.1);
    }
}
