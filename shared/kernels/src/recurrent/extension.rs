//! The fused recurrences as burn backend operations with a hand-written backward pass.
//!
//! burn's backend-extension API lets a crate add an operation to a backend and, for autodiff,
//! register its own `Backward` step. Each fused layer therefore enters the autodiff graph as ONE
//! node whose parents are its inputs (the LSTM: the sequence, both weights and the bias; the
//! GRU: the input projection `gx`, the hidden weight and bias) and the initial state; its
//! backward step runs backpropagation through time in the CPU kernels
//! ([`super::lstm_kernel`], [`super::gru_kernel`]) and registers the gradient of each parent.
//!
//! Only burn-flex (plain and under autodiff) has the kernels. The layers check the device first
//! ([`has_kernels`]) and otherwise compose the same recurrence from tensor operations.

use super::activation::{tanh_all, tanh_backward};
use super::affine_kernel::{affine_bias_grad, affine_forward, affine_input_grad, affine_weight_grad};
use super::gru_kernel::{GruTrace, gru_backward, gru_forward};
use super::lstm_kernel::{LstmTrace, LstmUpstream, LstmWeights, lstm_backward, lstm_forward};
use super::sequence::SequenceDims;
use burn::backend::autodiff::NodeId;
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, DispatchDevice, Flex, backend_extension};
use burn::prelude::{Device, TensorData};
use burn::tensor::DType;
use std::sync::Arc;

/// Whether tensors on `device` with element type `dtype` run on the fused kernels: burn-flex,
/// with or without autodiff, in `f32`.
pub fn has_kernels(device: &Device, dtype: DType) -> bool {
    let inner = match device.as_dispatch() {
        DispatchDevice::Autodiff(autodiff) => autodiff.clone().inner(),
        other => other.clone(),
    };
    matches!(inner, DispatchDevice::Flex(_)) && dtype == DType::F32
}

