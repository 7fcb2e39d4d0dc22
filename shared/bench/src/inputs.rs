//! The fixed random batches of the workloads, drawn once from a seeded generator.
//!
//! The numbers come from `rand`'s `StdRng`, not from the backend, so every backend trains on
//! the same batch. (PyTorch draws its own: only the shapes and distributions must agree.)

use burn::prelude::{Device, Int, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The range of the images' pixels: zero-mean, as normalised data is.
///
/// Not [0, 1): with all-positive inputs many ReLU units of the MLP die while it memorises its
/// fixed batch; their Adam moments then decay by 0.9 a step into subnormal floats (after ~700
/// steps), and subnormal arithmetic more than halved burn's MLP speed mid-benchmark.
pub const PIXELS: (f32, f32) = (-1.0, 1.0);

/// The generator every workload draws its batch from.
pub fn batch_rng() -> StdRng {
    StdRng::seed_from_u64(0x5eed)
}

/// A float tensor of `shape` with entries uniform in `[low, high)`.
pub fn uniform<const D: usize>(
    rng: &mut StdRng,
    shape: [usize; D],
    (low, high): (f32, f32),
    device: &Device,
) -> Tensor<D> {
    let values: Vec<f32> = (0..shape.iter().product()).map(|_| rng.random_range(low..high)).collect();
    Tensor::from_data(TensorData::new(values, shape), device)
}

/// An integer tensor of `shape` with entries uniform in `0..classes` (tokens or labels).
pub fn classes<const D: usize>(
    rng: &mut StdRng,
    shape: [usize; D],
    classes: usize,
    device: &Device,
) -> Tensor<D, Int> {
    let values: Vec<i64> = (0..shape.iter().product()).map(|_| rng.random_range(0..classes as i64)).collect();
    Tensor::from_data(TensorData::new(values, shape), device)
}
