//! What every recurrent cell has in common: a state carried from one time step to the next.
//!
//! A recurrent cell is a function `state_t = step(x_t, state_{t-1})`; its output at time t is the
//! hidden vector `h_t`, read from the state by [`RecurrentCell::hidden`]. A simple RNN and a GRU
//! carry `h_t` alone; an LSTM carries `(h_t, c_t)`. Running a cell over a whole sequence is
//! [`crate::unroll`]'s job.

use burn::module::Param;
use burn::prelude::{Device, Shape, Tensor};
use burn::tensor::Distribution;

/// One step of a recurrent network.
///
/// Shapes: `x_t: [batch, input_size]`, `hidden(state): [batch, hidden_size]`.
pub trait RecurrentCell {
    /// What is carried from one step to the next (`Tensor<2>` for an RNN or GRU, `(h, c)` for an LSTM).
    type State: Clone;

    /// Width of each input vector `x_t`.
    fn input_size(&self) -> usize;

    /// Width of the output vector `h_t`.
    fn hidden_size(&self) -> usize;

    /// The all-zero state for `batch` sequences, the usual state before the first step.
    fn zero_state(&self, batch: usize, device: &Device) -> Self::State;

    /// `state_t = step(x_t, state_{t-1})` for `x_t: [batch, input_size]`.
    fn step(&self, x_t: Tensor<2>, state: Self::State) -> Self::State;

    /// The output `h_t: [batch, hidden_size]` held in a state.
    fn hidden(state: &Self::State) -> Tensor<2>;

    /// The same state with `h_t` replaced (the rest, e.g. an LSTM's cell `c_t`, unchanged).
    ///
    /// [`crate::unroll::unroll_probed`] uses it to add a zero "probe" to each `h_t`, which makes
    /// `dLoss/dh_t` readable even though `h_t` is not a leaf of the graph.
    fn with_hidden(state: Self::State, hidden: Tensor<2>) -> Self::State;

    /// Runs over `inputs: [batch, time, input]` from `initial` (zero state when `None`): the
    /// outputs `[batch, time, hidden]` and the final state. By default step by step
    /// ([`crate::unroll::unroll`]); a fused layer ([`crate::fused`]) takes the whole sequence in
    /// one call.
    fn unroll(&self, inputs: Tensor<3>, initial: Option<Self::State>) -> (Tensor<3>, Self::State)
    where
        Self: Sized,
    {
        crate::unroll::unroll(self, inputs, initial)
    }
}

/// A tensor drawn from `U(-1/sqrt(n), 1/sqrt(n))`: with `n` the hidden size, the usual
/// initialisation of recurrent weights (PyTorch's default for `nn.RNN`, `nn.LSTM`, `nn.GRU`);
/// with `n` the fan-in, that of a fully connected layer's bias (and close to its weights').
pub(crate) fn uniform<const D: usize>(shape: impl Into<Shape>, n: usize, device: &Device) -> Tensor<D> {
    let bound = 1.0 / (n.max(1) as f64).sqrt();
    Tensor::random(shape, Distribution::Uniform(-bound, bound), device)
}

/// A trainable parameter initialised by [`uniform`]; drawn at once (not lazily), so that the
/// weights depend only on the seed at construction.
pub(crate) fn uniform_param<const D: usize>(
    shape: impl Into<Shape>,
    n: usize,
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(uniform(shape, n, device))
}
