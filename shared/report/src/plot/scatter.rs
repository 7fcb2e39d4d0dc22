//! Scatter plots: 2-D points in coloured groups (samples of a GAN against the mixture it should
//! learn, a projection of embeddings), with optional text labels beside points, as SVG.
//!
//! Points with a NaN or infinite coordinate are skipped.

use super::axes::{Axes, Labels};
use super::legend::{LegendEntry, Mark, draw_legend, legend_width};
use super::palette::{hex, series_colour};
use super::scale::Scale;
use super::svg::{Anchor, SvgDocument, TextStyle};
use crate::atomic::write_atomic;
use anyhow::Result;
use std::path::Path;

const DOT_RADIUS: f64 = 3.5;
const DOT_OPACITY: f64 = 0.75;
const POINT_LABEL_FONT: f64 = 10.0;

/// A scatter plot being built.
///
/// ```
/// use shared_report::plot::ScatterPlot;
/// let svg = ScatterPlot::new("Word vectors")
///     .labelled_group("animals", [((0.1, 0.2), "cat"), ((0.2, 0.1), "dog")])
///     .group("noise", [(1.0, -1.0)])
///     .to_svg();
/// assert!(svg.contains(">cat</text>"));
/// ```
#[derive(Clone, Debug)]
pub struct ScatterPlot {
    labels: Labels,
    groups: Vec<Group>,
    width: f64,
    height: f64,
}

#[derive(Clone, Debug)]
struct Group {
    name: String,
    points: Vec<(f64, f64)>,
    point_labels: Vec<String>,
}

impl ScatterPlot {
    /// An empty 600 x 480 scatter plot with a title.
    pub fn new(title: impl Into<String>) -> ScatterPlot {
        ScatterPlot {
            labels: Labels { title: title.into(), ..Labels::default() },
            groups: Vec::new(),
            width: 600.0,
            height: 480.0,
        }
    }

    /// Names the x axis.
    pub fn x_label(mut self, label: impl Into<String>) -> ScatterPlot {
        self.labels.x = label.into();
        self
    }

    /// Names the y axis.
    pub fn y_label(mut self, label: impl Into<String>) -> ScatterPlot {
        self.labels.y = label.into();
        self
    }

    /// Sets the page size in pixels (default 600 x 480).
    pub fn size(mut self, width: u32, height: u32) -> ScatterPlot {
        self.width = width as f64;
        self.height = height as f64;
        self
    }

    /// Adds a group of unlabelled points, drawn in the group's own colour.
    pub fn group(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> ScatterPlot {
        let points = points.into_iter().collect();
        self.groups.push(Group { name: name.into(), points, point_labels: Vec::new() });
        self
    }

    /// Adds a group whose points each carry a label written beside them.
    pub fn labelled_group<S: Into<String>>(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = ((f64, f64), S)>,
    ) -> ScatterPlot {
        let (points, point_labels) = points.into_iter().map(|(p, label)| (p, label.into())).unzip();
        self.groups.push(Group { name: name.into(), points, point_labels });
        self
    }

    /// The plot as an SVG document.
    pub fn to_svg(&self) -> String {
        let legend: Vec<LegendEntry> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| LegendEntry {
                name: g.name.clone(),
                colour: hex(series_colour(i)),
                mark: Mark::Dot,
            })
            .collect();
        let x = Scale::linear_fit(self.groups.iter().flat_map(|g| g.points.iter().map(|p| p.0)));
        let y = Scale::linear_fit(self.groups.iter().flat_map(|g| g.points.iter().map(|p| p.1)));
        let axes = Axes::layout(self.width, self.height, legend_width(&legend) + 32.0, x, y);
        let mut document = SvgDocument::new(self.width, self.height);
        axes.draw(&mut document, &self.labels);
        for (index, group) in self.groups.iter().enumerate() {
            draw_group(&mut document, &axes, group, &hex(series_colour(index)));
        }
        draw_legend(&mut document, axes.right() + 16.0, axes.top, &legend);
        document.finish()
    }

    /// Writes the SVG to `path` atomically (creating its directory).
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path, self.to_svg().as_bytes())
    }
}

fn draw_group(document: &mut SvgDocument, axes: &Axes, group: &Group, colour: &str) {
    for (index, &(x, y)) in group.points.iter().enumerate() {
        let Some(pixel) = axes.project(x, y) else {
            continue;
        };
        document.dot(pixel, DOT_RADIUS, colour, DOT_OPACITY);
        if let Some(label) = group.point_labels.get(index) {
            let style = TextStyle::new(POINT_LABEL_FONT, Anchor::Start).with_halo();
            document.text(pixel.0 + DOT_RADIUS + 2.0, pixel.1 - DOT_RADIUS, label, style);
        }
    }
}
