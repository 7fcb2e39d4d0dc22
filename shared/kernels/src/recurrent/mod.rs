//! Fused recurrent layers: an LSTM and a GRU that take the whole sequence at once.
//!
//! The lectures write their cells step by step, because that is what they teach. For runs that
//! must be fast, [`FusedLstm`] and [`FusedGru`] compute the same functions with far fewer
//! operations:
//!
//! - the GRU's input projection `x W_ih + b` for all time steps is ONE matrix product, split
//!   between threads, with its gradients in the same node ([`affine_kernel`]); the LSTM adds
//!   its input product inside each step instead, on rows the step is about to use;
//! - the recurrence runs one matrix product per step (the LSTM two, input and hidden) and one
//!   fused element-wise pass (no per-gate tensors, no autodiff node per operation);
//! - backpropagation through time is written by hand ([`lstm_kernel`], [`gru_kernel`]), with the
//!   weights' gradients as products over all steps, and enters burn's autodiff as a single
//!   node through the backend-extension API ([`extension`]).
//!
//! The kernels run on burn-flex in f32. On other backends (wgpu, ndarray) and in f64 the layers
//! compose the same recurrence from tensor operations ([`composed`]), so a model runs anywhere
//! and the tests can hold both paths to each other, to burn's `Lstm` / `Gru` and to finite
//! differences.

pub mod activation;
pub mod affine_kernel;
pub mod buffers;
pub mod composed;
pub mod extension;
mod gru;
pub mod gru_kernel;
mod lstm;
pub mod lstm_kernel;
pub mod mat_ref;
pub mod packed_matmul;
pub mod sequence;
#[cfg(test)]
mod tests;
pub(crate) mod vectorise;

pub use gru::{FusedGru, FusedGruConfig};
pub use lstm::{FusedLstm, FusedLstmConfig, LstmState};
