//! This lecture's benchmark workload for `cargo xtask bench`: one training step of the deep
//! self-normalising net of claim 4, at the `mlp` workload's input and batch sizes.
//!
//! images `[128, 784]` -> 16 x (Linear -> SELU) `[128, 256]` -> Linear `[128, 10]` ->
//! cross-entropy on labels `[128]`; LeCun-normal weights; Adam (the shared bench optimiser).

use crate::activation::ActivationKind;
use crate::deep_net::{DeepNet, DeepNetConfig, DropoutKind, WeightInit};
use anyhow::Result;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use shared::bench::inputs::{PIXELS, batch_rng, classes, uniform};
use shared::bench::{Trainee, Workload};

/// The workload: the net, Adam, and one fixed batch of random images and labels.
pub struct DeepSelu {
    trainee: Trainee<DeepNet>,
    images: Tensor<2>,
    labels: Tensor<1, Int>,
}

impl DeepSelu {
    /// 784 -> 16 x 256 SELU -> 10, batch 128.
    pub const BENCH: (DeepNetConfig, usize) = (
        DeepNetConfig {
            input: 784,
            width: 256,
            depth: 16,
            classes: 10,
            activation: ActivationKind::Selu,
            init: WeightInit::LeCun,
            batch_norm: false,
            dropout: DropoutKind::None,
        },
        128,
    );

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 40;

    /// A fresh net and a batch of pixels uniform in [-1, 1) with uniform labels.
    pub fn new((net, batch): (DeepNetConfig, usize), device: &Device) -> Result<Self> {
        let mut rng = batch_rng();
        Ok(Self {
            trainee: Trainee::new(net.init(device)?),
            images: uniform(&mut rng, [batch, net.input], PIXELS, device),
            labels: classes(&mut rng, [batch], net.classes, device),
        })
    }
}

impl Workload for DeepSelu {
    fn name(&self) -> &'static str {
        "deep_selu"
    }

    fn description(&self) -> &'static str {
        "deep SELU MLP 784-16x256-10 (LeCun init, no batch norm), batch 128, cross-entropy, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| {
            let logits = model.forward(self.images.clone());
            CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, self.labels.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_trains_on_its_fixed_batch() {
        let (mut net, _) = DeepSelu::BENCH;
        (net.input, net.width, net.depth) = (12, 8, 4);
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = DeepSelu::new((net, 6), device).unwrap();
            (0..60).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[59] < losses[0] - 0.3, "Adam fits one batch: {} -> {}", losses[0], losses[59]);
    }
}
