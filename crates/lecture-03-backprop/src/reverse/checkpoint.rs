//! Gradient checkpointing: trade a second forward pass for memory (Chen et al. 2016).
//!
//! ```text
//! forward:  out = segment(inputs) on a scratch graph; keep out, drop the scratch graph
//! backward: rebuild the scratch graph by running segment(inputs) again,
//!           backpropagate ∂L/∂out through it, hand each input its gradient, drop it again
//! ```
//!
//! Cutting a length-T chain into segments of k steps keeps T/k segment outputs on the main
//! graph plus one segment's k steps while it is recomputed: memory ∝ T/k + k, smallest
//! (∝ 2√T) at k = √T, for one extra forward pass over the whole chain.

use super::graph::{Graph, Op, Var};
use crate::engine::{Engine, Segment};
use burn::prelude::Tensor;

impl Graph {
    /// Runs `segment(inputs)` without keeping its inner nodes: one node holds its output.
    pub fn checkpoint(&mut self, inputs: &[Var], segment: Segment<Graph>) -> Var {
        let output = {
            let (mut scratch, leaves) = self.scratch_graph(inputs);
            let out = segment(&mut scratch, &leaves);
            scratch.value(&out)
        };
        self.push(Op::Checkpoint(inputs.to_vec(), segment), output)
    }

    /// The inputs' gradients of a checkpointed segment, given `upstream = ∂L/∂output`, by
    /// recomputing the segment and backpropagating through the recomputed graph.
    pub(crate) fn checkpoint_gradients(
        &self,
        inputs: &[Var],
        segment: &Segment<Graph>,
        upstream: Tensor<2>,
    ) -> Vec<(Var, Tensor<2>)> {
        let (mut scratch, leaves) = self.scratch_graph(inputs);
        let out = segment(&mut scratch, &leaves);
        let gradients = scratch.backward_from(out, upstream);
        inputs.iter().zip(&leaves).filter_map(|(input, leaf)| Some((*input, gradients.get(*leaf)?))).collect()
    }

    /// A graph sharing this one's counters, with a leaf holding each input's value.
    fn scratch_graph(&self, inputs: &[Var]) -> (Graph, Vec<Var>) {
        let mut scratch = Graph::with_counters(self.work().clone(), self.meter().clone());
        let leaves =
            inputs.iter().map(|v| scratch.leaf(format!("input {}", v.index()), self.value(v))).collect();
        (scratch, leaves)
    }
}
