//! Large buffers written by all threads. A training step allocates buffers of several MB (the
//! gates of every step, their gradients, the input projection); zeroing or copying one on the
//! calling thread leaves the other threads idle for as long (9% of the `char_lstm` step was
//! `memset` and `memmove` on the main thread).

use rayon::prelude::*;
use std::mem::MaybeUninit;

/// Floats per parallel task: smaller buffers are written on the calling thread.
const CHUNK: usize = 1 << 16;

/// `len` zeros.
pub fn zeros(len: usize) -> Vec<f32> {
    written_in_parallel(len, |_, out| out.iter_mut().for_each(|v| _ = v.write(0.0)))
}

/// `row` repeated `times` times, `[times, row.len()]`.
pub fn repeated(row: &[f32], times: usize) -> Vec<f32> {
    let width = row.len();
    written_in_parallel(width * times, |start, out| {
        let cycle = row.iter().cycle().skip(start % width.max(1));
        out.iter_mut().zip(cycle).for_each(|(v, &x)| _ = v.write(x));
    })
}

/// A vector of `len` floats whose chunks are written in parallel by `write(first index, chunk)`,
/// which must write every element of its chunk (both callers above do).
fn written_in_parallel(len: usize, write: impl Fn(usize, &mut [MaybeUninit<f32>]) + Sync) -> Vec<f32> {
    let mut values = Vec::with_capacity(len);
    values.spare_capacity_mut()[..len]
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(task, out)| write(task * CHUNK, out));
    // SAFETY: the capacity is at least `len`, and `write` initialised every one of the first
    // `len` elements (each chunk exactly once).
    unsafe { values.set_len(len) };
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_hold_what_they_promise_across_chunk_boundaries() {
        let len = 3 * CHUNK + 5;
        assert!(zeros(len).iter().all(|&v| v == 0.0));
        let row = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let expected: Vec<f32> = row.iter().copied().cycle().take(row.len() * 20_000).collect();
        assert_eq!(repeated(&row, 20_000), expected);
        assert!(zeros(0).is_empty() && repeated(&[], 5).is_empty());
    }
}
