//! A 2-D Grid LSTM over a sequence (Kalchbrenner et al. 2015, Sec. 4.2), and the stacked LSTM
//! it generalises.
//!
//! The grid has a time axis and a depth axis. The block at (layer `l`, time `t`) receives
//! `(h, m)` along time from (l, t-1) and along depth from (l-1, t); the embedding of token `t`
//! enters at the bottom as the depth hidden vector (memory zero); the top depth hidden vector is
//! read out.
//!
//! ```text
//! 2-D Grid LSTM block (crate::grid_block, N = 2):     stacked LSTM layer:
//! H = [h_time, h_depth]                                H = [h_time, h_depth]
//! (h_time', m_time')   = LSTM_time(H, m_time)          (h', m') = LSTM(H, m_time)
//! (h_depth', m_depth') = LSTM_depth(H, m_depth)        h_depth' = h', no depth memory
//! ```
//!
//! The stacked LSTM is the 2-D grid whose depth dimension has no LSTM: its layers are joined by
//! plain `h` vectors, so along depth the gradient meets a squashing nonlinearity at every layer,
//! while the grid gives depth a memory cell of its own. Shapes: tokens `[batch, time]`, logits
//! `[batch, time, vocab]`.

use crate::grid_block::{Edge, GridBlock};
use crate::lstm::LstmCell;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::{Device, Int, Tensor};
use serde::{Deserialize, Serialize};

/// Whether depth gets its own LSTM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DepthLink {
    /// 2-D Grid LSTM: an LSTM along depth too.
    Grid,
    /// Stacked LSTM: the time LSTM's output is passed up as it is.
    Stacked,
}

/// One layer of the network.
#[derive(Module, Debug)]
pub enum GridLayer {
    Grid(GridBlock),
    Stacked(LstmCell),
}

/// Embedding, `layers` layers along depth shared over time, read-out.
#[derive(Module, Debug)]
pub struct Grid2dLstm {
    pub embedding: Embedding,
    pub layers: Vec<GridLayer>,
    pub readout: Linear,
}

impl Grid2dLstm {
    /// A network over `vocab` tokens with `layers` layers of `hidden` units.
    pub fn new(link: DepthLink, vocab: usize, hidden: usize, layers: usize, device: &Device) -> Self {
        let layers = (0..layers)
            .map(|_| match link {
                DepthLink::Grid => GridLayer::Grid(GridBlock::new(2, hidden, device)),
                DepthLink::Stacked => GridLayer::Stacked(LstmCell::new(2 * hidden, hidden, device)),
            })
            .collect();
        Self {
            embedding: EmbeddingConfig::new(vocab, hidden).init(device),
            layers,
            readout: LinearConfig::new(hidden, vocab).init(device),
        }
    }

    /// Number of trainable numbers.
    pub fn parameters(&self) -> usize {
        self.num_params()
    }

    /// `tokens: [batch, time]` -> logits `[batch, time, vocab]`.
    pub fn forward(&self, tokens: Tensor<2, Int>) -> Result<Tensor<3>> {
        let [batch, time] = tokens.dims();
        ensure!(time > 0 && batch > 0, "an empty batch of sequences: [{batch}, {time}]");
        let embedded = self.embedding.forward(tokens); // [batch, time, hidden]
        let hidden = embedded.dims()[2];
        let zeros = Tensor::<2>::zeros([batch, hidden], &embedded.device());
        let mut along_time: Vec<Edge> =
            self.layers.iter().map(|_| Edge { hidden: zeros.clone(), memory: zeros.clone() }).collect();
        let mut tops = Vec::with_capacity(time);
        for t in 0..time {
            let x_t = embedded.clone().narrow(1, t, 1).reshape([batch, hidden]);
            let mut up = Edge { hidden: x_t, memory: zeros.clone() };
            for (layer, previous) in self.layers.iter().zip(along_time.iter_mut()) {
                match layer {
                    GridLayer::Grid(block) => {
                        let [next, above]: [Edge; 2] =
                            block.forward(&[previous.clone(), up])?.try_into().expect("two dimensions");
                        (*previous, up) = (next, above);
                    }
                    GridLayer::Stacked(cell) => {
                        let big_h = Tensor::cat(vec![previous.hidden.clone(), up.hidden], 1);
                        let (h, m) = cell.forward(big_h, previous.memory.clone());
                        up = Edge { hidden: h.clone(), memory: zeros.clone() };
                        *previous = Edge { hidden: h, memory: m };
                    }
                }
            }
            tops.push(up.hidden);
        }
        Ok(self.readout.forward(Tensor::stack(tops, 1)))
    }
}
