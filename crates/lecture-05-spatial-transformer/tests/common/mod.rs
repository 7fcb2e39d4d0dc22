//! What the claim tests share: every claim runs its quick experiment at three seeds and asserts
//! the median of each number (`shared::stats::median_of`), so no single training trajectory
//! (which another CPU's rounding changes) decides a claim.

use shared::experiment::Run;

pub const CRATE: &str = "lecture-05-spatial-transformer";

/// The seeds of every claim test.
pub const SEEDS: [u64; 3] = [42, 43, 44];

/// `experiment` run once per seed of [`SEEDS`].
pub fn at_seeds<T>(experiment: impl Fn(&Run) -> T) -> Vec<T> {
    Run::at_test_seeds(CRATE, &SEEDS, experiment)
}
