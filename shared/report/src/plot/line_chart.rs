//! Line charts of training curves: several named series, optional log y axis and dashed
//! horizontal reference lines ("chance", "the paper's number"), written as SVG.
//!
//! Points whose x or y is NaN or infinite (or `<= 0` on a log axis) are skipped and break the
//! line there, so a diverging run shows where it stopped being a number. A series with no
//! drawable point still gets its legend row, marked "(no finite points)".

use super::axes::{Axes, Labels};
use super::legend::{LegendEntry, Mark, draw_legend, legend_width};
use super::palette::{hex, series_colour};
use super::scale::Scale;
use super::svg::SvgDocument;
use crate::atomic::write_atomic;
use anyhow::Result;
use std::path::Path;

/// Series with at most this many points get a dot on every point.
const MAX_POINTS_WITH_MARKERS: usize = 40;
/// Dash patterns of the reference lines, in turn.
const REFERENCE_DASHES: [&str; 3] = ["7 4", "2 3", "10 3 2 3"];
const REFERENCE_COLOUR: &str = "#555555";

/// A line chart being built; see the module documentation.
///
/// ```
/// use shared_report::plot::LineChart;
/// let svg = LineChart::new("Training loss")
///     .x_label("epoch")
///     .y_label("cross-entropy")
///     .series("train", [(1.0, 2.3), (2.0, 1.1), (3.0, 0.6)])
///     .reference_line("chance", 2.303)
///     .to_svg();
/// assert!(svg.contains("Training loss"));
/// ```
#[derive(Clone, Debug)]
pub struct LineChart {
    labels: Labels,
    series: Vec<Series>,
    references: Vec<ReferenceLine>,
    log_y: bool,
    width: f64,
    height: f64,
}

#[derive(Clone, Debug)]
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
}

#[derive(Clone, Debug)]
struct ReferenceLine {
    name: String,
    y: f64,
}

impl LineChart {
    /// An empty 720 x 440 chart with a title.
    pub fn new(title: impl Into<String>) -> LineChart {
        LineChart {
            labels: Labels { title: title.into(), ..Labels::default() },
            series: Vec::new(),
            references: Vec::new(),
            log_y: false,
            width: 720.0,
            height: 440.0,
        }
    }

    /// Names the x axis.
    pub fn x_label(mut self, label: impl Into<String>) -> LineChart {
        self.labels.x = label.into();
        self
    }

    /// Names the y axis.
    pub fn y_label(mut self, label: impl Into<String>) -> LineChart {
        self.labels.y = label.into();
        self
    }

    /// Adds a series of `(x, y)` points, drawn in the order given.
    pub fn series(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> LineChart {
        self.series.push(Series { name: name.into(), points: points.into_iter().collect() });
        self
    }

    /// Adds a dashed horizontal line at `y` named `name` in the legend.
    pub fn reference_line(mut self, name: impl Into<String>, y: f64) -> LineChart {
        self.references.push(ReferenceLine { name: name.into(), y });
        self
    }

    /// Puts the y axis on a log10 scale (ticks at powers of ten).
    pub fn log_y(mut self, log_y: bool) -> LineChart {
        self.log_y = log_y;
        self
    }

    /// Sets the page size in pixels (default 720 x 440).
    pub fn size(mut self, width: u32, height: u32) -> LineChart {
        self.width = width as f64;
        self.height = height as f64;
        self
    }

    /// The chart as an SVG document.
    pub fn to_svg(&self) -> String {
        let legend = self.legend_entries();
        let right_margin = legend_width(&legend) + 32.0;
        let axes = Axes::layout(self.width, self.height, right_margin, self.x_scale(), self.y_scale());
        let mut document = SvgDocument::new(self.width, self.height);
        axes.draw(&mut document, &self.labels);
        self.draw_references(&mut document, &axes);
        for (index, series) in self.series.iter().enumerate() {
            draw_series(&mut document, &axes, series, &hex(series_colour(index)));
        }
        draw_legend(&mut document, axes.right() + 16.0, axes.top, &legend);
        document.finish()
    }

    /// Writes the SVG to `path` atomically (creating its directory).
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path, self.to_svg().as_bytes())
    }

    fn x_scale(&self) -> Scale {
        Scale::linear_fit(self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)))
    }

    fn y_scale(&self) -> Scale {
        let data = self.series.iter().flat_map(|s| s.points.iter().filter(|p| p.0.is_finite()).map(|p| p.1));
        let values = data.chain(self.references.iter().map(|r| r.y));
        if self.log_y { Scale::log_fit(values) } else { Scale::linear_fit(values) }
    }

    /// Whether a point has a place on this chart's axes.
    fn is_drawable(&self, (x, y): (f64, f64)) -> bool {
        x.is_finite() && y.is_finite() && (!self.log_y || y > 0.0)
    }

    fn draw_references(&self, document: &mut SvgDocument, axes: &Axes) {
        for (index, reference) in self.references.iter().enumerate() {
            let Some(y) = axes.pixel_y(reference.y) else {
                continue;
            };
            let dash = REFERENCE_DASHES[index % REFERENCE_DASHES.len()];
            document.line((axes.left, y), (axes.right(), y), REFERENCE_COLOUR, 1.5, Some(dash));
        }
    }

    fn legend_entries(&self) -> Vec<LegendEntry> {
        let series = self.series.iter().enumerate().map(|(index, series)| {
            let drawable = series.points.iter().any(|&point| self.is_drawable(point));
            let name =
                if drawable { series.name.clone() } else { format!("{} (no finite points)", series.name) };
            LegendEntry { name, colour: hex(series_colour(index)), mark: Mark::Line }
        });
        let references = self.references.iter().enumerate().map(|(index, reference)| LegendEntry {
            name: reference.name.clone(),
            colour: REFERENCE_COLOUR.to_string(),
            mark: Mark::Dashed(REFERENCE_DASHES[index % REFERENCE_DASHES.len()]),
        });
        series.chain(references).collect()
    }
}

/// Draws `series` as polylines broken at undrawable points, with dots on short series.
fn draw_series(document: &mut SvgDocument, axes: &Axes, series: &Series, colour: &str) {
    let projected: Vec<Option<(f64, f64)>> = series.points.iter().map(|&(x, y)| axes.project(x, y)).collect();
    for segment in projected.split(Option::is_none) {
        let pixels: Vec<(f64, f64)> = segment.iter().flatten().copied().collect();
        match pixels.len() {
            0 => {}
            1 => document.circle(pixels[0], 3.0, colour, None),
            _ => document.polyline(&pixels, colour, 2.0),
        }
    }
    if series.points.len() <= MAX_POINTS_WITH_MARKERS {
        for pixel in projected.into_iter().flatten() {
            document.circle(pixel, 3.0, colour, Some("#ffffff"));
        }
    }
}
