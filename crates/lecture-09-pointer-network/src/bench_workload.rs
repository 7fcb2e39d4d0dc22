//! This lecture's benchmark workload for `cargo xtask bench`: one training step of the pointer
//! network of claim 1 at its default size.
//!
//! numbers `[64, 10, 1]` -> embedding `[64, 11, 64]` (with `g`) -> LSTM encoder `[64, 11, 64]`;
//! teacher-forced LSTM decoder `[64, 11, 64]`; additive attention `[64, 11, 11, 64]` -> scores
//! `[64, 11, 11]`; masked log-softmax; mean negative log-likelihood of the sorted order; Adam
//! (the shared bench optimiser). One fixed batch, drawn once.

use crate::encoder_decoder::EncoderDecoderConfig;
use crate::pointer_net::{OutputKind, PointerNet, PointerNetConfig};
use crate::tasks::{PointerBatch, PointerTask};
use burn::prelude::*;
use shared::bench::{Trainee, Workload};

/// The workload: the model, Adam, and one fixed sorting batch.
pub struct PointerStep {
    trainee: Trainee<PointerNet>,
    batch: PointerBatch,
    device: Device,
}

impl PointerStep {
    /// Width 64, batch 64 of 10 numbers.
    pub const BENCH: (PointerNetConfig, usize, usize) = (
        PointerNetConfig {
            core: EncoderDecoderConfig { features: 1, embedding: 64, hidden: 64 },
            output: OutputKind::Pointer,
        },
        64,
        10,
    );

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 100;

    /// A fresh model and its batch (`(config, batch, n)`).
    pub fn new((config, batch, n): (PointerNetConfig, usize, usize), device: &Device) -> Self {
        let batch =
            PointerBatch::draw(PointerTask::Sort, batch, n, 0).expect("the benchmark sizes are valid");
        Self { trainee: Trainee::new(config.init(device)), batch, device: device.clone() }
    }
}

impl Workload for PointerStep {
    fn name(&self) -> &'static str {
        "pointer_sort"
    }

    fn description(&self) -> &'static str {
        "pointer network (LSTM encoder/decoder 64, additive attention as output), sorting 10 numbers, batch 64, Adam"
    }

    fn step(&mut self) -> f32 {
        let (batch, device) = (&self.batch, &self.device);
        self.trainee.train_step(|model| model.loss(batch, device))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_trains_on_its_fixed_batch() {
        let (mut config, _, _) = PointerStep::BENCH;
        (config.core.embedding, config.core.hidden) = (16, 16);
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = PointerStep::new((config, 8, 5), device);
            (0..200).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[199] < 0.5 * losses[0], "Adam fits one batch: {} -> {}", losses[0], losses[199]);
    }
}
