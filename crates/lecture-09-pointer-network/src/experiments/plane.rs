//! Pictures of a pointer network's answer on the plane: the points, the true and the predicted
//! polygon, and the pointer's distribution at every step as a heatmap.

use crate::decoding::Decoded;
use anyhow::Result;
use shared::experiment::Run;
use shared::plot::{Heatmap, LineChart};

/// Draws `points` (as dots) and each `(name, cycle)` as a closed polygon into `file`.
pub fn draw_polygons(
    run: &Run,
    file: &str,
    title: &str,
    points: &[[f64; 2]],
    cycles: &[(&str, &[usize])],
) -> Result<()> {
    // NaN breaks a line: every point is a segment of its own, drawn as a dot
    let dots = points.iter().flat_map(|p| [(p[0], p[1]), (f64::NAN, f64::NAN)]);
    let mut chart = LineChart::new(title).x_label("x").y_label("y").size(560, 440).series("points", dots);
    for (name, cycle) in cycles {
        let closed = cycle.iter().chain(cycle.first()).map(|&i| (points[i][0], points[i][1]));
        chart = chart.series(*name, closed);
    }
    chart.save_svg(run.picture_path(file))
}

/// The pointer's distribution over STOP and the inputs at each greedy step of instance 0 of
/// `decoded`, as a heatmap into `file`.
pub fn draw_pointer(run: &Run, file: &str, title: &str, decoded: &Decoded) -> Result<()> {
    let steps = &decoded.probabilities[0];
    let classes = steps[0].len();
    let values: Vec<f32> = steps.iter().flatten().copied().collect();
    let columns = std::iter::once("STOP".to_string()).chain((1..classes).map(|j| format!("{}", j - 1)));
    Heatmap::new(&values, steps.len(), classes)
        .title(title)
        .x_label("input point")
        .y_label("output step")
        .column_labels(columns)
        .row_labels((1..=steps.len()).map(|t| t.to_string()))
        .value_range(0.0, 1.0)
        .save_svg(run.picture_path(file))
}
