//! Counted work: how many composition calls a schedule makes over a [`TreeBatch`].
//!
//! Batching by level pays because the cost of a small step is the per-call overhead (kernel
//! launches, autodiff nodes), not its arithmetic: both schedules do the same products. So the
//! speed claim is asserted on the number of sequential calls, never on wall-clock time:
//!
//! ```text
//! levels:           1 leaves call + H compose calls          H = the batch's tallest tree
//! node at a time:   one leaves or compose call per node      n = every node of every tree
//! ```

use crate::composition::Composition;
use crate::levels::{forward_levels, forward_node_at_a_time};
use crate::model::Schedule;
use crate::tree_batch::TreeBatch;
use burn::prelude::{Device, Int, Tensor};
use std::cell::Cell;

/// A composition that counts its `leaves` and `compose` calls.
pub struct Counted<'a, C> {
    inner: &'a C,
    calls: Cell<usize>,
}

impl<C: Composition> Composition for Counted<'_, C> {
    fn state_width(&self) -> usize {
        self.inner.state_width()
    }

    fn feature_width(&self) -> usize {
        self.inner.feature_width()
    }

    fn leaves(&self, words: Tensor<1, Int>) -> Tensor<2> {
        self.calls.set(self.calls.get() + 1);
        self.inner.leaves(words)
    }

    fn compose(&self, left: Tensor<2>, right: Tensor<2>) -> Tensor<2> {
        self.calls.set(self.calls.get() + 1);
        self.inner.compose(left, right)
    }

    fn features(&self, states: Tensor<2>) -> Tensor<2> {
        self.inner.features(states)
    }
}

/// The `leaves` and `compose` calls `schedule` makes to compute every state of `batch`.
pub fn composition_calls(
    model: &impl Composition,
    batch: &TreeBatch,
    schedule: Schedule,
    device: &Device,
) -> usize {
    let counted = Counted { inner: model, calls: Cell::new(0) };
    match schedule {
        Schedule::Levels => forward_levels(&counted, batch, device),
        Schedule::NodeAtATime => forward_node_at_a_time(&counted, batch, device),
    };
    counted.calls.get()
}
