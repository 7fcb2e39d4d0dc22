//! This lecture's benchmark workload: one training step of a depth-50 highway net on an
//! MNIST-sized batch, as the `depth` experiment trains it.
//!
//! images `[64, 784]` -> tanh projection `[64, 50]` -> 50 highway layers `[64, 50]` -> logits
//! `[64, 10]` -> cross-entropy; Adam. The cost is in the number of small operations (about ten
//! per layer forward, twice that backward), not in FLOPs.

use crate::deep_net::{DeepNet, DeepNetConfig, LayerKind};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use shared::bench::inputs::{PIXELS, batch_rng, classes, uniform};
use shared::bench::{Trainee, Workload};

/// The sizes of the workload.
#[derive(Clone, Copy, Debug)]
pub struct HighwaySizes {
    pub input: usize,
    pub width: usize,
    pub depth: usize,
    pub classes: usize,
    pub batch: usize,
}

/// The workload: the net, Adam, and one fixed batch of random images and labels.
pub struct DeepHighway {
    trainee: Trainee<DeepNet>,
    images: Tensor<2>,
    labels: Tensor<1, Int>,
}

impl DeepHighway {
    /// Depth 50, width 50, batch 64: the `depth` experiment's deepest highway net.
    pub const BENCH: HighwaySizes = HighwaySizes { input: 784, width: 50, depth: 50, classes: 10, batch: 64 };

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 40;

    /// A fresh net and the fixed batch; an error for zero sizes.
    pub fn new(sizes: HighwaySizes, device: &Device) -> anyhow::Result<Self> {
        let config =
            DeepNetConfig::new(sizes.input, sizes.width, sizes.depth, sizes.classes, LayerKind::Highway);
        let mut rng = batch_rng();
        Ok(Self {
            trainee: Trainee::new(config.init(device)?),
            images: uniform(&mut rng, [sizes.batch, sizes.input], PIXELS, device),
            labels: classes(&mut rng, [sizes.batch], sizes.classes, device),
        })
    }
}

impl Workload for DeepHighway {
    fn name(&self) -> &'static str {
        "highway_depth50"
    }

    fn description(&self) -> &'static str {
        "highway net 784-50 x 50 layers (tanh, fused H and T), batch 64, cross-entropy, Adam"
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
        let sizes = HighwaySizes { input: 12, width: 6, depth: 5, classes: 3, batch: 8 };
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = DeepHighway::new(sizes, device).unwrap();
            (0..100).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[99] < losses[0] - 0.3, "Adam fits one batch: {} -> {}", losses[0], losses[99]);
    }
}
