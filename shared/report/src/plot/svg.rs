//! A minimal SVG writer: the handful of elements our charts use, with text escaped.
//!
//! Coordinates are pixels, origin top left, y growing downwards (the SVG convention). Numbers are
//! written with one decimal: enough for a crisp picture, short enough for small files.

use std::fmt::Write;

/// The font every chart uses; SVG viewers fall back to their own sans-serif.
const FONT_FAMILY: &str = "DejaVu Sans, Helvetica, Arial, sans-serif";

/// Escapes `&`, `<`, `>`, `"` and `'` so any string is safe as SVG text or attribute value.
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Where a text's `x` lies: at its start, middle or end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn svg_name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a text element looks: font size in pixels, anchor, boldness, rotation (degrees) and colour.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TextStyle {
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
    pub rotate: f64,
    pub colour: &'static str,
    pub halo: bool,
}

impl TextStyle {
    /// Plain dark text of `size` pixels anchored at `anchor`.
    pub fn new(size: f64, anchor: Anchor) -> TextStyle {
        TextStyle { size, anchor, bold: false, rotate: 0.0, colour: "#222222", halo: false }
    }

    pub fn bold(self) -> TextStyle {
        TextStyle { bold: true, ..self }
    }

    pub fn rotated(self, degrees: f64) -> TextStyle {
        TextStyle { rotate: degrees, ..self }
    }

    /// Outlines the letters in white so the text stays legible over data.
    pub fn with_halo(self) -> TextStyle {
        TextStyle { halo: true, ..self }
    }

    pub fn coloured(self, colour: &'static str) -> TextStyle {
        TextStyle { colour, ..self }
    }
}

/// An SVG document being written: a white page of `width` x `height` pixels.
pub(crate) struct SvgDocument {
    width: f64,
    height: f64,
    body: String,
}

impl SvgDocument {
    /// A blank white page.
    pub fn new(width: f64, height: f64) -> SvgDocument {
        let mut document = SvgDocument { width, height, body: String::new() };
        document.rect(0.0, 0.0, width, height, "#ffffff", None);
        document
    }

    /// A straight line; `dash` is an SVG dash pattern such as `"6 4"`.
    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, width: f64, dash: Option<&str>) {
        let dash = dash.map(|d| format!(r#" stroke-dasharray="{d}""#)).unwrap_or_default();
        let _ = writeln!(
            self.body,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{stroke}" stroke-width="{width}"{dash}/>"#,
            from.0, from.1, to.0, to.1
        );
    }

    /// A rectangle filled with `fill`, outlined with `stroke` when given.
    pub fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, fill: &str, stroke: Option<&str>) {
        let stroke = stroke.map(|s| format!(r#" stroke="{s}""#)).unwrap_or_default();
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" fill="{fill}"{stroke}/>"#
        );
    }

    /// A filled rectangle that shows `tooltip` when the pointer rests on it.
    pub fn rect_with_tooltip(&mut self, corner: (f64, f64), size: (f64, f64), fill: &str, tooltip: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{}</title></rect>"#,
            corner.0,
            corner.1,
            size.0,
            size.1,
            escape_text(tooltip)
        );
    }

    /// A connected line through `points` (at least two).
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64) {
        let mut coordinates = String::new();
        for (x, y) in points {
            let _ = write!(coordinates, "{x:.1},{y:.1} ");
        }
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round"/>"#,
            coordinates.trim_end()
        );
    }

    /// A filled circle of radius `r`, optionally with an outline.
    pub fn circle(&mut self, centre: (f64, f64), r: f64, fill: &str, stroke: Option<&str>) {
        let stroke = stroke.map(|s| format!(r#" stroke="{s}" stroke-width="1""#)).unwrap_or_default();
        let _ = writeln!(
            self.body,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{r}" fill="{fill}"{stroke}/>"#,
            centre.0, centre.1
        );
    }

    /// A translucent dot (`opacity` in `0..=1`), so that piles of overlapping points show.
    pub fn dot(&mut self, centre: (f64, f64), r: f64, fill: &str, opacity: f64) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{r}" fill="{fill}" fill-opacity="{opacity}"/>"#,
            centre.0, centre.1
        );
    }

    /// A line of text at `(x, y)` (the baseline), escaped.
    pub fn text(&mut self, x: f64, y: f64, text: &str, style: TextStyle) {
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" font-family="{FONT_FAMILY}"{}>{}</text>"#,
            text_attributes(&style, x, y),
            escape_text(text)
        );
    }

    /// An embedded raster picture (a `data:` URI) drawn at `(x, y)` with the given size.
    pub fn image(&mut self, x: f64, y: f64, width: f64, height: f64, data_uri: &str) {
        let _ = writeln!(
            self.body,
            r#"<image x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" style="image-rendering:pixelated" href="{data_uri}"/>"#
        );
    }

    /// The finished document.
    pub fn finish(self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n{}</svg>\n",
            self.body,
            w = self.width.round(),
            h = self.height.round(),
        )
    }
}

/// The SVG attributes of `style` for a text at `(x, y)` (rotation turns about that point).
fn text_attributes(style: &TextStyle, x: f64, y: f64) -> String {
    let mut attributes = format!(
        r#" font-size="{}" text-anchor="{}" fill="{}""#,
        style.size,
        style.anchor.svg_name(),
        style.colour
    );
    if style.bold {
        attributes.push_str(r#" font-weight="bold""#);
    }
    if style.halo {
        attributes.push_str(r##" stroke="#ffffff" stroke-width="3" stroke-opacity="0.8""##);
        attributes.push_str(r#" paint-order="stroke""#);
    }
    if style.rotate != 0.0 {
        let _ = write!(attributes, r#" transform="rotate({} {x:.1} {y:.1})""#, style.rotate);
    }
    attributes
}

/// An estimate of a text's width in pixels (no font metrics at hand: 0.6 em per character).
pub(crate) fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(escape_text(r#"a<b & "c" > 'd'"#), "a&lt;b &amp; &quot;c&quot; &gt; &apos;d&apos;");
    }

    #[test]
    fn a_document_is_one_svg_element_with_the_page_size() {
        let mut document = SvgDocument::new(200.0, 100.0);
        document.text(10.0, 20.0, "<eos>", TextStyle::new(12.0, Anchor::Start));
        let svg = document.finish();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\""));
        assert!(svg.contains(">&lt;eos&gt;</text>"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
