//! Our RNN against burn's `Rnn` with the same weights: equal outputs, final states, and
//! gradients w.r.t. the input and every weight. (The LSTM is shared's layer, tested there against
//! burn's `Lstm` and finite differences.)
//!
//! burn's `Rnn` keeps a `GateController` (an input and a hidden `Linear`); ours keeps one matrix
//! `W: [input + hidden, hidden]`. burn's gate gets the rows of `x` for the input transform, the
//! rows of `h` for the hidden one, and our bias.

use burn::nn::{GateController, RnnConfig, RnnState};
use burn::prelude::Tensor;
use burn::tensor::Gradients;
use lecture_04_language_model::rnn::Rnn;
use shared::testing::weights::FusedGate;
use shared::testing::{Tolerance, assert_tensors_close, grad_of, leaf, normal, param_grad, seeded};

const TOL: Tolerance = Tolerance::F32;
const BATCH: usize = 3;
const TIME: usize = 5;
const INPUT: usize = 4;
const HIDDEN: usize = 6;

/// burn's gate for block `block` of a fused `W` and `b`, as fresh leaves.
fn burn_gate(weight: &Tensor<2>, bias: &Tensor<1>, block: usize) -> GateController {
    FusedGate { input: INPUT, width: HIDDEN, block }.burn_gate(weight, bias)
}

/// Asserts burn's gate got the gradient blocks of our fused `dW` and `db`.
fn assert_gate_grads(
    what: &str,
    burn: &GateController,
    grads_wb: (&Tensor<2>, &Tensor<1>),
    block: usize,
    grads: &Gradients,
) {
    FusedGate { input: INPUT, width: HIDDEN, block }.assert_grads(what, burn, grads_wb, grads);
}

#[test]
fn our_rnn_matches_burns_tanh_rnn() {
    seeded(12, |device| {
        let ours = Rnn::new(INPUT, HIDDEN, device);
        let mut burn = RnnConfig::new(INPUT, HIDDEN, true).init(device);
        burn.gate = burn_gate(&ours.weight.val(), &ours.bias.val(), 0);
        let x = normal([BATCH, TIME, INPUT], device);
        let h0 = normal([BATCH, HIDDEN], device);
        let r = normal([BATCH, TIME, HIDDEN], device);

        let (x_ours, x_burn) = (leaf(&x), leaf(&x));
        let (outputs, h_last) = ours.forward(x_ours.clone(), Some(h0.clone()));
        let (expected, burn_state) = burn.forward(x_burn.clone(), Some(RnnState { hidden: h0 }));
        assert_tensors_close("outputs", outputs.clone(), expected.clone(), TOL);
        assert_tensors_close("final h", h_last, burn_state.hidden, TOL);

        let grads = (outputs * r.clone()).sum().backward();
        let burn_grads = (expected * r).sum().backward();
        assert_tensors_close(
            "dLoss/dx",
            grad_of("x", &x_ours, &grads),
            grad_of("x", &x_burn, &burn_grads),
            TOL,
        );
        let ours_grads = (&param_grad("W", &ours.weight, &grads), &param_grad("b", &ours.bias, &grads));
        assert_gate_grads("tanh layer", &burn.gate, ours_grads, 0, &burn_grads);
    });
}
