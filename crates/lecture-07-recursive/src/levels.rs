//! Running a composition over a [`TreeBatch`]: level by level (the fast way) or node at a time
//! (the textbook recursion, kept to check the fast way and to measure what it saves).
//!
//! Level by level, the states of all nodes grow as one tensor `[nodes so far, state]`:
//!
//! ```text
//! S_0 = leaves(words)                                  [leaves, state]
//! S_h = cat(S_{h-1}, compose(S_{h-1}[left_h], S_{h-1}[right_h]))     for h = 1..H
//! ```
//!
//! `H` batched steps (one gather of both children, the composition, a concatenation) instead of one composition
//! call per inner node; both give the states in the batch's global order.

use crate::composition::Composition;
use crate::tree_batch::TreeBatch;
use burn::prelude::{Device, Int, Tensor, TensorData};

/// An index tensor `[n]` on `device`.
pub fn indices(values: &[i64], device: &Device) -> Tensor<1, Int> {
    Tensor::from_data(TensorData::new(values.to_vec(), [values.len()]), device)
}

/// The states `[nodes, state]` of every node of `batch`, computed one height at a time.
pub fn forward_levels(model: &impl Composition, batch: &TreeBatch, device: &Device) -> Tensor<2> {
    let mut states = model.leaves(indices(&batch.words, device));
    for level in &batch.levels {
        // One gather for both children (its backward writes one full-size gradient, not two).
        let n = level.len();
        let children =
            states.clone().select(0, indices(&[&level.left[..], &level.right[..]].concat(), device));
        let parents = model.compose(children.clone().narrow(0, 0, n), children.narrow(0, n, n));
        states = Tensor::cat(vec![states, parents], 0);
    }
    states
}

/// The same states computed one node at a time, each tree in post order (children first), as
/// a recursive implementation would: one `leaves` or `compose` call with a batch of one per node.
pub fn forward_node_at_a_time(model: &impl Composition, batch: &TreeBatch, device: &Device) -> Tensor<2> {
    let mut states: Vec<Option<Tensor<2>>> = vec![None; batch.node_count()];
    for order in &batch.post_order {
        for &node in order {
            let state = match batch.children[node] {
                None => model.leaves(indices(&batch.words[node..=node], device)),
                Some((left, right)) => {
                    let child = |i: usize| states[i].clone().expect("post order visits children first");
                    model.compose(child(left), child(right))
                }
            };
            states[node] = Some(state);
        }
    }
    Tensor::cat(states.into_iter().map(|s| s.expect("every node is in some tree")).collect(), 0)
}
