//! Forward-mode automatic differentiation: dual numbers carrying a tangent beside each value.
//!
//! Each value `x` travels with its tangent `ẋ = ∂x/∂θ · v`, the derivative along one chosen
//! direction `v` of the parameters, and each operation applies its Jacobian to the tangent:
//!
//! ```text
//! (a + b)˙ = ȧ + ḃ      (a ⊙ b)˙ = ȧ ⊙ b + a ⊙ ḃ      (A B)˙ = Ȧ B + A Ḃ
//! (tanh x)˙ = (1 - y²) ⊙ ẋ    σ(x)˙ = y (1 - y) ⊙ ẋ    relu˙ = [y > 0] ⊙ ẋ
//! (e^x)˙ = y ⊙ ẋ      (ln x)˙ = ẋ / x      (Σ x)˙ = Σ ẋ
//! CE(z, t)˙ = (1/B) Σ_b (softmax(z_b) · ż_b - ż_b[t_b])      E[ids]˙ = Ė[ids]
//! ```
//!
//! One pass gives one directional derivative `∇L · v`. The full gradient of P parameters takes
//! P passes, one per basis direction ([`gradient_by_forward_mode`]): the cost that reverse mode
//! avoids.

use crate::eager::Eager;
use crate::engine::Engine;
use crate::ops::{elementwise_flops, log_softmax, matmul_flops, one_hot};
use crate::work::Work;
use burn::prelude::{Int, Tensor};

/// A value and its tangent, of the same shape.
#[derive(Clone, Debug)]
pub struct Dual {
    pub value: Tensor<2>,
    pub tangent: Tensor<2>,
}

/// Evaluates a model on dual numbers.
#[derive(Debug, Default)]
pub struct ForwardMode {
    eager: Eager,
}

impl ForwardMode {
    /// An engine counting its flops into `work`.
    pub fn with_work(work: Work) -> ForwardMode {
        ForwardMode { eager: Eager { work } }
    }

    /// The flops counted so far: values as forward work, tangents as derivative work.
    pub fn work(&self) -> &Work {
        &self.eager.work
    }

    /// `f(value)` as the value, `derivative(value, result) ⊙ ẋ` as the tangent.
    fn elementwise(
        &mut self,
        x: &Dual,
        f: fn(&mut Eager, &Tensor<2>) -> Tensor<2>,
        derivative: impl Fn(&Tensor<2>, &Tensor<2>) -> Tensor<2>,
    ) -> Dual {
        let value = f(&mut self.eager, &x.value);
        self.work().add_backward(3 * elementwise_flops(value.dims()));
        let tangent = derivative(&x.value, &value) * x.tangent.clone();
        Dual { value, tangent }
    }
}

impl Engine for ForwardMode {
    type Value = Dual;

    fn constant(&mut self, value: Tensor<2>) -> Dual {
        Dual { tangent: value.zeros_like(), value }
    }

    fn value(&self, x: &Dual) -> Tensor<2> {
        x.value.clone()
    }

    fn add(&mut self, a: &Dual, b: &Dual) -> Dual {
        let value = self.eager.add(&a.value, &b.value);
        self.work().add_backward(elementwise_flops(value.dims()));
        Dual { value, tangent: a.tangent.clone() + b.tangent.clone() }
    }

    fn sub(&mut self, a: &Dual, b: &Dual) -> Dual {
        let value = self.eager.sub(&a.value, &b.value);
        self.work().add_backward(elementwise_flops(value.dims()));
        Dual { value, tangent: a.tangent.clone() - b.tangent.clone() }
    }

    fn mul(&mut self, a: &Dual, b: &Dual) -> Dual {
        let value = self.eager.mul(&a.value, &b.value);
        self.work().add_backward(3 * elementwise_flops(value.dims()));
        let tangent = a.tangent.clone() * b.value.clone() + a.value.clone() * b.tangent.clone();
        Dual { value, tangent }
    }

