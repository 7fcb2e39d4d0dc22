//! [`FusedLstm`]: an LSTM layer over whole sequences (see the module docs for why it is fast).
//!
//! ```text
//! per step t:  a_t = b + x_t W_ih + h_{t-1} W_hh;  i, f, o = σ(·), g = tanh(·)   blocks i, f, g, o
//!              c_t = f ⊙ c_{t-1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
//! inputs: x  [B, S, I]        output: h_1..h_S  [B, S, H]
//! ```
//!
//! On burn-flex the whole layer is one autodiff node ([`super::lstm_kernel`]); elsewhere it is
//! composed from tensor operations, the input product for all steps first.
//!
//! The gate blocks follow PyTorch (`i, f, g, o`) and the lectures' cells. One bias per gate:
//! burn's and PyTorch's two biases (input and hidden transform) always appear summed.

use super::composed;
use super::extension::{FusedKernelBackend, has_kernels};
use super::sequence::check_lengths;
use burn::backend::Dispatch;
use burn::config::Config;
use burn::module::{Initializer, Module, Param};
use burn::prelude::{Device, Tensor};

/// Sizes and initialisation of a [`FusedLstm`].
#[derive(Config, Debug)]
pub struct FusedLstmConfig {
    /// `I`: features per input step.
    pub d_input: usize,
    /// `H`: hidden units.
    pub d_hidden: usize,
    /// Initial bias of the forget gate (1 is the common choice, Gers et al. 2000).
    #[config(default = 0.0)]
    pub forget_bias: f64,
}

impl FusedLstmConfig {
    /// Weights uniform in `±1/√H` (PyTorch's initialisation), biases zero but the forget gate's.
    pub fn init(&self, device: &Device) -> FusedLstm {
        let (input, hidden) = (self.d_input, self.d_hidden);
        let bound = 1.0 / (hidden as f64).sqrt();
        let uniform = Initializer::Uniform { min: -bound, max: bound };
        let bias: Vec<f32> =
            (0..4 * hidden).map(|k| if k / hidden == 1 { self.forget_bias as f32 } else { 0.0 }).collect();
        FusedLstm {
            input_weight: uniform.init([input, 4 * hidden], device),
            hidden_weight: uniform.init([hidden, 4 * hidden], device),
            bias: Param::from_tensor(Tensor::from_floats(bias.as_slice(), device)),
        }
    }
}

/// The state an LSTM carries between steps: `hidden` and `cell`, each `[B, H]`.
#[derive(Clone, Debug)]
pub struct LstmState {
    pub hidden: Tensor<2>,
    pub cell: Tensor<2>,
}

/// An LSTM layer that runs whole sequences. Parameters: `W_ih: [I, 4H]`, `W_hh: [H, 4H]`,
/// `b: [4H]`, gate blocks `i, f, g, o`.
#[derive(Module, Debug)]
pub struct FusedLstm {
    pub input_weight: Param<Tensor<2>>,
    pub hidden_weight: Param<Tensor<2>>,
    pub bias: Param<Tensor<1>>,
}

impl FusedLstm {
    /// A layer holding the values of the lectures' stacked layout: `weight: [I + H, 4H]` (the
    /// rows multiplying `x` over the rows multiplying `h`) and `bias: [4H]`. Its parameters are
    /// new leaves (a copy: training it does not train the tensors given), so `weight` and `bias`
    /// may be another model's trainable parameters.
    pub fn from_stacked(weight: Tensor<2>, bias: Tensor<1>) -> Self {
        let (weight, bias) = (weight.detach().set_require_grad(false), bias.detach().set_require_grad(false));
        let [rows, columns] = weight.dims();
        let input = rows - columns / 4;
        Self {
            input_weight: Param::from_tensor(weight.clone().narrow(0, 0, input)),
            hidden_weight: Param::from_tensor(weight.narrow(0, input, rows - input)),
            bias: Param::from_tensor(bias),
        }
    }

    /// `H`.
    pub fn d_hidden(&self) -> usize {
        self.hidden_weight.dims()[0]
    }

    /// Hidden states `[B, S, H]` of `inputs: [B, S, I]` from `initial` (zeros when `None`).
    pub fn forward(&self, inputs: Tensor<3>, initial: Option<LstmState>) -> Tensor<3> {
        self.run(inputs.swap_dims(0, 1), initial, &[], false).0.swap_dims(0, 1)
    }

    /// [`Self::forward`] time-major: hidden states `[S, B, H]` of `inputs: [S, B, I]`. The
    /// layer runs time-major, so this takes and gives its own layout, without the copies that
    /// swapping the first two dimensions costs before and after it (each way, forward and
    /// backward).
    pub fn forward_time_major(&self, inputs: Tensor<3>, initial: Option<LstmState>) -> Tensor<3> {
        self.run(inputs, initial, &[], false).0
    }

    /// Hidden states `[B, S, H]` and the final state. Sequence `b` stops after `lengths[b]`
    /// steps (empty: all run `S`): its final state is the one at its length, and its outputs past
    /// the length repeat that state (mask them out of a loss).
    pub fn forward_with_state(
        &self,
        inputs: Tensor<3>,
        initial: Option<LstmState>,
        lengths: &[usize],
    ) -> (Tensor<3>, LstmState) {
        let (outputs, cell) = self.run(inputs.swap_dims(0, 1), initial, lengths, true);
        let steps = outputs.dims()[0];
        let hidden = outputs.clone().narrow(0, steps - 1, 1).squeeze_dim::<2>(0);
        (outputs.swap_dims(0, 1), LstmState { hidden, cell: cell.expect("the run kept the cell") })
    }

    /// `(outputs [S, B, H], final cell when with_cell)` of time-major `inputs: [S, B, I]`.
    fn run(
        &self,
        inputs: Tensor<3>,
        initial: Option<LstmState>,
        lengths: &[usize],
        with_cell: bool,
    ) -> (Tensor<3>, Option<Tensor<2>>) {
        let [steps, batch, _] = inputs.dims();
        assert!(steps > 0, "FusedLstm needs at least one time step");
        check_lengths(lengths, batch, steps);
        let hidden = self.d_hidden();
        let device = inputs.device();
        let LstmState { hidden: h0, cell: c0 } = initial.unwrap_or_else(|| LstmState {
            hidden: Tensor::zeros([batch, hidden], &device),
            cell: Tensor::zeros([batch, hidden], &device),
        });
        if !has_kernels(&device, inputs.dtype()) {
            let gates_x = composed::input_projection(inputs, self.input_weight.val(), self.bias.val());
            let (outputs, cell) = composed::lstm(gates_x, self.hidden_weight.val(), h0, c0, lengths);
            return (outputs, with_cell.then_some(cell));
        }
        let out = Tensor::<3>::from_dispatch(<Dispatch as FusedKernelBackend>::fused_lstm(
            inputs.into_dispatch(),
            self.input_weight.val().into_dispatch(),
            self.bias.val().into_dispatch(),
            self.hidden_weight.val().into_dispatch(),
            h0.into_dispatch(),
            c0.into_dispatch(),
            lengths.to_vec(),
            with_cell,
        ));
        // Without the cell the output is exactly `h_1..h_S`: a narrow would add a node whose
        // backward pass zeroes and fills a copy of the whole gradient.
        if !with_cell {
            return (out, None);
        }
        (out.clone().narrow(0, 0, steps), Some(out.narrow(0, steps, 1).squeeze_dim::<2>(0)))
    }
}
