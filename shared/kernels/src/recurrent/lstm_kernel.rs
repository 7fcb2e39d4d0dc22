//! The LSTM layer over a whole sequence, forward and backward through time, on `f32` slices:
//! the CPU kernel behind [`super::FusedLstm`] on burn-flex.
//!
//! Everything is time-major: inputs `x: [S, B, I]`, gates `[S, B, 4H]` (blocks `i, f, g, o`).
//! Per step the kernel adds two products to the bias and runs one fused element-wise pass:
//!
//! ```text
//! a_t = b + x_t W_ih + h_{t-1} W_hh                           [B, 4H]
//! i, f, o = σ(a_i), σ(a_f), σ(a_o);  g = tanh(a_g)
//! c_t = f ⊙ c_{t-1} + i ⊙ g;         h_t = o ⊙ tanh(c_t)
//! ```
//!
//! The input product runs inside the step, on rows the step is about to use: computed for all
//! steps beforehand it wrote an `[S, B, 4H]` buffer (8 MB in `char_lstm`) that the recurrence
//! read back, 10% of the step.
//!
//! A sequence `b` with `lengths[b] <= t` carries its state unchanged: `h_t = h_{t-1}`,
//! `c_t = c_{t-1}`, so step `S - 1` holds every sequence's final state.
//!
//! Backward through time (δ = ∂loss/∂·, `δh_t` = upstream gradient + the recurrent part):
//!
//! ```text
//! δo = δh ⊙ tanh(c_t)            δc = δc_{t+1 carried} + δh ⊙ o ⊙ (1 - tanh²(c_t))
//! δi = δc ⊙ g   δg = δc ⊙ i   δf = δc ⊙ c_{t-1}        δc_{t-1} = δc ⊙ f
//! δa = [δi i(1-i), δf f(1-f), δg (1-g²), δo o(1-o)]
//! [δx_t | δh_{t-1}] = δa [W_ih; W_hh]ᵀ                      one product a step for both
//! [δW_ih; δW_hh] = [x | h_prev]ᵀ δa,   δb = Σ δa             one product over all steps
//! ```

use super::activation::{sigmoid, tanh};
use super::buffers;
use super::mat_ref::MatRef;
use super::packed_matmul::{PackedRhs, matmul_packed, matmul_packed_serial, rows_per_task};
use super::sequence::{RowBlock, SequenceDims, rows_range, task_rows};
use super::vectorise::{LANES, lanes, store, vectorised};
use rayon::prelude::*;

/// What the backward pass needs from the forward pass, besides the hidden states.
#[derive(Clone, Debug)]
pub struct LstmTrace {
    /// `[S + 1, B, H]`: slot 0 = `c_0`, slot `t + 1` = `c_t`.
    pub cells: Vec<f32>,
    /// `[S, B, 4H]`: the activated gates `i, f, g, o` of every step.
    pub gates: Vec<f32>,
}

impl Drop for LstmTrace {
    /// The buffers go back to [`buffers::recycle`] for the next step's trace.
    fn drop(&mut self) {
        buffers::recycle(std::mem::take(&mut self.cells));
        buffers::recycle(std::mem::take(&mut self.gates));
    }
}

/// The layer's parameters: `input: [I, 4H]`, `hidden: [H, 4H]`, `bias: [4H]`.
#[derive(Clone, Copy, Debug)]
pub struct LstmWeights<'a> {
    pub input: &'a [f32],
    pub hidden: &'a [f32],
    pub bias: &'a [f32],
}

impl LstmWeights<'_> {
    /// `I`.
    fn inputs(&self) -> usize {
        self.input.len() / self.bias.len()
    }
}

/// Gradients of the layer's inputs and parameters.
#[derive(Clone, Debug)]
pub struct LstmGrads {
    /// `[S, B, I]`.
    pub inputs: Vec<f32>,
    /// `[I, 4H]`.
    pub input_weight: Vec<f32>,
    /// `[H, 4H]`.
    pub hidden_weight: Vec<f32>,
    /// `[4H]`.
    pub bias: Vec<f32>,
    /// `[B, H]`.
    pub h0: Vec<f32>,
    /// `[B, H]`.
    pub c0: Vec<f32>,
}

