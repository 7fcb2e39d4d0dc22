//! Matrix heatmaps, e.g. attention weights `[output steps x input steps]` with the tokens as row
//! and column labels, coloured by viridis with a colour bar; values optionally printed in cells.
//!
//! Input: `rows * columns` values in row-major order (row `i` is output step `i`). Colours span
//! the smallest to the largest finite value, or an explicit `[min, max]` (values outside are
//! clamped); NaN and infinite cells are grey. SVG carries labels, values and colour bar; PNG
//! only the cells, each a `cell x cell` block.

use super::colormap::{normalise, viridis};
use super::palette::{hex, text_colour_on};
use super::raster::Raster;
use super::svg::{Anchor, SvgDocument, TextStyle, text_width};
use super::ticks::{format_tick, linear_ticks};
use crate::atomic::write_atomic;
use anyhow::{Result, bail, ensure};
use std::path::Path;

const LABEL_FONT: f64 = 12.0;
const TITLE_FONT: f64 = 16.0;
const BAR_WIDTH: f64 = 16.0;
const BAR_STEPS: usize = 64;
const MARGIN: f64 = 16.0;

/// A heatmap being built; see the module documentation.
///
/// ```
/// use shared_report::plot::Heatmap;
/// let attention = [0.9f32, 0.1, 0.2, 0.8];
/// let svg = Heatmap::new(&attention, 2, 2)
///     .row_labels(["le", "chat"])
///     .column_labels(["the", "cat"])
///     .show_values(true)
///     .to_svg()?;
/// assert!(svg.contains(">chat</text>"));
/// # anyhow::Ok(())
/// ```
#[derive(Clone, Debug)]
pub struct Heatmap {
    values: Vec<f64>,
    rows: usize,
    columns: usize,
    row_labels: Vec<String>,
    column_labels: Vec<String>,
    title: String,
    x_label: String,
    y_label: String,
    show_values: bool,
    range: Option<(f64, f64)>,
    cell: usize,
}

impl Heatmap {
    /// A `rows x columns` heatmap of `values` (row-major), 32-pixel cells.
    pub fn new<T: Copy + Into<f64>>(values: &[T], rows: usize, columns: usize) -> Heatmap {
        Heatmap {
            values: values.iter().map(|&v| v.into()).collect(),
            rows,
            columns,
            row_labels: Vec::new(),
            column_labels: Vec::new(),
            title: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            show_values: false,
            range: None,
            cell: 32,
        }
    }

    /// One label per row, written left of it (e.g. the output tokens).
    pub fn row_labels<S: Into<String>>(mut self, labels: impl IntoIterator<Item = S>) -> Heatmap {
        self.row_labels = labels.into_iter().map(Into::into).collect();
        self
    }

    /// One label per column, written slanted above it (e.g. the input tokens).
    pub fn column_labels<S: Into<String>>(mut self, labels: impl IntoIterator<Item = S>) -> Heatmap {
        self.column_labels = labels.into_iter().map(Into::into).collect();
        self
    }

    /// The title above the heatmap.
    pub fn title(mut self, title: impl Into<String>) -> Heatmap {
        self.title = title.into();
        self
    }

    /// What the columns are, written below the cells.
    pub fn x_label(mut self, label: impl Into<String>) -> Heatmap {
        self.x_label = label.into();
        self
    }

    /// What the rows are, written upright left of the row labels.
    pub fn y_label(mut self, label: impl Into<String>) -> Heatmap {
        self.y_label = label.into();
        self
    }

    /// Prints each value in its cell (SVG only).
    pub fn show_values(mut self, show: bool) -> Heatmap {
        self.show_values = show;
        self
    }

    /// Colours `min` as the bottom and `max` as the top of the colour map.
    pub fn value_range(mut self, min: f64, max: f64) -> Heatmap {
        self.range = Some((min, max));
        self
    }

    /// Cell side in pixels (default 32).
    pub fn cell_size(mut self, pixels: usize) -> Heatmap {
        self.cell = pixels;
        self
    }

