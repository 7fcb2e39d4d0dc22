//! The LSTM recurrence over a whole sequence, forward and backward through time, on `f32`
//! slices: the CPU kernel behind [`super::FusedLstm`] on burn-flex.
//!
//! Everything is time-major. The input projection `gx = x W_ih + b` (`[S, B, 4H]`, gate blocks
//! `i, f, g, o`) is computed outside, in one matrix product for all steps; per step the kernel
//! runs ONE matrix product and one fused element-wise pass:
//!
//! ```text
//! a_t = gx_t + h_{t-1} W_hh                                   [B, 4H]
//! i, f, o = σ(a_i), σ(a_f), σ(a_o);  g = tanh(a_g)
//! c_t = f ⊙ c_{t-1} + i ⊙ g;         h_t = o ⊙ tanh(c_t)
//! ```
//!
//! A sequence `b` with `lengths[b] <= t` carries its state unchanged: `h_t = h_{t-1}`,
//! `c_t = c_{t-1}`, so step `S - 1` holds every sequence's final state.
//!
//! Backward through time (δ = ∂loss/∂·, `δh_t` = upstream gradient + `δa_{t+1} W_hhᵀ`):
//!
//! ```text
//! δo = δh ⊙ tanh(c_t)            δc = δc_{t+1 carried} + δh ⊙ o ⊙ (1 - tanh²(c_t))
//! δi = δc ⊙ g   δg = δc ⊙ i   δf = δc ⊙ c_{t-1}        δc_{t-1} = δc ⊙ f
//! δa = [δi i(1-i), δf f(1-f), δg (1-g²), δo o(1-o)]      = δgx_t
//! δh_{t-1} = δa W_hhᵀ            δW_hh = Σ_t h_{t-1}ᵀ δa_t   (one product over all steps)
//! ```

use super::activation::{sigmoid, tanh};
use super::matmul::MatRef;
use super::packed_matmul::{PackedRhs, matmul_packed, matmul_packed_serial, rows_per_task};
use rayon::prelude::*;

/// Sequence length `S`, batch `B` and hidden size `H`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SequenceDims {
    pub steps: usize,
    pub batch: usize,
    pub hidden: usize,
}

impl SequenceDims {
    /// Floats in one step of a `[B, width · H]` buffer.
    pub fn step_len(&self, width: usize) -> usize {
        self.batch * width * self.hidden
    }

    /// Whether sequence `b` is still running at step `t`.
    pub fn active(&self, lengths: &[usize], t: usize, b: usize) -> bool {
        lengths.get(b).is_none_or(|&length| t < length)
    }
}

/// What the backward pass needs from the forward pass, besides the hidden states.
#[derive(Clone, Debug)]
pub struct LstmTrace {
    /// `[S + 1, B, H]`: slot 0 = `c_0`, slot `t + 1` = `c_t`.
    pub cells: Vec<f32>,
    /// `[S, B, 4H]`: the activated gates `i, f, g, o` of every step.
    pub gates: Vec<f32>,
}

/// Gradients of the kernel's inputs.
#[derive(Clone, Debug)]
pub struct LstmGrads {
    /// `[S, B, 4H]`, also `δa` (`a = gx + h W_hh`).
    pub gates_x: Vec<f32>,
    /// `[H, 4H]`.
    pub hidden_weight: Vec<f32>,
    /// `[B, H]`.
    pub h0: Vec<f32>,
    /// `[B, H]`.
    pub c0: Vec<f32>,
}

/// Runs the recurrence. `gates_x: [S, B, 4H]`, `hidden_weight: [H, 4H]`, `h0, c0: [B, H]`,
/// `lengths`: one per sequence, or empty for "all `S`".
///
/// Returns the hidden states `[S + 2, B, H]` (slot 0 = `h_0`, slot `t + 1` = `h_t`, slot
/// `S + 1` = the final cell `c_S`, so that outputs and final cell are one contiguous block,
/// slots `1..S + 2`) and the trace.
pub fn lstm_forward(
    dims: SequenceDims,
    gates_x: &[f32],
    hidden_weight: &[f32],
    h0: &[f32],
    c0: &[f32],
    lengths: &[usize],
) -> (Vec<f32>, LstmTrace) {
    let SequenceDims { steps, batch, hidden } = dims;
    let (state, gate_step) = (dims.step_len(1), dims.step_len(4));
    let mut hiddens = vec![0.0; (steps + 2) * state];
    let mut cells = vec![0.0; (steps + 1) * state];
    let mut gates = gates_x[..steps * gate_step].to_vec();
    hiddens[..state].copy_from_slice(h0);
    cells[..state].copy_from_slice(c0);
    let w = PackedRhs::pack(MatRef::new(hidden_weight, hidden, 4 * hidden));
    let chunk = rows_per_task(batch);
    for t in 0..steps {
        let (past_h, future_h) = hiddens.split_at_mut((t + 1) * state);
        let (past_c, future_c) = cells.split_at_mut((t + 1) * state);
        let (h_prev, c_prev) = (&past_h[t * state..], &past_c[t * state..]);
        let a = &mut gates[t * gate_step..(t + 1) * gate_step];
        // Sequences are independent within a step: each task takes a block of batch rows.
        a.par_chunks_mut(chunk * 4 * hidden)
            .zip(future_h[..state].par_chunks_mut(chunk * hidden))
            .zip(future_c[..state].par_chunks_mut(chunk * hidden))
            .enumerate()
            .for_each(|(task, ((a, h_new), c_new))| {
                let range = rows_range(task, chunk, hidden, h_new.len());
                let (h_prev, c_prev) = (&h_prev[range.clone()], &c_prev[range]);
                matmul_packed_serial(a, MatRef::new(h_prev, h_new.len() / hidden, hidden), &w, true);
                let block = RowBlock { first: task * chunk, hidden, t, lengths, dims };
                forward_rows(block, a, (h_prev, c_prev), h_new, c_new);
            });
    }
    hiddens[(steps + 1) * state..].copy_from_slice(&cells[steps * state..]);
    (hiddens, LstmTrace { cells, gates })
}

