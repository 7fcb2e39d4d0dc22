//! The GRU recurrence over a whole sequence, forward and backward through time, on `f32`
//! slices: the CPU kernel behind [`super::FusedGru`] on burn-flex.
//!
//! Time-major like [`super::lstm_kernel`]. `gx = x W_ih + b_ih` (`[S, B, 3H]`, gate blocks
//! `r, z, n`, PyTorch's order) comes from one product for all steps; per step:
//!
//! ```text
//! gh_t = h_{t-1} W_hh + b_hh                                  [B, 3H]   one product
//! r = σ(gx_r + gh_r)    z = σ(gx_z + gh_z)    n = tanh(gx_n + r ⊙ gh_n)
//! h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
//! ```
//!
//! (the reset gate applied after the hidden product: PyTorch's and burn's default). Finished
//! sequences (`lengths[b] <= t`) carry `h_t = h_{t-1}`. Backward, with `δh = δh_t`:
//!
//! ```text
//! δz = δh ⊙ (h_{t-1} - n)     δn = δh ⊙ (1 - z)      δa_n = δn ⊙ (1 - n²)
//! δr = δa_n ⊙ gh_n            δa_r = δr r(1-r)        δa_z = δz z(1-z)
//! δgx_t = [δa_r, δa_z, δa_n]          δgh_t = [δa_r, δa_z, δa_n ⊙ r]
//! δh_{t-1} = δh ⊙ z + δgh_t W_hhᵀ     δW_hh = Σ_t h_{t-1}ᵀ δgh_t     δb_hh = Σ_{t,b} δgh_t
//! ```

use super::activation::{sigmoid, tanh};
use super::affine_kernel::{affine_bias_grad, affine_weight_grad};
use super::buffers;
use super::mat_ref::MatRef;
use super::packed_matmul::{PackedRhs, matmul_packed_serial, rows_per_task};
use super::sequence::{RowBlock, SequenceDims, rows_range, task_rows};
use super::vectorise::vectorised;
use rayon::prelude::*;

/// What the backward pass needs from the forward pass, besides the hidden states.
#[derive(Clone, Debug)]
pub struct GruTrace {
    /// `[S, B, 3H]`: `r, z, n` of every step.
    pub gates: Vec<f32>,
    /// `[S, B, H]`: `gh_n = h_{t-1} W_hn + b_hn`, which the reset gate scales.
    pub hidden_candidate: Vec<f32>,
}

/// Gradients of the kernel's inputs.
#[derive(Clone, Debug)]
pub struct GruGrads {
    /// `[S, B, 3H]`.
    pub gates_x: Vec<f32>,
    /// `[H, 3H]`.
    pub hidden_weight: Vec<f32>,
    /// `[3H]`.
    pub hidden_bias: Vec<f32>,
    /// `[B, H]`.
    pub h0: Vec<f32>,
}

/// Runs the recurrence. `gates_x: [S, B, 3H]`, `hidden_weight: [H, 3H]`, `hidden_bias: [3H]`,
/// `h0: [B, H]`, `lengths`: one per sequence, or empty for "all `S`".
///
/// Returns the hidden states `[S + 1, B, H]` (slot 0 = `h_0`, slot `t + 1` = `h_t`) and the
/// trace.
pub fn gru_forward(
    dims: SequenceDims,
    gates_x: &[f32],
    hidden_weight: &[f32],
    hidden_bias: &[f32],
    h0: &[f32],
    lengths: &[usize],
) -> (Vec<f32>, GruTrace) {
    let SequenceDims { steps, batch, hidden } = dims;
    let (state, gate_step) = (dims.step_len(1), dims.step_len(3));
    let mut hiddens = buffers::zeros((steps + 1) * state);
    let mut gates = buffers::zeros(steps * gate_step);
    let mut hidden_candidate = buffers::zeros(steps * state);
    let mut gh = vec![0.0; gate_step];
    hiddens[..state].copy_from_slice(h0);
    let w = PackedRhs::pack(MatRef::new(hidden_weight, hidden, 3 * hidden));
    let chunk = rows_per_task(batch);
    // Sequences are independent: each task runs every step of its block of batch rows.
    let task_h = task_rows(&mut hiddens, state, chunk * hidden);
    let task_gates = task_rows(&mut gates, gate_step, chunk * 3 * hidden);
    let task_candidate = task_rows(&mut hidden_candidate, state, chunk * hidden);
    task_h
        .into_par_iter()
        .zip(task_gates)
        .zip(task_candidate)
        .zip(gh.par_chunks_mut(chunk * 3 * hidden))
        .enumerate()
        .for_each(|(task, (((mut h, mut gates), mut candidate), gh))| {
            for t in 0..steps {
                let (past, future) = h.split_at_mut(t + 1);
                let (h_prev, h_new) = (&*past[t], &mut *future[0]);
                let range = rows_range(task, chunk, hidden, h_new.len());
                gh.chunks_exact_mut(3 * hidden).for_each(|row| row.copy_from_slice(hidden_bias));
                matmul_packed_serial(gh, MatRef::new(h_prev, h_new.len() / hidden, hidden), &w, true);
                let block = RowBlock { first: task * chunk, hidden, t, lengths, dims };
                let gx = &gates_x[t * gate_step + 3 * range.start..t * gate_step + 3 * range.end];
                let step = GruStepInputs { gx, gh, h_prev };
                gru_forward_rows(block, step, &mut *gates[t], &mut *candidate[t], h_new);
            }
        });
    (hiddens, GruTrace { gates, hidden_candidate })
}

