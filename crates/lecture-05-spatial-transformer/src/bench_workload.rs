//! This lecture's benchmark workload: one training step of the ST-CNN on RTS-sized canvases
//! (the model of the `distorted` experiment), registered under the name `st_cnn`.
//!
//! canvases `[64, 1, 42, 42]` -> localisation net -> theta `[64, 2, 3]` -> affine grid and
//! bilinear sampler -> `[64, 1, 28, 28]` -> CNN -> logits `[64, 10]` -> cross-entropy; Adam.

use crate::models::{DigitNet, NetSizes};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use shared::bench::inputs::{batch_rng, classes, uniform};
use shared::bench::{Trainee, Workload};

/// The workload: the model, Adam, and one fixed batch of random canvases and labels.
pub struct StCnnStep {
    trainee: Trainee<DigitNet>,
    images: Tensor<4>,
    labels: Tensor<1, Int>,
}

impl StCnnStep {
    /// The RTS pair of the `distorted` experiment at full size: 42 x 42 canvases, 28 x 28
    /// transformer output, CNN channels 8 and 16, hidden 64, localisation hidden 32.
    pub fn sizes() -> NetSizes {
        NetSizes::for_canvas(42, 28, Some([8, 16]), 64, 32)
    }

    /// Batch size.
    pub const BATCH: usize = 64;

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 20;

    /// A fresh ST-CNN of `sizes` and `batch` canvases with pixels uniform in [-1, 1).
    pub fn new(sizes: NetSizes, batch: usize, device: &Device) -> Self {
        let mut rng = batch_rng();
        let side = sizes.canvas_side;
        Self {
            trainee: Trainee::new(sizes.init(true, device)),
            images: uniform(&mut rng, [batch, 1, side, side], shared::bench::inputs::PIXELS, device),
            labels: classes(&mut rng, [batch], crate::models::CLASSES, device),
        }
    }
}

impl Workload for StCnnStep {
    fn name(&self) -> &'static str {
        "st_cnn"
    }

    fn description(&self) -> &'static str {
        "ST-CNN: localisation net + affine grid + bilinear sampler (42->28) + CNN(8,16,64), batch 64, Adam"
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
        let sizes = NetSizes::for_canvas(12, 8, Some([2, 3]), 8, 4);
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = StCnnStep::new(sizes, 6, device);
            (0..150).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        // Measured after 150 steps: flex 2.35 -> 1.03, wgpu 2.39 -> 1.21 (its own random stream).
        let (first, last) = (losses[0], losses[149]);
        assert!(last < 0.7 * first, "Adam fits one batch: {first} -> {last}");
    }
}