/// The fused CPU operations (the recurrences, the affine map of many rows, tanh) as backend
/// operations (burn-flex only; see [`has_kernels`]).
#[backend_extension(Autodiff, Flex)]
pub trait FusedKernelBackend: burn::backend::Backend {
    /// The affine map of many rows, `x W + b`: `x: [N, I]`, `weight: [I, C]`, `bias: [C]`.
    /// Returns `[N, C]`. The GRU's input projection of all time steps, and `fast_ops::linear`.
    fn fused_affine(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self>;

    /// `tanh` of every element, vectorised (within 3e-7 of the exact value, see
    /// [`super::activation`]); the backward pass reuses the output, `δx = δy (1 - y²)`.
    fn fused_tanh(x: FloatTensor<Self>) -> FloatTensor<Self>;

    /// The LSTM layer: `inputs: [S, B, I]`, `input_weight: [I, 4H]`, `bias: [4H]`,
    /// `hidden_weight: [H, 4H]` (blocks `i, f, g, o`), `h0, c0: [B, H]`, `lengths` one per
    /// sequence or empty. Returns `h_1..h_S` as `[S, B, H]`, or with `with_cell`
    /// `[S + 1, B, H]` whose last slot is the final cell `c_S`.
    #[allow(clippy::too_many_arguments)]
    fn fused_lstm(
        inputs: FloatTensor<Self>,
        input_weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        hidden_weight: FloatTensor<Self>,
        h0: FloatTensor<Self>,
        c0: FloatTensor<Self>,
        lengths: Vec<usize>,
        with_cell: bool,
    ) -> FloatTensor<Self>;

    /// The GRU recurrence: `gates_x: [S, B, 3H]` (`x W_ih + b_ih`, blocks `r, z, n`),
    /// `hidden_weight: [H, 3H]`, `hidden_bias: [3H]`, `h0: [B, H]`. Returns `[S, B, H]`.
    fn fused_gru(
        gates_x: FloatTensor<Self>,
        hidden_weight: FloatTensor<Self>,
        hidden_bias: FloatTensor<Self>,
        h0: FloatTensor<Self>,
        lengths: Vec<usize>,
    ) -> FloatTensor<Self>;
}

/// `tensor` as a contiguous f32 buffer (a copy only when it is a strided view).
pub(crate) fn contiguous(tensor: FlexTensor) -> FlexTensor {
    if tensor.as_slice::<f32>().is_some() { tensor } else { tensor.to_contiguous() }
}

pub(crate) fn floats(tensor: &FlexTensor) -> &[f32] {
    tensor.as_slice::<f32>().expect("the fused recurrent kernels take f32 tensors")
}

pub(crate) fn flex_tensor(values: Vec<f32>, shape: &[usize]) -> FlexTensor {
    FlexTensor::from_data(TensorData::new(values, shape.to_vec()))
}

/// Hands a parent its gradient `values` (shaped `shape`), if the parent is tracked.
pub(crate) fn register(grads: &mut Gradients, parent: Option<NodeId>, values: Vec<f32>, shape: &[usize]) {
    if let Some(parent) = parent {
        grads.register::<Flex>(parent, flex_tensor(values, shape));
    }
}

/// `S, B, H` from `gates_x: [S, B, k H]`.
fn dims_of(gates_x: &FlexTensor, gates: usize) -> SequenceDims {
    let shape = gates_x.layout().shape();
    assert_eq!(shape.num_dims(), 3, "gates_x must be [S, B, {gates}H]");
    SequenceDims { steps: shape[0], batch: shape[1], hidden: shape[2] / gates }
}

/// The inputs of one affine call that its backward pass needs, made contiguous: `x: [N, I]`,
/// `weight: [I, C]`.
#[derive(Clone, Debug)]
struct AffineCall {
    x: FlexTensor,
    weight: FlexTensor,
}

impl AffineCall {
    /// Runs the forward kernel; returns the call and `y: [N, C]`.
    fn run(x: FlexTensor, weight: FlexTensor, bias: FlexTensor) -> (Self, FlexTensor) {
        let (x, weight, bias) = (contiguous(x), contiguous(weight), contiguous(bias));
        let rows = x.layout().shape()[0];
        let columns = floats(&bias).len();
        let y = affine_forward(floats(&x), floats(&weight), floats(&bias), rows);
        (Self { x, weight }, flex_tensor(y, &[rows, columns]))
    }
}

#[derive(Debug)]
struct FusedAffineBackward;

impl Backward<Flex, 3> for FusedAffineBackward {
    type State = AffineCall;

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [x, weight, bias] = ops.parents;
        let d_y = contiguous(grads.consume::<Flex>(&ops.node));
        let AffineCall { x: x_values, weight: weight_values } = ops.state;
        let ([rows, input], [_, columns]) =
            (x_values.layout().shape().dims(), weight_values.layout().shape().dims());
        let d_y = floats(&d_y);
        // Only the gradients a tracked parent takes are computed.
        if let Some(node) = x {
            let d_x = affine_input_grad(d_y, floats(&weight_values), rows, columns);
            register(grads, Some(node.id), d_x, &[rows, input]);
        }
        if let Some(node) = weight {
            let d_w = affine_weight_grad(floats(&x_values), d_y, rows, columns);
            register(grads, Some(node.id), d_w, &[input, columns]);
        }
        if let Some(node) = bias {
            register(grads, Some(node.id), affine_bias_grad(d_y, columns), &[columns]);
        }
    }
}

/// The dimensions of `tensor`.
fn dims(tensor: &FlexTensor) -> Vec<usize> {
    let shape = tensor.layout().shape();
    (0..shape.num_dims()).map(|d| shape[d]).collect()
}

/// `tanh(x)` as a new tensor of `x`'s shape.
fn tanh_of(x: FlexTensor) -> FlexTensor {
    let x = contiguous(x);
    flex_tensor(tanh_all(floats(&x)), &dims(&x))
}

/// Saves the output `y` of a fused tanh node.
#[derive(Debug)]
struct FusedTanhBackward;

