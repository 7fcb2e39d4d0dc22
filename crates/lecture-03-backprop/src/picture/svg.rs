//! The graph drawn as SVG from its [`super::layout`]: parameters yellow, inputs grey,
//! operations white, an arrow from each input to its user.

use super::layout::layered;
use super::{DrawnNode, NodeKind};
use shared::plot::escape_text;
use std::fmt::Write;

const COLUMN: f64 = 120.0;
const ROW: f64 = 70.0;
const BOX_WIDTH: f64 = 104.0;
const BOX_HEIGHT: f64 = 38.0;
const MARGIN: f64 = 30.0;

/// SVG text drawing `nodes` (from [`super::drawn_nodes`]) under `title`.
pub fn to_svg(title: &str, nodes: &[DrawnNode]) -> String {
    let layout = layered(nodes);
    let width = layout.width.max(1) as f64 * COLUMN + 2.0 * MARGIN;
    let height = layout.depth as f64 * ROW + 2.0 * MARGIN + 20.0;
    let centre = |i: usize| {
        let (layer, column) = layout.positions[i];
        let in_layer = layout.positions.iter().filter(|p| p.0 == layer).count() as f64;
        let x = MARGIN + (column as f64 + 0.5) * COLUMN + (layout.width as f64 - in_layer) * COLUMN / 2.0;
        (x, MARGIN + 20.0 + layer as f64 * ROW + BOX_HEIGHT / 2.0)
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" \
         markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{MARGIN}\" y=\"{:.0}\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        MARGIN,
        escape_text(title)
    );
    let index: std::collections::HashMap<_, _> = nodes.iter().enumerate().map(|(i, n)| (n.var, i)).collect();
    for (i, node) in nodes.iter().enumerate() {
        let (x2, y2) = centre(i);
        for input in &node.inputs {
            let (x1, y1) = centre(index[input]);
            writeln!(
                svg,
                "<line x1=\"{x1:.1}\" y1=\"{:.1}\" x2=\"{x2:.1}\" y2=\"{:.1}\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>",
                y1 + BOX_HEIGHT / 2.0,
                y2 - BOX_HEIGHT / 2.0
            )
            .expect("writing to a String");
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        draw_node(&mut svg, node, centre(i));
    }
    svg.push_str("</svg>\n");
    svg
}

fn draw_node(svg: &mut String, node: &DrawnNode, (x, y): (f64, f64)) {
    let (fill, rx) = match node.kind {
        NodeKind::Leaf => ("#fde68a", BOX_HEIGHT / 2.0),
        NodeKind::Constant => ("#e5e7eb", 2.0),
        NodeKind::Operation => ("#ffffff", 8.0),
    };
    let [rows, cols] = node.shape;
    writeln!(
        svg,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"#333\"/>\n\
         <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n\
         <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#666\" font-size=\"10\">[{rows}, {cols}]</text>",
        x - BOX_WIDTH / 2.0,
        y - BOX_HEIGHT / 2.0,
        y - 2.0,
        escape_text(&node.label),
        y + 12.0
    )
    .expect("writing to a String");
}
