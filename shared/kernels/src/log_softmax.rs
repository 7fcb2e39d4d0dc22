//! The log-probability of each row's target class under the softmax of its logits, as ONE
//! autodiff node on burn-flex, reached through [`crate::fast_ops::target_log_probs`] (and
//! [`crate::fast_ops::cross_entropy`], its negated mean):
//!
//! ```text
//! m_n = max_c z_nc,   s_n = Σ_c e^(z_nc - m_n),   p_nc = e^(z_nc - m_n) / s_n
//! ℓ_n = ln p_n,y_n = z_n,y_n - m_n - ln s_n
//! δz_nc = δℓ_n · ([c = y_n] - p_nc)
//! ```
//!
//! burn composes it from a log-softmax (a maximum, a subtraction, an exponential, a sum, a
//! logarithm) and a gather: a node and a pass over `[N, C]` each, forward and backward, on one
//! thread. Here the rows are split between threads; the forward pass keeps the probabilities,
//! and the backward pass is one pass over them.

use crate::recurrent::activation::exp;
use crate::recurrent::buffers;
use crate::recurrent::extension::{contiguous, flex_tensor, floats, register};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::tensor::FloatTensor;
use burn::backend::{Autodiff, Flex, backend_extension};
use rayon::prelude::*;

/// Rows per parallel task.
const ROWS: usize = 256;

/// The targets' log-probabilities as a backend operation (burn-flex only; see
/// [`crate::recurrent::extension::has_kernels`]).
#[backend_extension(Autodiff, Flex)]
pub trait FusedLogSoftmaxBackend: burn::backend::Backend {
    /// `ln softmax(logits_n)[targets_n]` for `logits: [N, C]` and one class in `0..C` per
    /// row. Returns `[N]`.
    fn fused_target_log_probs(logits: FloatTensor<Self>, targets: Vec<usize>) -> FloatTensor<Self>;
}

/// The targets' log-probabilities `[N]` and the probabilities `p: [N, C]` of `logits: [N, C]`.
pub fn target_log_probs_forward(logits: &[f32], targets: &[usize]) -> (Vec<f32>, Vec<f32>) {
    let rows = targets.len();
    assert!(rows > 0 && logits.len().is_multiple_of(rows), "{} logits for {rows} targets", logits.len());
    let classes = logits.len() / rows;
    if let Some(bad) = targets.iter().find(|&&target| target >= classes) {
        panic!("target class {bad} outside 0..{classes}");
    }
    let mut probabilities = buffers::recycled(logits.len());
    let mut log_probs = vec![0.0; rows];
    probabilities
        .par_chunks_mut(ROWS * classes)
        .zip(logits.par_chunks(ROWS * classes))
        .zip(targets.par_chunks(ROWS).zip(log_probs.par_chunks_mut(ROWS)))
        .for_each(|((p, z), (targets, log_probs))| softmax_rows(p, z, targets, log_probs));
    (log_probs, probabilities)
}

/// Writes the probabilities of rows `z` into `p` and their targets' log-probabilities into
/// `log_probs`.
fn softmax_rows(p: &mut [f32], z: &[f32], targets: &[usize], log_probs: &mut [f32]) {
    let classes = z.len() / targets.len();
    let rows = p.chunks_exact_mut(classes).zip(z.chunks_exact(classes));
    for ((p, z), (&target, log_prob)) in rows.zip(targets.iter().zip(log_probs)) {
        let max = z.iter().fold(f32::NEG_INFINITY, |max, &v| max.max(v));
        p.iter_mut().zip(z).for_each(|(p, &z)| *p = exp(z - max));
        let sum: f32 = p.iter().sum();
        p.iter_mut().for_each(|p| *p /= sum);
        *log_prob = z[target] - max - sum.ln();
    }
}

/// `δz_n = δℓ_n (onehot(y_n) - p_n)` for the probabilities `p: [N, C]`.
pub fn target_log_probs_backward(probabilities: &[f32], targets: &[usize], d_log_probs: &[f32]) -> Vec<f32> {
    let classes = probabilities.len() / targets.len();
    let mut d_z = buffers::recycled(probabilities.len());
    d_z.par_chunks_mut(ROWS * classes)
        .zip(probabilities.par_chunks(ROWS * classes))
        .zip(targets.par_chunks(ROWS).zip(d_log_probs.par_chunks(ROWS)))
        .for_each(|((d_z, p), (targets, d_log_probs))| {
            let rows = d_z.chunks_exact_mut(classes).zip(p.chunks_exact(classes));
            for ((d_z, p), (&target, &d)) in rows.zip(targets.iter().zip(d_log_probs)) {
                d_z.iter_mut().zip(p).for_each(|(d_z, &p)| *d_z = -d * p);
                d_z[target] = d * (1.0 - p[target]);
            }
        });
    d_z
}

/// What the backward pass reads: the probabilities and the targets.
#[derive(Clone, Debug)]
struct LogSoftmaxCall {
    probabilities: Vec<f32>,
    targets: Vec<usize>,
}

impl LogSoftmaxCall {
    /// The call and the targets' log-probabilities `[N]`.
    fn run(logits: FlexTensor, targets: Vec<usize>) -> (Self, FlexTensor) {
        let logits = contiguous(logits);
        let (log_probs, probabilities) = target_log_probs_forward(floats(&logits), &targets);
        let rows = targets.len();
        (Self { probabilities, targets }, flex_tensor(log_probs, &[rows]))
    }

    /// The log-probabilities alone: the probabilities go back to [`buffers::recycle`].
    fn untracked(logits: FlexTensor, targets: Vec<usize>) -> FlexTensor {
        let (call, log_probs) = Self::run(logits, targets);
        buffers::recycle(call.probabilities);
        log_probs
    }
}

#[derive(Debug)]
struct FusedLogSoftmaxBackward;

impl Backward<Flex, 1> for FusedLogSoftmaxBackward {
    type State = LogSoftmaxCall;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [logits] = ops.parents;
        let d_log_probs = contiguous(grads.consume::<Flex>(&ops.node));
        let LogSoftmaxCall { probabilities, targets } = ops.state;
        let d_z = target_log_probs_backward(&probabilities, &targets, floats(&d_log_probs));
        let rows = targets.len();
        register(grads, logits.map(|node| node.id), d_z, &[rows, probabilities.len() / rows]);
        buffers::recycle(probabilities);
    }
}

impl FusedLogSoftmaxBackend for Flex {
    fn fused_target_log_probs(logits: FlexTensor, targets: Vec<usize>) -> FlexTensor {
        LogSoftmaxCall::untracked(logits, targets)
    }
}

impl<C: CheckpointStrategy> FusedLogSoftmaxBackend for Autodiff<Flex, C> {
    fn fused_target_log_probs(logits: FloatTensor<Self>, targets: Vec<usize>) -> FloatTensor<Self> {
        match FusedLogSoftmaxBackward.prepare::<C>([logits.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (call, log_probs) = LogSoftmaxCall::run(logits.into_primitive(), targets);
                prep.finish(call, log_probs)
            }
            OpsKind::UnTracked(prep) => {
                prep.finish(LogSoftmaxCall::untracked(logits.into_primitive(), targets))
            }
        }
    }
}