/// Runs the layer. `inputs: [S, B, I]`, `h0, c0: [B, H]`, `lengths`: one per sequence, or
/// empty for "all `S`".
///
/// Returns the hidden states `[S + 2, B, H]` (slot 0 = `h_0`, slot `t + 1` = `h_t`, slot
/// `S + 1` = the final cell `c_S`, so that outputs and final cell are one contiguous block,
/// slots `1..S + 2`) and the trace.
pub fn lstm_forward(
    dims: SequenceDims,
    inputs: &[f32],
    weights: LstmWeights,
    (h0, c0): (&[f32], &[f32]),
    lengths: &[usize],
) -> (Vec<f32>, LstmTrace) {
    let SequenceDims { steps, batch, hidden } = dims;
    let (state, gate_step, input) = (dims.step_len(1), dims.step_len(4), weights.inputs());
    assert_eq!(inputs.len(), steps * batch * input, "inputs must be [S, B, I]");
    // Every element is written below: slot 0 from `h0, c0`, the others by the steps.
    let mut hiddens = buffers::recycled((steps + 2) * state);
    let mut cells = buffers::recycled((steps + 1) * state);
    let mut gates = buffers::recycled_repeated(weights.bias, steps * batch);
    hiddens[..state].copy_from_slice(h0);
    cells[..state].copy_from_slice(c0);
    let w_ih = PackedRhs::pack(MatRef::new(weights.input, input, 4 * hidden));
    let w_hh = PackedRhs::pack(MatRef::new(weights.hidden, hidden, 4 * hidden));
    let chunk = rows_per_task(batch);
    // Sequences are independent: each task runs every step of its block of batch rows.
    let task_h = task_rows(&mut hiddens[..(steps + 1) * state], state, chunk * hidden);
    let task_c = task_rows(&mut cells, state, chunk * hidden);
    let task_a = task_rows(&mut gates, gate_step, chunk * 4 * hidden);
    task_h.into_par_iter().zip(task_c).zip(task_a).enumerate().for_each(|(task, ((mut h, mut c), mut a))| {
        for t in 0..steps {
            let ((h_past, h_future), (c_past, c_future)) = (h.split_at_mut(t + 1), c.split_at_mut(t + 1));
            let (h_prev, c_prev, h_new) = (&*h_past[t], &*c_past[t], &mut *h_future[0]);
            let (a, rows) = (&mut *a[t], h_new.len() / hidden);
            let x = &inputs[(t * batch + task * chunk) * input..][..rows * input];
            matmul_packed_serial(a, MatRef::new(x, rows, input), &w_ih, true);
            matmul_packed_serial(a, MatRef::new(h_prev, rows, hidden), &w_hh, true);
            let block = RowBlock { first: task * chunk, hidden, t, lengths, dims };
            forward_rows(block, a, (h_prev, c_prev), h_new, c_future[0]);
        }
    });
    hiddens[(steps + 1) * state..].copy_from_slice(&cells[steps * state..]);
    (hiddens, LstmTrace { cells, gates })
}

vectorised! {
    /// A block of rows of one step: activates `a [n, 4H]`, writes `h_new, c_new [n, H]` from
    /// `(h_prev, c_prev)`; finished sequences carry their state.
    fn forward_rows(
        block: RowBlock,
        a: &mut [f32],
        previous: (&[f32], &[f32]),
        h_new: &mut [f32],
        c_new: &mut [f32],
    ) => forward_rows_body
}

#[inline(always)]
fn forward_rows_body(
    block: RowBlock,
    a: &mut [f32],
    (h_prev, c_prev): (&[f32], &[f32]),
    h_new: &mut [f32],
    c_new: &mut [f32],
) {
    let hidden = block.hidden;
    let rows = h_new.chunks_exact_mut(hidden).zip(c_new.chunks_exact_mut(hidden));
    for (r, ((h_new, c_new), a)) in rows.zip(a.chunks_exact_mut(4 * hidden)).enumerate() {
        let row = r * hidden..(r + 1) * hidden;
        if block.dims.active(block.lengths, block.t, block.first + r) {
            cell_forward(a, &c_prev[row], c_new, h_new);
        } else {
            h_new.copy_from_slice(&h_prev[row.clone()]);
            c_new.copy_from_slice(&c_prev[row]);
        }
    }
}

