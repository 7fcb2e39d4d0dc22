//! A layered layout of a graph, enough for the small graphs this lecture draws.
//!
//! ```text
//! layer(v)  = 0 for a node without inputs, else 1 + max layer of its inputs (longest path)
//! a source is then moved down to just above its first user, so that its edge stays short
//! in each layer, nodes are ordered by the mean position of their inputs (barycentres), in a
//! few sweeps, so that edges cross less
//! ```

use super::DrawnNode;
use std::collections::HashMap;

/// Where each node goes: its layer (row) and its position in the layer (column).
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// `(layer, column)` of each node, in the order of the nodes given.
    pub positions: Vec<(usize, usize)>,
    /// Nodes in the widest layer.
    pub width: usize,
    /// Number of layers.
    pub depth: usize,
}

/// Lays out `nodes`, given in topological order (each after its inputs).
pub fn layered(nodes: &[DrawnNode]) -> Layout {
    let index: HashMap<_, _> = nodes.iter().enumerate().map(|(i, n)| (n.var, i)).collect();
    let inputs: Vec<Vec<usize>> = nodes.iter().map(|n| n.inputs.iter().map(|v| index[v]).collect()).collect();
    let layers = layers(&inputs);
    let depth = layers.iter().max().map_or(0, |l| l + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (node, &layer) in layers.iter().enumerate() {
        rows[layer].push(node);
    }
    let mut column = vec![0.0f64; nodes.len()];
    for _sweep in 0..4 {
        for row in &mut rows {
            for &node in row.iter() {
                if !inputs[node].is_empty() {
                    column[node] =
                        inputs[node].iter().map(|&i| column[i]).sum::<f64>() / inputs[node].len() as f64;
                }
            }
            row.sort_by(|a, b| column[*a].total_cmp(&column[*b]));
            for (position, &node) in row.iter().enumerate() {
                column[node] = position as f64;
            }
        }
    }
    let mut positions = vec![(0, 0); nodes.len()];
    for (layer, row) in rows.iter().enumerate() {
        for (position, &node) in row.iter().enumerate() {
            positions[node] = (layer, position);
        }
    }
    Layout { positions, width: rows.iter().map(Vec::len).max().unwrap_or(0), depth }
}

/// Longest-path layers, with each source moved to just above its earliest user.
fn layers(inputs: &[Vec<usize>]) -> Vec<usize> {
    let mut layer = vec![0; inputs.len()];
    for node in 0..inputs.len() {
        layer[node] = inputs[node].iter().map(|&i| layer[i] + 1).max().unwrap_or(0);
    }
    for node in 0..inputs.len() {
        let first_user = (0..inputs.len()).filter(|&u| inputs[u].contains(&node)).map(|u| layer[u]).min();
        if let (true, Some(user_layer)) = (inputs[node].is_empty(), first_user) {
            layer[node] = user_layer - 1;
        }
    }
    layer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picture::NodeKind;
    use crate::reverse::Var;

    fn node(i: usize, inputs: &[usize]) -> DrawnNode {
        DrawnNode {
            var: Var(i),
            label: format!("n{i}"),
            shape: [1, 1],
            kind: NodeKind::Operation,
            inputs: inputs.iter().map(|&i| Var(i)).collect(),
        }
    }

    #[test]
    fn every_node_lies_below_its_inputs_and_sources_sit_above_their_user() {
        // x, y -> x*y -> (x*y)+x ; z joins at the end
        let nodes =
            [node(0, &[]), node(1, &[]), node(2, &[0, 1]), node(3, &[2, 0]), node(4, &[]), node(5, &[3, 4])];
        let layout = layered(&nodes);
        for (i, n) in nodes.iter().enumerate() {
            for input in &n.inputs {
                assert!(layout.positions[input.index()].0 < layout.positions[i].0, "{i} above its input");
            }
        }
        assert_eq!(layout.positions[4].0, layout.positions[5].0 - 1, "z moved down to its user");
        assert_eq!(layout.depth, 4);
        let columns: Vec<_> = layout.positions.iter().filter(|p| p.0 == 0).map(|p| p.1).collect();
        assert_eq!(columns.len(), 2, "x and y share the top layer at distinct columns: {columns:?}");
    }
}
