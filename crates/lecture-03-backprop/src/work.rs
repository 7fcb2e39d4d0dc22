//! Counting what differentiation costs: floating-point operations done, and bytes the tape holds.
//!
//! Both are counters the engines update as they run, shared (`Rc`) between a graph and the
//! graphs it builds to recompute a checkpointed segment, so that the count covers everything.
//! They measure the implementation, not the clock: the same run gives the same counts anywhere.

use std::cell::Cell;
use std::rc::Rc;

/// Floating-point operations, split by pass.
#[derive(Clone, Debug, Default)]
pub struct Work {
    forward: Rc<Cell<u64>>,
    backward: Rc<Cell<u64>>,
}

impl Work {
    /// Counts `flops` done by a forward (value-computing) operation.
    pub fn add_forward(&self, flops: u64) {
        self.forward.set(self.forward.get() + flops);
    }

    /// Counts `flops` done propagating derivatives (a backward step or a tangent).
    pub fn add_backward(&self, flops: u64) {
        self.backward.set(self.backward.get() + flops);
    }

    /// Flops of the forward operations so far, recomputations included.
    pub fn forward(&self) -> u64 {
        self.forward.get()
    }

    /// Flops spent on derivatives so far.
    pub fn backward(&self) -> u64 {
        self.backward.get()
    }

    /// Everything counted so far.
    pub fn total(&self) -> u64 {
        self.forward() + self.backward()
    }
}

/// Bytes of tensor values held by live graphs, and the most held at any moment.
#[derive(Clone, Debug, Default)]
pub struct Meter {
    held: Rc<Cell<u64>>,
    peak: Rc<Cell<u64>>,
}

impl Meter {
    /// A graph stored `bytes` more.
    pub fn hold(&self, bytes: u64) {
        let held = self.held.get() + bytes;
        self.held.set(held);
        self.peak.set(self.peak.get().max(held));
    }

    /// A graph let `bytes` go (it was dropped).
    pub fn release(&self, bytes: u64) {
        self.held.set(self.held.get() - bytes);
    }

    /// Bytes held now.
    pub fn held(&self) -> u64 {
        self.held.get()
    }

    /// The most bytes held at once since the meter was made.
    pub fn peak(&self) -> u64 {
        self.peak.get()
    }
}
