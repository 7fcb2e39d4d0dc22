//! The frame of a 2-D chart: plot area, grid lines, tick labels, axis labels and title.
//!
//! Shared by [`super::LineChart`] and [`super::ScatterPlot`]: the margins are sized to the tick
//! labels and the legend, and [`Axes::project`] maps data `(x, y)` to pixels inside the frame.

use super::scale::Scale;
use super::svg::{Anchor, SvgDocument, TextStyle, text_width};

const TICK_FONT: f64 = 11.0;
const LABEL_FONT: f64 = 13.0;
const TITLE_FONT: f64 = 16.0;
const TICK_LENGTH: f64 = 5.0;
const GRID_COLOUR: &str = "#e3e3e3";
const MINOR_GRID_COLOUR: &str = "#f3f3f3";
const AXIS_COLOUR: &str = "#444444";

/// A chart's texts: its title and the names of its axes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Labels {
    pub title: String,
    pub x: String,
    pub y: String,
}

/// The plot area in pixels and the scales of its two axes.
pub(crate) struct Axes {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub x: Scale,
    pub y: Scale,
}

impl Axes {
    /// Lays out a `page_width` x `page_height` chart whose right `right_margin` pixels hold the
    /// legend: the left margin fits the widest y tick label and the y axis name.
    pub fn layout(page_width: f64, page_height: f64, right_margin: f64, x: Scale, y: Scale) -> Axes {
        let widest_y_label = y.ticks().iter().map(|t| text_width(&t.label, TICK_FONT)).fold(0.0, f64::max);
        let left = 22.0 + LABEL_FONT + widest_y_label + TICK_LENGTH;
        let top = 44.0;
        let bottom = 58.0;
        let right = right_margin.max(24.0);
        let width = (page_width - left - right).max(1.0);
        let height = (page_height - top - bottom).max(1.0);
        Axes { left, top, width, height, x, y }
    }

    /// The pixel position of data point `(x, y)`, if both axes can show it.
    pub fn project(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let fx = self.x.fraction(x)?;
        let fy = self.y.fraction(y)?;
        Some((self.left + fx * self.width, self.top + (1.0 - fy) * self.height))
    }

    /// The right edge of the plot area.
    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    fn bottom(&self) -> f64 {
        self.top + self.height
    }

    fn pixel_x(&self, value: f64) -> Option<f64> {
        self.x.fraction(value).map(|f| self.left + f * self.width)
    }

    /// The pixel row of `value` on the y axis, if the axis can show it.
    pub fn pixel_y(&self, value: f64) -> Option<f64> {
        self.y.fraction(value).map(|f| self.top + (1.0 - f) * self.height)
    }

    /// Draws grid lines, the frame, tick marks and labels, axis names and the title.
    pub fn draw(&self, document: &mut SvgDocument, labels: &Labels) {
        self.draw_grid(document);
        self.draw_ticks(document);
        document.rect(self.left, self.top, self.width, self.height, "none", Some(AXIS_COLOUR));
        self.draw_labels(document, labels);
    }

    fn draw_grid(&self, document: &mut SvgDocument) {
        for y in self.y.minor_ticks().into_iter().filter_map(|v| self.pixel_y(v)) {
            document.line((self.left, y), (self.right(), y), MINOR_GRID_COLOUR, 1.0, None);
        }
        for y in self.y.ticks().iter().filter_map(|t| self.pixel_y(t.value)) {
            document.line((self.left, y), (self.right(), y), GRID_COLOUR, 1.0, None);
        }
        for x in self.x.ticks().iter().filter_map(|t| self.pixel_x(t.value)) {
            document.line((x, self.top), (x, self.bottom()), GRID_COLOUR, 1.0, None);
        }
    }

    fn draw_ticks(&self, document: &mut SvgDocument) {
        for tick in self.x.ticks() {
            let Some(x) = self.pixel_x(tick.value) else {
                continue;
            };
            document.line((x, self.bottom()), (x, self.bottom() + TICK_LENGTH), AXIS_COLOUR, 1.0, None);
            let style = TextStyle::new(TICK_FONT, Anchor::Middle);
            document.text(x, self.bottom() + TICK_LENGTH + TICK_FONT + 2.0, &tick.label, style);
        }
        for tick in self.y.ticks() {
            let Some(y) = self.pixel_y(tick.value) else {
                continue;
            };
            document.line((self.left - TICK_LENGTH, y), (self.left, y), AXIS_COLOUR, 1.0, None);
            let style = TextStyle::new(TICK_FONT, Anchor::End);
            document.text(self.left - TICK_LENGTH - 3.0, y + TICK_FONT * 0.35, &tick.label, style);
        }
    }

    fn draw_labels(&self, document: &mut SvgDocument, labels: &Labels) {
        let centre_x = self.left + self.width / 2.0;
        let title = TextStyle::new(TITLE_FONT, Anchor::Middle).bold();
        document.text(centre_x, self.top - 16.0, &labels.title, title);
        let axis_name = TextStyle::new(LABEL_FONT, Anchor::Middle);
        document.text(centre_x, self.bottom() + 42.0, &labels.x, axis_name);
        let centre_y = self.top + self.height / 2.0;
        document.text(18.0, centre_y, &labels.y, axis_name.rotated(-90.0));
    }
}
