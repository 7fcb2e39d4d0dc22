//! What the claim tests share: every claim runs its quick experiment at three seeds and asserts
//! the median of each number, so no single training trajectory (which another CPU's rounding
//! changes) decides a claim.

use shared::experiment::Run;
use shared::stats::median;

pub const CRATE: &str = "lecture-05-spatial-transformer";

/// The seeds of every claim test.
pub const SEEDS: [u64; 3] = [42, 43, 44];

/// `experiment` run once per seed of [`SEEDS`].
pub fn at_seeds<T>(experiment: impl Fn(&Run) -> T) -> Vec<T> {
    SEEDS.into_iter().map(|seed| experiment(&Run::for_test(CRATE, seed))).collect()
}

/// The median over the runs of one number.
pub fn median_of<T>(runs: &[T], number: impl Fn(&T) -> f64) -> f64 {
    median(&runs.iter().map(number).collect::<Vec<_>>())
}
