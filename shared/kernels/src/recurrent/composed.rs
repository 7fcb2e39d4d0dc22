//! The fused recurrences composed from burn tensor operations, one step at a time: what the
//! layers run where the CPU kernels do not ([`super::extension::has_kernels`]: wgpu, ndarray,
//! f64), and the reference the kernels are tested against.
//!
//! Same contract as the kernels: time-major `gates_x` (the input projection, computed once for
//! all steps), one product with the hidden weight per step, finished sequences carry their state.

use burn::prelude::{Device, Tensor, TensorData};
use burn::tensor::activation::sigmoid;

/// `x W + b` for all steps at once, time-major: `inputs: [S, B, I]`, `weight: [I, C]`,
/// `bias: [C]` -> `[S, B, C]`.
pub fn input_projection(inputs: Tensor<3>, weight: Tensor<2>, bias: Tensor<1>) -> Tensor<3> {
    let [steps, batch, input] = inputs.dims();
    let columns = weight.dims()[1];
    let flat = inputs.reshape([steps * batch, input]);
    (flat.matmul(weight) + bias.unsqueeze::<2>()).reshape([steps, batch, columns])
}

/// `[S, B, 1]` with 1 where step `t` of sequence `b` runs (`t < lengths[b]`), else 0; `None`
/// when every sequence runs all `S` steps.
fn running_mask(lengths: &[usize], steps: usize, device: &Device) -> Option<Tensor<3>> {
    if lengths.iter().all(|&length| length >= steps) {
        return None;
    }
    let batch = lengths.len();
    let mask: Vec<f32> =
        (0..steps).flat_map(|t| lengths.iter().map(move |&length| f32::from(u8::from(t < length)))).collect();
    Some(Tensor::from_data(TensorData::new(mask, [steps, batch, 1]), device))
}

/// `m ⊙ new + (1 - m) ⊙ old` for step `t` of the mask, or `new` without one.
fn carry(mask: &Option<Tensor<3>>, t: usize, new: Tensor<2>, old: Tensor<2>) -> Tensor<2> {
    match mask {
        None => new,
        Some(mask) => {
            let m = mask.clone().narrow(0, t, 1).squeeze_dim::<2>(0);
            old.clone() + (new - old) * m
        }
    }
}

/// Step `t` of a time-major `[S, B, k]` tensor, as `[B, k]`.
fn step(sequence: &Tensor<3>, t: usize) -> Tensor<2> {
    sequence.clone().narrow(0, t, 1).squeeze_dim::<2>(0)
}

/// The LSTM recurrence (see [`super::lstm_kernel`]): returns `h_1..h_S` `[S, B, H]` and the
/// final cell `[B, H]`.
pub fn lstm(
    gates_x: Tensor<3>,
    hidden_weight: Tensor<2>,
    h0: Tensor<2>,
    c0: Tensor<2>,
    lengths: &[usize],
) -> (Tensor<3>, Tensor<2>) {
    let [steps, _, four_hidden] = gates_x.dims();
    let hidden = four_hidden / 4;
    let mask = running_mask(lengths, steps, &gates_x.device());
    let (mut h, mut c) = (h0, c0);
    let mut outputs = Vec::with_capacity(steps);
    for t in 0..steps {
        let a = step(&gates_x, t) + h.clone().matmul(hidden_weight.clone());
        let block = |k: usize| a.clone().narrow(1, k * hidden, hidden);
        let (i, f, g, o) = (sigmoid(block(0)), sigmoid(block(1)), block(2).tanh(), sigmoid(block(3)));
        let c_new = f * c.clone() + i * g;
        let h_new = o * c_new.clone().tanh();
        c = carry(&mask, t, c_new, c);
        h = carry(&mask, t, h_new, h);
        outputs.push(h.clone());
    }
    (Tensor::stack(outputs, 0), c)
}

/// The GRU recurrence (see [`super::gru_kernel`]): returns `h_1..h_S` `[S, B, H]`.
pub fn gru(
    gates_x: Tensor<3>,
    hidden_weight: Tensor<2>,
    hidden_bias: Tensor<1>,
    h0: Tensor<2>,
    lengths: &[usize],
) -> Tensor<3> {
    let [steps, _, three_hidden] = gates_x.dims();
    let hidden = three_hidden / 3;
    let mask = running_mask(lengths, steps, &gates_x.device());
    let mut h = h0;
    let mut outputs = Vec::with_capacity(steps);
    for t in 0..steps {
        let gx = step(&gates_x, t);
        let gh = h.clone().matmul(hidden_weight.clone()) + hidden_bias.clone().unsqueeze::<2>();
        let x_block = |k: usize| gx.clone().narrow(1, k * hidden, hidden);
        let h_block = |k: usize| gh.clone().narrow(1, k * hidden, hidden);
        let r = sigmoid(x_block(0) + h_block(0));
        let z = sigmoid(x_block(1) + h_block(1));
        let n = (x_block(2) + r * h_block(2)).tanh();
        let h_new = n.clone() + z * (h.clone() - n);
        h = carry(&mask, t, h_new, h);
        outputs.push(h.clone());
    }
    Tensor::stack(outputs, 0)
}