    /// The cells as PNG bytes (no text, no colour bar).
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let (min, max) = self.checked_range()?;
        let mut raster = Raster::new(self.columns * self.cell, self.rows * self.cell, [255; 3])?;
        for (index, &value) in self.values.iter().enumerate() {
            let (row, column) = (index / self.columns, index % self.columns);
            let colour = viridis(normalise(value, min, max));
            raster.fill_block(column * self.cell, row * self.cell, self.cell, self.cell, colour);
        }
        raster.to_png()
    }

    /// Writes the PNG to `path` atomically.
    pub fn save_png(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path, &self.to_png()?)
    }

    /// The heatmap as SVG, with labels and colour bar.
    pub fn to_svg(&self) -> Result<String> {
        let (min, max) = self.checked_range()?;
        let cell = self.cell as f64;
        let widest_row_label = self.row_labels.iter().map(|l| text_width(l, LABEL_FONT)).fold(0.0, f64::max);
        let widest_column_label =
            self.column_labels.iter().map(|l| text_width(l, LABEL_FONT)).fold(0.0, f64::max);
        let y_label_width = if self.y_label.is_empty() { 0.0 } else { LABEL_FONT + 12.0 };
        let title_height = if self.title.is_empty() { 0.0 } else { TITLE_FONT + 16.0 };
        let grid = Grid {
            left: MARGIN + y_label_width + widest_row_label + 8.0,
            top: MARGIN + title_height + widest_column_label * 0.71 + 10.0,
            cell,
        };
        let (grid_w, grid_h) = (self.columns as f64 * cell, self.rows as f64 * cell);
        let bar =
            ColourBar { left: grid.left + grid_w + 20.0, top: grid.top, height: grid_h.max(120.0), min, max };
        let last_column_label = self.column_labels.last().map_or(0.0, |l| text_width(l, LABEL_FONT));
        let column_labels_right = grid.left + grid_w - cell / 2.0 + last_column_label * 0.71;
        let bar_right = bar.left + BAR_WIDTH + 8.0 + bar.widest_label();
        let page_w = bar_right.max(column_labels_right) + MARGIN;
        let x_label_height = if self.x_label.is_empty() { 0.0 } else { LABEL_FONT + 14.0 };
        let page_h = grid.top + grid_h.max(bar.height) + x_label_height + MARGIN;
        let mut document = SvgDocument::new(page_w, page_h);
        self.draw_cells(&mut document, &grid, min, max);
        self.draw_labels(&mut document, &grid, page_w);
        bar.draw(&mut document);
        Ok(document.finish())
    }

    /// Writes the SVG to `path` atomically.
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path, self.to_svg()?.as_bytes())
    }

    /// Checks shape, labels and cell size, and returns the colour range.
    fn checked_range(&self) -> Result<(f64, f64)> {
        ensure!(self.rows > 0 && self.columns > 0, "a heatmap needs at least one row and one column");
        ensure!(
            self.values.len() == self.rows * self.columns,
            "a {} x {} heatmap needs {} values, got {}",
            self.rows,
            self.columns,
            self.rows * self.columns,
            self.values.len()
        );
        check_label_count("row", &self.row_labels, self.rows)?;
        check_label_count("column", &self.column_labels, self.columns)?;
        ensure!((2..=512).contains(&self.cell), "heatmap cell size {} is outside 2..=512 pixels", self.cell);
        match self.range {
            Some((min, max)) if min.is_finite() && max.is_finite() && min < max => Ok((min, max)),
            Some((min, max)) => {
                bail!("heatmap value range [{min}, {max}] must be finite with min < max")
            }
            None => Ok(finite_extremes(&self.values)),
        }
    }

    fn draw_cells(&self, document: &mut SvgDocument, grid: &Grid, min: f64, max: f64) {
        for (index, &value) in self.values.iter().enumerate() {
            let (row, column) = (index / self.columns, index % self.columns);
            let colour = viridis(normalise(value, min, max));
            let corner = grid.corner(row, column);
            document.rect_with_tooltip(
                corner,
                (grid.cell, grid.cell),
                &hex(colour),
                &self.tooltip(row, column, value),
            );
            if self.show_values {
                let size = (grid.cell * 0.34).min(LABEL_FONT);
                let style = TextStyle::new(size, Anchor::Middle).coloured(text_colour_on(colour));
                let centre = (corner.0 + grid.cell / 2.0, corner.1 + grid.cell / 2.0 + size * 0.35);
                document.text(centre.0, centre.1, &format_cell(value), style);
            }
        }
    }

    /// `row label, column label: value` (four decimals), falling back to indices.
    fn tooltip(&self, row: usize, column: usize, value: f64) -> String {
        let row_name = self.row_labels.get(row).cloned().unwrap_or_else(|| format!("row {row}"));
        let column_name =
            self.column_labels.get(column).cloned().unwrap_or_else(|| format!("column {column}"));
        format!("{row_name}, {column_name}: {value:.4}")
    }

    fn draw_labels(&self, document: &mut SvgDocument, grid: &Grid, page_w: f64) {
        for (row, label) in self.row_labels.iter().enumerate() {
            let y = grid.corner(row, 0).1 + grid.cell / 2.0 + LABEL_FONT * 0.35;
            document.text(grid.left - 6.0, y, label, TextStyle::new(LABEL_FONT, Anchor::End));
        }
        for (column, label) in self.column_labels.iter().enumerate() {
            let x = grid.corner(0, column).0 + grid.cell / 2.0;
            let style = TextStyle::new(LABEL_FONT, Anchor::Start).rotated(-45.0);
            document.text(x, grid.top - 6.0, label, style);
        }
        let grid_w = self.columns as f64 * grid.cell;
        let grid_h = self.rows as f64 * grid.cell;
        if !self.title.is_empty() {
            let style = TextStyle::new(TITLE_FONT, Anchor::Middle).bold();
            document.text(page_w / 2.0, MARGIN + TITLE_FONT, &self.title, style);
        }
        let label_style = TextStyle::new(LABEL_FONT + 1.0, Anchor::Middle);
        document.text(
            grid.left + grid_w / 2.0,
            grid.top + grid_h + LABEL_FONT + 12.0,
            &self.x_label,
            label_style,
        );
        let y_centre = grid.top + grid_h / 2.0;
        document.text(MARGIN + LABEL_FONT, y_centre, &self.y_label, label_style.rotated(-90.0));
    }
}