vectorised! {
    /// A block of rows of one step: writes `r, z, n`, `gh_n` and `h_t` of each running sequence
    /// (see [`gru_cell_forward`]); finished sequences carry their state.
    fn gru_forward_rows(
        block: RowBlock,
        step: GruStepInputs,
        gates: &mut [f32],
        candidate: &mut [f32],
        h_new: &mut [f32],
    ) => gru_forward_rows_body
}

#[inline(always)]
fn gru_forward_rows_body(
    block: RowBlock,
    step: GruStepInputs,
    gates: &mut [f32],
    candidate: &mut [f32],
    h_new: &mut [f32],
) {
    let hidden = block.hidden;
    let rows = gates.chunks_exact_mut(3 * hidden).zip(candidate.chunks_exact_mut(hidden));
    for (r, ((gates, candidate), h_new)) in rows.zip(h_new.chunks_exact_mut(hidden)).enumerate() {
        let (row, gate_row) = (r * hidden..(r + 1) * hidden, 3 * r * hidden..3 * (r + 1) * hidden);
        if block.dims.active(block.lengths, block.t, block.first + r) {
            let inputs = GruStepInputs {
                gx: &step.gx[gate_row.clone()],
                gh: &step.gh[gate_row],
                h_prev: &step.h_prev[row],
            };
            gru_cell_forward(inputs, gates, candidate, h_new);
        } else {
            h_new.copy_from_slice(&step.h_prev[row]);
        }
    }
}

/// Inputs to a step: `gx, gh: [n, 3H]`, `h_{t-1}: [n, H]` (one sequence or a block of rows).
struct GruStepInputs<'a> {
    gx: &'a [f32],
    gh: &'a [f32],
    h_prev: &'a [f32],
}

/// Writes `r, z, n` into `gates [3H]`, `gh_n` into `candidate [H]` and `h_t` into `h_new [H]`.
#[inline(always)]
fn gru_cell_forward(step: GruStepInputs, gates: &mut [f32], candidate: &mut [f32], h_new: &mut [f32]) {
    let hidden = h_new.len();
    let (x_r, rest) = step.gx.split_at(hidden);
    let (x_z, x_n) = rest.split_at(hidden);
    let (h_r, rest) = step.gh.split_at(hidden);
    let (h_z, h_n) = rest.split_at(hidden);
    let (r_out, rest) = gates.split_at_mut(hidden);
    let (z_out, n_out) = rest.split_at_mut(hidden);
    // Exact lengths let the compiler drop the bounds checks and vectorise the loop.
    let (x_n, h_n, n_out) = (&x_n[..hidden], &h_n[..hidden], &mut n_out[..hidden]);
    let (candidate, h_prev) = (&mut candidate[..hidden], &step.h_prev[..hidden]);
    for j in 0..hidden {
        let r = sigmoid(x_r[j] + h_r[j]);
        let z = sigmoid(x_z[j] + h_z[j]);
        let n = tanh(x_n[j] + r * h_n[j]);
        (r_out[j], z_out[j], n_out[j]) = (r, z, n);
        candidate[j] = h_n[j];
        h_new[j] = (1.0 - z) * n + z * h_prev[j];
    }
}

