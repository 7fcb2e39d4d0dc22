//! This lecture's benchmark workloads: the attention seq2seq step of `cargo xtask bench`
//! (workload `seq2seq_attention`) with this lecture's own modules, its GRUs step-wise
//! (`seq2seq_attention_scratch`) or fused (`seq2seq_attention_scratch_fused`, the same function),
//! and the Neural Turing Machine's copy-task step.
//!
//! source `[B, S]` -> our bidirectional GRU encoder `[B, S, 2H]`; decoder: our GRU over the
//! teacher-forced inputs `[B, T, H]`; dot-product attention of every step at once `[B, T, S]`;
//! read-out `[B, T, V]`; cross-entropy against the reversed source; Adam. Same sizes and same
//! batch as `seq2seq_attention` (vocab 20, embedding 32, hidden 128, length 20, batch 64), but
//! our encoder is bidirectional, so it does somewhat more work per step.

use crate::attention::AttentionKind;
use crate::experiments::token_training::token_cross_entropy;
use crate::ntm::{Ntm, NtmConfig};
use crate::recurrence::Recurrence;
use crate::seq2seq::{Seq2Seq, Seq2SeqConfig};
use burn::prelude::*;
use burn::tensor::activation::softplus;
use shared::bench::inputs::{batch_rng, classes};
use shared::bench::{Seq2SeqAttention, Seq2SeqSizes, Trainee, Workload};
use shared::data::synthetic::copy::copy_task;

/// The workload: our model, Adam, and one fixed batch of sequences to reverse.
pub struct ScratchSeq2Seq {
    recurrence: Recurrence,
    trainee: Trainee<Seq2Seq>,
    source: Tensor<2, Int>,
    inputs: Tensor<2, Int>,
    targets: Tensor<2, Int>,
}

impl ScratchSeq2Seq {
    /// `seq2seq_attention`'s sizes.
    pub const BENCH: Seq2SeqSizes = Seq2SeqAttention::BENCH;

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 4;

    /// A fresh model whose GRUs run as `recurrence` says, and a batch of random sequences over
    /// tokens `1..vocab`; the target is the source reversed, the decoder inputs are the target
    /// shifted right behind token 0.
    pub fn new(sizes: Seq2SeqSizes, recurrence: Recurrence, device: &Device) -> Self {
        let Seq2SeqSizes { vocab, embedding, hidden, length, batch } = sizes;
        let source = classes(&mut batch_rng(), [batch, length], vocab - 1, device).add_scalar(1);
        let targets = source.clone().flip([1]);
        let start = Tensor::<2, Int>::zeros([batch, 1], device);
        let inputs = Tensor::cat(vec![start, targets.clone().narrow(1, 0, length - 1)], 1);
        let attention = AttentionKind::Dot;
        let model = Seq2SeqConfig { vocab, embedding, hidden, attention, recurrence }.init(device);
        Self { recurrence, trainee: Trainee::new(model), source, inputs, targets }
    }
}

impl Workload for ScratchSeq2Seq {
    fn name(&self) -> &'static str {
        match self.recurrence {
            Recurrence::StepWise => "seq2seq_attention_scratch",
            Recurrence::Fused => "seq2seq_attention_scratch_fused",
        }
    }

    fn description(&self) -> &'static str {
        match self.recurrence {
            Recurrence::StepWise => {
                "seq2seq_attention's task and sizes with this lecture's BiGRU encoder, GRU decoder, dot attention"
            }
            Recurrence::Fused => {
                "seq2seq_attention_scratch with the GRUs fused (shared::recurrent::FusedGru)"
            }
        }
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| {
            let output = model.forward(self.source.clone(), self.inputs.clone());
            token_cross_entropy(output.logits, self.targets.clone())
        })
    }
}

/// The NTM copy step: 8-bit vectors, length 10 (21 steps), batch 32, controller 64, memory
/// 32 x 16, masked binary cross-entropy, Adam.
pub struct NtmCopyStep {
    trainee: Trainee<Ntm>,
    inputs: Tensor<3>,
    targets: Tensor<3>,
    mask: Tensor<3>,
}

impl NtmCopyStep {
    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 4;

    /// A fresh machine and one fixed copy batch of `batch` sequences of `length` vectors.
    pub fn new(batch: usize, length: usize, device: &Device) -> anyhow::Result<Self> {
        let data = copy_task(batch, 8, length, 0)?;
        let model = NtmConfig::new(9, 8, 64, 32, 16).init(device);
        Ok(Self {
            trainee: Trainee::new(model),
            inputs: data.input_tensor(device)?,
            targets: data.target_tensor(device)?,
            mask: data.mask_tensor(device)?.unsqueeze_dim(2),
        })
    }
}

impl Workload for NtmCopyStep {
    fn name(&self) -> &'static str {
        "ntm_copy"
    }

    fn description(&self) -> &'static str {
        "NTM copy task: 8 bits, length 10, batch 32, controller 64, memory 32x16, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| {
            let logits = model.forward(self.inputs.clone()).logits;
            let bce = softplus(logits.clone(), 1.0) - logits * self.targets.clone();
            (bce * self.mask.clone()).mean()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_trains_on_its_fixed_batch() {
        let sizes = Seq2SeqSizes { vocab: 7, embedding: 4, hidden: 8, length: 4, batch: 3 };
        for recurrence in [Recurrence::StepWise, Recurrence::Fused] {
            let losses: Vec<f32> = seeded(0, |device| {
                let mut workload = ScratchSeq2Seq::new(sizes, recurrence, device);
                (0..100).map(|_| workload.step()).collect()
            });
            assert!(losses.iter().all(|l| l.is_finite()));
            let (first, last) = (losses[0], losses[99]);
            assert!(last < first - 0.3, "{recurrence:?}: Adam fits one batch: {first} -> {last}");
        }
    }

    #[test]
    fn the_ntm_workload_trains_on_its_fixed_batch() {
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = NtmCopyStep::new(2, 2, device).unwrap();
            (0..60).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[59] < 0.8 * losses[0], "Adam fits one batch: {} -> {}", losses[0], losses[59]);
    }
}