    fn matmul(&mut self, a: &Dual, b: &Dual) -> Dual {
        let value = self.eager.matmul(&a.value, &b.value);
        self.work().add_backward(2 * matmul_flops(a.value.dims(), b.value.dims()));
        let tangent = a.tangent.clone().matmul(b.value.clone()) + a.value.clone().matmul(b.tangent.clone());
        Dual { value, tangent }
    }

    fn tanh(&mut self, x: &Dual) -> Dual {
        self.elementwise(x, Eager::tanh, |_, y| (y.clone() * y.clone()).neg().add_scalar(1.0))
    }

    fn sigmoid(&mut self, x: &Dual) -> Dual {
        self.elementwise(x, Eager::sigmoid, |_, y| y.clone() * y.clone().neg().add_scalar(1.0))
    }

    fn relu(&mut self, x: &Dual) -> Dual {
        self.elementwise(x, Eager::relu, |_, y| y.clone().greater_elem(0.0).float())
    }

    fn exp(&mut self, x: &Dual) -> Dual {
        self.elementwise(x, Eager::exp, |_, y| y.clone())
    }

    fn log(&mut self, x: &Dual) -> Dual {
        self.elementwise(x, Eager::log, |x, _| x.clone().recip())
    }

    fn sum(&mut self, x: &Dual) -> Dual {
        let value = self.eager.sum(&x.value);
        self.work().add_backward(elementwise_flops(x.value.dims()));
        Dual { value, tangent: crate::ops::sum_all(x.tangent.clone()) }
    }

    fn mean(&mut self, x: &Dual) -> Dual {
        let value = self.eager.mean(&x.value);
        self.work().add_backward(elementwise_flops(x.value.dims()));
        Dual { value, tangent: crate::ops::mean_all(x.tangent.clone()) }
    }

    fn softmax_cross_entropy(&mut self, logits: &Dual, targets: &Tensor<1, Int>) -> Dual {
        let value = self.eager.softmax_cross_entropy(&logits.value, targets);
        let [batch, classes] = logits.value.dims();
        self.work().add_backward(4 * elementwise_flops([batch, classes]));
        let residual = log_softmax(logits.value.clone()).exp() - one_hot(targets, classes);
        let tangent = ((residual * logits.tangent.clone()).sum() / batch as f64).reshape([1, 1]);
        Dual { value, tangent }
    }

    fn embedding(&mut self, table: &Dual, ids: &Tensor<1, Int>) -> Dual {
        let value = self.eager.embedding(&table.value, ids);
        self.work().add_backward(elementwise_flops(value.dims()));
        Dual { value, tangent: table.tangent.clone().select(0, ids.clone()) }
    }
}

/// The gradient of `loss(engine, parameters)` by forward mode: one pass per scalar parameter,
/// each with the tangent 1 on that parameter and 0 elsewhere. Returns tensors shaped like the
/// parameters. `loss` must return a `[1, 1]` value.
pub fn gradient_by_forward_mode(
    engine: &mut ForwardMode,
    parameters: &[Tensor<2>],
    loss: impl Fn(&mut ForwardMode, &[Dual]) -> Dual,
) -> Vec<Tensor<2>> {
    let at_rest: Vec<Dual> = parameters.iter().map(|p| engine.constant(p.clone())).collect();
    parameters
        .iter()
        .enumerate()
        .map(|(which, parameter)| {
            let shape = parameter.dims();
            let partials: Vec<f32> = (0..shape[0] * shape[1])
                .map(|element| {
                    let mut duals = at_rest.clone();
                    duals[which].tangent = basis_direction(shape, element, &parameter.device());
                    let derivative = loss(engine, &duals).tangent;
                    derivative.into_scalar::<f32>()
                })
                .collect();
            Tensor::<1>::from_floats(partials.as_slice(), &parameter.device()).reshape(shape)
        })
        .collect()
}

/// The tensor of `shape` with a 1 at flat position `element` and 0 elsewhere.
fn basis_direction(shape: [usize; 2], element: usize, device: &burn::prelude::Device) -> Tensor<2> {
    let mut values = vec![0.0f32; shape[0] * shape[1]];
    values[element] = 1.0;
    Tensor::<1>::from_floats(values.as_slice(), device).reshape(shape)
}