/// Backward through time; `hiddens` as [`gru_forward`] returned them, `d_hiddens: [S, B, H]`
/// the upstream gradient of every `h_t`.
pub fn gru_backward(
    dims: SequenceDims,
    hiddens: &[f32],
    trace: &GruTrace,
    hidden_weight: &[f32],
    lengths: &[usize],
    d_hiddens: &[f32],
) -> GruGrads {
    let SequenceDims { steps, batch, hidden } = dims;
    let (state, gate_step) = (dims.step_len(1), dims.step_len(3));
    let mut d_gates_x = buffers::zeros(steps * gate_step);
    let mut d_gates_h = buffers::zeros(steps * gate_step);
    let mut dh = vec![0.0; state];
    let w_t = PackedRhs::pack(MatRef::new(hidden_weight, hidden, 3 * hidden).t());
    let chunk = rows_per_task(batch);
    // Sequences are independent: each task runs every step of its block of batch rows.
    let task_x = task_rows(&mut d_gates_x, gate_step, chunk * 3 * hidden);
    let task_h = task_rows(&mut d_gates_h, gate_step, chunk * 3 * hidden);
    task_x.into_par_iter().zip(task_h).zip(dh.par_chunks_mut(chunk * hidden)).enumerate().for_each(
        |(task, ((mut d_x, mut d_h), dh))| {
            for t in (0..steps).rev() {
                let (d_x, d_h) = (&mut *d_x[t], &mut *d_h[t]);
                for (r, dh_b) in dh.chunks_exact_mut(hidden).enumerate() {
                    let b = task * chunk + r;
                    let row = t * state + b * hidden..t * state + (b + 1) * hidden;
                    let upstream = &d_hiddens[row.clone()];
                    if !dims.active(lengths, t, b) {
                        dh_b.iter_mut().zip(upstream).for_each(|(d, u)| *d += u);
                        continue;
                    }
                    let gate_row = t * gate_step + 3 * b * hidden..t * gate_step + 3 * (b + 1) * hidden;
                    let step = GruStepTrace {
                        gates: &trace.gates[gate_row],
                        candidate: &trace.hidden_candidate[row.clone()],
                        h_prev: &hiddens[row],
                        upstream,
                    };
                    let own = 3 * r * hidden..3 * (r + 1) * hidden;
                    gru_cell_backward(step, dh_b, &mut d_x[own.clone()], &mut d_h[own]);
                }
                let d_gh = MatRef::new(d_h, dh.len() / hidden, 3 * hidden);
                matmul_packed_serial(dh, d_gh, &w_t, true);
            }
        },
    );
    let d_weight = affine_weight_grad(&hiddens[..steps * state], &d_gates_h, steps * batch, 3 * hidden);
    let d_bias = affine_bias_grad(&d_gates_h, 3 * hidden);
    GruGrads { gates_x: d_gates_x, hidden_weight: d_weight, hidden_bias: d_bias, h0: dh }
}

/// One sequence's step as the backward pass sees it: `r, z, n: [3H]`, `gh_n`, `h_{t-1}` and
/// the upstream gradient of `h_t`, each `[H]`.
struct GruStepTrace<'a> {
    gates: &'a [f32],
    candidate: &'a [f32],
    h_prev: &'a [f32],
    upstream: &'a [f32],
}

vectorised! {
    /// Takes the recurrent part of `δh_t` in `dh`, writes `δgx` and `δgh` (`[3H]` each) and
    /// leaves `δh ⊙ z` in `dh` (the caller adds `δgh W_hhᵀ`).
    fn gru_cell_backward(step: GruStepTrace, dh: &mut [f32], d_x: &mut [f32], d_h: &mut [f32]) => gru_cell_backward_body
}

#[inline(always)]
fn gru_cell_backward_body(step: GruStepTrace, dh: &mut [f32], d_x: &mut [f32], d_h: &mut [f32]) {
    let hidden = dh.len();
    let (g_r, rest) = step.gates.split_at(hidden);
    let (g_z, g_n) = rest.split_at(hidden);
    let (dx_r, rest) = d_x.split_at_mut(hidden);
    let (dx_z, dx_n) = rest.split_at_mut(hidden);
    let (dh_r, rest) = d_h.split_at_mut(hidden);
    let (dh_z, dh_n) = rest.split_at_mut(hidden);
    // Exact lengths let the compiler drop the bounds checks and vectorise the loop.
    let (g_n, dx_n, dh_n) = (&g_n[..hidden], &mut dx_n[..hidden], &mut dh_n[..hidden]);
    let (candidate, h_prev, upstream) =
        (&step.candidate[..hidden], &step.h_prev[..hidden], &step.upstream[..hidden]);
    for j in 0..hidden {
        let (r, z, n) = (g_r[j], g_z[j], g_n[j]);
        let dh_t = dh[j] + upstream[j];
        let d_an = dh_t * (1.0 - z) * (1.0 - n * n);
        let d_ar = d_an * candidate[j] * r * (1.0 - r);
        let d_az = dh_t * (h_prev[j] - n) * z * (1.0 - z);
        (dx_r[j], dx_z[j], dx_n[j]) = (d_ar, d_az, d_an);
        (dh_r[j], dh_z[j], dh_n[j]) = (d_ar, d_az, d_an * r);
        dh[j] = dh_t * z;
    }
}
