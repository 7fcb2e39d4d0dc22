//! `shared-kernels`: fast CPU operations for burn-flex.
//!
//! burn-flex runs a model as many small operations, each an autodiff node with its own pass over
//! memory, several on one thread. These kernels do the same arithmetic as burn's operations (held
//! to them by the tests, within f32 rounding or bit for bit) in fewer, larger steps, split
//! between threads. Each falls back to burn's own operation on the other backends (ndarray,
//! wgpu) and in f64, so a model written with them runs anywhere.
//!
//! - [`recurrent`]: fused LSTM and GRU layers over a whole sequence, backpropagation through time
//!   by hand, on a packed AVX-512 matrix product;
//! - [`convolution`]: 2-D convolution and max pooling by unfolded patches on the same product;
//! - [`fast_ops`]: the entry points a model calls (`conv2d`, `max_pool2d`, `linear`, `tanh`,
//!   `leaky_relu`, `cross_entropy`, ...), each a drop-in for burn's own;
//! - [`leaky_relu`] and [`log_softmax`]: the single-node leaky rectifier and target log-softmax
//!   behind [`fast_ops`];
//! - [`fused_adam`]: burn's Adam, bit for bit, in one pass per parameter;
//! - [`threads`] and [`allocator`]: the calling thread as one of rayon's workers, freed memory
//!   kept in the process: how a training binary should run the kernels;
//! - [`cpu`]: whether the AVX-512 paths run (`SHARED_KERNELS_NO_AVX512=1` runs the portable
//!   ones on an AVX-512 machine, as a laptop without it would).
//!
//! The crate's README says what each operation replaces in burn and by how much. Lectures reach
//! these modules through `shared` (`shared::fast_ops`, `shared::recurrent`, ...).

pub mod allocator;
pub mod convolution;
pub mod cpu;
pub mod fast_ops;
pub mod fused_adam;
pub mod leaky_relu;
pub mod log_softmax;
pub mod recurrent;
pub mod threads;