/// Where a block of batch rows sits: rows `first..`, of step `t`.
#[derive(Clone, Copy)]
pub(super) struct RowBlock<'a> {
    pub first: usize,
    pub hidden: usize,
    pub t: usize,
    pub lengths: &'a [usize],
    pub dims: SequenceDims,
}

/// Element range of task `task`'s rows in a `[B, H]` step buffer, `len` elements long.
pub(super) fn rows_range(task: usize, chunk: usize, hidden: usize, len: usize) -> std::ops::Range<usize> {
    task * chunk * hidden..task * chunk * hidden + len
}

/// A block of rows of one step: activates `a [n, 4H]`, writes `h_new, c_new [n, H]` from
/// `(h_prev, c_prev)`; finished sequences carry their state.
fn forward_rows(
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
    for j in 0..hidden {
        let (i, f, g, o) = (sigmoid(a_i[j]), sigmoid(a_f[j]), tanh(a_g[j]), sigmoid(a_o[j]));
        let c = f * c_prev[j] + i * g;
        (a_i[j], a_f[j], a_g[j], a_o[j]) = (i, f, g, o);
        c_new[j] = c;
        h_new[j] = o * tanh(c);
    }
}

/// Backward through time. `hiddens` as [`lstm_forward`] returned them; `d_hiddens: [S, B, H]`
/// is the upstream gradient of every `h_t`, `d_cell: [B, H]` that of the final cell `c_S`
/// (zeros when unused).
pub fn lstm_backward(
    dims: SequenceDims,
    hiddens: &[f32],
    trace: &LstmTrace,
    hidden_weight: &[f32],
    lengths: &[usize],
    d_hiddens: &[f32],
    d_cell: &[f32],
) -> LstmGrads {
    let SequenceDims { steps, batch, hidden } = dims;
    let (state, gate_step) = (dims.step_len(1), dims.step_len(4));
    let mut d_gates = vec![0.0; steps * gate_step];
    let mut dh = vec![0.0; state];
    let mut dc = d_cell.to_vec();
    let w_t = PackedRhs::pack(MatRef::new(hidden_weight, hidden, 4 * hidden).t());
    let chunk = rows_per_task(batch);
    for t in (0..steps).rev() {
        let d_a = &mut d_gates[t * gate_step..(t + 1) * gate_step];
        let step = StepTrace {
            gates: &trace.gates[t * gate_step..(t + 1) * gate_step],
            c_prev: &trace.cells[t * state..(t + 1) * state],
            c: &trace.cells[(t + 1) * state..(t + 2) * state],
            upstream: &d_hiddens[t * state..(t + 1) * state],
        };
        d_a.par_chunks_mut(chunk * 4 * hidden)
            .zip(dh.par_chunks_mut(chunk * hidden))
            .zip(dc.par_chunks_mut(chunk * hidden))
            .enumerate()
            .for_each(|(task, ((d_a, dh), dc))| {
                let block = RowBlock { first: task * chunk, hidden, t, lengths, dims };
                backward_rows(block, step.rows(task, chunk, hidden, dh.len()), dh, dc, d_a);
                matmul_packed_serial(dh, MatRef::new(d_a, dh.len() / hidden, 4 * hidden), &w_t, true);
            });
    }
    let mut d_weight = vec![0.0; hidden * 4 * hidden];
    let h_prev = MatRef::new(&hiddens[..steps * state], steps * batch, hidden);
    let d_a = PackedRhs::pack(MatRef::new(&d_gates, steps * batch, 4 * hidden));
    matmul_packed(&mut d_weight, h_prev.t(), &d_a, false);
    LstmGrads { gates_x: d_gates, hidden_weight: d_weight, h0: dh, c0: dc }
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

/// A block of rows of one step backward: see [`cell_backward`]; finished sequences pass
/// `δh` and `δc` through unchanged.
fn backward_rows(block: RowBlock, step: StepTrace, dh: &mut [f32], dc: &mut [f32], d_a: &mut [f32]) {
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
    let (g_i, rest) = step.gates.split_at(hidden);
    let (g_f, rest) = rest.split_at(hidden);
    let (g_g, g_o) = rest.split_at(hidden);
    let (d_i, rest) = d_a.split_at_mut(hidden);
    let (d_f, rest) = rest.split_at_mut(hidden);
    let (d_g, d_o) = rest.split_at_mut(hidden);
    for j in 0..hidden {
        let (i, f, g, o) = (g_i[j], g_f[j], g_g[j], g_o[j]);
        let dh_t = dh[j] + step.upstream[j];
        let tanh_c = tanh(step.c[j]);
        let dc_t = dc[j] + dh_t * o * (1.0 - tanh_c * tanh_c);
        d_i[j] = dc_t * g * i * (1.0 - i);
        d_f[j] = dc_t * step.c_prev[j] * f * (1.0 - f);
        d_g[j] = dc_t * i * (1.0 - g * g);
        d_o[j] = dh_t * tanh_c * o * (1.0 - o);
        dc[j] = dc_t * f;
        dh[j] = 0.0;
    }
}
