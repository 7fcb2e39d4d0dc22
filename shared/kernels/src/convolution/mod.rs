//! A fast 2-D convolution for burn-flex: patches unfolded per image (im2col), one product per
//! image on the packed AVX-512 tile, the images split between threads, and the backward pass
//! written by hand as one autodiff node ([`extension`]). Reach it through
//! [`crate::fast_ops::conv2d`], which falls back to burn's own convolution elsewhere.

pub mod extension;
pub mod geometry;
pub mod kernel;
pub mod max_pool;
