//! This lecture's benchmark workload: one training step of the reduced [`CapsNet`] (the
//! foundation's `capsnet` workload, with this lecture's modules and its reconstruction decoder)
//! on a fixed batch of random images, with Adam.

use crate::capsnet::{CapsNet, CapsNetConfig};
use crate::classifier::Classifier;
use burn::prelude::*;
use shared::bench::inputs::{PIXELS, batch_rng, classes, uniform};
use shared::bench::{Trainee, Workload};

/// The workload: the model, Adam, and one fixed batch.
pub struct CapsNetStep {
    trainee: Trainee<CapsNet>,
    images: Tensor<4>,
    labels: Tensor<1, Int>,
}

impl CapsNetStep {
    /// Batch 32, as the foundation's `capsnet` workload.
    pub const BATCH: usize = 32;

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 8;

    /// A fresh `config` model and `batch` images with pixels uniform in [-1, 1) and random labels.
    pub fn new(config: &CapsNetConfig, batch: usize, device: &Device) -> anyhow::Result<Self> {
        let mut rng = batch_rng();
        let side = config.side;
        Ok(Self {
            trainee: Trainee::new(config.init(device)?),
            images: uniform(&mut rng, [batch, 1, side, side], PIXELS, device),
            labels: classes(&mut rng, [batch], config.classes, device),
        })
    }
}

impl Workload for CapsNetStep {
    fn name(&self) -> &'static str {
        "capsnet_lecture"
    }

    fn description(&self) -> &'static str {
        "reduced CapsNet of lecture 12: conv 9x9 1->32, 288 primary 8D caps, 10x16D digit caps, \
         3 routing passes, margin + reconstruction loss (decoder 256-512), batch 32, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(self.images.clone(), self.labels.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_trains_on_its_fixed_batch() {
        let config = CapsNetConfig::new(20, 4, 2, [8, 8]).with_kernel(5).with_classes(3).with_digit_dim(4);
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = CapsNetStep::new(&config, 4, device).unwrap();
            (0..40).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[39] < losses[0] * 0.7, "Adam fits one batch: {} -> {}", losses[0], losses[39]);
    }
}
