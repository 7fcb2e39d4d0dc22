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
