//! Seeded synthetic tasks: the toy problems on which the lectures' claims are tested.
//!
//! Every generator is a pure function of its parameters and a `seed`: the same call returns the
//! same data on every run (`rand` 0.10's `StdRng::seed_from_u64`, Gaussians from `rand_distr`;
//! other versions may draw other numbers). A training loop draws a fresh
//! batch per step by passing a different seed each time ([`batch_seed`](crate::data::batch_seed)
//! `(seed, step)`; the test set takes a [`sub_seed`](crate::data::sub_seed) stream of its own). Data comes back as plain `Vec`s in row-major order with the shape
//! documented on each field; each batch type has `*_tensor(&device)` methods that build the burn
//! tensors a model eats. Invalid parameters (a length of 0, a canvas smaller than the digit, ...)
//! are errors, never panics.
//!
//! | module | task | used by |
//! |---|---|---|
//! | [`adding`] | sum of two marked values in a long sequence | RNN / LSTM / IRNN lectures |
//! | [`copy`] | NTM copy and repeat-copy of binary vectors | memory, attention |
//! | [`token_tasks`] | copy / reverse / sort digit tokens (seq2seq) | attention, pointer nets |
//! | [`formal_language`] | aⁿbⁿ, aⁿbⁿcⁿ, aⁿbᵐcⁿ⁺ᵐ next-symbol prediction | counting, stack RNNs |
//! | [`parity`] | XOR of k bits | depth, SELU, memorisation |
//! | [`mixture`] | ring and grid of 2-D Gaussians, mode-collapse metrics | GANs |
//! | [`affine_warp`] | affine transform and bilinear warp of an image | spatial transformers |
//! | [`distorted_mnist`] | rotated / scaled / translated / cluttered digits | spatial transformers |
//! | [`mnist_addition`] | two digits on one canvas, label = their sum | spatial transformers |

pub mod adding;
pub mod affine_warp;
pub mod copy;
pub mod distorted_mnist;
pub mod formal_language;
pub mod mixture;
pub mod mnist_addition;
pub mod parity;
pub mod token_tasks;

use anyhow::{Result, ensure};
use burn::prelude::{Device, Int, Tensor, TensorData};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// The random number generator every task draws from: `StdRng` seeded with `seed`.
pub fn seeded_rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// A float tensor of `shape` from row-major `values`; an error when the lengths disagree.
pub fn float_tensor<const D: usize>(values: &[f32], shape: [usize; D], device: &Device) -> Result<Tensor<D>> {
    check_len(values.len(), shape)?;
    Ok(Tensor::from_data(TensorData::new(values.to_vec(), shape), device))
}

/// An integer tensor of `shape` from row-major `values`; an error when the lengths disagree.
pub fn int_tensor<const D: usize>(
    values: &[i64],
    shape: [usize; D],
    device: &Device,
) -> Result<Tensor<D, Int>> {
    check_len(values.len(), shape)?;
    Ok(Tensor::from_data(TensorData::new(values.to_vec(), shape), device))
}

fn check_len<const D: usize>(len: usize, shape: [usize; D]) -> Result<()> {
    let expected: usize = shape.iter().product();
    ensure!(len == expected, "{len} values cannot fill a tensor of shape {shape:?} ({expected} elements)");
    Ok(())
}

/// An error unless `value >= 1`: sizes, lengths and counts of every generator.
pub(crate) fn ensure_positive(name: &str, value: usize) -> Result<()> {
    ensure!(value >= 1, "{name} must be at least 1, got {value}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensors_of_the_wrong_size_are_errors() {
        let device = shared_backend::test_device();
        let t = float_tensor(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3], &device).unwrap();
        assert_eq!(t.dims(), [2, 3]);
        let err = int_tensor(&[1, 2, 3], [2, 2], &device).unwrap_err().to_string();
        assert!(err.contains("3 values") && err.contains("[2, 2]"), "{err}");
    }
}
