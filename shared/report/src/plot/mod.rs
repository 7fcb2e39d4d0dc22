//! Pictures of an experiment, written without any system library or font: SVG by hand, PNG
//! through the `png` crate.
//!
//! - [`LineChart`]: training curves, several series, optional log y axis and reference lines.
//! - [`ScatterPlot`]: 2-D points in coloured groups, optionally labelled.
//! - [`ImageGrid`]: a grid of greyscale or RGB images (PNG, or SVG with captions).
//! - [`Heatmap`]: a matrix such as attention weights, with token labels and a colour bar.
//!
//! Every `save_*` writes atomically ([`crate::atomic::write_atomic`]) and creates the directory.
//! Colours: the Okabe-Ito palette for series ([`series_colour`]), viridis for values
//! ([`viridis`]).

mod axes;
mod base64;
mod colormap;
mod heatmap;
mod image_grid;
mod legend;
mod line_chart;
mod palette;
mod raster;
mod scale;
mod scatter;
mod svg;
mod ticks;

#[cfg(test)]
mod svg_check;
#[cfg(test)]
mod tests;

pub use colormap::viridis;
pub use heatmap::Heatmap;
pub use image_grid::ImageGrid;
pub use line_chart::LineChart;
pub use palette::{Rgb, hex, series_colour};
pub use scatter::ScatterPlot;
pub use svg::escape_text;