/// Where the cells are: top left corner and cell side, pixels.
struct Grid {
    left: f64,
    top: f64,
    cell: f64,
}

impl Grid {
    fn corner(&self, row: usize, column: usize) -> (f64, f64) {
        (self.left + column as f64 * self.cell, self.top + row as f64 * self.cell)
    }
}

/// The vertical colour scale beside the cells: `max` at the top, `min` at the bottom.
struct ColourBar {
    left: f64,
    top: f64,
    height: f64,
    min: f64,
    max: f64,
}

impl ColourBar {
    /// Nice tick values inside `[min, max]` with their labels.
    fn ticks(&self) -> Vec<(f64, String)> {
        if self.max <= self.min {
            return vec![(self.min, format_cell(self.min))];
        }
        let ticks = linear_ticks(self.min, self.max);
        let step = ticks[1] - ticks[0];
        let inside =
            ticks.into_iter().filter(|t| *t >= self.min - step * 1e-9 && *t <= self.max + step * 1e-9);
        inside.map(|t| (t, format_tick(t, step))).collect()
    }

    fn widest_label(&self) -> f64 {
        self.ticks().iter().map(|(_, label)| text_width(label, LABEL_FONT - 1.0)).fold(0.0, f64::max)
    }

    fn draw(&self, document: &mut SvgDocument) {
        let step_height = self.height / BAR_STEPS as f64;
        for step in 0..BAR_STEPS {
            let t = (step as f64 + 0.5) / BAR_STEPS as f64;
            let y = self.top + self.height - (step + 1) as f64 * step_height;
            document.rect(self.left, y, BAR_WIDTH, step_height + 0.5, &hex(viridis(t)), None);
        }
        document.rect(self.left, self.top, BAR_WIDTH, self.height, "none", Some("#444444"));
        for (value, label) in self.ticks() {
            let fraction = if self.max > self.min { normalise(value, self.min, self.max) } else { 0.5 };
            let y = self.top + (1.0 - fraction) * self.height;
            let right = self.left + BAR_WIDTH;
            document.line((right, y), (right + 4.0, y), "#444444", 1.0, None);
            document.text(right + 7.0, y + 4.0, &label, TextStyle::new(LABEL_FONT - 1.0, Anchor::Start));
        }
    }
}