/// One sequence's step: activates the pre-activations `a = [a_i, a_f, a_g, a_o]` in place and
/// writes `c_t` and `h_t`.
#[inline(always)]
fn cell_forward(a: &mut [f32], c_prev: &[f32], c_new: &mut [f32], h_new: &mut [f32]) {
    let hidden = c_prev.len();
    let (a_i, rest) = a.split_at_mut(hidden);
    let (a_f, rest) = rest.split_at_mut(hidden);
    let (a_g, a_o) = rest.split_at_mut(hidden);
    for start in (0..hidden).step_by(LANES) {
        let j = start..(start + LANES).min(hidden);
        let (a_i, a_f, a_g, a_o) =
            (&mut a_i[j.clone()], &mut a_f[j.clone()], &mut a_g[j.clone()], &mut a_o[j.clone()]);
        let (mut i, mut f, mut g, mut o) = (lanes(a_i), lanes(a_f), lanes(a_g), lanes(a_o));
        let (c_prev, mut c, mut h) = (lanes(&c_prev[j.clone()]), [0.0; LANES], [0.0; LANES]);
        for l in 0..LANES {
            (i[l], f[l], g[l], o[l]) = (sigmoid(i[l]), sigmoid(f[l]), tanh(g[l]), sigmoid(o[l]));
            c[l] = f[l] * c_prev[l] + i[l] * g[l];
            h[l] = o[l] * tanh(c[l]);
        }
        store(a_i, &i);
        store(a_f, &f);
        store(a_g, &g);
        store(a_o, &o);
        store(&mut c_new[j.clone()], &c);
        store(&mut h_new[j], &h);
    }
}

/// The gradient flowing back into a layer: `hiddens: [S, B, H]`, that of every `h_t`;
/// `cell: [B, H]`, that of the final cell `c_S` (zeros when unused).
#[derive(Clone, Copy, Debug)]
pub struct LstmUpstream<'a> {
    pub hiddens: &'a [f32],
    pub cell: &'a [f32],
}

/// Backward through time. `inputs`, `weights` and `lengths` as given to [`lstm_forward`],
/// `hiddens` and `trace` as it returned them.
pub fn lstm_backward(
    dims: SequenceDims,
    (inputs, weights): (&[f32], LstmWeights),
    (hiddens, trace): (&[f32], &LstmTrace),
    lengths: &[usize],
    upstream: LstmUpstream,
) -> LstmGrads {
    let SequenceDims { steps, batch, hidden } = dims;
    let (state, gate_step, input) = (dims.step_len(1), dims.step_len(4), weights.inputs());
    // Every element is written by the steps (zeros for finished sequences).
    let mut d_gates = buffers::recycled(steps * gate_step);
    let mut d_inputs = buffers::recycled(steps * batch * input);
    let mut dh = vec![0.0; state];
    let mut dc = upstream.cell.to_vec();
    let stacked = [weights.input, weights.hidden].concat();
    let stacked_t = PackedRhs::pack(MatRef::new(&stacked, input + hidden, 4 * hidden).t());
    let chunk = rows_per_task(batch);
    // Sequences are independent: each task runs every step of its block of batch rows, and
    // sums its rows' `δa` for the bias.
    let task_d = task_rows(&mut d_gates, gate_step, chunk * 4 * hidden);
    let task_x = task_rows(&mut d_inputs, batch * input, chunk * input);
    let bias_sums: Vec<Vec<f32>> = task_d
        .into_par_iter()
        .zip(task_x)
        .zip(dh.par_chunks_mut(chunk * hidden))
        .zip(dc.par_chunks_mut(chunk * hidden))
        .enumerate()
        .map(|(task, (((mut d_a, mut d_x), dh), dc))| {
            let rows = dh.len() / hidden;
            let mut both = vec![0.0; rows * (input + hidden)];
            let mut d_bias = vec![0.0; 4 * hidden];
            for t in (0..steps).rev() {
                let d_a = &mut *d_a[t];
                let step = StepTrace {
                    gates: &trace.gates[t * gate_step..(t + 1) * gate_step],
                    c_prev: &trace.cells[t * state..(t + 1) * state],
                    c: &trace.cells[(t + 1) * state..(t + 2) * state],
                    upstream: &upstream.hiddens[t * state..(t + 1) * state],
                };
                let block = RowBlock { first: task * chunk, hidden, t, lengths, dims };
                backward_rows(block, step.rows(task, chunk, hidden, dh.len()), dh, dc, d_a);
                matmul_packed_serial(&mut both, MatRef::new(d_a, rows, 4 * hidden), &stacked_t, false);
                split_input_and_hidden(&both, (input, hidden), d_x[t], dh);
                add_rows(&mut d_bias, d_a);
            }
            d_bias
        })
        .collect();
    let bias = bias_sums.into_iter().reduce(|mut total, sums| {
        add_rows(&mut total, &sums);
        total
    });
    let rows = steps * batch;
    let (input_weight, hidden_weight) = weight_grads(
        [MatRef::new(inputs, rows, input), MatRef::new(&hiddens[..steps * state], rows, hidden)],
        d_gates,
    );
    LstmGrads {
        inputs: d_inputs,
        input_weight,
        hidden_weight,
        bias: bias.expect("at least one task"),
        h0: dh,
        c0: dc,
    }
}

