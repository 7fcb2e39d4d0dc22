//! The shape of a time-major sequence and how one step's batch rows are split between tasks:
//! sequences are independent within a step, so each task takes a block of rows.

/// Sequence length `S`, batch `B` and hidden size `H`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SequenceDims {
    pub steps: usize,
    pub batch: usize,
    pub hidden: usize,
}

impl SequenceDims {
    /// Floats in one step of a `[B, width · H]` buffer.
    pub fn step_len(&self, width: usize) -> usize {
        self.batch * width * self.hidden
    }

    /// Whether sequence `b` is still running at step `t`.
    pub fn active(&self, lengths: &[usize], t: usize, b: usize) -> bool {
        lengths.get(b).is_none_or(|&length| t < length)
    }
}

/// Where a block of batch rows sits: rows `first..`, of step `t`.
#[derive(Clone, Copy)]
pub(super) struct RowBlock<'a> {
    pub first: usize,
    pub hidden: usize,
    pub t: usize,
    pub lengths: &'a [usize],
    pub dims: SequenceDims,
}

/// Element range of task `task`'s rows in a `[B, H]` step buffer, `len` elements long.
pub(super) fn rows_range(task: usize, chunk: usize, hidden: usize, len: usize) -> std::ops::Range<usize> {
    task * chunk * hidden..task * chunk * hidden + len
}
