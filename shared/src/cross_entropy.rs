//! The mean cross-entropy of logits against class indices as ONE autodiff node on burn-flex,
//! reached through [`crate::fast_ops::cross_entropy`].
//!
//! ```text
//! m_n = max_c z_nc,   s_n = Σ_c e^(z_nc - m_n),   p_nc = e^(z_nc - m_n) / s_n
//! loss = (1/N) Σ_n (ln s_n + m_n - z_n,y_n)                = -(1/N) Σ_n ln p_n,y_n
//! δz_nc = δloss · (p_nc - [c = y_n]) / N
//! ```
//!
//! burn's `CrossEntropyLoss` composes it from a log-softmax (a maximum, a subtraction, an
//! exponential, a sum, a logarithm), a gather and a mean: a node and a pass over `[N, C]` each,
//! forward and backward, on one thread. Here the rows are split between threads; the forward
//! pass keeps the probabilities, and the backward pass is one pass over them.

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

/// The mean cross-entropy as a backend operation (burn-flex only; see
/// [`crate::recurrent::extension::has_kernels`]).
#[backend_extension(Autodiff, Flex)]
pub trait FusedCrossEntropyBackend: burn::backend::Backend {
    /// `-(1/N) Σ_n ln softmax(logits_n)[targets_n]` for `logits: [N, C]` and one class in
    /// `0..C` per row. Returns `[1]`.
    fn fused_cross_entropy(logits: FloatTensor<Self>, targets: Vec<usize>) -> FloatTensor<Self>;
}

/// The mean loss and the probabilities `p: [N, C]` of `logits: [N, C]`.
pub fn cross_entropy_forward(logits: &[f32], targets: &[usize]) -> (f32, Vec<f32>) {
    let rows = targets.len();
    assert!(rows > 0 && logits.len().is_multiple_of(rows), "{} logits for {rows} targets", logits.len());
    let classes = logits.len() / rows;
    if let Some(bad) = targets.iter().find(|&&target| target >= classes) {
        panic!("target class {bad} outside 0..{classes}");
    }
    let mut probabilities = buffers::recycled(logits.len());
    let losses: Vec<f64> = probabilities
        .par_chunks_mut(ROWS * classes)
        .zip(logits.par_chunks(ROWS * classes))
        .zip(targets.par_chunks(ROWS))
        .map(|((p, z), targets)| softmax_rows(p, z, targets))
        .collect();
    ((losses.iter().sum::<f64>() / rows as f64) as f32, probabilities)
}

/// Writes the probabilities of rows `z` into `p`; returns the rows' summed loss.
fn softmax_rows(p: &mut [f32], z: &[f32], targets: &[usize]) -> f64 {
    let classes = z.len() / targets.len();
    let rows = p.chunks_exact_mut(classes).zip(z.chunks_exact(classes)).zip(targets);
    rows.map(|((p, z), &target)| {
        let max = z.iter().fold(f32::NEG_INFINITY, |max, &v| max.max(v));
        p.iter_mut().zip(z).for_each(|(p, &z)| *p = exp(z - max));
        let sum: f32 = p.iter().sum();
        p.iter_mut().for_each(|p| *p /= sum);
        (sum.ln() + max - z[target]) as f64
    })
    .sum()
}

/// `δz = scale · (p - onehot(targets))` for the probabilities `p: [N, C]`.
pub fn cross_entropy_backward(probabilities: &[f32], targets: &[usize], scale: f32) -> Vec<f32> {
    let classes = probabilities.len() / targets.len();
    let mut d_z = buffers::recycled(probabilities.len());
    d_z.par_chunks_mut(ROWS * classes)
        .zip(probabilities.par_chunks(ROWS * classes))
        .zip(targets.par_chunks(ROWS))
        .for_each(|((d_z, p), targets)| {
            for ((d_z, p), &target) in d_z.chunks_exact_mut(classes).zip(p.chunks_exact(classes)).zip(targets)
            {
                d_z.iter_mut().zip(p).for_each(|(d, &p)| *d = scale * p);
                d_z[target] = scale * (p[target] - 1.0);
            }
        });
    d_z
}

/// What the backward pass reads: the probabilities and the targets.
#[derive(Clone, Debug)]
struct CrossEntropyCall {
    probabilities: Vec<f32>,
    targets: Vec<usize>,
}

impl CrossEntropyCall {
    fn run(logits: FlexTensor, targets: Vec<usize>) -> (Self, FlexTensor) {
        let logits = contiguous(logits);
        let (loss, probabilities) = cross_entropy_forward(floats(&logits), &targets);
        (Self { probabilities, targets }, flex_tensor(vec![loss], &[1]))
    }
}

#[derive(Debug)]
struct FusedCrossEntropyBackward;

impl Backward<Flex, 1> for FusedCrossEntropyBackward {
    type State = CrossEntropyCall;

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _checkpointer: &mut Checkpointer) {
        let [logits] = ops.parents;
        let d_loss = floats(&contiguous(grads.consume::<Flex>(&ops.node)))[0];
        let CrossEntropyCall { probabilities, targets } = ops.state;
        let rows = targets.len();
        let d_z = cross_entropy_backward(&probabilities, &targets, d_loss / rows as f32);
        register(grads, logits.map(|node| node.id), d_z, &[rows, probabilities.len() / rows]);
        buffers::recycle(probabilities);
    }
}

impl FusedCrossEntropyBackend for Flex {
    fn fused_cross_entropy(logits: FlexTensor, targets: Vec<usize>) -> FlexTensor {
        let (call, loss) = CrossEntropyCall::run(logits, targets);
        buffers::recycle(call.probabilities);
        loss
    }
}

impl<C: CheckpointStrategy> FusedCrossEntropyBackend for Autodiff<Flex, C> {
    fn fused_cross_entropy(logits: FloatTensor<Self>, targets: Vec<usize>) -> FloatTensor<Self> {
        match FusedCrossEntropyBackward.prepare::<C>([logits.node()]).compute_bound().stateful() {
            OpsKind::Tracked(prep) => {
                let (call, loss) = CrossEntropyCall::run(logits.into_primitive(), targets);
                prep.finish(call, loss)
            }
            OpsKind::UnTracked(prep) => {
                let (call, loss) = CrossEntropyCall::run(logits.into_primitive(), targets);
                buffers::recycle(call.probabilities);
                prep.finish(loss)
            }
        }
    }
}
