//! Running a cell over a sequence ("unrolling it in time").
//!
//! `inputs: [batch, time, input]` is cut into `x_1 .. x_T`; the cell steps through them from the
//! initial state (zeros unless given), and the outputs `h_1 .. h_T` are stacked into
//! `[batch, time, hidden]`. Backpropagation through time is autodiff through this loop.

use crate::cell::RecurrentCell;
use burn::prelude::Tensor;

/// Runs `cell` over `inputs: [batch, time, input]` from `initial` (zero state when `None`).
///
/// Returns the outputs `[batch, time, hidden]` (`h_t` at every step) and the final state.
pub fn unroll<C: RecurrentCell>(
    cell: &C,
    inputs: Tensor<3>,
    initial: Option<C::State>,
) -> (Tensor<3>, C::State) {
    let (hiddens, state) = unroll_steps(cell, inputs, initial);
    (stack_in_time(hiddens, &C::hidden(&state)), state)
}

/// [`unroll`] that returns the per-step outputs `h_1 .. h_T` (each `[batch, hidden]`) as a list.
pub fn unroll_steps<C: RecurrentCell>(
    cell: &C,
    inputs: Tensor<3>,
    initial: Option<C::State>,
) -> (Vec<Tensor<2>>, C::State) {
    let [batch, _, _] = inputs.dims();
    let mut state = initial.unwrap_or_else(|| cell.zero_state(batch, &inputs.device()));
    let mut hiddens = Vec::new();
    for x_t in time_steps(inputs) {
        state = cell.step(x_t, state);
        hiddens.push(C::hidden(&state));
    }
    (hiddens, state)
}

/// The result of [`unroll_probed`].
#[derive(Clone, Debug)]
pub struct Probed<S> {
    /// `[batch, time, hidden]`, as from [`unroll`].
    pub outputs: Tensor<3>,
    /// The final state.
    pub state: S,
    /// One zero tensor `[batch, hidden]` per step, added to `h_t`: after `loss.backward()`,
    /// `probes[t].grad(&grads)` is `dLoss/dh_t` (through the output at t and all later steps).
    pub probes: Vec<Tensor<2>>,
}

/// [`unroll`] that makes `dLoss/dh_t` observable, for the vanishing-gradient picture.
///
/// burn only keeps gradients of leaf tensors, and `h_t` is computed, not a leaf. So each step
/// replaces `h_t` by `h_t + p_t` with `p_t` a zero leaf that requires a gradient: the forward
/// values do not change, and `dLoss/dp_t = dLoss/dh_t`. `inputs` must be on an autodiff device
/// for the probes to receive gradients.
pub fn unroll_probed<C: RecurrentCell>(
    cell: &C,
    inputs: Tensor<3>,
    initial: Option<C::State>,
) -> Probed<C::State> {
    let [batch, _, _] = inputs.dims();
    let device = inputs.device();
    let mut state = initial.unwrap_or_else(|| cell.zero_state(batch, &device));
    let mut hiddens = Vec::new();
    let mut probes = Vec::new();
    for x_t in time_steps(inputs) {
        state = cell.step(x_t, state);
        let probe = Tensor::<2>::zeros([batch, cell.hidden_size()], &device).require_grad();
        let hidden = C::hidden(&state) + probe.clone();
        state = C::with_hidden(state, hidden.clone());
        hiddens.push(hidden);
        probes.push(probe);
    }
    let outputs = stack_in_time(hiddens, &C::hidden(&state));
    Probed { outputs, state, probes }
}

/// `inputs: [batch, time, features]` -> the `time` slices `[batch, features]`, in order.
pub fn time_steps(inputs: Tensor<3>) -> impl Iterator<Item = Tensor<2>> {
    inputs.iter_dim(1).map(|x_t| x_t.squeeze_dim(1))
}

/// `[batch, hidden]` per step -> `[batch, time, hidden]`; an empty list gives `time = 0`,
/// with `[batch, hidden]` taken from `like`.
pub fn stack_in_time(steps: Vec<Tensor<2>>, like: &Tensor<2>) -> Tensor<3> {
    if steps.is_empty() {
        let [batch, hidden] = like.dims();
        return Tensor::zeros([batch, 0, hidden], &like.device());
    }
    Tensor::stack(steps, 1)
}

/// Reverses a sequence `[batch, time, features]` in time.
pub fn reverse_in_time(sequence: Tensor<3>) -> Tensor<3> {
    sequence.flip([1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rnn_cell::RnnCellConfig;
    use burn::prelude::s;
    use burn::tensor::Distribution;
    use shared::testing::{Tolerance, assert_tensors_close, seeded};

    #[test]
    fn probes_read_the_gradient_at_every_hidden_state() {
        seeded(2, |device| {
            let cell = RnnCellConfig::new(3, 4).init(device);
            let x = Tensor::<3>::random([2, 5, 3], Distribution::Default, device);
            let r = Tensor::<2>::random([2, 4], Distribution::Default, device);
            let probed = unroll_probed(&cell, x.clone(), None);
            assert_tensors_close(
                "same forward values",
                probed.outputs.clone(),
                unroll(&cell, x, None).0,
                Tolerance::F32,
            );

            // Loss on the last output only: dL/dh_5 = r, and one step back the chain rule gives
            // dL/dh_4 = (r ⊙ (1 - h_5²)) W_hᵀ.
            let h_last = probed.outputs.clone().slice(s![.., 4..5, ..]).squeeze_dim(1);
            let grads = (h_last.clone() * r.clone()).sum().backward();
            let grad = |t: usize| probed.probes[t].grad(&grads).expect("probe gradient");
            assert_eq!(probed.probes.len(), 5);
            assert_tensors_close("dL/dh_5", grad(4), r.clone().inner(), Tolerance::F32);
            let through_tanh = r * (h_last.clone().powi_scalar(2).neg() + 1.0);
            let expected = through_tanh.matmul(cell.hidden_weight.val().transpose());
            assert_tensors_close("dL/dh_4", grad(3), expected.inner(), Tolerance::F32);
        });
    }

    #[test]
    fn an_empty_sequence_gives_no_outputs_and_the_initial_state() {
        let device = burn::prelude::Device::flex();
        let cell = RnnCellConfig::new(3, 4).init(&device);
        let (outputs, state) = unroll(&cell, Tensor::zeros([2, 0, 3], &device), None);
        assert_eq!(outputs.dims(), [2, 0, 4]);
        assert_eq!(state.dims(), [2, 4]);
    }

    #[test]
    fn reversing_twice_is_the_identity() {
        let device = burn::prelude::Device::flex();
        let x = Tensor::<3>::from_floats([[[1.0], [2.0], [3.0]]], &device);
        assert_tensors_close(
            "reversed",
            reverse_in_time(x.clone()),
            Tensor::from_floats([[[3.0], [2.0], [1.0]]], &device),
            Tolerance::F32,
        );
        assert_tensors_close("twice", reverse_in_time(reverse_in_time(x.clone())), x, Tolerance::F32);
    }
}
