//! Best-so-far curves over many seeds: what every experiment draws.

use crate::trial::History;
use shared::report::ExperimentRecord;
use shared::stats::median;

/// The median over `histories` of the best value after each trial (as long as the shortest).
pub fn median_best_so_far(histories: &[History]) -> Vec<f64> {
    let curves: Vec<Vec<f64>> = histories.iter().map(History::best_so_far).collect();
    let length = curves.iter().map(Vec::len).min().unwrap_or(0);
    (0..length).map(|i| median(&curves.iter().map(|c| c[i]).collect::<Vec<_>>())).collect()
}

/// Records `curve` (value after trial 1, 2, ...) as the record's curve `name`.
pub fn record_curve(record: &mut ExperimentRecord, name: &str, y_label: &str, curve: &[f64]) {
    record.define_curve(name, "trials", y_label);
    for (i, &y) in curve.iter().enumerate() {
        record.push_point(name, (i + 1) as f64, y);
    }
}