fn check_label_count(what: &str, labels: &[String], wanted: usize) -> Result<()> {
    ensure!(
        labels.is_empty() || labels.len() == wanted,
        "a heatmap with {wanted} {what}s got {} {what} labels",
        labels.len()
    );
    Ok(())
}

/// The smallest and largest finite values (`(0, 1)` if there is none).
fn finite_extremes(values: &[f64]) -> (f64, f64) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let min = finite.clone().fold(f64::INFINITY, f64::min);
    let max = finite.fold(f64::NEG_INFINITY, f64::max);
    if min <= max { (min, max) } else { (0.0, 1.0) }
}

/// A cell's value with about three significant digits.
fn format_cell(value: f64) -> String {
    match value.abs() {
        v if !v.is_finite() => format!("{value}"),
        v if v >= 100.0 => format!("{value:.0}"),
        v if v >= 10.0 => format!("{value:.1}"),
        _ => format!("{value:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::raster::decode_png;
    use crate::plot::svg_check::assert_well_formed;

    #[test]
    fn the_smallest_cell_is_dark_purple_and_the_largest_yellow() {
        let png = Heatmap::new(&[0.0, 0.25, 0.5, 1.0], 2, 2).cell_size(4).to_png().unwrap();
        let (width, height, pixels) = decode_png(&png);
        assert_eq!((width, height), (8, 8));
        let at = |x: u32, y: u32| [0, 1, 2].map(|c| pixels[3 * (y * width + x) as usize + c]);
        assert_eq!(at(0, 0), viridis(0.0));
        assert_eq!(at(3, 3), viridis(0.0), "a cell is a 4 x 4 block");
        assert_eq!(at(7, 7), viridis(1.0));
        assert_eq!(at(4, 0), viridis(0.25));
    }

    #[test]
    fn the_svg_colours_cells_and_labels_rows_and_columns() {
        let svg = Heatmap::new(&[0.1f32, 0.9, 0.5, 0.3], 2, 2)
            .row_labels(["le", "chat"])
            .column_labels(["the", "<cat>"])
            .title("attention")
            .show_values(true)
            .to_svg()
            .unwrap();
        assert_well_formed(&svg);
        let cell_fill = |tooltip: &str| {
            let end = svg.find(&format!("<title>{tooltip}")).expect(tooltip);
            let start = svg[..end].rfind("fill=\"").unwrap() + 6;
            svg[start..start + 7].to_string()
        };
        assert_eq!(cell_fill("le, the: 0.1000"), hex(viridis(0.0)));
        assert_eq!(cell_fill("le, &lt;cat&gt;: 0.9000"), hex(viridis(1.0)));
        for text in [
            ">le</text>",
            ">chat</text>",
            ">the</text>",
            ">&lt;cat&gt;</text>",
            ">attention</text>",
            ">0.90</text>",
        ] {
            assert!(svg.contains(text), "{text} missing");
        }
    }

    #[test]
    fn an_explicit_range_and_missing_values_colour_as_documented() {
        let png = Heatmap::new(&[f64::NAN, 5.0], 1, 2).value_range(0.0, 1.0).cell_size(2).to_png().unwrap();
        let (_, _, pixels) = decode_png(&png);
        assert_eq!(pixels[..3], crate::plot::colormap::MISSING_COLOUR);
        assert_eq!(pixels[6..9], viridis(1.0), "values above max are clamped");
    }

    #[test]
    fn bad_shapes_and_labels_are_errors() {
        let message = |map: Heatmap| map.to_svg().unwrap_err().to_string();
        assert!(message(Heatmap::new(&[1.0; 5], 2, 3)).contains("needs 6 values, got 5"));
        assert!(message(Heatmap::new(&[1.0; 4], 2, 2).row_labels(["a"])).contains("1 row labels"));
        assert!(message(Heatmap::new(&[1.0; 4], 2, 2).value_range(2.0, 1.0)).contains("min < max"));
        assert!(message(Heatmap::new::<f64>(&[], 0, 0)).contains("at least one row"));
    }

    #[test]
    fn a_constant_matrix_still_renders() {
        let svg = Heatmap::new(&[3.0; 4], 2, 2).to_svg().unwrap();
        assert_well_formed(&svg);
    }
}
