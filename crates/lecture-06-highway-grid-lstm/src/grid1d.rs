//! A 1-D Grid LSTM used as a deep feed-forward net (Kalchbrenner et al. 2015, Sec. 4.1): the one
//! dimension is depth, the weights are tied across it, and the input enters only at the bottom.
//!
//! ```text
//! [h_0, m_0] = x W_in + b_in                      x: [batch, input] -> 2 x [batch, hidden]
//! (h_l, m_l) = LSTM(h_{l-1}, m_{l-1}),  l = 1..depth    one LstmCell, the same at every layer
//! logits = h_depth W_out + b_out                  [batch, classes]
//! ```
//!
//! It is an LSTM unrolled over `depth` steps with no input per step: the memory cell carries
//! information (and gradient) straight up through the layers, the way a highway layer's carry
//! gate does.

use crate::lstm::LstmCell;
use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::{Device, Tensor};

/// The forget bias of the tied cell. The same cell runs `depth` times, so with the usual bias
/// of 1 a memory would keep only `0.73^depth` of itself (0.2% at depth 20) at the start; with 3,
/// `0.95^depth` (36%).
pub const FORGET_BIAS: f64 = 3.0;

/// Projection into the first hidden vector and memory, one LSTM cell applied `depth` times,
/// read-out.
#[derive(Module, Debug)]
pub struct TiedGridLstm1d {
    pub projection: Linear,
    pub cell: LstmCell,
    pub readout: Linear,
    #[module(skip)]
    depth: usize,
}

impl TiedGridLstm1d {
    /// A net of `depth` tied layers of `hidden` units.
    pub fn new(input: usize, hidden: usize, depth: usize, classes: usize, device: &Device) -> Self {
        Self {
            projection: LinearConfig::new(input, 2 * hidden).init(device),
            cell: LstmCell::with_forget_bias(hidden, hidden, FORGET_BIAS, device),
            readout: LinearConfig::new(hidden, classes).init(device),
            depth,
        }
    }

    /// Number of tied layers.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// `x: [batch, input]` -> logits `[batch, classes]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let [mut hidden, mut memory]: [Tensor<2>; 2] =
            self.projection.forward(x).chunk(2, 1).try_into().expect("two halves");
        for _ in 0..self.depth {
            (hidden, memory) = self.cell.forward(hidden, memory);
        }
        self.readout.forward(hidden)
    }
}
