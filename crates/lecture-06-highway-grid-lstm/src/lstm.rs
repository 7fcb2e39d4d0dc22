//! The LSTM cell of a Grid LSTM (Kalchbrenner, Danihelka & Graves 2015): it reads one vector
//! `H`, the hidden vectors of *all* the block's dimensions concatenated, and updates the memory
//! `m` of its own dimension.
//!
//! ```text
//! [a_i, a_f, a_g, a_o] = H W + b        W: [input, 4 hidden], b: [4 hidden]   one product
//! m' = σ(a_f) ⊙ m + σ(a_i) ⊙ tanh(a_g)                                       [batch, hidden]
//! h' = σ(a_o) ⊙ tanh(m')                                                      [batch, hidden]
//! ```
//!
//! An ordinary LSTM step is the case `H = [x_t, h_{t-1}]`. The forget bias starts at 1, so
//! memories are kept from the start.

use burn::module::{Module, Param};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::sigmoid;

/// `(h', m') = LSTM(H, m)`.
#[derive(Module, Debug)]
pub struct LstmCell {
    /// `W: [input, 4 hidden]` and `b: [4 hidden]`, column blocks input, forget, candidate, output.
    pub gates: Linear,
}

impl LstmCell {
    /// A cell reading `input` values into `hidden` units: burn's default `Linear` initialisation,
    /// forget bias 1.
    pub fn new(input: usize, hidden: usize, device: &Device) -> Self {
        Self::with_forget_bias(input, hidden, 1.0, device)
    }

    /// The same with forget bias `forget_bias`: a memory then keeps about `σ(forget_bias)` of
    /// itself per step at the start (0.73 for 1, 0.95 for 3).
    pub fn with_forget_bias(input: usize, hidden: usize, forget_bias: f64, device: &Device) -> Self {
        let mut gates = LinearConfig::new(input, 4 * hidden).init(device);
        let bias = gates.bias.as_ref().expect("burn's Linear has a bias by default").val();
        gates.bias = Some(Param::from_tensor(bias.slice_fill(hidden..2 * hidden, forget_bias).detach()));
        Self { gates }
    }

    /// Width of `h` and `m`.
    pub fn hidden(&self) -> usize {
        self.gates.weight.val().dims()[1] / 4
    }

    /// `big_h: [batch, input]`, `m: [batch, hidden]` -> `(h', m')`, both `[batch, hidden]`.
    pub fn forward(&self, big_h: Tensor<2>, m: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let [a_i, a_f, a_g, a_o]: [Tensor<2>; 4] =
            self.gates.forward(big_h).chunk(4, 1).try_into().expect("four gate blocks");
        let memory = sigmoid(a_f) * m + sigmoid(a_i) * a_g.tanh();
        (sigmoid(a_o) * memory.clone().tanh(), memory)
    }
}
