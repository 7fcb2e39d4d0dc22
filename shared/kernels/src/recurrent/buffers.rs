//! Large buffers written by all threads. A training step allocates buffers of several MB (the
//! gates of every step, their gradients, the input projection); zeroing or copying one on the
//! calling thread leaves the other threads idle for as long (9% of the `char_lstm` step was
//! `memset` and `memmove` on the main thread).
//!
//! Buffers that a kernel fills completely can come from [`recycled`]: a store of buffers given
//! back by [`recycle`] (a layer's trace when its backward pass is done, an internal gradient).
//! A fresh buffer of several MB costs a page fault and a kernel zeroing per 4 KB page on first
//! touch, and then the zeroing a kernel does not need: 10% of the `char_lstm` step.

use rayon::prelude::*;
use std::mem::MaybeUninit;
use std::sync::Mutex;

/// Floats per parallel task: smaller buffers are written on the calling thread.
const CHUNK: usize = 1 << 16;

/// Buffers given back, at most [`SPARE_BUFFERS`] (the smallest are let go first).
static SPARE: Mutex<Vec<Vec<f32>>> = Mutex::new(Vec::new());
const SPARE_BUFFERS: usize = 8;

/// `len` floats whose values are whatever a previous user left (finite or not): the caller
/// writes every element before it reads one. A buffer given back to [`recycle`] with room for
/// `len` and at most twice that (a small request does not take the buffer a large one will
/// ask for next), else new zeros; small requests always get new zeros.
pub fn recycled(len: usize) -> Vec<f32> {
    if len < CHUNK {
        return zeros(len);
    }
    let found = {
        let mut spare = SPARE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let fits = |buffer: &Vec<f32>| (len..=2 * len).contains(&buffer.capacity());
        let fitting = spare.iter().enumerate().filter(|(_, buffer)| fits(buffer));
        let best = fitting.min_by_key(|(_, buffer)| buffer.capacity()).map(|(i, _)| i);
        best.map(|i| spare.swap_remove(i))
    };
    match found {
        Some(mut buffer) => {
            buffer.resize(len, 0.0);
            buffer
        }
        None => zeros(len),
    }
}

/// Keeps `buffer` for [`recycled`], if it is large enough to be worth keeping.
pub fn recycle(buffer: Vec<f32>) {
    if buffer.capacity() < CHUNK {
        return;
    }
    let mut spare = SPARE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    spare.push(buffer);
    if spare.len() > SPARE_BUFFERS {
        let smallest = (0..spare.len()).min_by_key(|&i| spare[i].capacity()).expect("not empty");
        spare.swap_remove(smallest);
    }
}

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

/// [`repeated`] in a [`recycled`] buffer.
pub fn recycled_repeated(row: &[f32], times: usize) -> Vec<f32> {
    let width = row.len().max(1);
    let mut values = recycled(row.len() * times);
    values.par_chunks_mut((CHUNK / width).max(1) * width).for_each(|chunk| {
        chunk.chunks_exact_mut(width).for_each(|out| out.copy_from_slice(row));
    });
    values
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

    /// A recycled buffer has the length asked for, whatever was given back; the repeated row
    /// fills every element of one.
    #[test]
    fn recycled_buffers_have_the_length_asked_for() {
        recycle(vec![f32::NAN; 2 * CHUNK]);
        for len in [CHUNK + 3, 3 * CHUNK, 5, 0] {
            assert_eq!(recycled(len).len(), len);
        }
        recycle(vec![f32::NAN; 3 * CHUNK]);
        let row = [1.0, 2.0, 3.0];
        assert_eq!(recycled_repeated(&row, 50_000), repeated(&row, 50_000));
    }
}
