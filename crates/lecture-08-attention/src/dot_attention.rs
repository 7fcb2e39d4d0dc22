//! Dot-product attention (Luong, Pham & Manning 2015, the "general" score), scaled as in
//! Vaswani et al. 2017:
//!
//! ```text
//! e_ts = (q_t W) · k_s / sqrt(Hk)       W: [Hq, Hk]
//! ```
//!
//! With `W = I` it is the plain dot score. One batched matrix product scores every pair:
//! queries `[batch, T, Hq]` times keys transposed `[batch, Hk, S]` gives `[batch, T, S]`.
//! Cheaper than additive attention (no `[batch, T, S, A]` tensor) but a bilinear match only.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

/// The bilinear map `W`.
#[derive(Module, Debug)]
pub struct DotAttention {
    /// `q W`, `[Hq] -> [Hk]`, no bias.
    pub query: Linear,
}

impl DotAttention {
    /// A scorer for queries of width `query_size` and keys of width `key_size`.
    pub fn new(query_size: usize, key_size: usize, device: &Device) -> Self {
        Self { query: LinearConfig::new(query_size, key_size).with_bias(false).init(device) }
    }

    /// `e: [batch, T, S]` for queries `[batch, T, Hq]` and keys `[batch, S, Hk]`.
    pub fn scores(&self, queries: Tensor<3>, keys: Tensor<3>) -> Tensor<3> {
        let scale = 1.0 / (keys.dims()[2] as f64).sqrt();
        self.query.forward(queries).matmul(keys.swap_dims(1, 2)).mul_scalar(scale)
    }
}
