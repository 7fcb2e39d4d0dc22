//! The LSTM layer of the language models, written from tensor operations.
//!
//! One matrix product gives all four gates at once:
//!
//! ```text
//! [i f g o] = [x_t, h_{t-1}] W + b        W: [input + hidden, 4 hidden], b: [4 hidden]
//! c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g)
//! h_t = σ(o) ⊙ tanh(c_t)
//! ```
//!
//! Column blocks in PyTorch's order (input, forget, candidate, output). Shapes: `x: [batch,
//! time, input]`, `h_t, c_t: [batch, hidden]`, outputs `[batch, time, hidden]`.

use anyhow::{Result, ensure};
use burn::module::{Module, Param};
use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;
use burn::tensor::activation::sigmoid;
use shared::recurrent::FusedLstm;

/// The state carried between steps (and between training windows): `(h_t, c_t)`.
#[derive(Clone, Debug)]
pub struct LstmState {
    /// `h_t: [batch, hidden]`, the output.
    pub hidden: Tensor<2>,
    /// `c_t: [batch, hidden]`, the memory cell.
    pub cell: Tensor<2>,
}

impl LstmState {
    /// The same state cut from the graph (truncated backpropagation through time).
    pub fn detach(self) -> LstmState {
        LstmState { hidden: self.hidden.detach(), cell: self.cell.detach() }
    }
}

/// A one-layer LSTM with fused gate weights.
#[derive(Module, Debug)]
pub struct Lstm {
    /// `W: [input + hidden, 4 hidden]`.
    pub weight: Param<Tensor<2>>,
    /// `b: [4 hidden]`.
    pub bias: Param<Tensor<1>>,
}

impl Lstm {
    /// Weights and biases from `U(-1/√hidden, 1/√hidden)` (PyTorch's default), forget bias 1.
    pub fn new(input: usize, hidden: usize, device: &Device) -> Lstm {
        let bound = 1.0 / (hidden as f64).sqrt();
        let init = Distribution::Uniform(-bound, bound);
        let bias = Tensor::<1>::random([4 * hidden], init, device).slice_fill(hidden..2 * hidden, 1.0);
        Lstm {
            weight: Param::from_tensor(Tensor::random([input + hidden, 4 * hidden], init, device)),
            bias: Param::from_tensor(bias),
        }
    }

    /// A layer with the given `W: [input + hidden, 4 hidden]` and `b: [4 hidden]`.
    pub fn from_weights(weight: Tensor<2>, bias: Tensor<1>) -> Result<Lstm> {
        let [rows, columns] = weight.dims();
        ensure!(
            columns % 4 == 0 && rows > columns / 4 && bias.dims() == [columns],
            "Lstm::from_weights: need W [input + hidden, 4 hidden] and b [4 hidden], got {:?} and {:?}",
            weight.dims(),
            bias.dims()
        );
        Ok(Lstm { weight: Param::from_tensor(weight), bias: Param::from_tensor(bias) })
    }

    /// The same layer as shared's [`FusedLstm`], which runs a whole sequence at once (one input
    /// product for all steps, a hand-written backward pass) and computes what [`Lstm::forward`]
    /// computes, faster (how much: the README's Speed section). `W`'s `x` rows become its `W_ih: [input, 4 hidden]`, its
    /// `h` rows `W_hh: [hidden, 4 hidden]`; the copies are new parameters, cut from `self`'s graph.
    pub fn to_fused(&self) -> FusedLstm {
        FusedLstm::from_stacked(
            self.weight.val().set_require_grad(false),
            self.bias.val().set_require_grad(false),
        )
    }

    /// The width of `h_t`.
    pub fn hidden_size(&self) -> usize {
        self.bias.dims()[0] / 4
    }

    /// `(h_0, c_0) = (0, 0)` for `batch` sequences.
    pub fn zero_state(&self, batch: usize, device: &Device) -> LstmState {
        let zeros = Tensor::zeros([batch, self.hidden_size()], device);
        LstmState { hidden: zeros.clone(), cell: zeros }
    }

    /// One step: `x_t: [batch, input]`, `(h_{t-1}, c_{t-1})` -> `(h_t, c_t)`.
    pub fn step(&self, x_t: Tensor<2>, state: LstmState) -> LstmState {
        let gates =
            Tensor::cat(vec![x_t, state.hidden], 1).matmul(self.weight.val()) + self.bias.val().unsqueeze();
        let [i, f, g, o]: [Tensor<2>; 4] = gates.chunk(4, 1).try_into().expect("four gate blocks");
        let cell = sigmoid(f) * state.cell + sigmoid(i) * g.tanh();
        LstmState { hidden: sigmoid(o) * cell.clone().tanh(), cell }
    }

    /// Runs over `x: [batch, time, input]` from `state` (zeros if `None`): outputs
    /// `[batch, time, hidden]` and the final state.
    pub fn forward(&self, x: Tensor<3>, state: Option<LstmState>) -> (Tensor<3>, LstmState) {
        let [batch, time, _] = x.dims();
        let mut state = state.unwrap_or_else(|| self.zero_state(batch, &x.device()));
        let mut outputs = Vec::with_capacity(time);
        for x_t in x.chunk(time, 1) {
            state = self.step(x_t.squeeze_dim(1), state);
            outputs.push(state.hidden.clone());
        }
        (Tensor::stack(outputs, 1), state)
    }
}
