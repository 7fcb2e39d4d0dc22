//! The N-dimensional Grid LSTM block (Kalchbrenner et al. 2015): a block sits at a point of an
//! N-dimensional grid, receives a hidden vector `h_d` and a memory `m_d` along each dimension
//! `d`, and sends new ones on along the same dimensions.
//!
//! ```text
//! H = [h_1, ..., h_N]                          [batch, N hidden]
//! (h'_d, m'_d) = LSTM_d(H, m_d)  for each d    [batch, hidden] each   (crate::lstm)
//! ```
//!
//! Every dimension has its own LSTM and its own memory, so the gradient can travel along *any*
//! dimension through a memory cell, including depth. A 1-D block is an LSTM with no input
//! ([`crate::grid1d`] stacks it along depth); a 2-D block has a time and a depth dimension (a
//! sequence model that is deep in LSTM cells both ways); a 3-D block has two spatial
//! dimensions and depth (images).

use crate::lstm::LstmCell;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::prelude::{Device, Tensor};

/// The `(h_d, m_d)` pair sent along one dimension, both `[batch, hidden]`.
#[derive(Clone, Debug)]
pub struct Edge {
    pub hidden: Tensor<2>,
    pub memory: Tensor<2>,
}

/// One block with an LSTM per dimension.
#[derive(Module, Debug)]
pub struct GridBlock {
    /// `LSTM_d`, reading `[batch, N hidden]`.
    pub cells: Vec<LstmCell>,
}

impl GridBlock {
    /// A block of `dims` dimensions with `hidden` units along each.
    pub fn new(dims: usize, hidden: usize, device: &Device) -> Self {
        Self { cells: (0..dims).map(|_| LstmCell::new(dims * hidden, hidden, device)).collect() }
    }

    /// Number of dimensions N.
    pub fn dims(&self) -> usize {
        self.cells.len()
    }

    /// The edges arriving along each dimension -> the edges leaving along each dimension.
    pub fn forward(&self, incoming: &[Edge]) -> Result<Vec<Edge>> {
        ensure!(
            incoming.len() == self.dims(),
            "a {}-D grid block needs one edge per dimension, got {}",
            self.dims(),
            incoming.len()
        );
        let big_h = Tensor::cat(incoming.iter().map(|e| e.hidden.clone()).collect(), 1);
        Ok(self
            .cells
            .iter()
            .zip(incoming)
            .map(|(cell, edge)| {
                let (hidden, memory) = cell.forward(big_h.clone(), edge.memory.clone());
                Edge { hidden, memory }
            })
            .collect())
    }
}