/// `sums += ` every row of `rows` (`sums.len()` wide).
fn add_rows(sums: &mut [f32], rows: &[f32]) {
    for row in rows.chunks_exact(sums.len()) {
        sums.iter_mut().zip(row).for_each(|(sum, value)| *sum += value);
    }
}

/// Rows `[δx_t | δh_{t-1}]` of one block: `δx_t` into `d_x`, `δh_{t-1}` added to `dh` (which
/// holds zero for a running sequence, the carried gradient for a finished one).
fn split_input_and_hidden(both: &[f32], (input, hidden): (usize, usize), d_x: &mut [f32], dh: &mut [f32]) {
    for ((row, d_x), dh) in
        both.chunks_exact(input + hidden).zip(d_x.chunks_exact_mut(input)).zip(dh.chunks_exact_mut(hidden))
    {
        d_x.copy_from_slice(&row[..input]);
        dh.iter_mut().zip(&row[input..]).for_each(|(d, g)| *d += g);
    }
}

/// `δW_ih = xᵀ δa: [I, 4H]` and `δW_hh = h_prevᵀ δa: [H, 4H]` for `x: [N, I]`,
/// `h_prev: [N, H]`, `d_gates: [N, 4H]`: the gates' gradient, the largest operand, is packed
/// once for both products (and both buffers go back to [`buffers::recycle`]: the packed one
/// when dropped).
fn weight_grads(sides: [MatRef; 2], d_gates: Vec<f32>) -> (Vec<f32>, Vec<f32>) {
    let (rows, d_gates_width) = (sides[0].rows, d_gates.len() / sides[0].rows);
    let packed = PackedRhs::pack(MatRef::new(&d_gates, rows, d_gates_width));
    buffers::recycle(d_gates);
    let [input, hidden] = sides.map(|side| {
        let mut d_w = vec![0.0; side.cols * d_gates_width];
        matmul_packed(&mut d_w, side.t(), &packed, false);
        d_w
    });
    (input, hidden)
}

/// Rows of one step as the backward pass sees them: activated gates `[n, 4H]`, `c_{t-1}`,
/// `c_t` and the upstream gradient of `h_t`, each `[n, H]`.
#[derive(Clone, Copy)]
struct StepTrace<'a> {
    gates: &'a [f32],
    c_prev: &'a [f32],
    c: &'a [f32],
    upstream: &'a [f32],
}

impl<'a> StepTrace<'a> {
    /// Task `task`'s rows (`len` elements of each `[n, H]` buffer).
    fn rows(&self, task: usize, chunk: usize, hidden: usize, len: usize) -> StepTrace<'a> {
        let rows = rows_range(task, chunk, hidden, len);
        StepTrace {
            gates: &self.gates[4 * rows.start..4 * rows.end],
            c_prev: &self.c_prev[rows.clone()],
            c: &self.c[rows.clone()],
            upstream: &self.upstream[rows],
        }
    }
}

