//! [`FusedGru`]: a GRU layer over whole sequences (see the module docs for why it is fast).
//!
//! ```text
//! gx = x W_ih + b_ih               [B, S, I] -> [S, B, 3H]    one product for all steps
//! per step t:  gh = h_{t-1} W_hh + b_hh                        blocks r, z, n
//!              r = σ(gx_r + gh_r);  z = σ(gx_z + gh_z);  n = tanh(gx_n + r ⊙ gh_n)
//!              h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
//! output: h_1..h_S  [B, S, H]
//! ```
//!
//! PyTorch's gate order and its (and burn's default) "reset after" form; both biases are kept
//! because `b_hn` sits inside the reset gate's product.

use super::composed;
use super::extension::{FusedKernelBackend, has_kernels};
use super::sequence::check_lengths;
use burn::backend::Dispatch;
use burn::config::Config;
use burn::module::{Initializer, Module, Param};
use burn::prelude::{Device, Tensor};

/// Sizes of a [`FusedGru`].
#[derive(Config, Debug)]
pub struct FusedGruConfig {
    /// `I`: features per input step.
    pub d_input: usize,
    /// `H`: hidden units.
    pub d_hidden: usize,
}

impl FusedGruConfig {
    /// Weights and biases uniform in `±1/√H` (PyTorch's initialisation).
    pub fn init(&self, device: &Device) -> FusedGru {
        let (input, hidden) = (self.d_input, self.d_hidden);
        let bound = 1.0 / (hidden as f64).sqrt();
        let uniform = Initializer::Uniform { min: -bound, max: bound };
        FusedGru {
            input_weight: uniform.init([input, 3 * hidden], device),
            input_bias: uniform.init([3 * hidden], device),
            hidden_weight: uniform.init([hidden, 3 * hidden], device),
            hidden_bias: uniform.init([3 * hidden], device),
        }
    }
}

/// A GRU layer that runs whole sequences. Parameters: `W_ih: [I, 3H]`, `b_ih: [3H]`,
/// `W_hh: [H, 3H]`, `b_hh: [3H]`, gate blocks `r, z, n`.
#[derive(Module, Debug)]
pub struct FusedGru {
    pub input_weight: Param<Tensor<2>>,
    pub input_bias: Param<Tensor<1>>,
    pub hidden_weight: Param<Tensor<2>>,
    pub hidden_bias: Param<Tensor<1>>,
}

impl FusedGru {
    /// `H`.
    pub fn d_hidden(&self) -> usize {
        self.hidden_weight.dims()[0]
    }

    /// Hidden states `[B, S, H]` of `inputs: [B, S, I]` from `initial: [B, H]` (zeros when
    /// `None`). The final state is the last step, `outputs[:, S - 1]`.
    pub fn forward(&self, inputs: Tensor<3>, initial: Option<Tensor<2>>) -> Tensor<3> {
        self.forward_with_lengths(inputs, initial, &[])
    }

    /// [`FusedGru::forward`] where sequence `b` stops after `lengths[b]` steps (empty: all run
    /// `S`): its later outputs repeat its final state, so `outputs[:, S - 1]` is every
    /// sequence's final state.
    pub fn forward_with_lengths(
        &self,
        inputs: Tensor<3>,
        initial: Option<Tensor<2>>,
        lengths: &[usize],
    ) -> Tensor<3> {
        let [batch, steps, _] = inputs.dims();
        assert!(steps > 0, "FusedGru needs at least one time step");
        check_lengths(lengths, batch, steps);
        let device = inputs.device();
        let gates_x = input_projection(inputs, self.input_weight.val(), self.input_bias.val());
        let h0 = initial.unwrap_or_else(|| Tensor::zeros([batch, self.d_hidden()], &device));
        let outputs = if has_kernels(&device, gates_x.dtype()) {
            Tensor::<3>::from_dispatch(<Dispatch as FusedKernelBackend>::fused_gru(
                gates_x.into_dispatch(),
                self.hidden_weight.val().into_dispatch(),
                self.hidden_bias.val().into_dispatch(),
                h0.into_dispatch(),
                lengths.to_vec(),
            ))
        } else {
            composed::gru(gates_x, self.hidden_weight.val(), self.hidden_bias.val(), h0, lengths)
        };
        outputs.swap_dims(0, 1)
    }
}

/// `x W + b` for every step: `inputs: [B, S, I]`, `weight: [I, C]`, `bias: [C]` -> time-major
/// `[S, B, C]`. On the kernels' backend one node, split between threads ([`affine_kernel`]);
/// elsewhere [`composed::input_projection`].
///
/// [`affine_kernel`]: super::affine_kernel
pub(super) fn input_projection(inputs: Tensor<3>, weight: Tensor<2>, bias: Tensor<1>) -> Tensor<3> {
    let time_major = inputs.swap_dims(0, 1);
    if !has_kernels(&time_major.device(), time_major.dtype()) {
        return composed::input_projection(time_major, weight, bias);
    }
    let [steps, batch, input] = time_major.dims();
    let columns = weight.dims()[1];
    let projected = Tensor::<2>::from_dispatch(<Dispatch as FusedKernelBackend>::fused_affine(
        time_major.reshape([steps * batch, input]).into_dispatch(),
        weight.into_dispatch(),
        bias.into_dispatch(),
    ));
    projected.reshape([steps, batch, columns])
}
