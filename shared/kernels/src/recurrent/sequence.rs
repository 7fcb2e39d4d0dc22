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

/// Panics unless `lengths` is empty or has one length in `1..=steps` per sequence.
pub(super) fn check_lengths(lengths: &[usize], batch: usize, steps: usize) {
    assert!(
        lengths.is_empty() || lengths.len() == batch,
        "{} sequence lengths for a batch of {batch}",
        lengths.len()
    );
    if let Some(bad) = lengths.iter().find(|&&length| length == 0 || length > steps) {
        panic!("sequence length {bad} outside 1..={steps}");
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

/// Each task's block of rows of every step of a time-major buffer `[steps, B, width]`
/// (`step_len` floats a step): `result[task][t]` holds task `task`'s rows of step `t`,
/// `chunk_len` floats (the last task's block may be shorter).
///
/// Sequences never read each other's rows, so one task can run all the steps of its rows with
/// no synchronisation: one parallel section per sequence instead of one per step, whose
/// sleeping and waking threads cost more than a step's product at these sizes.
pub(super) fn task_rows(buffer: &mut [f32], step_len: usize, chunk_len: usize) -> Vec<Vec<&mut [f32]>> {
    let mut per_task: Vec<Vec<&mut [f32]>> = (0..step_len.div_ceil(chunk_len)).map(|_| Vec::new()).collect();
    for step in buffer.chunks_exact_mut(step_len) {
        for (task, rows) in step.chunks_mut(chunk_len).enumerate() {
            per_task[task].push(rows);
        }
    }
    per_task
}
