//! The backward pass: the chain rule applied node by node in reverse topological order.
//!
//! A node's gradient `∂L/∂node` is complete only once every node that used it has passed its
//! share back; visiting the nodes in the reverse of a topological order (each node after its
//! inputs) guarantees that. A value used by several nodes (a weight shared by all time steps of
//! an RNN) receives one contribution from each use, and its gradient is their sum.

use super::graph::{Graph, Op, Var};
use crate::ops::elementwise_flops;
use burn::prelude::Tensor;

/// One use's share of a leaf's gradient: what `consumer` passed back to it.
#[derive(Clone, Debug)]
pub struct Contribution {
    pub consumer: Var,
    pub gradient: Tensor<2>,
}

/// The gradients of one backward pass, and how each leaf's was assembled.
#[derive(Clone, Debug)]
pub struct Gradients {
    gradients: Vec<Option<Tensor<2>>>,
    contributions: Vec<Vec<Contribution>>,
}

impl Gradients {
    /// `∂root/∂var`, or `None` where no gradient reached `var`.
    pub fn get(&self, var: Var) -> Option<Tensor<2>> {
        self.gradients[var.index()].clone()
    }

    /// The shares of a leaf's gradient, one per use, in the order the backward pass added them.
    pub fn contributions(&self, leaf: Var) -> &[Contribution] {
        &self.contributions[leaf.index()]
    }
}

impl Graph {
    /// The nodes `root` depends on, each listed after all of its inputs (a depth-first search
    /// that emits a node once its inputs are emitted; iterative, so a long unrolled RNN does not
    /// overflow the stack).
    pub fn topological_order(&self, root: Var) -> Vec<Var> {
        let mut order = Vec::new();
        let mut visited = vec![false; self.nodes().len()];
        let mut stack = vec![(root, false)];
        while let Some((var, inputs_done)) = stack.pop() {
            if inputs_done {
                order.push(var);
                continue;
            }
            if std::mem::replace(&mut visited[var.index()], true) {
                continue;
            }
            stack.push((var, true));
            for input in self.node(var).op.inputs().into_iter().rev() {
                if !visited[input.index()] {
                    stack.push((input, false));
                }
            }
        }
        order
    }

    /// `∂loss/∂v` for every node `v`: [`Graph::backward_from`] with `∂loss/∂loss = 1`.
    pub fn backward(&self, loss: Var) -> Gradients {
        let seed = Tensor::ones(self.node(loss).value.dims(), &self.node(loss).value.device());
        self.backward_from(loss, seed)
    }

    /// Backpropagates `seed = ∂L/∂root` through the graph in reverse topological order.
    pub fn backward_from(&self, root: Var, seed: Tensor<2>) -> Gradients {
        let mut order = self.topological_order(root);
        order.reverse();
        self.backpropagate(&order, root, seed)
    }

    /// Visits `order`, passing each node's gradient back to its inputs through its local
    /// derivative and adding it to what they have. Correct only when `order` puts every node
    /// after all nodes that use it (a node is visited with whatever gradient it has by then; one
    /// with none yet passes nothing back).
    pub fn backpropagate(&self, order: &[Var], root: Var, seed: Tensor<2>) -> Gradients {
        let n = self.nodes().len();
        let mut gradients: Vec<Option<Tensor<2>>> = vec![None; n];
        let mut contributions = vec![Vec::new(); n];
        gradients[root.index()] = Some(seed);
        for &node in order {
            let Some(upstream) = gradients[node.index()].clone() else { continue };
            for (input, gradient) in self.local_gradients(node, upstream) {
                if matches!(self.node(input).op, Op::Leaf(_)) {
                    contributions[input.index()]
                        .push(Contribution { consumer: node, gradient: gradient.clone() });
                }
                let slot = &mut gradients[input.index()];
                *slot = Some(match slot.take() {
                    Some(sum) => {
                        self.work().add_backward(elementwise_flops(gradient.dims()));
                        sum + gradient
                    }
                    None => gradient,
                });
            }
        }
        Gradients { gradients, contributions }
    }
}
