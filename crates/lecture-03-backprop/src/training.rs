//! Training a model with our engine, and the same model with burn's autodiff, in the shared
//! loop ([`Fit`]), by plain gradient descent `θ ← θ - lr ∂L/∂θ` on both sides.
//!
//! Our side hands the loop a step that records the loss on a fresh graph and backpropagates
//! ([`Fit::run_with_gradients`]); burn's side gives the loop its loss and burn's SGD. From the
//! same weights and batches the two loss curves agree to rounding.

use crate::differentiate::{by_reverse_mode, copy_to};
use crate::eager::Eager;
use crate::parameters::Parameters;
use crate::reverse::{Graph, Var};
use anyhow::Result;
use burn::module::{Module, Param};
use burn::optim::SgdConfig;
use burn::prelude::Tensor;
use shared::report::ExperimentRecord;
use shared::train::{Fit, Fitted};

/// The parameters as a burn module, so that burn's optimiser can update them.
#[derive(Module, Debug)]
pub struct BurnParameters {
    pub tensors: Vec<Param<Tensor<2>>>,
}

/// Steps and learning rate of a gradient-descent run.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Descent {
    pub steps: u64,
    pub learning_rate: f64,
}

/// Trains with our reverse mode: `loss_at(graph, leaves, step)` records step `step`'s loss.
pub fn train_with_our_engine(
    label: &str,
    parameters: Parameters,
    descent: Descent,
    record: &mut ExperimentRecord,
    loss_at: impl Fn(&mut Graph, &[Var], u64) -> Var,
) -> Result<Fitted<Parameters>> {
    Fit::new(label, descent.steps, descent.learning_rate).run_with_gradients(
        parameters,
        record,
        |p: &Parameters, step| {
            Ok(by_reverse_mode(&p.names, &p.tensors, |graph, leaves| loss_at(graph, leaves, step)))
        },
        |p, gradients, learning_rate| p.sgd_step(&gradients, learning_rate),
    )
}

/// Trains with burn's autodiff and SGD: `loss_at(engine, weights, step)` computes step
/// `step`'s loss with burn's operations. Returns the weights on their original device.
pub fn train_with_burn(
    label: &str,
    parameters: Parameters,
    descent: Descent,
    record: &mut ExperimentRecord,
    loss_at: impl Fn(&mut Eager, &[Tensor<2>], u64) -> Tensor<2>,
) -> Result<Fitted<Parameters>> {
    let device = parameters.tensors[0].device();
    let autodiff = device.clone().autodiff();
    let module = BurnParameters {
        tensors: parameters.tensors.iter().map(|t| Param::from_tensor(copy_to(t, &autodiff))).collect(),
    };
    let fitted = Fit::new(label, descent.steps, descent.learning_rate).run(
        module,
        SgdConfig::new().init(),
        record,
        |module: &BurnParameters, step| {
            let weights: Vec<Tensor<2>> = module.tensors.iter().map(Param::val).collect();
            Ok(loss_at(&mut Eager::default(), &weights, step).reshape([1]))
        },
    )?;
    let tensors = fitted.model.tensors.iter().map(|p| copy_to(&p.val(), &device)).collect();
    let model = Parameters { names: parameters.names, tensors };
    Ok(Fitted {
        model,
        final_loss: fitted.final_loss,
        evaluations: fitted.evaluations,
        diverged: fitted.diverged,
    })
}
