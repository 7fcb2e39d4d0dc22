//! A tanh RNN on the adding problem, unrolled over time and written once for every engine.
//!
//! ```text
//! h_0 = 0,  h_t = tanh(x_t W_in + b_in + h_{t-1} W_rec + b_rec)    x_t: [batch, 2], h_t: [batch, hidden]
//! ŷ   = h_T W_out + b_out                                      [batch, 1]
//! L   = mean((ŷ - y)²)
//! ```
//!
//! `W_rec` is one value used at every step: unrolled, the graph holds T matmul nodes that read
//! it, and its gradient is the sum of what each passes back (backpropagation through time).
//! With `checkpoint_every = Some(k)` the steps run in segments of k given to
//! [`Engine::segment`], which the reverse graph checkpoints.

use crate::engine::{Engine, Segment};
use crate::parameters::{Layer, Parameters};
use burn::prelude::{Device, Tensor};
use std::rc::Rc;

/// Features of one adding-problem step: the value and the marker.
pub const STEP_FEATURES: usize = 2;

/// The index of `W_rec` in the parameters `[W_in, b_in, W_rec, b_rec, W_out, b_out]` (two
/// biases, as in PyTorch's `nn.RNN`).
pub const W_REC: usize = 2;

/// Draws the RNN's weights `[W_in, b_in, W_rec, b_rec, W_out, b_out]` from `seed`, each matrix
/// LeCun-normal, the biases zero.
pub fn init(hidden: usize, seed: u64, device: &Device) -> Parameters {
    let layers = [
        Layer { name: "in", fan_in: STEP_FEATURES, fan_out: hidden, gain: 1.0 },
        Layer { name: "rec", fan_in: hidden, fan_out: hidden, gain: 1.0 },
        Layer { name: "out", fan_in: hidden, fan_out: 1, gain: 1.0 },
    ];
    Parameters::init(&layers, seed, device)
}

/// One step `h_t = tanh(x_t W_in + b_in + h_{t-1} W_rec + b_rec)`; `p` as in [`init`].
pub fn rnn_step<E: Engine>(engine: &mut E, p: &[E::Value], h: &E::Value, x: &E::Value) -> E::Value {
    let input = engine.matmul(x, &p[0]);
    let input = engine.add(&input, &p[1]);
    let recurrent = engine.matmul(h, &p[W_REC]);
    let recurrent = engine.add(&recurrent, &p[3]);
    let sum = engine.add(&input, &recurrent);
    engine.tanh(&sum)
}

/// The final state `h_T [batch, hidden]` after the steps `xs` (each `[batch, 2]`).
pub fn rnn_final_state<E: Engine + 'static>(
    engine: &mut E,
    p: &[E::Value],
    xs: &[Tensor<2>],
    checkpoint_every: Option<usize>,
) -> E::Value {
    let [batch, _] = xs[0].dims();
    let hidden = engine.value(&p[W_REC]).dims()[0];
    let mut h = engine.constant(Tensor::zeros([batch, hidden], &xs[0].device()));
    match checkpoint_every {
        None => {
            for x in xs {
                let x = engine.constant(x.clone());
                h = rnn_step(engine, p, &h, &x);
            }
        }
        Some(k) => {
            for chunk in xs.chunks(k.max(1)) {
                let steps = chunk.to_vec();
                let segment: Segment<E> = Rc::new(move |engine: &mut E, inputs: &[E::Value]| {
                    let (h, p) = inputs.split_first().expect("the state, then the parameters");
                    let mut h = h.clone();
                    for x in &steps {
                        let x = engine.constant(x.clone());
                        h = rnn_step(engine, p, &h, &x);
                    }
                    h
                });
                let inputs: Vec<E::Value> = std::iter::once(h).chain(p.iter().cloned()).collect();
                h = engine.segment(&inputs, segment);
            }
        }
    }
    h
}

/// The mean squared error `[1, 1]` of the RNN's prediction from `xs` against `targets [batch, 1]`.
pub fn rnn_loss<E: Engine + 'static>(
    engine: &mut E,
    p: &[E::Value],
    xs: &[Tensor<2>],
    targets: &Tensor<2>,
    checkpoint_every: Option<usize>,
) -> E::Value {
    let h = rnn_final_state(engine, p, xs, checkpoint_every);
    let prediction = engine.matmul(&h, &p[4]);
    let prediction = engine.add(&prediction, &p[5]);
    let targets = engine.constant(targets.clone());
    let error = engine.sub(&prediction, &targets);
    let squared = engine.mul(&error, &error);
    engine.mean(&squared)
}

/// The steps of a `[batch, time, 2]` input, each `[batch, 2]`.
pub fn steps_of(inputs: Tensor<3>) -> Vec<Tensor<2>> {
    let [batch, time, features] = inputs.dims();
    (0..time)
        .map(|t| inputs.clone().slice([0..batch, t..t + 1, 0..features]).reshape([batch, features]))
        .collect()
}
