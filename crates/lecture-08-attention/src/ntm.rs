//! Neural Turing Machine (Graves, Wayne & Danihelka 2014): a recurrent controller with an
//! external memory it reads and writes through soft, differentiable addressing.
//!
//! ```text
//! memory M: [batch, N, W];  controller h_t = GRU([x_t; r_{t-1}], h_{t-1})        h: [batch, H]
//! each head emits from h_t: key k [W], strength β = softplus, gate g = σ, shift s = softmax over
//! {-1, 0, +1}, sharpening γ = 1 + softplus; the write head also erase e = σ [W], add a = tanh [W]
//! content:      w^c_i = softmax_i(β cos(k, M_i))
//! interpolate:  w^g = g w^c + (1 - g) w_{t-1}
//! shift:        w̃_i = Σ_{d ∈ {-1,0,1}} s_d w^g_{i-d}   (circular)
//! sharpen:      w_i = w̃_i^γ / Σ_j w̃_j^γ                                          w: [batch, N]
//! read:         r = Σ_i w_i M_i                                                     [batch, W]
//! write:        M_i ← M_i ⊙ (1 - w_i e) + w_i a
//! output:       y_t = σ(W_y [h_t; r_t] + b_y)
//! ```
//!
//! Content addressing finds a slot by what it holds; the shift moves the focus to a neighbour,
//! which is how the copy task is solved: write the inputs to consecutive slots, then jump back
//! to the first by content and read them in order. One read head and one write head here.

use crate::gru::{GruLayer, GruLayerConfig};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{sigmoid, softmax, softplus};

/// Sizes of a [`Ntm`].
#[derive(Config, Debug)]
pub struct NtmConfig {
    /// Input and output bits per step.
    pub input_size: usize,
    pub output_size: usize,
    /// Controller width `H`.
    pub hidden: usize,
    /// Memory slots `N` and slot width `W`.
    pub slots: usize,
    pub width: usize,
}

impl NtmConfig {
    /// A fresh machine.
    pub fn init(&self, device: &Device) -> Ntm {
        let w = self.width;
        Ntm {
            controller: GruLayerConfig::new(self.input_size + w, self.hidden).init(device),
            // key W, β, g, 3 shifts, γ.
            read_head: LinearConfig::new(self.hidden, w + 6).init(device),
            // the same, then erase W and add W.
            write_head: LinearConfig::new(self.hidden, 3 * w + 6).init(device),
            output: LinearConfig::new(self.hidden + w, self.output_size).init(device),
            slots: self.slots,
        }
    }
}

/// Controller, two heads, output layer.
#[derive(Module, Debug)]
pub struct Ntm {
    pub controller: GruLayer,
    pub read_head: Linear,
    pub write_head: Linear,
    pub output: Linear,
    /// Memory slots `N`.
    pub slots: usize,
}

/// Addressing parameters of one head, `[batch, .]` each.
struct Address {
    key: Tensor<2>,
    strength: Tensor<2>,
    gate: Tensor<2>,
    shift: Tensor<2>,
    sharpen: Tensor<2>,
}

fn address_params(p: Tensor<2>, width: usize) -> Address {
    Address {
        key: p.clone().narrow(1, 0, width),
        strength: softplus(p.clone().narrow(1, width, 1), 1.0),
        gate: sigmoid(p.clone().narrow(1, width + 1, 1)),
        shift: softmax(p.clone().narrow(1, width + 2, 3), 1),
        sharpen: softplus(p.narrow(1, width + 5, 1), 1.0).add_scalar(1.0),
    }
}

/// `w_{i-d}` for every `i`: the weighting rolled by `d` slots (circular), `[batch, N]`.
pub fn roll(w: Tensor<2>, d: i64) -> Tensor<2> {
    let n = w.dims()[1];
    let d = d.rem_euclid(n as i64) as usize;
    if d == 0 {
        return w;
    }
    Tensor::cat(vec![w.clone().narrow(1, n - d, d), w.narrow(1, 0, n - d)], 1)
}

