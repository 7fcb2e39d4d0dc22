//! Grid search: `k` levels on every one of the `d` axes, `k^d` trials.
//!
//! ```text
//! levels:  u_i ∈ { (j + 1/2) / k : j = 0..k-1 }       the centres of k equal cells
//! trials:  every combination, in lexicographic order
//! ```
//!
//! With a budget of `B` trials, `k = ⌊B^(1/d)⌋`: 64 trials in 6 dimensions give 2 levels per
//! axis. Whatever the function, the grid tries only `k` distinct values of each hyperparameter;
//! when few of them matter, most trials repeat the important values (Bergstra and Bengio 2012).

use crate::strategy::SearchStrategy;
use crate::trial::{History, Request};
use anyhow::{Result, ensure};
use rand::rngs::StdRng;

/// The full grid, asked for at once.
pub struct GridSearch {
    levels: usize,
    dimensions: usize,
    budget: u64,
    done: bool,
}

impl GridSearch {
    /// `levels` values per axis in `dimensions` dimensions, each trial at `budget`.
    pub fn new(levels: usize, dimensions: usize, budget: u64) -> Result<GridSearch> {
        ensure!(levels >= 1 && dimensions >= 1, "a grid needs at least one level and one dimension");
        Ok(GridSearch { levels, dimensions, budget, done: false })
    }

    /// The largest grid of at most `trials` points: `⌊trials^(1/d)⌋` levels per axis.
    pub fn within(trials: usize, dimensions: usize, budget: u64) -> Result<GridSearch> {
        let mut levels = 1;
        while (levels + 1usize).checked_pow(dimensions as u32).is_some_and(|n| n <= trials) {
            levels += 1;
        }
        GridSearch::new(levels, dimensions, budget)
    }

    /// The levels per axis.
    pub fn levels(&self) -> usize {
        self.levels
    }

    /// Every point of the grid, lexicographic (the last axis varies fastest).
    pub fn points(&self) -> Vec<Vec<f64>> {
        let level = |j: usize| (j as f64 + 0.5) / self.levels as f64;
        let count = self.levels.pow(self.dimensions as u32);
        (0..count)
            .map(|mut n| {
                let mut point = vec![0.0; self.dimensions];
                for axis in (0..self.dimensions).rev() {
                    point[axis] = level(n % self.levels);
                    n /= self.levels;
                }
                point
            })
            .collect()
    }
}

impl SearchStrategy for GridSearch {
    fn name(&self) -> String {
        "grid".to_string()
    }

    fn ask(&mut self, _: &History, _: &mut StdRng) -> Result<Vec<Request>> {
        if std::mem::replace(&mut self.done, true) {
            return Ok(Vec::new());
        }
        Ok(self.points().into_iter().map(|point| Request { point, budget: self.budget }).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_of_64_in_6_dimensions_is_2_levels_of_cell_centres() {
        let grid = GridSearch::within(64, 6, 1).unwrap();
        assert_eq!(grid.levels(), 2);
        let points = grid.points();
        assert_eq!(points.len(), 64);
        assert_eq!(points[0], [0.25; 6]);
        assert_eq!(points[1], [0.25, 0.25, 0.25, 0.25, 0.25, 0.75]);
        assert_eq!(GridSearch::within(728, 6, 1).unwrap().levels(), 2);
        assert_eq!(GridSearch::within(729, 6, 1).unwrap().levels(), 3);
    }
}
