//! Every operation's gradient, by our reverse mode (with and without checkpointing) and by our
//! forward mode, against central finite differences of the forward value.
//!
//! Each case differentiates `L = Σ op(x₁, ..., x_k) ⊙ R` with `R` a fixed random matrix, so that
//! every output element reaches the gradient with its own weight and no error can cancel.

use burn::prelude::{Int, Tensor};
use lecture_03_backprop::differentiate::by_reverse_mode;
use lecture_03_backprop::engine::{Engine, Segment};
use lecture_03_backprop::forward_mode::{ForwardMode, gradient_by_forward_mode};
use lecture_03_backprop::reverse::{Graph, Var};
use shared::backend::test_device;
use shared::testing::{Tolerance, compare, finite_difference_gradient, normal, seeded_on};
use std::rc::Rc;

#[derive(Clone, Copy, Debug)]
enum Case {
    Add,
    AddBroadcast,
    Sub,
    Mul,
    MulBroadcast,
    MatMul,
    Tanh,
    Sigmoid,
    Relu,
    Exp,
    Log,
    Sum,
    Mean,
    CrossEntropy,
    Embedding,
    UsedTwice,
}

const CASES: [Case; 16] = [
    Case::Add,
    Case::AddBroadcast,
    Case::Sub,
    Case::Mul,
    Case::MulBroadcast,
    Case::MatMul,
    Case::Tanh,
    Case::Sigmoid,
    Case::Relu,
    Case::Exp,
    Case::Log,
    Case::Sum,
    Case::Mean,
    Case::CrossEntropy,
    Case::Embedding,
    Case::UsedTwice,
];

fn targets() -> Tensor<1, Int> {
    Tensor::from_ints([2, 0, 1], &test_device())
}

fn ids() -> Tensor<1, Int> {
    Tensor::from_ints([3, 1, 3, 0], &test_device())
}

impl Case {
    /// The case's inputs, drawn from `seed`.
    fn inputs(self, seed: u64) -> Vec<Tensor<2>> {
        let device = test_device();
        seeded_on(&device, seed, |d| {
            let matrix = || normal([3, 4], d);
            match self {
                Case::AddBroadcast | Case::MulBroadcast => vec![matrix(), normal([1, 4], d)],
                Case::MatMul => vec![matrix(), normal([4, 2], d)],
                // Away from relu's kink and log's pole.
                Case::Relu => vec![matrix().sign() * (matrix().abs() + 0.1)],
                Case::Log => vec![matrix().abs() + 0.5],
                Case::Embedding => vec![normal([5, 3], d)],
                Case::Tanh | Case::Sigmoid | Case::Exp | Case::Sum | Case::Mean | Case::CrossEntropy => {
                    vec![matrix()]
                }
                Case::UsedTwice => vec![matrix()],
                Case::Add | Case::Sub | Case::Mul => vec![matrix(), matrix()],
            }
        })
    }

    /// `op(x)` on any engine.
    fn apply<E: Engine>(self, e: &mut E, x: &[E::Value]) -> E::Value {
        match self {
            Case::Add | Case::AddBroadcast => e.add(&x[0], &x[1]),
            Case::Sub => e.sub(&x[0], &x[1]),
            Case::Mul | Case::MulBroadcast => e.mul(&x[0], &x[1]),
            Case::MatMul => e.matmul(&x[0], &x[1]),
            Case::Tanh => e.tanh(&x[0]),
            Case::Sigmoid => e.sigmoid(&x[0]),
            Case::Relu => e.relu(&x[0]),
            Case::Exp => e.exp(&x[0]),
            Case::Log => e.log(&x[0]),
            Case::Sum => e.sum(&x[0]),
            Case::Mean => e.mean(&x[0]),
            Case::CrossEntropy => e.softmax_cross_entropy(&x[0], &targets()),
            Case::Embedding => e.embedding(&x[0], &ids()),
            Case::UsedTwice => {
                let product = e.mul(&x[0], &x[0]);
                let t = e.tanh(&x[0]);
                e.add(&product, &t)
            }
        }
    }

    /// `L = Σ op(x) ⊙ R`, `R` fixed by the output's shape.
    fn loss<E: Engine>(self, e: &mut E, x: &[E::Value]) -> E::Value {
        let out = self.apply(e, x);
        let shape = e.value(&out).dims();
        let projection = seeded_on(&test_device(), 99, |d| normal(shape, d));
        let projection = e.constant(projection);
        let weighted = e.mul(&out, &projection);
        e.sum(&weighted)
    }
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("x{i}")).collect()
}

/// The finite-difference gradient of the case's loss with respect to input `which`.
fn numeric(case: Case, inputs: &[Tensor<2>], which: usize) -> Vec<f64> {
    let f = |x: Tensor<2>| {
        let mut at = inputs.to_vec();
        at[which] = x;
        let (value, _) = by_reverse_mode(&names(at.len()), &at, |g, leaves| case.loss(g, leaves));
        Tensor::<1>::from_floats([value as f32], &test_device())
    };
    finite_difference_gradient(&f, &inputs[which], 1e-3).expect("a scalar loss")
}

fn flat(t: &Tensor<2>) -> Vec<f64> {
    t.clone().into_data().iter::<f64>().collect()
}

fn check(case: Case, way: &str, analytic: &[Tensor<2>], inputs: &[Tensor<2>]) {
    for (which, gradient) in analytic.iter().enumerate() {
        compare(&flat(gradient), &numeric(case, inputs, which), &gradient.dims(), Tolerance::new(1e-2, 2e-3))
            .unwrap_or_else(|e| panic!("{case:?}, input {which}, {way}: {e}"));
    }
}

#[test]
fn reverse_mode_matches_finite_differences_for_every_operation() {
    for case in CASES {
        let inputs = case.inputs(1);
        let (_, gradients) = by_reverse_mode(&names(inputs.len()), &inputs, |g, x| case.loss(g, x));
        check(case, "reverse mode", &gradients, &inputs);
    }
}

#[test]
fn checkpointed_reverse_mode_matches_finite_differences_for_every_operation() {
    for case in CASES {
        let inputs = case.inputs(2);
        let (_, gradients) = by_reverse_mode(&names(inputs.len()), &inputs, |g: &mut Graph, x: &[Var]| {
            let segment: Segment<Graph> = Rc::new(move |g: &mut Graph, x: &[Var]| case.loss(g, x));
            g.segment(x, segment)
        });
        check(case, "checkpointed reverse mode", &gradients, &inputs);
    }
}

#[test]
fn forward_mode_matches_finite_differences_for_every_operation() {
    for case in CASES {
        let inputs = case.inputs(3);
        let gradients =
            gradient_by_forward_mode(&mut ForwardMode::default(), &inputs, |e, x| case.loss(e, x));
        check(case, "forward mode", &gradients, &inputs);
    }
}
