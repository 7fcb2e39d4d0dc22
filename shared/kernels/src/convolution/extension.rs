//! The convolution of [`super::kernel`] and the pooling of [`super::max_pool`] as burn backend
//! operations with hand-written backward passes: one autodiff node each, whose parents are the
//! input, the weight and the bias, or the input (burn-flex only; see
//! [`crate::recurrent::extension::has_kernels`]).

use super::geometry::ConvGeometry;
use super::kernel::{Wanted, conv_backward, conv_forward};
use super::max_pool::{PoolGeometry, max_pool_backward, max_pool_forward};
use crate::recurrent::extension::{contiguous, flex_tensor, floats, register};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Flex, backend_extension};

/// The 2-D convolution on the packed tile and max pooling, images and planes split between
/// threads.
#[backend_extension(Autodiff, Flex)]
pub trait FusedConvBackend: burn::backend::Backend {
    /// `x: [B, C, H, W]`, `weight: [O, C, KH, KW]`, `bias: [O]`, symmetric `padding`, no
    /// dilation, one group. Returns `[B, O, OH, OW]`.
    fn fused_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        stride: [usize; 2],
        padding: [usize; 2],
    ) -> FloatTensor<Self>;

    /// Max pooling of `x: [B, C, H, W]` over non-overlapping `window`s (stride = window, no
    /// padding), of `relu(x)` with `rectify`. Returns `[B, C, H / kh, W / kw]`.
    fn fused_max_pool2d(x: FloatTensor<Self>, window: [usize; 2], rectify: bool) -> FloatTensor<Self>;
}

/// What the backward pass of one pooling needs: the sizes and each output's maximum's offset.
#[derive(Clone, Debug)]
struct PoolCall {
    geometry: PoolGeometry,
    shape: [usize; 4],
    argmax: Vec<u32>,
}

impl PoolCall {
    /// Runs the forward kernel; returns the call and `y: [B, C, OH, OW]`.
    fn run(x: FlexTensor, window: [usize; 2], rectify: bool) -> (Self, FlexTensor) {
        let x = contiguous(x);
        let shape = x.layout().shape().dims::<4>();
        let [batch, channels, height, width] = shape;
        let geometry = PoolGeometry { planes: batch * channels, height, width, window };
        let (y, argmax) = max_pool_forward(&geometry, floats(&x), rectify);
        let [oh, ow] = geometry.output_size();
        (Self { geometry, shape, argmax }, flex_tensor(y, &[batch, channels, oh, ow]))
    }
}

#[derive(Debug)]
struct FusedMaxPoolBackward;

impl Backward<Flex, 1> for FusedMaxPoolBackward {
    type State = PoolCall;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [x] = ops.parents;
        let d_y = contiguous(grads.consume::<Flex>(&ops.node));
        let PoolCall { geometry, shape, argmax } = ops.state;
        let d_x = max_pool_backward(&geometry, floats(&d_y), &argmax);
        register(grads, x.map(|node| node.id), d_x, &shape);
    }
}

/// The inputs of one convolution that its backward pass needs, made contiguous.
#[derive(Clone, Debug)]
struct ConvCall {
    geometry: ConvGeometry,
    x: FlexTensor,
    weight: FlexTensor,
}

impl ConvCall {
    /// Runs the forward kernel; returns the call and `y: [B, O, OH, OW]`.
    fn run(
        x: FlexTensor,
        weight: FlexTensor,
        bias: FlexTensor,
        stride: [usize; 2],
        padding: [usize; 2],
    ) -> (Self, FlexTensor) {
        let (x, weight, bias) = (contiguous(x), contiguous(weight), contiguous(bias));
        let [batch, in_channels, height, width] = x.layout().shape().dims();
        let [out_channels, weight_channels, kh, kw] = weight.layout().shape().dims();
        assert_eq!(
            in_channels, weight_channels,
            "input has {in_channels} channels, the weight {weight_channels}"
        );
        let geometry = ConvGeometry {
            batch,
            in_channels,
            height,
            width,
            out_channels,
            kernel: [kh, kw],
            stride,
            padding,
        };
        let y = conv_forward(&geometry, floats(&x), floats(&weight), floats(&bias));
        let [oh, ow] = geometry.output_size();
        (Self { geometry, x, weight }, flex_tensor(y, &[batch, out_channels, oh, ow]))
    }
}

#[derive(Debug)]
struct FusedConvBackward;

impl Backward<Flex, 3> for FusedConvBackward {
    type State = ConvCall;

    fn backward(self, ops: Ops<Self::State, 3>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [x, weight, bias] = ops.parents;
        let d_y = contiguous(grads.consume::<Flex>(&ops.node));
        let ConvCall { geometry, x: x_values, weight: weight_values } = ops.state;
        // Only the gradients a tracked parent takes are computed.
        let wanted = Wanted { x: x.is_some(), weight: weight.is_some(), bias: bias.is_some() };
        let g = conv_backward(&geometry, floats(&x_values), floats(&weight_values), floats(&d_y), wanted);
        let (x_shape, w_shape) =
            (x_values.layout().shape().dims::<4>(), weight_values.layout().shape().dims::<4>());
        if let Some(d_x) = g.x {
            register(grads, x.map(|node| node.id), d_x, &x_shape);
        }
        if let Some(d_w) = g.weight {
            register(grads, weight.map(|node| node.id), d_w, &w_shape);
        }
        if let Some(d_bias) = g.bias {
            register(grads, bias.map(|node| node.id), d_bias, &[geometry.out_channels]);
        }
    }
}

impl FusedConvBackend for Flex {
    fn fused_conv2d(
        x: FlexTensor,
        weight: FlexTensor,
        bias: FlexTensor,
        stride: [usize; 2],
        padding: [usize; 2],
    ) -> FlexTensor {
        ConvCall::run(x, weight, bias, stride, padding).1
    }

    fn fused_max_pool2d(x: FlexTensor, window: [usize; 2], rectify: bool) -> FlexTensor {
        PoolCall::run(x, window, rectify).1
    }
}

impl<C: CheckpointStrategy> FusedConvBackend for Autodiff<Flex, C> {
    fn fused_conv2d(
        x: FloatTensor<Self>,
        weight: FloatTensor<Self>,
        bias: FloatTensor<Self>,
        stride: [usize; 2],
        padding: [usize; 2],
    ) -> FloatTensor<Self> {
        let parents = [x.node(), weight.node(), bias.node()];
        match FusedConvBackward.prepare::<C>(parents).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (call, y) = ConvCall::run(
                    x.into_primitive(),
                    weight.into_primitive(),
                    bias.into_primitive(),
                    stride,
                    padding,
                );
                prep.finish(call, y)
            }
            OpsKind::UnTracked(prep) => prep.finish(Flex::fused_conv2d(
                x.into_primitive(),
                weight.into_primitive(),
                bias.into_primitive(),
                stride,
                padding,
            )),
        }
    }

    fn fused_max_pool2d(x: FloatTensor<Self>, window: [usize; 2], rectify: bool) -> FloatTensor<Self> {
        match FusedMaxPoolBackward.prepare::<C>([x.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (call, y) = PoolCall::run(x.into_primitive(), window, rectify);
                prep.finish(call, y)
            }
            OpsKind::UnTracked(prep) => {
                prep.finish(Flex::fused_max_pool2d(x.into_primitive(), window, rectify))
            }
        }
    }
}