impl Backward<Flex, 1> for FusedTanhBackward {
    type State = FlexTensor;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [x] = ops.parents;
        let d_y = contiguous(grads.consume::<Flex>(&ops.node));
        let y = ops.state;
        register(grads, x.map(|node| node.id), tanh_backward(floats(&y), floats(&d_y)), &dims(&y));
    }
}

/// The inputs of one LSTM call, made contiguous.
#[derive(Clone, Debug)]
struct LstmCall {
    dims: SequenceDims,
    inputs: FlexTensor,
    input_weight: FlexTensor,
    bias: FlexTensor,
    hidden_weight: FlexTensor,
    lengths: Vec<usize>,
    with_cell: bool,
}

impl LstmCall {
    /// `inputs: [S, B, I]` and the parameters (`[I, 4H]`, `[4H]`, `[H, 4H]`), made contiguous.
    fn new(
        inputs: FlexTensor,
        [input_weight, bias, hidden_weight]: [FlexTensor; 3],
        lengths: Vec<usize>,
        with_cell: bool,
    ) -> Self {
        let shape = inputs.layout().shape();
        assert_eq!(shape.num_dims(), 3, "inputs must be [S, B, I]");
        let hidden = hidden_weight.layout().shape()[0];
        let dims = SequenceDims { steps: shape[0], batch: shape[1], hidden };
        let (inputs, input_weight) = (contiguous(inputs), contiguous(input_weight));
        let (bias, hidden_weight) = (contiguous(bias), contiguous(hidden_weight));
        Self { dims, inputs, input_weight, bias, hidden_weight, lengths, with_cell }
    }

    fn weights(&self) -> LstmWeights<'_> {
        LstmWeights {
            input: floats(&self.input_weight),
            hidden: floats(&self.hidden_weight),
            bias: floats(&self.bias),
        }
    }

    /// Runs the forward kernel from `h0, c0`; returns all hidden states `[S + 2, B, H]` (see
    /// [`lstm_forward`]) and the trace.
    fn run(&self, h0: FlexTensor, c0: FlexTensor) -> (FlexTensor, LstmTrace) {
        let (h0, c0) = (contiguous(h0), contiguous(c0));
        let (hiddens, trace) = lstm_forward(
            self.dims,
            floats(&self.inputs),
            self.weights(),
            (floats(&h0), floats(&c0)),
            &self.lengths,
        );
        let SequenceDims { steps, batch, hidden } = self.dims;
        (flex_tensor(hiddens, &[steps + 2, batch, hidden]), trace)
    }

    /// `h_1..h_S` (and `c_S`): a view of the hidden states, no copy.
    fn output(&self, hiddens: &FlexTensor) -> FlexTensor {
        hiddens.narrow(0, 1, self.dims.steps + usize::from(self.with_cell))
    }
}

impl FusedKernelBackend for Flex {
    fn fused_affine(x: FlexTensor, weight: FlexTensor, bias: FlexTensor) -> FlexTensor {
        AffineCall::run(x, weight, bias).1
    }

    fn fused_tanh(x: FlexTensor) -> FlexTensor {
        tanh_of(x)
    }

    fn fused_lstm(
        inputs: FlexTensor,
        input_weight: FlexTensor,
        bias: FlexTensor,
        hidden_weight: FlexTensor,
        h0: FlexTensor,
        c0: FlexTensor,
        lengths: Vec<usize>,
        with_cell: bool,
    ) -> FlexTensor {
        let call = LstmCall::new(inputs, [input_weight, bias, hidden_weight], lengths, with_cell);
        call.output(&call.run(h0, c0).0)
    }

    fn fused_gru(
        gates_x: FlexTensor,
        hidden_weight: FlexTensor,
        hidden_bias: FlexTensor,
        h0: FlexTensor,
        lengths: Vec<usize>,
    ) -> FlexTensor {
        let (call, hiddens, _trace) = GruCall::run(gates_x, hidden_weight, hidden_bias, h0, lengths);
        call.output(&hiddens)
    }
}

