//! The computational graph drawn: Graphviz DOT text, and an SVG laid out here (no Graphviz
//! needed to look at it).

pub mod dot;
pub mod layout;
pub mod svg;

use crate::reverse::{Graph, Op, Var};

/// What a drawn node shows: its label, its value's shape, and its kind.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnNode {
    pub var: Var,
    pub label: String,
    pub shape: [usize; 2],
    pub kind: NodeKind,
    pub inputs: Vec<Var>,
}

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A parameter: the gradient's destination.
    Leaf,
    /// An input or a target.
    Constant,
    /// An operation.
    Operation,
}

/// The nodes `root` depends on, in topological order, ready to draw.
pub fn drawn_nodes(graph: &Graph, root: Var) -> Vec<DrawnNode> {
    graph
        .topological_order(root)
        .into_iter()
        .map(|var| {
            let node = graph.node(var);
            let kind = match node.op {
                Op::Leaf(_) => NodeKind::Leaf,
                Op::Constant => NodeKind::Constant,
                _ => NodeKind::Operation,
            };
            DrawnNode {
                var,
                label: node.op.label(),
                shape: node.value.dims(),
                kind,
                inputs: node.op.inputs(),
            }
        })
        .collect()
}