/// The head's new weighting `[batch, N]` over `memory: [batch, N, W]` from its parameters and
/// its previous weighting.
fn address(a: Address, memory: &Tensor<3>, previous: Tensor<2>) -> Tensor<2> {
    let eps = 1e-8;
    let dot = memory.clone().matmul(a.key.clone().unsqueeze_dim(2)).squeeze_dim::<2>(2); // [B, N]
    let memory_norm = memory.clone().powi_scalar(2).sum_dim(2).squeeze_dim::<2>(2).add_scalar(eps).sqrt();
    let key_norm = a.key.powi_scalar(2).sum_dim(1).add_scalar(eps).sqrt(); // [B, 1]
    let cosine = dot / (memory_norm * key_norm);
    let content = softmax(cosine * a.strength, 1);
    let gated = content * a.gate.clone() + previous * a.gate.neg().add_scalar(1.0);
    let shifted = roll(gated.clone(), -1) * a.shift.clone().narrow(1, 0, 1)
        + gated.clone() * a.shift.clone().narrow(1, 1, 1)
        + roll(gated, 1) * a.shift.narrow(1, 2, 1);
    let sharp = (shifted.add_scalar(eps).log() * a.sharpen).exp();
    sharp.clone() / sharp.sum_dim(1)
}

/// The machine's outputs and the weightings of its heads.
pub struct NtmOutput {
    /// Output logits `[batch, T, output]` (apply σ for bit probabilities).
    pub logits: Tensor<3>,
    /// Read and write weightings, `[batch, T, N]` each.
    pub reads: Tensor<3>,
    pub writes: Tensor<3>,
}

impl Ntm {
    /// Runs over `x: [batch, T, input]` from an empty memory with both heads on slot 0.
    pub fn forward(&self, x: Tensor<3>) -> NtmOutput {
        let [batch, time, _] = x.dims();
        let device = x.device();
        let (slots, width) = (self.slots, self.width());
        let mut memory = Tensor::<3>::full([batch, slots, width], 1e-6, &device);
        let first = Tensor::<2>::zeros([batch, slots], &device)
            .slice_assign([0..batch, 0..1], Tensor::ones([batch, 1], &device));
        let (mut read_w, mut write_w) = (first.clone(), first);
        let mut read = Tensor::<2>::zeros([batch, width], &device);
        let mut h = Tensor::<2>::zeros([batch, self.controller.hidden_size()], &device);
        let (mut outputs, mut reads, mut writes) = (Vec::new(), Vec::new(), Vec::new());
        for t in 0..time {
            let x_t = x.clone().narrow(1, t, 1).squeeze_dim::<2>(1);
            let input = self.controller.input.forward(Tensor::cat(vec![x_t, read], 1));
            h = self.controller.step(input, h);
            let w_params = self.write_head.forward(h.clone());
            let erase = sigmoid(w_params.clone().narrow(1, width + 6, width));
            let add = w_params.clone().narrow(1, 2 * width + 6, width).tanh();
            write_w = address(address_params(w_params, width), &memory, write_w);
            let w = write_w.clone().unsqueeze_dim::<3>(2); // [B, N, 1]
            memory = memory.clone() * (w.clone().matmul(erase.unsqueeze_dim(1))).neg().add_scalar(1.0)
                + w.matmul(add.unsqueeze_dim(1));
            read_w = address(address_params(self.read_head.forward(h.clone()), width), &memory, read_w);
            read = read_w.clone().unsqueeze_dim::<3>(1).matmul(memory.clone()).squeeze_dim(1);
            outputs.push(self.output.forward(Tensor::cat(vec![h.clone(), read.clone()], 1)));
            reads.push(read_w.clone());
            writes.push(write_w.clone());
        }
        NtmOutput {
            logits: Tensor::stack(outputs, 1),
            reads: Tensor::stack(reads, 1),
            writes: Tensor::stack(writes, 1),
        }
    }

    fn width(&self) -> usize {
        self.read_head.weight.dims()[1] - 6
    }
}
