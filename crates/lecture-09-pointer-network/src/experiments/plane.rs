//! Pictures of a pointer network's answer on the plane: the points, the true and the predicted
//! polygon, and the pointer's distribution at every step as a heatmap.

use super::pointer_training::test_set;
use crate::decoding::{Decoded, greedy};
use crate::pointer_net::PointerNet;
use crate::tasks::{PointerTask, points};
use anyhow::Result;
use burn::module::Module;
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

/// How [`draw_answer`] names its pictures and polygons.
pub struct AnswerPicture<'a> {
    /// File names start with it: `<stem>-plane.svg`, `<stem>-pointer.svg`.
    pub stem: &'a str,
    pub title: String,
    pub truth: &'a str,
    pub prediction: &'a str,
}

/// `model`'s greedy answer to one test instance of `task` with `n` inputs, on the plane beside
/// the true answer, and the pointer at each step.
pub fn draw_answer(
    run: &Run,
    model: &PointerNet,
    task: PointerTask,
    n: usize,
    picture: AnswerPicture,
) -> Result<()> {
    let batch = test_set(task, n, 1, run.seed)?;
    let plain = run.device.clone().inner();
    let decoded = greedy(&model.valid(), batch.inputs_tensor(&plain), batch.task.stop_rule());
    let cycles: [(&str, &[usize]); 2] =
        [(picture.truth, &batch.answers[0]), (picture.prediction, &decoded.answers[0])];
    let (plane, pointer) = (format!("{}-plane.svg", picture.stem), format!("{}-pointer.svg", picture.stem));
    draw_polygons(run, &plane, &picture.title, &points(batch.instance(0)), &cycles)?;
    draw_pointer(run, &pointer, &format!("{}: the pointer at each step", picture.title), &decoded)
}