/// The saved forward pass of one fused LSTM node.
#[derive(Clone, Debug)]
struct LstmSaved {
    call: LstmCall,
    hiddens: FlexTensor,
    trace: Arc<LstmTrace>,
}

#[derive(Debug)]
struct FusedLstmBackward;

impl Backward<Flex, 6> for FusedLstmBackward {
    type State = LstmSaved;

    fn backward(self, ops: Ops<Self::State, 6>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [inputs, input_weight, bias, hidden_weight, h0, c0] = ops.parents;
        let upstream = contiguous(grads.consume::<Flex>(&ops.node));
        let LstmSaved { call, hiddens, trace } = ops.state;
        let SequenceDims { steps, batch, hidden } = call.dims;
        let input = floats(&call.input_weight).len() / (4 * hidden);
        let upstream = floats(&upstream);
        let zeros = vec![0.0; batch * hidden];
        let upstream = LstmUpstream {
            hiddens: &upstream[..steps * batch * hidden],
            cell: if call.with_cell { &upstream[steps * batch * hidden..] } else { &zeros },
        };
        let g = lstm_backward(
            call.dims,
            (floats(&call.inputs), call.weights()),
            (floats(&hiddens), &trace),
            &call.lengths,
            upstream,
        );
        register(grads, inputs.map(|node| node.id), g.inputs, &[steps, batch, input]);
        register(grads, input_weight.map(|node| node.id), g.input_weight, &[input, 4 * hidden]);
        register(grads, bias.map(|node| node.id), g.bias, &[4 * hidden]);
        register(grads, hidden_weight.map(|node| node.id), g.hidden_weight, &[hidden, 4 * hidden]);
        register(grads, h0.map(|node| node.id), g.h0, &[batch, hidden]);
        register(grads, c0.map(|node| node.id), g.c0, &[batch, hidden]);
    }
}

impl<C: CheckpointStrategy> FusedKernelBackend for Autodiff<Flex, C> {
    fn fused_affine(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
    ) -> FloatTensor<Self> {
        let parents = [x.node(), weight.node(), bias.node()];
        match FusedAffineBackward.prepare::<C>(parents).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (call, y) =
                    AffineCall::run(x.into_primitive(), weight.into_primitive(), bias.into_primitive());
                prep.finish(call, y)
            }
            OpsKind::UnTracked(prep) => prep.finish(Flex::fused_affine(
                x.into_primitive(),
                weight.into_primitive(),
                bias.into_primitive(),
            )),
        }
    }

    fn fused_tanh(x: FloatTensor<Self>) -> FloatTensor<Self> {
        match FusedTanhBackward.prepare::<C>([x.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let y = tanh_of(x.into_primitive());
                prep.finish(y.clone(), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(tanh_of(x.into_primitive())),
        }
    }

    fn fused_lstm(
        inputs: FloatTensor<Self>,
        input_weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        hidden_weight: FloatTensor<Self>,
        h0: FloatTensor<Self>,
        c0: FloatTensor<Self>,
        lengths: Vec<usize>,
        with_cell: bool,
    ) -> FloatTensor<Self> {
        let parents =
            [inputs.node(), input_weight.node(), bias.node(), hidden_weight.node(), h0.node(), c0.node()];
        let call = |inputs: FloatTensor<Self>, weights: [FloatTensor<Self>; 3]| {
            LstmCall::new(inputs.into_primitive(), weights.map(|w| w.into_primitive()), lengths, with_cell)
        };
        let weights = [input_weight, bias, hidden_weight];
        match FusedLstmBackward.prepare::<C>(parents).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let call = call(inputs, weights);
                let (hiddens, trace) = call.run(h0.into_primitive(), c0.into_primitive());
                let output = call.output(&hiddens);
                prep.finish(LstmSaved { call, hiddens, trace: Arc::new(trace) }, output)
            }
            OpsKind::UnTracked(prep) => {
                let call = call(inputs, weights);
                prep.finish(call.output(&call.run(h0.into_primitive(), c0.into_primitive()).0))
            }
        }
    }

    fn fused_gru(
        gates_x: FloatTensor<Self>,
        hidden_weight: FloatTensor<Self>,
        hidden_bias: FloatTensor<Self>,
        h0: FloatTensor<Self>,
        lengths: Vec<usize>,
    ) -> FloatTensor<Self> {
        let parents = [gates_x.node(), hidden_weight.node(), hidden_bias.node(), h0.node()];
        match FusedGruBackward.prepare::<C>(parents).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (call, hiddens, trace) = GruCall::run(
                    gates_x.into_primitive(),
                    hidden_weight.into_primitive(),
                    hidden_bias.into_primitive(),
                    h0.into_primitive(),
                    lengths,
                );
                let output = call.output(&hiddens);
                prep.finish(GruSaved { call, hiddens, trace: Arc::new(trace) }, output)
            }
            OpsKind::UnTracked(prep) => prep.finish(Flex::fused_gru(
                gates_x.into_primitive(),
                hidden_weight.into_primitive(),
                hidden_bias.into_primitive(),
                h0.into_primitive(),
                lengths,
            )),
        }
    }
}

