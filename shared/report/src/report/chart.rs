//! Drawing a record's curves: the usual end of a run is a loss chart from the curves it logged.

use super::record::ExperimentRecord;
use crate::plot::LineChart;
use anyhow::{Result, bail};

impl ExperimentRecord {
    /// A line chart of the curves `names`, in that order; the axes are named after the first.
    /// An error names a missing curve and the curves there are.
    pub fn curve_chart(&self, title: impl Into<String>, names: &[&str]) -> Result<LineChart> {
        let mut chart = LineChart::new(title);
        for (index, name) in names.iter().enumerate() {
            let Some(curve) = self.curves.get(*name) else {
                let known: Vec<&String> = self.curves.keys().collect();
                bail!("{} / {} has no curve {name:?}; it has {known:?}", self.crate_name, self.experiment);
            };
            if index == 0 {
                chart = chart.x_label(&curve.x_label).y_label(&curve.y_label);
            }
            chart = chart.series(*name, curve.points.iter().copied());
        }
        Ok(chart)
    }
}
