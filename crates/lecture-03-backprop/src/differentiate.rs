//! A loss's value and its gradient with respect to every parameter, by our reverse mode and by
//! burn's autodiff: the two sides of every parity check and of the training comparison.
//!
//! A loss is a model function generic over [`Engine`], so both sides run the very same
//! forward computation; only the differentiation differs. (Forward mode's counterpart is
//! [`crate::forward_mode::gradient_by_forward_mode`].)

use crate::eager::Eager;
use crate::reverse::{Gradients, Graph, Var};
use burn::prelude::{Device, Tensor};

/// The value of a `[1, 1]` tensor.
pub fn scalar(x: Tensor<2>) -> f64 {
    x.into_scalar::<f64>()
}

/// Records `loss(graph, leaves)` on a fresh graph with a leaf per parameter (named after
/// `names`) and backpropagates: the graph, the leaves, the loss node and all gradients.
pub fn record_and_backpropagate(
    names: &[String],
    parameters: &[Tensor<2>],
    loss: impl FnOnce(&mut Graph, &[Var]) -> Var,
) -> (Graph, Vec<Var>, Var, Gradients) {
    let mut graph = Graph::new();
    let leaves = graph.leaves(names, parameters);
    let root = loss(&mut graph, &leaves);
    let gradients = graph.backward(root);
    (graph, leaves, root, gradients)
}

/// `(L, [∂L/∂θ_i])` by our reverse mode; a parameter the loss does not use gets zeros.
pub fn by_reverse_mode(
    names: &[String],
    parameters: &[Tensor<2>],
    loss: impl FnOnce(&mut Graph, &[Var]) -> Var,
) -> (f64, Vec<Tensor<2>>) {
    let (graph, leaves, root, gradients) = record_and_backpropagate(names, parameters, loss);
    let per_parameter = leaves
        .iter()
        .zip(parameters)
        .map(|(leaf, p)| gradients.get(*leaf).unwrap_or_else(|| p.zeros_like()))
        .collect();
    (scalar(graph.node(root).value.clone()), per_parameter)
}

/// `(L, [∂L/∂θ_i])` by burn's autodiff: the parameters are copied onto the autodiff version
/// of their device, the loss is evaluated with [`Eager`], and burn backpropagates. Gradients
/// come back on the parameters' own device.
pub fn by_burn_autodiff(
    parameters: &[Tensor<2>],
    loss: impl FnOnce(&mut Eager, &[Tensor<2>]) -> Tensor<2>,
) -> (f64, Vec<Tensor<2>>) {
    let device = parameters[0].device();
    let autodiff = device.clone().autodiff();
    let tracked: Vec<Tensor<2>> = parameters.iter().map(|p| copy_to(p, &autodiff).require_grad()).collect();
    let value = loss(&mut Eager::default(), &tracked);
    let gradients = value.backward();
    let per_parameter = tracked
        .iter()
        .map(|p| {
            p.grad(&gradients).map_or_else(|| Tensor::zeros(p.dims(), &device), |g| copy_to(&g, &device))
        })
        .collect();
    (scalar(value), per_parameter)
}

/// A copy of `tensor`'s values on `device`, a fresh leaf there (moving a tensor onto an
/// autodiff device with `to_device` would make it the output of an operation instead).
pub fn copy_to(tensor: &Tensor<2>, device: &Device) -> Tensor<2> {
    Tensor::from_data(tensor.to_data(), device)
}

/// The relative error `‖a - b‖ / ‖b‖` of a gradient `a` against a reference `b` (0 when both
/// are zero).
pub fn relative_error(a: &Tensor<2>, b: &Tensor<2>) -> f64 {
    let norm = |t: Tensor<2>| t.powi_scalar(2).sum().sqrt().into_scalar::<f64>();
    let reference = norm(b.clone());
    let difference = norm(a.clone() - b.clone());
    if reference == 0.0 { difference } else { difference / reference }
}

/// The largest [`relative_error`] over pairs of gradients.
pub fn worst_relative_error(ours: &[Tensor<2>], reference: &[Tensor<2>]) -> f64 {
    ours.iter().zip(reference).map(|(a, b)| relative_error(a, b)).fold(0.0, f64::max)
}