vectorised! {
    /// A block of rows of one step backward: see [`cell_backward`]; finished sequences pass
    /// `δh` and `δc` through unchanged, with `δa = 0`.
    fn backward_rows(block: RowBlock, step: StepTrace, dh: &mut [f32], dc: &mut [f32], d_a: &mut [f32]) => backward_rows_body
}

#[inline(always)]
fn backward_rows_body(block: RowBlock, step: StepTrace, dh: &mut [f32], dc: &mut [f32], d_a: &mut [f32]) {
    let hidden = block.hidden;
    for (r, ((dh, dc), d_a)) in dh
        .chunks_exact_mut(hidden)
        .zip(dc.chunks_exact_mut(hidden))
        .zip(d_a.chunks_exact_mut(4 * hidden))
        .enumerate()
    {
        let row = r * hidden..(r + 1) * hidden;
        let upstream = &step.upstream[row.clone()];
        if block.dims.active(block.lengths, block.t, block.first + r) {
            let gates = &step.gates[4 * row.start..4 * row.end];
            let cell = CellStep { gates, c_prev: &step.c_prev[row.clone()], c: &step.c[row], upstream };
            cell_backward(cell, dh, dc, d_a);
        } else {
            dh.iter_mut().zip(upstream).for_each(|(d, u)| *d += u);
            d_a.fill(0.0);
        }
    }
}

/// One sequence's step as the backward pass sees it: activated gates `[4H]`, `c_{t-1}`, `c_t`
/// and the upstream gradient of `h_t`, each `[H]`.
struct CellStep<'a> {
    gates: &'a [f32],
    c_prev: &'a [f32],
    c: &'a [f32],
    upstream: &'a [f32],
}

/// Takes `dh` (the recurrent part of `δh_t`) and `dc` (`δc_t`), writes `δa` into `d_a [4H]`,
/// leaves `δc_{t-1}` in `dc` and zeroes `dh` (the caller adds `δa W_hhᵀ`).
#[inline(always)]
fn cell_backward(step: CellStep, dh: &mut [f32], dc: &mut [f32], d_a: &mut [f32]) {
    let hidden = dh.len();
    let gate =
        |k: usize, j: &std::ops::Range<usize>| lanes(&step.gates[k * hidden + j.start..k * hidden + j.end]);
    let (d_i, rest) = d_a.split_at_mut(hidden);
    let (d_f, rest) = rest.split_at_mut(hidden);
    let (d_g, d_o) = rest.split_at_mut(hidden);
    for start in (0..hidden).step_by(LANES) {
        let j = start..(start + LANES).min(hidden);
        let (i, f, g, o) = (gate(0, &j), gate(1, &j), gate(2, &j), gate(3, &j));
        let (dh_in, mut dc_io) = (lanes(&dh[j.clone()]), lanes(&dc[j.clone()]));
        let (upstream, c, c_prev) =
            (lanes(&step.upstream[j.clone()]), lanes(&step.c[j.clone()]), lanes(&step.c_prev[j.clone()]));
        let mut d = [[0.0; LANES]; 4];
        for l in 0..LANES {
            let dh_t = dh_in[l] + upstream[l];
            let tanh_c = tanh(c[l]);
            let dc_t = dc_io[l] + dh_t * o[l] * (1.0 - tanh_c * tanh_c);
            d[0][l] = dc_t * g[l] * i[l] * (1.0 - i[l]);
            d[1][l] = dc_t * c_prev[l] * f[l] * (1.0 - f[l]);
            d[2][l] = dc_t * i[l] * (1.0 - g[l] * g[l]);
            d[3][l] = dh_t * tanh_c * o[l] * (1.0 - o[l]);
            dc_io[l] = dc_t * f[l];
        }
        for (out, block) in [&mut *d_i, &mut *d_f, &mut *d_g, &mut *d_o].into_iter().zip(&d) {
            store(&mut out[j.clone()], block);
        }
        store(&mut dc[j.clone()], &dc_io);
        dh[j].fill(0.0);
    }
}
