//! The graph as Graphviz DOT: `dot -Tsvg graph.dot > graph.svg` draws it where Graphviz is
//! installed; [`super::svg`] draws it without.

use super::{DrawnNode, NodeKind};
use std::fmt::Write;

/// DOT text of `nodes` (from [`super::drawn_nodes`]): parameters as ellipses, inputs as grey
/// boxes, operations as boxes with their output shape; an edge from each input to its user.
pub fn to_dot(title: &str, nodes: &[DrawnNode]) -> String {
    let mut dot =
        format!("digraph \"{}\" {{\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n", escape(title));
    for node in nodes {
        let style = match node.kind {
            NodeKind::Leaf => "shape=ellipse, style=filled, fillcolor=\"#fde68a\"",
            NodeKind::Constant => "shape=box, style=filled, fillcolor=\"#e5e7eb\"",
            NodeKind::Operation => "shape=box, style=rounded",
        };
        let [rows, cols] = node.shape;
        let label = format!("{}\\n[{rows}, {cols}]", escape(&node.label));
        writeln!(dot, "  n{} [label=\"{label}\", {style}];", node.var.index()).expect("writing to a String");
    }
    for node in nodes {
        for input in &node.inputs {
            writeln!(dot, "  n{} -> n{};", input.index(), node.var.index()).expect("writing to a String");
        }
    }
    dot.push_str("}\n");
    dot
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
