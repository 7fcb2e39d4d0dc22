//! A batch of token sequences of one length, as plain numbers: what samplers return, what the
//! oracle writes as training data, what the discriminator judges.
//!
//! ```text
//! tokens: [count, length] row-major, each in 0..V
//! ```

use anyhow::{Result, ensure};
use burn::prelude::{Device, Int, Tensor, TensorData};

/// `count` sequences of `length` tokens, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequences {
    pub tokens: Vec<i64>,
    pub count: usize,
    pub length: usize,
}

impl Sequences {
    /// Sequences from rows that all have `length` tokens; an error otherwise.
    pub fn from_rows(rows: &[Vec<i64>], length: usize) -> Result<Sequences> {
        ensure!(length > 0, "sequences need at least one token");
        if let Some(bad) = rows.iter().position(|row| row.len() != length) {
            anyhow::bail!("row {bad} has {} tokens, not {length}", rows[bad].len());
        }
        Ok(Sequences { tokens: rows.concat(), count: rows.len(), length })
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[i64] {
        &self.tokens[i * self.length..(i + 1) * self.length]
    }

    /// The rows `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Sequences {
        let tokens = indices.iter().flat_map(|&i| self.row(i).iter().copied()).collect();
        Sequences { tokens, count: indices.len(), length: self.length }
    }

    /// Rows `start..start + count` (fewer at the end).
    pub fn slice(&self, start: usize, count: usize) -> Sequences {
        let end = (start + count).min(self.count);
        Sequences {
            tokens: self.tokens[start * self.length..end * self.length].to_vec(),
            count: end - start,
            length: self.length,
        }
    }

    /// The tokens as `[count, length]` on `device`.
    pub fn tensor(&self, device: &Device) -> Tensor<2, Int> {
        Tensor::from_data(TensorData::new(self.tokens.clone(), [self.count, self.length]), device)
    }
}
