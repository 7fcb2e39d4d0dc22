//! The legend beside a chart: one row per series, its mark and its name.

use super::svg::{Anchor, SvgDocument, TextStyle, text_width};

const FONT_SIZE: f64 = 12.0;
const ROW_HEIGHT: f64 = 20.0;
const MARK_WIDTH: f64 = 24.0;
const GAP: f64 = 8.0;

/// How a legend row shows its series.
#[derive(Clone, Debug)]
pub(crate) enum Mark {
    /// A solid line, as a line series is drawn.
    Line,
    /// A dashed line with this SVG dash pattern, as a reference line is drawn.
    Dashed(&'static str),
    /// A dot, as a scatter group is drawn.
    Dot,
}

/// One legend row.
#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    pub name: String,
    pub colour: String,
    pub mark: Mark,
}

/// The width the legend needs (0 when there is nothing to list).
pub(crate) fn legend_width(entries: &[LegendEntry]) -> f64 {
    let widest = entries.iter().map(|e| text_width(&e.name, FONT_SIZE)).fold(0.0, f64::max);
    if entries.is_empty() { 0.0 } else { MARK_WIDTH + GAP + widest + GAP }
}

/// Draws the legend with its top left corner at `(x, y)`.
pub(crate) fn draw_legend(document: &mut SvgDocument, x: f64, y: f64, entries: &[LegendEntry]) {
    for (row, entry) in entries.iter().enumerate() {
        let centre_y = y + ROW_HEIGHT * (row as f64 + 0.5);
        let mark_end = (x + MARK_WIDTH, centre_y);
        match entry.mark {
            Mark::Line => document.line((x, centre_y), mark_end, &entry.colour, 2.5, None),
            Mark::Dashed(dash) => document.line((x, centre_y), mark_end, &entry.colour, 1.5, Some(dash)),
            Mark::Dot => document.circle((x + MARK_WIDTH / 2.0, centre_y), 4.0, &entry.colour, None),
        }
        let style = TextStyle::new(FONT_SIZE, Anchor::Start);
        document.text(x + MARK_WIDTH + GAP, centre_y + FONT_SIZE * 0.35, &entry.name, style);
    }
}
