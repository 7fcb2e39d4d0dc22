//! Reverse-mode automatic differentiation (backpropagation), written to be read in one sitting.
//!
//! ```text
//! forward:  every operation appends a node (its op, its inputs, its value) to the graph
//! backward: order  = the nodes the loss depends on, each after its inputs (topological)
//!           ∂L/∂L  = 1
//!           for node in reverse(order):                   every consumer of a node comes first,
//!               for (input, local) in node's local rule:  so its gradient is complete here
//!                   ∂L/∂input += local(∂L/∂node)           a value used twice gets the sum
//! ```
//!
//! - [`graph`]: the nodes and the forward operations that record them;
//! - [`backward`]: the topological order and the backward pass;
//! - [`local_derivatives`]: each operation's vector-Jacobian product, the chain rule's factor;
//! - [`checkpoint`]: keeping only a segment's output and recomputing the rest during backward.

pub mod backward;
pub mod checkpoint;
pub mod graph;
pub mod local_derivatives;

pub use backward::{Contribution, Gradients};
pub use graph::{Graph, Node, Op, Var};