/// The inputs of one GRU call, made contiguous.
#[derive(Clone, Debug)]
struct GruCall {
    dims: SequenceDims,
    hidden_weight: FlexTensor,
    lengths: Vec<usize>,
}

impl GruCall {
    /// Runs the forward kernel; returns the call, all hidden states `[S + 1, B, H]` and the trace.
    fn run(
        gates_x: FlexTensor,
        hidden_weight: FlexTensor,
        hidden_bias: FlexTensor,
        h0: FlexTensor,
        lengths: Vec<usize>,
    ) -> (Self, FlexTensor, GruTrace) {
        let (gates_x, hidden_weight) = (contiguous(gates_x), contiguous(hidden_weight));
        let (hidden_bias, h0) = (contiguous(hidden_bias), contiguous(h0));
        let dims = dims_of(&gates_x, 3);
        let (hiddens, trace) = gru_forward(
            dims,
            floats(&gates_x),
            floats(&hidden_weight),
            floats(&hidden_bias),
            floats(&h0),
            &lengths,
        );
        let hiddens = flex_tensor(hiddens, &[dims.steps + 1, dims.batch, dims.hidden]);
        (Self { dims, hidden_weight, lengths }, hiddens, trace)
    }

    /// `h_1..h_S`: a view of the hidden states, no copy.
    fn output(&self, hiddens: &FlexTensor) -> FlexTensor {
        hiddens.narrow(0, 1, self.dims.steps)
    }
}

/// The saved forward pass of one fused GRU node.
#[derive(Clone, Debug)]
struct GruSaved {
    call: GruCall,
    hiddens: FlexTensor,
    trace: Arc<GruTrace>,
}

#[derive(Debug)]
struct FusedGruBackward;

impl Backward<Flex, 4> for FusedGruBackward {
    type State = GruSaved;

    fn backward(self, ops: Ops<Self::State, 4>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [gates_x, hidden_weight, hidden_bias, h0] = ops.parents;
        let upstream = contiguous(grads.consume::<Flex>(&ops.node));
        let GruSaved { call, hiddens, trace } = ops.state;
        let SequenceDims { steps, batch, hidden } = call.dims;
        let g = gru_backward(
            call.dims,
            floats(&hiddens),
            &trace,
            floats(&call.hidden_weight),
            &call.lengths,
            floats(&upstream),
        );
        register(grads, gates_x.map(|node| node.id), g.gates_x, &[steps, batch, 3 * hidden]);
        register(grads, hidden_weight.map(|node| node.id), g.hidden_weight, &[hidden, 3 * hidden]);
        register(grads, hidden_bias.map(|node| node.id), g.hidden_bias, &[3 * hidden]);
        register(grads, h0.map(|node| node.id), g.h0, &[batch, hidden]);
    }
}
