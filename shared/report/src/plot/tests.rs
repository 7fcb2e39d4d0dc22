//! Tests of the finished SVG charts: well formed, complete, nice ticks, NaN handled.

use super::svg_check::assert_well_formed;
use super::{LineChart, ScatterPlot};

/// The contents of every `<text>` of font size `size`, in document order.
fn texts_of_size(svg: &str, size: &str) -> Vec<String> {
    let marker = format!(r#"font-size="{size}""#);
    svg.lines()
        .filter(|line| line.starts_with("<text") && line.contains(&marker))
        .map(|line| {
            let start = line.find('>').unwrap() + 1;
            line[start..line.len() - "</text>".len()].to_string()
        })
        .collect()
}

/// The numbers of the tick labels (font size 11): x ticks first, then y ticks.
fn tick_values(svg: &str) -> Vec<f64> {
    texts_of_size(svg, "11")
        .iter()
        .map(|t| t.parse().unwrap_or_else(|_| panic!("tick label {t:?}")))
        .collect()
}

/// Whether `step` is 1, 2 or 5 times a power of ten.
fn is_nice_step(step: f64) -> bool {
    let mantissa = step / 10f64.powf(step.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-6)
}

/// Splits tick values into runs of evenly rising values (one run per axis).
fn axis_runs(values: &[f64]) -> Vec<Vec<f64>> {
    let mut runs: Vec<Vec<f64>> = vec![vec![values[0]]];
    for pair in values.windows(2) {
        let run = runs.last_mut().unwrap();
        let continues =
            pair[1] > pair[0] && (run.len() < 2 || ((pair[1] - pair[0]) - (run[1] - run[0])).abs() < 1e-9);
        if continues { run.push(pair[1]) } else { runs.push(vec![pair[1]]) }
    }
    runs
}

fn loss_chart() -> LineChart {
    LineChart::new("Loss & accuracy <test>")
        .x_label("epoch")
        .y_label("loss")
        .series("train", (0..=30).map(|e| (e as f64, 2.3 * (-0.1 * e as f64).exp())))
        .series("valid", (0..=30).map(|e| (e as f64, 2.4 * (-0.08 * e as f64).exp() + 0.05)))
        .reference_line("chance", 2.303)
}

#[test]
fn a_line_chart_is_well_formed_and_names_everything() {
    let svg = loss_chart().to_svg();
    assert_well_formed(&svg);
    for text in [
        ">Loss &amp; accuracy &lt;test&gt;</text>",
        ">train</text>",
        ">valid</text>",
        ">chance</text>",
        ">epoch</text>",
        ">loss</text>",
    ] {
        assert!(svg.contains(text), "{text} missing");
    }
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert_eq!(svg.matches("stroke-dasharray").count(), 2, "the reference line and its legend mark");
}

#[test]
fn line_chart_ticks_are_nice_and_enclose_the_data() {
    let values = tick_values(&loss_chart().to_svg());
    let runs = axis_runs(&values);
    assert_eq!(runs.len(), 2, "one run of ticks per axis: {values:?}");
    let (x, y) = (&runs[0], &runs[1]);
    assert!(x[0] <= 0.0 && *x.last().unwrap() >= 30.0, "{x:?}");
    assert!(y[0] <= 0.0 && *y.last().unwrap() >= 2.45, "{y:?}");
    for run in &runs {
        assert!((3..=11).contains(&run.len()), "{run:?}");
        assert!(is_nice_step(run[1] - run[0]), "{run:?}");
        assert!(
            run.iter().all(|v| (v / (run[1] - run[0])).fract().abs() < 1e-9),
            "ticks are multiples of the step: {run:?}"
        );
    }
}

#[test]
fn log_scale_ticks_are_powers_of_ten() {
    let svg = LineChart::new("perplexity")
        .series("lm", [(1.0, 800.0), (2.0, 90.0), (3.0, 4.2)])
        .log_y(true)
        .to_svg();
    assert_well_formed(&svg);
    let y_labels: Vec<String> = texts_of_size(&svg, "11").into_iter().skip_while(|t| t != "1").collect();
    assert_eq!(y_labels, ["1", "10", "100", "1000"]);
}

#[test]
fn non_finite_points_break_the_line_and_never_reach_the_svg() {
    let points = [(0.0, 1.0), (1.0, f64::NAN), (2.0, 3.0), (3.0, 4.0), (f64::INFINITY, 5.0)];
    let svg = LineChart::new("gaps").series("s", points).to_svg();
    assert_well_formed(&svg);
    assert_eq!(svg.matches("<polyline").count(), 1, "only the run (2, 3), (3, 4) is a line");
    let polyline = svg.lines().find(|l| l.starts_with("<polyline")).unwrap();
    assert_eq!(polyline.split("points=\"").nth(1).unwrap().split('"').next().unwrap().split(' ').count(), 2);
    for bad in ["NaN", "inf"] {
        assert!(!svg.contains(bad), "{bad} leaked into the SVG");
    }
    let x_ticks = tick_values(&svg);
    assert!(x_ticks.iter().all(|v| v.abs() < 10.0), "an infinite x does not stretch the axis: {x_ticks:?}");
}

#[test]
fn a_series_of_only_nan_still_renders_with_its_legend_row() {
    let svg = LineChart::new("diverged")
        .series("selu", [(0.0, f64::NAN), (1.0, f64::NAN)])
        .series("ok", [(0.0, 1.0), (1.0, 0.5)])
        .to_svg();
    assert_well_formed(&svg);
    assert!(svg.contains(">selu (no finite points)</text>"));
    assert!(svg.contains(">ok</text>"));
    let empty = LineChart::new("nothing").series("none", [(f64::NAN, f64::NAN)]).log_y(true).to_svg();
    assert_well_formed(&empty);
}

#[test]
fn log_scale_skips_non_positive_values() {
    let svg = LineChart::new("log")
        .series("s", [(0.0, 0.0), (1.0, -2.0), (2.0, 0.5), (3.0, 0.05)])
        .log_y(true)
        .to_svg();
    assert_eq!(svg.matches("<polyline").count(), 1);
    let y_labels: Vec<String> = texts_of_size(&svg, "11").into_iter().skip_while(|t| t != "0.01").collect();
    assert_eq!(y_labels, ["0.01", "0.1", "1"]);
}

#[test]
fn save_svg_writes_the_chart_and_no_temporary_file() {
    let dir = std::env::temp_dir().join(format!("shared-plot-save-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("charts/loss.svg");
    loss_chart().save_svg(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), loss_chart().to_svg());
    let names: Vec<_> =
        std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["loss.svg"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_scatter_plot_draws_every_finite_point_and_its_label() {
    let svg = ScatterPlot::new("mixture")
        .group("real", [(0.0, 0.0), (1.0, 1.0), (f64::NAN, 2.0)])
        .labelled_group("generated", [((0.5, 0.2), "g1"), ((0.4, -0.3), "g&2")])
        .to_svg();
    assert_well_formed(&svg);
    assert_eq!(svg.matches("fill-opacity").count(), 4, "the NaN point is skipped");
    for text in [">mixture</text>", ">real</text>", ">generated</text>", ">g1</text>", ">g&amp;2</text>"] {
        assert!(svg.contains(text), "{text} missing");
    }
}
